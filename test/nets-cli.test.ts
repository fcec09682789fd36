// `sparse-pursuit train`: argument parsing and one tiny run writing its files.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, loadNet } from '../src/index.js';
import { parseTrainArgs, trainCommand, TrainUsageError } from '../src/nets/cli.js';
import { PRESETS } from '../src/nets/experiment.js';

beforeAll(async () => {
  await init();
});
const dir = mkdtempSync(join(tmpdir(), 'sp-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseTrainArgs', () => {
  it('presets and overrides', () => {
    expect(parseTrainArgs(['omp-net'])!.settings).toEqual(PRESETS.quick['omp-net']);
    const p = parseTrainArgs(['iht-net', '--paper', '--epochs', '20', '--lr-step', '5', '--lr-gamma', '0.1', '--clip', '0', '--tau-epochs', '0', '--workers', '2'])!;
    expect(p.settings).toMatchObject({ kind: 'iht-net', n: 256, m: 36, layers: 30, eta: 0.5, epochs: 20, lrSchedule: { every: 5, gamma: 0.1 }, clipNorm: null, tauSchedule: null });
    expect(p.workers).toBe(2);
    expect(PRESETS.paper['iht-net'].epochs).toBe(1000); // the preset itself is untouched
    expect(parseTrainArgs(['omp-net', '--help'])).toBeNull();
    expect(parseTrainArgs(['omp-net', '--paper', '--eps', '1e-4'])!.settings).toMatchObject({ optimizer: 'rmsprop', eps: 1e-4 });
    expect(PRESETS.paper['omp-net'].eps).toBeUndefined(); // the paper's recipe: the optimizer's default eps
  });

  it('rejects bad command lines with a usage error', () => {
    const bad: [string[], RegExp][] = [
      [[], /name the net, omp-net or iht-net/],
      [['lista'], /name the net.*received "lista"/],
      [['omp-net', '--quick', '--paper'], /exclude each other/],
      [['omp-net', '--eta', '0.5'], /--eta is the IHT-Net step/],
      [['omp-net', '--epochs', '0'], /--epochs must be an integer in \[1, 10000000\], received "0"/],
      [['omp-net', '--optimizer', 'lbfgs'], /--optimizer must be one of rmsprop, adam, sgd/],
      [['omp-net', '--frobnicate'], /Unknown option/],
      [['omp-net', '--lr-step', '0', '--lr-gamma', '0.5'], /--lr-gamma needs a step decay/],
      [['omp-net', '--eps', '0'], /--eps must be a number in \[1e-300, 1e\+300\], received "0"/],
      [['omp-net', '--optimizer', 'sgd', '--eps', '1e-4'], /--eps is RMSprop's and Adam's; sgd has none/],
    ];
    for (const [args, msg] of bad) expect(() => parseTrainArgs(args)).toThrow(TrainUsageError), expect(() => parseTrainArgs(args)).toThrow(msg);
  });
});

describe('trainCommand', () => {
  it('trains a tiny net and writes the JSON, the net and three SVGs; --resume continues from the checkpoint', async () => {
    const lines: string[] = [];
    const args = (epochs: number) => ['omp-net', '--n', '32', '--m', '10', '--s', '2', '--K', '4', '--layers', '2', '--train', '64', '--val', '32',
      '--test', '32', '--epochs', String(epochs), '--batch', '32', '--tau', '0.01', '--tau-epochs', '2', '--eps', '1e-3', '--out', dir];
    expect(await trainCommand(args(4), (s) => lines.push(s))).toBe(0);
    expect(lines.join('\n')).toMatch(/OMP-Net soft/);
    const j = JSON.parse(readFileSync(join(dir, 'omp-net.json'), 'utf8'));
    expect(j.curves).toHaveLength(4);
    expect(j.weights).toHaveLength(32);
    expect(j.final.hiddenInTop).toBeGreaterThanOrEqual(0);
    for (const f of ['omp-net-loss.svg', 'omp-net-errors.svg', 'omp-net-weights.svg']) expect(readFileSync(join(dir, f), 'utf8')).toMatch(/^<\?xml|^<svg/);
    const net = loadNet(readFileSync(join(dir, 'omp-net.net.json'), 'utf8'));
    expect(Array.from(net.w)).toEqual(j.weights);
    expect(existsSync(join(dir, 'omp-net.checkpoint.json'))).toBe(true);
    // --eps reaches the optimizer (and is one of the settings a resume must match)
    expect(JSON.parse(readFileSync(join(dir, 'omp-net.checkpoint.json'), 'utf8')).state.settings.optimizerOptions.eps).toBe(1e-3);
    // resume to 6 epochs: the curves continue, the first 4 unchanged
    expect(await trainCommand([...args(6), '--resume'], () => {})).toBe(0);
    const j2 = JSON.parse(readFileSync(join(dir, 'omp-net.json'), 'utf8'));
    expect(j2.curves).toHaveLength(6);
    expect(j2.curves.slice(0, 4).map((c: { valLoss: number }) => c.valLoss)).toEqual(j.curves.map((c: { valLoss: number }) => c.valLoss));
    // the per-epoch hidden-index counts come from the checkpoint for the first 4 epochs, so none is missing
    type Curve = { hiddenInTop: number | null };
    expect(j2.curves.every((c: Curve) => Number.isInteger(c.hiddenInTop) && c.hiddenInTop! >= 0 && c.hiddenInTop! <= 4)).toBe(true);
    expect(j2.curves.slice(0, 4).map((c: Curve) => c.hiddenInTop)).toEqual(j.curves.map((c: Curve) => c.hiddenInTop));
  });
});

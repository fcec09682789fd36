// `sparse-pursuit train`: argument parsing and one tiny run writing its files.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComplexIhtNet, ComplexOmpNet, init, loadComplexNet, loadNet, structuredSparse } from '../src/index.js';
import type { FourierStructuredSparse } from '../src/data/fourier.js';
import { parseTrainArgs, trainCommand, TrainUsageError } from '../src/nets/cli.js';
import { PRESETS, streamSeed } from '../src/nets/experiment.js';

beforeAll(async () => {
  await init();
});
const dir = mkdtempSync(join(tmpdir(), 'sp-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseTrainArgs', () => {
  it('presets and overrides', () => {
    expect(parseTrainArgs(['omp-net'])!.settings).toEqual(PRESETS.quick['omp-net']);
    // --paper-dct: the real-DCT recipe (what --paper meant before it became the authors' complex setting)
    const p = parseTrainArgs(['iht-net', '--paper-dct', '--epochs', '20', '--lr-step', '5', '--lr-gamma', '0.1', '--clip', '0', '--tau-epochs', '0', '--workers', '2'])!;
    expect(p.settings).toMatchObject({ kind: 'iht-net', n: 256, m: 36, layers: 30, eta: 0.5, epochs: 20, lrSchedule: { every: 5, gamma: 0.1 }, clipNorm: null, tauSchedule: null });
    expect(p.workers).toBe(2);
    expect(PRESETS['paper-dct']['iht-net'].epochs).toBe(1000); // the preset itself is untouched
    expect(PRESETS['paper-dct']['iht-net'].matrix).toBe('dct');
    expect(parseTrainArgs(['omp-net', '--preset', 'paper-dct'])!.settings).toEqual(parseTrainArgs(['omp-net', '--paper-dct'])!.settings);
    expect(parseTrainArgs(['omp-net', '--paper-dct'])!.settings).toMatchObject({ matrix: 'dct', m: 40, n: 256, layers: 10 });
    expect(parseTrainArgs(['omp-net', '--help'])).toBeNull();
    expect(parseTrainArgs(['omp-net', '--paper', '--eps', '1e-4'])!.settings).toMatchObject({ optimizer: 'rmsprop', eps: 1e-4 });
    expect(PRESETS.paper['omp-net'].eps).toBeUndefined(); // the paper's recipe: the optimizer's default eps
  });

  it('--paper is the authors\' complex setting (partial Fourier, real signals)', () => {
    const paper = { n: 256, s: 10, K: 20, matrix: 'fourier', sigma: 1e-3, train: 1024, val: 512, tau: 1e-3, batchSize: 64, optimizer: 'rmsprop',
      lr: 1e-2, lrSchedule: { every: 500, gamma: 0.5 }, clipNorm: 1, epochs: 1000, tauSchedule: null };
    expect(parseTrainArgs(['omp-net', '--paper'])!.settings).toMatchObject({ ...paper, kind: 'omp-net', m: 20, layers: 10 });
    expect(parseTrainArgs(['iht-net', '--paper'])!.settings).toMatchObject({ ...paper, kind: 'iht-net', m: 36, layers: 30, eta: 0.5 });
    expect(parseTrainArgs(['omp-net', '--paper', '--epochs', '3', '--seed', '7', '--out', 'x'])).toMatchObject({ settings: { epochs: 3, seed: 7 }, out: 'x', workers: 1 });
    expect(parseTrainArgs(['omp-net', '--preset', 'quick-fourier'])!.settings).toEqual(PRESETS['quick-fourier']['omp-net']);
    expect(parseTrainArgs(['omp-net', '--matrix', 'fourier'])!.settings.matrix).toBe('fourier');
  });

  it('rejects bad command lines with a usage error', () => {
    const bad: [string[], RegExp][] = [
      [[], /name the net, omp-net or iht-net/],
      [['lista'], /name the net.*received "lista"/],
      [['omp-net', '--quick', '--paper'], /exclude each other/],
      [['omp-net', '--paper', '--paper-dct'], /--quick, --paper, --paper-dct and --preset exclude each other \(received --paper and --paper-dct\)/],
      [['omp-net', '--paper', '--preset', 'quick'], /exclude each other/],
      [['omp-net', '--preset', 'huge'], /--preset must be one of quick, quick-fourier, paper, paper-dct, received "huge"/],
      [['omp-net', '--matrix', 'hadamard'], /--matrix must be dct, gaussian or fourier/],
      [['omp-net', '--paper', '--workers', '2'], /--workers applies to the real nets; the complex nets/],
      [['iht-net', '--matrix', 'fourier', '--resume'], /--resume applies to the real nets; the complex nets/],
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

  it('--paper trains the complex nets (tiny epoch counts) and writes a net loadComplexNet restores', async () => {
    const cdir = join(dir, 'complex');
    // OMP-Net: the paper's setting as is (1024 / 512 / 512 signals), 2 epochs
    const lines: string[] = [];
    expect(await trainCommand(['omp-net', '--paper', '--epochs', '2', '--seed', '3', '--out', cdir], (s) => lines.push(s))).toBe(0);
    expect(lines.join('\n')).toMatch(/OMP-Net: complex partial Fourier A 20 x 256/);
    const j = JSON.parse(readFileSync(join(cdir, 'omp-net.json'), 'utf8'));
    expect(j.settings).toMatchObject({ matrix: 'fourier', m: 20, n: 256, layers: 10, epochs: 2, seed: 3 });
    expect(j.curves).toHaveLength(2);
    expect(j.weights).toHaveLength(256);
    for (const f of ['omp-net-loss.svg', 'omp-net-errors.svg', 'omp-net-weights.svg']) expect(readFileSync(join(cdir, f), 'utf8')).toMatch(/^<\?xml|^<svg/);
    expect(existsSync(join(cdir, 'omp-net.checkpoint.json'))).toBe(false); // the complex nets keep none
    const text = readFileSync(join(cdir, 'omp-net.net.json'), 'utf8');
    expect(() => loadNet(text)).toThrow(/load it with loadComplexNet/);
    const net = loadComplexNet(text);
    expect(net).toBeInstanceOf(ComplexOmpNet);
    expect(Array.from(net.w)).toEqual(j.weights);
    expect(net.meta).toMatchObject({ bestEpoch: j.bestEpoch });
    // the saved net is the trained one: it reproduces the test MSE written in the JSON
    const fam = structuredSparse({ n: 256, s: 10, K: 20, m: 20, matrix: 'fourier', sigma: 1e-3, seed: 3 }) as FourierStructuredSparse;
    expect(net.evaluate(fam.sample(512, streamSeed(3, 3))).mse).toBe(j.final.soft.test.mse);
    // IHT-Net: the paper's net (m 36, 30 layers, eta 0.5), 1 epoch on fewer signals
    expect(await trainCommand(['iht-net', '--paper', '--epochs', '1', '--train', '128', '--val', '64', '--test', '64', '--out', cdir], () => {})).toBe(0);
    const ji = JSON.parse(readFileSync(join(cdir, 'iht-net.json'), 'utf8'));
    const iht = loadComplexNet(readFileSync(join(cdir, 'iht-net.net.json'), 'utf8'));
    expect(iht).toBeInstanceOf(ComplexIhtNet);
    expect(iht).toMatchObject({ m: 36, n: 256, layers: 30, eta: 0.5, sparsity: 10, tau: 1e-3 });
    expect(Array.from(iht.w)).toEqual(ji.weights);
  });
});

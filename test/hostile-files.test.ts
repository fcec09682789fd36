// Saved nets and checkpoints are untrusted files: declared sizes, nesting and
// every field are checked before anything is built or resumed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { init, loadNet, MAX_NET_MATRIX_ENTRIES, memoryLimit, OmpNet, readCheckpoint, setMemoryLimit, structuredSparse } from '../src/index.js';
import type { NetJSON } from '../src/index.js';

/** 32-bit FNV-1a written out here, independently of src/nets. */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** A saved OMP-Net over a DCT of m rows and length n (rows 0..m-1), checksum recomputed as a forger would. */
function forgedDctNet(m: number, n: number, weights = 4): NetJSON {
  const j: Record<string, unknown> = {
    format: 'sparse-pursuit/unrolled-net', version: 1, kind: 'omp-net',
    matrix: { kind: 'dct', m, n, rows: Array.from({ length: m }, (_, i) => i) },
    settings: { layers: 2, tau: 0.01 }, weights: new Array(weights).fill(1),
  };
  j.checksum = fnv(JSON.stringify([j.kind, j.matrix, j.settings, j.weights]));
  return j as unknown as NetJSON;
}

const dir = mkdtempSync(join(tmpdir(), 'sp-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await init();
});
const limit0 = memoryLimit();
afterEach(() => setMemoryLimit(limit0));

describe('loadNet on hostile files', () => {
  it('refuses a small file declaring a DCT of 128 x 2^20 (1 GiB) before building it', () => {
    const j = forgedDctNet(128, 2 ** 20, 2 ** 20);
    expect(() => loadNet(j)).toThrow(new RangeError(`loadNet: the matrix of a saved net must have at most ${MAX_NET_MATRIX_ENTRIES} entries (MAX_NET_MATRIX_ENTRIES), received m = 128, n = 1048576 (134217728 entries, 1073741824 bytes)`));
  });

  it('refuses m = n = 2^20 with the same clear RangeError (not a raw typed-array error)', () => {
    expect(() => loadNet(JSON.stringify(forgedDctNet(2 ** 20, 2 ** 20)))).toThrow(/^loadNet: the matrix of a saved net must have at most 16777216 entries/);
  });

  it('refuses a matrix above the memory limit', () => {
    setMemoryLimit(2 ** 24);
    expect(() => loadNet(forgedDctNet(1024, 4096, 4096))).toThrow(/^loadNet: the matrix of the saved net \(m = 1024, n = 4096\) needs 33554432 bytes, more than the memory limit of 16777216 bytes/);
  });

  it('still loads a legitimate DCT net at the limit\'s scale', () => {
    const net = loadNet(forgedDctNet(8, 64, 64));
    expect(net.m).toBe(8);
    expect(net.n).toBe(64);
  });

  it('refuses nesting 10000 deep with a message, not a stack overflow', () => {
    const j = forgedDctNet(4, 8, 8) as unknown as Record<string, unknown>;
    let deep: unknown = 1;
    for (let i = 0; i < 10000; i++) deep = [deep];
    j.settings = { layers: 2, tau: 0.01, extra: deep };
    expect(() => loadNet(j as unknown as NetJSON)).toThrow(/^loadNet: the saved net is nested more than 64 deep: not a saved net$/);
  });
});

describe('checkpoints on hostile edits', () => {
  const fam = structuredSparse({ n: 32, s: 2, K: 4, m: 12, matrix: 'gaussian', sigma: 1e-3, seed: 3 });
  const train = fam.sample(48, 7);
  const path = join(dir, 'ckpt.json');
  const opts = { batchSize: 16, seed: 1, checkpoint: path };
  beforeAll(async () => {
    await new OmpNet(fam.spec, { layers: 2, tau: 0.02 }).train(train, { ...opts, epochs: 2 });
  });
  const edited = (edit: (c: { net: unknown; state: Record<string, unknown>; stateChecksum?: string }) => void, resum: boolean) => {
    const c = JSON.parse(readFileSync(path, 'utf8'));
    edit(c);
    if (resum) c.stateChecksum = fnv(JSON.stringify(c.state));
    const p = join(dir, `edited-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(p, JSON.stringify(c));
    return p;
  };
  const resume = (p: string) => new OmpNet(fam.spec, { layers: 2, tau: 0.02 }).train(train, { ...opts, checkpoint: p, epochs: 400, resume: true });
  const nullBest = (c: { state: Record<string, unknown> }) => {
    (c.state.best as { w: unknown[] }).w = (c.state.best as { w: unknown[] }).w.map(() => null);
    c.state.epoch = 399;
  };

  it('a state edited without its checksum is refused', async () => {
    const err = await resume(edited(nullBest, false)).catch((e) => e);
    expect(String(err.message)).toMatch(/^readCheckpoint: .*: state checksum mismatch \(file says "[0-9a-f]{8}", contents give '[0-9a-f]{8}'\): the file was edited or damaged$/);
  });

  it('a state without a checksum is refused', async () => {
    await expect(resume(edited((c) => delete c.stateChecksum, false))).rejects.toThrow(/the state has no checksum \(stateChecksum\)/);
  });

  it('best.w of nulls is refused even with the checksum recomputed', async () => {
    await expect(resume(edited((c) => { (c.state.best as { w: unknown[] }).w[3] = null; }, true))).rejects.toThrow(/^train: resume\.best\.w must be 32 finite numbers, received an array of length 32 with 1 not finite$/);
  });

  it('an epoch that disagrees with the history is refused (epoch 399 after 2 epochs)', async () => {
    await expect(resume(edited((c) => { c.state.epoch = 399; }, true))).rejects.toThrow(/^train: resume\.history must hold one record per completed epoch \(399\)/);
  });

  it.each([
    ['best.epoch', (s: Record<string, unknown>) => { (s.best as Record<string, unknown>).epoch = 7; }, /resume\.best\.epoch must be an integer in \[0, 2\]/],
    ['best.loss', (s: Record<string, unknown>) => { (s.best as Record<string, unknown>).loss = -1; }, /resume\.best\.loss must be a finite number >= 0/],
    ['optimizer', (s: Record<string, unknown>) => { (s.optimizer as Record<string, unknown>).v = [null]; }, /^train: resume\.optimizer: v must be 32 finite numbers/],
    ['rng', (s: Record<string, unknown>) => { s.rng = { s: [1, 2], spare: null }; }, /^train: resume\.rng: state must be/],
    ['seconds', (s: Record<string, unknown>) => { s.seconds = 'soon'; }, /resume\.seconds must be a finite number >= 0/],
  ])('a bad %s is refused with the checksum recomputed', async (_w, edit, re) => {
    await expect(resume(edited((c) => edit(c.state), true))).rejects.toThrow(re);
  });

  it('an untouched checkpoint still resumes', async () => {
    const c = await readCheckpoint(path);
    expect(c!.state.epoch).toBe(2);
    const r = await new OmpNet(fam.spec, { layers: 2, tau: 0.02 }).train(train, { ...opts, checkpoint: path, epochs: 3, resume: true });
    expect(r.epochs).toBe(3);
  });
});

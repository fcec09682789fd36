// Property-based fuzzing of untrusted inputs and outputs: saved nets that
// declare large matrices or nest deeply (checksum recomputed, as a forger
// would), hand-edited checkpoints, .npy headers declaring huge shapes against
// a memory budget, symlinks planted at output paths, and WASM blocks near 1,
// 2 and 4 GiB. Properties: a clear one-line error naming the function or the
// file, or a correct result; never a stack overflow, a raw engine error, a
// write through a symlink, or a leaked block.
import { chmodSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, loadNet, MAX_NET_MATRIX_ENTRIES, OmpNet, structuredSparse } from '../src/index.js';
import { alloc, f64View, free, liveBytes, memoryLimit } from '../src/core/wasm.js';
import { writeFileAtomicSync } from '../src/io/atomic.js';
import { InputError, readTable } from '../src/io/files.js';
import { count, FUZZ_SEED, runs, tried } from './fuzz/gen.js';

const DIR = resolve(__dirname, '../test-output/fuzz-hostile');

beforeAll(async () => {
  await init();
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
});
afterAll(() => {
  const total = [...tried.values()].reduce((a, b) => a + b, 0);
  console.log(`fuzz-hostile: ${total} cases (${[...tried].map(([k, v]) => `${k} ${v}`).join(', ')})`);
});

/** 32-bit FNV-1a, written out here independently of src/. */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** A one-line TypeError/RangeError starting with `fn: `. */
function clearError(e: unknown, fn: string): void {
  const msg = (e as Error)?.message ?? String(e);
  expect(e instanceof TypeError || e instanceof RangeError, `${(e as Error)?.constructor?.name}: ${msg}`).toBe(true);
  expect(msg.startsWith(`${fn}: `), msg).toBe(true);
  expect(msg).not.toMatch(/\n|Maximum call stack|Invalid typed array length|Array buffer allocation failed/);
}

const nested = (depth: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

describe('hostile saved nets', () => {
  it('declared sizes: refused before building above MAX_NET_MATRIX_ENTRIES or the memory limit, loaded otherwise', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.boolean(), fc.boolean(),
      (em, en, dct, asText) => {
        count('net sizes');
        // m and n log-uniform in [1, 2^20]; the rows/data arrays stay small (a forged file need not carry them)
        const m = 2 ** em;
        const n = Math.max(m, 2 ** en);
        const big = m * n > MAX_NET_MATRIX_ENTRIES || 8 * m * n > memoryLimit();
        const small = m * n <= 4096;
        const matrix = dct
          ? { kind: 'dct', m, n, rows: small ? Array.from({ length: m }, (_, i) => i) : [0] }
          : { kind: 'dense', m, n, data: small ? new Array(m * n).fill(0.5) : [1] };
        const j: Record<string, unknown> = {
          format: 'sparse-pursuit/unrolled-net', version: 1, kind: 'omp-net', matrix,
          settings: { layers: 2, tau: 0.01 }, weights: new Array(small ? n : 1).fill(1),
        };
        j.checksum = fnv(JSON.stringify([j.kind, j.matrix, j.settings, j.weights]));
        try {
          const net = loadNet(asText ? JSON.stringify(j) : (j as never));
          expect(big).toBe(false);
          expect([net.m, net.n]).toEqual([m, n]);
        } catch (e) {
          clearError(e, 'loadNet');
          if (big) expect((e as Error).message).toMatch(/at most \d+ entries|more than the memory limit/);
        }
      }), { numRuns: runs(60), seed: FUZZ_SEED });
  });

  it('nesting up to 20000 deep anywhere in the file: a clear error, never a stack overflow', () => {
    const fam = structuredSparse({ n: 16, s: 2, K: 4, m: 8, matrix: 'dct', sigma: 0, seed: 1 });
    const base = new OmpNet(fam.spec, { layers: 2, tau: 0.05 }).toJSON() as unknown as Record<string, unknown>;
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 20000 }), fc.constantFrom('settings', 'matrix', 'weights', 'meta', 'checksum', 'kind'), fc.boolean(), fc.boolean(),
      (depth, key, resum, asText) => {
        count('net nesting');
        const j = structuredClone(base);
        j[key] = key === 'settings' ? { ...(j.settings as object), extra: nested(depth, 1) } : nested(depth, j[key]);
        let text: string | null = null;
        try {
          if (resum && key !== 'checksum') j.checksum = fnv(JSON.stringify([j.kind, j.matrix, j.settings, j.weights]));
          if (asText) text = JSON.stringify(j);
        } catch {
          return; // too deep for the engine's own JSON.stringify: the forger cannot write this file
        }
        try {
          loadNet(text ?? (j as never));
        } catch (e) {
          clearError(e, 'loadNet');
          return;
        }
        expect(depth).toBeLessThanOrEqual(64); // loaded: then it was not deeper than MAX_JSON_DEPTH (64)
      }), { numRuns: runs(40), seed: FUZZ_SEED });
  });
});

describe('hostile checkpoints', () => {
  const fam = structuredSparse({ n: 16, s: 2, K: 4, m: 8, matrix: 'gaussian', sigma: 1e-3, seed: 5 });
  const set = fam.sample(24, 6);
  const path = join(DIR, 'ckpt.json');
  const opts = { batchSize: 12, seed: 2 };
  let original = '';
  beforeAll(async () => {
    await new OmpNet(fam.spec, { layers: 2, tau: 0.05 }).train(set, { ...opts, epochs: 2, checkpoint: path });
    original = readFileSync(path, 'utf8');
  });
  const VALUES = [null, NaN, -1, 0, 1.5, 1e308, 'x', [], {}, [null], 399, true];
  const FIELDS = ['epoch', 'w', 'best', 'best.w', 'best.w.0', 'best.epoch', 'best.loss', 'history', 'optimizer', 'optimizer.v', 'optimizer.t',
    'rng', 'rng.s', 'skippedSteps', 'seconds', 'settings.lr', 'format', 'version'];

  it('edited fields (checksum recomputed or not): refused naming train/readCheckpoint, or resumed to finite weights', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...FIELDS), fc.integer({ min: 0, max: VALUES.length - 1 }), fc.boolean(),
      async (field, vi, resum) => {
        count('checkpoint edits');
        const c = JSON.parse(original);
        const parts = field.split('.');
        let o = c.state;
        for (const p of parts.slice(0, -1)) o = o[p];
        o[parts.at(-1)!] = VALUES[vi];
        if (resum) c.stateChecksum = fnv(JSON.stringify(c.state));
        const p = join(DIR, 'edited.json');
        writeFileSync(p, JSON.stringify(c));
        const net = new OmpNet(fam.spec, { layers: 2, tau: 0.05 });
        try {
          await net.train(set, { ...opts, epochs: 3, checkpoint: p, resume: true });
        } catch (e) {
          const msg = (e as Error).message;
          expect(e instanceof TypeError || e instanceof RangeError, msg).toBe(true);
          expect(msg).toMatch(/^(train|readCheckpoint): /);
          expect(msg).not.toMatch(/\n/);
          return;
        }
        // only an edit that keeps the state valid may resume (checksum recomputed, or a value that was already there)
        expect(resum || JSON.stringify(c.state) === JSON.stringify(JSON.parse(original).state)).toBe(true);
        expect(Array.from(net.w).every(Number.isFinite)).toBe(true);
      }), { numRuns: runs(30), seed: FUZZ_SEED });
  });
});

describe('declared .npy sizes against a budget', () => {
  it('a header claiming any shape is refused from the header when it exceeds the budget, naming the file', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 2 ** 21 }), fc.integer({ min: 1, max: 2 ** 21 }), fc.constantFrom('<f4', '<f8', '>f8'), fc.integer({ min: 16, max: 36 }),
      (r, c, descr, budgetExp) => {
        count('npy declared sizes');
        let h = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${r}, ${c}), }`;
        h += ' '.repeat(63 - ((10 + h.length) % 64)) + '\n';
        const buf = new Uint8Array(10 + h.length + 16);
        buf.set([0x93, 78, 85, 77, 80, 89, 1, 0]);
        new DataView(buf.buffer).setUint16(8, h.length, true);
        for (let i = 0; i < h.length; i++) buf[10 + i] = h.charCodeAt(i);
        const file = join(DIR, 'declared.npy');
        writeFileSync(file, buf);
        const budget = { bytes: 2 ** budgetExp, why: 'the test budget' };
        try {
          readTable(file, budget);
          expect(r * c * (descr === '<f4' ? 4 : 8)).toBe(16);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          const msg = (e as Error).message;
          expect(msg.startsWith(`${file}: `), msg).toBe(true);
          if (r * c * 8 > budget.bytes) expect(msg).toMatch(/refused before reading|more than the 2147483647 a table can hold/);
        }
      }), { numRuns: runs(60), seed: FUZZ_SEED });
  });
});

describe('symlinked output paths', () => {
  it('an atomic write never writes through a symlink and keeps an existing file\'s mode', () => {
    fc.assert(fc.property(
      fc.constantFrom('none', 'file', 'symlink', 'dangling'), fc.constantFrom(0o600, 0o640, 0o644, 0o755), fc.string({ maxLength: 200 }),
      (before, mode, text) => {
        count('symlinked outputs');
        const d = join(DIR, 'links');
        rmSync(d, { recursive: true, force: true });
        mkdirSync(d);
        const victim = join(d, 'victim');
        writeFileSync(victim, 'precious');
        chmodSync(victim, 0o600);
        const target = join(d, 'out.json');
        if (before === 'file') {
          writeFileSync(target, 'old');
          chmodSync(target, mode);
        } else if (before === 'symlink') symlinkSync(victim, target);
        else if (before === 'dangling') symlinkSync(join(d, 'nowhere', 'x'), target);
        writeFileAtomicSync(target, text);
        expect(readFileSync(victim, 'utf8')).toBe('precious');
        expect(lstatSync(target).isSymbolicLink()).toBe(false);
        expect(readFileSync(target, 'utf8')).toBe(text);
        if (before === 'file') expect(statSync(target).mode & 0o777).toBe(mode);
        if (before === 'symlink') expect(statSync(target).mode & 0o777).toBe(0o600); // the mode of what the link pointed to
      }), { numRuns: runs(40), seed: FUZZ_SEED });
  });
});

describe('WASM blocks near 1, 2 and 4 GiB', () => {
  it('allocate and address their ends, or are refused with the reason; freed, nothing stays live', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.constantFrom(1, 2, 3, 4), fc.integer({ min: -4096, max: 4096 })), { minLength: 1, maxLength: 4 }),
      (blocks) => {
        count('large blocks');
        const live0 = liveBytes();
        const got: [number, number][] = [];
        try {
          for (const [g, d] of blocks) {
            const bytes = Math.max(8, 8 * Math.floor((g * 2 ** 30 + d * 65536) / 8));
            try {
              const p = alloc(bytes);
              got.push([p, bytes]);
              f64View(p + bytes - 8, 1)[0] = g;
              expect(f64View(p + bytes - 8, 1)[0]).toBe(g);
            } catch (e) {
              expect(e).toBeInstanceOf(RangeError);
              expect((e as Error).message).toMatch(/^sparse-pursuit: (a buffer needs \d+ bytes of WASM memory|could not allocate \d+ bytes of WASM memory: )/);
            }
          }
        } finally {
          for (const [p] of got) free(p);
        }
        expect(liveBytes()).toBe(live0);
      }), { numRuns: runs(8), seed: FUZZ_SEED });
  });
});

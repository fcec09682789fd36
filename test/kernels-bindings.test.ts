// The typed kernel bindings: generated from what asc says the module exports
// (a stale src/core/kernels.ts fails here), checked by the compiler (the two
// expect-error directives below fail `tsc` if a wrong name or arity ever compiles),
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, liveBytes, Matrix, omp, Operator } from '../src/index.js';
import { gaussianProblem } from '../src/data/problems.js';
import { alloc, f64View, free, wasm } from '../src/core/wasm.js';
import { decodeStatus } from '../src/core/status.js';
import { KERNEL_NAMES, USIZE_RESULTS } from '../src/core/kernels.js';

beforeAll(async () => {
  await init();
});

describe('kernel bindings', () => {
  it('src/core/kernels.ts is what the current build declares', () => {
    expect(() => execFileSync(process.execPath, ['scripts/gen-kernel-bindings.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('binds every export of the module, and nothing else', () => {
    const w = wasm() as unknown as Record<string, unknown>;
    for (const name of KERNEL_NAMES) expect(typeof w[name], name).toBe('function');
    expect(USIZE_RESULTS.has('alloc')).toBe(true);
    expect(USIZE_RESULTS.has('dot')).toBe(false);
  });

  it('a wrong kernel name or arity does not compile', () => {
    const w = wasm();
    const p = alloc(16);
    try {
      // @ts-expect-error: no such kernel
      expect(() => w.dott(p, p, 1)).toThrow(TypeError);
      // @ts-expect-error: dot takes (x, y, n)
      expect(w.dot(p, p)).toBe(0);
      expect(w.dot(p, p, 0)).toBe(0);
    } finally {
      free(p);
    }
  });

  it('usize results are read unsigned', () => {
    // a workspace size in [2^31, 2^32) would be negative if read signed
    const m = 16384;
    let k = 1;
    while (wasm().ompWorkspace64(m, m, k) < 2 ** 31) k += 256;
    const exact = wasm().ompWorkspace64(m, m, k);
    expect(exact).toBeLessThan(2 ** 32);
    expect(wasm().ompWorkspace(m, m, k)).toBe(exact);
  });

  it('an unknown status code throws instead of passing for a status', () => {
    expect(decodeStatus('omp', 0)).toBe('converged');
    expect(decodeStatus('omp', 3)).toBe('diverged');
    expect(() => decodeStatus('omp', 42)).toThrow(/omp: the WASM kernel returned status code 42/);
    expect(() => decodeStatus('softOmp', 1, ['converged', 'premature', 'diverged'])).toThrow(/softOmp: .*status code 1/);
  });

  it('memory above 2 GiB: addresses stay positive, operators and solves work there', () => {
    // A above the allocator's large-block threshold (32 MiB), so it is placed after the blocks below
    const { A, y } = gaussianProblem({ m: 2000, n: 2400, k: 3, seed: 9 });
    omp(A, y, { k: 3 }); // the scratch block has its full size before liveBytes is taken
    const held = liveBytes();
    // three 900 MB blocks, never written (the pages stay untouched): the next ones land above 2^31
    const blocks = [alloc(900e6), alloc(900e6), alloc(900e6)];
    try {
      expect(blocks.every((b) => b > 0)).toBe(true);
      expect(Math.max(...blocks) + 900e6).toBeGreaterThan(2 ** 31);
      const op = Operator.dense(A);
      try {
        expect(op.ptr).toBeGreaterThan(2 ** 31);
        expect(f64View(op.ptr, 2000 * 2400)[2000 * 2400 - 1]).toBe(A.data[2000 * 2400 - 1]);
        const here = omp(op, y, { k: 3 });
        const js = omp(new Matrix(2000, 2400, A.data), y, { k: 3, backend: 'js' });
        expect(Array.from(here.support)).toEqual(Array.from(js.support));
        expect(here.residualNorm).toBeCloseTo(js.residualNorm, 10);
      } finally {
        op.dispose();
      }
    } finally {
      for (const b of blocks) free(b);
    }
    expect(liveBytes()).toBe(held);
  });
});

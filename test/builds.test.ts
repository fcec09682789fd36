// The two WASM builds. This file loads the scalar build on the main thread
// (vitest runs each test file in its own module graph) and the SIMD build in
// one pool worker, and compares them.
import type { SolverName } from '../src/solvers/registry.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendInfo, init, Matrix, omp, Operator, simdSupported, solveBatch } from '../src/index.js';
import { SolverPool } from '../src/parallel/pool.js';
import { gaussianProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import { chooseBuild } from '../src/core/wasm.js';

let simdPool: SolverPool;

beforeAll(async () => {
  await init({ simd: false });
  simdPool = await SolverPool.create({ workers: 1, simd: true });
});

afterAll(async () => {
  await simdPool?.terminate();
});

describe('SIMD and scalar builds', () => {
  it('init({ simd: false }) loads the scalar build and reports it; the probe finds SIMD on this engine', () => {
    expect(backendInfo()).toEqual({ build: 'scalar', simdSupported: true });
    expect(simdSupported()).toBe(true);
    expect(simdPool.build).toBe('simd');
  });

  it('chooses the build from the request and the engine', () => {
    expect(chooseBuild(undefined, true)).toBe('simd');
    expect(chooseBuild(undefined, false)).toBe('scalar');
    expect(chooseBuild(false, true)).toBe('scalar');
    expect(chooseBuild(true, true)).toBe('simd');
    expect(() => chooseBuild(true, false)).toThrow(/init: simd must be false or undefined on this engine .* received true/);
  });

  it('the scalar and SIMD builds give the same bits (every kernel adds in the same order on both), OMP on both paths and the other solvers', async () => {
    // The issue asks for agreement to 1e-12; the kernels are written so that
    // the scalar paths sum exactly as the f64x2 lanes do (assembly/blas.ts,
    // assembly/gram.ts), so the builds agree exactly, and that is what is held.
    let cases = 0;
    for (let s = 0; s < 6; s++) {
      const rng = new Rng(90 + s);
      const m = 17 + rng.int(100);
      const n = 9 + rng.int(200);
      const k = 1 + rng.int(Math.min(m, n, 30));
      const { A } = gaussianProblem({ m, n, k, seed: 900 + s, normalize: s % 2 === 0 });
      const p = 5;
      const Y = new Matrix(m, p, rng.normals(m * p));
      const runs: Array<[string, Record<string, unknown>]> = [
        ['omp', { precompute: false }], ['omp', { precompute: true }], ['niht', {}], ['cosamp', {}], ['sp', {}], ['iht', { maxIter: 50 }],
      ];
      for (const [solver, extra] of runs) {
        const scalar = solveBatch(solver as SolverName, A, Y, { k, ...extra });
        const simd = await simdPool.solveBatch(solver, A, Y, { k, ...extra });
        expect(Array.from(scalar.X)).toEqual(Array.from(simd.X));
        expect(scalar.status).toEqual(simd.status);
        expect(Array.from(scalar.residualNorm)).toEqual(Array.from(simd.residualNorm));
        for (let j = 0; j < p; j++) expect(Array.from(scalar.support[j])).toEqual(Array.from(simd.support[j]));
        cases++;
      }
    }
    expect(cases).toBe(36);
  });

  it('the scalar build solves the usual problems (exact recovery, Operator path)', () => {
    const p = gaussianProblem({ m: 64, n: 128, k: 5, seed: 4 });
    const op = Operator.dense(p.A);
    const r = omp(op, p.y, { k: 5 });
    expect(Array.from(r.support)).toEqual(Array.from(p.support));
    op.dispose();
  });
});

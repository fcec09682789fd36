// Statuses that say what happened: every solver returns the best iterate it
// has seen (x = 0 included) and never calls a worse one 'converged'; an
// all-zero A says so; IHT's fixed point away from the data is not 'converged'.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sp from '../src/index.js';
import { init, Matrix } from '../src/index.js';
import type { SolveResult } from '../src/index.js';
import { gaussianProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';

beforeAll(async () => {
  await init();
});

type Solve = (A: unknown, y: ArrayLike<number>, o: object) => SolveResult;
const SOLVERS = ['omp', 'iht', 'niht', 'htp', 'cosamp', 'sp', 'sea', 'ompr', 'els'] as const;
const solver = (name: string) => (sp as unknown as Record<string, Solve>)[name];
const BACKENDS = ['wasm', 'js'] as const;

function residual(A: number[][], x: Float64Array, y: number[]): number {
  return Math.hypot(...y.map((yi, i) => yi - A[i].reduce((s, a, j) => s + a * x[j], 0)));
}

describe('best iterate and honest statuses', () => {
  it('CoSaMP on a problem where it cycles to a worse support returns the best iterate, status stalled', () => {
    const A = [[-2, 2, 3, -2], [3, 2, -2, 4], [1, -2, -2, 1]];
    const y = [4, 0, 1];
    const ynorm = Math.hypot(...y);
    for (const backend of BACKENDS) {
      const r = sp.cosamp(A, y, { k: 2, backend });
      // before: x = [-32, 0, 0, 21], ||r|| = 24.7, 'converged'
      expect(r.residualNorm).toBeLessThanOrEqual(ynorm);
      expect(r.status).toBe('stalled');
      expect(Math.abs(residual(A, r.x, y) - r.residualNorm)).toBeLessThan(1e-12);
    }
  });

  it('no solver returns an x worse than x = 0, and none calls such a stop converged (random small problems, both backends)', () => {
    let stalled = 0;
    for (let s = 0; s < 60; s++) {
      const rng = new Rng(400 + s);
      const m = 3 + rng.int(6);
      const n = m + rng.int(8);
      const k = 1 + rng.int(Math.min(m, n) - 1);
      const A = Array.from({ length: m }, () => Array.from(rng.normals(n)));
      const y = Array.from(rng.normals(m));
      const ynorm = Math.hypot(...y);
      for (const name of SOLVERS) {
        for (const backend of BACKENDS) {
          const r = solver(name)(A, y, { k, backend });
          expect(r.residualNorm, `${name} ${backend} seed ${s}`).toBeLessThanOrEqual(ynorm * (1 + 1e-12));
          expect(Math.abs(residual(A, r.x, y) - r.residualNorm)).toBeLessThan(1e-9 * (1 + ynorm));
          if (r.status === 'stalled') stalled++;
        }
      }
    }
    expect(stalled).toBeGreaterThan(0); // the rule is exercised, not just vacuous
  });

  it('an all-zero A with nonzero y gives x = 0, residualNorm = ||y||, status zeroMatrix (every solver, both backends, batch)', () => {
    const Z = new Matrix(4, 6, new Float64Array(24));
    const y = [1, -2, 0.5, 3];
    for (const name of SOLVERS) {
      for (const backend of BACKENDS) {
        const r = solver(name)(Z, y, { k: 2, backend });
        expect(r.status, `${name} ${backend}`).toBe('zeroMatrix');
        expect(Array.from(r.x).every((v) => v === 0)).toBe(true);
        expect(r.residualNorm).toBeCloseTo(Math.hypot(...y), 14);
        expect(r.support.length).toBe(0);
      }
    }
    const Y = new Matrix(4, 2, new Float64Array([1, 2, 3, 4, 0, 0, 0, 0]));
    expect(sp.ompBatch(Z, Y, { k: 2 }).status).toEqual(['zeroMatrix', 'converged']);
    expect(sp.htpBatch(Z, Y, { k: 2 }).status).toEqual(['zeroMatrix', 'converged']);
  });

  it('IHT and NIHT: a fixed point that fits the data is converged, one that does not is fixedPoint (or stalled when an earlier iterate was better)', () => {
    const exact = gaussianProblem({ m: 60, n: 120, k: 4, seed: 11 });
    for (const name of ['iht', 'niht']) {
      for (const backend of BACKENDS) {
        expect(solver(name)(exact.A, exact.y, { k: 4, backend }).status).toBe('converged');
      }
    }
    let fixed = 0;
    for (let s = 0; s < 6; s++) {
      const noisy = gaussianProblem({ m: 60, n: 120, k: 4, seed: 20 + s, sigma: 0.5 });
      for (const name of ['iht', 'niht']) {
        for (const backend of BACKENDS) {
          const r = solver(name)(noisy.A, noisy.y, { k: 4, backend });
          expect(['fixedPoint', 'stalled', 'maxIter']).toContain(r.status);
          if (r.status === 'fixedPoint') fixed++;
        }
      }
    }
    expect(fixed).toBeGreaterThan(0);
  });
});

describe('SEA stops when exploration can no longer change the best iterate', () => {
  it('an exact fit ends the run at once (converged, far below maxIter); on tol likewise; both backends', () => {
    for (let s = 0; s < 5; s++) {
      const P = gaussianProblem({ m: 64, n: 256, k: 4, seed: 60 + s });
      for (const backend of BACKENDS) {
        const r = sp.sea(P.A, P.y, { k: 4, backend });
        expect(r.status).toBe('converged');
        expect(r.residualNorm).toBeLessThan(1e-8 * Math.hypot(...P.y));
        expect(r.iterations).toBeLessThan(200);
        const t = sp.sea(P.A, P.y, { k: 4, tol: 0.5, backend });
        expect(t.status).toBe('converged');
        expect(t.residualNorm).toBeLessThanOrEqual(0.5 * Math.hypot(...P.y));
        expect(t.iterations).toBeLessThanOrEqual(r.iterations);
      }
    }
  });
});

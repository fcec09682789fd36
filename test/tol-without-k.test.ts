// `tol` without `k`: the solvers whose descriptor says kFromTol (OMP, OMPR, ELS)
// then run with k = min(m, n) and stop on the residual; every other solver that
// takes k refuses, naming the ones that accept it. Single solves, batches and
// both backends. (OMP's own cases, and its path, are in omp-path.test.ts.)
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianProblem } from '../src/data/problems.js';
import { init, Matrix } from '../src/index.js';
import type { Backend } from '../src/index.js';
import { SOLVERS, SOLVER_NAMES, descriptorOf } from '../src/solvers/registry.js';
import { solveBatch } from '../src/index.js';
import { relDiff } from './helpers.js';

beforeAll(async () => {
  await init();
});

const backends: Backend[] = ['wasm', 'js'];
const fromTol = SOLVER_NAMES.filter((s) => descriptorOf(s).kFromTol);
const needK = SOLVER_NAMES.filter((s) => !descriptorOf(s).kFromTol && descriptorOf(s).takesK !== false);

describe('tol without k', () => {
  it('the solvers that stop on tol alone are the greedy ones that grow a fit atom by atom', () => {
    expect(fromTol).toEqual(['omp', 'ompr', 'els']);
  });

  for (const name of fromTol) {
    it.each(backends)(`${name} (%s): stops on the residual, as with k = min(m, n) and the same tol`, (backend) => {
      const pr = gaussianProblem({ m: 40, n: 90, k: 6, seed: 11, sigma: 1e-3 });
      const tol = 0.01;
      const r = SOLVERS[name](pr.A, pr.y, { tol, backend } as never);
      const full = SOLVERS[name](pr.A, pr.y, { tol, k: 40, backend });
      expect(Array.from(r.x)).toEqual(Array.from(full.x));
      expect(r.status).toBe('converged');
      expect(r.residualNorm).toBeLessThanOrEqual(tol * Math.hypot(...pr.y));
      // the true support is found: the residual stop came after the k true atoms, not before
      expect(Array.from(r.support)).toEqual(Array.from(pr.support).sort((a, b) => a - b));
    });

    // Batch-OMP (from the Gram matrix) agrees with the single solve to rounding; the column-wise batches bit for bit
    const exact = descriptorOf(name).batch === 'columns';
    it(`${name}: a batch with tol and no k equals the single solves column by column${exact ? ', bit for bit' : ', to rounding'}`, () => {
      const m = 30, n = 70;
      const cols = [1, 2, 3].map((s) => gaussianProblem({ m, n, k: 4, seed: 100 + s, sigma: 1e-4 }));
      // one A (seed 101's), three sparse signals
      const A = cols[0].A;
      const ys = cols.map((c) => {
        const y = new Float64Array(m);
        for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) y[i] += A.data[i + j * m] * c.x[j];
        return y;
      });
      const Y = new Matrix(m, 3, Float64Array.from(ys.flatMap((y) => Array.from(y))));
      const b = solveBatch(name, A, Y, { tol: 1e-6 } as never);
      for (let j = 0; j < 3; j++) {
        const one = SOLVERS[name](A, ys[j], { tol: 1e-6 } as never);
        const xj = b.X.subarray(j * n, (j + 1) * n);
        if (exact) expect(Array.from(xj)).toEqual(Array.from(one.x));
        else expect(relDiff(xj, one.x)).toBeLessThanOrEqual(1e-12);
        expect(Array.from(b.support[j])).toEqual(Array.from(one.support));
        expect(b.residualNorm[j]).toBeLessThanOrEqual(1e-6 * Math.hypot(...ys[j]));
      }
    });
  }

  it.each(needK)('%s: tol without k is a TypeError naming k and the solvers that accept it', (name) => {
    const pr = gaussianProblem({ m: 20, n: 40, k: 3, seed: 1 });
    expect(() => SOLVERS[name](pr.A, pr.y, { tol: 1e-6 } as never)).toThrow(
      new TypeError(`${name}: k must be an integer in [1, 20], received undefined (only omp, ompr and els stop on tol alone; ${name} needs its sparsity k)`));
  });
});

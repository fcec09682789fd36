// OMP with `tol` and no `k` (k then min(m, n), as scikit-learn), and `path: true`
// (the coefficients and residual norm after each atom, read off one QR): checked
// against re-running omp with k = 1..K, on both backends, and with scaled data.
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianProblem } from '../src/data/problems.js';
import { init, Matrix, omp } from '../src/index.js';
import type { Backend } from '../src/index.js';
import { relDiff } from './helpers.js';

beforeAll(async () => {
  await init();
});

const backends: Backend[] = ['wasm', 'js'];

describe('omp: tol without k', () => {
  it.each(backends)('%s: stops on the residual alone, as omp with k = min(m, n) and the same tol', (backend) => {
    const pr = gaussianProblem({ m: 40, n: 90, k: 6, seed: 11, sigma: 1e-3 });
    const r = omp(pr.A, pr.y, { tol: 0.01, backend });
    const full = omp(pr.A, pr.y, { tol: 0.01, k: 40, backend });
    expect(Array.from(r.support)).toEqual(Array.from(full.support));
    expect(Array.from(r.x)).toEqual(Array.from(full.x));
    const ynorm = Math.hypot(...pr.y);
    expect(r.residualNorm).toBeLessThanOrEqual(0.01 * ynorm);
    // one atom fewer does not meet tol: the stop is the residual, not a count
    const fewer = omp(pr.A, pr.y, { k: r.iterations - 1, backend });
    expect(fewer.residualNorm).toBeGreaterThan(0.01 * ynorm);
    expect(r.status).toBe('converged');
  });

  it('tol = 0 and no k runs to min(m, n) atoms (an exact fit when m < n)', () => {
    const pr = gaussianProblem({ m: 12, n: 30, k: 3, seed: 2, sigma: 0.1 });
    const r = omp(pr.A, pr.y, { tol: 0 });
    expect(r.iterations).toBeLessThanOrEqual(12);
    expect(r.residualNorm).toBeLessThanOrEqual(1e-8 * Math.hypot(...pr.y));
  });

  it('neither k nor tol: a TypeError naming both', () => {
    const pr = gaussianProblem({ m: 10, n: 20, k: 2, seed: 1 });
    expect(() => omp(pr.A, pr.y, {})).toThrow(new TypeError('omp: options must give k (an integer in [1, 10]) or tol (then k defaults to min(m, n) = 10), received neither'));
    expect(() => omp(pr.A, pr.y, { tol: 2 })).toThrow(RangeError);
  });
});

describe('omp: path', () => {
  const K = 9;
  it.each(backends)('%s: the coefficients and residual norm after t atoms equal omp with k = t, t = 1..K', (backend) => {
    const pr = gaussianProblem({ m: 48, n: 120, k: 7, seed: 5, sigma: 0.05 });
    const r = omp(pr.A, pr.y, { k: K, path: true, backend });
    const path = r.path!;
    expect(path.atoms).toHaveLength(K);
    expect(path.coefs.map((c) => c.length)).toEqual(Array.from({ length: K }, (_, i) => i + 1));
    expect(path.residualNorms[K - 1]).toBe(r.residualNorm);
    for (let t = 1; t <= K; t++) {
      const ref = omp(pr.A, pr.y, { k: t, backend });
      const x = new Float64Array(120);
      path.atoms.subarray(0, t).forEach((j, i) => (x[j] = path.coefs[t - 1][i]));
      expect(Array.from(path.atoms.subarray(0, t)).sort((a, b) => a - b)).toEqual(Array.from(ref.support));
      expect(relDiff(x, ref.x)).toBeLessThanOrEqual(1e-13);
      expect(Math.abs(path.residualNorms[t - 1] - ref.residualNorm)).toBeLessThanOrEqual(1e-13 * ref.residualNorm);
    }
    // the final step is the solution itself
    const last = new Float64Array(120);
    path.atoms.forEach((j, i) => (last[j] = path.coefs[K - 1][i]));
    expect(Array.from(last)).toEqual(Array.from(r.x));
    // residual norms decrease along the path
    for (let t = 1; t < K; t++) expect(path.residualNorms[t]).toBeLessThanOrEqual(path.residualNorms[t - 1]);
  });

  it('WASM and the JS twin give the same path', () => {
    const pr = gaussianProblem({ m: 30, n: 70, k: 5, seed: 9, sigma: 0.02 });
    const w = omp(pr.A, pr.y, { k: 8, path: true }).path!;
    const j = omp(pr.A, pr.y, { k: 8, path: true, backend: 'js' }).path!;
    expect(Array.from(w.atoms)).toEqual(Array.from(j.atoms));
    w.coefs.forEach((c, t) => expect(relDiff(c, j.coefs[t])).toBeLessThanOrEqual(1e-13));
    expect(relDiff(w.residualNorms, j.residualNorms)).toBeLessThanOrEqual(1e-13);
  });

  it.each(backends)('%s: with tol and no k, the path stops where the solve stops; scaled data scale the path exactly', (backend) => {
    const pr = gaussianProblem({ m: 32, n: 64, k: 4, seed: 3, sigma: 1e-4 });
    const r = omp(pr.A, pr.y, { tol: 1e-3, path: true, backend });
    expect(r.path!.atoms).toHaveLength(r.iterations);
    expect(r.path!.residualNorms).toHaveLength(r.iterations);
    // A * 2^600 and y * 2^300 are scaled inside (powers of two): x by 2^-300, residuals by 2^300
    const big = new Matrix(pr.A.m, pr.A.n, pr.A.data.map((v) => v * 2 ** 600));
    const s = omp(big, pr.y.map((v) => v * 2 ** 300), { tol: 1e-3, path: true, backend });
    expect(Array.from(s.path!.atoms)).toEqual(Array.from(r.path!.atoms));
    s.path!.coefs.forEach((c, t) => expect(Array.from(c)).toEqual(Array.from(r.path!.coefs[t], (v) => v * 2 ** -300)));
    expect(Array.from(s.path!.residualNorms)).toEqual(Array.from(r.path!.residualNorms, (v) => v * 2 ** 300));
  });

  it('path: false or absent gives no path; a non-boolean is a TypeError', () => {
    const pr = gaussianProblem({ m: 10, n: 20, k: 2, seed: 1 });
    expect(omp(pr.A, pr.y, { k: 2 }).path).toBeUndefined();
    expect(omp(pr.A, pr.y, { k: 2, path: false }).path).toBeUndefined();
    expect(() => omp(pr.A, pr.y, { k: 2, path: 'yes' as never })).toThrow(new TypeError('omp: path must be true or false, received "yes"'));
  });
});

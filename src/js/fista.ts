// FISTA for the LASSO, JS backend: the twin of assembly/solvers/fista.ts
// (same iteration, step, stopping rule and constants), written independently.
import { powerIteration, type Matrix } from '../core/matrix.js';
import type { RawResult } from '../core/types.js';
import { matTVec, matVec, norm2 } from './linalg.js';
import type { TwinOptions } from './support.js';

/** See assembly/solvers/fista.ts (its power iteration has the constants of Matrix.spectralNorm). */
export const FISTA_L_MARGIN = 1.05;
export const FISTA_GAP_EVERY = 10;

/** What fistaJs returns beyond a RawResult: lambda, the duality gap and the objective at x. */
export interface FistaRaw extends RawResult {
  lambda: number;
  dualityGap: number;
  objective: number;
}

const maxAbs = (v: Float64Array) => v.reduce((s, x) => Math.max(s, Math.abs(x)), 0);

/**
 * min 1/2 ||A x - y||^2 + lambda ||x||_1 with lambda = ratio * ||A^T y||_inf.
 * Stops when the duality gap is <= tol * ||y||^2 / 2 ('converged'), checked
 * every FISTA_GAP_EVERY iterations and at the last, else 'maxIter'.
 */
export function fistaJs(A: Matrix, y: Float64Array, o: Omit<TwinOptions, 'k'> & { ratio: number }): FistaRaw {
  const { tol, maxIter, ratio, x0 = null } = o;
  const { m, n, data } = A;
  const ynorm = norm2(y);
  const g = new Float64Array(n);
  matTVec(data, m, n, y, g);
  const lambda = ratio * maxAbs(g);
  const x = new Float64Array(n);
  const early = (residualNorm: number, status: RawResult['status']): FistaRaw => ({
    x, support: new Int32Array(0), residualNorm, iterations: 0, status, lambda, dualityGap: 0, objective: 0.5 * ynorm * ynorm,
  });
  if (ynorm === 0) return early(0, 'converged');
  const sigma = powerIteration(A); // as the kernel: estimated on every call, never from the matrix's cache
  if (!(sigma > 0)) return early(ynorm, 'zeroMatrix');
  const invL = 1 / (FISTA_L_MARGIN * sigma * sigma);
  const thr = lambda * invL;
  if (x0) x.set(x0);
  const z = Float64Array.from(x);
  const xp = new Float64Array(n);
  const r = new Float64Array(m);
  const residualOf = (v: Float64Array): number => {
    matVec(data, m, n, v, r);
    for (let i = 0; i < m; i++) r[i] = y[i] - r[i];
    return norm2(r);
  };
  let t = 1;
  let status: RawResult['status'] = 'maxIter';
  let it = 0;
  let rn = 0;
  let gap = 0;
  let objective = 0.5 * ynorm * ynorm;
  const goal = tol * 0.5 * ynorm * ynorm;
  while (it < maxIter) {
    residualOf(z);
    matTVec(data, m, n, r, g);
    xp.set(x);
    for (let j = 0; j < n; j++) {
      const w = z[j] + invL * g[j];
      x[j] = w > thr ? w - thr : w < -thr ? w + thr : 0;
    }
    const tn = 0.5 * (1 + Math.sqrt(1 + 4 * t * t));
    const beta = (t - 1) / tn;
    t = tn;
    for (let j = 0; j < n; j++) z[j] = x[j] + beta * (x[j] - xp[j]);
    it++;
    if (it % FISTA_GAP_EVERY === 0 || it === maxIter) {
      rn = residualOf(x);
      matTVec(data, m, n, r, g);
      const c = maxAbs(g);
      const s = c > lambda ? lambda / c : 1;
      let yr = 0;
      for (let i = 0; i < m; i++) yr += y[i] * r[i];
      let l1 = 0;
      for (let j = 0; j < n; j++) l1 += Math.abs(x[j]);
      objective = 0.5 * rn * rn + lambda * l1;
      gap = Math.max(objective - (s * yr - 0.5 * s * s * rn * rn), 0);
      if (gap <= goal) { status = 'converged'; break; }
    }
  }
  const support: number[] = [];
  for (let j = 0; j < n; j++) if (x[j] !== 0) support.push(j);
  return { x, support: Int32Array.from(support), residualNorm: rn, iterations: it, status, lambda, dualityGap: gap, objective };
}

// OMP, JS backend. Same rule and stopping tests as assembly/solvers/omp.ts.
import type { Matrix } from '../core/matrix.js';
import type { RawResult } from '../core/types.js';
import { matTVec } from './linalg.js';
import { HouseholderQR } from './qr.js';
import { argmaxAbs, selectionWeights } from './select.js';
import { CORR_TOL } from './constants.js';
import { startSolve, TwinOptions } from './support.js';

/**
 * `pathLen` > 0 (2k + k(k+1)/2): also returns the solution path in `extraOut`,
 * laid out as assembly/solvers/omp.ts writes it (residual norms after each atom,
 * the atoms in the order chosen, then the coefficients after s = 1..t atoms).
 */
export function ompJs(A: Matrix, y: Float64Array, o: Pick<TwinOptions, 'k' | 'tol'> & { pathLen?: number }): RawResult {
  const { k, tol, pathLen = 0 } = o;
  const { m, n, data } = A;
  const { ynorm, early } = startSolve(A, y);
  if (early) return early;
  const norms = A.colNorms();
  const { invNorm, skip } = selectionWeights(norms);
  const qr = new HouseholderQR(m, k, y);
  const r = Float64Array.from(y);
  const c = new Float64Array(n);
  const order: number[] = [];
  let rnorm = ynorm;
  let status: RawResult['status'] = 'converged';
  const rnorms: number[] = [];
  while (order.length < k) {
    if (rnorm <= tol * ynorm) break;
    matTVec(data, m, n, r, c);
    const j = argmaxAbs(c, invNorm, skip);
    if (j < 0) break;
    if (Math.abs(c[j]) * invNorm[j] <= CORR_TOL * ynorm) {
      if (rnorm > CORR_TOL * ynorm) status = 'premature';
      break;
    }
    if (qr.append(A.column(j), norms[j]) !== 'ok') {
      status = 'premature';
      break;
    }
    skip[j] = 1;
    order.push(j);
    rnorm = qr.residualNorm();
    if (pathLen > 0) rnorms.push(rnorm);
    if (order.length < k && rnorm > tol * ynorm) qr.residual(r);
  }
  const z = qr.solve();
  const x = new Float64Array(n);
  order.forEach((j, i) => (x[j] = z[i]));
  const support = Int32Array.from(order).sort();
  const result: RawResult = { x, support, residualNorm: rnorm, iterations: order.length, status };
  if (pathLen > 0) {
    const path = new Float64Array(pathLen);
    path.set(rnorms);
    path.set(order, k);
    for (let s = 1; s <= order.length; s++) path.set(qr.solve(s), 2 * k + ((s * (s - 1)) >> 1));
    result.extraOut = path;
  }
  return result;
}

// SEA, JS backend. Same iteration, start convention and stopping rules as
// assembly/solvers/sea.ts, written independently (bounded-heap top-k,
// array-of-columns updatable QR).
import type { Matrix } from '../core/matrix.js';
import type { RawResult } from '../core/types.js';
import { matTVec, norm2 } from './linalg.js';
import { UpdatableQR } from './qrupdate.js';
import { topKInto } from './topk.js';
import { CORR_TOL } from './constants.js';
import { startSolve, TwinOptions } from './support.js';

/**
 * @param A m x n
 * @param y m
 * @param X0 warm start (n) or null; an all-zero X0 counts as none
 * @param historyLen when > 0, the residual of every iterate is returned in `extraOut`
 */
export function seaJs(A: Matrix, y: Float64Array, o: TwinOptions & { eta: number; historyLen?: number }): RawResult {
  const { k, tol, maxIter, eta, x0: X0 = null, historyLen = 0 } = o;
  const { m, n, data } = A;
  const { ynorm, early } = startSolve(A, y);
  if (early) return { ...early, extra: 0, extraOut: historyLen > 0 ? new Float64Array(0) : undefined };
  const norms = A.colNorms();
  const X = new Float64Array(n);
  const c = new Float64Array(n);
  if (X0 && X0.some((v) => v !== 0)) X.set(X0);
  else {
    matTVec(data, m, n, y, c);
    for (let j = 0; j < n; j++) X[j] = eta * c[j];
  }
  const history = historyLen > 0 ? new Float64Array(historyLen) : undefined;
  const qr = new UpdatableQR(m, k);
  const sup = new Int32Array(k);
  const heap = new Int32Array(k);
  const inS = new Uint8Array(n);
  let best = ynorm; // x = 0 counts as seen (assembly/solvers/sea.ts)
  let bestIt = -1;
  let bestAtoms: number[] = [];
  let bestZ: Float64Array = new Float64Array(0);
  let status: RawResult['status'] = 'maxIter';
  let it = 0;
  const finiteX = () => X.every(Number.isFinite);
  if (!finiteX()) status = 'diverged';
  while (status !== 'diverged' && it < maxIter) {
    topKInto(X, k, sup, heap);
    inS.fill(0);
    const kk = Math.min(k, n);
    for (let i = 0; i < kk; i++) inS[sup[i]] = 1;
    for (let p = qr.t - 1; p >= 0; p--) if (!inS[qr.atoms[p]]) qr.remove(p);
    for (let i = 0; i < kk; i++) {
      const j = sup[i];
      if (qr.position(j) < 0) qr.append(A.column(j), norms[j], j);
    }
    const qty = qr.qty(y);
    const z = qr.solve(qty);
    const r = qr.residual(y, qty);
    const rnorm = norm2(r);
    if (history) history[it] = rnorm;
    if (rnorm < best) {
      best = rnorm;
      bestIt = it;
      bestAtoms = qr.atoms.slice();
      bestZ = z;
    }
    it++;
    if (rnorm <= tol * ynorm || rnorm <= CORR_TOL * ynorm) {
      // tol met, or an exact fit (assembly/solvers/sea.ts): exploration cannot improve it
      status = 'converged';
      break;
    }
    matTVec(data, m, n, r, c);
    let cmax = 0;
    for (let j = 0; j < n; j++) if (norms[j] > 0) cmax = Math.max(cmax, Math.abs(c[j]) / norms[j]);
    if (cmax <= CORR_TOL * ynorm) {
      status = 'converged';
      break;
    }
    for (let j = 0; j < n; j++) X[j] += eta * c[j];
    if (!finiteX()) { status = 'diverged'; break; }
  }
  if (bestIt < 0) best = ynorm; // no iterate: x = 0
  const x = new Float64Array(n);
  bestAtoms.forEach((j, i) => (x[j] = bestZ[i]));
  const support = Int32Array.from(bestAtoms).sort();
  return {
    x, support, residualNorm: best, iterations: it, status, extra: Math.max(bestIt, 0),
    extraOut: history ? history.slice(0, it) : undefined,
  };
}

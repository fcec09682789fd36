// HTP, CoSaMP and Subspace Pursuit, JS backend. Same rules as
// assembly/solvers/{htp,cosamp,sp}.ts, written independently.
import type { Matrix } from '../core/matrix.js';
import type { RawResult } from '../core/types.js';
import { matTVec, norm2 } from './linalg.js';
import { hardThreshold, topK } from './select.js';
import { BestIterate, lsOnSet, nonzeroOf, residualDense, residualOn, sameSet, startSolve, TwinOptions, union } from './support.js';

function place(n: number, set: ArrayLike<number>, coef: Float64Array): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < set.length; i++) x[set[i]] = coef[i];
  return x;
}

/** Hard Thresholding Pursuit (Foucart 2011). */
export function htpJs(A: Matrix, y: Float64Array, o: TwinOptions & { mu: number }): RawResult {
  const { k, tol, maxIter, mu, x0 = null } = o;
  const { m, n, data } = A;
  const { ynorm, early } = startSolve(A, y);
  if (early) return early;
  const best = new BestIterate(ynorm, x0 !== null);
  let x: Float64Array = x0 ? Float64Array.from(x0) : new Float64Array(n);
  const r = x0 ? residualDense(A, y, x) : Float64Array.from(y);
  const g = new Float64Array(n);
  let prev: Int32Array | null = null;
  let rnorm = norm2(r);
  let status: RawResult['status'] = 'maxIter';
  let it = 0;
  while (it < maxIter) {
    it++;
    matTVec(data, m, n, r, g);
    const u = new Float64Array(n);
    for (let j = 0; j < n; j++) u[j] = x[j] + mu * g[j];
    const S = topK(u, k);
    if (prev !== null && sameSet(S, prev)) { status = 'converged'; break; }
    const { coef, skipped } = lsOnSet(A, y, S);
    x = place(n, S, coef);
    residualOn(A, y, x, S, r);
    rnorm = norm2(r);
    prev = S;
    best.offer(x, prev, rnorm);
    if (rnorm <= tol * ynorm) { status = 'converged'; break; }
    if (skipped > 0) { status = 'premature'; break; }
  }
  return best.finish(x, prev!, rnorm, it, status);
}

/** The k largest |coef| over the positions of `set`, as indices of set (ascending). */
function prune(set: Int32Array, coef: Float64Array, k: number): Int32Array {
  const keep = topK(coef, Math.min(k, set.length));
  return Int32Array.from(keep, (p) => set[p]);
}

/** CoSaMP (Needell & Tropp 2009); merged set capped at m columns. */
export function cosampJs(A: Matrix, y: Float64Array, o: TwinOptions): RawResult {
  const { k, tol, maxIter, x0 = null } = o;
  const { m, n, data } = A;
  const { ynorm, early } = startSolve(A, y);
  if (early) return early;
  const best = new BestIterate(ynorm, x0 !== null);
  let x: Float64Array = new Float64Array(n);
  let T: Int32Array = new Int32Array(0);
  if (x0) {
    x = Float64Array.from(x0);
    T = nonzeroOf(x, hardThreshold(x, k));
  }
  const r = new Float64Array(m);
  residualOn(A, y, x, T, r);
  const g = new Float64Array(n);
  let rnorm = norm2(r);
  best.offer(x, T, rnorm);
  let status: RawResult['status'] = 'maxIter';
  let it = 0;
  while (it < maxIter) {
    it++;
    matTVec(data, m, n, r, g);
    const L = Math.min(2 * k, m - T.length);
    const M = union(T, L > 0 ? topK(g, L) : []);
    const { coef, skipped } = lsOnSet(A, y, M);
    const keep = topK(coef, Math.min(k, M.length));
    const Tn = Int32Array.from(keep, (p) => M[p]);
    x = new Float64Array(n);
    keep.forEach((p, i) => (x[Tn[i]] = coef[p]));
    residualOn(A, y, x, Tn, r);
    rnorm = norm2(r);
    const same = sameSet(Tn, T);
    T = Tn;
    best.offer(x, T, rnorm);
    if (rnorm <= tol * ynorm) { status = 'converged'; break; }
    if (skipped > 0) { status = 'premature'; break; }
    if (same) { status = 'converged'; break; }
  }
  return best.finish(x, T, rnorm, it, status);
}

/** Subspace Pursuit (Dai & Milenkovic 2009); expanded set capped at m columns. */
export function spJs(A: Matrix, y: Float64Array, o: TwinOptions): RawResult {
  const { k, tol, maxIter, x0 = null } = o;
  const { m, n, data } = A;
  const { ynorm, early } = startSolve(A, y);
  if (early) return early;
  const g = new Float64Array(n);
  let T: Int32Array = new Int32Array(0);
  if (x0) {
    const u = Float64Array.from(x0);
    T = nonzeroOf(u, hardThreshold(u, k));
  }
  if (T.length === 0) {
    matTVec(data, m, n, y, g);
    T = topK(g, k);
  }
  const first = lsOnSet(A, y, T);
  let x = place(n, T, first.coef);
  let r: Float64Array = new Float64Array(m);
  residualOn(A, y, x, T, r);
  let rnorm = norm2(r);
  let status: RawResult['status'] = 'maxIter';
  let it = 0;
  if (rnorm <= tol * ynorm) status = 'converged';
  else if (first.skipped > 0) status = 'premature';
  else {
    while (it < maxIter) {
      it++;
      matTVec(data, m, n, r, g);
      const L = Math.min(k, m - T.length);
      const M = union(T, L > 0 ? topK(g, L) : []);
      const wide = lsOnSet(A, y, M);
      const Tn = prune(M, wide.coef, k);
      const fit = lsOnSet(A, y, Tn);
      const u = place(n, Tn, fit.coef);
      const rn = new Float64Array(m);
      residualOn(A, y, u, Tn, rn);
      const rnn = norm2(rn);
      const better = rnn < rnorm;
      if (better) {
        x = u;
        r = rn;
        T = Tn;
        rnorm = rnn;
      }
      if (rnorm <= tol * ynorm) { status = 'converged'; break; }
      if (wide.skipped + fit.skipped > 0) { status = 'premature'; break; }
      if (!better) { status = 'converged'; break; }
    }
  }
  return { x, support: nonzeroOf(x, T), residualNorm: rnorm, iterations: it, status };
}

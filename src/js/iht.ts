// IHT and NIHT, JS backend. Same rules as assembly/solvers/iht.ts and
// assembly/solvers/niht.ts, written independently.
import type { Matrix } from '../core/matrix.js';
import type { RawResult } from '../core/types.js';
import { matTVec, matVec, norm2 } from './linalg.js';
import { hardThreshold, topK } from './select.js';
import { BestIterate, nonzeroOf, residualDense, residualOn, sameSet, startSolve, TwinOptions } from './support.js';
import { SQRT_EPS } from './constants.js';

/** Fixed-point threshold on ||x_new - x|| / ||x_new||: see assembly/solvers/iht.ts STALL_TOL. */
export const STALL_TOL = 1e-12;
/** NIHT step-rule constants: see assembly/solvers/niht.ts. */
export const NIHT_C = 0.01;
export const NIHT_KAPPA = 2 / (1 - NIHT_C);
export const NIHT_MAX_SHRINKS = 64;

function zeroResult(n: number, residualNorm = 0, status: RawResult['status'] = 'converged'): RawResult {
  return { x: new Float64Array(n), support: new Int32Array(0), residualNorm, iterations: 0, status };
}

/** 'converged' at a fixed point that fits y exactly (||r|| <= sqrt(eps) ||y||), else 'fixedPoint' (assembly/solvers/iht.ts). */
export function fixedPointStatus(rnorm: number, ynorm: number): RawResult['status'] {
  return rnorm <= SQRT_EPS * ynorm ? 'converged' : 'fixedPoint';
}

/** A norm that is a finite number (false for an overflowed vector: Infinity or NaN). */
const finite = (v: number) => v <= Number.MAX_VALUE;

/** IHT: x <- H_k(x + mu A^T (y - A x)); see the WASM kernel for the stopping rules. */
export function ihtJs(A: Matrix, y: Float64Array, o: TwinOptions & { mu: number }): RawResult {
  const { k, tol, maxIter, mu, x0 = null } = o;
  const { m, n, data } = A;
  const { ynorm, early } = startSolve(A, y);
  if (early) return early;
  const best = new BestIterate(ynorm, x0 !== null);
  let x: Float64Array = x0 ? Float64Array.from(x0) : new Float64Array(n);
  let r: Float64Array = x0 ? residualDense(A, y, x) : Float64Array.from(y);
  let rnorm = norm2(r);
  if (!finite(rnorm)) return zeroResult(n, ynorm, 'diverged'); // A x0 overflows
  const g = new Float64Array(n);
  let prev: Int32Array | null = null;
  let status: RawResult['status'] = 'maxIter';
  let it = 0;
  let u: Float64Array = new Float64Array(n);
  let rc: Float64Array = new Float64Array(m);
  const d = new Float64Array(n);
  while (it < maxIter) {
    matTVec(data, m, n, r, g);
    for (let j = 0; j < n; j++) u[j] = x[j] + mu * g[j];
    const S = hardThreshold(u, k);
    // a step whose iterate or residual overflows is not taken
    residualOn(A, y, u, S, rc);
    const rcnorm = norm2(rc);
    if (!finite(rcnorm)) { status = 'diverged'; break; }
    it++;
    for (let j = 0; j < n; j++) d[j] = u[j] - x[j];
    const dnorm = norm2(d);
    const same = prev !== null && sameSet(S, prev);
    [x, u] = [u, x];
    [r, rc] = [rc, r];
    prev = S;
    rnorm = rcnorm;
    best.offer(x, prev, rnorm);
    if (rnorm <= tol * ynorm) { status = 'converged'; break; }
    if (same && dnorm <= STALL_TOL * norm2(x)) { status = fixedPointStatus(rnorm, ynorm); break; }
  }
  if (prev === null) return zeroResult(n, ynorm, status);
  return best.finish(x, prev, rnorm, it, status);
}

/** ||g_G|| / ||A_G g_G||, or -1 when g vanishes on G. */
function ratioOn(A: Matrix, g: Float64Array, G: ArrayLike<number>): number {
  const { m, data } = A;
  const gs = new Float64Array(G.length);
  const w = new Float64Array(m);
  for (let i = 0; i < G.length; i++) {
    const j = G[i];
    gs[i] = g[j];
    if (g[j] === 0) continue;
    for (let t = 0; t < m; t++) w[t] += g[j] * data[j * m + t];
  }
  const gn = norm2(gs);
  const wn = norm2(w);
  return gn > 0 && wn > 0 ? gn / wn : -1;
}

/** NIHT (Blumensath & Davies 2010); see the WASM kernel for the details. */
export function nihtJs(A: Matrix, y: Float64Array, o: TwinOptions): RawResult {
  const { k, tol, maxIter, x0 = null } = o;
  const { m, n, data } = A;
  const { ynorm, early } = startSolve(A, y);
  if (early) return early;
  const best = new BestIterate(ynorm, x0 !== null);
  let x: Float64Array = x0 ? Float64Array.from(x0) : new Float64Array(n);
  let r: Float64Array = x0 ? residualDense(A, y, x) : Float64Array.from(y);
  if (!finite(norm2(r))) return zeroResult(n, ynorm, 'diverged'); // A x0 overflows
  let rc: Float64Array = new Float64Array(m);
  let taken = false;
  const g = new Float64Array(n);
  let G: Int32Array = x0 ? nonzeroOf(x, topK(x, k)) : new Int32Array(0);
  let gReady = false;
  if (G.length === 0) {
    matTVec(data, m, n, r, g);
    gReady = true;
    G = topK(g, k);
  }
  let rnorm = norm2(r);
  let status: RawResult['status'] = 'maxIter';
  let it = 0;
  const w = new Float64Array(m);
  let u: Float64Array = new Float64Array(n);
  const d = new Float64Array(n);
  while (it < maxIter) {
    if (!gReady) matTVec(data, m, n, r, g);
    gReady = false;
    let ratio = ratioOn(A, g, G);
    if (ratio < 0) ratio = ratioOn(A, g, topK(g, k));
    let mu = ratio < 0 ? 0 : Math.min(ratio * ratio, Number.MAX_VALUE);
    let S: Int32Array;
    let dnorm: number;
    let shrinks = 0;
    for (;;) {
      for (let j = 0; j < n; j++) u[j] = x[j] + mu * g[j];
      S = hardThreshold(u, k);
      for (let j = 0; j < n; j++) d[j] = u[j] - x[j];
      dnorm = norm2(d);
      if (sameSet(S, G)) break;
      matVec(data, m, n, d, w);
      const an = norm2(w);
      if (!(an > 0)) break;
      const q = dnorm / an;
      if (mu <= (1 - NIHT_C) * q * q) break;
      if (shrinks >= NIHT_MAX_SHRINKS) break;
      mu = mu / (NIHT_KAPPA * (1 - NIHT_C));
      shrinks++;
    }
    // a step whose iterate or residual overflows is not taken
    residualOn(A, y, u, S, rc);
    const rcnorm = norm2(rc);
    if (!finite(rcnorm)) { status = 'diverged'; break; }
    it++;
    taken = true;
    const same = sameSet(S, G);
    [x, u] = [u, x];
    [r, rc] = [rc, r];
    G = S;
    rnorm = rcnorm;
    best.offer(x, G, rnorm);
    if (rnorm <= tol * ynorm) { status = 'converged'; break; }
    if (same && dnorm <= STALL_TOL * norm2(x)) { status = fixedPointStatus(rnorm, ynorm); break; }
  }
  if (!taken) return zeroResult(n, ynorm, status);
  return best.finish(x, G, rnorm, it, status);
}

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

/** What a ThresholdRun needs besides the start: the data's norm and tol, and how residuals and norms are formed. */
export interface ThresholdRunSpec {
  ynorm: number;
  tol: number;
  /** x0 was given: the start is not a candidate for the best iterate (BestIterate). */
  warm: boolean;
  /** Doubles per index of x: 1 real, 2 complex interleaved. */
  width: number;
  norm(v: Float64Array): number;
  /** rc = y - A u, u supported on S. */
  residual(u: Float64Array, S: Int32Array, rc: Float64Array): void;
}

/**
 * The state of a hard-thresholding twin (IHT, NIHT; real or complex): the
 * iterate x with its support and residual r, the buffers u and rc the next
 * candidate and its residual are written into, the steps taken, the status,
 * and the best iterate seen. The rules that end a step are written once, in
 * `take` (those of assembly/solvers/iht.ts and niht.ts).
 */
export class ThresholdRun {
  x: Float64Array;
  u: Float64Array;
  r: Float64Array;
  rc: Float64Array;
  rnorm: number;
  /** Support of x; null until a step is taken. */
  set: Int32Array | null = null;
  it = 0;
  status: RawResult['status'] = 'maxIter';
  readonly best: BestIterate;

  constructor(x: Float64Array, r: Float64Array, private readonly spec: ThresholdRunSpec) {
    this.x = x;
    this.r = r;
    this.u = new Float64Array(x.length);
    this.rc = new Float64Array(r.length);
    this.rnorm = spec.norm(r);
    this.best = new BestIterate(spec.ynorm, spec.warm, spec.width);
  }

  /**
   * Takes the candidate in `u` (support S, dnorm = ||u - x||, `same`: S is the
   * support the previous step kept): a step whose residual overflows is not
   * taken ('diverged'); otherwise it becomes x, the best iterate is updated,
   * and the run stops on ||r|| <= tol ||y|| ('converged') or at a fixed point
   * (fixedPointStatus). Returns true when the run stops.
   */
  take(S: Int32Array, dnorm: number, same: boolean): boolean {
    const { spec } = this;
    spec.residual(this.u, S, this.rc);
    const rcnorm = spec.norm(this.rc);
    if (!finite(rcnorm)) {
      this.status = 'diverged';
      return true;
    }
    this.it++;
    [this.x, this.u] = [this.u, this.x];
    [this.r, this.rc] = [this.rc, this.r];
    this.set = S;
    this.rnorm = rcnorm;
    this.best.offer(this.x, S, rcnorm);
    if (rcnorm <= spec.tol * spec.ynorm) this.status = 'converged';
    else if (same && dnorm <= STALL_TOL * spec.norm(this.x)) this.status = fixedPointStatus(rcnorm, spec.ynorm);
    else return false;
    return true;
  }
}

/** IHT: x <- H_k(x + mu A^T (y - A x)); see the WASM kernel for the stopping rules. */
export function ihtJs(A: Matrix, y: Float64Array, o: TwinOptions & { mu: number }): RawResult {
  const { k, tol, maxIter, mu, x0 = null } = o;
  const { m, n, data } = A;
  const { ynorm, early } = startSolve(A, y);
  if (early) return early;
  const x0v: Float64Array = x0 ? Float64Array.from(x0) : new Float64Array(n);
  const run = new ThresholdRun(x0v, x0 ? residualDense(A, y, x0v) : Float64Array.from(y), realSpec(A, y, ynorm, tol, x0 !== null));
  if (!finite(run.rnorm)) return zeroResult(n, ynorm, 'diverged'); // A x0 overflows
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  while (run.it < maxIter) {
    const { x, u } = run;
    matTVec(data, m, n, run.r, g);
    for (let j = 0; j < n; j++) u[j] = x[j] + mu * g[j];
    const S = hardThreshold(u, k);
    for (let j = 0; j < n; j++) d[j] = u[j] - x[j];
    if (run.take(S, norm2(d), run.set !== null && sameSet(S, run.set))) break;
  }
  if (run.set === null) return zeroResult(n, ynorm, run.status);
  return run.best.finish(run.x, run.set, run.rnorm, run.it, run.status);
}

/** The real twins' ThresholdRun rules: residuals on A, Euclidean norms. */
function realSpec(A: Matrix, y: Float64Array, ynorm: number, tol: number, warm: boolean): ThresholdRunSpec {
  return { ynorm, tol, warm, width: 1, norm: norm2, residual: (u, S, rc) => residualOn(A, y, u, S, rc) };
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
  const x0v: Float64Array = x0 ? Float64Array.from(x0) : new Float64Array(n);
  const run = new ThresholdRun(x0v, x0 ? residualDense(A, y, x0v) : Float64Array.from(y), realSpec(A, y, ynorm, tol, x0 !== null));
  if (!finite(run.rnorm)) return zeroResult(n, ynorm, 'diverged'); // A x0 overflows
  const g = new Float64Array(n);
  let G: Int32Array = x0 ? nonzeroOf(x0v, topK(x0v, k)) : new Int32Array(0);
  let gReady = false;
  if (G.length === 0) {
    matTVec(data, m, n, run.r, g);
    gReady = true;
    G = topK(g, k);
  }
  const w = new Float64Array(m);
  const d = new Float64Array(n);
  while (run.it < maxIter) {
    const { x, u } = run;
    if (!gReady) matTVec(data, m, n, run.r, g);
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
    const stop = run.take(S, dnorm, sameSet(S, G));
    G = run.set ?? G;
    if (stop) break;
  }
  if (run.set === null) return zeroResult(n, ynorm, run.status);
  return run.best.finish(run.x, run.set, run.rnorm, run.it, run.status);
}

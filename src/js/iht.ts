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

/**
 * What a ThresholdRun needs besides the start: the data's norm and tol, and
 * the operations on x, r and A (real, or complex interleaved), so that one
 * IHT loop and one NIHT loop serve both.
 */
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
  /** g = the gradient direction A^T r (A^H r; its real part for a real x). */
  gradient(r: Float64Array, g: Float64Array): void;
  /** w = A d. */
  apply(d: Float64Array, w: Float64Array): void;
  /** H_k in place; returns the kept indices, ascending. */
  threshold(u: Float64Array, k: number): Int32Array;
  /** The k largest entries (modulus), ascending. */
  topK(v: Float64Array, k: number): Int32Array;
  /** ||g_G|| / ||A_G g_G||, or -1 when g vanishes on G. */
  ratio(g: Float64Array, G: ArrayLike<number>): number;
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

  constructor(x: Float64Array, r: Float64Array, readonly spec: ThresholdRunSpec) {
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
  const run = startReal(A, y, o);
  if (!(run instanceof ThresholdRun)) return run;
  ihtLoop(run, o.k, o.mu, o.maxIter);
  return realResult(run, A.n);
}

/** The IHT iteration on a started run, real or complex (the run's spec). */
export function ihtLoop(run: ThresholdRun, k: number, mu: number, maxIter: number): void {
  const { spec } = run;
  const len = run.x.length;
  const g = new Float64Array(len);
  const d = new Float64Array(len);
  while (run.it < maxIter) {
    const { x, u } = run;
    spec.gradient(run.r, g);
    for (let j = 0; j < len; j++) u[j] = x[j] + mu * g[j];
    const S = spec.threshold(u, k);
    for (let j = 0; j < len; j++) d[j] = u[j] - x[j];
    if (run.take(S, spec.norm(d), run.set !== null && sameSet(S, run.set))) break;
  }
}

/**
 * The NIHT iteration on a started run, real or complex: G0 is the first
 * support (from x0; empty or null: the k largest entries of the first gradient).
 */
export function nihtLoop(run: ThresholdRun, k: number, maxIter: number, G0: Int32Array | null): void {
  const { spec } = run;
  const len = run.x.length;
  const g = new Float64Array(len);
  const d = new Float64Array(len);
  const w = new Float64Array(run.r.length);
  let G = G0 ?? new Int32Array(0);
  let gReady = false;
  if (G.length === 0) {
    spec.gradient(run.r, g);
    gReady = true;
    G = spec.topK(g, k);
  }
  while (run.it < maxIter) {
    const { x, u } = run;
    if (!gReady) spec.gradient(run.r, g);
    gReady = false;
    let ratio = spec.ratio(g, G);
    if (ratio < 0) ratio = spec.ratio(g, spec.topK(g, k));
    let mu = ratio < 0 ? 0 : Math.min(ratio * ratio, Number.MAX_VALUE);
    let S: Int32Array;
    let dnorm: number;
    let shrinks = 0;
    for (;;) {
      for (let j = 0; j < len; j++) u[j] = x[j] + mu * g[j];
      S = spec.threshold(u, k);
      for (let j = 0; j < len; j++) d[j] = u[j] - x[j];
      dnorm = spec.norm(d);
      if (sameSet(S, G)) break;
      spec.apply(d, w);
      const an = spec.norm(w);
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
}

/** A real run from x0 (or zero): the early result for y = 0 or A = 0, or 'diverged' when A x0 overflows. */
function startReal(A: Matrix, y: Float64Array, o: TwinOptions): ThresholdRun | RawResult {
  const { ynorm, early } = startSolve(A, y);
  if (early) return early;
  const { m, n, data } = A;
  const x0 = o.x0 ?? null;
  const x = x0 ? Float64Array.from(x0) : new Float64Array(n);
  const run = new ThresholdRun(x, x0 ? residualDense(A, y, x) : Float64Array.from(y), {
    ynorm, tol: o.tol, warm: x0 !== null, width: 1, norm: norm2,
    residual: (u, S, rc) => residualOn(A, y, u, S, rc),
    gradient: (r, g) => matTVec(data, m, n, r, g),
    apply: (d, w) => matVec(data, m, n, d, w),
    threshold: hardThreshold,
    topK,
    ratio: (g, G) => ratioOn(A, g, G),
  });
  return finite(run.rnorm) ? run : zeroResult(n, ynorm, 'diverged');
}

/** The result of a finished real run: x = 0 when no step was taken, else the iterate BestIterate chooses. */
function realResult(run: ThresholdRun, n: number): RawResult {
  if (run.set === null) return zeroResult(n, run.spec.ynorm, run.status);
  return run.best.finish(run.x, run.set, run.rnorm, run.it, run.status);
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
  const run = startReal(A, y, o);
  if (!(run instanceof ThresholdRun)) return run;
  nihtLoop(run, o.k, o.maxIter, o.x0 ? nonzeroOf(run.x, topK(run.x, o.k)) : null);
  return realResult(run, A.n);
}

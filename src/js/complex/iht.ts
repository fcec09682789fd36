// Complex IHT and NIHT, JS twins: the rules of src/js/iht.ts on complex data
// (interleaved re/im, column-major A; see cmatrix.ts). Hard thresholding
// keeps the k entries of largest modulus |x_j| (ties: lowest index), the
// gradient is A^H r, and NIHT's step is ||g_G||^2 / ||A_G g_G||^2 with
// complex norms. With every imaginary part zero each step is the real
// twin's, operation for operation.
//
// realX: x is known to be real. The step then uses Re(A^H r) (the gradient
// of ||y - A x||^2 / 2 over real x), so every iterate is real; x is returned
// as n doubles.
import type { RawResult } from '../../core/types.js';
import { ihtLoop, nihtLoop, ThresholdRun } from '../iht.js';
import { topK } from '../select.js';
import type { TwinOptions } from '../support.js';
import { cabs, cmatHVec, cmatVec, cnorm2, type ComplexMatrix } from './cmatrix.js';
import type { ComplexRawResult } from './omp.js';

/** Options of the complex IHT twins. */
export interface ComplexIhtOptions {
  /** Real x (A, y complex): steps along Re(A^H r), result n doubles. Default false. */
  realX?: boolean;
}

const finite = (v: number) => v <= Number.MAX_VALUE;

/** The k indices of largest modulus (ties: lowest index), ascending. */
export function ctopK(x: Float64Array, k: number): Int32Array {
  const n = x.length >> 1;
  const mod = new Float64Array(n);
  for (let j = 0; j < n; j++) mod[j] = cabs(x, j);
  return topK(mod, k);
}

/** H_k on the modulus: zeroes all but the k entries of largest |x_j|, in place; returns the kept indices (ascending). */
export function chardThreshold(x: Float64Array, k: number): Int32Array {
  const keep = ctopK(x, k);
  const mark = new Uint8Array(x.length >> 1);
  for (const j of keep) mark[j] = 1;
  for (let j = 0; j < mark.length; j++) {
    if (!mark[j]) {
      x[2 * j] = 0;
      x[2 * j + 1] = 0;
    }
  }
  return keep;
}

/** out += sign (zr + i zi) a_j (sign = 1 or -1; exact negation, so r - z a_j is computed as the real twins compute it). */
function addColumn(A: ComplexMatrix, j: number, zr: number, zi: number, out: Float64Array, sign: number): void {
  const { m, data } = A;
  const o = 2 * j * m;
  for (let i = 0; i < m; i++) {
    const ar = data[o + 2 * i];
    const ai = data[o + 2 * i + 1];
    out[2 * i] += sign * (zr * ar - zi * ai);
    out[2 * i + 1] += sign * (zr * ai + zi * ar);
  }
}

/** r = y - sum over j in set of x_j a_j (complex, column by column in set order). */
export function cresidualOn(A: ComplexMatrix, y: Float64Array, x: Float64Array, set: ArrayLike<number>, r: Float64Array): void {
  r.set(y);
  for (let s = 0; s < set.length; s++) {
    const j = set[s];
    if (x[2 * j] !== 0 || x[2 * j + 1] !== 0) addColumn(A, j, x[2 * j], x[2 * j + 1], r, -1);
  }
}

function cresidualDense(A: ComplexMatrix, y: Float64Array, x: Float64Array): Float64Array {
  const r = new Float64Array(2 * A.m);
  cresidualOn(A, y, x, Int32Array.from({ length: A.n }, (_, j) => j), r);
  return r;
}

function cnonzeroOf(x: Float64Array, set: ArrayLike<number>): Int32Array {
  return Int32Array.from(Array.from(set).filter((j) => x[2 * j] !== 0 || x[2 * j + 1] !== 0));
}

/** The gradient A^H r into g; with realX its imaginary parts are zeroed. */
function gradient(A: ComplexMatrix, r: Float64Array, g: Float64Array, realX: boolean): void {
  cmatHVec(A.data, A.m, A.n, r, g);
  if (realX) for (let j = 0; j < A.n; j++) g[2 * j + 1] = 0;
}

function finish(x: Float64Array, n: number, realX: boolean): Float64Array {
  if (!realX) return x;
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = x[2 * j];
  return out;
}

function zeroResult(n: number, realX: boolean, residualNorm = 0, status: RawResult['status'] = 'converged'): ComplexRawResult {
  return { x: new Float64Array(realX ? n : 2 * n), support: new Int32Array(0), residualNorm, iterations: 0, status };
}

/** The start: x0 (2n doubles interleaved, or n reals with realX) or zero. */
function start(n: number, x0: Float64Array | null, realX: boolean): Float64Array {
  const x = new Float64Array(2 * n);
  if (!x0) return x;
  if (realX) for (let j = 0; j < n; j++) x[2 * j] = x0[j];
  else x.set(x0);
  return x;
}

/**
 * Complex IHT: x <- H_k(x + mu A^H (y - A x)), H_k on the modulus; stopping
 * rules of src/js/iht.ts (||r|| <= tol ||y||, a fixed point ('fixedPoint'
 * unless it fits y), maxIter, an overflowing step is not taken: 'diverged';
 * the best iterate seen is returned, 'stalled' when the stop came on a worse one). Inputs are trusted.
 */
export function complexIhtJs(A: ComplexMatrix, y: Float64Array, o: TwinOptions & ComplexIhtOptions & { mu: number }): ComplexRawResult {
  const run = startComplex(A, y, o);
  if (!(run instanceof ThresholdRun)) return run;
  ihtLoop(run, o.k, o.mu, o.maxIter);
  return result(run, A.n, o.realX === true);
}

/** A complex run from x0 (or zero): x = 0 for y = 0, 'diverged' when A x0 overflows. */
function startComplex(A: ComplexMatrix, y: Float64Array, o: TwinOptions & ComplexIhtOptions): ThresholdRun | ComplexRawResult {
  const { m, n, data } = A;
  const realX = o.realX === true;
  const ynorm = cnorm2(y);
  if (ynorm === 0) return zeroResult(n, realX);
  const x0 = o.x0 ?? null;
  const x = start(n, x0, realX);
  const run = new ThresholdRun(x, x0 ? cresidualDense(A, y, x) : Float64Array.from(y), {
    ynorm, tol: o.tol, warm: x0 !== null, width: 2, norm: cnorm2,
    residual: (u, S, rc) => cresidualOn(A, y, u, S, rc),
    gradient: (r, g) => gradient(A, r, g, realX),
    apply: (d, w) => cmatVec(data, m, n, d, w),
    threshold: chardThreshold,
    topK: ctopK,
    ratio: (g, G) => ratioOn(A, g, G),
  });
  return finite(run.rnorm) ? run : zeroResult(n, realX, ynorm, 'diverged');
}

/** The result of a finished run: x = 0 when no step was taken, else the iterate BestIterate chooses. */
function result(run: ThresholdRun, n: number, realX: boolean): ComplexRawResult {
  if (run.set === null) return zeroResult(n, realX, run.spec.ynorm, run.status);
  const c = run.best.choose(run.x, run.set, run.rnorm, run.status);
  return { x: finish(c.x, n, realX), support: cnonzeroOf(c.x, c.set), residualNorm: c.rnorm, iterations: run.it, status: c.status };
}

/** ||g_G|| / ||A_G g_G|| (complex), or -1 when g vanishes on G. */
function ratioOn(A: ComplexMatrix, g: Float64Array, G: ArrayLike<number>): number {
  const gs = new Float64Array(2 * G.length);
  const w = new Float64Array(2 * A.m);
  for (let s = 0; s < G.length; s++) {
    const j = G[s];
    gs[2 * s] = g[2 * j];
    gs[2 * s + 1] = g[2 * j + 1];
    if (g[2 * j] !== 0 || g[2 * j + 1] !== 0) addColumn(A, j, g[2 * j], g[2 * j + 1], w, 1);
  }
  const gn = cnorm2(gs);
  const wn = cnorm2(w);
  return gn > 0 && wn > 0 ? gn / wn : -1;
}

/** Complex NIHT (Blumensath & Davies 2010, with complex norms); rules of src/js/iht.ts nihtJs. Inputs are trusted. */
export function complexNihtJs(A: ComplexMatrix, y: Float64Array, o: TwinOptions & ComplexIhtOptions): ComplexRawResult {
  const run = startComplex(A, y, o);
  if (!(run instanceof ThresholdRun)) return run;
  nihtLoop(run, o.k, o.maxIter, o.x0 ? cnonzeroOf(run.x, ctopK(run.x, o.k)) : null);
  return result(run, A.n, o.realX === true);
}

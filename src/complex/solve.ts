// Complex OMP, IHT and NIHT: the public functions. Every argument is checked
// (RangeError / TypeError naming the function and the argument) before
// anything reaches WASM; the WASM path goes through the marshaller
// (common.ts runComplexKernel, on src/core/marshal.ts runKernel), the JS path runs the twins of
// src/js/complex. Both backends see the same problem and the same step.
// A is a ComplexMatrix or a partial Fourier operator (Operator.partialFourier:
// the kernels apply it by the FFT; the JS backend runs the twins on its dense
// matrix, assembled once per operator).
import { checkEnum, checkInt, checkNumber, describe, readOptions } from '../core/errors.js';
import { POWER_MAXITER, POWER_RTOL } from '../core/matrix.js';
import type { Backend, Status } from '../core/types.js';
import { wasm } from '../core/wasm.js';
import { checkComplexVector, cmatHVec, cmatVec, cnorm2, ComplexMatrix } from '../js/complex/cmatrix.js';
import { complexIhtJs, complexNihtJs } from '../js/complex/iht.js';
import { complexOmpJs, type ComplexRawResult } from '../js/complex/omp.js';
import { IHT_DEFAULT_MAX_ITER } from '../solvers/iht.js';
import { PartialFourierOperator } from './operator.js';
import { MAX_ITER_CAP } from '../solvers/solve.js';
import { allFinite, checkBool, checkRealVector, denseOf, runComplexKernel } from './common.js';

/** What the complex solvers return. */
export interface ComplexSolveResult {
  /** 2n doubles, interleaved re/im; with `realX`, n doubles (the real x). Exactly zero off the support. */
  x: Float64Array;
  /** Indices of the nonzeros of x, ascending (at most k). */
  support: Int32Array;
  /** ||y - A x||_2 (complex norm). */
  residualNorm: number;
  /** Iterations run (for OMP: atoms chosen). */
  iterations: number;
  status: Status;
}

/** Options of complexOmp. */
export interface ComplexOmpOptions {
  /** Atoms to choose at most: integer in [1, min(m, n)]. Required. */
  k: number;
  /** Stop once ||y - A x|| <= tol ||y||; finite, in [0, 1]. Default 0. */
  tol?: number;
  /** x is real (A and y complex): least squares over real coefficients, x returned as n doubles. Default false. */
  realX?: boolean;
  /** 'wasm' (default; needs `await init()`) or 'js' (the pure-TS twin). */
  backend?: Backend;
}

/** Options of complexNiht. */
export interface ComplexNihtOptions extends ComplexOmpOptions {
  /** Iteration cap, integer in [1, 1e7]. Default 1000. */
  maxIter?: number;
  /** Warm start: 2n doubles interleaved (n doubles with realX), finite. Default 0. */
  x0?: ArrayLike<number>;
}

/** Options of complexIht. */
export interface ComplexIhtOptions extends ComplexNihtOptions {
  /** Step size, finite and > 0. Default 1/||A||_2^2 (power iteration, cached on A). */
  mu?: number;
}

/** A complex problem once its arguments are checked. */
interface ComplexProblem {
  fn: string;
  A: ComplexA;
  y: Float64Array;
  k: number;
  tol: number;
  maxIter: number;
  mu: number;
  realX: boolean;
  backend: Backend;
  x0: Float64Array | null;
}

type Kind = 'omp' | 'iht' | 'niht';

/** What the complex solvers take for A. */
export type ComplexA = ComplexMatrix | PartialFourierOperator;

/** Checks every argument of a complex solve (nothing is run before this returns). */
function prepare(fn: string, kind: Kind, A: unknown, y: unknown, opts: unknown): ComplexProblem {
  if (A instanceof PartialFourierOperator) {
    if (A.disposed) throw new TypeError(`${fn}: A is disposed: expected a live operator (create a new one with Operator.partialFourier), received one whose dispose() was called`);
  } else if (!(A instanceof ComplexMatrix)) {
    throw new TypeError(`${fn}: A must be a ComplexMatrix (m x n, interleaved re/im, column-major; e.g. new ComplexMatrix(m, n, data) or fourierMatrix(n, rows)) or an Operator.partialFourier, received ${describe(A)}`);
  } else if (!allFinite(A.data)) {
    // A.data is a plain Float64Array: check it again, it may have been written since construction
    checkComplexVector(fn, 'A.data', A.data, A.m * A.n);
  }
  const { m, n } = A;
  const yv = y instanceof Float64Array && y.length === 2 * m && allFinite(y) ? y : checkComplexVector(fn, 'y', y, m);
  const o = readOptions<ComplexIhtOptions>(fn, opts, '{ k }');
  const kmax = Math.min(m, n);
  const k = checkInt(fn, 'k', o.k, 1, kmax);
  const tol = o.tol === undefined ? 0 : checkNumber(fn, 'tol', o.tol, 0, 1);
  const realX = checkBool(fn, 'realX', o.realX);
  const backend = o.backend === undefined ? 'wasm' : checkEnum(fn, 'backend', o.backend, ['wasm', 'js'] as const);
  let maxIter = k;
  let mu = 0;
  let x0: Float64Array | null = null;
  if (kind === 'omp') {
    for (const name of ['maxIter', 'mu', 'x0'] as const) {
      if (o[name] !== undefined) throw new TypeError(`${fn}: ${name} must be undefined (${fn} takes no ${name}), received ${describe(o[name])}`);
    }
  } else {
    maxIter = o.maxIter === undefined ? IHT_DEFAULT_MAX_ITER : checkInt(fn, 'maxIter', o.maxIter, 1, MAX_ITER_CAP);
    if (kind === 'niht' && o.mu !== undefined) throw new TypeError(`${fn}: mu must be undefined (${fn} chooses its own step), received ${describe(o.mu)}`);
    if (o.x0 !== undefined) {
      x0 = realX ? checkRealVector(fn, 'x0', o.x0, n) : Float64Array.from(checkComplexVector(fn, 'x0', o.x0, n));
    }
    if (kind === 'iht') {
      mu = o.mu === undefined ? defaultStep(A) : checkNumber(fn, 'mu', o.mu, 0, Number.MAX_VALUE, { openLo: true });
    }
  }
  const ynorm = cnorm2(yv);
  if (!(ynorm <= Number.MAX_VALUE)) throw new RangeError(`${fn}: y must have a norm ||y|| below ${Number.MAX_VALUE} (the largest float64), received one whose norm overflows`);
  return { fn, A, y: yv, k, tol, maxIter, mu, realX, backend, x0 };
}

const spectralCache = new WeakMap<ComplexMatrix, number>();

/**
 * ||A||_2 of a complex matrix by power iteration on A^H A from the
 * golden-ratio start (the rule of src/core/matrix.ts powerIteration:
 * POWER_RTOL, POWER_MAXITER), computed once per matrix; for a partial
 * Fourier operator, its exact scale sqrt(n).
 */
export function complexSpectralNorm(A: ComplexA): number {
  if (A instanceof PartialFourierOperator) return A.spectralNorm();
  const hit = spectralCache.get(A);
  if (hit !== undefined) return hit;
  const { m, n, data } = A;
  const v = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) {
    const t = j * 0.6180339887498949;
    v[2 * j] = 0.5 + (t - Math.floor(t));
  }
  let nv = cnorm2(v);
  for (let t = 0; t < 2 * n; t++) v[t] /= nv;
  const u = new Float64Array(2 * m);
  let sigma = 0;
  for (let it = 0; it < POWER_MAXITER; it++) {
    cmatVec(data, m, n, v, u);
    cmatHVec(data, m, n, u, v);
    nv = cnorm2(v);
    if (nv === 0 || !Number.isFinite(nv)) {
      sigma = nv === 0 ? 0 : sigma;
      break;
    }
    const next = Math.sqrt(nv);
    for (let t = 0; t < 2 * n; t++) v[t] /= nv;
    const done = Math.abs(next - sigma) <= POWER_RTOL * next;
    sigma = next;
    if (done) break;
  }
  spectralCache.set(A, sigma);
  return sigma;
}

function defaultStep(A: ComplexA): number {
  const s = complexSpectralNorm(A);
  return s > 0 ? 1 / (s * s) : 1;
}

const KERNEL = { omp: 'complexOmp', iht: 'complexIht', niht: 'complexNiht' } as const;
const WORKSPACE = { omp: 'complexOmpWorkspace64', iht: 'complexIhtWorkspace64', niht: 'complexNihtWorkspace64' } as const;

/** The WASM kernel on a checked problem, through the marshaller. */
function runWasm(kind: Kind, p: ComplexProblem): ComplexRawResult {
  const { m, n } = p.A;
  const w = wasm();
  return runComplexKernel(p, w[WORKSPACE[kind]](m, n, p.k), 0, (a, nm, ptr) =>
    w[KERNEL[kind]](a, m, n, nm, ptr.y, p.k, p.maxIter, p.tol, p.mu, ptr.x0, ptr.x, ptr.support, ptr.info, ptr.ws, p.realX ? 1 : 0));
}

/** The JS twin on a checked problem; an all-zero A with nonzero y is 'zeroMatrix' (x = 0), as in WASM and the real solvers. */
function runJs(kind: Kind, p: ComplexProblem): ComplexRawResult {
  const A = p.A instanceof PartialFourierOperator ? denseOf(p.fn, p.A) : p.A;
  const { y } = p;
  const ynorm = cnorm2(y);
  if (ynorm > 0 && A.colNorms().every((v) => v === 0)) {
    return { x: new Float64Array(p.realX ? A.n : 2 * A.n), support: new Int32Array(0), residualNorm: ynorm, iterations: 0, status: 'zeroMatrix' };
  }
  const o = { k: p.k, tol: p.tol, maxIter: p.maxIter, realX: p.realX, x0: p.x0 };
  if (kind === 'omp') return complexOmpJs(A, y, o);
  if (kind === 'iht') return complexIhtJs(A, y, { ...o, mu: p.mu });
  return complexNihtJs(A, y, o);
}

function solve(fn: string, kind: Kind, A: unknown, y: unknown, opts: unknown): ComplexSolveResult {
  const p = prepare(fn, kind, A, y, opts);
  const r = p.backend === 'wasm' ? runWasm(kind, p) : runJs(kind, p);
  return { x: r.x, support: r.support, residualNorm: r.residualNorm, iterations: r.iterations, status: r.status };
}

/**
 * Complex Orthogonal Matching Pursuit: each step picks the atom maximising
 * |a_j^H r| / ||a_j|| (never one already chosen, nor a zero column; ties: the
 * lowest index), then refits by least squares (incremental complex
 * Householder QR; with `realX`, real least squares on [Re A_S; Im A_S]).
 *
 * @param A m x n ComplexMatrix, or an Operator.partialFourier
 * @param y 2m doubles, interleaved re/im
 * @param opts `k` (1..min(m, n), required), `tol` (in [0, 1], default 0),
 *   `realX` (default false), `backend` ('wasm' default, or 'js')
 * @returns x (2n interleaved, or n with realX), support (ascending), residualNorm,
 *   iterations (atoms chosen), status ('converged', 'premature' or 'zeroMatrix')
 */
export function complexOmp(A: ComplexA, y: ArrayLike<number>, opts: ComplexOmpOptions): ComplexSolveResult {
  return solve('complexOmp', 'omp', A, y, opts);
}

/**
 * Complex Iterative Hard Thresholding: x <- H_k(x + mu A^H (y - A x)), H_k
 * keeping the k entries of largest modulus; with `realX` the step is along
 * Re(A^H r) and x stays real. Stops on tol ('converged'), at a fixed point
 * ('converged' or 'fixedPoint'), or after maxIter steps ('maxIter'); the best
 * iterate seen is returned ('stalled' when the stop came on a worse one).
 *
 * @param A m x n ComplexMatrix, or an Operator.partialFourier
 * @param y 2m doubles, interleaved re/im
 * @param opts `k` (required), `mu` (default 1/||A||_2^2), `maxIter` (default 1000),
 *   `tol`, `realX`, `x0` (2n doubles, or n with realX), `backend`
 */
export function complexIht(A: ComplexA, y: ArrayLike<number>, opts: ComplexIhtOptions): ComplexSolveResult {
  return solve('complexIht', 'iht', A, y, opts);
}

/**
 * Complex Normalized IHT (Blumensath & Davies 2010, complex norms): the IHT
 * step with mu = ||g_G||^2 / ||A_G g_G||^2 on the current support, shrunk
 * while the support changes and the step is too long. Options and result as
 * complexIht, without `mu`.
 */
export function complexNiht(A: ComplexA, y: ArrayLike<number>, opts: ComplexNihtOptions): ComplexSolveResult {
  return solve('complexNiht', 'niht', A, y, opts);
}

// Complex OMPR, ELS, SEA and FISTA: the public functions. Every argument is
// checked (RangeError / TypeError naming the function and the argument)
// before anything reaches WASM; the WASM path goes through the marshaller
// (common.ts runComplexKernel), the JS path runs the twins of src/js/complex on the dense
// matrix (a partial Fourier operator's, assembled once per operator). Both
// backends see the same problem, the same step and the same ||A||_2.
import { checkEnum, checkInt, checkNumber, describe, readOptions } from '../core/errors.js';
import { INFO_EXTRA, INFO_ITERATIONS } from '../core/kernels.js';
import type { Backend } from '../core/types.js';
import { wasm } from '../core/wasm.js';
import { checkComplexVector, cmatHVec, cnorm2, ComplexMatrix } from '../js/complex/cmatrix.js';
import { complexElsJs } from '../js/complex/els.js';
import { cmaxAbs, complexFistaJs, type ComplexFistaRaw } from '../js/complex/fista.js';
import type { ComplexRawResult } from '../js/complex/omp.js';
import { complexOmprJs } from '../js/complex/ompr.js';
import { complexSeaJs, type ComplexSeaRaw } from '../js/complex/sea.js';
import { FISTA_DEFAULT_MAX_ITER, FISTA_DEFAULT_TOL } from '../solvers/fista.js';
import { SEA_DEFAULT_MAX_ITER } from '../solvers/sea.js';
import { MAX_ITER_CAP } from '../solvers/solve.js';
import { PartialFourierOperator } from './operator.js';
import { complexSpectralNorm, type ComplexA, type ComplexSolveResult } from './solve.js';
import { allFinite, checkBool, checkRealVector, denseOf, runComplexKernel } from './common.js';

/** Options every complex swap solver takes. */
interface ComplexCommonOptions {
  /** x is real (A and y complex): fits and steps over real coefficients, x returned as n doubles. Default false. */
  realX?: boolean;
  /** 'wasm' (default; needs `await init()`) or 'js' (the pure-TS twin). */
  backend?: Backend;
}

/** Options of complexEls. */
export interface ComplexElsOptions extends ComplexCommonOptions {
  /** Atoms: integer in [1, min(m, n)]. Required. */
  k: number;
  /** Stop once ||y - A x|| <= tol ||y||; in [0, 1]. Default 0. */
  tol?: number;
  /** Moves (additions and swaps) at most, integer in [1, 1e7]. Default 11 k. */
  maxIter?: number;
  /** Warm start: 2n doubles interleaved (n with realX); the nonzeros among its k largest |x0_j| start the support. */
  x0?: ArrayLike<number>;
}

/** Options of complexOmpr. */
export interface ComplexOmprOptions extends ComplexElsOptions {
  /** Step eta of z = x + eta A^H (y - A x), finite and > 0. Default 1 / max_j ||a_j||^2. */
  eta?: number;
}

/** Options of complexSea. */
export interface ComplexSeaOptions extends ComplexCommonOptions {
  /** Atoms of every support: integer in [1, min(m, n)]. Required. */
  k: number;
  /** Stop at the first iterate with ||y - A x_t|| <= tol ||y||; in [0, 1]. Default 0. */
  tol?: number;
  /** Iterations at most, integer in [1, 1e7]. Default 3000. */
  maxIter?: number;
  /** Step eta, finite and > 0. Default 1/||A||_2^2. */
  eta?: number;
  /** X^0: 'zero' (default: X^0 = eta A^H y) or 2n doubles (n with realX). */
  init?: 'zero' | ArrayLike<number>;
  /** Also return ||y - A x_t|| of every iterate. Default false. */
  history?: boolean;
}

/** Options of complexFista: exactly one of lambda and lambdaRatio. */
export interface ComplexFistaOptions extends ComplexCommonOptions {
  /** The weight lambda of 1/2 ||A x - y||^2 + lambda sum_j |x_j|, finite and >= 0. */
  lambda?: number;
  /** lambda as a fraction of lambda_max = ||A^H y||_inf (||Re(A^H y)||_inf with realX), in [0, 1]. */
  lambdaRatio?: number;
  /** Stop when the duality gap is <= tol ||y||^2 / 2; in [0, 1]. Default 1e-6. */
  tol?: number;
  /** Iterations at most, integer in [1, 1e7]. Default 10000. */
  maxIter?: number;
  /** Warm start: 2n doubles (n with realX). */
  x0?: ArrayLike<number>;
}

/** complexSea's result: the best iterate, where it was found, and the residual history when asked. */
export interface ComplexSeaResult extends ComplexSolveResult {
  /** Index (0-based) of the returned iterate among the `iterations` visited. */
  bestIteration: number;
  /** ||y - A x_t|| for t = 0 .. iterations - 1, with `history: true`. */
  history?: Float64Array;
}

/** complexFista's result: the LASSO's numbers besides the common fields (support = the nonzeros of x). */
export interface ComplexFistaResult extends ComplexSolveResult {
  /** The lambda used. */
  lambda: number;
  /** 1/2 ||A x - y||^2 + lambda sum |x_j| at x (at the last gap check). */
  objective: number;
  /** Duality gap at x (complex dual), an upper bound on objective - optimum. */
  dualityGap: number;
}

type Kind = 'ompr' | 'els' | 'sea' | 'fista';

interface Problem {
  fn: string;
  kind: Kind;
  A: ComplexA;
  y: Float64Array;
  k: number;
  tol: number;
  maxIter: number;
  /** eta (OMPR, SEA), lambda / lambda_max (FISTA). */
  p1: number;
  /** ||A||_2 (FISTA). */
  sigma: number;
  realX: boolean;
  backend: Backend;
  x0: Float64Array | null;
  history: boolean;
  /** FISTA: the lambda the user gave, reported as given. */
  lambda?: number;
}

const TAKES: Record<Kind, readonly string[]> = {
  ompr: ['k', 'tol', 'maxIter', 'eta', 'x0', 'realX', 'backend'],
  els: ['k', 'tol', 'maxIter', 'x0', 'realX', 'backend'],
  sea: ['k', 'tol', 'maxIter', 'eta', 'init', 'history', 'realX', 'backend'],
  fista: ['lambda', 'lambdaRatio', 'tol', 'maxIter', 'x0', 'realX', 'backend'],
};
const KNOWN = ['k', 'tol', 'maxIter', 'eta', 'x0', 'init', 'history', 'lambda', 'lambdaRatio', 'realX', 'backend', 'mu'];

/** The column norms of A (a partial Fourier operator's are all scale sqrt(m)). */
function colNorms(A: ComplexA): Float64Array {
  return A.colNorms();
}

/** Checks every argument (nothing runs before this returns). */
function prepare(fn: string, kind: Kind, A: unknown, y: unknown, opts: unknown): Problem {
  if (A instanceof PartialFourierOperator) {
    if (A.disposed) throw new TypeError(`${fn}: A is disposed: expected a live operator (create a new one with Operator.partialFourier), received one whose dispose() was called`);
  } else if (!(A instanceof ComplexMatrix)) {
    throw new TypeError(`${fn}: A must be a ComplexMatrix (m x n, interleaved re/im, column-major; e.g. new ComplexMatrix(m, n, data) or fourierMatrix(n, rows)) or an Operator.partialFourier, received ${describe(A)}`);
  } else if (!allFinite(A.data)) {
    checkComplexVector(fn, 'A.data', A.data, A.m * A.n);
  }
  const { m, n } = A;
  const yv = y instanceof Float64Array && y.length === 2 * m && allFinite(y) ? y : checkComplexVector(fn, 'y', y, m);
  const o = readOptions<Record<string, unknown>>(fn, opts, kind === 'fista' ? '{ lambda } or { lambdaRatio }' : '{ k }');
  for (const name of KNOWN) {
    if (o[name] !== undefined && !TAKES[kind].includes(name)) {
      throw new TypeError(`${fn}: ${name} must be undefined (${fn} takes no ${name}), received ${describe(o[name])}`);
    }
  }
  const realX = checkBool(fn, 'realX', o.realX);
  const backend = o.backend === undefined ? 'wasm' : checkEnum(fn, 'backend', o.backend, ['wasm', 'js'] as const);
  const history = kind === 'sea' ? checkBool(fn, 'history', o.history) : false;
  const k = kind === 'fista' ? n : checkInt(fn, 'k', o.k, 1, Math.min(m, n));
  const tol = o.tol === undefined ? (kind === 'fista' ? FISTA_DEFAULT_TOL : 0) : checkNumber(fn, 'tol', o.tol, 0, 1);
  const defaultMaxIter = kind === 'fista' ? FISTA_DEFAULT_MAX_ITER : kind === 'sea' ? SEA_DEFAULT_MAX_ITER : 11 * k;
  const maxIter = o.maxIter === undefined ? Math.min(defaultMaxIter, MAX_ITER_CAP) : checkInt(fn, 'maxIter', o.maxIter, 1, MAX_ITER_CAP);
  const vec = (name: string, v: unknown): Float64Array => (realX ? checkRealVector(fn, name, v, n) : Float64Array.from(checkComplexVector(fn, name, v, n)));
  let x0: Float64Array | null = null;
  if (kind === 'sea') {
    if (o.init !== undefined && o.init !== 'zero') {
      if (typeof o.init === 'string') throw new RangeError(`${fn}: init must be 'zero' or a vector of ${realX ? n : 2 * n} numbers, received ${describe(o.init)}`);
      x0 = vec('init', o.init);
    }
  } else if (o.x0 !== undefined) x0 = vec('x0', o.x0);
  const ynorm = cnorm2(yv);
  if (!(ynorm <= Number.MAX_VALUE)) throw new RangeError(`${fn}: y must have a norm ||y|| below ${Number.MAX_VALUE} (the largest float64), received one whose norm overflows`);
  let p1 = 0;
  let sigma = 0;
  let lambda: number | undefined;
  if (kind === 'ompr') {
    if (o.eta !== undefined) p1 = checkNumber(fn, 'eta', o.eta, 0, Number.MAX_VALUE, { openLo: true });
    else {
      let mx = 0;
      for (const v of colNorms(A)) mx = Math.max(mx, v);
      p1 = mx > 0 ? 1 / (mx * mx) : 1;
    }
  } else if (kind === 'sea') {
    if (o.eta !== undefined) p1 = checkNumber(fn, 'eta', o.eta, 0, Number.MAX_VALUE, { openLo: true });
    else {
      const s = complexSpectralNorm(A);
      p1 = s > 0 ? Math.min(1 / (s * s), Number.MAX_VALUE) : 1;
    }
  } else if (kind === 'fista') {
    if ((o.lambda === undefined) === (o.lambdaRatio === undefined)) {
      throw new TypeError(`${fn}: give exactly one of lambda and lambdaRatio, received ${o.lambda === undefined ? 'neither' : 'both'}`);
    }
    if (o.lambda === undefined) p1 = checkNumber(fn, 'lambdaRatio', o.lambdaRatio, 0, 1);
    else {
      lambda = checkNumber(fn, 'lambda', o.lambda, 0, Number.MAX_VALUE);
      const g = A instanceof PartialFourierOperator ? A.adjoint(yv) : new Float64Array(2 * n);
      if (!(A instanceof PartialFourierOperator)) cmatHVec(A.data, m, n, yv, g);
      if (realX) for (let j = 0; j < n; j++) g[2 * j + 1] = 0;
      const max = cmaxAbs(g);
      p1 = max > 0 ? lambda / max : 0;
    }
    sigma = complexSpectralNorm(A);
  }
  return { fn, kind, A, y: yv, k, tol, maxIter, p1, sigma, realX, backend, x0, history, lambda };
}

type Raw = ComplexRawResult & Partial<Pick<ComplexFistaRaw, 'lambda' | 'dualityGap' | 'objective'>> & Partial<Pick<ComplexSeaRaw, 'bestIteration' | 'history'>>;

const KERNEL = { ompr: 'complexOmpr', els: 'complexEls', sea: 'complexSea', fista: 'complexFista' } as const;
const WORKSPACE = { ompr: 'complexOmprWorkspace64', els: 'complexElsWorkspace64', sea: 'complexSeaWorkspaceBytes', fista: 'complexFistaWorkspaceBytes' } as const;
/** Where complexFista's info holds the duality gap and the objective (after lambda at INFO_EXTRA). */
const INFO_GAP = 4;
const INFO_OBJECTIVE = 5;

function runWasm(p: Problem): Raw {
  const { k, kind } = p;
  const { m, n } = p.A;
  const w = wasm();
  const rx = p.realX ? 1 : 0;
  return runComplexKernel<Raw>(p, w[WORKSPACE[kind]](m, n, k), kind === 'sea' && p.history ? p.maxIter : 0, (a, nm, ptr) => {
    if (kind === 'sea') return w.complexSea(a, m, n, nm, ptr.y, k, p.maxIter, p.tol, p.p1, ptr.x0, ptr.x, ptr.support, ptr.info, ptr.ws, rx, ptr.extra);
    if (kind === 'fista') return w.complexFista(a, m, n, nm, ptr.y, k, p.maxIter, p.tol, p.p1, ptr.x0, ptr.x, ptr.support, ptr.info, ptr.ws, rx, p.sigma);
    return w[KERNEL[kind]](a, m, n, nm, ptr.y, k, p.maxIter, p.tol, p.p1, ptr.x0, ptr.x, ptr.support, ptr.info, ptr.ws, rx);
  }, (io, info, r) => {
    if (kind === 'sea') {
      r.bestIteration = info[INFO_EXTRA];
      if (p.history) r.history = io.f64('extra', info[INFO_ITERATIONS]);
    }
    if (kind === 'fista') {
      r.lambda = info[INFO_EXTRA];
      r.dualityGap = info[INFO_GAP];
      r.objective = info[INFO_OBJECTIVE];
    }
  });
}

function runJs(p: Problem): Raw {
  const A = p.A instanceof PartialFourierOperator ? denseOf(p.fn, p.A) : p.A;
  const o = { k: p.k, tol: p.tol, maxIter: p.maxIter, realX: p.realX, x0: p.x0 };
  switch (p.kind) {
    case 'ompr': return complexOmprJs(A, p.y, { ...o, eta: p.p1 });
    case 'els': return complexElsJs(A, p.y, o);
    case 'sea': return complexSeaJs(A, p.y, { ...o, eta: p.p1, history: p.history });
    default: return complexFistaJs(A, p.y, { ...o, ratio: p.p1, sigma: p.sigma });
  }
}

function run(fn: string, kind: Kind, A: unknown, y: unknown, opts: unknown): { p: Problem; r: Raw } {
  const p = prepare(fn, kind, A, y, opts);
  return { p, r: p.backend === 'wasm' ? runWasm(p) : runJs(p) };
}

function common(r: Raw): ComplexSolveResult {
  return { x: r.x, support: r.support, residualNorm: r.residualNorm, iterations: r.iterations, status: r.status };
}

/**
 * Complex OMPR (Jain, Tewari & Dhillon 2011), one replacement per iteration:
 * z = x + eta A^H (y - A x); the largest |z_j| outside the support replaces the
 * smallest |z_i| inside when larger; least squares on the new support
 * (updatable complex QR; real least squares with `realX`). Starts from the
 * nonzeros of the k largest |x0_j| (or empty: while the support has fewer than
 * k atoms a step only adds).
 *
 * @param A m x n ComplexMatrix, or an Operator.partialFourier
 * @param y 2m doubles, interleaved re/im
 * @param opts `k` (required), `eta` (default 1/max ||a_j||^2), `maxIter` (moves, default 11 k),
 *   `tol`, `x0`, `realX`, `backend`
 * @returns x (2n, or n with realX), support, residualNorm, iterations (moves),
 *   status ('converged', 'maxIter', 'premature' or 'zeroMatrix')
 */
export function complexOmpr(A: ComplexA, y: ArrayLike<number>, opts: ComplexOmprOptions): ComplexSolveResult {
  return common(run('complexOmpr', 'ompr', A, y, opts).r);
}

/**
 * Complex ELS, exhaustive local search (Axiotis & Sviridenko 2020): the single
 * swap that most reduces the least-squares residual, all k (n - k) swaps scored
 * by rank-one formulas from A^H r, A^H Q and R^{-1}, until none helps.
 * Options and result as complexOmpr, without `eta`.
 */
export function complexEls(A: ComplexA, y: ArrayLike<number>, opts: ComplexElsOptions): ComplexSolveResult {
  return common(run('complexEls', 'els', A, y, opts).r);
}

/**
 * Complex SEA, the Support Exploration Algorithm (Mohamed et al. 2024):
 * X <- X + eta A^H (y - A x_t), x_t the least-squares fit on the k largest
 * |X_i| (moduli); returns the best iterate. With `realX`, X and the fits are
 * real (steps along Re(A^H r)).
 *
 * @param opts `k` (required), `eta` (default 1/||A||_2^2), `maxIter` (default 3000),
 *   `tol`, `init` ('zero' or X^0), `history`, `realX`, `backend`
 */
export function complexSea(A: ComplexA, y: ArrayLike<number>, opts: ComplexSeaOptions): ComplexSeaResult {
  const { p, r } = run('complexSea', 'sea', A, y, opts);
  const out: ComplexSeaResult = { ...common(r), bestIteration: r.bestIteration ?? 0 };
  if (p.history) out.history = r.history ?? new Float64Array(0);
  return out;
}

/**
 * Complex FISTA for the LASSO min 1/2 ||A x - y||^2 + lambda sum_j |x_j|
 * (moduli): proximal gradient steps of size 1/L (L = 1.05 ||A||_2^2) with
 * Nesterov's momentum, the prox shrinking each modulus, x_j max(0, 1 - t/|x_j|).
 * Stops with 'converged' when the duality gap (complex dual point
 * r min(1, lambda / ||A^H r||_inf)) is <= tol ||y||^2 / 2, checked every 10
 * iterations; else 'maxIter'. With `realX` the LASSO is over real x.
 *
 * @param opts `lambda` (>= 0) or `lambdaRatio` (in [0, 1] of ||A^H y||_inf), exactly one;
 *   `tol` (default 1e-6), `maxIter` (default 10000), `x0`, `realX`, `backend`
 */
export function complexFista(A: ComplexA, y: ArrayLike<number>, opts: ComplexFistaOptions): ComplexFistaResult {
  const { p, r } = run('complexFista', 'fista', A, y, opts);
  return { ...common(r), lambda: p.lambda ?? r.lambda ?? 0, objective: r.objective ?? 0, dualityGap: r.dualityGap ?? 0 };
}

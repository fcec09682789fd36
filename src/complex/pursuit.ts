// Complex HTP, SP and CoSaMP: the public functions. The pattern of
// src/complex/solve.ts: every argument is checked (RangeError / TypeError
// naming the function and the argument, the element and the part for a
// non-finite number) before anything reaches WASM; the WASM path goes through
// the marshaller (common.ts runComplexKernel, on src/core/marshal.ts runKernel) to assembly/complex/{htp,
// sp,cosamp}.ts, the JS path runs the twins of src/js/complex/{htp,sp,
// cosamp}.ts. A is a ComplexMatrix or a partial Fourier operator (the
// kernels apply it by the FFT; the JS backend runs the twins on its dense
// matrix, assembled once per operator).
import { checkEnum, checkInt, checkNumber, describe, readOptions } from '../core/errors.js';
import type { Backend } from '../core/types.js';
import { wasm } from '../core/wasm.js';
import { checkComplexVector, cnorm2, ComplexMatrix } from '../js/complex/cmatrix.js';
import { complexCosampJs } from '../js/complex/cosamp.js';
import { complexHtpJs } from '../js/complex/htp.js';
import type { ComplexRawResult } from '../js/complex/omp.js';
import { complexSpJs } from '../js/complex/sp.js';
import { PURSUIT_DEFAULT_MAX_ITER } from '../solvers/cosamp.js';
import { MAX_ITER_CAP } from '../solvers/solve.js';
import { PartialFourierOperator } from './operator.js';
import type { ComplexA, ComplexSolveResult } from './solve.js';
import { allFinite, checkBool, checkRealVector, denseOf, runComplexKernel } from './common.js';

/** Options of complexSp and complexCosamp (complexHtp adds mu). */
interface ComplexPursuitOptions {
  /** Sparsity: integer in [1, min(m, n)]. Required. */
  k: number;
  /** Stop once ||y - A x|| <= tol ||y||; finite, in [0, 1]. Default 0. */
  tol?: number;
  /** Iteration cap, integer in [1, 1e7]. Default 100. */
  maxIter?: number;
  /** x is real (A and y complex): least squares over real coefficients, proxy Re(A^H r), x returned as n doubles. Default false. */
  realX?: boolean;
  /** Warm start: 2n doubles interleaved (n doubles with realX), finite. Default 0. */
  x0?: ArrayLike<number>;
  /** 'wasm' (default; needs `await init()`) or 'js' (the pure-TS twin). */
  backend?: Backend;
}

/** Options of complexSp. */
export type ComplexSpOptions = ComplexPursuitOptions;

/** Options of complexCosamp. */
export type ComplexCosampOptions = ComplexPursuitOptions;

/** Options of complexHtp. */
export interface ComplexHtpOptions extends ComplexPursuitOptions {
  /** Step of the support proxy x + mu A^H r, finite and > 0. Default 1 (Foucart's HTP, as htp). */
  mu?: number;
}

type Kind = 'htp' | 'sp' | 'cosamp';

interface Problem {
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
  const o = readOptions<ComplexHtpOptions>(fn, opts, '{ k }');
  const k = checkInt(fn, 'k', o.k, 1, Math.min(m, n));
  const tol = o.tol === undefined ? 0 : checkNumber(fn, 'tol', o.tol, 0, 1);
  const maxIter = o.maxIter === undefined ? PURSUIT_DEFAULT_MAX_ITER : checkInt(fn, 'maxIter', o.maxIter, 1, MAX_ITER_CAP);
  const realX = checkBool(fn, 'realX', o.realX);
  const backend = o.backend === undefined ? 'wasm' : checkEnum(fn, 'backend', o.backend, ['wasm', 'js'] as const);
  let mu = 0;
  if (kind === 'htp') mu = o.mu === undefined ? 1 : checkNumber(fn, 'mu', o.mu, 0, Number.MAX_VALUE, { openLo: true });
  else if (o.mu !== undefined) throw new TypeError(`${fn}: mu must be undefined (${fn} takes no mu), received ${describe(o.mu)}`);
  let x0: Float64Array | null = null;
  if (o.x0 !== undefined) x0 = realX ? checkRealVector(fn, 'x0', o.x0, n) : Float64Array.from(checkComplexVector(fn, 'x0', o.x0, n));
  const ynorm = cnorm2(yv);
  if (!(ynorm <= Number.MAX_VALUE)) throw new RangeError(`${fn}: y must have a norm ||y|| below ${Number.MAX_VALUE} (the largest float64), received one whose norm overflows`);
  return { fn, A, y: yv, k, tol, maxIter, mu, realX, backend, x0 };
}

const KERNEL = { htp: 'complexHtp', sp: 'complexSp', cosamp: 'complexCosamp' } as const;
const WORKSPACE = { htp: 'complexHtpWorkspace64', sp: 'complexSpWorkspace64', cosamp: 'complexCosampWorkspace64' } as const;

/** The WASM kernel on a checked problem, through the marshaller. */
function runWasm(kind: Kind, p: Problem): ComplexRawResult {
  const { m, n } = p.A;
  const w = wasm();
  return runComplexKernel(p, w[WORKSPACE[kind]](m, n, p.k), 0, (a, nm, ptr) =>
    w[KERNEL[kind]](a, m, n, nm, ptr.y, p.k, p.maxIter, p.tol, p.mu, ptr.x0, ptr.x, ptr.support, ptr.info, ptr.ws, p.realX ? 1 : 0));
}

/** The JS twin on a checked problem. */
function runJs(kind: Kind, p: Problem): ComplexRawResult {
  const A = p.A instanceof PartialFourierOperator ? denseOf(p.fn, p.A) : p.A;
  const o = { k: p.k, tol: p.tol, maxIter: p.maxIter, realX: p.realX, x0: p.x0 };
  if (kind === 'htp') return complexHtpJs(A, p.y, { ...o, mu: p.mu });
  if (kind === 'sp') return complexSpJs(A, p.y, o);
  return complexCosampJs(A, p.y, o);
}

function solve(fn: string, kind: Kind, A: unknown, y: unknown, opts: unknown): ComplexSolveResult {
  const p = prepare(fn, kind, A, y, opts);
  const r = p.backend === 'wasm' ? runWasm(kind, p) : runJs(kind, p);
  return { x: r.x, support: r.support, residualNorm: r.residualNorm, iterations: r.iterations, status: r.status };
}

/**
 * Complex Hard Thresholding Pursuit (Foucart 2011): the support S is the k
 * entries of largest modulus of x + mu A^H (y - A x); x is the least-squares
 * fit on S (complex Householder QR; with `realX`, real least squares on
 * [Re A_S; Im A_S] and the proxy along Re(A^H r)). Stops with 'converged'
 * when S repeats or on tol, 'premature' on a dependent column, else
 * 'maxIter'; the best iterate seen is returned ('stalled' when the stop came
 * on a worse one).
 *
 * @param A m x n ComplexMatrix, or an Operator.partialFourier
 * @param y 2m doubles, interleaved re/im
 * @param opts `k` (required), `mu` (default 1), `maxIter` (default 100), `tol`,
 *   `realX`, `x0` (2n doubles, or n with realX), `backend`
 */
export function complexHtp(A: ComplexA, y: ArrayLike<number>, opts: ComplexHtpOptions): ComplexSolveResult {
  return solve('complexHtp', 'htp', A, y, opts);
}

/**
 * Complex Subspace Pursuit (Dai & Milenkovic 2009): expand the support with
 * the min(k, m - |T|) entries of largest modulus of A^H r, fit, keep the k
 * coefficients of largest modulus, fit again; accept while the residual norm
 * decreases ('converged' when it does not, or on tol; 'premature' on a
 * dependent column). Options as complexHtp, without `mu`.
 */
export function complexSp(A: ComplexA, y: ArrayLike<number>, opts: ComplexSpOptions): ComplexSolveResult {
  return solve('complexSp', 'sp', A, y, opts);
}

/**
 * Complex CoSaMP (Needell & Tropp 2009): merge the min(2k, m - |T|) entries
 * of largest modulus of A^H r with the support, fit on the merged set, keep
 * the k coefficients of largest modulus (not refitted). 'converged' on tol
 * or an unchanged support, 'premature' on a dependent column; the best
 * iterate seen is returned. Options as complexHtp, without `mu`.
 */
export function complexCosamp(A: ComplexA, y: ArrayLike<number>, opts: ComplexCosampOptions): ComplexSolveResult {
  return solve('complexCosamp', 'cosamp', A, y, opts);
}

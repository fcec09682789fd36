// FISTA for the LASSO: the public function, its checks, and the WASM call.
import { checkEnum, checkInt, checkNumber, describe, toVector } from '../core/errors.js';
import { Operator, operatorParts } from '../core/operator.js';
import { Backend, SolveResult, STATUS_NAMES } from '../core/types.js';
import { Carver, checkMemory, f64View, readF64, readI32, scratch, scratchGrowth, wasm, writeF64 } from '../core/wasm.js';
import { fistaJs, FistaRaw } from '../js/fista.js';
import { checkScales, MAX_ITER_CAP, Problem, resolveMatrix, scaleProblem, unscale } from './solve.js';
import type { OperatorLike } from './solve.js';

/** Default iteration cap of fista. */
export const FISTA_DEFAULT_MAX_ITER = 10_000;
/** Default tol of fista: duality gap <= 1e-6 ||y||^2 / 2. */
export const FISTA_DEFAULT_TOL = 1e-6;

/** Options of fista. Give exactly one of `lambda` and `lambdaRatio`. */
export interface FistaOptions {
  /** The l1 weight lambda of 1/2 ||A x - y||^2 + lambda ||x||_1, finite and >= 0. */
  lambda?: number;
  /** lambda as a fraction of lambda_max = ||A^T y||_inf (above which x = 0 is the solution), in [0, 1]. */
  lambdaRatio?: number;
  /** Stop when the duality gap is <= tol ||y||^2 / 2 (the objective of x = 0): 'converged'. In [0, 1], default 1e-6. */
  tol?: number;
  /** Iteration cap, integer in [1, 1e7], default 10000. */
  maxIter?: number;
  /** Warm start (length n), default 0. */
  x0?: ArrayLike<number>;
  /** 'wasm' (default) or 'js' (the pure-TS twin). */
  backend?: Backend;
}

/** What fista returns: a SolveResult (support = the nonzeros of x) plus the LASSO's numbers. */
export interface FistaResult extends SolveResult {
  /** The lambda used (lambdaRatio * ||A^T y||_inf when lambdaRatio was given). */
  lambda: number;
  /** 1/2 ||A x - y||^2 + lambda ||x||_1 at x (at the last gap check). */
  objective: number;
  /** Duality gap at x, an upper bound on objective - optimum. */
  dualityGap: number;
}

/**
 * FISTA (Beck & Teboulle 2009) for the LASSO, min 1/2 ||A x - y||^2 + lambda ||x||_1:
 * proximal gradient steps of size 1/L (L = 1.05 ||A||_2^2, the power iteration's
 * estimate with a margin) with Nesterov's momentum. The convex baseline of
 * scikit-learn's `Lasso(alpha = lambda / m, fit_intercept=False)` and PyLops' FISTA.
 *
 * Stops with 'converged' when the duality gap (dual point r min(1, lambda /
 * ||A^T r||_inf)) is <= tol ||y||^2 / 2, checked every 10 iterations; else
 * 'maxIter'. 'zeroMatrix' for an all-zero A (x = 0).
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `lambda` (>= 0) or `lambdaRatio` (in [0, 1], of ||A^T y||_inf), exactly one;
 *   `tol` (default 1e-6); `maxIter` (default 10000); `x0`; `backend`.
 * @returns x (n), support (ascending nonzeros of x), residualNorm ||y - A x||,
 *   iterations, status, lambda, objective, dualityGap.
 */
export function fista(A: OperatorLike, y: ArrayLike<number>, opts: FistaOptions): FistaResult {
  const fn = 'fista';
  const { matrix, op } = resolveMatrix(fn, A);
  const { m, n } = matrix;
  if (opts === undefined || opts === null || typeof opts !== 'object') {
    throw new TypeError(`${fn}: options must be an object with lambda or lambdaRatio, received ${describe(opts)}`);
  }
  const yv = toVector(fn, 'y', y, m);
  if ((opts.lambda === undefined) === (opts.lambdaRatio === undefined)) {
    throw new TypeError(`${fn}: give exactly one of lambda and lambdaRatio, received ${opts.lambda === undefined ? 'neither' : 'both'}`);
  }
  const lambda = opts.lambda === undefined ? undefined : checkNumber(fn, 'lambda', opts.lambda, 0, Number.MAX_VALUE);
  let ratio = opts.lambdaRatio === undefined ? 0 : checkNumber(fn, 'lambdaRatio', opts.lambdaRatio, 0, 1);
  const tol = opts.tol === undefined ? FISTA_DEFAULT_TOL : checkNumber(fn, 'tol', opts.tol, 0, 1);
  const maxIter = opts.maxIter === undefined ? FISTA_DEFAULT_MAX_ITER : checkInt(fn, 'maxIter', opts.maxIter, 1, MAX_ITER_CAP);
  const backend = opts.backend === undefined ? 'wasm' : checkEnum(fn, 'backend', opts.backend, ['wasm', 'js'] as const);
  let x0: Float64Array | null = null;
  if (opts.x0 !== undefined) {
    x0 = toVector(fn, 'x0', opts.x0);
    if (x0.length !== n) throw new RangeError(`${fn}: x0 must have length ${n} (the columns of A), received length ${x0.length}`);
  }
  checkScales(fn, matrix, yv);
  if (lambda !== undefined) {
    // the kernels take lambda as a ratio of lambda_max, which scaling leaves unchanged
    const atyMax = maxAbsAty(matrix.data, m, n, yv);
    ratio = atyMax > 0 ? lambda / atyMax : 0;
  }
  const p0: Problem = { fn, matrix, op, y: yv, k: Math.min(m, n), tol, maxIter, backend, x0 };
  const p = scaleProblem(p0);
  const r = backend === 'js' ? fistaJs(p.matrix, p.y, { maxIter, tol, ratio, x0: p.x0 }) : fistaWasm(p, ratio);
  const s2 = 2 ** (2 * (p.ey ?? 0)); // objective and gap scale with y^2, lambda with A y
  const lam = r.lambda * 2 ** ((p.ey ?? 0) + (p.ea ?? 0));
  unscale(p0, p, r);
  return {
    x: r.x, support: r.support, residualNorm: r.residualNorm, iterations: r.iterations, status: r.status,
    lambda: lambda ?? lam, objective: r.objective * s2, dualityGap: r.dualityGap * s2,
  };
}

function maxAbsAty(data: Float64Array, m: number, n: number, y: Float64Array): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += data[j * m + i] * y[i];
    best = Math.max(best, Math.abs(s));
  }
  return best;
}

function fistaWasm(p: Problem, ratio: number): FistaRaw {
  const { matrix } = p;
  const { m, n } = matrix;
  const temp = p.op === null;
  const ws = (wasm() as unknown as { fistaWorkspace64(m: number, n: number): number }).fistaWorkspace64(m, n);
  const c = new Carver();
  const oy = c.take(m * 8);
  const ox = c.take(n * 8);
  const osup = c.take(n * 4);
  const oinfo = c.take(8 * 8);
  const ox0 = p.x0 ? c.take(n * 8) : -1;
  const ows = c.take(ws);
  const parts: Record<string, number> = {};
  if (temp) Object.assign(parts, operatorParts(m, n));
  parts['vectors and workspace'] = scratchGrowth(c.total);
  checkMemory(p.fn, `A (${m} x ${n})`, parts, `m = ${m}, n = ${n}`);
  const op = p.op ?? Operator.dense(matrix);
  try {
    const base = scratch(c.total);
    writeF64(base + oy, p.y);
    if (p.x0) writeF64(base + ox0, p.x0);
    const kernel = (wasm() as unknown as { fista(...a: number[]): number }).fista;
    const code = kernel(op.ptr, m, n, base + oy, p.maxIter, p.tol, ratio, p.x0 ? base + ox0 : 0,
      base + ox, base + osup, base + oinfo, base + ows);
    const info = f64View(base + oinfo, 8);
    const status = STATUS_NAMES[code];
    if (status === undefined) throw new Error(`fista: the kernel returned status code ${code}, which this facade does not know`);
    const nnz = info[2];
    const out: FistaRaw = {
      residualNorm: info[0], iterations: info[1], status, lambda: info[3], dualityGap: info[4], objective: info[5],
      support: readI32(base + osup, nnz), x: readF64(base + ox, n),
    };
    return out;
  } finally {
    if (temp) op.dispose();
  }
}


// SEA: the Support Exploration Algorithm.
import { seaJs } from '../js/sea.js';
import { checkNumber, describe, toVector } from '../core/errors.js';
import { SOLVERS, solverDescriptors } from './registry.js';
import { defaultStep, OperatorLike, prepare, publicResult, runPrepared, userStep } from './solve.js';
import { defineSolver } from './descriptor.js';
import { BatchOf, BatchResult, BlockLike, runBatch } from './batch.js';
import type { SolveResult, SolverOptions } from '../core/types.js';

/**
 * Default iteration cap of SEA. Support exploration needs thousands of
 * iterations to pay off (bench/sea-iterations.ts, README "SEA: how many
 * iterations"): on Gaussian 64 x 128 at k = 20, exact recovery by SEA_0 rises
 * from 20% at 500 iterations to 29% at 3000; on the sigma = 3 blur dictionary
 * (k = 5) the mean support distance of SEA_OMP falls from 0.42 at 500
 * iterations to 0.29 at 3000, and little after (0.27 at 5000). A 3000-iteration
 * solve takes about 0.3 s at (256, 1024, 32) in WASM (bench/sea.ts); runs that meet tol, or
 * whose residual becomes orthogonal to every atom, stop earlier.
 */
export const SEA_DEFAULT_MAX_ITER = 3000;

/** What starts SEA: zero, an explicit X^0 (length n), or the output of a registered solver. */
export type SeaInit = 'zero' | string | Float64Array | number[];

/** Options of sea. */
export interface SeaOptions extends SolverOptions {
  /**
   * Step size eta (finite, > 0). Default 1/||A||_2^2. With init 'zero' the
   * supports do not depend on eta (every X^t is proportional to it); with a
   * warm start it sets how fast X moves away from X^0.
   */
  eta?: number;
  /**
   * X^0: 'zero' (default), a Float64Array or number[] of length n, or the name
   * of a registered solver ('omp', 'ompr', 'els', ...) run first with the same
   * k and backend, whose output x starts SEA (X^0 = x).
   */
  init?: SeaInit;
  /** Also return the residual norm of every iterate (`history`). Default false. */
  history?: boolean;
}

/** SEA's result: the common fields for the best iterate, plus where it was found. */
export interface SeaResult extends SolveResult {
  /** Index (0-based) of the returned iterate among the `iterations` visited. */
  bestIteration: number;
  /** ||y - A x_t|| for t = 0 .. iterations-1, when `history: true`. */
  history?: Float64Array;
  /** With a solver as init: that solver's residual norm (SEA's is never larger). */
  initResidualNorm?: number;
}


/** The sea solver: kernel, JS twin, options and docs (see SolverDescriptor). */
export const seaSolver = defineSolver<SeaOptions>({
  fn: 'sea',
  defaultMaxIter: SEA_DEFAULT_MAX_ITER,
  param: (p, o) => o.eta === undefined ? defaultStep(p) : userStep(p, checkNumber('sea', 'eta', o.eta, 0, Number.MAX_VALUE, { openLo: true })),
  extraOutput: (p, o) => (o.history ? p.maxIter : 0),
  js: (p, eta, extraLen) => seaJs(p.matrix, p.y, { ...p, eta, historyLen: extraLen }),
  summary: 'Support Exploration Algorithm (Mohamed et al. 2024): returns the best iterate',
  maxIterDoc: '3000',
  options: [
    { name: 'eta', type: 'step', default: '1/||A||_2^2', range: 'finite, > 0', doc: 'step size' },
    { name: 'init', type: 'init', default: "'zero'", range: "'zero', a vector of length n, or a solver name", doc: 'X^0, or the solver whose output starts SEA' },
    { name: 'history', type: 'boolean', default: 'false', range: 'true or false', doc: 'also return the residual norm of every iterate' },
  ],
  leastSquares: true,
});

/** Solvers SEA may start from (every registered one but itself). */
function initSolverNames(): string[] {
  return solverDescriptors().filter((d) => d.fn !== 'sea' && d.takesK !== false).map((d) => d.fn);
}

/**
 * SEA, the Support Exploration Algorithm (Mohamed, Malgouyres, Emiya, Chaux,
 * ICML 2024): X^{t+1} = X^t - eta A^T (A x_t - y), where x_t is the
 * least-squares fit on the k largest |X^t_i| (ties: lowest index). Returns
 * the best iterate (smallest residual), not the last.
 *
 * Start: X^0 from `init`; with X^0 = 0 (default) the first support would be a
 * pure tie, so SEA starts at X = eta A^T y (the step from x_{-1} = 0).
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `k` (required, 1..min(m,n)); `maxIter` (default 3000, see
 *   SEA_DEFAULT_MAX_ITER); `eta` (default 1/||A||_2^2); `tol` (default 0:
 *   stop at iterate t once ||A x_t - y|| <= tol ||y||); `init` ('zero',
 *   X^0 of length n, or a solver name); `history` (default false); `backend`; `out`.
 * @returns x (n, the best iterate), support, residualNorm, iterations (iterates
 *   visited), bestIteration, status ('converged': tol met, an exact fit
 *   (||r|| <= sqrt(eps) ||y||, which no support can improve), or X stationary (no
 *   later iterate can differ); otherwise the best iterate can still change, and
 *   'maxIter'), and `history` when asked.
 */
export function sea(A: OperatorLike, y: ArrayLike<number>, options: SeaOptions): SeaResult {
  const fn = 'sea';
  const opts = options !== null && typeof options === 'object' ? { ...options } : options;
  if (opts !== null && typeof opts === 'object' && (opts as { x0?: unknown }).x0 !== undefined) {
    throw new TypeError(`${fn}: x0 must be undefined (sea takes its warm start as init: a Float64Array X^0 or a solver name), received ${describe((opts as { x0?: unknown }).x0)}`);
  }
  if (opts !== null && typeof opts === 'object' && opts.history !== undefined && typeof opts.history !== 'boolean') {
    throw new TypeError(`${fn}: history must be a boolean, received ${describe(opts.history)}`);
  }
  const { p, o } = prepare(seaSolver, A, y, opts);
  const init = o.init ?? 'zero';
  let initResidualNorm: number | undefined;
  if (typeof init === 'string') {
    if (init !== 'zero') {
      const names = initSolverNames();
      if (!names.includes(init)) {
        throw new RangeError(`${fn}: init must be 'zero', a Float64Array of length ${p.matrix.n} or one of ${names.map((s) => `'${s}'`).join(', ')}, received ${describe(init)}`);
      }
      let r;
      try {
        r = SOLVERS[init](p.op ?? p.matrix, p.y, { k: p.k, backend: p.backend });
      } catch (e) {
        if (e instanceof RangeError || e instanceof TypeError) {
          const E = e instanceof RangeError ? RangeError : TypeError;
          throw new E(`${fn}: init '${init}' failed: ${e.message}`);
        }
        throw e;
      }
      p.x0 = r.x;
      initResidualNorm = r.residualNorm;
    }
  } else {
    const x0 = toVector(fn, 'init', init);
    if (x0.length !== p.matrix.n) throw new RangeError(`${fn}: init must have length ${p.matrix.n} (the columns of A), received length ${x0.length}`);
    p.x0 = x0;
  }
  const r = runPrepared(seaSolver, p, o);
  const out: SeaResult = { ...publicResult(r), bestIteration: r.extra ?? 0 };
  if (o.history) out.history = r.extraOut ?? new Float64Array(0);
  if (initResidualNorm !== undefined) out.initResidualNorm = initResidualNorm;
  return out;
}


/**
 * sea on every column of Y (m x p); column j equals sea(A, Y[:, j]) bit for
 * bit (the common fields: SEA's bestIteration and history are not kept).
 */
export function seaBatch(A: OperatorLike, Y: BlockLike, opts: BatchOf<SeaOptions>): BatchResult {
  return runBatch(seaSolver, sea, A, Y, opts);
}

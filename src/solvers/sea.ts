// Support-exploring solvers: SEA (with warm starts) and the baselines of its
// paper, OMPR and ELS. Thin wrappers around the common path of solve.ts.
import { elsJs } from '../js/els.js';
import { omprJs } from '../js/ompr.js';
import { seaJs } from '../js/sea.js';
import { checkNumber, describe, toVector } from '../core/errors.js';
import { SOLVERS } from './registry.js';
import { defaultStep, OperatorLike, prepare, Problem, publicResult, runPrepared, runSolver, SolverSpec, userStep } from './solve.js';
import type { SolveResult, SolverOptions, WarmStartOptions } from '../core/types.js';

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

const seaSpec: SolverSpec<SeaOptions> = {
  fn: 'sea',
  wasm: 'sea',
  defaultMaxIter: () => SEA_DEFAULT_MAX_ITER,
  warmStart: true,
  params: (p, o) => [o.eta === undefined ? defaultStep(p) : userStep(p, checkNumber('sea', 'eta', o.eta, 0, Number.MAX_VALUE, { openLo: true })), 0],
  extraOutput: (p, o) => (o.history ? p.maxIter : 0),
  js: (p, eta, _p2, extraLen) => seaJs(p.matrix, p.y, p.k, p.maxIter, p.tol, eta, p.x0, extraLen),
};

/** Solvers SEA may start from (every registered one but itself). */
function initSolverNames(): string[] {
  return Object.keys(SOLVERS).filter((s) => s !== 'sea');
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
export function sea(A: OperatorLike, y: ArrayLike<number>, opts: SeaOptions): SeaResult {
  const fn = 'sea';
  if (opts !== null && typeof opts === 'object' && (opts as { x0?: unknown }).x0 !== undefined) {
    throw new TypeError(`${fn}: x0 must be undefined (sea takes its warm start as init: a Float64Array X^0 or a solver name), received ${describe((opts as { x0?: unknown }).x0)}`);
  }
  if (opts !== null && typeof opts === 'object' && opts.history !== undefined && typeof opts.history !== 'boolean') {
    throw new TypeError(`${fn}: history must be a boolean, received ${describe(opts.history)}`);
  }
  const { p, o } = prepare(seaSpec, A, y, opts);
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
  const r = runPrepared(seaSpec, p, o);
  const out: SeaResult = { ...publicResult(r), bestIteration: r.extra ?? 0 };
  if (o.history) out.history = r.extraOut ?? new Float64Array(0);
  if (initResidualNorm !== undefined) out.initResidualNorm = initResidualNorm;
  return out;
}

/** Options of ompr. */
export interface OmprOptions extends WarmStartOptions {
  /** Step eta in z = x + eta A^T (y - A x) (finite, > 0). Default 1 / max_j ||a_j||^2 (1 on unit-norm columns). */
  eta?: number;
}

/** Default OMPR step: 1 / max_j ||a_j||^2, the largest step that is a descent step along every single coordinate. */
function omprStep(p: Problem): number {
  let mx = 0;
  for (const v of p.matrix.colNorms()) mx = Math.max(mx, v);
  return mx > 0 ? 1 / (mx * mx) : 1;
}

/**
 * Default move cap of OMPR and ELS: k additions to fill the support plus 10 k
 * swaps. A support change costs O(m n); on the Gaussian and blur problems of
 * the experiments the searches stop at a fixed point after fewer than 2 k moves.
 */
const swapCap = (_m: number, _n: number, k: number) => 11 * k;

const omprSpec: SolverSpec<OmprOptions> = {
  fn: 'ompr',
  wasm: 'ompr',
  defaultMaxIter: swapCap,
  warmStart: true,
  params: (p, o) => [o.eta === undefined ? omprStep(p) : userStep(p, checkNumber('ompr', 'eta', o.eta, 0, Number.MAX_VALUE, { openLo: true })), 0],
  js: (p, eta) => omprJs(p.matrix, p.y, p.k, p.maxIter, p.tol, eta, p.x0),
};

/**
 * OMPR, Orthogonal Matching Pursuit with Replacement (Jain, Tewari, Dhillon
 * 2011), one replacement per iteration: z = x + eta A^T (y - A x); the largest
 * |z_j| outside the support replaces the smallest |z_i| inside when larger;
 * least squares on the new support. Starts from the nonzeros of the k largest
 * |x0_i| (or empty; while the support has fewer than k atoms a step only adds).
 *
 * @param A m x n; @param y m
 * @param opts `k` (required); `eta` (default 1/max ||a_j||^2); `x0` (warm
 *   start, length n); `maxIter` (moves, default 11 k); `tol`; `backend`; `out`.
 * @returns status 'converged' (no improving replacement, or tol met),
 *   'maxIter', or 'premature' (fewer than k independent atoms could be added).
 */
export function ompr(A: OperatorLike, y: ArrayLike<number>, opts: OmprOptions): SolveResult {
  return publicResult(runSolver(omprSpec, A, y, opts));
}

/** Options of els. */
export interface ElsOptions extends WarmStartOptions {}

const elsSpec: SolverSpec<ElsOptions> = {
  fn: 'els',
  wasm: 'els',
  defaultMaxIter: swapCap,
  warmStart: true,
  params: () => [0, 0],
  js: (p) => elsJs(p.matrix, p.y, p.k, p.maxIter, p.tol, p.x0),
};

/**
 * ELS, exhaustive local search (Axiotis & Sviridenko 2020): applies the single
 * swap (i in S, j not in S) that most reduces the least-squares residual, until
 * none does. All k (n - k) swaps are scored by rank-one formulas from A^T r,
 * A^T Q and R^{-1}, without refactoring. Starts from the nonzeros of the k
 * largest |x0_i| (or empty); while the support has fewer than k atoms a step
 * adds the atom that most reduces the residual.
 *
 * @param A m x n; @param y m
 * @param opts `k` (required); `x0`; `maxIter` (moves, default 11 k); `tol`; `backend`; `out`.
 * @returns status 'converged' (a local optimum, or tol met), 'maxIter' or 'premature'.
 */
export function els(A: OperatorLike, y: ArrayLike<number>, opts: ElsOptions): SolveResult {
  return publicResult(runSolver(elsSpec, A, y, opts));
}

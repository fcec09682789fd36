// IHT: Iterative Hard Thresholding.
import { ihtJs } from '../js/iht.js';
import { defaultStep, OperatorLike, solveWith, userStep } from './solve.js';
import { checkStep, defineSolver, X0 } from './descriptor.js';
import { BatchOf, BatchResult, BlockLike, runBatch } from './batch.js';
import type { SolveResult, WarmStartOptions } from '../core/types.js';

/**
 * Default iteration cap of IHT and NIHT. At mu = 1/||A||^2 IHT contracts by
 * about 1 - sigma_min(A_S)^2/||A||^2 per step on the final support (0.90 for a
 * unit-column Gaussian A with m = n/2, k = m/16), so meeting the 1e-12
 * fixed-point test takes a few hundred steps; 1000 leaves room for the support
 * search before that. NIHT usually needs far fewer.
 */
export const IHT_DEFAULT_MAX_ITER = 1000;
/** Options of iht. */
export interface IhtOptions extends WarmStartOptions {
  /**
   * Step size, finite and > 0. Default 1/||A||_2^2 (power iteration, computed
   * once per matrix and cached on it), under which IHT converges; larger steps
   * may diverge.
   */
  mu?: number;
}


/** The iht solver: kernel, JS twin, options and docs (see SolverDescriptor). */
export const ihtSolver = defineSolver<IhtOptions>({
  fn: 'iht',
  defaultMaxIter: IHT_DEFAULT_MAX_ITER,
  param: (p, o) => o.mu === undefined ? defaultStep(p) : userStep(p, checkStep('iht', o.mu)),
  js: (p, mu) => ihtJs(p.matrix, p.y, { ...p, mu }),
  summary: 'Iterative Hard Thresholding: x <- H_k(x + mu A^T (y - A x))',
  maxIterDoc: '1000',
  options: [
    { name: 'mu', type: 'step', default: '1/||A||_2^2', range: 'finite, > 0', doc: 'step size' },
    X0,
  ],
});

/**
 * Iterative Hard Thresholding: x <- H_k(x + mu A^T (y - A x)), where H_k keeps
 * the k entries of largest magnitude (ties: lowest index).
 *
 * Stops with 'converged' once ||y - A x|| <= tol ||y||, or at a fixed point:
 * the support is unchanged and ||x_new - x|| <= 1e-12 ||x_new|| (about the
 * rounding noise of one step); otherwise 'maxIter'.
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `k` (required, integer in [1, min(m, n)]); `mu` (step, finite > 0,
 *   default 1/||A||_2^2); `x0` (warm start, length n, default 0); `tol` (in [0, 1],
 *   default 0); `maxIter` (integer >= 1, default 1000); `backend` ('wasm' or 'js');
 *   `out` (Float64Array(n) for x).
 * @returns x (n, exactly zero off the support), support (ascending nonzeros of x,
 *   at most k), residualNorm = ||y - A x||, iterations (steps taken), status
 *   ('converged' or 'maxIter').
 */
export function iht(A: OperatorLike, y: ArrayLike<number>, opts: IhtOptions): SolveResult {
  return solveWith(ihtSolver, A, y, opts);
}

/** iht on every column of Y (m x p); see iht for the options, runBatch for the result. Column j equals iht(A, Y[:, j]) bit for bit. */
export function ihtBatch(A: OperatorLike, Y: BlockLike, opts: BatchOf<IhtOptions>): BatchResult {
  return runBatch(ihtSolver, iht, A, Y, opts);
}

// NIHT: Normalized Iterative Hard Thresholding.
import { nihtJs } from '../js/iht.js';
import { OperatorLike, solveWith } from './solve.js';
import { defineSolver } from './descriptor.js';
import { BatchOf, BatchResult, BlockLike, runBatch } from './batch.js';
import type { SolveResult, WarmStartOptions } from '../core/types.js';
import { IHT_DEFAULT_MAX_ITER } from './iht.js';

/** Options of niht. */
export interface NihtOptions extends WarmStartOptions {}


/** The niht solver: kernel, JS twin, options and docs (see SolverDescriptor). */
export const nihtSolver = defineSolver<NihtOptions>({
  fn: 'niht',
  defaultMaxIter: () => IHT_DEFAULT_MAX_ITER, // lazy: iht.js may still be loading (import cycle)
  js: (p) => nihtJs(p.matrix, p.y, p),
  summary: 'Normalized IHT (Blumensath & Davies 2010): IHT with an adaptive step',
  maxIterDoc: '1000',
});

/**
 * Normalized Iterative Hard Thresholding (Blumensath & Davies 2010): IHT with
 * the step mu = ||g_G||^2 / ||A_G g_G||^2 chosen on the current support G
 * (g = A^T r). When the thresholded step changes the support it is accepted
 * only if mu <= (1 - c) ||x_new - x||^2 / ||A (x_new - x)||^2; otherwise mu is
 * halved (mu / (kappa (1 - c)) with c = 0.01, kappa = 2/(1 - c)) and the step
 * recomputed. The first support is the top k of A^T y (x0 zero or absent), or
 * the nonzeros among the k largest |x0_j|.
 *
 * Stops as iht does: 'converged' on tol or a fixed point, else 'maxIter'.
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `k` (required, integer in [1, min(m, n)]); `x0` (warm start, length n,
 *   default 0); `tol` (in [0, 1], default 0); `maxIter` (integer >= 1, default
 *   1000); `backend`; `out`.
 * @returns x (n), support (ascending nonzeros of x, at most k), residualNorm,
 *   iterations (steps taken), status ('converged' or 'maxIter').
 */
export function niht(A: OperatorLike, y: ArrayLike<number>, opts: NihtOptions): SolveResult {
  return solveWith(nihtSolver, A, y, opts);
}

/** niht on every column of Y (m x p); column j equals niht(A, Y[:, j]) bit for bit. */
export function nihtBatch(A: OperatorLike, Y: BlockLike, opts: BatchOf<NihtOptions>): BatchResult {
  return runBatch(nihtSolver, niht, A, Y, opts);
}

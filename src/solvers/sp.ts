// SP: Subspace Pursuit.
import { spJs } from '../js/pursuit.js';
import { OperatorLike, solveWith } from './solve.js';
import { defineSolver } from './descriptor.js';
import { BatchOf, BatchResult, BlockLike, runBatch } from './batch.js';
import type { SolveResult, WarmStartOptions } from '../core/types.js';
import { PURSUIT_DEFAULT_MAX_ITER } from './cosamp.js';

/** Options of sp. */
export interface SpOptions extends WarmStartOptions {}


/** The sp solver: kernel, JS twin, options and docs (see SolverDescriptor). */
export const spSolver = defineSolver<SpOptions>({
  fn: 'sp',
  defaultMaxIter: () => PURSUIT_DEFAULT_MAX_ITER, // lazy: cosamp.js may still be loading (import cycle)
  js: (p) => spJs(p.matrix, p.y, p),
  summary: 'Subspace Pursuit (Dai & Milenkovic 2009): expand by k, fit, prune, refit',
  maxIterDoc: '100',
  leastSquares: true,
});

/**
 * Subspace Pursuit (Dai & Milenkovic 2009): expand the support T with the k
 * largest entries of A^T r (at most m columns in all: min(k, m - |T|) are
 * added), fit by least squares, keep the k largest coefficients, fit again on
 * them; accept the new iterate while the residual norm decreases. The first
 * support is the top k of A^T y (x0 zero or absent), or the nonzeros among the
 * k largest |x0_j|, fitted by least squares.
 *
 * Stops with 'converged' when the residual norm does not decrease (the
 * previous iterate is returned) or on tol; 'premature' when a column in a fit
 * is linearly dependent on the others (skipped); else 'maxIter'.
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `k` (required, integer in [1, min(m, n)]); `x0` (length n, default 0);
 *   `tol` (in [0, 1], default 0); `maxIter` (integer >= 1, default 100); `backend`; `out`.
 * @returns x (n), support (ascending nonzeros of x, at most k), residualNorm,
 *   iterations (passes after the first fit, including the one that stopped), status.
 */
export function sp(A: OperatorLike, y: ArrayLike<number>, opts: SpOptions): SolveResult {
  return solveWith(spSolver, A, y, opts);
}

/** sp on every column of Y (m x p); column j equals sp(A, Y[:, j]) bit for bit. */
export function spBatch(A: OperatorLike, Y: BlockLike, opts: BatchOf<SpOptions>): BatchResult {
  return runBatch(spSolver, sp, A, Y, opts);
}

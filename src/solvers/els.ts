// ELS: exhaustive local search.
import { elsJs } from '../js/els.js';
import { OperatorLike, solveWith } from './solve.js';
import { defineSolver, swapCap } from './descriptor.js';
import { BatchOf, BatchResult, BlockLike, runBatch } from './batch.js';
import type { SolveResult, WarmStartOptions } from '../core/types.js';

/** Options of els. */
export interface ElsOptions extends WarmStartOptions {}


/** The els solver: kernel, JS twin, options and docs (see SolverDescriptor). */
export const elsSolver = defineSolver<ElsOptions>({
  fn: 'els',
  kFromTol: true,
  defaultMaxIter: swapCap,
  js: (p) => elsJs(p.matrix, p.y, p),
  summary: 'Exhaustive local search (Axiotis & Sviridenko 2020): the best single swap until none helps',
  maxIterDoc: '11 k',
  leastSquares: true,
});

/**
 * ELS, exhaustive local search (Axiotis & Sviridenko 2020): applies the single
 * swap (i in S, j not in S) that most reduces the least-squares residual, until
 * none does. All k (n - k) swaps are scored by rank-one formulas from A^T r,
 * A^T Q and R^{-1}, without refactoring. Starts from the nonzeros of the k
 * largest |x0_i| (or empty); while the support has fewer than k atoms a step
 * adds the atom that most reduces the residual.
 *
 * @param A m x n; @param y m
 * @param opts `k` (required unless `tol` is given: then min(m, n)); `x0`; `maxIter` (moves, default 11 k); `tol`; `backend`; `out`.
 * @returns status 'converged' (a local optimum, or tol met), 'maxIter' or 'premature'.
 */
export function els(A: OperatorLike, y: ArrayLike<number>, opts: ElsOptions): SolveResult {
  return solveWith(elsSolver, A, y, opts);
}

/** els on every column of Y (m x p); column j equals els(A, Y[:, j]) bit for bit. */
export function elsBatch(A: OperatorLike, Y: BlockLike, opts: BatchOf<ElsOptions>): BatchResult {
  return runBatch(elsSolver, els, A, Y, opts);
}

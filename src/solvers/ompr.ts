// OMPR: Orthogonal Matching Pursuit with Replacement.
import { omprJs } from '../js/ompr.js';
import { checkNumber } from '../core/errors.js';
import { OperatorLike, Problem, solveWith, userStep } from './solve.js';
import { defineSolver, swapCap, X0 } from './descriptor.js';
import { BatchOf, BatchResult, BlockLike, runBatch } from './batch.js';
import type { SolveResult, WarmStartOptions } from '../core/types.js';

/** Default OMPR step: 1 / max_j ||a_j||^2, the largest step that is a descent step along every single coordinate. */
function omprStep(p: Problem): number {
  let mx = 0;
  for (const v of p.matrix.colNorms()) mx = Math.max(mx, v);
  return mx > 0 ? 1 / (mx * mx) : 1;
}

/** Options of ompr. */
export interface OmprOptions extends WarmStartOptions {
  /** Step eta in z = x + eta A^T (y - A x) (finite, > 0). Default 1 / max_j ||a_j||^2 (1 on unit-norm columns). */
  eta?: number;
}


/** The ompr solver: kernel, JS twin, options and docs (see SolverDescriptor). */
export const omprSolver = defineSolver<OmprOptions>({
  fn: 'ompr',
  kFromTol: true,
  defaultMaxIter: swapCap,
  param: (p, o) => o.eta === undefined ? omprStep(p) : userStep(p, checkNumber('ompr', 'eta', o.eta, 0, Number.MAX_VALUE, { openLo: true })),
  js: (p, eta) => omprJs(p.matrix, p.y, { ...p, eta }),
  summary: 'OMP with Replacement (Jain, Tewari & Dhillon 2011): one swap per iteration',
  maxIterDoc: '11 k',
  options: [
    { name: 'eta', type: 'step', default: '1/max_j ||a_j||^2', range: 'finite, > 0', doc: 'step of z = x + eta A^T (y - A x)' },
    X0,
  ],
  leastSquares: true,
});

/**
 * OMPR, Orthogonal Matching Pursuit with Replacement (Jain, Tewari, Dhillon
 * 2011), one replacement per iteration: z = x + eta A^T (y - A x); the largest
 * |z_j| outside the support replaces the smallest |z_i| inside when larger;
 * least squares on the new support. Starts from the nonzeros of the k largest
 * |x0_i| (or empty; while the support has fewer than k atoms a step only adds).
 *
 * @param A m x n; @param y m
 * @param opts `k` (required unless `tol` is given: then min(m, n)); `eta` (default 1/max ||a_j||^2); `x0` (warm
 *   start, length n); `maxIter` (moves, default 11 k); `tol`; `backend`; `out`.
 * @returns status 'converged' (no improving replacement, or tol met),
 *   'maxIter', or 'premature' (fewer than k independent atoms could be added).
 */
export function ompr(A: OperatorLike, y: ArrayLike<number>, opts: OmprOptions): SolveResult {
  return solveWith(omprSolver, A, y, opts);
}

/** ompr on every column of Y (m x p); column j equals ompr(A, Y[:, j]) bit for bit. */
export function omprBatch(A: OperatorLike, Y: BlockLike, opts: BatchOf<OmprOptions>): BatchResult {
  return runBatch(omprSolver, ompr, A, Y, opts);
}

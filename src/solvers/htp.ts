// HTP: Hard Thresholding Pursuit.
import { htpJs } from '../js/pursuit.js';
import { OperatorLike, solveWith, userStep } from './solve.js';
import { checkStep, defineSolver, X0 } from './descriptor.js';
import { BatchOf, BatchResult, BlockLike, runBatch } from './batch.js';
import type { SolveResult, WarmStartOptions } from '../core/types.js';
import { PURSUIT_DEFAULT_MAX_ITER } from './cosamp.js';

/** Options of htp. */
export interface HtpOptions extends WarmStartOptions {
  /** Step of the support proxy x + mu A^T r, finite and > 0. Default 1 (Foucart's HTP). */
  mu?: number;
}


/** The htp solver: kernel, JS twin, options and docs (see SolverDescriptor). */
export const htpSolver = defineSolver<HtpOptions>({
  fn: 'htp',
  defaultMaxIter: () => PURSUIT_DEFAULT_MAX_ITER, // lazy: cosamp.js may still be loading (import cycle)
  param: (p, o) => userStep(p, o.mu === undefined ? 1 : checkStep('htp', o.mu)),
  js: (p, mu) => htpJs(p.matrix, p.y, { ...p, mu }),
  summary: 'Hard Thresholding Pursuit (Foucart 2011): top-k support of the proxy, least-squares fit on it',
  maxIterDoc: '100',
  options: [
    { name: 'mu', type: 'step', default: '1', range: 'finite, > 0', doc: 'step of the support proxy x + mu A^T r' },
    X0,
  ],
  leastSquares: true,
});

/**
 * Hard Thresholding Pursuit (Foucart 2011): the support S is the k largest
 * entries of x + mu A^T (y - A x); x is the least-squares fit on S
 * (incremental Householder QR).
 *
 * Stops with 'converged' when S repeats or ||y - A x|| <= tol ||y||; with
 * 'premature' when a column of S is linearly dependent on the others (it is
 * skipped in the fit, so x stays finite and its entry is 0); else 'maxIter'.
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `k` (required, integer in [1, min(m, n)]); `mu` (finite > 0, default 1);
 *   `x0` (warm start, length n, default 0); `tol` (in [0, 1], default 0); `maxIter`
 *   (integer >= 1, default 100); `backend`; `out`.
 * @returns x (n), support (ascending nonzeros of x, at most k), residualNorm,
 *   iterations (passes, including the one that saw S repeat), status.
 */
export function htp(A: OperatorLike, y: ArrayLike<number>, opts: HtpOptions): SolveResult {
  return solveWith(htpSolver, A, y, opts);
}

/** htp on every column of Y (m x p); column j equals htp(A, Y[:, j]) bit for bit. */
export function htpBatch(A: OperatorLike, Y: BlockLike, opts: BatchOf<HtpOptions>): BatchResult {
  return runBatch(htpSolver, htp, A, Y, opts);
}

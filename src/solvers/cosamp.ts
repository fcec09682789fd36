// CoSaMP: Compressive Sampling Matching Pursuit.
import { cosampJs } from '../js/pursuit.js';
import { OperatorLike, solveWith } from './solve.js';
import { defineSolver } from './descriptor.js';
import { BatchOf, BatchResult, BlockLike, runBatch } from './batch.js';
import type { SolveResult, WarmStartOptions } from '../core/types.js';

/**
 * Default iteration cap of HTP, CoSaMP and SP. Their supports settle in a
 * handful of passes on problems they can solve (Foucart's bound for HTP is
 * linear in k, in practice well under 20); 100 passes bound the cost when they
 * cycle (e.g. CoSaMP on noisy data, where its support may keep changing).
 */
export const PURSUIT_DEFAULT_MAX_ITER = 100;

/** Options of cosamp. */
export interface CosampOptions extends WarmStartOptions {}


/** The cosamp solver: kernel, JS twin, options and docs (see SolverDescriptor). */
export const cosampSolver = defineSolver<CosampOptions>({
  fn: 'cosamp',
  defaultMaxIter: PURSUIT_DEFAULT_MAX_ITER,
  js: (p) => cosampJs(p.matrix, p.y, p),
  summary: 'CoSaMP (Needell & Tropp 2009): merge 2k proxy atoms, fit, prune to k',
  maxIterDoc: '100',
});

/**
 * CoSaMP (Needell & Tropp 2009): merge the largest entries of the proxy
 * A^T r with the current support T, fit by least squares on the merged set,
 * keep the k largest coefficients (x is those coefficients, not refitted),
 * update r = y - A x. The merged set has at most 3k columns and never more
 * than m: the proxy contributes its min(2k, m - |T|) largest entries. The
 * first iterate is H_k(x0) (default 0).
 *
 * Stops with 'converged' on tol or when the pruned support does not change;
 * 'premature' when a merged column is linearly dependent on the others
 * (skipped in the fit); else 'maxIter'.
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `k` (required, integer in [1, min(m, n)]); `x0` (length n, default 0);
 *   `tol` (in [0, 1], default 0); `maxIter` (integer >= 1, default 100); `backend`; `out`.
 * @returns x (n), support (ascending nonzeros of x, at most k), residualNorm,
 *   iterations (passes), status.
 */
export function cosamp(A: OperatorLike, y: ArrayLike<number>, opts: CosampOptions): SolveResult {
  return solveWith(cosampSolver, A, y, opts);
}

/** cosamp on every column of Y (m x p); column j equals cosamp(A, Y[:, j]) bit for bit. */
export function cosampBatch(A: OperatorLike, Y: BlockLike, opts: BatchOf<CosampOptions>): BatchResult {
  return runBatch(cosampSolver, cosamp, A, Y, opts);
}

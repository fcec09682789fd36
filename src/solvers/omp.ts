// OMP: Orthogonal Matching Pursuit.
import { ompJs } from '../js/omp.js';
import { ompOnOperator } from './omp-resident.js';
import { OperatorLike, publicResult, runSolver } from './solve.js';
import type { SolverDescriptor } from './descriptor.js';
import type { SolveResult, SolverOptions } from '../core/types.js';

/** Options of omp. */
export interface OmpOptions extends SolverOptions {}


/** The omp solver: kernel, JS twin, options and docs (see SolverDescriptor). */
export const ompSolver: SolverDescriptor<OmpOptions> = {
  fn: 'omp',
  wasm: 'omp',
  defaultMaxIter: (_m, _n, k) => k,
  warmStart: false,
  params: () => [0, 0],
  js: (p) => ompJs(p.matrix, p.y, p.k, p.tol),
  wasmRun: ompOnOperator,
  summary: 'Orthogonal Matching Pursuit: greedy atom selection with least-squares refits (incremental QR)',
  maxIterDoc: 'k',
  options: [],
  leastSquares: true,
  batch: 'ompBatch',
};

/**
 * Orthogonal Matching Pursuit.
 *
 * Each step picks the atom j maximising |a_j^T r| / ||a_j|| (on unit-norm
 * columns: scikit-learn's rule), never one already chosen nor a zero column,
 * then refits by least squares (incremental Householder QR).
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `k` (required, 1..min(m,n)): atoms to choose; `tol` (default 0):
 *   stop once ||r|| <= tol ||y||; `backend` ('wasm' default, or 'js'); `out`.
 * @returns x (n), support (ascending), residualNorm, iterations (= atoms chosen),
 *   status: 'converged' (k atoms, tol met, or residual orthogonal to every atom)
 *   or 'premature' (the next atom was linearly dependent on the chosen ones).
 */
export function omp(A: OperatorLike, y: ArrayLike<number>, opts: OmpOptions): SolveResult {
  return publicResult(runSolver(ompSolver, A, y, opts));
}

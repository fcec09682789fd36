// Solving many measurement vectors against one A for the CLI's `solve` with a
// multi-column Y. A library batch path (e.g. solveBatch/ompBatch, once it is
// in the package) plugs in through BATCH; without one, the columns run one by
// one on a single resident Operator, so A is copied into WASM memory once.
import { Matrix } from '../core/matrix.js';
import { Operator } from '../core/operator.js';
import { SOLVERS } from '../solvers/registry.js';
import type { OperatorLike } from '../solvers/solve.js';
import type { SolveResult, SolverOptions } from '../core/types.js';

/**
 * A batch solver: A is m x n, Y is m x b (column c is one problem); returns b
 * results in column order.
 */
export type BatchFn = (A: OperatorLike, Y: Matrix, opts: SolverOptions) => SolveResult[];

/** Dedicated batch paths by solver name (e.g. `omp: ompBatch` once it exists). */
export const BATCH: Record<string, BatchFn> = {};

/**
 * Solves every column of Y with solver `name`.
 *
 * @param name a key of SOLVERS
 * @param A m x n: a Matrix, or an Operator (used as it is, not disposed here)
 * @param Y m x b
 * @param opts the solver's options (k, tol, backend, ...)
 * @param onColumn called after each column (for progress)
 * @returns b results, in column order
 */
export function solveColumns(name: string, A: Matrix | Operator, Y: Matrix, opts: SolverOptions,
                             onColumn?: (done: number, total: number) => void): SolveResult[] {
  const batch = BATCH[name];
  if (batch) {
    const r = batch(A, Y, opts);
    onColumn?.(Y.n, Y.n);
    return r;
  }
  const solve = SOLVERS[name];
  if (!solve) throw new RangeError(`solveColumns: name must be one of ${Object.keys(SOLVERS).join(', ')}, received '${name}'`);
  const wasm = (opts.backend ?? 'wasm') === 'wasm';
  const op = wasm && Y.n > 1 && !(A instanceof Operator) ? Operator.dense(A) : null;
  try {
    const out: SolveResult[] = [];
    for (let c = 0; c < Y.n; c++) {
      try {
        out.push(solve(op ?? A, Y.data.subarray(c * Y.m, (c + 1) * Y.m), opts));
      } catch (e) {
        // a refusal that only this column causes names the column
        if (Y.n > 1 && (e instanceof RangeError || e instanceof TypeError) && /\by\b/.test(e.message)) throw new ColumnError(c, e.message);
        throw e;
      }
      onColumn?.(c + 1, Y.n);
    }
    return out;
  } finally {
    op?.dispose();
  }
}

/** A solver refused column `column` of Y (its message is the solver's, about y). */
export class ColumnError extends RangeError {
  constructor(readonly column: number, message: string) {
    super(message);
  }
}

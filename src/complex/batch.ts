// Many complex right-hand sides at once: Y = [y_1 ... y_p] (m x p complex,
// interleaved re/im, column-major) -> X = [x_1 ... x_p] (n x p complex, or
// n x p real with realX), by any of the ten complex solvers, column by
// column. Column j is the single solve of column j, bit for bit: the same
// public function runs on the same A, with the same options.
import { checkEnum, describe, readOptions } from '../core/errors.js';
import { checkComplexVector, ComplexMatrix, cnorm2 } from '../js/complex/cmatrix.js';
import type { BatchColumnError, BatchStatus } from '../solvers/batch.js';
import { allFinite, checkBool } from './common.js';
import { PartialFourierOperator } from './operator.js';
import { complexCosamp, complexHtp, complexSp } from './pursuit.js';
import { complexIht, complexNiht, complexOmp, type ComplexA, type ComplexSolveResult } from './solve.js';
import { complexEls, complexFista, complexOmpr, complexSea } from './swap.js';

/** A complex solver as complexSolveBatch calls it. */
type ComplexSolverFn = (A: ComplexA, y: ArrayLike<number>, opts: never) => ComplexSolveResult;

/** The complex solvers by the names the real solveBatch takes. */
const COMPLEX_SOLVERS = {
  omp: complexOmp,
  iht: complexIht,
  niht: complexNiht,
  htp: complexHtp,
  cosamp: complexCosamp,
  sp: complexSp,
  ompr: complexOmpr,
  els: complexEls,
  sea: complexSea,
  fista: complexFista,
} satisfies Record<string, ComplexSolverFn>;

/** The name of a complex solver: 'omp', 'iht', ... (complexOmp, complexIht, ...). */
export type ComplexSolverName = keyof typeof COMPLEX_SOLVERS;

/** The complex solver names, in the order of the real registry. */
export const COMPLEX_SOLVER_NAMES = Object.keys(COMPLEX_SOLVERS) as ComplexSolverName[];

/** The complex solver called `name` (complexOmp for 'omp', ...), or undefined. */
export function complexSolverOf(name: string): ComplexSolverFn | undefined {
  return Object.hasOwn(COMPLEX_SOLVERS, name) ? (COMPLEX_SOLVERS as Record<string, ComplexSolverFn>)[name] : undefined;
}

/**
 * Something holding complex Y (m x p) or X0: a ComplexMatrix, or a
 * Float64Array of 2 m p doubles (interleaved re/im, column-major).
 */
export type ComplexBlockLike = ComplexMatrix | Float64Array;

/**
 * Options of complexSolveBatch: those of the solver (see its docs; `realX`,
 * `backend`, ...) plus `onError`, and for solvers with a warm start either
 * `x0` (used for every column) or `X0` (column j warm-starts signal j: 2n x p
 * interleaved, or n x p real with `realX`; for 'sea' it is the `init` of
 * each column).
 */
export type ComplexSolveBatchOptions = {
  /** 'throw' (default): a column of Y that cannot be solved throws a RangeError naming it, before any solve; 'collect': it gets status 'error' and an entry in `errors`. */
  onError?: 'throw' | 'collect';
  X0?: ComplexBlockLike;
  realX?: boolean;
} & Record<string, unknown>;

/** What complexSolveBatch returns; column j of X answers column j of Y. */
export interface ComplexBatchResult {
  /** Columns of A (entries of each x). */
  n: number;
  /** Signals (columns of Y and of X). */
  p: number;
  /** True when x is real (`realX`): X is then n x p doubles; otherwise 2n x p, interleaved. */
  realX: boolean;
  /** Solutions, column-major: column j is X.subarray(j w, (j + 1) w), w = 2n (n with realX). Zero for a column with status 'error'. */
  X: Float64Array;
  /** Support of each column, ascending (empty for 'error'). */
  support: Int32Array[];
  /** ||y_j - A x_j|| per column (NaN for 'error'). */
  residualNorm: Float64Array;
  /** Iterations per column (0 for 'error'). */
  iterations: Int32Array;
  status: BatchStatus[];
  /** One entry per column with status 'error', ascending by index. Empty when every column was solved. */
  errors: BatchColumnError[];
}

/** A complex block of p columns of `rows` complex entries (2 rows p doubles). */
function toComplexBlock(fn: string, Y: unknown, rows: number, name: string, what: string): { data: Float64Array; p: number } {
  let data: Float64Array;
  if (Y instanceof ComplexMatrix) {
    if (Y.m !== rows) throw new RangeError(`${fn}: ${name} must have ${rows} rows (${what}), received a ${Y.m} x ${Y.n} ComplexMatrix`);
    data = Y.data;
  } else if (Y instanceof Float64Array) {
    if (Y.length === 0 || Y.length % (2 * rows) !== 0) {
      throw new RangeError(`${fn}: ${name} must have a length that is a positive multiple of 2*${rows} (${rows} x p complex, interleaved re/im, column-major), received length ${Y.length}`);
    }
    data = Y;
  } else {
    throw new TypeError(`${fn}: ${name} must be a ComplexMatrix (${rows} x p) or a Float64Array of 2*${rows}*p doubles (interleaved re/im, column-major), received ${describe(Y)}`);
  }
  return { data, p: data.length / (2 * rows) };
}

/**
 * A complex batch once its arguments are checked (prepareComplexBatch): what
 * complexSolveBatch solves here and SolverPool.complexSolveBatch sends to
 * its workers in chunks of columns.
 */
export interface ComplexBatchArgs {
  name: ComplexSolverName;
  A: ComplexA;
  m: number;
  n: number;
  /** Signals (columns of Y). */
  p: number;
  /** Y: 2 m p doubles, interleaved, column-major. */
  data: Float64Array;
  realX: boolean;
  /** Doubles per column of X (and of X0): 2n, or n with realX. */
  width: number;
  /** Per-column warm starts (width p doubles), or null. */
  X0: Float64Array | null;
  /** Columns that passed the screen, ascending; the others are in `errors` (onError 'collect'). */
  good: number[];
  errors: BatchColumnError[];
  /** The solver's own options: opts without onError and X0. */
  solverOpts: Record<string, unknown>;
}

/**
 * Checks the arguments of a complex batch (name, A, Y, onError, realX, out,
 * X0) and screens the columns of Y, every error naming `fn`; the solver's
 * own options are checked by the solver, on the first column it solves.
 */
export function prepareComplexBatch(fn: string, name: unknown, A: unknown, Y: unknown, opts: unknown): ComplexBatchArgs {
  const solve = typeof name === 'string' ? complexSolverOf(name) : undefined;
  if (!solve) throw new RangeError(`${fn}: name must be one of ${COMPLEX_SOLVER_NAMES.map((s) => `'${s}'`).join(', ')}, received ${describe(name)}`);
  if (!(A instanceof ComplexMatrix) && !(A instanceof PartialFourierOperator)) {
    throw new TypeError(`${fn}: A must be a ComplexMatrix (m x n, interleaved re/im, column-major) or an Operator.partialFourier, received ${describe(A)}`);
  }
  if (A instanceof PartialFourierOperator && A.disposed) {
    throw new TypeError(`${fn}: A is disposed: expected a live operator (create a new one with Operator.partialFourier), received one whose dispose() was called`);
  }
  if (A instanceof ComplexMatrix && !allFinite(A.data)) checkComplexVector(fn, 'A.data', A.data, A.m * A.n);
  const o = readOptions<ComplexSolveBatchOptions>(fn, opts, '{ k }');
  const { m, n } = A;
  const { data, p } = toComplexBlock(fn, Y, m, 'Y', 'the rows of A');
  const onError = o.onError === undefined ? 'throw' : checkEnum(fn, 'onError', o.onError, ['throw', 'collect'] as const);
  const realX = checkBool(fn, 'realX', o.realX);
  if (o.out !== undefined) throw new TypeError(`${fn}: out is not supported by batch solvers (X is returned), received ${describe(o.out)}`);
  const w = realX ? n : 2 * n;
  let X0: Float64Array | null = null;
  if (o.X0 !== undefined) {
    const one = name === 'sea' ? 'init' : 'x0';
    if (o[one] !== undefined) throw new TypeError(`${fn}: give ${one} (one warm start for all) or X0 (one per column), not both; received both`);
    if (realX) {
      if (!(o.X0 instanceof Float64Array) || o.X0.length !== n * p) {
        throw new RangeError(`${fn}: X0 must be a Float64Array of n*p = ${n * p} doubles (real, with realX; column-major), received ${o.X0 instanceof Float64Array ? `length ${o.X0.length}` : describe(o.X0)}`);
      }
      X0 = o.X0;
    } else {
      const b = toComplexBlock(fn, o.X0, n, 'X0', 'the columns of A');
      if (b.p !== p) throw new RangeError(`${fn}: X0 must have ${p} columns (one per signal), received ${b.p}`);
      X0 = b.data;
    }
  }

  // screen the columns: a non-finite entry or an overflowing norm is that column's fault
  const good: number[] = [];
  const errors: BatchColumnError[] = [];
  for (let j = 0; j < p; j++) {
    const off = 2 * j * m;
    let message = '';
    for (let t = 0; t < 2 * m; t++) {
      const v = data[off + t];
      if (!Number.isFinite(v)) {
        const i = t >> 1;
        message = `${fn}: Y[${i}, ${j}] (the ${t & 1 ? 'imaginary' : 'real'} part of row ${i} of signal ${j}) must be finite, received ${v}`;
        break;
      }
    }
    if (!message && !(cnorm2(data.subarray(off, off + 2 * m)) <= Number.MAX_VALUE)) {
      message = `${fn}: Y[:, ${j}] (signal ${j}) must have a norm below ${Number.MAX_VALUE} (the largest float64), received one whose norm overflows`;
    }
    if (!message) {
      good.push(j);
      continue;
    }
    if (onError === 'throw') throw new RangeError(message);
    errors.push({ index: j, name: 'RangeError', message });
  }
  const { onError: _onError, X0: _X0, ...solverOpts } = o;
  return { name: name as ComplexSolverName, A, m, n, p, data, realX, width: w, X0, good, errors, solverOpts };
}

/** The result of a batch before any column is solved: every column 'error' (zero X, NaN residual), with the screen's errors. */
export function emptyComplexBatch(n: number, p: number, realX: boolean, errors: BatchColumnError[]): ComplexBatchResult {
  return {
    n,
    p,
    realX,
    X: new Float64Array((realX ? n : 2 * n) * p),
    support: Array.from({ length: p }, () => new Int32Array(0)),
    residualNorm: new Float64Array(p).fill(NaN),
    iterations: new Int32Array(p),
    status: new Array<BatchStatus>(p).fill('error'),
    errors,
  };
}

/**
 * Any of the ten complex solvers on every column of Y. Column j equals
 * `complexSolver(A, Y[:, j], opts)` bit for bit (the same function on the same
 * A; a ComplexMatrix is copied into WASM memory on each call, as a single
 * solve does).
 *
 * @param name 'omp', 'iht', 'niht', 'htp', 'cosamp', 'sp', 'ompr', 'els',
 *   'sea' or 'fista' (complexOmp, complexIht, ...)
 * @param A a ComplexMatrix (m x n) or an Operator.partialFourier
 * @param Y m x p complex: a ComplexMatrix, or 2 m p doubles interleaved, column-major
 * @param opts the solver's options (`k`, `tol`, `realX`, `backend`, ...)
 *   plus `onError` ('throw' default, or 'collect') and `X0`; `out` is not taken
 */
export function complexSolveBatch(name: ComplexSolverName, A: ComplexA, Y: ComplexBlockLike, opts: ComplexSolveBatchOptions): ComplexBatchResult {
  const a = prepareComplexBatch('complexSolveBatch', name, A, Y, opts);
  const { m, width: w, X0, solverOpts } = a;
  const solve = complexSolverOf(a.name)!;
  const res = emptyComplexBatch(a.n, a.p, a.realX, a.errors);
  for (const j of a.good) {
    const y = a.data.subarray(2 * j * m, 2 * (j + 1) * m);
    // X0's column is the solver's warm start: x0, or SEA's init
    const start = X0 ? { [a.name === 'sea' ? 'init' : 'x0']: X0.subarray(j * w, (j + 1) * w) } : {};
    const r = solve(a.A, y, { ...solverOpts, ...start } as never);
    res.X.set(r.x, j * w);
    res.support[j] = r.support;
    res.residualNorm[j] = r.residualNorm;
    res.iterations[j] = r.iterations;
    res.status[j] = r.status;
  }
  return res;
}

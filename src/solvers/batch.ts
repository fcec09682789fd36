// Many right-hand sides at once: Y = [y_1 ... y_p] (m x p, column-major) ->
// X = [x_1 ... x_p] (n x p). ompBatch has its own kernels (a WASM loop over
// the columns, and Batch-OMP from the Gram matrix); solveBatch runs any
// registered solver column by column on one resident operator.
import { checkEnum, checkInt, checkNumber, describe, readOptions } from '../core/errors.js';
import { gramJs, ompGramJs } from '../js/batchomp.js';
import { ompJs } from '../js/omp.js';
import { Matrix, maxAbsOf, scaleExponentOf } from '../core/matrix.js';
import { gramBytes, Operator } from '../core/operator.js';
import { GRAM_AUTO_MAX_BYTES, ompCosts } from './omp-cost.js';
import { descriptorOf, isSolverName, SOLVER_NAMES, SOLVERS, SolverName } from './registry.js';
import { omp, ompSolver } from './omp.js';
import { checkK, checkScales, MAX_ITER_CAP, OperatorLike, resolveMatrix, SolverSpec, SpecOptions } from './solve.js';
import { Backend, RawResult, SolveResult, SolverOptions, Status } from '../core/types.js';
import { availableBytes, wasm, isReady, scratchHeld } from '../core/wasm.js';
import { INFO_ITERATIONS, INFO_LEN, INFO_NNZ, INFO_RESIDUAL } from '../core/kernels.js';
import { runKernel, withOperator } from '../core/marshal.js';


/** Status of one column of a batch: a solver status, or 'error' when that signal could not be solved (see `errors`). */
export type BatchStatus = Status | 'error';

/** Why one column of a batch has no solution. */
export interface BatchColumnError {
  /** Column of Y (0-based). */
  index: number;
  /** Error class name ('RangeError', 'Error', ...). */
  name: string;
  message: string;
}

/** What every batch solver returns; column j of X answers column j of Y. */
export interface BatchResult {
  /** Rows of X (the columns of A). */
  n: number;
  /** Signals (columns of Y and of X). */
  p: number;
  /** Solutions, n x p column-major: column j is X.subarray(j n, (j + 1) n). Zero for a column with status 'error'. */
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

/** The result for OMP batches also says which path ran. */
export interface OmpBatchResult extends BatchResult {
  /** true: Batch-OMP from the Gram matrix; false: the plain omp kernel on each column. */
  precompute: boolean;
}

/** Options every batch form takes on top of its solver's options. */
export interface BatchOptions extends Omit<SolverOptions, 'out'> {
  /**
   * What a signal that cannot be solved (a column of Y with NaN or Infinity)
   * does: 'throw' (default): a RangeError naming the column, before any WASM
   * call; 'collect': that column gets status 'error' and an entry in
   * `errors`, every other column is solved.
   */
  onError?: 'throw' | 'collect';
}

/** Options of ompBatch. */
export interface OmpBatchOptions extends BatchOptions {
  /**
   * Batch-OMP from the Gram matrix G = A^T A (true), the plain kernel per
   * column (false), or 'auto' (default): whichever the cost model in
   * `ompBatchPlan` says is cheaper for this shape and number of signals,
   * within the memory rule (G takes 8 n^2 bytes: at most GRAM_AUTO_MAX_BYTES
   * for 'auto', and no more than the WASM memory limit leaves free;
   * GRAM_MAX_BYTES when forced).
   */
  precompute?: 'auto' | boolean;
}

/** Something holding Y: a Matrix (m x p) or a Float64Array of m*p values, column-major. */
export type BlockLike = Matrix | Float64Array;

export { GRAM_AUTO_MAX_BYTES };
/** Largest Gram matrix `precompute: true` may build: 1 GiB (n = 11585), a quarter of the 4 GiB wasm32 memory. */
export const GRAM_MAX_BYTES = 2 ** 30;

/**
 * The rule behind precompute: 'auto', in flops (omp-cost.ts ompCosts): p
 * signals on the plain path, against G (m n (n + 1), nothing if the operator
 * already holds it) and p signals on the Gram path. Gram is chosen when its total is smaller and G fits GRAM_AUTO_MAX_BYTES.
 * scikit-learn's precompute='auto' uses the Gram form whenever m > n; this
 * rule also counts the number of signals and a Gram matrix already held.
 */
export function ompBatchPlan(m: number, n: number, k: number, p: number, hasGram: boolean): { precompute: boolean; plainFlops: number; gramFlops: number } {
  const c = ompCosts(m, n, k);
  const plainFlops = p * c.plainPerSignal;
  const gramFlops = (hasGram ? 0 : c.gramOnce) + p * c.gramPerSignal;
  const fits = gramBytes(n) <= GRAM_AUTO_MAX_BYTES;
  return { precompute: fits && gramFlops < plainFlops, plainFlops, gramFlops };
}

/** Y as a column-major block of p columns of length m. */
export function toBlock(fn: string, Y: unknown, m: number, name = 'Y'): { data: Float64Array; p: number } {
  let data: Float64Array;
  const rows = name === 'Y' ? 'the rows of A' : 'the columns of A';
  if (Y instanceof Matrix) {
    if (Y.m !== m) throw new RangeError(`${fn}: ${name} must have ${m} rows (${rows}), received a ${Y.m} x ${Y.n} Matrix`);
    data = Y.data;
  } else if (Y instanceof Float64Array) {
    if (Y.length === 0 || Y.length % m !== 0) {
      throw new RangeError(`${fn}: ${name} must have a length that is a positive multiple of ${m} (${m} x p, column-major), received length ${Y.length}`);
    }
    data = Y;
  } else {
    throw new TypeError(`${fn}: ${name} must be a Matrix (${m} x p) or a Float64Array of ${m}*p values (column-major), received ${describe(Y)}`);
  }
  return { data, p: data.length / m };
}

/** The index of the first non-finite entry of column j, or -1. */
function badEntry(data: Float64Array, m: number, j: number): number {
  const off = j * m;
  for (let i = 0; i < m; i++) if (!Number.isFinite(data[off + i])) return i;
  return -1;
}

/**
 * Checks every column; returns the columns to solve and the errors of the
 * others (or throws, for onError 'throw'). With `matrix`, a finite column must
 * also pass the scale rules a single solve applies (checkScales in solve.ts:
 * finite norm, A and the signal within 2^960 in scale; the column-range rule
 * of A refuses the whole batch).
 */
export function screenColumns(fn: string, data: Float64Array, m: number, p: number, onError: 'throw' | 'collect', matrix?: Matrix): { good: number[]; errors: BatchColumnError[] } {
  const good: number[] = [];
  const errors: BatchColumnError[] = [];
  if (matrix) {
    const issue = matrix.columnRangeIssue();
    if (issue) throw new RangeError(`${fn}: A: ${issue}`);
  }
  for (let j = 0; j < p; j++) {
    const i = badEntry(data, m, j);
    let message = '';
    if (i >= 0) message = `${fn}: Y[${i}, ${j}] (row ${i} of signal ${j}) must be finite, received ${data[j * m + i]}`;
    else if (matrix) {
      try {
        checkScales(fn, matrix, data.subarray(j * m, (j + 1) * m), `Y[:, ${j}] (signal ${j})`);
      } catch (e) {
        message = (e as Error).message;
      }
    }
    if (!message) {
      good.push(j);
      continue;
    }
    if (onError === 'throw') throw new RangeError(message);
    errors.push({ index: j, name: 'RangeError', message });
  }
  return { good, errors };
}

/** An all-'error' result shell of n x p, filled in by the callers. */
export function emptyBatch(n: number, p: number): BatchResult {
  return {
    n,
    p,
    X: new Float64Array(n * p),
    support: Array.from({ length: p }, () => new Int32Array(0)),
    residualNorm: new Float64Array(p).fill(NaN),
    iterations: new Int32Array(p),
    status: new Array<BatchStatus>(p).fill('error'),
    errors: [],
  };
}

/** Column j of a batch result as a SolveResult (x is a view into X); throws for a column with status 'error'. */
export function batchColumn(r: BatchResult, j: number): SolveResult {
  checkInt('batchColumn', 'j', j, 0, r.p - 1);
  const s = r.status[j];
  if (s === 'error') {
    const e = r.errors.find((q) => q.index === j);
    throw new Error(`batchColumn: column ${j} has no solution: ${e?.message ?? 'unknown error'}`);
  }
  return { x: r.X.subarray(j * r.n, (j + 1) * r.n), support: r.support[j], residualNorm: r.residualNorm[j], iterations: r.iterations[j], status: s };
}

function setColumn(r: BatchResult, j: number, s: RawResult): void {
  r.X.set(s.x, j * r.n);
  r.support[j] = s.support;
  r.residualNorm[j] = s.residualNorm;
  r.iterations[j] = s.iterations;
  r.status[j] = s.status;
}

/** The common options of a batch call, checked. */
export interface BatchArgs {
  fn: string;
  matrix: Matrix;
  op: Operator | null;
  data: Float64Array;
  p: number;
  k: number;
  tol: number;
  backend: Backend;
  onError: 'throw' | 'collect';
}

/**
 * Checks the common batch arguments; `spec` gives the solver's k rule
 * (checkK: k required, or following from tol, or none taken) and default tol.
 */
export function prepareBatch(fn: string, A: unknown, Y: unknown, opts: unknown, spec: Pick<SolverSpec<SpecOptions>, 'takesK' | 'kFromTol' | 'defaultTol' | 'optionsHint'> = {}): BatchArgs {
  const { matrix, op } = resolveMatrix(fn, A);
  const { m, n } = matrix;
  const o = readOptions<BatchOptions & { out?: unknown }>(fn, opts, spec.optionsHint ?? '{ k }');
  const { data, p } = toBlock(fn, Y, m);
  const k = checkK({ ...spec, fn }, o as SpecOptions, m, n);
  const tol = o.tol === undefined ? spec.defaultTol ?? 0 : checkNumber(fn, 'tol', o.tol, 0, 1);
  if (o.maxIter !== undefined) checkInt(fn, 'maxIter', o.maxIter, 1, MAX_ITER_CAP);
  const backend = o.backend === undefined ? 'wasm' : checkEnum(fn, 'backend', o.backend, ['wasm', 'js'] as const);
  const onError = o.onError === undefined ? 'throw' : checkEnum(fn, 'onError', o.onError, ['throw', 'collect'] as const);
  if (o.out !== undefined) throw new TypeError(`${fn}: out is not supported by batch solvers (X is returned), received ${describe(o.out)}`);
  return { fn, matrix, op, data, p, k, tol, backend, onError };
}

/** Gram matrices of the JS backend, one per matrix. */
const jsGrams = new WeakMap<Matrix, Float64Array>();

/** Columns per WASM call: bounds the scratch block (Y, X and per-column outputs) to about BATCH_CHUNK_BYTES. */
const BATCH_CHUNK_BYTES = 32 * 2 ** 20;

/**
 * OMP on every column of Y (m x p): X (n x p) with per-column support,
 * residual norm, iterations and status. Column j equals
 * `omp(A, Y[:, j], opts)`: bit for bit on the plain path (the same kernel);
 * on the Gram path (Batch-OMP) to rounding (about 1e-13 relative here: the
 * least-squares fit comes from a Cholesky factor of G[S, S] instead of a
 * QR factor of A_S, so the summation order differs).
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator: then
 *   the Gram matrix is computed once and kept on it until dispose())
 * @param Y m x p signals (Matrix, or Float64Array of m*p values column-major)
 * @param opts `k` (1..min(m,n)), `tol` (default 0), `backend`, `onError`
 *   ('throw' default, or 'collect'), `precompute` ('auto' default, true, false)
 */
export function ompBatch(A: OperatorLike, Y: BlockLike, options: OmpBatchOptions): OmpBatchResult {
  const fn = 'ompBatch';
  const opts = readOptions<OmpBatchOptions>(fn, options, '{ k }');
  const a = prepareBatch(fn, A, Y, opts, ompSolver);
  const o = opts;
  const pre = o.precompute === undefined ? 'auto' : o.precompute;
  if (pre !== 'auto' && typeof pre !== 'boolean') {
    throw new TypeError(`${fn}: precompute must be 'auto', true or false, received ${describe(pre)}`);
  }
  for (const w of ['x0', 'X0'] as const) {
    const v = (opts as unknown as Record<string, unknown>)[w];
    if (v !== undefined) throw new TypeError(`${fn}: ${w} is not supported by OMP (it takes no warm start), received ${describe(v)}`);
  }
  const { matrix, k, tol } = a;
  const { m, n } = matrix;
  if (a.op?.structured && pre === true) {
    throw new TypeError(`${fn}: precompute: true needs the Gram matrix of a dense A: expected a Matrix or Operator.dense, received a ${a.op.kind} operator (use precompute: false or 'auto')`);
  }
  const { good, errors } = screenColumns(fn, a.data, m, a.p, a.onError, matrix);
  if (a.op?.structured) {
    // no dense A in WASM: no Gram matrix and no f32 screen; each column is omp on the operator (equal to it by construction)
    const res = emptyBatch(n, a.p) as OmpBatchResult;
    res.errors = errors;
    res.precompute = false;
    for (const j of good) setColumn(res, j, omp(a.op, a.data.subarray(j * m, (j + 1) * m), { k, tol, backend: a.backend }));
    return res;
  }
  const hasGram = a.backend === 'wasm' ? !!a.op?.hasGram : jsGrams.has(matrix);
  let precompute: boolean;
  if (pre === 'auto') {
    precompute = ompBatchPlan(m, n, k, good.length, hasGram).precompute;
    // memory rule, second half: 'auto' never builds a G that the WASM memory limit (setMemoryLimit) cannot hold now
    if (precompute && !hasGram && a.backend === 'wasm' && isReady() && gramBytes(n) > availableBytes()) precompute = false;
  }
  else {
    if (pre && gramBytes(n) > GRAM_MAX_BYTES) {
      throw new RangeError(`${fn}: precompute: true needs a Gram matrix of 8 n^2 = ${gramBytes(n)} bytes, above GRAM_MAX_BYTES = ${GRAM_MAX_BYTES}; use precompute: false or 'auto'`);
    }
    precompute = pre;
  }
  const res = emptyBatch(n, a.p) as OmpBatchResult;
  res.errors = errors;
  res.precompute = precompute;
  if (good.length === 0) return res;
  // A or a signal outside the kernels' safe range of scales (matrix.ts
  // SAFE_EXP): solve those columns by omp itself, which rescales them by
  // powers of two (solve.ts scaleProblem), so that every column still equals
  // omp(A, y) bit for bit; the batch kernels run unscaled.
  if (matrix.scaleExponent() !== 0 || good.some((j) => scaleExponentOf(maxAbsOf(a.data.subarray(j * m, (j + 1) * m))) !== 0)) {
    res.precompute = false;
    for (const j of good) setColumn(res, j, omp(a.op ?? matrix, a.data.subarray(j * m, (j + 1) * m), { k, tol, backend: a.backend }));
    return res;
  }
  if (a.backend === 'js') {
    let G: Float64Array | undefined;
    if (precompute) {
      G = jsGrams.get(matrix);
      if (!G) {
        G = gramJs(matrix);
        jsGrams.set(matrix, G);
      }
    }
    for (const j of good) {
      const y = a.data.subarray(j * m, (j + 1) * m);
      setColumn(res, j, G ? ompGramJs(matrix, G, y, { k, tol }) : ompJs(matrix, y, { k, tol }));
    }
    return res;
  }
  withOperator({ fn }, a, (op) => {
    const G = precompute ? op.gramPtr(fn) : 0;
    const wsBytes = precompute ? wasm().ompGramWorkspace(m, n, k) : wasm().ompBatchPlainWorkspace(m, n, k);
    // columns per call: what each column adds to the scratch block (Y, X,
    // support, info, status, each rounded up by the carver), within
    // BATCH_CHUNK_BYTES and within what the memory limit leaves (the scratch
    // block already held is reused)
    const perCol = 8 * (m + n + INFO_LEN) + 4 * (k + 1);
    const room = availableBytes() + scratchHeld() - wsBytes - 5 * 16;
    const chunk = Math.max(1, Math.min(good.length, Math.floor(BATCH_CHUNK_BYTES / perCol), Math.floor(room / perCol)));
    for (let c0 = 0; c0 < good.length; c0 += chunk) {
      const cols = good.slice(c0, c0 + chunk);
      const q = cols.length;
      runKernel({
        fn,
        what: `A (${m} x ${n}) with k = ${k}, ${q} signals per call`,
        received: `m = ${m}, n = ${n}, k = ${k}, p = ${a.p}`,
        bufs: {
          Y: { out: m * q },
          X: { out: n * q },
          support: { outI32: k * q },
          info: { out: INFO_LEN * q },
          status: { outI32: q },
          ws: { bytes: wsBytes },
        },
      }, (io) => {
        const { ptr } = io;
        const yv = io.view('Y');
        cols.forEach((j, i) => yv.set(a.data.subarray(j * m, (j + 1) * m), i * m));
        if (precompute) {
          wasm().ompBatchGram(op.ptr, m, n, op.normsPtr, G, ptr.Y, q, k, tol, ptr.X, ptr.support, ptr.info, ptr.status, ptr.ws);
        } else {
          wasm().ompBatchPlain(op.ptr, m, n, op.normsPtr, ptr.Y, q, k, tol, ptr.X, ptr.support, ptr.info, ptr.status, ptr.ws);
        }
        const info = io.view('info');
        const st = io.viewI32('status');
        const sup = io.viewI32('support');
        const xv = io.view('X');
        cols.forEach((j, i) => {
          const nnz = info[i * INFO_LEN + INFO_NNZ];
          res.X.set(xv.subarray(i * n, (i + 1) * n), j * n);
          res.support[j] = sup.slice(i * k, i * k + nnz);
          res.residualNorm[j] = info[i * INFO_LEN + INFO_RESIDUAL];
          res.iterations[j] = info[i * INFO_LEN + INFO_ITERATIONS];
          res.status[j] = io.status(st[i]);
        });
      });
    }
  });
  return res;
}

/**
 * Options of solveBatch: those of the solver (see its docs) plus BatchOptions,
 * and for solvers with a warm start either `x0` (length n, used for every
 * column) or `X0` (n x p, column j warm-starts signal j).
 */
export type SolveBatchOptions = BatchOptions & { X0?: BlockLike } & Record<string, unknown>;

/** The batch form of a solver's options: no `out`; `X0` (n x p) for per-column warm starts. */
export type BatchOf<O> = Omit<O, 'out'> & Omit<BatchOptions, 'k'> & { X0?: BlockLike };

/** Checks X0 (n x p) and returns its data, or null when absent. */
export function toWarmStarts(fn: string, X0: unknown, n: number, p: number, x0: unknown): Float64Array | null {
  if (X0 === undefined) return null;
  if (x0 !== undefined) throw new TypeError(`${fn}: give x0 (one warm start for all) or X0 (one per column), not both; received both`);
  const { data, p: q } = toBlock(fn, X0, n, 'X0');
  if (q !== p) throw new RangeError(`${fn}: X0 must have ${p} columns (one per signal), received ${q}`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new RangeError(`${fn}: X0[${i % n}, ${Math.floor(i / n)}] must be finite, received ${data[i]}`);
  }
  return data;
}

/**
 * Any registered solver on every column of Y (m x p). Column j equals
 * `solver(A, Y[:, j], opts)` bit for bit: the same kernel runs on one resident
 * copy of A. 'omp' goes to ompBatch (and so takes `precompute`).
 *
 * @param solver a solver name (SolverName: see docs/api.md)
 * @param A m x n (Matrix, number[][] rows, or an Operator)
 * @param Y m x p (Matrix, or Float64Array column-major)
 * @param opts the solver's options plus `onError`; `out` is not accepted
 */
export function solveBatch(solver: SolverName, A: OperatorLike, Y: BlockLike, opts: SolveBatchOptions): BatchResult {
  const fn = 'solveBatch';
  if (!isSolverName(solver)) {
    throw new RangeError(`${fn}: solver must be one of ${SOLVER_NAMES.map((s) => `'${s}'`).join(', ')}, received ${describe(solver)}`);
  }
  if (solver === 'omp') return ompBatch(A, Y, opts as OmpBatchOptions);
  return runBatch(descriptorOf(solver), SOLVERS[solver], A, Y, opts);
}

/** The column loop behind solveBatch and every `<solver>Batch`: `solve` (the solver `spec` describes) on each column. */
export function runBatch<O extends SpecOptions>(spec: SolverSpec<O>, solve: (A: OperatorLike, y: ArrayLike<number>, o: O) => SolveResult, A: OperatorLike, Y: BlockLike, options: BatchOf<O> | SolveBatchOptions): BatchResult {
  const fn = `${spec.fn}Batch`;
  const opts = readOptions<SolveBatchOptions>(fn, options, spec.optionsHint ?? '{ k }');
  const a = prepareBatch(fn, A, Y, opts, spec);
  const { matrix } = a;
  const { m, n } = matrix;
  const { good, errors } = screenColumns(fn, a.data, m, a.p, a.onError, matrix);
  const X0 = toWarmStarts(fn, opts.X0, n, a.p, opts.x0);
  const res = emptyBatch(n, a.p);
  res.errors = errors;
  if (good.length === 0) return res;
  const { onError: _onError, X0: _X0, ...rest } = opts;
  const solverOpts = rest as unknown as O;
  // The first column runs on the argument as given, so that the solver checks
  // its own options before anything is copied into WASM memory; the rest run
  // on one resident copy of A.
  let op: Operator | null = a.op;
  let temp = false;
  try {
    for (let q = 0; q < good.length; q++) {
      const j = good[q];
      const y = a.data.subarray(j * m, (j + 1) * m);
      const out = res.X.subarray(j * n, (j + 1) * n);
      const target: OperatorLike = op ?? matrix;
      const r = solve(target, y, X0 ? { ...solverOpts, out, x0: X0.subarray(j * n, (j + 1) * n) } : { ...solverOpts, out });
      setColumn(res, j, r);
      if (q === 0 && op === null && a.backend === 'wasm' && good.length > 1) {
        op = Operator.dense(matrix);
        temp = true;
      }
    }
  } finally {
    if (temp) op?.dispose();
  }
  return res;
}

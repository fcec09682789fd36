// The one path every solver call takes: validate, then run the WASM kernel or
// the JS twin. Nothing reaches WASM before every argument has been checked.
import { checkEnum, checkInt, checkNumber, describe, toVector } from './errors.js';
import { Matrix, MatrixLike, toMatrix } from './matrix.js';
import { Operator } from './operator.js';
import { Backend, RawResult, SolveResult, SolverOptions, STATUS_NAMES } from './types.js';
import { call, Carver, f64View, readF64, readI32, scratch, writeF64 } from './wasm.js';

/** Length of the info block the kernels fill (assembly/status.ts INFO_LEN). */
const INFO_LEN = 8;
/** Hard cap on maxIter, so that no call can loop for hours. */
export const MAX_ITER_CAP = 10_000_000;

/** A or a resident operator. */
export type OperatorLike = MatrixLike | Operator;

/** Everything a solver needs once its arguments are checked. */
export interface Problem {
  fn: string;
  matrix: Matrix;
  op: Operator | null;
  y: Float64Array;
  k: number;
  tol: number;
  maxIter: number;
  backend: Backend;
  x0: Float64Array | null;
}

/** How a solver plugs into the common path. */
export interface SolverSpec<O extends SolverOptions> {
  /** Public name, used in error messages. */
  fn: string;
  /** WASM export name (also `<wasm>Workspace`). */
  wasm: string;
  /** Default iteration cap. */
  defaultMaxIter(m: number, n: number, k: number): number;
  /** Whether `x0` is accepted. */
  warmStart: boolean;
  /** Checks solver-specific options and returns [p1, p2] for the kernel (both backends). */
  params(p: Problem, opts: O): [number, number];
  /** The JS twin (`extraLen`: see extraOutput; the twin returns that many values in `extraOut`). */
  js(p: Problem, p1: number, p2: number, extraLen: number): RawResult;
  /**
   * Length (f64 values) of an optional extra output (e.g. SEA's residual
   * history), 0 for none. When > 0 the WASM kernel receives a pointer to that
   * many doubles as a 16th argument, `extra`, after `ws` (0 otherwise).
   */
  extraOutput?(p: Problem, opts: O): number;
}

/** Resolves A (Matrix, number[][] or Operator). */
export function resolveMatrix(fn: string, A: unknown): { matrix: Matrix; op: Operator | null } {
  if (A instanceof Operator) {
    if (A.disposed) throw new Error(`${fn}: A is a disposed Operator; create a new one with Operator.dense(A)`);
    return { matrix: A.matrix, op: A };
  }
  return { matrix: toMatrix(fn, 'A', A), op: null };
}

/** Validates the common arguments. */
export function prepare<O extends SolverOptions>(spec: SolverSpec<O>, A: unknown, y: unknown, opts: unknown): { p: Problem; o: O } {
  const fn = spec.fn;
  const { matrix, op } = resolveMatrix(fn, A);
  const { m, n } = matrix;
  if (opts === undefined || opts === null || typeof opts !== 'object') {
    throw new TypeError(`${fn}: options must be an object with at least { k }, received ${describe(opts)}`);
  }
  const o = opts as O & { x0?: unknown };
  const yv = toVector(fn, 'y', y, m);
  const kmax = Math.min(m, n);
  const k = checkInt(fn, 'k', o.k, 1, kmax);
  const tol = o.tol === undefined ? 0 : checkNumber(fn, 'tol', o.tol, 0, 1);
  const maxIter = o.maxIter === undefined ? spec.defaultMaxIter(m, n, k) : checkInt(fn, 'maxIter', o.maxIter, 1, MAX_ITER_CAP);
  const backend = o.backend === undefined ? 'wasm' : checkEnum(fn, 'backend', o.backend, ['wasm', 'js'] as const);
  let x0: Float64Array | null = null;
  if (o.x0 !== undefined) {
    if (!spec.warmStart) throw new TypeError(`${fn}: x0 is not supported by this solver, received ${describe(o.x0)}`);
    x0 = toVector(fn, 'x0', o.x0);
    if (x0.length !== n) throw new RangeError(`${fn}: x0 must have length ${n} (the columns of A), received length ${x0.length}`);
  }
  if (o.out !== undefined && (!(o.out instanceof Float64Array) || o.out.length !== n)) {
    throw new TypeError(`${fn}: out must be a Float64Array of length ${n}, received ${describe(o.out)}`);
  }
  return { p: { fn, matrix, op, y: yv, k, tol, maxIter, backend, x0 }, o };
}

/** Runs the WASM kernel `name` with the common ABI (assembly/solvers/README.md). */
export function runWasm(name: string, p: Problem, p1: number, p2: number, extraWorkspace = 0, extraLen = 0): RawResult {
  const { matrix, k } = p;
  const { m, n } = matrix;
  const temp = p.op === null;
  const op = p.op ?? Operator.dense(matrix);
  try {
    const wsBytes = call(`${name}Workspace`, m, n, k) + extraWorkspace;
    const c = new Carver();
    const oy = c.take(m * 8);
    const ox = c.take(n * 8);
    const osup = c.take(k * 4);
    const oinfo = c.take(INFO_LEN * 8);
    const ox0 = p.x0 ? c.take(n * 8) : -1;
    const ows = c.take(wsBytes);
    const oextra = extraLen > 0 ? c.take(extraLen * 8) : -1;
    const base = scratch(c.total);
    writeF64(base + oy, p.y);
    if (p.x0) writeF64(base + ox0, p.x0);
    const code = call(name, op.ptr, m, n, op.normsPtr, base + oy, k, p.maxIter, p.tol, p1, p2,
      p.x0 ? base + ox0 : 0, base + ox, base + osup, base + oinfo, base + ows, extraLen > 0 ? base + oextra : 0);
    const info = f64View(base + oinfo, INFO_LEN);
    const nnz = info[2];
    const result: RawResult = {
      x: new Float64Array(0),
      support: new Int32Array(0),
      residualNorm: info[0],
      iterations: info[1],
      status: STATUS_NAMES[code] ?? 'premature',
      extra: info[3],
    };
    result.support = readI32(base + osup, nnz);
    result.x = readF64(base + ox, n);
    if (extraLen > 0) result.extraOut = readF64(base + oextra, Math.min(extraLen, result.iterations));
    return result;
  } finally {
    if (temp) op.dispose();
  }
}

/** The whole public path of a solver. */
export function runSolver<O extends SolverOptions>(spec: SolverSpec<O>, A: unknown, y: unknown, opts: unknown): RawResult {
  const { p, o } = prepare(spec, A, y, opts);
  return runPrepared(spec, p, o);
}

/** runSolver after `prepare` (for solvers that adjust the problem in between, e.g. SEA's warm start). */
export function runPrepared<O extends SolverOptions>(spec: SolverSpec<O>, p: Problem, o: O): RawResult {
  const [p1, p2] = spec.params(p, o);
  const extraLen = spec.extraOutput?.(p, o) ?? 0;
  const r = p.backend === 'js' ? spec.js(p, p1, p2, extraLen) : runWasm(spec.wasm, p, p1, p2, 0, extraLen);
  if (o.out) {
    o.out.set(r.x);
    r.x = o.out;
  }
  return r;
}

/** Drops the internal `extra` field. */
export function publicResult(r: RawResult): SolveResult {
  const { x, support, residualNorm, iterations, status } = r;
  return { x, support, residualNorm, iterations, status };
}

/** Default step mu = 1 / ||A||_2^2 (cached per matrix, computed in WASM on the wasm backend or when an operator is at hand). */
export function defaultStep(p: Problem): number {
  let s: number;
  if (p.matrix.hasSpectralNorm()) s = p.matrix.spectralNorm();
  else if (p.op) s = p.op.spectralNorm();
  else if (p.backend === 'wasm') {
    // the WASM power iteration is several times faster than the JS one; both cache on the matrix
    const op = Operator.dense(p.matrix);
    try {
      s = op.spectralNorm();
    } finally {
      op.dispose();
    }
  } else s = p.matrix.spectralNorm();
  return s > 0 ? 1 / (s * s) : 1;
}

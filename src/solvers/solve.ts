// The one path every solver call takes: validate, then run the WASM kernel or
// the JS twin. Nothing reaches WASM before every argument has been checked.
import { solverDescriptors } from './registry.js'; // used at call time only: the import cycle is harmless
import { checkEnum, checkInt, checkNumber, describe, readOptions, toVector } from '../core/errors.js';
import { exponentOf, ldexp, Matrix, MatrixLike, maxAbsOf, scaleExponentOf, toMatrix } from '../core/matrix.js';
import { norm2 } from '../js/linalg.js';
import { Operator, OperatorMatrix } from '../core/operator.js';
import { INFO_EXTRA, INFO_ITERATIONS, INFO_LEN, INFO_NNZ, INFO_RESIDUAL, Kernels, Ptr } from '../core/kernels.js';
import { runKernel, withOperator } from '../core/marshal.js';
import { Backend, RawResult, SolveResult, SolverOptions } from '../core/types.js';
import { wasm } from '../core/wasm.js';

/** Hard cap on maxIter, so that no call can loop for hours. */
export const MAX_ITER_CAP = 10_000_000;

/** The options a solver spec reads: the common ones, with k optional (see SolverSpec.takesK). */
export type SpecOptions = Omit<SolverOptions, 'k'> & { k?: number };

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
  /** The solver takes no k (k is then n, the capacity of the support output): messages leave k out. */
  noK?: boolean;
  /**
   * The problem is scaled: `matrix` is A / 2^ea and `y` is y / 2^ey (0 or
   * absent before runPrepared scales it; see scaleProblem). User step sizes
   * go through userStep.
   */
  ea?: number;
  ey?: number;
}

/** How a solver plugs into the common path. */
export interface SolverSpec<O extends SpecOptions> {
  /** Public name, used in error messages. */
  fn: string;
  /** The WASM kernel (with `<wasm>Workspace64`). */
  wasm: SolverKernel;
  /** Default iteration cap. */
  defaultMaxIter(m: number, n: number, k: number): number;
  /** Whether `x0` is accepted. */
  warmStart: boolean;
  /**
   * false for a solver whose support size is not an option (e.g. fista, whose
   * support is the nonzeros of x): `k` is refused, and the kernel receives
   * k = n as the capacity of its support output. Default true.
   */
  takesK?: boolean;
  /** Default `tol` (0 when absent). */
  defaultTol?: number;
  /** The options a call must give, named when opts is not an object (default '{ k }'). */
  optionsHint?: string;
  /**
   * Checks the solver's own options and returns the kernel's one parameter
   * `p1` (e.g. a step size; both backends get it). Absent: 0.
   */
  param?(p: Problem, opts: O): number;
  /**
   * The JS twin on the (scaled) problem, with `param` (see param) and
   * `extraLen` (see extraOutput; the twin returns that many values in `extraOut`).
   */
  js(p: Problem, param: number, extraLen: number): RawResult;
  /**
   * Turns the raw result into the solver's own after unscale: `q` is the
   * scaled problem the kernel saw; `r.info` holds the kernel's info vector
   * (or what the JS twin put there). Absent: the result is used as it is.
   */
  finish?(r: RawResult, q: Problem, o: O): void;
  /**
   * Length (f64 values) of an optional extra output (e.g. SEA's residual
   * history), 0 for none. When > 0 the WASM kernel receives a pointer to that
   * many doubles as a 16th argument, `extra`, after `ws` (0 otherwise).
   */
  extraOutput?(p: Problem, opts: O): number;
  /**
   * A WASM path of its own for some problems (OMP on a resident operator,
   * omp-resident.ts): its result, or null for the common kernel call.
   * `extraLen` is the extra output asked for (the common call serves it).
   */
  wasmRun?(p: Problem, extraLen: number): RawResult | null;
  /**
   * The extra output is not a per-iteration history: read all extraOutput values
   * (not the first `iterations`), and unscale them with unscaleExtra.
   */
  extraWhole?: boolean;
  /** Undoes scaleProblem on the extra output (default: every value times 2^ey, a residual history). */
  unscaleExtra?(extra: Float64Array, ea: number, ey: number): void;
  /**
   * `k` may be left out when `tol` is given: it then defaults to min(m, n), and
   * the solve stops on the residual alone (scikit-learn's OMP with only tol).
   */
  kFromTol?: boolean;
}

/** A kernel call other than the common ABI, for runWasm: its workspace bytes and the call on the marshalled buffers. */
export interface WasmCall {
  workspace: number;
  call(op: Operator, y: Ptr, x: Ptr, support: Ptr, info: Ptr, ws: Ptr): number;
}

/** Resolves A (Matrix, number[][] or Operator). */
export function resolveMatrix(fn: string, A: unknown): { matrix: Matrix; op: Operator | null } {
  // the Matrix face of a structured operator stands for the operator (its entries are never assembled for a WASM solve)
  if (A instanceof OperatorMatrix) A = A.operatorOf;
  if (A instanceof Operator) {
    if (A.disposed) throw new TypeError(`${fn}: A is a disposed Operator: expected a live Operator (create a new one with Operator.dense(A)), received one whose dispose() was called`);
    return { matrix: A.matrix, op: A };
  }
  return { matrix: toMatrix(fn, 'A', A), op: null };
}

/** Validates the common arguments. */
export function prepare<O extends SpecOptions>(spec: SolverSpec<O>, A: unknown, y: unknown, opts: unknown): { p: Problem; o: O } {
  const fn = spec.fn;
  const { matrix, op } = resolveMatrix(fn, A);
  const { m, n } = matrix;
  const o = readOptions<O & { x0?: unknown }>(fn, opts, spec.optionsHint ?? '{ k }');
  const yv = toVector(fn, 'y', y, m);
  const k = checkK(spec, o, m, n);
  const tol = o.tol === undefined ? spec.defaultTol ?? 0 : checkNumber(fn, 'tol', o.tol, 0, 1);
  const maxIter = o.maxIter === undefined ? spec.defaultMaxIter(m, n, k) : checkInt(fn, 'maxIter', o.maxIter, 1, MAX_ITER_CAP);
  const backend = o.backend === undefined ? 'wasm' : checkEnum(fn, 'backend', o.backend, ['wasm', 'js'] as const);
  let x0: Float64Array | null = null;
  if (o.x0 !== undefined) {
    if (!spec.warmStart) throw new TypeError(`${fn}: x0 must be undefined (${fn} takes no warm start), received ${describe(o.x0)}`);
    x0 = toVector(fn, 'x0', o.x0);
    if (x0.length !== n) throw new RangeError(`${fn}: x0 must have length ${n} (the columns of A), received length ${x0.length}`);
  }
  if (o.out !== undefined && (!(o.out instanceof Float64Array) || o.out.length !== n)) {
    throw new TypeError(`${fn}: out must be a Float64Array of length ${n}, received ${describe(o.out)}`);
  }
  // scale checks last (they read all of A once, then cache)
  checkScales(fn, matrix, yv);
  return { p: { fn, matrix, op, y: yv, k, tol, maxIter, backend, x0, noK: spec.takesK === false }, o };
}

/**
 * The sparsity of a call: `o.k` checked against min(m, n); min(m, n) when k
 * may follow from tol (kFromTol) and is left out; n (the capacity of the
 * support output) for a solver that takes no k, which then refuses one.
 */
export function checkK(spec: Pick<SolverSpec<SpecOptions>, 'fn' | 'takesK' | 'kFromTol'>, o: SpecOptions, m: number, n: number): number {
  const fn = spec.fn;
  const kmax = Math.min(m, n);
  if (spec.takesK === false) {
    if (o.k !== undefined) throw new TypeError(`${fn}: k must be undefined (${fn} has no sparsity option: its support is the nonzeros of x), received ${describe(o.k)}`);
    return n;
  }
  if (spec.kFromTol && o.k === undefined) {
    if (o.tol === undefined) throw new TypeError(`${fn}: options must give k (an integer in [1, ${kmax}]) or tol (then k defaults to min(m, n) = ${kmax}), received neither`);
    return kmax;
  }
  if (o.k === undefined && o.tol !== undefined) {
    throw new TypeError(`${fn}: k must be an integer in [1, ${kmax}], received undefined (only ${kFromTolNames()} stop on tol alone; ${fn} needs its sparsity k)`);
  }
  return checkInt(fn, 'k', o.k, 1, kmax);
}

/** The solvers whose k may be left out when tol is given (their descriptors set kFromTol), for messages. */
function kFromTolNames(): string {
  const names = solverDescriptors().filter((d) => d.kFromTol).map((d) => d.fn);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names.join('');
}

/**
 * The kernels with the common solver ABI (assembly/solvers/README.md): those
 * exporting `<name>Workspace64`, the exact workspace size (f64, so it does not
 * wrap beyond 4 GiB).
 */
export type SolverKernel = Exclude<{ [K in keyof Kernels]: `${K}Workspace64` extends keyof Kernels ? K : never }[keyof Kernels], ResidentKernel>;
/** Kernels with a `<name>Workspace64` but an ABI of their own: OMP's resident path (runWasm's `custom`), the soft ops (soft/soft.ts, complex/soft.ts). */
type ResidentKernel = 'ompResident' | 'softOmp' | 'softIht' | 'complexSoftOmp' | 'complexSoftIht';

/**
 * Workspace bytes of kernel `name` at (m, n, k); `structured` when A is a
 * structured operator (a kernel whose layout depends on it, such as sea's,
 * takes it as a fourth argument; the others ignore it).
 */
export function workspaceBytes(name: SolverKernel, m: number, n: number, k: number, structured = false): number {
  let key = WORKSPACE_OF.get(name);
  if (key === undefined) WORKSPACE_OF.set(name, (key = `${name}Workspace64`));
  return wasm()[key](m, n, k, structured ? 1 : 0);
}

/** The workspace export of each solver kernel, named once (not rebuilt on every call). */
const WORKSPACE_OF = new Map<SolverKernel, `${SolverKernel}Workspace64`>();

/**
 * The scale rules every solver applies after its argument checks (RangeError
 * naming A or y): ||y|| must be finite, the nonzero columns of A within
 * 2^COLUMN_RANGE_EXP of each other in norm, and A and y within 2^SCALE_GAP_EXP
 * of each other in scale. `name` names y in messages (e.g. 'Y[3]' for a batch column).
 */
export function checkScales(fn: string, matrix: Matrix, yv: Float64Array, name = 'y'): void {
  const ey = scaleExponentOf(maxAbsOf(yv));
  const ynorm = ey === 0 ? norm2(yv) : ldexp(norm2(yv.map((v) => ldexp(v, -ey))), ey);
  if (!(ynorm <= Number.MAX_VALUE)) {
    throw new RangeError(`${fn}: ${name} must have a norm ||${name}|| below ${Number.MAX_VALUE} (the largest float64), received entries up to ${maxAbsOf(yv)} whose norm overflows`);
  }
  const issue = matrix.columnRangeIssue();
  if (issue) throw new RangeError(`${fn}: A: ${issue}`);
  const ymax = maxAbsOf(yv);
  if (ymax > 0 && matrix.maxAbs() > 0) {
    const gap = exponentOf(ymax) - exponentOf(matrix.maxAbs());
    if (Math.abs(gap) > SCALE_GAP_EXP) {
      throw new RangeError(`${fn}: A and ${name} must be within a factor 2^${SCALE_GAP_EXP} of each other in scale (x is about max|${name}| / max|A|, which must stay a normal float64), received max |a_ij| = ${matrix.maxAbs()} and max |${name}_i| = ${ymax} (a factor 2^${gap})`);
    }
  }
}

/** Runs the WASM kernel `name` with the common ABI (assembly/solvers/README.md). */
export function runWasm(name: SolverKernel, p: Problem, p1: number, extraWorkspace = 0, extraLen = 0, custom?: WasmCall, extraWhole = false): RawResult {
  const { matrix, k } = p;
  const { m, n } = matrix;
  return runKernel({
    fn: p.fn,
    what: `A (${m} x ${n})${p.noK ? '' : ` with k = ${k}`}`,
    received: `m = ${m}, n = ${n}${p.noK ? '' : `, k = ${k}`}${extraLen > 0 ? `, ${extraLen} history values` : ''}`,
    A: p,
    bufs: {
      y: { f64: p.y },
      x: { out: n },
      support: { outI32: k },
      info: { out: INFO_LEN },
      x0: { f64: p.x0 },
      ws: { bytes: custom ? custom.workspace : workspaceBytes(name, m, n, k, p.op?.structured === true) + extraWorkspace },
      extra: extraLen > 0 ? { out: extraLen } : null,
    },
  }, (io) => {
    const { ptr, op } = io;
    const code = custom ? custom.call(op, ptr.y, ptr.x, ptr.support, ptr.info, ptr.ws)
      : wasm()[name](op.ptr, m, n, op.normsPtr, ptr.y, k, p.maxIter, p.tol, p1, ptr.x0, ptr.x, ptr.support, ptr.info, ptr.ws, ptr.extra);
    const info = io.f64('info');
    const result: RawResult = {
      x: new Float64Array(0),
      support: io.i32('support', info[INFO_NNZ]),
      residualNorm: info[INFO_RESIDUAL],
      iterations: info[INFO_ITERATIONS],
      status: io.status(code),
      extra: info[INFO_EXTRA],
      info, // a copy already
    };
    result.x = io.f64('x');
    if (extraLen > 0) result.extraOut = io.f64('extra', extraWhole ? extraLen : Math.min(extraLen, result.iterations));
    return result;
  });
}

/** The whole public path of a solver. */
export function runSolver<O extends SpecOptions>(spec: SolverSpec<O>, A: unknown, y: unknown, opts: unknown): RawResult {
  const { p, o } = prepare(spec, A, y, opts);
  return runPrepared(spec, p, o);
}

/**
 * The problem the kernels see: A / 2^ea and y / 2^ey when max |a_ij| or
 * max |y_i| lies outside [2^-SAFE_EXP, 2^SAFE_EXP] (matrix.ts), and the
 * warm start x0 * 2^(ea - ey) to match. Powers of two scale exactly, and
 * every solver commutes with the scaling, so unscale() gives the results of
 * the unscaled problem. Returns `p` itself when nothing needs scaling.
 */
export function scaleProblem(p: Problem): Problem {
  const ea = p.matrix.scaleExponent();
  const ey = scaleExponentOf(maxAbsOf(p.y));
  if (ea === 0 && ey === 0) return p;
  const y = ey === 0 ? p.y : p.y.map((v) => ldexp(v, -ey));
  let x0 = p.x0;
  if (x0) {
    const s = ea - ey;
    x0 = x0.map((v) => ldexp(v, s));
    for (let j = 0; j < x0.length; j++) {
      if (!Number.isFinite(x0[j])) {
        throw new RangeError(`${p.fn}: x0[${j}] must be of a size A x0 can have without overflow (about max|y| / max|A| = 2^${ey - ea} or less), received ${p.x0![j]}`);
      }
    }
  }
  // a resident operator holds the unscaled A: when A itself is scaled the
  // kernels get a temporary copy of the scaled one instead
  return { ...p, matrix: p.matrix.scaled(), op: ea === 0 ? p.op : null, y, x0, ea, ey };
}

/**
 * A step size given by the user (in the units of the unscaled problem) for
 * the scaled problem: steps multiply A^T r, so they scale by 2^(2 ea);
 * clamped to the finite positive doubles (a step beyond them makes the
 * iteration diverge either way, which its status then says).
 */
export function userStep(p: Problem, v: number): number {
  const s = ldexp(v, 2 * (p.ea ?? 0));
  return Math.min(Math.max(s, Number.MIN_VALUE), Number.MAX_VALUE);
}

/**
 * Largest |log2(max|y|) - log2(max|A|)| accepted (prepare): x is about
 * 2^gap times the solution at unit scale, so a gap of 960 leaves 2^63 of
 * headroom for the conditioning of A before x overflows float64 (2^1024),
 * and what underflows at the other end contributes less than 2^-114 ||y||
 * to A x (below rounding). A larger gap means x is not representable.
 */
export const SCALE_GAP_EXP = 960;

/**
 * Undoes scaleProblem on a result: x * 2^(ey - ea), residuals * 2^ey. An x
 * or residual that overflows float64 once unscaled (only an extremely
 * ill-conditioned A or a wild warm start gets there) becomes a 'diverged'
 * result with x = 0, as if the kernel itself had overflowed.
 */
export function unscale(p: Problem, q: Problem, r: RawResult, unscaleExtra?: (extra: Float64Array, ea: number, ey: number) => void): void {
  if (q === p) return;
  const ea = q.ea ?? 0;
  const ey = q.ey ?? 0;
  const s = ey - ea;
  const x = r.x;
  let over = false;
  for (let j = 0; j < x.length; j++) {
    if (x[j] === 0) continue;
    x[j] = ldexp(x[j], s);
    if (!Number.isFinite(x[j])) over = true;
  }
  r.residualNorm = ldexp(r.residualNorm, ey);
  if (over || !(r.residualNorm <= Number.MAX_VALUE)) {
    r.x.fill(0);
    r.support = new Int32Array(0);
    r.residualNorm = ldexp(norm2(q.y), ey);
    r.status = 'diverged';
  }
  if (r.extraOut && unscaleExtra) unscaleExtra(r.extraOut, ea, ey);
  else if (r.extraOut) for (let i = 0; i < r.extraOut.length; i++) r.extraOut[i] = ldexp(r.extraOut[i], ey);
}

/** runSolver after `prepare` (for solvers that adjust the problem in between, e.g. SEA's warm start). */
export function runPrepared<O extends SpecOptions>(spec: SolverSpec<O>, p0: Problem, o: O): RawResult {
  const p = scaleProblem(p0);
  const p1 = spec.param?.(p, o) ?? 0;
  const extraLen = spec.extraOutput?.(p, o) ?? 0;
  const r = p.backend === 'js' ? spec.js(p, p1, extraLen) : spec.wasmRun?.(p, extraLen) ?? runWasm(spec.wasm, p, p1, 0, extraLen, undefined, spec.extraWhole);
  unscale(p0, p, r, spec.unscaleExtra);
  spec.finish?.(r, p, o);
  if (o.out) {
    o.out.set(r.x);
    r.x = o.out;
  }
  return r;
}

/** A solver's public call: runSolver, then publicResult. */
export function solveWith<O extends SpecOptions>(spec: SolverSpec<O>, A: unknown, y: unknown, opts: O): SolveResult {
  return publicResult(runSolver(spec, A, y, opts));
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
    const { m, n } = p.matrix;
    const k = p.noK ? '' : `, k = ${p.k}`;
    s = withOperator({ fn: p.fn, what: `A (${m} x ${n})${p.noK ? '' : ` with k = ${p.k}`}`, received: `m = ${m}, n = ${n}${k}` }, p, (op) => op.spectralNorm());
  } else s = p.matrix.spectralNorm();
  return s > 0 ? 1 / (s * s) : 1;
}

/**
 * Internal (tests and benchmarks): switches OMP's f32 screen
 * (assembly/screen.ts) on or off. The results are the same either way.
 */
export function setOmpScreening(on: boolean): void {
  wasm().setOmpScreening(on ? 1 : 0);
}

/**
 * Internal (tests and benchmarks): selections made by OMP's f32 screen and
 * candidates it recomputed in f64, since the last reset; resets them.
 */
export function takeOmpScreenCounters(): { screened: number; exact: number } {
  return runKernel({ fn: 'takeOmpScreenCounters', what: 'two counters', received: '', bufs: { c: { out: 2 } } }, (io) => {
    wasm().ompScreenCounters(io.ptr.c, 1);
    const v = io.f64('c');
    return { screened: v[0], exact: v[1] };
  });
}

// Soft-OMP and Soft-IHT on complex data: the public functions over the WASM
// kernels of assembly/complex/softomp.ts and softiht.ts (backend 'wasm', the
// default; every call through the marshaller, src/core/marshal.ts runKernel)
// and their JS twins, src/js/complex/softomp.ts and softiht.ts (backend 'js').
// A is a ComplexMatrix, y and x are interleaved complex vectors (2m and 2n
// doubles), the weights w and the temperature tau are real; the SoftSort
// acts on moduli. Every argument is checked (RangeError / TypeError naming
// the function and the argument, and for a complex number the element and
// the part) before anything runs.
//
// Gradient convention: for the real loss L and a complex quantity a + ib the
// gradient is dL/da + i dL/db, stored interleaved like the quantity (so
// dL = Re(conj(g) . d(a + ib)); for a real-valued function of x this is
// twice the conjugate-Wirtinger derivative dL/d conj(x)). gx and gy follow it;
// gw and gtau are ordinary real gradients.
import { checkEnum, checkInt, checkNumber, describe, readOptions, toVector } from '../core/errors.js';
import { INFO_ITERATIONS, INFO_LEN, INFO_RESIDUAL } from '../core/kernels.js';
import { runKernel, type Buf, type KernelCall } from '../core/marshal.js';
import type { Backend } from '../core/types.js';
import { wasm } from '../core/wasm.js';
import { Matrix, maxAbsOf, SAFE_EXP, scaleExponentOf } from '../core/matrix.js';
import { TAU_MIN, type SoftStatus } from '../soft/soft.js';
import { MAX_ITER_CAP } from '../solvers/solve.js';
import { checkComplexVector, ComplexMatrix } from '../js/complex/cmatrix.js';
import { complexSoftOmpJs, complexSoftOmpVjpJs, type ComplexSoftOmpJsResult } from '../js/complex/softomp.js';
import { complexSoftIhtJs, complexSoftIhtVjpJs, type ComplexSoftIhtJsResult } from '../js/complex/softiht.js';
import { complexSpectralNorm } from './solve.js';

/** Options of complexSoftOmp and its relatives. */
export interface ComplexSoftOmpOptions {
  /** Iterations L: integer in [1, min(m, n)] (one soft atom each). Required. */
  iterations: number;
  /** Temperature: 0 (hard, weighted OMP: argmax |w_j a_j^H r|) or a finite number >= 1e-100. Required. */
  tau: number;
  /** Real weights w (length n, finite, any sign); default all ones. */
  w?: ArrayLike<number>;
  /** 'wasm' (default; needs `await init()`) or 'js' (the pure-TS twin). */
  backend?: Backend;
}

/** Options of complexSoftIht and its relatives. */
export interface ComplexSoftIhtOptions extends Omit<ComplexSoftOmpOptions, 'iterations'> {
  /** Iterations L: integer in [1, 10^7]. Required. */
  iterations: number;
  /** Rows of the SoftSort (the sparsity s): integer in [1, n]. Required. */
  k: number;
  /** Step eta, finite, > 0. Default 1 / ||A||_2^2 (complexSpectralNorm, cached per matrix). */
  eta?: number;
}

/** Options of the forward solvers. */
export interface ComplexSoftForwardOptions {
  /** Also return x after every iteration (default false). */
  history?: boolean;
}

/** Result of complexSoftOmp / complexSoftIht. */
export interface ComplexSoftResult {
  /** The estimate: 2n doubles, interleaved re/im (dense for tau > 0). */
  x: Float64Array;
  /** ||y - A x||_2 (complex norm). */
  residualNorm: number;
  /** Iterations run (fewer than asked only when status is not 'converged'). */
  iterations: number;
  status: SoftStatus;
  /** Soft-OMP: per iteration, the index of the largest weight of its soft row. Soft-IHT: the k indices of largest |w . u| at the last iteration, largest first. */
  selected: Int32Array;
  /** x (2n doubles) after each of the iterations asked for, with `history: true`. */
  history?: Float64Array[];
}

/** Result of the VJPs. */
export interface ComplexSoftVjpResult {
  /** The forward estimate, 2n doubles. */
  x: Float64Array;
  /** dL/dw, length n (all zero at tau = 0). */
  gw: Float64Array;
  /** dL/dy, 2m doubles: dL/dRe y_i + i dL/dIm y_i, interleaved. */
  gy: Float64Array;
  /** dL/dtau (0 at tau = 0). */
  gtau: number;
  residualNorm: number;
  iterations: number;
  status: SoftStatus;
}

/** Result of the batched forward solvers. */
export interface ComplexSoftBatchResult {
  /** n x N complex, column b = the estimate for sample b. */
  X: ComplexMatrix;
  status: SoftStatus[];
  /** Per sample ||y_b - A x_b||. */
  residualNorms: Float64Array;
}

/** Options of the batched VJPs. */
export interface ComplexSoftBatchVjpOptions {
  /** Also return dL/dY (m x N complex; default false). */
  gradY?: boolean;
}

/** Result of the batched VJPs (one training step's numbers). */
export interface ComplexSoftBatchVjpResult {
  /** (1/N) sum_b ||Re(x_b) - xTarget_b||^2. */
  loss: number;
  /** dL/dw, length n. */
  gw: Float64Array;
  /** dL/dtau. */
  gtau: number;
  /** The estimates, n x N complex. */
  X: ComplexMatrix;
  /** dL/dY (m x N complex, the convention above) when gradY. */
  gY?: ComplexMatrix;
  status: SoftStatus[];
}

interface Args {
  fn: string;
  A: ComplexMatrix;
  L: number;
  tau: number;
  w: Float64Array;
  k: number;
  eta: number;
  history: boolean;
  gradY: boolean;
  backend: Backend;
}

const allFinite = (v: ArrayLike<number>) => {
  for (let i = 0; i < v.length; i++) if (!(v[i] - v[i] === 0)) return false;
  return true;
};

const ONES = new Map<number, Float64Array>();
function ones(n: number): Float64Array {
  let v = ONES.get(n);
  if (!v) {
    v = new Float64Array(n).fill(1);
    ONES.set(n, v);
  }
  return v;
}

/** The soft solvers' range of scales (see checkSafeScale in src/soft/soft.ts): largest part in [2^-100, 2^100], or 0 for y. */
function checkSafeScale(fn: string, name: string, v: Float64Array): void {
  const mx = maxAbsOf(v);
  if (mx !== 0 && scaleExponentOf(mx) !== 0) {
    throw new RangeError(`${fn}: ${name} must have its largest real or imaginary part in [2^-${SAFE_EXP}, 2^${SAFE_EXP}] (about 7.9e-31 to 1.3e30; the soft solvers' tau depends on the scale, so rescale A, y and tau together), received max |${name}| = ${mx}`);
  }
}

function checkTau(fn: string, tau: unknown): number {
  const range = `0 (hard selection) or a finite number >= ${TAU_MIN}`;
  if (typeof tau !== 'number') throw new TypeError(`${fn}: tau must be ${range}, received ${describe(tau)}`);
  if (!Number.isFinite(tau) || (tau !== 0 && tau < TAU_MIN)) throw new RangeError(`${fn}: tau must be ${range}, received ${describe(tau)}`);
  return tau === 0 ? 0 : tau;
}

function checkA(fn: string, A: unknown): ComplexMatrix {
  if (!(A instanceof ComplexMatrix)) {
    throw new TypeError(`${fn}: A must be a ComplexMatrix (m x n, interleaved re/im, column-major; e.g. fourierMatrix(n, rows)), received ${describe(A)}`);
  }
  // A.data is a plain Float64Array: it may have been written since construction
  if (!allFinite(A.data)) checkComplexVector(fn, 'A.data', A.data, A.m * A.n);
  checkSafeScale(fn, 'A', A.data);
  return A;
}

function args(fn: string, kind: 'omp' | 'iht', A: unknown, opts: unknown): Args {
  const Am = checkA(fn, A);
  const { m, n } = Am;
  const o = readOptions<Record<string, unknown>>(fn, opts, kind === 'omp' ? '{ iterations, tau }' : '{ k, iterations, tau }');
  const L = checkInt(fn, 'iterations', o.iterations, 1, kind === 'omp' ? Math.min(m, n) : MAX_ITER_CAP);
  const tau = checkTau(fn, o.tau);
  const w = o.w === undefined ? ones(n) : toVector(fn, 'w', o.w);
  if (w.length !== n) throw new RangeError(`${fn}: w must have length ${n} (the columns of A), received length ${w.length}`);
  const backend = o.backend === undefined ? 'wasm' : checkEnum(fn, 'backend', o.backend, ['wasm', 'js'] as const);
  let k = 1;
  let eta = 0;
  if (kind === 'iht') {
    k = checkInt(fn, 'k', o.k, 1, n);
    if (o.eta === undefined) {
      const s = complexSpectralNorm(Am);
      eta = s > 0 ? 1 / (s * s) : 1;
    } else eta = checkNumber(fn, 'eta', o.eta, 0, Number.MAX_VALUE, { openLo: true });
  } else {
    for (const name of ['k', 'eta'] as const) {
      if (o[name] !== undefined) throw new TypeError(`${fn}: ${name} must be undefined (${fn} takes no ${name}), received ${describe(o[name])}`);
    }
  }
  return { fn, A: Am, L, tau, w, k, eta, history: o.history === undefined ? false : !!o.history, gradY: !!o.gradY, backend };
}

function yOf(a: Args, y: unknown, name = 'y'): Float64Array {
  const v = checkComplexVector(a.fn, name, y, a.A.m);
  checkSafeScale(a.fn, name, v);
  return v;
}

function forwardJs(kind: 'omp' | 'iht', a: Args, y: Float64Array, history: boolean): ComplexSoftOmpJsResult | ComplexSoftIhtJsResult {
  return kind === 'omp' ? complexSoftOmpJs(a.A, y, a.w, a.L, a.tau, history) : complexSoftIhtJs(a.A, y, a.w, a.k, a.L, a.eta, a.tau, history);
}

function vjpJs(kind: 'omp' | 'iht', a: Args, y: Float64Array, gx: Float64Array, fwd?: ComplexSoftOmpJsResult | ComplexSoftIhtJsResult) {
  return kind === 'omp'
    ? complexSoftOmpVjpJs(a.A, y, a.w, a.L, a.tau, gx, fwd as ComplexSoftOmpJsResult | undefined)
    : complexSoftIhtVjpJs(a.A, y, a.w, a.k, a.L, a.eta, a.tau, gx, fwd as ComplexSoftIhtJsResult | undefined);
}

const SOFT_STATUSES: readonly SoftStatus[] = ['converged', 'premature', 'diverged', 'degenerate'];

/** A kernel call for the marshaller: refusals name the function and count A, the vectors, the tape and the workspace. */
function softCall<B extends Record<string, Buf>>(kind: 'omp' | 'iht', a: Args, bufs: B): KernelCall<B> {
  const { m, n } = a.A;
  const what = `complex A (${m} x ${n}) with ${a.L} iterations${kind === 'iht' ? ` and k = ${a.k}` : ''}`;
  return { fn: a.fn, what, received: what, label: 'complex A, vectors, tape and workspace', bufs };
}

/** Workspace bytes: the VJPs keep a tape of every iteration; forward-only Soft-IHT keeps one. */
function wsBytes(kind: 'omp' | 'iht', a: Args, tape: boolean): number {
  const { m, n } = a.A;
  return kind === 'omp' ? wasm().complexSoftOmpWorkspace64(m, n, a.L) : wasm().complexSoftIhtWorkspace64(m, n, a.k, tape ? a.L : 1);
}

function solveWasm(kind: 'omp' | 'iht', a: Args, y: Float64Array): ComplexSoftResult {
  const { m, n } = a.A;
  const { L, k, tau, eta } = a;
  return runKernel(softCall(kind, a, {
    A: { f64: a.A.data },
    y: { f64: y },
    w: { f64: a.w },
    x: { out: 2 * n },
    selected: { outI32: kind === 'omp' ? L : k },
    history: a.history ? { out: 2 * L * n } : null,
    info: { out: INFO_LEN },
    ws: { bytes: wsBytes(kind, a, false) },
  }), (io) => {
    const { ptr } = io;
    const code = kind === 'omp'
      ? wasm().complexSoftOmp(ptr.A, m, n, ptr.y, ptr.w, L, tau, ptr.x, ptr.selected, ptr.history, ptr.info, ptr.ws)
      : wasm().complexSoftIht(ptr.A, m, n, ptr.y, ptr.w, k, L, eta, tau, ptr.x, ptr.selected, ptr.history, ptr.info, ptr.ws);
    const info = io.f64('info');
    const iterations = info[INFO_ITERATIONS];
    const out: ComplexSoftResult = {
      x: io.f64('x'),
      residualNorm: info[INFO_RESIDUAL],
      iterations,
      status: io.status(code, SOFT_STATUSES),
      selected: io.i32('selected', kind === 'omp' ? iterations : k),
    };
    if (a.history) {
      const h = io.f64('history');
      out.history = Array.from({ length: L }, (_, t) => h.slice(2 * t * n, 2 * (t + 1) * n));
    }
    return out;
  });
}

function solve(kind: 'omp' | 'iht', a: Args, y: Float64Array): ComplexSoftResult {
  if (a.backend === 'wasm') return solveWasm(kind, a, y);
  const r = forwardJs(kind, a, y, a.history);
  const out: ComplexSoftResult = { x: r.x, residualNorm: r.residualNorm, iterations: r.iterations, status: r.status, selected: r.selected };
  if (r.history) out.history = r.history;
  return out;
}

function vjpWasm(kind: 'omp' | 'iht', a: Args, y: Float64Array, gx: Float64Array): ComplexSoftVjpResult {
  const { m, n } = a.A;
  const { L, k, tau, eta } = a;
  return runKernel(softCall(kind, a, {
    A: { f64: a.A.data },
    y: { f64: y },
    w: { f64: a.w },
    gx: { f64: gx },
    x: { out: 2 * n },
    gw: { out: n },
    gy: { out: 2 * m },
    out: { out: 2 },
    info: { out: INFO_LEN },
    ws: { bytes: wsBytes(kind, a, true) },
  }), (io) => {
    const { ptr } = io;
    const code = kind === 'omp'
      ? wasm().complexSoftOmpVjp(ptr.A, m, n, ptr.y, ptr.w, L, tau, ptr.gx, ptr.x, ptr.gw, ptr.gy, ptr.out, ptr.info, ptr.ws)
      : wasm().complexSoftIhtVjp(ptr.A, m, n, ptr.y, ptr.w, k, L, eta, tau, ptr.gx, ptr.x, ptr.gw, ptr.gy, ptr.out, ptr.info, ptr.ws);
    const info = io.f64('info');
    return {
      x: io.f64('x'), gw: io.f64('gw'), gy: io.f64('gy'), gtau: io.view('out')[0],
      residualNorm: info[INFO_RESIDUAL], iterations: info[INFO_ITERATIONS], status: io.status(code, SOFT_STATUSES),
    };
  });
}

/**
 * Gradients that overflowed carry no usable direction: every gradient is then
 * returned as 0 with status 'diverged' (as the real soft VJPs do).
 */
function guard(r: ComplexSoftVjpResult): ComplexSoftVjpResult {
  if (allFinite(r.gw) && allFinite(r.gy) && Number.isFinite(r.gtau)) return r;
  r.gw.fill(0);
  r.gy.fill(0);
  r.gtau = 0;
  r.status = 'diverged';
  return r;
}

function vjp(kind: 'omp' | 'iht', a: Args, y: Float64Array, gx: Float64Array): ComplexSoftVjpResult {
  if (a.backend === 'wasm') return guard(vjpWasm(kind, a, y, gx));
  const r = vjpJs(kind, a, y, gx);
  return guard({ x: r.x, gw: r.gw, gy: r.gy, gtau: r.gtau, residualNorm: r.residualNorm, iterations: r.iterations, status: r.status });
}

/**
 * Complex Soft-OMP: L iterations from x = 0, r = y of
 * p = softSort(|w . A^H r|, tau, 1 row) (real), P <- [P; p], B = A P^T,
 * z = argmin ||B z - y|| (complex least squares), x = P^T z, r = y - A x.
 * tau = 0: the hard weighted OMP. With zero imaginary parts it is softOmp.
 *
 * @param A m x n ComplexMatrix
 * @param y 2m doubles (interleaved re/im)
 * @param opts `iterations` (1..min(m, n)), `tau` (0 or >= 1e-100), `w` (n real, default ones), `history`
 * @returns x as 2n doubles (interleaved), status, selected, residual norm
 */
export function complexSoftOmp(A: ComplexMatrix, y: ArrayLike<number>, opts: ComplexSoftOmpOptions & ComplexSoftForwardOptions): ComplexSoftResult {
  const a = args('complexSoftOmp', 'omp', A, opts);
  return solve('omp', a, yOf(a, y));
}

/**
 * Complex Soft-IHT: L iterations from x = 0 of u = x + eta A^H (y - A x),
 * Q = softSort(|w . u|, tau, k rows) (real), x = (1^T Q)^T . u. tau = 0: the
 * hard weighted IHT keeping the k largest |w_j u_j|.
 *
 * @param opts `k`, `iterations`, `tau`, `eta` (default 1/||A||_2^2), `w`, `history`
 */
export function complexSoftIht(A: ComplexMatrix, y: ArrayLike<number>, opts: ComplexSoftIhtOptions & ComplexSoftForwardOptions): ComplexSoftResult {
  const a = args('complexSoftIht', 'iht', A, opts);
  return solve('iht', a, yOf(a, y));
}

/**
 * Reverse mode of complexSoftOmp: from gx = dL/dx (2n doubles,
 * dL/dRe x_j + i dL/dIm x_j) returns x, dL/dw (real), dL/dy (2m, same
 * convention) and dL/dtau, through the unrolled iterations (least squares
 * differentiated through the complex QR factors). For a loss on Re(x) only,
 * the imaginary parts of gx are 0.
 */
export function complexSoftOmpVjp(A: ComplexMatrix, y: ArrayLike<number>, gx: ArrayLike<number>, opts: ComplexSoftOmpOptions): ComplexSoftVjpResult {
  const a = args('complexSoftOmpVjp', 'omp', A, opts);
  return vjp('omp', a, yOf(a, y), checkComplexVector(a.fn, 'gx', gx, a.A.n));
}

/** Reverse mode of complexSoftIht (see complexSoftOmpVjp). */
export function complexSoftIhtVjp(A: ComplexMatrix, y: ArrayLike<number>, gx: ArrayLike<number>, opts: ComplexSoftIhtOptions): ComplexSoftVjpResult {
  const a = args('complexSoftIhtVjp', 'iht', A, opts);
  return vjp('iht', a, yOf(a, y), checkComplexVector(a.fn, 'gx', gx, a.A.n));
}

// ---------------------------------------------------------------- batches

/** Measurements: a ComplexMatrix m x N (one per column) or an array of N interleaved vectors of 2m doubles. */
function batchY(a: Args, Y: unknown): Float64Array[] {
  const { fn } = a;
  const m = a.A.m;
  if (Y instanceof ComplexMatrix) {
    if (Y.m !== m) throw new RangeError(`${fn}: Y must have ${m} rows (the rows of A), received ${Y.m} x ${Y.n}`);
    return Array.from({ length: Y.n }, (_, b) => yOf(a, Y.data.subarray(2 * b * m, 2 * (b + 1) * m), `Y[:, ${b}]`));
  }
  if (Array.isArray(Y)) {
    if (Y.length === 0) throw new RangeError(`${fn}: Y must not be empty, received 0 samples`);
    return Y.map((v, b) => yOf(a, v, `Y[${b}]`));
  }
  throw new TypeError(`${fn}: Y must be a ComplexMatrix (${m} x N, one sample per column) or an array of vectors of ${2 * m} doubles, received ${describe(Y)}`);
}

/** Real targets: a Matrix n x N or an array of N vectors of length n. */
function batchX(a: Args, X: unknown, N: number): Float64Array[] {
  const { fn } = a;
  const n = a.A.n;
  let cols: Float64Array[];
  if (X instanceof Matrix) {
    if (X.m !== n) throw new RangeError(`${fn}: xTarget must have ${n} rows (the columns of A), received ${X.m} x ${X.n}`);
    cols = Array.from({ length: X.n }, (_, b) => toVector(fn, `xTarget[:, ${b}]`, X.data.subarray(b * n, (b + 1) * n)));
  } else if (Array.isArray(X)) {
    cols = X.map((v, b) => toVector(fn, `xTarget[${b}]`, v));
    cols.forEach((c, b) => {
      if (c.length !== n) throw new RangeError(`${fn}: xTarget[${b}] must have length ${n} (the columns of A), received length ${c.length}`);
    });
  } else {
    throw new TypeError(`${fn}: xTarget must be a Matrix (${n} x N, real, one signal per column) or an array of vectors of length ${n}, received ${describe(X)}`);
  }
  if (cols.length !== N) throw new RangeError(`${fn}: xTarget must have as many samples as Y (${N}), received ${cols.length}`);
  return cols;
}

/** N vectors of `len` doubles, one after another (a column-major matrix). */
function concat(vs: Float64Array[], len: number): Float64Array {
  const out = new Float64Array(vs.length * len);
  vs.forEach((v, b) => out.set(v, b * len));
  return out;
}

function batchWasm(kind: 'omp' | 'iht', a: Args, Ys: Float64Array[]): ComplexSoftBatchResult {
  const { m, n } = a.A;
  const { L, k, tau, eta } = a;
  const N = Ys.length;
  return runKernel(softCall(kind, a, {
    A: { f64: a.A.data },
    Y: { f64: concat(Ys, 2 * m) },
    w: { f64: a.w },
    X: { out: 2 * n * N },
    status: { outI32: N },
    res: { out: N },
    ws: { bytes: wsBytes(kind, a, false) },
  }), (io) => {
    const { ptr } = io;
    if (kind === 'omp') wasm().complexSoftOmpBatch(ptr.A, m, n, ptr.Y, N, ptr.w, L, tau, ptr.X, ptr.status, ptr.res, ptr.ws);
    else wasm().complexSoftIhtBatch(ptr.A, m, n, ptr.Y, N, ptr.w, k, L, eta, tau, ptr.X, ptr.status, ptr.res, ptr.ws);
    const X = new ComplexMatrix(n, N);
    X.data.set(io.view('X'));
    const codes = io.viewI32('status');
    return { X, status: Array.from(codes, (c) => io.status(c, SOFT_STATUSES)), residualNorms: io.f64('res') };
  });
}

function batch(kind: 'omp' | 'iht', a: Args, Ys: Float64Array[]): ComplexSoftBatchResult {
  if (a.backend === 'wasm') return batchWasm(kind, a, Ys);
  const n = a.A.n;
  const N = Ys.length;
  const X = new ComplexMatrix(n, N);
  const status: SoftStatus[] = [];
  const residualNorms = new Float64Array(N);
  Ys.forEach((y, b) => {
    const r = forwardJs(kind, a, y, false);
    X.data.set(r.x, 2 * b * n);
    status.push(r.status);
    residualNorms[b] = r.residualNorm;
  });
  return { X, status, residualNorms };
}

function batchVjpWasm(kind: 'omp' | 'iht', a: Args, Ys: Float64Array[], Xt: Float64Array[]): ComplexSoftBatchVjpResult {
  const { m, n } = a.A;
  const { L, k, tau, eta } = a;
  const N = Ys.length;
  return runKernel(softCall(kind, a, {
    A: { f64: a.A.data },
    Y: { f64: concat(Ys, 2 * m) },
    Xt: { f64: concat(Xt, n) },
    w: { f64: a.w },
    X: { out: 2 * n * N },
    gw: { out: n },
    gY: a.gradY ? { out: 2 * m * N } : null,
    out: { out: 2 },
    status: { outI32: N },
    ws: { bytes: wsBytes(kind, a, true) },
  }), (io) => {
    const { ptr } = io;
    if (kind === 'omp') {
      wasm().complexSoftOmpBatchVjp(ptr.A, m, n, ptr.Y, ptr.Xt, N, ptr.w, L, tau, ptr.X, ptr.gw, ptr.gY, ptr.out, ptr.status, ptr.ws);
    } else {
      wasm().complexSoftIhtBatchVjp(ptr.A, m, n, ptr.Y, ptr.Xt, N, ptr.w, k, L, eta, tau, ptr.X, ptr.gw, ptr.gY, ptr.out, ptr.status, ptr.ws);
    }
    const X = new ComplexMatrix(n, N);
    X.data.set(io.view('X'));
    const o = io.view('out');
    const codes = io.viewI32('status');
    const res: ComplexSoftBatchVjpResult = {
      loss: o[0], gtau: o[1], gw: io.f64('gw'), X, status: Array.from(codes, (c) => io.status(c, SOFT_STATUSES)),
    };
    if (a.gradY) {
      const gY = new ComplexMatrix(m, N);
      gY.data.set(io.view('gY'));
      res.gY = gY;
    }
    return res;
  });
}

function batchVjp(kind: 'omp' | 'iht', a: Args, Ys: Float64Array[], Xt: Float64Array[]): ComplexSoftBatchVjpResult {
  return guardBatch(a.backend === 'wasm' ? batchVjpWasm(kind, a, Ys, Xt) : batchVjpJs(kind, a, Ys, Xt));
}

/** guard for the batched VJPs: every sample's status becomes 'diverged' (the sums cannot be attributed). */
function guardBatch(out: ComplexSoftBatchVjpResult): ComplexSoftBatchVjpResult {
  const { gw, gY } = out;
  if (!(allFinite(gw) && Number.isFinite(out.gtau) && (!gY || allFinite(gY.data)))) {
    gw.fill(0);
    out.gtau = 0;
    gY?.data.fill(0);
    out.status = out.status.map(() => 'diverged');
  }
  return out;
}

function batchVjpJs(kind: 'omp' | 'iht', a: Args, Ys: Float64Array[], Xt: Float64Array[]): ComplexSoftBatchVjpResult {
  const { m, n } = a.A;
  const N = Ys.length;
  const X = new ComplexMatrix(n, N);
  const gY = a.gradY ? new ComplexMatrix(m, N) : undefined;
  const gw = new Float64Array(n);
  const status: SoftStatus[] = [];
  let loss = 0;
  let gtau = 0;
  const gx = new Float64Array(2 * n);
  for (let b = 0; b < N; b++) {
    const y = Ys[b];
    const xt = Xt[b];
    const f = forwardJs(kind, a, y, false);
    for (let j = 0; j < n; j++) {
      const d = f.x[2 * j] - xt[j];
      loss += d * d;
      gx[2 * j] = (2 * d) / N; // the loss sees Re(x) only: imaginary parts of gx stay 0
    }
    const r = vjpJs(kind, a, y, gx, f);
    for (let j = 0; j < n; j++) gw[j] += r.gw[j];
    gtau += r.gtau;
    X.data.set(r.x, 2 * b * n);
    if (gY) gY.data.set(r.gy, 2 * b * m);
    status.push(r.status);
  }
  const out: ComplexSoftBatchVjpResult = { loss: loss / N, gw, gtau, X, status };
  if (gY) out.gY = gY;
  return out;
}

/** Complex Soft-OMP on N samples with the same A and w. Y: ComplexMatrix m x N or N vectors of 2m doubles. */
export function complexSoftOmpBatch(A: ComplexMatrix, Y: ComplexMatrix | ArrayLike<number>[], opts: ComplexSoftOmpOptions): ComplexSoftBatchResult {
  const a = args('complexSoftOmpBatch', 'omp', A, opts);
  return batch('omp', a, batchY(a, Y));
}

/** Complex Soft-IHT on N samples with the same A and w (see complexSoftOmpBatch). */
export function complexSoftIhtBatch(A: ComplexMatrix, Y: ComplexMatrix | ArrayLike<number>[], opts: ComplexSoftIhtOptions): ComplexSoftBatchResult {
  const a = args('complexSoftIhtBatch', 'iht', A, opts);
  return batch('iht', a, batchY(a, Y));
}

/**
 * One training step's numbers for a complex OMP-Net: the mean loss
 * (1/N) sum_b ||Re(x_b) - xTarget_b||^2 over the batch (x_b = complexSoftOmp(y_b),
 * xTarget real) and its gradients with respect to w (summed over the batch),
 * tau and, with `gradY`, Y.
 *
 * @param Y ComplexMatrix m x N or N vectors of 2m doubles
 * @param xTarget real Matrix n x N or N vectors of length n
 */
export function complexSoftOmpBatchVjp(A: ComplexMatrix, Y: ComplexMatrix | ArrayLike<number>[], xTarget: Matrix | ArrayLike<number>[],
                                       opts: ComplexSoftOmpOptions & ComplexSoftBatchVjpOptions): ComplexSoftBatchVjpResult {
  const a = args('complexSoftOmpBatchVjp', 'omp', A, opts);
  const Ys = batchY(a, Y);
  return batchVjp('omp', a, Ys, batchX(a, xTarget, Ys.length));
}

/** One training step's numbers for a complex IHT-Net (see complexSoftOmpBatchVjp). */
export function complexSoftIhtBatchVjp(A: ComplexMatrix, Y: ComplexMatrix | ArrayLike<number>[], xTarget: Matrix | ArrayLike<number>[],
                                       opts: ComplexSoftIhtOptions & ComplexSoftBatchVjpOptions): ComplexSoftBatchVjpResult {
  const a = args('complexSoftIhtBatchVjp', 'iht', A, opts);
  const Ys = batchY(a, Y);
  return batchVjp('iht', a, Ys, batchX(a, xTarget, Ys.length));
}

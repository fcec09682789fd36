// Differentiable greedy solvers: SoftSort, Soft-OMP and Soft-IHT
// (Mohammad-Taheri, Colbrook & Brugiapaglia 2025), with exact reverse-mode
// gradients computed in WASM, batched forms for training, and their weighted
// hard versions (tau = 0). Every argument is checked here, before any WASM call.
import { checkEnum, checkInt, describe, readOptions, toVector } from '../core/errors.js';
import { Matrix, maxAbsOf, SAFE_EXP, scaleExponentOf, toMatrix } from '../core/matrix.js';
import { Operator } from '../core/operator.js';
import { checkScales, defaultStep, MAX_ITER_CAP, OperatorLike, resolveMatrix } from '../solvers/solve.js';
import type { Backend } from '../core/types.js';
import { wasm } from '../core/wasm.js';
import { INFO_ITERATIONS, INFO_LEN, INFO_RESIDUAL } from '../core/kernels.js';
import { Buf, KernelCall, runKernel } from '../core/marshal.js';
import { softSortJs, softSortVjpJs } from '../js/softsort.js';
import { softOmpJs, softOmpVjpJs } from '../js/softomp.js';
import { softIhtJs, softIhtVjpJs } from '../js/softiht.js';

/**
 * Smallest accepted positive temperature. Gradients scale like 1/tau (scores)
 * and 1/tau^2 (tau itself); above 1e-100 both stay far inside the f64 range
 * for any sane upstream gradient, so no Infinity can come out.
 */
export const TAU_MIN = 1e-100;

/** How a soft solve ended: 'converged' (all iterations ran), 'premature' (Soft-OMP: a new column of A P^T was linearly dependent on the previous ones, so the loop stopped early), 'diverged' (Soft-IHT: the iterates overflowed; eta too large), 'degenerate' (Soft-OMP: a soft atom A p_t was rounding noise, about zero, as when the weights are zero or tiny: it was not fitted, and x is the fit on the atoms before it). */
export type SoftStatus = 'converged' | 'premature' | 'diverged' | 'degenerate';

/** The statuses the soft kernels return. */
const SOFT_STATUSES: readonly SoftStatus[] = ['converged', 'premature', 'diverged', 'degenerate'];

// ---------------------------------------------------------------- checks

function checkTau(fn: string, tau: unknown, allowZero: boolean): number {
  const range = allowZero ? `0 (hard selection) or a finite number >= ${TAU_MIN}` : `a finite number >= ${TAU_MIN}`;
  if (typeof tau !== 'number') throw new TypeError(`${fn}: tau must be ${range}, received ${describe(tau)}`);
  if (!Number.isFinite(tau) || (tau === 0 ? !allowZero : tau < TAU_MIN)) {
    throw new RangeError(`${fn}: tau must be ${range}, received ${describe(tau)}`);
  }
  return tau === 0 ? 0 : tau; // -0 -> 0
}

function checkBackend(fn: string, b: unknown): Backend {
  return b === undefined ? 'wasm' : checkEnum(fn, 'backend', b, ['wasm', 'js'] as const);
}

function checkOpts(fn: string, opts: unknown, needs: string): Record<string, unknown> {
  return readOptions<Record<string, unknown>>(fn, opts, needs);
}

function vecOfLength(fn: string, name: string, v: unknown, len: number, what: string): Float64Array {
  const out = toVector(fn, name, v);
  if (out.length !== len) throw new RangeError(`${fn}: ${name} must have length ${len} (${what}), received length ${out.length}`);
  return out;
}

/** Samples for the batched forms: a Matrix (len x N, one sample per column) or an array of N vectors. */
function toBatch(fn: string, name: string, Y: unknown, len: number, what: string): { data: Float64Array; N: number } {
  if (Y instanceof Matrix) {
    if (Y.m !== len) throw new RangeError(`${fn}: ${name} must have ${len} rows (${what}), received ${Y.m} x ${Y.n}`);
    return { data: Y.data, N: Y.n };
  }
  if (Array.isArray(Y)) {
    if (Y.length === 0) throw new RangeError(`${fn}: ${name} must not be empty, received 0 samples`);
    const data = new Float64Array(len * Y.length);
    Y.forEach((v, b) => data.set(vecOfLength(fn, `${name}[${b}]`, v, len, what), b * len));
    return { data, N: Y.length };
  }
  throw new TypeError(`${fn}: ${name} must be a Matrix (${len} x N, one sample per column) or an array of vectors, received ${describe(Y)}`);
}

function column(data: Float64Array, len: number, b: number): Float64Array {
  return data.subarray(b * len, (b + 1) * len);
}

/**
 * A soft op's kernel call for the marshaller: its refusals name `fn` and
 * count the vectors, the tape and the workspace (and the copy of A, when A is
 * not a resident Operator), before anything is allocated.
 */
function softCall<B extends Record<string, Buf>>(fn: string, what: string | SoftArgs, A: SoftArgs | undefined, bufs: B): KernelCall<B> {
  const w = typeof what === 'string' ? what : `A (${what.m} x ${what.n}) with ${what.L} iterations`;
  return { fn, what: w, received: w, label: 'vectors, tape and workspace', A, bufs };
}

// ---------------------------------------------------------------- SoftSort

/** Options of softSort / softSortVjp. */
export interface SoftSortOptions {
  /** Rows: the k largest entries. Integer in [1, n]; default n (the full permutation). */
  k?: number;
  /** 'wasm' (default) or 'js'. */
  backend?: Backend;
}

/** Result of softSort. */
export interface SoftSortResult {
  /** k x n, row-stochastic: P[i, j] = softmax_j(-|sort_desc(s)_i - s_j| / tau). */
  P: Matrix;
  /** The hard order: order[i] = index of the i-th largest s_j (ties: lower index first), length k. */
  order: Int32Array;
}

function softSortArgs(fn: string, s: unknown, tau: unknown, opts: unknown) {
  const sv = toVector(fn, 's', s);
  const n = sv.length;
  const t = checkTau(fn, tau, false);
  const o = (opts ?? {}) as SoftSortOptions;
  if (typeof o !== 'object') throw new TypeError(`${fn}: options must be an object, received ${describe(opts)}`);
  const k = o.k === undefined ? n : checkInt(fn, 'k', o.k, 1, n);
  return { sv, n, tau: t, k, backend: checkBackend(fn, o.backend) };
}

/**
 * SoftSort (Prillo & Eisenschlos 2020): the k x n row-stochastic matrix
 * P[i, j] = softmax_j(-|sort_desc(s)_i - s_j| / tau). Row i peaks at the
 * i-th largest entry and tends to its indicator as tau -> 0 (for tied values:
 * to the uniform row over the ties). Stable for any tau >= TAU_MIN: the row
 * maximum (0, at the row's own index) is subtracted by construction.
 *
 * @param s n scores (finite)
 * @param tau temperature, finite, >= 1e-100
 * @param opts `k` rows (default n), `backend`
 */
export function softSort(s: ArrayLike<number>, tau: number, opts?: SoftSortOptions): SoftSortResult {
  const { sv, n, tau: t, k, backend } = softSortArgs('softSort', s, tau, opts);
  if (backend === 'js') {
    const { rows, order } = softSortJs(sv, t, k);
    const P = new Matrix(k, n);
    rows.forEach((r, i) => r.forEach((v, j) => (P.data[i + j * k] = v)));
    return { P, order };
  }
  return runKernel(softCall('softSort', `s of length ${n} with k = ${k}`, undefined, {
    s: { f64: sv }, P: { out: k * n }, order: { outI32: k }, ws: { bytes: wasm().softSortWorkspace(n) },
  }), (io) => {
    const { ptr } = io;
    wasm().softSort(ptr.s, n, k, t, ptr.P, ptr.order, ptr.ws);
    return { P: new Matrix(k, n, io.f64('P')), order: io.i32('order') };
  });
}

/** Result of softSortVjp. */
export interface SoftSortVjpResult {
  /** dL/ds, length n. */
  ds: Float64Array;
  /** dL/dtau. */
  dtau: number;
}

/**
 * Vector-Jacobian product of softSort: given G = dL/dP (k x n: a Matrix,
 * rows as number[][], or a column-major Float64Array of length k n),
 * returns dL/ds and dL/dtau. The sort order is piecewise constant; at exact
 * ties the subgradient with sgn(0) = 0 is used.
 */
export function softSortVjp(s: ArrayLike<number>, tau: number, G: Matrix | ArrayLike<ArrayLike<number>> | Float64Array,
                            opts?: SoftSortOptions): SoftSortVjpResult {
  const fn = 'softSortVjp';
  const { sv, n, tau: t, k, backend } = softSortArgs(fn, s, tau, opts);
  let g: Float64Array;
  if (G instanceof Matrix) {
    if (G.m !== k || G.n !== n) throw new RangeError(`${fn}: G must be ${k} x ${n} (k x n), received ${G.m} x ${G.n}`);
    g = G.data;
  } else if (G instanceof Float64Array) {
    g = vecOfLength(fn, 'G', G, k * n, 'k*n, column-major');
  } else if (Array.isArray(G)) {
    const M = toMatrix(fn, 'G', G);
    if (M.m !== k || M.n !== n) throw new RangeError(`${fn}: G must be ${k} x ${n} (k x n), received ${M.m} x ${M.n}`);
    g = M.data;
  } else {
    throw new TypeError(`${fn}: G must be a Matrix (k x n), number[][] rows or a Float64Array, received ${describe(G)}`);
  }
  if (G instanceof Matrix) for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i])) throw new RangeError(`${fn}: G[${i}] must be finite, received ${g[i]}`);
  if (backend === 'js') {
    const rows = Array.from({ length: k }, (_, i) => Float64Array.from({ length: n }, (_, j) => g[i + j * k]));
    return softSortVjpJs(sv, t, k, rows);
  }
  return runKernel(softCall('softSortVjp', `s of length ${n} with k = ${k}`, undefined, {
    s: { f64: sv }, G: { f64: g }, ds: { out: n }, out: { out: 2 }, ws: { bytes: wasm().softSortWorkspace(n) },
  }), (io) => {
    const { ptr } = io;
    wasm().softSortVjp(ptr.s, n, k, t, ptr.G, ptr.ds, ptr.out, ptr.ws);
    return { ds: io.f64('ds'), dtau: io.f64('out', 1)[0] };
  });
}

// ---------------------------------------------------------------- solvers: shared

/** Options shared by Soft-OMP and Soft-IHT. */
export interface SoftSolverOptions {
  /** Iterations L. Soft-OMP: integer in [1, min(m, n)] (one column per iteration); Soft-IHT: integer in [1, 10^7]. Required. */
  iterations: number;
  /** Temperature: 0 for the hard, weighted solver (exact argmax / top-k of |w . ...|), or a finite number >= 1e-100. Required. */
  tau: number;
  /** Per-index weights w (length n, finite, any sign); default all ones (plain OMP / IHT at tau = 0). */
  w?: ArrayLike<number>;
  /** 'wasm' (default) or 'js' (the pure-TS twin). */
  backend?: Backend;
}

/** Options of softIht and its relatives. */
export interface SoftIhtOptions extends SoftSolverOptions {
  /** Sparsity: rows of the SoftSort (s in the paper). Integer in [1, n]. Required. */
  k: number;
  /** Step eta > 0 (finite). Default 1 / ||A||_2^2 (power iteration, cached per matrix). */
  eta?: number;
}

/** Options of softOmp and its relatives. */
export type SoftOmpOptions = SoftSolverOptions;

/** Options of the forward solvers. */
export interface SoftForwardOptions {
  /** Also return x after every iteration (default false). */
  history?: boolean;
}

/** Result of softOmp / softIht. */
export interface SoftSolveResult {
  /** The estimate, length n (dense for tau > 0). */
  x: Float64Array;
  /** ||y - A x||_2. */
  residualNorm: number;
  /** Iterations run (fewer than asked only when status is not 'converged'). */
  iterations: number;
  status: SoftStatus;
  /**
   * Soft-OMP: for each iteration run, the index of the largest weight of its
   * soft row (the atom hard OMP would pick from the same residual). Soft-IHT:
   * the k indices of largest |w . u| at the last iteration, largest first.
   */
  selected: Int32Array;
  /** x after each of the `iterations` asked for (when `history: true`); a stopped run repeats its last iterate. */
  history?: Float64Array[];
}

/** Options of the VJPs. */
export interface SoftVjpOptions {
  /** Also return dL/dA (m x n; default false): one more rank-2 update of m x n per iteration. */
  gradA?: boolean;
}

/** Result of the VJPs. */
export interface SoftVjpResult {
  /** The forward estimate, length n. */
  x: Float64Array;
  /** dL/dw, length n (all zero at tau = 0: the hard selection is piecewise constant). */
  gw: Float64Array;
  /** dL/dy, length m. */
  gy: Float64Array;
  /** dL/dtau (0 at tau = 0). */
  gtau: number;
  /** dL/dA (m x n) when `gradA`. */
  gA?: Matrix;
  residualNorm: number;
  iterations: number;
  status: SoftStatus;
}

/** Result of the batched forward solvers. */
export interface SoftBatchResult {
  /** n x N, column b = the estimate for sample b. */
  X: Matrix;
  /** Per sample. */
  status: SoftStatus[];
  /** Per sample, ||y_b - A x_b||. */
  residualNorms: Float64Array;
}

/** Options of the batched VJPs. */
export interface SoftBatchVjpOptions extends SoftVjpOptions {
  /** Also return dL/dY (m x N; default false). */
  gradY?: boolean;
}

/** Result of the batched VJPs (training step). */
export interface SoftBatchVjpResult {
  /** (1/N) sum_b ||x_b - xTarget_b||^2. */
  loss: number;
  /** dL/dw summed over the batch, length n. */
  gw: Float64Array;
  /** dL/dtau. */
  gtau: number;
  /** The estimates, n x N. */
  X: Matrix;
  /** dL/dY (m x N) when gradY. */
  gY?: Matrix;
  /** dL/dA (m x n) summed over the batch, when gradA. */
  gA?: Matrix;
  status: SoftStatus[];
}

interface SoftArgs {
  fn: string;
  matrix: Matrix;
  op: Operator | null;
  m: number;
  n: number;
  L: number;
  tau: number;
  w: Float64Array | null;
  backend: Backend;
  k: number;
  eta: number;
  history: boolean;
  /** The options as read (once). */
  o: Record<string, unknown>;
}

function softArgs(fn: string, kind: 'omp' | 'iht', A: unknown, opts: unknown): SoftArgs {
  const { matrix, op } = resolveMatrix(fn, A);
  const { m, n } = matrix;
  const o = checkOpts(fn, opts, kind === 'omp' ? '{ iterations, tau }' : '{ k, iterations, tau }');
  const L = kind === 'omp' ? checkInt(fn, 'iterations', o.iterations, 1, Math.min(m, n)) : checkInt(fn, 'iterations', o.iterations, 1, MAX_ITER_CAP);
  const tau = checkTau(fn, o.tau, true);
  const w = o.w === undefined ? null : vecOfLength(fn, 'w', o.w, n, 'the columns of A');
  const backend = checkBackend(fn, o.backend);
  let k = 1;
  let eta = 0;
  if (kind === 'iht') {
    k = checkInt(fn, 'k', o.k, 1, n);
    if (o.eta === undefined) {
      // the package's default step 1/||A||_2^2, cached on the matrix
      eta = defaultStep({ fn, matrix, op, y: new Float64Array(0), k, tol: 0, maxIter: 1, backend, x0: null });
    } else {
      if (typeof o.eta !== 'number') throw new TypeError(`${fn}: eta must be a finite number > 0, received ${describe(o.eta)}`);
      if (!Number.isFinite(o.eta) || o.eta <= 0) throw new RangeError(`${fn}: eta must be a finite number > 0, received ${describe(o.eta)}`);
      eta = o.eta;
    }
  }
  const history = o.history === undefined ? false : !!o.history;
  if (op?.structured && o.gradA) {
    throw new TypeError(`${fn}: gradA needs a dense A (dL/dA is an m x n matrix): expected a Matrix or Operator.dense, received a ${op.kind} operator (leave gradA out: the other gradients are available)`);
  }
  return { fn, matrix, op, m, n, L, tau, w, backend, k, eta, history, o };
}

const ONES = new Map<number, Float64Array>();
function onesOr(w: Float64Array | null, n: number): Float64Array {
  if (w) return w;
  let v = ONES.get(n);
  if (!v) {
    v = new Float64Array(n).fill(1);
    ONES.set(n, v);
  }
  return v;
}

function wsBytes(a: SoftArgs, kind: 'omp' | 'iht', tape: boolean): number {
  return kind === 'omp' ? wasm().softOmpWorkspace64(a.m, a.n, a.L) : wasm().softIhtWorkspace64(a.m, a.n, a.k, tape ? a.L : 1);
}

// ---------------------------------------------------------------- forward

function softForward(kind: 'omp' | 'iht', a: SoftArgs, yv: Float64Array): SoftSolveResult {
  const { m, n, L, k } = a;
  if (a.backend === 'js') {
    const w = onesOr(a.w, n);
    const r = kind === 'omp' ? softOmpJs(a.matrix, yv, w, L, a.tau, a.history) : softIhtJs(a.matrix, yv, w, k, L, a.eta, a.tau, a.history);
    const out: SoftSolveResult = { x: r.x, residualNorm: r.residualNorm, iterations: r.iterations, status: r.status, selected: r.selected };
    if (r.history) out.history = r.history;
    return out;
  }
  return runKernel(softCall(a.fn, a, a, {
    y: { f64: yv },
    w: { f64: a.w },
    x: { out: n },
    selected: { outI32: kind === 'omp' ? L : k },
    history: a.history ? { out: L * n } : null,
    info: { out: INFO_LEN },
    ws: { bytes: wsBytes(a, kind, false) },
  }), (io) => {
    const { ptr, op } = io;
    const code = kind === 'omp'
      ? wasm().softOmp(op.ptr, m, n, ptr.y, ptr.w, L, a.tau, ptr.x, ptr.selected, ptr.history, ptr.info, ptr.ws)
      : wasm().softIht(op.ptr, m, n, ptr.y, ptr.w, k, L, a.eta, a.tau, ptr.x, ptr.selected, ptr.history, ptr.info, ptr.ws);
    const info = io.f64('info');
    const iterations = info[INFO_ITERATIONS];
    const out: SoftSolveResult = {
      x: io.f64('x'),
      residualNorm: info[INFO_RESIDUAL],
      iterations,
      status: io.status(code, SOFT_STATUSES),
      selected: io.i32('selected', kind === 'omp' ? iterations : k),
    };
    if (a.history) {
      const h = io.f64('history');
      out.history = Array.from({ length: L }, (_, t) => h.slice(t * n, (t + 1) * n));
    }
    return out;
  });
}

/**
 * Soft-OMP: L iterations of OMP whose argmax is a SoftSort row, from x = 0,
 * r = y: p = softSort(|w . A^T r|, tau, k=1); P <- [P; p]; B = A P^T;
 * z = argmin ||B z - y||; x = P^T z; r = y - A x. tau = 0: the hard,
 * weighted OMP (argmax |w_j a_j^T r|, ties: lowest index), which at w = 1 on
 * unit-norm columns is `omp` with k = L.
 *
 * @param A m x n (Matrix, number[][] rows, or a resident Operator)
 * @param y m measurements
 * @param opts `iterations` (1..min(m,n)), `tau` (0 or >= 1e-100), `w` (n, default ones), `history`, `backend`
 */
export function softOmp(A: OperatorLike, y: ArrayLike<number>, opts: SoftOmpOptions & SoftForwardOptions): SoftSolveResult {
  const a = softArgs('softOmp', 'omp', A, opts);
  return softForward('omp', a, scaledY(a, vecOfLength(a.fn, 'y', y, a.m, 'the rows of A')));
}

/**
 * Soft-IHT: L iterations from x = 0 of u = x + eta A^T (y - A x);
 * Q = softSort(|w . u|, tau, k rows); x = (1^T Q)^T . u. tau = 0: the hard,
 * weighted IHT, x = H_k(u) keeping the k largest |w_j u_j| (ties: lowest index).
 *
 * @param A m x n
 * @param y m measurements
 * @param opts `k` (1..n), `iterations`, `tau`, `eta` (default 1/||A||_2^2), `w`, `history`, `backend`
 */
export function softIht(A: OperatorLike, y: ArrayLike<number>, opts: SoftIhtOptions & SoftForwardOptions): SoftSolveResult {
  const a = softArgs('softIht', 'iht', A, opts);
  return softForward('iht', a, scaledY(a, vecOfLength(a.fn, 'y', y, a.m, 'the rows of A')));
}

// ---------------------------------------------------------------- VJP

function softVjp(kind: 'omp' | 'iht', a: SoftArgs, yv: Float64Array, gx: Float64Array, gradA: boolean): SoftVjpResult {
  const { m, n, L, k } = a;
  if (a.backend === 'js') {
    const w = onesOr(a.w, n);
    const r = kind === 'omp' ? softOmpVjpJs(a.matrix, yv, w, L, a.tau, gx) : softIhtVjpJs(a.matrix, yv, w, k, L, a.eta, a.tau, gx);
    const out: SoftVjpResult = { x: r.x, gw: r.gw, gy: r.gy, gtau: r.gtau, residualNorm: r.residualNorm, iterations: r.iterations, status: r.status };
    if (gradA) out.gA = rawMatrix(m, n, r.gA);
    return out;
  }
  return runKernel(softCall(a.fn, a, a, {
    y: { f64: yv },
    w: { f64: onesOr(a.w, n) },
    gx: { f64: gx },
    x: { out: n },
    gw: { out: n },
    gy: { out: m },
    gA: gradA ? { out: m * n } : null,
    out: { out: 2 },
    info: { out: INFO_LEN },
    ws: { bytes: wsBytes(a, kind, true) },
  }), (io) => {
    const { ptr, op } = io;
    const code = kind === 'omp'
      ? wasm().softOmpVjp(op.ptr, m, n, ptr.y, ptr.w, L, a.tau, ptr.gx, ptr.x, ptr.gw, ptr.gy, ptr.gA, ptr.out, ptr.info, ptr.ws)
      : wasm().softIhtVjp(op.ptr, m, n, ptr.y, ptr.w, k, L, a.eta, a.tau, ptr.gx, ptr.x, ptr.gw, ptr.gy, ptr.gA, ptr.out, ptr.info, ptr.ws);
    const info = io.f64('info');
    const out: SoftVjpResult = {
      x: io.f64('x'),
      gw: io.f64('gw'),
      gy: io.f64('gy'),
      gtau: io.f64('out', 1)[0],
      residualNorm: info[INFO_RESIDUAL],
      iterations: info[INFO_ITERATIONS],
      status: io.status(code, SOFT_STATUSES),
    };
    if (gradA) out.gA = rawMatrix(m, n, io.f64('gA'));
    return out;
  });
}

/**
 * The soft solvers run on A and y as given: unlike the k-sparse solvers they
 * cannot be rescaled by powers of two behind the scenes, because the
 * temperature tau compares scores whose size depends on the scale of A and y.
 * So they accept A and y whose largest entries lie in the range the
 * k-sparse solvers run on unscaled, [2^-SAFE_EXP, 2^SAFE_EXP] (about 7.9e-31
 * .. 1.3e30; y may also be 0), where no square or product in the kernels
 * over- or underflows, and otherwise refuse them naming the value (the
 * caller rescales A, y and tau together).
 */
function checkSafeScale(fn: string, name: string, mx: number): void {
  if (mx !== 0 && scaleExponentOf(mx) !== 0) {
    throw new RangeError(`${fn}: ${name} must have its largest entry in [2^-${SAFE_EXP}, 2^${SAFE_EXP}] (about 7.9e-31 to 1.3e30; the soft solvers' tau depends on the scale, so rescale A, y and tau together), received max |${name}| = ${mx}`);
  }
}

/** y after the package's scale rules (checkScales in solve.ts: finite ||y||, columns of A within 2^500) and the soft solvers' range. */
function scaledY(a: SoftArgs, yv: Float64Array, name = 'y'): Float64Array {
  checkSafeScale(a.fn, 'A', a.matrix.maxAbs());
  checkSafeScale(a.fn, name, maxAbsOf(yv));
  checkScales(a.fn, a.matrix, yv, name);
  return yv;
}

/** scaledY for every sample of a batch. */
function scaledBatch(a: SoftArgs, Y: { data: Float64Array; N: number }): { data: Float64Array; N: number } {
  for (let b = 0; b < Y.N; b++) scaledY(a, column(Y.data, a.m, b), `Y[${b}]`);
  return Y;
}

/** A gradient as a Matrix without the constructor's finiteness check (an overflowed gradient reaches guardVjp, which zeroes it). */
function rawMatrix(m: number, n: number, data: Float64Array): Matrix {
  const M = new Matrix(m, n);
  M.data.set(data);
  return M;
}

const allFinite = (v: ArrayLike<number>) => {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
};

/**
 * Gradients that overflowed float64 (eta far too large, or entries of A so
 * small that dx/dy is beyond 1e308) carry no usable direction: like a
 * mixed-precision loss scaler that skips such a step, the VJPs then return
 * every gradient as 0 and status 'diverged', never Infinity or NaN.
 */
function guardVjp(r: SoftVjpResult): SoftVjpResult {
  if (allFinite(r.gw) && allFinite(r.gy) && Number.isFinite(r.gtau) && (!r.gA || allFinite(r.gA.data))) return r;
  r.gw.fill(0);
  r.gy.fill(0);
  r.gtau = 0;
  r.gA?.data.fill(0);
  r.status = 'diverged';
  return r;
}

/** guardVjp for the batched VJPs: every sample's status becomes 'diverged' (the sums cannot be attributed). */
function guardBatchVjp(r: SoftBatchVjpResult): SoftBatchVjpResult {
  if (allFinite(r.gw) && Number.isFinite(r.gtau) && (!r.gA || allFinite(r.gA.data)) && (!r.gY || allFinite(r.gY.data))) return r;
  r.gw.fill(0);
  r.gtau = 0;
  r.gA?.data.fill(0);
  r.gY?.data.fill(0);
  r.status = r.status.map(() => 'diverged');
  return r;
}

/**
 * Reverse mode of softOmp: given gx = dL/dx (n), returns x, dL/dw, dL/dy and
 * dL/dtau, by a hand-written backward pass in WASM through the unrolled
 * iterations (least squares differentiated through the QR factors). At
 * tau = 0, dL/dw = 0 and dL/dy is the gradient for the fixed selected support.
 * With `gradA: true` also dL/dA (m x n).
 */
export function softOmpVjp(A: OperatorLike, y: ArrayLike<number>, gx: ArrayLike<number>, opts: SoftOmpOptions & SoftVjpOptions): SoftVjpResult {
  const a = softArgs('softOmpVjp', 'omp', A, opts);
  const yv = scaledY(a, vecOfLength(a.fn, 'y', y, a.m, 'the rows of A'));
  return guardVjp(softVjp('omp', a, yv, vecOfLength(a.fn, 'gx', gx, a.n, 'the columns of A'), !!a.o.gradA));
}

/** Reverse mode of softIht (see softOmpVjp). */
export function softIhtVjp(A: OperatorLike, y: ArrayLike<number>, gx: ArrayLike<number>, opts: SoftIhtOptions & SoftVjpOptions): SoftVjpResult {
  const a = softArgs('softIhtVjp', 'iht', A, opts);
  const yv = scaledY(a, vecOfLength(a.fn, 'y', y, a.m, 'the rows of A'));
  return guardVjp(softVjp('iht', a, yv, vecOfLength(a.fn, 'gx', gx, a.n, 'the columns of A'), !!a.o.gradA));
}

// ---------------------------------------------------------------- batched

function softBatch(kind: 'omp' | 'iht', a: SoftArgs, Y: { data: Float64Array; N: number }): SoftBatchResult {
  const { m, n, L, k } = a;
  const N = Y.N;
  if (a.backend === 'js') {
    const X = new Matrix(n, N);
    const status: SoftStatus[] = [];
    const residualNorms = new Float64Array(N);
    const w = onesOr(a.w, n);
    for (let b = 0; b < N; b++) {
      const y = column(Y.data, m, b);
      const r = kind === 'omp' ? softOmpJs(a.matrix, y, w, L, a.tau) : softIhtJs(a.matrix, y, w, k, L, a.eta, a.tau);
      X.data.set(r.x, b * n);
      status.push(r.status);
      residualNorms[b] = r.residualNorm;
    }
    return { X, status, residualNorms };
  }
  return runKernel(softCall(a.fn, a, a, {
    Y: { f64: Y.data },
    w: { f64: a.w },
    X: { out: n * N },
    status: { outI32: N },
    res: { out: N },
    ws: { bytes: wsBytes(a, kind, false) },
  }), (io) => {
    const { ptr, op } = io;
    if (kind === 'omp') wasm().softOmpBatch(op.ptr, m, n, ptr.Y, N, ptr.w, L, a.tau, ptr.X, ptr.status, ptr.res, ptr.ws);
    else wasm().softIhtBatch(op.ptr, m, n, ptr.Y, N, ptr.w, k, L, a.eta, a.tau, ptr.X, ptr.status, ptr.res, ptr.ws);
    return {
      X: new Matrix(n, N, io.f64('X')),
      status: Array.from(io.i32('status'), (s) => io.status(s, SOFT_STATUSES)),
      residualNorms: io.f64('res'),
    };
  });
}

function softBatchVjp(kind: 'omp' | 'iht', a: SoftArgs, Y: { data: Float64Array; N: number },
                      Xt: { data: Float64Array; N: number }, gradY: boolean, gradA: boolean): SoftBatchVjpResult {
  const { m, n, L, k } = a;
  const N = Y.N;
  if (Xt.N !== N) throw new RangeError(`${a.fn}: xTarget must have as many samples as Y (${N}), received ${Xt.N}`);
  if (a.backend === 'js') {
    const X = new Matrix(n, N);
    const gY = gradY ? new Matrix(m, N) : undefined;
    const gw = new Float64Array(n);
    const gA = gradA ? new Matrix(m, n) : undefined;
    const status: SoftStatus[] = [];
    let loss = 0;
    let gtau = 0;
    const w = onesOr(a.w, n);
    for (let b = 0; b < N; b++) {
      const y = column(Y.data, m, b);
      const xt = column(Xt.data, n, b);
      // two passes (forward for the loss gradient, then the VJP): the JS twin favours clarity
      const f = kind === 'omp' ? softOmpJs(a.matrix, y, w, L, a.tau) : softIhtJs(a.matrix, y, w, k, L, a.eta, a.tau);
      const gx = Float64Array.from(f.x, (v, j) => (2 * (v - xt[j])) / N);
      for (let j = 0; j < n; j++) loss += (f.x[j] - xt[j]) ** 2;
      const r = kind === 'omp' ? softOmpVjpJs(a.matrix, y, w, L, a.tau, gx) : softIhtVjpJs(a.matrix, y, w, k, L, a.eta, a.tau, gx);
      for (let j = 0; j < n; j++) gw[j] += r.gw[j];
      if (gA) for (let i = 0; i < m * n; i++) gA.data[i] += r.gA[i];
      gtau += r.gtau;
      X.data.set(r.x, b * n);
      if (gY) gY.data.set(r.gy, b * m);
      status.push(r.status);
    }
    const out: SoftBatchVjpResult = { loss: loss / N, gw, gtau, X, status };
    if (gY) out.gY = gY;
    if (gA) out.gA = gA;
    return out;
  }
  return runKernel(softCall(a.fn, a, a, {
    Y: { f64: Y.data },
    Xt: { f64: Xt.data },
    w: { f64: onesOr(a.w, n) },
    X: { out: n * N },
    gw: { out: n },
    gY: gradY ? { out: m * N } : null,
    gA: gradA ? { out: m * n } : null,
    out: { out: 2 },
    status: { outI32: N },
    ws: { bytes: wsBytes(a, kind, true) },
  }), (io) => {
    const { ptr, op } = io;
    if (kind === 'omp') {
      wasm().softOmpBatchVjp(op.ptr, m, n, ptr.Y, ptr.Xt, N, ptr.w, L, a.tau, ptr.X, ptr.gw, ptr.gY, ptr.gA, ptr.out, ptr.status, ptr.ws);
    } else {
      wasm().softIhtBatchVjp(op.ptr, m, n, ptr.Y, ptr.Xt, N, ptr.w, k, L, a.eta, a.tau, ptr.X, ptr.gw, ptr.gY, ptr.gA, ptr.out, ptr.status, ptr.ws);
    }
    const outv = io.f64('out');
    const res: SoftBatchVjpResult = {
      loss: outv[0],
      gw: io.f64('gw'),
      gtau: outv[1],
      X: new Matrix(n, N, io.f64('X')),
      status: Array.from(io.i32('status'), (s) => io.status(s, SOFT_STATUSES)),
    };
    if (gradY) res.gY = rawMatrix(m, N, io.f64('gY'));
    if (gradA) res.gA = rawMatrix(m, n, io.f64('gA'));
    return res;
  });
}

/**
 * Soft-OMP on N samples with the same A and w. Y: a Matrix m x N (one
 * sample per column) or an array of N vectors of length m.
 */
export function softOmpBatch(A: OperatorLike, Y: Matrix | ArrayLike<number>[], opts: SoftOmpOptions): SoftBatchResult {
  const a = softArgs('softOmpBatch', 'omp', A, opts);
  return softBatch('omp', a, scaledBatch(a, toBatch(a.fn, 'Y', Y, a.m, 'the rows of A')));
}

/** Soft-IHT on N samples with the same A and w (see softOmpBatch). */
export function softIhtBatch(A: OperatorLike, Y: Matrix | ArrayLike<number>[], opts: SoftIhtOptions): SoftBatchResult {
  const a = softArgs('softIhtBatch', 'iht', A, opts);
  return softBatch('iht', a, scaledBatch(a, toBatch(a.fn, 'Y', Y, a.m, 'the rows of A')));
}

/**
 * One training step's numbers for OMP-Net: loss = (1/N) sum_b ||x_b - xTarget_b||^2
 * over the batch (x_b = softOmp(y_b)) and its gradient with respect to w
 * (summed over the batch inside WASM), tau and, with `gradY`, Y.
 *
 * @param Y m x N Matrix or N vectors of length m
 * @param xTarget n x N Matrix or N vectors of length n
 */
export function softOmpBatchVjp(A: OperatorLike, Y: Matrix | ArrayLike<number>[], xTarget: Matrix | ArrayLike<number>[],
                                opts: SoftOmpOptions & SoftBatchVjpOptions): SoftBatchVjpResult {
  const a = softArgs('softOmpBatchVjp', 'omp', A, opts);
  const Yb = scaledBatch(a, toBatch(a.fn, 'Y', Y, a.m, 'the rows of A'));
  const Xb = toBatch(a.fn, 'xTarget', xTarget, a.n, 'the columns of A');
  return guardBatchVjp(softBatchVjp('omp', a, Yb, Xb, !!a.o.gradY, !!a.o.gradA));
}

/** One training step's numbers for IHT-Net (see softOmpBatchVjp). */
export function softIhtBatchVjp(A: OperatorLike, Y: Matrix | ArrayLike<number>[], xTarget: Matrix | ArrayLike<number>[],
                                opts: SoftIhtOptions & SoftBatchVjpOptions): SoftBatchVjpResult {
  const a = softArgs('softIhtBatchVjp', 'iht', A, opts);
  const Yb = scaledBatch(a, toBatch(a.fn, 'Y', Y, a.m, 'the rows of A'));
  const Xb = toBatch(a.fn, 'xTarget', xTarget, a.n, 'the columns of A');
  return guardBatchVjp(softBatchVjp('iht', a, Yb, Xb, !!a.o.gradY, !!a.o.gradA));
}

// Incremental Householder QR of a growing set of columns, with least squares
// against one right-hand side y.
//
// After t appends, Q = H_0 H_1 ... H_{t-1} (H_j = I - tau_j v_j v_j^T, v_j zero
// above row j), R is t x t upper triangular, and qty = Q^T y. Appending a
// column costs O(m t): apply the t reflectors to it, then form one more.
// The residual norm of the least-squares fit is ||qty[t:m]||.
//
// The state lives in caller-provided memory (no allocation); a QR handle is
// an unmanaged struct placed at the start of that memory.
import { axpy, dot, nrm2, zero, copy } from "./blas";
import { SQRT_EPS } from "./constants";

// A new column is declared linearly dependent on the current ones when the
// part of it outside their span is below DEP_TOL times its norm.
// sqrt(machine epsilon) = 1.49e-8: scikit-learn's Cholesky OMP stops when the
// new squared diagonal falls below machine epsilon on unit-norm columns, which
// is the same test on the unsquared quantity.
export const DEP_TOL: f64 = SQRT_EPS;

export const QR_OK: i32 = 0;
export const QR_DEPENDENT: i32 = 1;
export const QR_FULL: i32 = 2;

@unmanaged
export class QR {
  m: i32;
  kmax: i32;
  t: i32;
  pad: i32;
  V: usize;   // m x kmax reflectors (column j meaningful in rows j..m-1)
  R: usize;   // kmax x kmax upper triangle, column-major, leading dim kmax
  tau: usize; // kmax
  qty: usize; // m: Q^T y
  w: usize;   // m: scratch column
}

/** Bytes a QR handle with its arrays needs for m rows and up to kmax columns (64-bit: see workspace.ts). */
export function qrBytes(m: i32, kmax: i32): u64 {
  return 64 + ((<u64>m * <u64>kmax + <u64>kmax * <u64>kmax + <u64>kmax + 2 * <u64>m) << 3); // 64: the header, keeps the arrays 16-byte aligned
}

/** Lays a QR handle out at `mem` (qrBytes(m, kmax) bytes, 16-byte aligned). */
export function qrInit(mem: usize, m: i32, kmax: i32): QR {
  const q = changetype<QR>(mem);
  q.m = m;
  q.kmax = kmax;
  q.t = 0;
  q.V = mem + 64;
  q.R = q.V + ((<usize>m * <usize>kmax) << 3);
  q.tau = q.R + ((<usize>kmax * <usize>kmax) << 3);
  q.qty = q.tau + (<usize>kmax << 3);
  q.w = q.qty + (<usize>m << 3);
  return q;
}

/** Starts over with no columns and right-hand side y. */
export function qrReset(q: QR, y: usize): void {
  q.t = 0;
  copy(y, q.qty, q.m);
}

/** Applies H_j to the m-vector x (rows j..m-1 change). */
// @ts-ignore: decorator
@inline function applyReflector(q: QR, j: i32, x: usize): void {
  const off = <usize>j << 3;
  const v = q.V + <usize>j * (<usize>q.m << 3) + off;
  const len = q.m - j;
  const s = dot(v, x + off, len) * load<f64>(q.tau + off);
  // x -= s v, as the (SIMD) axpy with -s: x + (-s) v rounds exactly like x - s v
  if (s != 0.0) axpy(-s, v, x + off, len);
}

/** x <- Q^T x for the first t reflectors. */
export function qrApplyQt(q: QR, x: usize): void {
  const t = q.t;
  for (let j = 0; j < t; j++) applyReflector(q, j, x);
}

/** x <- Q x for the first t reflectors. */
export function qrApplyQ(q: QR, x: usize): void {
  for (let j = q.t - 1; j >= 0; j--) applyReflector(q, j, x);
}

/**
 * Appends column a (m values, Euclidean norm anorm). Returns QR_OK,
 * QR_DEPENDENT (a lies in the span of the current columns to DEP_TOL; the
 * factorization is unchanged) or QR_FULL (t == kmax or t == m).
 */
export function qrAppend(q: QR, a: usize, anorm: f64): i32 {
  const t = q.t;
  const m = q.m;
  if (t >= q.kmax || t >= m) return QR_FULL;
  const w = q.w;
  copy(a, w, m);
  qrApplyQt(q, w);
  const off = <usize>t << 3;
  const alpha = nrm2(w + off, m - t);
  if (!(alpha > DEP_TOL * anorm)) return QR_DEPENDENT;
  const x0 = load<f64>(w + off);
  const sgn: f64 = x0 >= 0.0 ? 1.0 : -1.0;
  // v = (w[t:m] + sgn*alpha*e_1) / u with u = x0 + sgn*alpha, so v[0] = 1 and
  // tau = 2 / (v^T v) = 1 + |x0| / alpha, in [1, 2] (LAPACK's dlarfg form).
  // The unnormalized form, tau = 1 / (alpha (alpha + |x0|)), overflows to
  // Infinity once alpha is below 1e-154 (a column of entries ~1e-200), and
  // then every reflection gives NaN.
  const u = x0 + sgn * alpha;
  const v = q.V + <usize>t * (<usize>m << 3);
  zero(v, t);
  store<f64>(v + off, 1.0);
  for (let i = t + 1; i < m; i++) {
    const o = <usize>i << 3;
    store<f64>(v + o, load<f64>(w + o) / u);
  }
  store<f64>(q.tau + off, 1.0 + abs(x0) / alpha);
  // R[0:t, t] = w[0:t]; R[t, t] = -sgn alpha
  const rc = q.R + <usize>t * (<usize>q.kmax << 3);
  copy(w, rc, t);
  store<f64>(rc + off, -sgn * alpha);
  q.t = t + 1;
  applyReflector(q, t, q.qty);
  return QR_OK;
}

/** ||y - A_S z||, the least-squares residual norm: ||qty[t:m]||. */
export function qrResidualNorm(q: QR): f64 {
  const t = q.t;
  return nrm2(q.qty + (<usize>t << 3), q.m - t);
}

/** r = y - A_S z = Q [0; qty[t:m]]. */
export function qrResidual(q: QR, r: usize): void {
  const t = q.t;
  zero(r, t);
  copy(q.qty + (<usize>t << 3), r + (<usize>t << 3), q.m - t);
  qrApplyQ(q, r);
}

/** Solves R z = qty[0:t] by back substitution (z has t entries). */
export function qrSolve(q: QR, z: usize): void {
  qrSolveLeading(q, q.t, z);
}

/**
 * z (t) = the least-squares coefficients on the first t atoms appended (t <= q.t):
 * the leading t x t triangle of R against the first t entries of Q^T y, which do
 * not change as later atoms are appended (OMP's solution path from one QR).
 */
export function qrSolveLeading(q: QR, t: i32, z: usize): void {
  const ld = <usize>q.kmax << 3;
  for (let i = t - 1; i >= 0; i--) {
    let s = load<f64>(q.qty + (<usize>i << 3));
    for (let j = i + 1; j < t; j++) {
      s -= load<f64>(q.R + <usize>j * ld + (<usize>i << 3)) * load<f64>(z + (<usize>j << 3));
    }
    store<f64>(z + (<usize>i << 3), s / load<f64>(q.R + <usize>i * ld + (<usize>i << 3)));
  }
}

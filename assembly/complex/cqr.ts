// Incremental complex Householder QR with one right-hand side, for complex
// OMP: the rules of src/js/complex/qr.ts (the JS twin) in caller-provided
// memory, as assembly/qr.ts is for real data.
//
// Reflector for the trailing part x (length m - t) of a new column, with
// x0 = |x0| e^{i theta} its first entry and alpha = ||x||:
//   beta = -e^{i theta} alpha,  v = (x - beta e1) / (x0 - beta)  (v[0] = 1),
//   H = I - tau v v^H,  tau = 1 + |x0| / alpha  (real, in [1, 2]),
// so that H x = beta e1. Taking beta opposite in phase to x0 avoids
// cancellation in x0 - beta; with every imaginary part zero it is the real
// reflector of assembly/qr.ts.
import { DEP_TOL, QR_DEPENDENT, QR_FULL, QR_OK } from "../qr";
import { cabs, cdiv, cdivIm, cdotH, cdotIm, cnrm2 } from "./cblas";

@unmanaged
export class CQR {
  m: i32;
  kmax: i32;
  t: i32;
  pad: i32;
  V: usize;   // m x kmax complex reflectors (column j meaningful in rows j..m-1)
  R: usize;   // kmax x kmax complex upper triangle, column-major, leading dim kmax
  tau: usize; // kmax (real)
  qhy: usize; // m complex: Q^H y
  w: usize;   // m complex: scratch column
}

/** Bytes a CQR handle with its arrays needs for m rows and up to kmax columns (64-bit). */
export function cqrBytes(m: i32, kmax: i32): u64 {
  const M = <u64>m, K = <u64>kmax;
  return 64 + ((2 * M * K + 2 * K * K + ((K + 1) & ~(<u64>1)) + 4 * M) << 3); // taus rounded up to an even count
}

/** Lays a CQR handle out at `mem` (cqrBytes(m, kmax) bytes, 16-byte aligned). */
export function cqrInit(mem: usize, m: i32, kmax: i32): CQR {
  const q = changetype<CQR>(mem);
  q.m = m;
  q.kmax = kmax;
  q.t = 0;
  q.V = mem + 64;
  q.R = q.V + ((<usize>m * <usize>kmax) << 4);
  q.tau = q.R + ((<usize>kmax * <usize>kmax) << 4);
  // keep the complex arrays 16-byte aligned after the kmax taus
  q.qhy = q.tau + (<usize>((kmax + 1) & ~1) << 3);
  q.w = q.qhy + (<usize>m << 4);
  return q;
}

/** Starts over with no columns and right-hand side y (m complex). */
export function cqrReset(q: CQR, y: usize): void {
  q.t = 0;
  memory.copy(q.qhy, y, <usize>q.m << 4);
}

/** x <- H_j x on elements j..m-1: s = tau v^H x, x -= s v. */
function reflect(q: CQR, j: i32, x: usize): void {
  const off = <usize>j << 4;
  const v = q.V + <usize>j * (<usize>q.m << 4) + off;
  const len = q.m - j;
  const tau = load<f64>(q.tau + (<usize>j << 3));
  const sr = cdotH(v, x + off, len) * tau;
  const si = cdotIm() * tau;
  if (sr == 0.0 && si == 0.0) return;
  const xo = x + off;
  for (let i = 0; i < len; i++) {
    const b = <usize>i << 4;
    const vr = load<f64>(v + b), vi = load<f64>(v + b, 8);
    store<f64>(xo + b, load<f64>(xo + b) - (sr * vr - si * vi));
    store<f64>(xo + b, load<f64>(xo + b, 8) - (sr * vi + si * vr), 8);
  }
}

/**
 * Appends column a (m complex, Euclidean norm anorm). Returns QR_OK,
 * QR_DEPENDENT (the part of a outside the span of the current columns is at
 * most DEP_TOL anorm; nothing changes) or QR_FULL (t == kmax or t == m).
 */
export function cqrAppend(q: CQR, a: usize, anorm: f64): i32 {
  const t = q.t;
  const m = q.m;
  if (t >= q.kmax || t >= m) return QR_FULL;
  const w = q.w;
  memory.copy(w, a, <usize>m << 4);
  for (let j = 0; j < t; j++) reflect(q, j, w);
  const off = <usize>t << 4;
  const alpha = cnrm2(w + off, m - t);
  if (!(alpha > DEP_TOL * anorm)) return QR_DEPENDENT;
  const x0r = load<f64>(w + off);
  const x0i = load<f64>(w + off, 8);
  let pr: f64, pi: f64, ax0: f64;
  if (x0i == 0.0) {
    pr = x0r >= 0.0 ? 1.0 : -1.0;
    pi = 0.0;
    ax0 = abs(x0r);
  } else {
    ax0 = cabs(x0r, x0i);
    pr = x0r / ax0;
    pi = x0i / ax0;
  }
  // u = x0 - beta = x0 + e^{i theta} alpha
  const ur = x0r + pr * alpha;
  const ui = x0i + pi * alpha;
  const v = q.V + <usize>t * (<usize>m << 4);
  memory.fill(v, 0, off);
  store<f64>(v + off, 1.0);
  store<f64>(v + off, 0.0, 8);
  for (let i = t + 1; i < m; i++) {
    const o = <usize>i << 4;
    store<f64>(v + o, cdiv(load<f64>(w + o), load<f64>(w + o, 8), ur, ui));
    store<f64>(v + o, cdivIm(), 8);
  }
  store<f64>(q.tau + (<usize>t << 3), 1.0 + ax0 / alpha);
  // R[0:t, t] = w[0:t]; R[t, t] = beta = -e^{i theta} alpha
  const rc = q.R + <usize>t * (<usize>q.kmax << 4);
  memory.copy(rc, w, off);
  store<f64>(rc + off, -pr * alpha);
  store<f64>(rc + off, -pi * alpha, 8);
  q.t = t + 1;
  reflect(q, t, q.qhy);
  return QR_OK;
}

/** ||y - A_S z||: the norm of qhy[t:m]. */
export function cqrResidualNorm(q: CQR): f64 {
  return cnrm2(q.qhy + (<usize>q.t << 4), q.m - q.t);
}

/** r = y - A_S z = Q [0; qhy[t:m]] (m complex). */
export function cqrResidual(q: CQR, r: usize): void {
  const off = <usize>q.t << 4;
  memory.fill(r, 0, off);
  memory.copy(r + off, q.qhy + off, (<usize>q.m << 4) - off);
  for (let j = q.t - 1; j >= 0; j--) reflect(q, j, r);
}

/** z (t complex): R z = qhy[0:t] by back substitution, complex division by Smith's rule. */
export function cqrSolve(q: CQR, z: usize): void {
  const t = q.t;
  const ld = <usize>q.kmax << 4;
  for (let i = t - 1; i >= 0; i--) {
    const oi = <usize>i << 4;
    let sr = load<f64>(q.qhy + oi);
    let si = load<f64>(q.qhy + oi, 8);
    for (let j = i + 1; j < t; j++) {
      const rp = q.R + <usize>j * ld + oi;
      const rr = load<f64>(rp), ri = load<f64>(rp, 8);
      const zr = load<f64>(z + (<usize>j << 4)), zi = load<f64>(z + (<usize>j << 4), 8);
      sr -= rr * zr - ri * zi;
      si -= rr * zi + ri * zr;
    }
    const dp = q.R + <usize>i * ld + oi;
    store<f64>(z + oi, cdiv(sr, si, load<f64>(dp), load<f64>(dp, 8)));
    store<f64>(z + oi, cdivIm(), 8);
  }
}

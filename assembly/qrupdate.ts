// Updatable thin QR of a changing set of columns: A_S = Q R with Q m x t
// (orthonormal columns) and R t x t upper triangular with a positive diagonal.
//
// Support-exploring solvers (SEA, OMPR, ELS) change their support by one or
// two atoms per iteration; refactoring A_S from scratch would cost O(m t^2)
// each time. Here:
// - append (new last column): classical Gram-Schmidt (h = Q^T a and
//   w = a - Q h as blocked level-2 kernels), repeated once when the first
//   pass cancelled much of a (the Daniel-Gragg-Kaufman-Stewart criterion), O(m t);
// - delete (any position p): shift the columns of R left, which leaves it
//   upper Hessenberg from column p on, and restore the triangle with Givens
//   rotations on rows (i, i+1), applied alike to the columns of Q: O(m (t-p)).
// Both keep R's diagonal positive, so the factorization is the unique thin QR
// of A_S (with its columns in position order) and can be compared with a
// fresh one. Solvers that keep a companion matrix C = A^T Q (n x kmax, ELS)
// pass it to quDelete so that the same rotations are applied to it.
//
// The state lives in caller-provided memory: nothing allocates.
import { gemvNAcc, gemvT, nrm2 } from "./blas";
import { SQRT_EPS } from "./constants";
import { madd2, nmadd2 } from "./simd";

/** A column counts as dependent on the current ones when the part of it
 *  outside their span is below QU_DEP_TOL times its norm: sqrt(machine
 *  epsilon), the same test as the Householder QR of qr.ts (DEP_TOL). */
export const QU_DEP_TOL: f64 = SQRT_EPS;

/** A second Gram-Schmidt pass runs when the first left less than this fraction
 *  of the column's norm: 1/sqrt(2), the classical choice of Daniel, Gragg,
 *  Kaufman and Stewart (1976) after which one more pass is always enough. */
export const QU_REORTH: f64 = 0.7071067811865476;

export const QU_OK: i32 = 0;
export const QU_DEPENDENT: i32 = 1;
export const QU_FULL: i32 = 2;

@unmanaged
export class QRU {
  m: i32;
  kmax: i32;
  t: i32;      // columns in the factorization
  pad: i32;
  Q: usize;    // m x kmax, column-major, leading dimension m
  R: usize;    // kmax x kmax, column-major, leading dimension kmax (upper triangle used)
  h: usize;    // kmax scratch (projection coefficients)
  h2: usize;   // kmax scratch (their negatives)
  cols: usize; // kmax i32: the atom held at each position
}

/** Bytes of a handle and its arrays for m rows and up to kmax columns (64-bit: see workspace.ts). */
export function quBytes(m: i32, kmax: i32): u64 {
  const km = <u64>kmax;
  // 48: 4 i32 + 5 pointers (wasm32), padded to keep the arrays 16-byte aligned
  return 48 + ((<u64>m * km + km * km + 2 * km) << 3) + (((km << 2) + 15) & ~(<u64>15));
}

/** Lays a handle out at `mem` (quBytes(m, kmax) bytes, 16-byte aligned), with no columns. */
export function quInit(mem: usize, m: i32, kmax: i32): QRU {
  const q = changetype<QRU>(mem);
  q.m = m;
  q.kmax = kmax;
  q.t = 0;
  q.Q = mem + 48;
  q.R = q.Q + ((<usize>m * <usize>kmax) << 3);
  q.h = q.R + ((<usize>kmax * <usize>kmax) << 3);
  q.h2 = q.h + (<usize>kmax << 3);
  q.cols = q.h2 + (<usize>kmax << 3);
  return q;
}

/** Column j of Q. */
// @ts-ignore: decorator
@inline export function quQcol(q: QRU, j: i32): usize {
  return q.Q + <usize>j * (<usize>q.m << 3);
}

/** Entry (i, j) address of R. */
// @ts-ignore: decorator
@inline export function quRat(q: QRU, i: i32, j: i32): usize {
  return q.R + ((<usize>j * <usize>q.kmax + <usize>i) << 3);
}

/** The atom at position p. */
// @ts-ignore: decorator
@inline export function quAtom(q: QRU, p: i32): i32 {
  return load<i32>(q.cols + (<usize>p << 2));
}

/** Position of `atom` in the factorization, or -1. */
export function quFind(q: QRU, atom: i32): i32 {
  for (let p = 0; p < q.t; p++) if (quAtom(q, p) == atom) return p;
  return -1;
}

/**
 * Appends column a (m values, Euclidean norm anorm) as atom `atom`. Returns
 * QU_OK, QU_DEPENDENT (a is in the span of the current columns to QU_DEP_TOL;
 * nothing changes) or QU_FULL (t == kmax or t == m).
 */
export function quAppend(q: QRU, a: usize, anorm: f64, atom: i32): i32 {
  const t = q.t;
  const m = q.m;
  if (t >= q.kmax || t >= m) return QU_FULL;
  const w = quQcol(q, t);
  const h = q.h;
  const hn = q.h2;
  memory.copy(w, a, <usize>m << 3);
  const rc = quRat(q, 0, t);
  for (let j = 0; j < t; j++) store<f64>(rc + (<usize>j << 3), 0.0);
  let before = anorm;
  for (let pass = 0; pass < 2; pass++) {
    if (t == 0) break;
    // h = Q^T w; w -= Q h; R[0:t, t] += h
    gemvT(q.Q, m, t, w, h);
    for (let j = 0; j < t; j++) {
      const hj = load<f64>(h + (<usize>j << 3));
      store<f64>(hn + (<usize>j << 3), -hj);
      store<f64>(rc + (<usize>j << 3), load<f64>(rc + (<usize>j << 3)) + hj);
    }
    gemvNAcc(q.Q, m, t, hn, w);
    const after = nrm2(w, m);
    if (after >= QU_REORTH * before) break;
    before = after;
  }
  const rho = nrm2(w, m);
  if (!(rho > QU_DEP_TOL * anorm)) return QU_DEPENDENT;
  const inv = 1.0 / rho;
  for (let i = 0; i < m; i++) store<f64>(w + (<usize>i << 3), load<f64>(w + (<usize>i << 3)) * inv);
  store<f64>(rc + (<usize>t << 3), rho);
  store<i32>(q.cols + (<usize>t << 2), atom);
  q.t = t + 1;
  return QU_OK;
}

/** Rotates columns x and y (len values each): (x, y) <- (c x + s y, c y - s x). */
// @ts-ignore: decorator
@inline function rotCols(x: usize, y: usize, len: i32, c: f64, s: f64): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const cv = f64x2.splat(c);
    const sv = f64x2.splat(s);
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      const xv = v128.load(x + o);
      const yv = v128.load(y + o);
      // c x + s y and c y - s x (the scalar loop's order; fused in the relaxed build)
      v128.store(x + o, madd2(sv, yv, f64x2.mul(cv, xv)));
      v128.store(y + o, nmadd2(sv, xv, f64x2.mul(cv, yv)));
    }
  }
  for (; i < len; i++) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o);
    const yi = load<f64>(y + o);
    store<f64>(x + o, c * xi + s * yi);
    store<f64>(y + o, c * yi - s * xi);
  }
}

/**
 * Removes the column at position p (0 <= p < t). C, when not 0, is a
 * companion matrix with leading dimension ldc whose columns 0..t-1 follow
 * Q's (C = A^T Q): it gets the same rotations and loses column p's role.
 */
export function quDelete(q: QRU, p: i32, C: usize, ldc: i32): void {
  const t = q.t;
  const m = q.m;
  // shift R columns p+1..t-1 one place left (rows 0..j+1 of column j+1), and the atoms
  for (let j = p; j < t - 1; j++) {
    memory.copy(quRat(q, 0, j), quRat(q, 0, j + 1), <usize>(j + 2) << 3);
    store<i32>(q.cols + (<usize>j << 2), load<i32>(q.cols + (<usize>(j + 1) << 2)));
  }
  // R[0:t, p:t-1] is upper Hessenberg: zero R[i+1, i] for i = p..t-2
  for (let i = p; i < t - 1; i++) {
    const a = load<f64>(quRat(q, i, i));
    const b = load<f64>(quRat(q, i + 1, i));
    const r = Math.hypot(a, b);
    let c = 1.0;
    let s = 0.0;
    if (r > 0.0) { c = a / r; s = b / r; }
    store<f64>(quRat(q, i, i), r);
    store<f64>(quRat(q, i + 1, i), 0.0);
    for (let l = i + 1; l < t - 1; l++) {
      const ril = load<f64>(quRat(q, i, l));
      const rjl = load<f64>(quRat(q, i + 1, l));
      store<f64>(quRat(q, i, l), c * ril + s * rjl);
      store<f64>(quRat(q, i + 1, l), c * rjl - s * ril);
    }
    // A_S = Q R = (Q G^T)(G R): rotate columns i, i+1 of Q (and of C) alike
    rotCols(quQcol(q, i), quQcol(q, i + 1), m, c, s);
    if (C != 0) {
      const cb = <usize>ldc << 3;
      rotCols(C + <usize>i * cb, C + <usize>(i + 1) * cb, ldc, c, s);
    }
  }
  // the last column of Q (and C) is now the deleted direction; drop it
  q.t = t - 1;
}

/** out = Q^T y (t values). */
export function quQty(q: QRU, y: usize, out: usize): void {
  gemvT(q.Q, q.m, q.t, y, out);
}

/** Solves R z = b (t values) by back substitution; z may alias b. */
export function quSolve(q: QRU, b: usize, z: usize): void {
  const t = q.t;
  for (let i = t - 1; i >= 0; i--) {
    let s = load<f64>(b + (<usize>i << 3));
    for (let j = i + 1; j < t; j++) s -= load<f64>(quRat(q, i, j)) * load<f64>(z + (<usize>j << 3));
    store<f64>(z + (<usize>i << 3), s / load<f64>(quRat(q, i, i)));
  }
}

/** r = y - Q qty (the least-squares residual when qty = Q^T y). */
export function quResidual(q: QRU, y: usize, qty: usize, r: usize): void {
  memory.copy(r, y, <usize>q.m << 3);
  for (let j = 0; j < q.t; j++) store<f64>(q.h2 + (<usize>j << 3), -load<f64>(qty + (<usize>j << 3)));
  gemvNAcc(q.Q, q.m, q.t, q.h2, r);
}

/**
 * Least squares on the current columns: qty = Q^T y, z = R^{-1} qty (t
 * values each), r = y - Q qty (m); returns ||r||.
 */
export function quFit(q: QRU, y: usize, qty: usize, z: usize, r: usize): f64 {
  quQty(q, y, qty);
  quSolve(q, qty, z);
  quResidual(q, y, qty, r);
  return nrm2(r, q.m);
}

/** Workspace bytes of qrUpdateReplay. */
export function qrUpdateReplayWorkspace(m: i32, kmax: i32): usize {
  return <usize>(16 + quBytes(m, kmax));
}

/**
 * Test driver (used by test/qrupdate.test.ts): replays `nops` operations on
 * the columns of A (m x n) in an empty factorization with room for kmax
 * columns. ops[i] >= 0 appends atom ops[i]; ops[i] < 0 deletes position
 * -ops[i] - 1. Writes Q (m x kmax), R (kmax x kmax) and the atoms (kmax i32)
 * and returns the final column count, or -1 - i when operation i is invalid
 * or the append is refused.
 */
export function qrUpdateReplay(A: usize, m: i32, n: i32, norms: usize, kmax: i32, ops: usize, nops: i32,
                               Qout: usize, Rout: usize, colsOut: usize, ws: usize): i32 {
  const q = quInit((ws + 15) & ~(<usize>15), m, kmax);
  for (let i = 0; i < nops; i++) {
    const op = load<i32>(ops + (<usize>i << 2));
    if (op >= 0) {
      if (op >= n) return -1 - i;
      const st = quAppend(q, A + <usize>op * (<usize>m << 3), load<f64>(norms + (<usize>op << 3)), op);
      if (st != QU_OK) return -1 - i;
    } else {
      const p = -op - 1;
      if (p >= q.t) return -1 - i;
      quDelete(q, p, 0, 0);
    }
  }
  memory.copy(Qout, q.Q, (<usize>m * <usize>kmax) << 3);
  memory.copy(Rout, q.R, (<usize>kmax * <usize>kmax) << 3);
  memory.copy(colsOut, q.cols, <usize>kmax << 2);
  return q.t;
}

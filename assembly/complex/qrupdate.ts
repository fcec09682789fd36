// Updatable thin complex QR (A_S = Q R, orthonormal complex Q, R upper
// triangular with a real positive diagonal) for complex OMPR, ELS and SEA:
// the rules of ../qrupdate.ts in complex arithmetic, operation for operation
// the twin src/js/complex/qrupdate.ts (plain loops in the same order, so the
// SIMD, scalar and debug builds give the same bits, and so does the twin on
// the same columns).
//
// - append: classical Gram-Schmidt, h = Q^H w, w -= Q h, repeated once when
//   the first pass left less than QU_REORTH of the column; refused as
//   dependent below QU_DEP_TOL ||a||.
// - delete (position p): the columns of R shift left and complex Givens
//   rotations G = [[conj(c), conj(s)], [-s, c]], c = a / h, s = b / h,
//   h = hypot(|a|, |b|), restore the triangle with the real diagonal h;
//   Q and a companion C (ELS: A^H Q) become Q G^H, C G^H.
// - real mode (realX): the interleaved columns taken as real 2m-vectors, the
//   inner product Re(q^H w): least squares over real coefficients.
//
// The state lives in caller-provided memory (a workspace carve).
import { QU_DEP_TOL, QU_REORTH } from "../qrupdate";
import { cabs, cnrm2 } from "./cblas";

export const CQU_OK: i32 = 0;
export const CQU_DEPENDENT: i32 = 1;
export const CQU_FULL: i32 = 2;

@unmanaged
export class CQRU {
  m: i32;      // complex rows
  kmax: i32;
  t: i32;      // columns in the factorization
  real: i32;   // 1: real inner products (realX)
  Q: usize;    // 2 m kmax f64: column j at Q + 16 m j
  R: usize;    // 2 kmax kmax f64: (i, j) at R + 16 (j kmax + i)
  h: usize;    // 2 kmax f64 scratch
  cols: usize; // kmax i32: the atom at each position
}

/** Bytes of a handle and its arrays (64-bit). */
export function cquBytes(m: i32, kmax: i32): u64 {
  const km = <u64>kmax;
  return 48 + ((<u64>2 * <u64>m * km + 2 * km * km + 2 * km) << 3) + (((km << 2) + 15) & ~(<u64>15));
}

/** Lays a handle out at mem (cquBytes bytes, 16-byte aligned), empty. */
export function cquInit(mem: usize, m: i32, kmax: i32, real: bool): CQRU {
  const q = changetype<CQRU>(mem);
  q.m = m;
  q.kmax = kmax;
  q.t = 0;
  q.real = real ? 1 : 0;
  q.Q = mem + 48;
  q.R = q.Q + ((<usize>m * <usize>kmax) << 4);
  q.h = q.R + ((<usize>kmax * <usize>kmax) << 4);
  q.cols = q.h + (<usize>kmax << 4);
  return q;
}

// @ts-ignore: decorator
@inline export function cquQcol(q: CQRU, j: i32): usize {
  return q.Q + <usize>j * (<usize>q.m << 4);
}

// @ts-ignore: decorator
@inline export function cquRat(q: CQRU, i: i32, j: i32): usize {
  return q.R + ((<usize>j * <usize>q.kmax + <usize>i) << 4);
}

// @ts-ignore: decorator
@inline export function cquAtom(q: CQRU, p: i32): i32 {
  return load<i32>(q.cols + (<usize>p << 2));
}

/** Position of atom, or -1. */
export function cquFind(q: CQRU, atom: i32): i32 {
  for (let p = 0; p < q.t; p++) if (cquAtom(q, p) == atom) return p;
  return -1;
}

let dotIm: f64 = 0.0;

/** q^H w over m complex values (real mode: Re(q^H w), imaginary part 0); the imaginary part in dotIm. */
function cdotQ(qv: usize, w: usize, m: i32, real: bool): f64 {
  let sr = 0.0;
  let si = 0.0;
  const end = <usize>m << 4;
  for (let b: usize = 0; b < end; b += 16) {
    const qr = load<f64>(qv + b), qi = load<f64>(qv + b, 8);
    const wr = load<f64>(w + b), wi = load<f64>(w + b, 8);
    sr += qr * wr + qi * wi;
    if (!real) si += qr * wi - qi * wr;
  }
  dotIm = si;
  return sr;
}

/** w -= (hr + i hi) qv over m complex values. */
function csubScaled(w: usize, qv: usize, m: i32, hr: f64, hi: f64): void {
  const end = <usize>m << 4;
  for (let b: usize = 0; b < end; b += 16) {
    const qr = load<f64>(qv + b), qi = load<f64>(qv + b, 8);
    store<f64>(w + b, load<f64>(w + b) - (hr * qr - hi * qi));
    store<f64>(w + b, load<f64>(w + b, 8) - (hr * qi + hi * qr), 8);
  }
}

/**
 * Appends column a (m complex, norm anorm) as atom. CQU_OK, CQU_DEPENDENT
 * (nothing changes) or CQU_FULL (t == kmax, or t == m: 2m in real mode).
 */
export function cquAppend(q: CQRU, a: usize, anorm: f64, atom: i32): i32 {
  const t = q.t;
  const m = q.m;
  const real = q.real != 0;
  if (t >= q.kmax || t >= (real ? 2 * m : m)) return CQU_FULL;
  const w = cquQcol(q, t);
  const h = q.h;
  memory.copy(w, a, <usize>m << 4);
  const rc = cquRat(q, 0, t);
  memory.fill(rc, 0, <usize>(t + 1) << 4);
  let before = anorm;
  for (let pass = 0; pass < 2; pass++) {
    if (t == 0) break;
    for (let j = 0; j < t; j++) {
      store<f64>(h + (<usize>j << 4), cdotQ(cquQcol(q, j), w, m, real));
      store<f64>(h + (<usize>j << 4), dotIm, 8);
    }
    for (let j = 0; j < t; j++) {
      const hr = load<f64>(h + (<usize>j << 4)), hi = load<f64>(h + (<usize>j << 4), 8);
      csubScaled(w, cquQcol(q, j), m, hr, hi);
      store<f64>(rc + (<usize>j << 4), load<f64>(rc + (<usize>j << 4)) + hr);
      store<f64>(rc + (<usize>j << 4), load<f64>(rc + (<usize>j << 4), 8) + hi, 8);
    }
    const after = cnrm2(w, m);
    if (after >= QU_REORTH * before) break;
    before = after;
  }
  const rho = cnrm2(w, m);
  if (!(rho > QU_DEP_TOL * anorm)) return CQU_DEPENDENT;
  const len = m << 1;
  for (let i = 0; i < len; i++) store<f64>(w + (<usize>i << 3), load<f64>(w + (<usize>i << 3)) / rho);
  store<f64>(rc + (<usize>t << 4), rho);
  store<f64>(rc + (<usize>t << 4), 0.0, 8);
  store<i32>(q.cols + (<usize>t << 2), atom);
  q.t = t + 1;
  return CQU_OK;
}

/** (x, y) <- (c x + s y, conj(c) y - conj(s) x) over len complex values. */
function crotate(x: usize, y: usize, len: i32, cr: f64, ci: f64, sr: f64, si: f64): void {
  const end = <usize>len << 4;
  for (let b: usize = 0; b < end; b += 16) {
    const ur = load<f64>(x + b), ui = load<f64>(x + b, 8), vr = load<f64>(y + b), vi = load<f64>(y + b, 8);
    store<f64>(x + b, (cr * ur - ci * ui) + (sr * vr - si * vi));
    store<f64>(x + b, (cr * ui + ci * ur) + (sr * vi + si * vr), 8);
    store<f64>(y + b, (cr * vr + ci * vi) - (sr * ur + si * ui));
    store<f64>(y + b, (cr * vi - ci * vr) - (sr * ui - si * ur), 8);
  }
}

/**
 * Removes position p. C, when not 0, is a companion with ldc complex rows per
 * column (C = A^H Q, ldc = n) that gets the same rotations.
 */
export function cquDelete(q: CQRU, p: i32, C: usize, ldc: i32): void {
  const t = q.t;
  const m = q.m;
  for (let j = p; j < t - 1; j++) {
    memory.copy(cquRat(q, 0, j), cquRat(q, 0, j + 1), <usize>(j + 2) << 4);
    store<i32>(q.cols + (<usize>j << 2), load<i32>(q.cols + (<usize>(j + 1) << 2)));
  }
  for (let i = p; i < t - 1; i++) {
    const pa = cquRat(q, i, i);
    const ar = load<f64>(pa), ai = load<f64>(pa, 8), br = load<f64>(pa, 16), bi = load<f64>(pa, 24);
    const h = Math.hypot(cabs(ar, ai), cabs(br, bi));
    let cr = 1.0, ci = 0.0, sr = 0.0, si = 0.0;
    if (h > 0.0) { cr = ar / h; ci = ai / h; sr = br / h; si = bi / h; }
    store<f64>(pa, h);
    store<f64>(pa, 0.0, 8);
    store<f64>(pa, 0.0, 16);
    store<f64>(pa, 0.0, 24);
    for (let l = i + 1; l < t - 1; l++) {
      const pu = cquRat(q, i, l);
      const ur = load<f64>(pu), ui = load<f64>(pu, 8), vr = load<f64>(pu, 16), vi = load<f64>(pu, 24);
      store<f64>(pu, (cr * ur + ci * ui) + (sr * vr + si * vi));
      store<f64>(pu, (cr * ui - ci * ur) + (sr * vi - si * vr), 8);
      store<f64>(pu, (cr * vr - ci * vi) - (sr * ur - si * ui), 16);
      store<f64>(pu, (cr * vi + ci * vr) - (sr * ui + si * ur), 24);
    }
    crotate(cquQcol(q, i), cquQcol(q, i + 1), m, cr, ci, sr, si);
    if (C != 0) {
      const cb = <usize>ldc << 4;
      crotate(C + <usize>i * cb, C + <usize>(i + 1) * cb, ldc, cr, ci, sr, si);
    }
  }
  q.t = t - 1;
}

/**
 * Least squares on the current columns: qty = Q^H y, z = R^{-1} qty (t
 * complex each), r = y - Q qty (m complex); returns ||r||.
 */
export function cquFit(q: CQRU, y: usize, qty: usize, z: usize, r: usize): f64 {
  const t = q.t;
  const m = q.m;
  const real = q.real != 0;
  for (let j = 0; j < t; j++) {
    store<f64>(qty + (<usize>j << 4), cdotQ(cquQcol(q, j), y, m, real));
    store<f64>(qty + (<usize>j << 4), dotIm, 8);
  }
  for (let i = t - 1; i >= 0; i--) {
    let sr = load<f64>(qty + (<usize>i << 4));
    let si = load<f64>(qty + (<usize>i << 4), 8);
    for (let j = i + 1; j < t; j++) {
      const pr = cquRat(q, i, j);
      const rr = load<f64>(pr), ri = load<f64>(pr, 8);
      const zr = load<f64>(z + (<usize>j << 4)), zi = load<f64>(z + (<usize>j << 4), 8);
      sr -= rr * zr - ri * zi;
      si -= rr * zi + ri * zr;
    }
    const d = load<f64>(cquRat(q, i, i));
    store<f64>(z + (<usize>i << 4), sr / d);
    store<f64>(z + (<usize>i << 4), si / d, 8);
  }
  memory.copy(r, y, <usize>m << 4);
  for (let j = 0; j < t; j++) {
    csubScaled(r, cquQcol(q, j), m, load<f64>(qty + (<usize>j << 4)), load<f64>(qty + (<usize>j << 4), 8));
  }
  return cnrm2(r, m);
}

/** x (2n) = 0 except x[cols[p]] = z[p] (complex), p < cnt; support = the atoms ascending (flags: n bytes). */
export function cwriteSolution(z: usize, atoms: usize, cnt: i32, n: i32, x: usize, support: usize, flags: usize): void {
  memory.fill(x, 0, <usize>n << 4);
  memory.fill(flags, 0, <usize>n);
  for (let p = 0; p < cnt; p++) {
    const j = load<i32>(atoms + (<usize>p << 2));
    store<f64>(x + (<usize>j << 4), load<f64>(z + (<usize>p << 4)));
    store<f64>(x + (<usize>j << 4), load<f64>(z + (<usize>p << 4), 8), 8);
    store<u8>(flags + <usize>j, 1);
  }
  let c = 0;
  for (let j = 0; j < n; j++) {
    if (load<u8>(flags + <usize>j) != 0) { store<i32>(support + (<usize>c << 2), j); c++; }
  }
}

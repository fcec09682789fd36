// Complex BLAS-like kernels for the complex solvers: interleaved complex128
// (element t at (p[2t], p[2t + 1]), the layout of numpy's complex128 and of
// BLAS's zgemv), matrices column-major with leading dimension m.
//
// SIMD: one complex value per v128 (lane 0 the real part, lane 1 the
// imaginary part), selected at compile time by ASC_FEATURE_SIMD; every
// scalar path adds in the same order as its v128 path, lane by lane, so the
// scalar and SIMD builds agree bit for bit (the relaxed build fuses the
// multiply-adds of cgemvH and cdotH, as assembly/blas.ts does).
//
// Where the JS twins (src/js/complex/cmatrix.ts, iht.ts) fix an order that
// vertical v128 operations can follow, the kernels follow it exactly: cnrm2,
// cgemvN (A x), caddColumn (r -/+ z a_j). A^H r (cgemvH) and the reflector's
// v^H x (cdotH) sum the four real products in two lane accumulators instead
// (re = sum ar rr + sum ai ri, im = sum ar ri - sum ai rr), which the JS twins
// do not, so those agree with the twins to rounding.
import { madd2 } from "../simd";

/**
 * |z| of the complex value (re, im): |re| when im = 0 (exactly, as cmatrix.ts
 * cabs), sqrt(re^2 + im^2) when both parts lie in [2^-500, 2^500] (no square
 * can overflow or lose digits: within an ulp of hypot, and several times
 * cheaper than musl's hypot), hypot otherwise.
 */
// @ts-ignore: decorator
@inline export function cabs(re: f64, im: f64): f64 {
  if (im == 0.0) return abs(re);
  const a = abs(re), b = abs(im);
  if (a < 3.273390607896142e150 && b < 3.273390607896142e150 && a > 3.054936363499605e-151 && b > 3.054936363499605e-151) return Math.sqrt(re * re + im * im);
  return Math.hypot(re, im);
}

/**
 * ||x||_2 of the complex x (len values, 2 len doubles), without overflow or
 * underflow: max |part|, then amax sqrt(sum (part / amax)^2), summed in order.
 * The operations of cmatrix.ts cnorm2, so the two agree bit for bit. NaN for a
 * NaN entry, Infinity for an infinite one.
 */
export function cnrm2(x: usize, len: i32): f64 {
  const b = len << 1;
  let amax = 0.0;
  for (let t = 0; t < b; t++) amax = max(amax, abs(load<f64>(x + (<usize>t << 3))));
  if (amax == 0.0 || !(amax < Infinity)) return amax;
  let s = 0.0;
  for (let t = 0; t < b; t++) {
    const v = load<f64>(x + (<usize>t << 3)) / amax;
    s += v * v;
  }
  return amax * Math.sqrt(s);
}

/**
 * (a + ib) / (c + id) by Smith's algorithm (cmatrix.ts cdiv, the same
 * operations); the real part is returned, the imaginary part read with cdivIm().
 */
let cdivImOf: f64 = 0.0;
export function cdiv(a: f64, b: f64, c: f64, d: f64): f64 {
  if (abs(d) <= abs(c)) {
    const r = d / c;
    const den = c + d * r;
    cdivImOf = (b - a * r) / den;
    return (a + b * r) / den;
  }
  const r = c / d;
  const den = c * r + d;
  cdivImOf = (b * r - a) / den;
  return (a * r + b) / den;
}

/** The imaginary part of the last cdiv. */
// @ts-ignore: decorator
@inline export function cdivIm(): f64 {
  return cdivImOf;
}

/**
 * v^H x over len complex values: re = sum vr xr + sum vi xi,
 * im = sum vr xi - sum vi xr (two lane accumulators, summed at the end).
 * Returns re; the imaginary part is read with cdotIm().
 */
let cdotImOf: f64 = 0.0;
export function cdotH(v: usize, x: usize, len: i32): f64 {
  const end = <usize>len << 4;
  if (ASC_FEATURE_SIMD) {
    let p = f64x2.splat(0);
    let q = f64x2.splat(0);
    for (let b: usize = 0; b < end; b += 16) {
      const vv = v128.load(v + b);
      const xv = v128.load(x + b);
      p = madd2(vv, xv, p);
      q = madd2(vv, f64x2.shuffle(xv, xv, 1, 0), q);
    }
    cdotImOf = f64x2.extract_lane(q, 0) - f64x2.extract_lane(q, 1);
    return f64x2.extract_lane(p, 0) + f64x2.extract_lane(p, 1);
  }
  let p0 = 0.0, p1 = 0.0, q0 = 0.0, q1 = 0.0;
  for (let b: usize = 0; b < end; b += 16) {
    const vr = load<f64>(v + b), vi = load<f64>(v + b, 8);
    const xr = load<f64>(x + b), xi = load<f64>(x + b, 8);
    p0 += vr * xr;
    p1 += vi * xi;
    q0 += vr * xi;
    q1 += vi * xr;
  }
  cdotImOf = q0 - q1;
  return p0 + p1;
}

/** The imaginary part of the last cdotH. */
// @ts-ignore: decorator
@inline export function cdotIm(): f64 {
  return cdotImOf;
}

// Columns of A^H r per pass: one load of r (and its swap) feeds 4 columns, 8
// independent accumulators hide the add latency.
// @ts-ignore: decorator
@inline const H_COLS: i32 = 4;

/**
 * out = A^H r: out[j] = sum_i conj(a_ij) r_i for j < n (A m x n complex,
 * r m complex, out n complex). Order per column: the products ar rr, ai ri,
 * ar ri, ai rr each summed over i in order (lanes of two accumulators), then
 * re = (sum ar rr) + (sum ai ri), im = (sum ar ri) - (sum ai rr). The same
 * for every column whether in a block of H_COLS or not.
 */
export function cgemvH(A: usize, m: i32, n: i32, r: usize, out: usize): void {
  const colBytes = <usize>m << 4;
  const end = colBytes;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + H_COLS <= n; j += H_COLS) {
      const c0 = A + <usize>j * colBytes;
      const c1 = c0 + colBytes;
      const c2 = c1 + colBytes;
      const c3 = c2 + colBytes;
      let p0 = f64x2.splat(0), q0 = f64x2.splat(0), p1 = f64x2.splat(0), q1 = f64x2.splat(0);
      let p2 = f64x2.splat(0), q2 = f64x2.splat(0), p3 = f64x2.splat(0), q3 = f64x2.splat(0);
      for (let b: usize = 0; b < end; b += 16) {
        const rv = v128.load(r + b);
        const rs = f64x2.shuffle(rv, rv, 1, 0);
        const a0 = v128.load(c0 + b);
        const a1 = v128.load(c1 + b);
        const a2 = v128.load(c2 + b);
        const a3 = v128.load(c3 + b);
        p0 = madd2(a0, rv, p0); q0 = madd2(a0, rs, q0);
        p1 = madd2(a1, rv, p1); q1 = madd2(a1, rs, q1);
        p2 = madd2(a2, rv, p2); q2 = madd2(a2, rs, q2);
        p3 = madd2(a3, rv, p3); q3 = madd2(a3, rs, q3);
      }
      const o = out + (<usize>j << 4);
      store<f64>(o, f64x2.extract_lane(p0, 0) + f64x2.extract_lane(p0, 1));
      store<f64>(o, f64x2.extract_lane(q0, 0) - f64x2.extract_lane(q0, 1), 8);
      store<f64>(o, f64x2.extract_lane(p1, 0) + f64x2.extract_lane(p1, 1), 16);
      store<f64>(o, f64x2.extract_lane(q1, 0) - f64x2.extract_lane(q1, 1), 24);
      store<f64>(o, f64x2.extract_lane(p2, 0) + f64x2.extract_lane(p2, 1), 32);
      store<f64>(o, f64x2.extract_lane(q2, 0) - f64x2.extract_lane(q2, 1), 40);
      store<f64>(o, f64x2.extract_lane(p3, 0) + f64x2.extract_lane(p3, 1), 48);
      store<f64>(o, f64x2.extract_lane(q3, 0) - f64x2.extract_lane(q3, 1), 56);
    }
  }
  for (; j < n; j++) {
    const o = out + (<usize>j << 4);
    store<f64>(o, cdotH(A + <usize>j * colBytes, r, m));
    store<f64>(o, cdotIm(), 8);
  }
}

/** t = a z for the complex a in v128 (ar, ai) and z = (zr, zi): [ar zr + ai (-zi), ai zr + ar zi] = (ar zr - ai zi, ai zr + ar zi), exactly. */
// @ts-ignore: decorator
@inline function cmulv(a: v128, zr: v128, zs: v128): v128 {
  return f64x2.add(f64x2.mul(a, zr), f64x2.mul(f64x2.shuffle(a, a, 1, 0), zs));
}

/** [-zi, zi]: the second factor of cmulv. */
// @ts-ignore: decorator
@inline function signedIm(zi: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(zi), 0, -zi);
}

/**
 * out = A x (A m x n complex, x n complex, out m complex). The order of
 * cmatrix.ts cmatVec, bit for bit: blocks of 4 columns, out_i + (((t0 + t1)
 * + t2) + t3) with t_c = a_c x_c = (ar xr - ai xi, ar xi + ai xr); blocks
 * whose four x are all zero skipped; the columns past the last block one at
 * a time. Products are not fused in any build (so the relaxed build gives
 * these bits too).
 */
export function cgemvN(A: usize, m: i32, n: i32, x: usize, out: usize): void {
  memory.fill(out, 0, <usize>m << 4);
  const colBytes = <usize>m << 4;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const xo = x + (<usize>j << 4);
    const x0r = load<f64>(xo), x0i = load<f64>(xo, 8), x1r = load<f64>(xo, 16), x1i = load<f64>(xo, 24);
    const x2r = load<f64>(xo, 32), x2i = load<f64>(xo, 40), x3r = load<f64>(xo, 48), x3i = load<f64>(xo, 56);
    if (x0r == 0.0 && x0i == 0.0 && x1r == 0.0 && x1i == 0.0 && x2r == 0.0 && x2i == 0.0 && x3r == 0.0 && x3i == 0.0) continue;
    const c0 = A + <usize>j * colBytes;
    const c1 = c0 + colBytes;
    const c2 = c1 + colBytes;
    const c3 = c2 + colBytes;
    if (ASC_FEATURE_SIMD) {
      const r0 = f64x2.splat(x0r), s0 = signedIm(x0i), r1 = f64x2.splat(x1r), s1 = signedIm(x1i);
      const r2 = f64x2.splat(x2r), s2 = signedIm(x2i), r3 = f64x2.splat(x3r), s3 = signedIm(x3i);
      for (let b: usize = 0; b < colBytes; b += 16) {
        const t = f64x2.add(f64x2.add(f64x2.add(cmulv(v128.load(c0 + b), r0, s0), cmulv(v128.load(c1 + b), r1, s1)),
          cmulv(v128.load(c2 + b), r2, s2)), cmulv(v128.load(c3 + b), r3, s3));
        v128.store(out + b, f64x2.add(v128.load(out + b), t));
      }
    } else {
      for (let b: usize = 0; b < colBytes; b += 16) {
        const a0r = load<f64>(c0 + b), a0i = load<f64>(c0 + b, 8), a1r = load<f64>(c1 + b), a1i = load<f64>(c1 + b, 8);
        const a2r = load<f64>(c2 + b), a2i = load<f64>(c2 + b, 8), a3r = load<f64>(c3 + b), a3i = load<f64>(c3 + b, 8);
        store<f64>(out + b, load<f64>(out + b) + ((((a0r * x0r - a0i * x0i) + (a1r * x1r - a1i * x1i)) + (a2r * x2r - a2i * x2i)) + (a3r * x3r - a3i * x3i)));
        store<f64>(out + b, load<f64>(out + b, 8) + ((((a0i * x0r + a0r * x0i) + (a1i * x1r + a1r * x1i)) + (a2i * x2r + a2r * x2i)) + (a3i * x3r + a3r * x3i)), 8);
      }
    }
  }
  for (; j < n; j++) {
    const xo = x + (<usize>j << 4);
    const zr = load<f64>(xo), zi = load<f64>(xo, 8);
    if (zr == 0.0 && zi == 0.0) continue;
    caddColumn(A + <usize>j * colBytes, m, zr, zi, out, false);
  }
}

/**
 * out += z a (sub = false) or out -= z a (sub = true) for the complex column a
 * (m values) and the complex z = (zr, zi): per element
 * out - (zr ar - zi ai, zr ai + zi ar), the operations of iht.ts addColumn.
 */
export function caddColumn(a: usize, m: i32, zr: f64, zi: f64, out: usize, sub: bool): void {
  const end = <usize>m << 4;
  if (ASC_FEATURE_SIMD) {
    const rv = f64x2.splat(zr);
    const sv = signedIm(zi);
    if (sub) {
      for (let b: usize = 0; b < end; b += 16) v128.store(out + b, f64x2.sub(v128.load(out + b), cmulv(v128.load(a + b), rv, sv)));
    } else {
      for (let b: usize = 0; b < end; b += 16) v128.store(out + b, f64x2.add(v128.load(out + b), cmulv(v128.load(a + b), rv, sv)));
    }
    return;
  }
  for (let b: usize = 0; b < end; b += 16) {
    const ar = load<f64>(a + b), ai = load<f64>(a + b, 8);
    const tr = ar * zr - ai * zi;
    const ti = ai * zr + ar * zi;
    if (sub) {
      store<f64>(out + b, load<f64>(out + b) - tr);
      store<f64>(out + b, load<f64>(out + b, 8) - ti, 8);
    } else {
      store<f64>(out + b, load<f64>(out + b) + tr);
      store<f64>(out + b, load<f64>(out + b, 8) + ti, 8);
    }
  }
}

/**
 * r = y - sum over j in set[0..cnt) of x_j a_j (complex), column by column in
 * set order, skipping zero x_j: iht.ts cresidualOn, bit for bit.
 */
export function cresidualOn(A: usize, m: i32, y: usize, x: usize, set: usize, cnt: i32, r: usize): void {
  memory.copy(r, y, <usize>m << 4);
  const colBytes = <usize>m << 4;
  for (let s = 0; s < cnt; s++) {
    const j = load<i32>(set + (<usize>s << 2));
    const zr = load<f64>(x + (<usize>j << 4));
    const zi = load<f64>(x + (<usize>j << 4), 8);
    if (zr != 0.0 || zi != 0.0) caddColumn(A + <usize>j * colBytes, m, zr, zi, r, true);
  }
}

// Mixed-precision screening of OMP's atom selection.
//
// OMP spends almost all its time in c = A^T r, one pass over A per atom. The
// screen computes c in f32 instead (f32x4 lanes: twice the products per
// instruction and half the bytes of the f64 pass), bounds the f32 error of
// every normalised score |c_j| / ||a_j||, and recomputes in f64 only the
// candidates whose score could still be the largest, with gemvTColumn, i.e.
// exactly the value a full f64 gemvT would have produced. The atom chosen is
// therefore exactly the atom of the f64 selection (argmaxAbs, ties to the
// lowest index), bit for bit, and the rest of OMP is unchanged.
//
// The bound. A and r are scaled by powers of two (exact) so that their
// largest column norm, and their norm, lie in [1/2, 1) (so every entry is
// below 1), then rounded to f32. For a column a and
// r, with u = 2^-24, the f32 dot product (at most m + 4 roundings deep,
// counting the two input roundings and the lane sums) differs from the exact
// one by at most gamma * ||a|| ||r|| (Cauchy-Schwarz), gamma = (m+4)u /
// (1-(m+4)u), plus at most 3m 2^-148 from entries and products that fall
// below the f32 normal range (each loses at most 2^-150 absolute, and every
// scaled entry is below 1); the f64 gemvT value differs from the exact one by
// at most m 2^-53 ||a|| ||r||. Both are doubled for the roundings of the norms
// themselves. With d_j that bound on score j and s_j the f32 score, the
// largest true score is at least L = max_j (s_j - d_j), so every atom with
// s_j + d_j < L is out, ties included.
import { gemvT, gemvTColumn, nrm2 } from "./blas";
import { argmaxAbs } from "./select";

// The screen runs while both scale exponents lie within +-SCREEN_MAX_EXP: then
// 2^(ea+er) and 2^(ea+er-148) are normal f64 numbers. The facade already
// brings A and y within 2^+-100 (matrix.ts SAFE_EXP), so this only guards
// direct kernel calls.
// @ts-ignore: decorator
@inline const SCREEN_MAX_EXP: i32 = 400;
// Returned by screenPrepare when the screen cannot run (A is zero, or its
// largest entry is subnormal or outside the range above).
export const NO_SCREEN: i32 = 0x7fffffff;

/** 2^e for e in [-1022, 1023]. */
// @ts-ignore: decorator
@inline function pow2(e: i32): f64 {
  return reinterpret<f64>(<u64>(e + 1023) << 52);
}

/** e with 2^(e-1) <= v < 2^e for a normal positive v. */
// @ts-ignore: decorator
@inline function expOf(v: f64): i32 {
  return <i32>((reinterpret<u64>(v) >> 52) & 0x7ff) - 1022;
}

/** max |x_i| over len values. */
function maxAbs(x: usize, len: usize): f64 {
  let mx = 0.0;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    // the entries are finite (the facade checks), so max needs no NaN care
    let m0 = f64x2.splat(0), m1 = f64x2.splat(0);
    for (; i + 4 <= len; i += 4) {
      m0 = f64x2.pmax(m0, f64x2.abs(v128.load(x + (i << 3))));
      m1 = f64x2.pmax(m1, f64x2.abs(v128.load(x + (i << 3), 16)));
    }
    m0 = f64x2.pmax(m0, m1);
    mx = max(f64x2.extract_lane(m0, 0), f64x2.extract_lane(m0, 1));
  }
  for (; i < len; i++) {
    const v = abs(load<f64>(x + (i << 3)));
    if (v > mx) mx = v;
  }
  return mx;
}

/** dst[i] = f32(src[i] * scale) for len values (scale a power of two: the product is exact unless it underflows). */
function toF32(src: usize, dst: usize, len: usize, scale: f64): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = f64x2.splat(scale);
    for (; i + 4 <= len; i += 4) {
      const lo = f32x4.demote_f64x2_zero(f64x2.mul(v128.load(src + (i << 3)), sv));
      const hi = f32x4.demote_f64x2_zero(f64x2.mul(v128.load(src + (i << 3), 16), sv));
      v128.store(dst + (i << 2), v128.shuffle<i32>(lo, hi, 0, 1, 4, 5));
    }
  }
  for (; i < len; i++) store<f32>(dst + (i << 2), <f32>(load<f64>(src + (i << 3)) * scale));
}

/**
 * out[j] = f32 dot of column j of A32 (m x n, f32, column-major) with r32,
 * as f64. 8 columns at a time, one f32x4 row-quad per step (the f32 analogue
 * of gemvT's 7 x 1 block: f32x4 needs one accumulator fewer per product
 * than two f64x2, and 8 accumulators plus r fit the 16 xmm registers).
 */
function gemvT32(A: usize, m: i32, n: i32, r: usize, out: usize): void {
  const colBytes = <usize>m << 2;
  const quadBytes = <usize>(m & ~3) << 2;
  const mq = m & ~3;
  let j = 0;
  if (ASC_FEATURE_SIMD) for (; j + 8 <= n; j += 8) {
    const c0 = A + <usize>j * colBytes;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
    let p0 = c0;
    let rp = r;
    const rend = r + quadBytes;
    while (rp < rend) {
      const rv = v128.load(rp);
      const p1 = p0 + colBytes;
      const p2 = p1 + colBytes;
      const p3 = p2 + colBytes;
      const p4 = p3 + colBytes;
      const p5 = p4 + colBytes;
      const p6 = p5 + colBytes;
      const p7 = p6 + colBytes;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(p0), rv));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(p1), rv));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(p2), rv));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(p3), rv));
      a4 = f32x4.add(a4, f32x4.mul(v128.load(p4), rv));
      a5 = f32x4.add(a5, f32x4.mul(v128.load(p5), rv));
      a6 = f32x4.add(a6, f32x4.mul(v128.load(p6), rv));
      a7 = f32x4.add(a7, f32x4.mul(v128.load(p7), rv));
      p0 += 16;
      rp += 16;
    }
    const oj = out + (<usize>j << 3);
    store<f64>(oj, <f64>hsum(a0) + tail(c0, r, mq, m));
    store<f64>(oj, <f64>hsum(a1) + tail(c0 + colBytes, r, mq, m), 8);
    store<f64>(oj, <f64>hsum(a2) + tail(c0 + 2 * colBytes, r, mq, m), 16);
    store<f64>(oj, <f64>hsum(a3) + tail(c0 + 3 * colBytes, r, mq, m), 24);
    store<f64>(oj, <f64>hsum(a4) + tail(c0 + 4 * colBytes, r, mq, m), 32);
    store<f64>(oj, <f64>hsum(a5) + tail(c0 + 5 * colBytes, r, mq, m), 40);
    store<f64>(oj, <f64>hsum(a6) + tail(c0 + 6 * colBytes, r, mq, m), 48);
    store<f64>(oj, <f64>hsum(a7) + tail(c0 + 7 * colBytes, r, mq, m), 56);
  }
  for (; j < n; j++) {
    const c = A + <usize>j * colBytes;
    let s: f32 = 0;
    for (let i = 0; i < m; i++) s += load<f32>(c + (<usize>i << 2)) * load<f32>(r + (<usize>i << 2));
    store<f64>(out + (<usize>j << 3), <f64>s);
  }
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** The f32 sum of the last m - mq (< 4) rows. */
// @ts-ignore: decorator
@inline function tail(c: usize, r: usize, mq: i32, m: i32): f32 {
  let s: f32 = 0;
  for (let i = mq; i < m; i++) s += load<f32>(c + (<usize>i << 2)) * load<f32>(r + (<usize>i << 2));
  return s;
}

/**
 * Whether OMP at (m, n, k) screens (when switched on): only in the SIMD
 * build (scalar f32 is no faster than scalar f64), for at least SCREEN_MIN_K
 * atoms (the f32 copy of A costs about one pass over A), while the f32 copy
 * stays within SCREEN_MAX_BYTES, and for m <= 2^20, so that (m+4) u <= 1/16
 * and the bound above holds.
 */
export function ompScreenFits(m: i32, n: i32, k: i32): bool {
  // SCREEN_MIN_K: measured with bench/solvers.ts and a scratch loop (medians,
  // one core busy): at (256, 1024) k = 4 the screen took 0.24 ms against
  // 0.26 ms, at (64, 256) k = 8 0.036 against 0.035 ms (even); below 4 atoms
  // the f32 copy of A, about one pass over A, is most of the gain.
  const SCREEN_MIN_K: i32 = 4;
  // SCREEN_MAX_BYTES: the f32 copy doubles OMP's footprint by half of A;
  // beyond 256 MiB of copy (A of 512 MiB) the memory matters more than the speed.
  const SCREEN_MAX_BYTES: u64 = 256 << 20;
  return ASC_FEATURE_SIMD && k >= SCREEN_MIN_K && m >= 4 && m <= (1 << 20)
    && (<u64>m * <u64>n << 2) <= SCREEN_MAX_BYTES;
}

// Off only through setOmpScreening (tests compare both paths bit for bit).
let screenEnabled: bool = true;

/** Switches the screen on or off (for tests and benchmarks: the results are the same). */
export function setOmpScreening(on: i32): void {
  screenEnabled = on != 0;
}

// Counts since the last reset (for tests and the benchmark): selections made
// by the screen, and candidates it recomputed in f64.
let screenedCount: f64 = 0;
let exactCount: f64 = 0;

/** Writes [screened selections, f64 recomputations] to out (2 f64) and resets both when reset != 0. */
export function ompScreenCounters(out: usize, reset: i32): void {
  store<f64>(out, screenedCount);
  store<f64>(out, exactCount, 8);
  if (reset != 0) { screenedCount = 0; exactCount = 0; }
}

/** Whether the screen is switched on (it is unless a test switched it off). */
export function screenOn(): bool {
  return screenEnabled;
}

/**
 * Writes the scaled f32 copy of A (m x n, column norms `norms`) to A32 and
 * returns its scale exponent ea (A32 = f32(A 2^-ea)), or NO_SCREEN. ea comes
 * from the largest column norm, which bounds every entry, so the scaled
 * entries are below 1 as the bound needs, without a pass over A.
 */
export function screenPrepare(A: usize, m: i32, n: i32, norms: usize, A32: usize): i32 {
  const mx = maxAbs(norms, <usize>n);
  if (!(mx >= 2.2250738585072014e-308) || mx == Infinity) return NO_SCREEN;
  const ea = expOf(mx);
  if (ea > SCREEN_MAX_EXP || ea < -SCREEN_MAX_EXP) return NO_SCREEN;
  toF32(A, A32, <usize>m * <usize>n, pow2(-ea));
  return ea;
}

/**
 * argmaxAbs(A^T r, invNorm, mask, n) without the f64 pass over A (see the
 * top of this file): returns the same index, and writes the exact f64 A^T r
 * of that index to c[j]; the other entries of c are scratch. Falls back to
 * the full f64 pass when r is out of the screen's range.
 */
export function screenedArgmax(A: usize, m: i32, n: i32, A32: usize, ea: i32, r: usize, r32: usize,
                               c: usize, invNorm: usize, mask: usize): i32 {
  // ||r|| bounds every entry of r, as the largest norm does for A
  const rnorm = nrm2(r, m);
  let er: i32 = NO_SCREEN;
  if (rnorm >= 2.2250738585072014e-308 && rnorm < Infinity) er = expOf(rnorm);
  if (ea == NO_SCREEN || er > SCREEN_MAX_EXP || er < -SCREEN_MAX_EXP) {
    gemvT(A, m, n, r, c);
    return argmaxAbs(c, invNorm, mask, n);
  }
  toF32(r, r32, <usize>m, pow2(-er));
  gemvT32(A32, m, n, r32, c);
  const u = 5.9604644775390625e-8; // 2^-24, f32 unit roundoff
  const depth = <f64>(m + 4);
  const gamma = depth * u / (1.0 - depth * u) + <f64>m * 1.1102230246251565e-16; // + m 2^-53 for the f64 gemvT
  const rel = 2.0 * gamma * rnorm;
  const K = pow2(ea + er);
  const absTerm = 2.0 * 3.0 * <f64>m * pow2(ea + er - 148);
  let L = -Infinity;
  for (let j = 0; j < n; j++) {
    if (load<u8>(mask + <usize>j) != 0) continue;
    const inv = load<f64>(invNorm + (<usize>j << 3));
    const s = abs(load<f64>(c + (<usize>j << 3))) * K * inv - (rel + absTerm * inv);
    if (s > L) L = s;
  }
  if (!isFinite(L)) {
    gemvT(A, m, n, r, c);
    return argmaxAbs(c, invNorm, mask, n);
  }
  let best = -1;
  let bestVal = -1.0;
  let bestC = 0.0;
  for (let j = 0; j < n; j++) {
    if (load<u8>(mask + <usize>j) != 0) continue;
    const inv = load<f64>(invNorm + (<usize>j << 3));
    if (abs(load<f64>(c + (<usize>j << 3))) * K * inv + (rel + absTerm * inv) < L) continue;
    // argmaxAbs's own comparison, on the exact value
    const cj = gemvTColumn(A, m, n, j, r);
    exactCount += 1;
    const a = abs(cj) * inv;
    if (a > bestVal) { bestVal = a; best = j; bestC = cj; }
  }
  if (best >= 0) store<f64>(c + (<usize>best << 3), bestC);
  screenedCount += 1;
  return best;
}

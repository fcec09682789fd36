// BLAS-like level-1 and level-2 kernels on raw pointers into linear memory.
//
// Conventions: every vector is a contiguous run of f64; every matrix is
// column-major with leading dimension equal to its row count `m`. Pointers are
// byte addresses. Nothing here allocates.
//
// Each kernel has a v128 (f64x2) path, selected at compile time by
// ASC_FEATURE_SIMD, and a scalar path that adds in the same order (see
// "Summation order" below). The v128 multiply-adds go through simd.ts, which
// fuses them in the relaxed-SIMD build.
import { madd2, RELAXED } from "./simd";

// Tuning constants (measured with scratch variants on the benchmark machine,
// an Intel Xeon with AVX-512 under V8 11.3 / Node 20; `npm run bench` reports
// the kernels against a native g++ -O3 -march=native probe):
//
// gemvT walks 7 columns at once, one f64x2 row-pair per step, with 7
// independent accumulators: one load of r feeds 7 multiply-adds, and 7 add
// chains hide the add latency. Scratch variants of 4..12 columns x 1..4
// row-pairs, medians of 21-41 interleaved runs: 7 x 1 was fastest at every
// size tried from 32x128 to 512x2048 (13.0 / 10.5 GFLOP/s at 64x256 /
// 256x1024, against 11.2 / 9.6 for 8 x 1, 12.6 / 10.1 for 6 x 1 and 8.8 / 7.8
// for the first 4 x 2 form); 12 columns spill registers. At 1024x4096 all are
// memory-bound (about 7). The loop body is written out for this width.
// @ts-ignore: decorator
@inline const T_COLS: i32 = 7;
// gemvN (axpy form) adds 4 columns per pass over `out`, two f64x2 row-pairs
// per step: 4 x 2 beat 4 x 1 and 8 x 1/2 by a few percent at the two smaller
// sizes (same runs: 11.7 / 8.5 / 5.5 against 9.3 / 7.9 / 5.1 before); at the
// largest size everything is memory-bound. Written out for this width.
// @ts-ignore: decorator
@inline const N_COLS: i32 = 4;
// Beyond GEMVN_WIDE_BYTES of A, gemvN takes two blocks (8 columns) per pass
// over `out` (pass8, the same sums): out is read and written half as often,
// and each store is followed by twice as many loads of A. Scratch variants on
// the AMD EPYC (2 cores shared by other jobs, medians of 101 runs, GFLOP/s,
// 4 x 2 / 8 x 1): 64x256 17.7 / 12.4, 256x1024 16.0 / 11.1, 512x2048 (8 MiB)
// 10.2 / 8.0, 512x4096 (16 MiB) 3.6 / 6.7, 1024x2048 3.9 / 5.6, 1024x4096
// 2.6-3.8 / 4.6; 8 x 2, 12 x 1 and 16 x 1 were no better. While A stays in
// cache the 4 x 2 form's fewer live pointers win; past it, the traffic does.
// On the Intel Xeon host (2 cores, shared; scratch variants, medians of 41
// interleaved runs, GFLOP/s at 1024x4096 / 512x4096 / 2048x2048; native probe
// 7.4): 8 x 1 (pass8) 7.05-7.17 / 7.0 / 7.16, 4 x 2 6.8-7.1 / 6.8-7.0 / 7.1,
// and the streaming form (one column per pass, out += x_j a_j, out in L1)
// only 6.4-6.7 with 2 or 4 row-pairs per step, with or without a load ahead
// as a prefetch hint; so the streaming form, reported to reach 94% of native
// on the AMD EPYC, is not taken here (branch perf-gemvn-stream has it).
// @ts-ignore: decorator
@inline const GEMVN_WIDE_BYTES: u64 = 8 << 20;

// Summation order. The v128 and scalar paths of every kernel here add in
// exactly the same order (the scalar path keeps one accumulator per SIMD
// lane), so the SIMD and scalar builds give bit-identical results; the test
// test/scalar.test.ts checks this on a scalar build.

/** Sum_i x[i] * y[i]. Order: 8 strided partial sums (4 f64x2 accumulators), then pairs, then the tail. */
export function dot(x: usize, y: usize, n: i32): f64 {
  let i = 0;
  let s = 0.0;
  if (ASC_FEATURE_SIMD) {
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 3;
      a0 = madd2(v128.load(x + o), v128.load(y + o), a0);
      a1 = madd2(v128.load(x + o, 16), v128.load(y + o, 16), a1);
      a2 = madd2(v128.load(x + o, 32), v128.load(y + o, 32), a2);
      a3 = madd2(v128.load(x + o, 48), v128.load(y + o, 48), a3);
    }
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      a0 = madd2(v128.load(x + o), v128.load(y + o), a0);
    }
    a0 = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
    s = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  } else {
    // s_q mirrors lane (q & 1) of accumulator a_(q >> 1)
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0;
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 3;
      s0 += load<f64>(x + o) * load<f64>(y + o);
      s1 += load<f64>(x + o, 8) * load<f64>(y + o, 8);
      s2 += load<f64>(x + o, 16) * load<f64>(y + o, 16);
      s3 += load<f64>(x + o, 24) * load<f64>(y + o, 24);
      s4 += load<f64>(x + o, 32) * load<f64>(y + o, 32);
      s5 += load<f64>(x + o, 40) * load<f64>(y + o, 40);
      s6 += load<f64>(x + o, 48) * load<f64>(y + o, 48);
      s7 += load<f64>(x + o, 56) * load<f64>(y + o, 56);
    }
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      s0 += load<f64>(x + o) * load<f64>(y + o);
      s1 += load<f64>(x + o, 8) * load<f64>(y + o, 8);
    }
    s = ((s0 + s2) + (s4 + s6)) + ((s1 + s3) + (s5 + s7));
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    s += load<f64>(x + o) * load<f64>(y + o);
  }
  return s;
}

/** y[i] += a * x[i]. */
export function axpy(a: f64, x: usize, y: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f64x2.splat(a);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      v128.store(y + o, madd2(av, v128.load(x + o), v128.load(y + o)));
      v128.store(y + o, madd2(av, v128.load(x + o, 16), v128.load(y + o, 16)), 16);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + a * load<f64>(x + o));
  }
}

/**
 * axpy (the same operations, so the same y) and finiteAll(y, n) in one pass
 * over y: returns false when an entry of the new y is not finite.
 */
export function axpyFinite(a: f64, x: usize, y: usize, n: i32): bool {
  let i = 0;
  // v - v is 0 for finite v and NaN otherwise, and a NaN stays in the sum
  let bad = 0.0;
  if (ASC_FEATURE_SIMD) {
    const av = f64x2.splat(a);
    let acc = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      const v0 = madd2(av, v128.load(x + o), v128.load(y + o));
      const v1 = madd2(av, v128.load(x + o, 16), v128.load(y + o, 16));
      v128.store(y + o, v0);
      v128.store(y + o, v1, 16);
      acc = f64x2.add(acc, f64x2.add(f64x2.sub(v0, v0), f64x2.sub(v1, v1)));
    }
    bad = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const v = load<f64>(y + o) + a * load<f64>(x + o);
    store<f64>(y + o, v);
    bad += v - v;
  }
  return bad == 0.0;
}

/** x[i] *= a. */
export function scal(a: f64, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(x + o, a * load<f64>(x + o));
  }
}

/** dst[i] = src[i]. */
export function copy(src: usize, dst: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 3);
}

/** x[i] = 0. */
export function zero(x: usize, n: i32): void {
  memory.fill(x, 0, <usize>n << 3);
}

/**
 * Euclidean norm, scaled so that it neither overflows nor underflows
 * (the two-pass form: max |x_i|, then the norm of x / max). NaN when an
 * entry is NaN, Infinity when one is infinite (so callers can tell an
 * overflowed vector from a finite one).
 */
export function nrm2(x: usize, n: i32): f64 {
  // One pass when the sum of squares lands in [NRM2_DOT_LO, NRM2_DOT_HI):
  // then max |x_i| is in (1e-150, 1e150) (n < 1e100), where the two-pass
  // path below also returns sqrt(dot): the same value, one pass fewer.
  const d = dot(x, x, n);
  if (d >= NRM2_DOT_LO && d < NRM2_DOT_HI) return Math.sqrt(d);
  let amax = 0.0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // max is exact, so the lanes give the scalar loop's amax. pmax (one
    // instruction; f64x2.max's NaN rules cost several) drops NaNs, so they
    // are flagged apart (v != v)
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    let bad = i64x2.splat(0);
    for (; i + 8 <= n; i += 8) {
      const p = x + (<usize>i << 3);
      const v0 = f64x2.abs(v128.load(p)), v1 = f64x2.abs(v128.load(p, 16));
      const v2 = f64x2.abs(v128.load(p, 32)), v3 = f64x2.abs(v128.load(p, 48));
      a0 = f64x2.pmax(a0, v0);
      a1 = f64x2.pmax(a1, v1);
      a2 = f64x2.pmax(a2, v2);
      a3 = f64x2.pmax(a3, v3);
      bad = v128.or(bad, v128.or(v128.or(f64x2.ne(v0, v0), f64x2.ne(v1, v1)), v128.or(f64x2.ne(v2, v2), f64x2.ne(v3, v3))));
    }
    if (v128.any_true(bad)) return NaN;
    const a = f64x2.pmax(f64x2.pmax(a0, a1), f64x2.pmax(a2, a3));
    amax = max(f64x2.extract_lane(a, 0), f64x2.extract_lane(a, 1));
  }
  for (; i < n; i++) {
    const v = abs(load<f64>(x + (<usize>i << 3)));
    if (v > amax) amax = v;
    else if (v != v) return v;
  }
  if (amax == 0.0) return 0.0;
  if (amax == Infinity) return amax;
  // Fast path when squares cannot overflow or lose everything to underflow:
  // 1e-150 .. 1e150 keeps every square inside the f64 normal range.
  if (amax < 1e150 && amax > 1e-150) return Math.sqrt(dot(x, x, n));
  // Divide rather than multiply by 1 / amax: for a subnormal amax the
  // reciprocal overflows to Infinity (1 / 5e-324), the quotients do not.
  // An infinite amax (overflowed input) gives NaN here, as it must.
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(x + (<usize>i << 3)) / amax;
    s += v * v;
  }
  return amax * Math.sqrt(s);
}

/**
 * Column j of a gemvT block, scalar path: the even and odd rows summed
 * separately (lanes 0 and 1 of the SIMD accumulator), then added.
 */
// @ts-ignore: decorator
@inline function pairDot(p: usize, r: usize, pairBytes: usize): f64 {
  if (RELAXED) {
    // the fused lanes of the SIMD block, as gemvT computes them
    let a = f64x2.splat(0);
    for (let b: usize = 0; b < pairBytes; b += 16) a = madd2(v128.load(p + b), v128.load(r + b), a);
    return f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  }
  let e = 0.0, o = 0.0;
  for (let b: usize = 0; b < pairBytes; b += 16) {
    e += load<f64>(p + b) * load<f64>(r + b);
    o += load<f64>(p + b, 8) * load<f64>(r + b, 8);
  }
  return e + o;
}

/**
 * out[j] = a_j . r for j < n (out = A^T r), A m x n column-major.
 * Order per column in a block of T_COLS: even rows and odd rows summed
 * separately, added, then the last row when m is odd. Columns past the last
 * full block use dot().
 */
export function gemvT(A: usize, m: i32, n: i32, r: usize, out: usize): void {
  const colBytes = <usize>m << 3;
  const pairBytes = <usize>(m & ~1) << 3;
  let j = 0;
  for (; j + T_COLS <= n; j += T_COLS) {
    const c0 = A + <usize>j * colBytes;
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0;
    if (ASC_FEATURE_SIMD) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      let a4 = f64x2.splat(0), a5 = f64x2.splat(0), a6 = f64x2.splat(0);
      // pointer bumping: measurably faster under V8 than base + (i << 3) per load
      let p0 = c0;
      let rp = r;
      const rend = r + pairBytes;
      while (rp < rend) {
        const rv = v128.load(rp);
        const p1 = p0 + colBytes;
        const p2 = p1 + colBytes;
        const p3 = p2 + colBytes;
        const p4 = p3 + colBytes;
        const p5 = p4 + colBytes;
        const p6 = p5 + colBytes;
        a0 = madd2(v128.load(p0), rv, a0);
        a1 = madd2(v128.load(p1), rv, a1);
        a2 = madd2(v128.load(p2), rv, a2);
        a3 = madd2(v128.load(p3), rv, a3);
        a4 = madd2(v128.load(p4), rv, a4);
        a5 = madd2(v128.load(p5), rv, a5);
        a6 = madd2(v128.load(p6), rv, a6);
        p0 += 16;
        rp += 16;
      }
      s0 = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
      s1 = f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
      s2 = f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1);
      s3 = f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1);
      s4 = f64x2.extract_lane(a4, 0) + f64x2.extract_lane(a4, 1);
      s5 = f64x2.extract_lane(a5, 0) + f64x2.extract_lane(a5, 1);
      s6 = f64x2.extract_lane(a6, 0) + f64x2.extract_lane(a6, 1);
    } else {
      s0 = pairDot(c0, r, pairBytes);
      s1 = pairDot(c0 + colBytes, r, pairBytes);
      s2 = pairDot(c0 + 2 * colBytes, r, pairBytes);
      s3 = pairDot(c0 + 3 * colBytes, r, pairBytes);
      s4 = pairDot(c0 + 4 * colBytes, r, pairBytes);
      s5 = pairDot(c0 + 5 * colBytes, r, pairBytes);
      s6 = pairDot(c0 + 6 * colBytes, r, pairBytes);
    }
    if (m & 1) {
      const o = pairBytes;
      const ri = load<f64>(r + o);
      s0 += load<f64>(c0 + o) * ri;
      s1 += load<f64>(c0 + colBytes + o) * ri;
      s2 += load<f64>(c0 + 2 * colBytes + o) * ri;
      s3 += load<f64>(c0 + 3 * colBytes + o) * ri;
      s4 += load<f64>(c0 + 4 * colBytes + o) * ri;
      s5 += load<f64>(c0 + 5 * colBytes + o) * ri;
      s6 += load<f64>(c0 + 6 * colBytes + o) * ri;
    }
    const oj = <usize>j << 3;
    store<f64>(out + oj, s0);
    store<f64>(out + oj, s1, 8);
    store<f64>(out + oj, s2, 16);
    store<f64>(out + oj, s3, 24);
    store<f64>(out + oj, s4, 32);
    store<f64>(out + oj, s5, 40);
    store<f64>(out + oj, s6, 48);
  }
  for (; j < n; j++) {
    store<f64>(out + (<usize>j << 3), dot(A + <usize>j * colBytes, r, m));
  }
}

/**
 * out[j] of gemvT(A, m, n, r, out) for one column j, bit for bit: the
 * pair-sum order of a T_COLS block (even rows, odd rows, then the last row
 * when m is odd), or dot() for the columns past the last full block. The
 * screened OMP selection (screen.ts) recomputes its candidates with it, so
 * that it picks exactly the atom a full gemvT pass would.
 */
export function gemvTColumn(A: usize, m: i32, n: i32, j: i32, r: usize): f64 {
  const colBytes = <usize>m << 3;
  const p = A + <usize>j * colBytes;
  if (j >= n - n % T_COLS) return dot(p, r, m);
  const pairBytes = <usize>(m & ~1) << 3;
  let s = pairDot(p, r, pairBytes);
  if (m & 1) s += load<f64>(p + pairBytes) * load<f64>(r + pairBytes);
  return s;
}

/** out = A x, A m x n column-major (axpy form, N_COLS columns per pass over out). */
export function gemvN(A: usize, m: i32, n: i32, x: usize, out: usize): void {
  zero(out, m);
  gemvNAcc(A, m, n, x, out);
}

/** The four products of one row-pair of a 4-column block, summed as the scalar path does: (a0 x0 + a1 x1) + (a2 x2 + a3 x3). */
// @ts-ignore: decorator
@inline function quad(p0: usize, p1: usize, p2: usize, p3: usize, o: usize, v0: v128, v1: v128, v2: v128, v3: v128): v128 {
  return f64x2.add(
    f64x2.add(f64x2.mul(v128.load(p0 + o), v0), f64x2.mul(v128.load(p1 + o), v1)),
    f64x2.add(f64x2.mul(v128.load(p2 + o), v2), f64x2.mul(v128.load(p3 + o), v3)));
}

/** acc + the block's products: acc + quad(...), or in the relaxed build four fused steps, column by column. */
// @ts-ignore: decorator
@inline function addQuad(acc: v128, p0: usize, p1: usize, p2: usize, p3: usize, o: usize, v0: v128, v1: v128, v2: v128, v3: v128): v128 {
  if (RELAXED) {
    acc = madd2(v128.load(p0 + o), v0, acc);
    acc = madd2(v128.load(p1 + o), v1, acc);
    acc = madd2(v128.load(p2 + o), v2, acc);
    return madd2(v128.load(p3 + o), v3, acc);
  }
  return f64x2.add(acc, quad(p0, p1, p2, p3, o, v0, v1, v2, v3));
}

/** out[i] += ((p0 x0 + p1 x1) + (p2 x2 + p3 x3)) for the rows [b, m) (the scalar path, and the rows past the SIMD steps). */
// @ts-ignore: decorator
@inline function quadRows(c0: usize, colBytes: usize, b: usize, m: i32, x0: f64, x1: f64, x2: f64, x3: f64, out: usize): void {
  const end = <usize>m << 3;
  for (; b < end; b += 8) {
    const p = c0 + b;
    store<f64>(out + b, load<f64>(out + b) +
      ((load<f64>(p) * x0 + load<f64>(p + colBytes) * x1) +
       (load<f64>(p + 2 * colBytes) * x2 + load<f64>(p + 3 * colBytes) * x3)));
  }
}

/** out += the 4-column block at c0 (x0..x3): two f64x2 row-pairs per step, one read and write of out per block. */
function pass4(c0: usize, colBytes: usize, m: i32, x0: f64, x1: f64, x2: f64, x3: f64, out: usize): void {
  let b: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const v0 = f64x2.splat(x0), v1 = f64x2.splat(x1), v2 = f64x2.splat(x2), v3 = f64x2.splat(x3);
    let p0 = c0;
    let op = out;
    const oend = out + (<usize>(m & ~3) << 3);
    while (op < oend) {
      const p1 = p0 + colBytes;
      const p2 = p1 + colBytes;
      const p3 = p2 + colBytes;
      v128.store(op, addQuad(v128.load(op), p0, p1, p2, p3, 0, v0, v1, v2, v3));
      v128.store(op, addQuad(v128.load(op, 16), p0, p1, p2, p3, 16, v0, v1, v2, v3), 16);
      p0 += 32;
      op += 32;
    }
    b = <usize>(m & ~3) << 3;
  }
  quadRows(c0, colBytes, b, m, x0, x1, x2, x3, out);
}

/**
 * out += the two 4-column blocks at c0 (x0..x3, then x4..x7) in one pass:
 * out[i] + block 1 + block 2, kept in a register between the blocks, which is
 * what two pass4 calls compute, bit for bit (SIMD builds only).
 */
function pass8(c0: usize, colBytes: usize, m: i32, x: usize, out: usize): void {
  const v0 = f64x2.splat(load<f64>(x)), v1 = f64x2.splat(load<f64>(x, 8));
  const v2 = f64x2.splat(load<f64>(x, 16)), v3 = f64x2.splat(load<f64>(x, 24));
  const v4 = f64x2.splat(load<f64>(x, 32)), v5 = f64x2.splat(load<f64>(x, 40));
  const v6 = f64x2.splat(load<f64>(x, 48)), v7 = f64x2.splat(load<f64>(x, 56));
  let p0 = c0;
  let op = out;
  const oend = out + (<usize>(m & ~1) << 3);
  while (op < oend) {
    const p1 = p0 + colBytes;
    const p2 = p1 + colBytes;
    const p3 = p2 + colBytes;
    const p4 = p3 + colBytes;
    const p5 = p4 + colBytes;
    const p6 = p5 + colBytes;
    const p7 = p6 + colBytes;
    const acc = addQuad(v128.load(op), p0, p1, p2, p3, 0, v0, v1, v2, v3);
    v128.store(op, addQuad(acc, p4, p5, p6, p7, 0, v4, v5, v6, v7));
    p0 += 16;
    op += 16;
  }
  const b = <usize>(m & ~1) << 3;
  quadRows(c0, colBytes, b, m, load<f64>(x), load<f64>(x, 8), load<f64>(x, 16), load<f64>(x, 24), out);
  quadRows(c0 + 4 * colBytes, colBytes, b, m, load<f64>(x, 32), load<f64>(x, 40), load<f64>(x, 48), load<f64>(x, 56), out);
}

/**
 * out += A x. Order per row i and block of N_COLS columns:
 * out[i] + ((a0 x0 + a1 x1) + (a2 x2 + a3 x3)), block after block; blocks
 * whose four x are all zero are skipped (sparse x); columns past the last
 * full block by axpy. When A is larger than GEMVN_WIDE_BYTES, the SIMD builds
 * take two consecutive nonzero blocks in one pass (pass8), which keeps this
 * order exactly. The relaxed build fuses each product into the running sum
 * instead (column by column), and agrees to rounding.
 */
export function gemvNAcc(A: usize, m: i32, n: i32, x: usize, out: usize): void {
  const colBytes = <usize>m << 3;
  const wide = ASC_FEATURE_SIMD && (<u64>m * <u64>n << 3) > GEMVN_WIDE_BYTES;
  let j = 0;
  for (; j + N_COLS <= n; j += N_COLS) {
    const oj = <usize>j << 3;
    const x0 = load<f64>(x + oj);
    const x1 = load<f64>(x + oj, 8);
    const x2 = load<f64>(x + oj, 16);
    const x3 = load<f64>(x + oj, 24);
    const skip = x0 == 0.0 && x1 == 0.0 && x2 == 0.0 && x3 == 0.0;
    if (wide && !skip && j + 2 * N_COLS <= n) {
      if (load<f64>(x + oj, 32) != 0.0 || load<f64>(x + oj, 40) != 0.0 || load<f64>(x + oj, 48) != 0.0 || load<f64>(x + oj, 56) != 0.0) {
        pass8(A + <usize>j * colBytes, colBytes, m, x + oj, out);
        j += N_COLS;
        continue;
      }
    }
    if (!skip) pass4(A + <usize>j * colBytes, colBytes, m, x0, x1, x2, x3, out);
  }
  for (; j < n; j++) {
    const xj = load<f64>(x + (<usize>j << 3));
    if (xj != 0.0) axpy(xj, A + <usize>j * colBytes, out, m);
  }
}

/** norms[j] = ||a_j||_2 for every column of A (m x n). */
export function colNorms(A: usize, m: i32, n: i32, norms: usize): void {
  const colBytes = <usize>m << 3;
  for (let j = 0; j < n; j++) {
    store<f64>(norms + (<usize>j << 3), nrm2(A + <usize>j * colBytes, m));
  }
}

/**
 * Largest singular value of A by power iteration on A^T A, from the fixed
 * start vector v = (1, ..., 1) / sqrt(n) (deterministic). Stops when the
 * estimate changes by less than `rtol` relatively, or after maxIter steps.
 * Workspace: v (n) and u (m).
 */
export function spectralNorm(A: usize, m: i32, n: i32, maxIter: i32, rtol: f64, v: usize, u: usize): f64 {
  powerStart(v, n);
  let sigma = 0.0;
  for (let it = 0; it < maxIter; it++) {
    gemvN(A, m, n, v, u);
    gemvT(A, m, n, u, v);
    const nv = nrm2(v, n);
    if (nv == 0.0) return 0.0;
    const next = Math.sqrt(nv);
    scal(1.0 / nv, v, n);
    if (abs(next - sigma) <= rtol * next) { sigma = next; break; }
    sigma = next;
  }
  return sigma;
}

// The start of every power iteration (here, assembly/operator.ts, and
// matrix.ts powerIteration): v_j = 1/2 + frac(j * POWER_START_STEP), the
// golden-ratio sequence, spread over [1/2, 3/2) with no period, then
// normalized. An all-equal start is an exact singular vector of every
// circulant matrix (the iteration then returns |sum of the taps|, not ||A||)
// and exactly orthogonal to a partial DCT without frequency 0.
const POWER_START_STEP: f64 = 0.6180339887498949;

/** v (n) = the power iteration's start, unit norm. */
export function powerStart(v: usize, n: i32): void {
  for (let j = 0; j < n; j++) {
    const t = <f64>j * POWER_START_STEP;
    store<f64>(v + (<usize>j << 3), 0.5 + (t - Math.floor(t)));
  }
  scal(1.0 / nrm2(v, n), v, n);
}

/** True when every x[i] is finite (no NaN, no +-Infinity). */
export function finiteAll(x: usize, n: i32): bool {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // v - v is 0 for finite v and NaN otherwise, and a NaN stays in the sum:
    // blocks of FINITE_BLOCK values are summed without branches, then tested
    for (; i + FINITE_BLOCK <= n; i += FINITE_BLOCK) {
      let acc = f64x2.splat(0);
      const p = x + (<usize>i << 3);
      for (let b: usize = 0; b < <usize>FINITE_BLOCK << 3; b += 16) {
        const v = v128.load(p + b);
        acc = f64x2.add(acc, f64x2.sub(v, v));
      }
      if (f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1) != 0.0) return false;
    }
  }
  for (; i < n; i++) {
    const v = load<f64>(x + (<usize>i << 3));
    // v - v is 0 for finite v and NaN for NaN and +-Infinity
    if (v - v != 0.0) return false;
  }
  return true;
}

/** nrm2's one-pass range for the sum of squares d: d < 1e300 bounds every
 *  |x_i| below 1e150, and d >= 1e-200 puts max |x_i| above 1e-100 / sqrt(n) >
 *  1e-150 for any n < 1e100; inside, the two-pass path's test (max |x_i| in
 *  (1e-150, 1e150)) holds too. */
const NRM2_DOT_LO: f64 = 1e-200;
const NRM2_DOT_HI: f64 = 1e300;

/** Values finiteAll tests per branch in the SIMD build: 256 (2 KiB, an L1-resident block)
 *  makes the branch negligible and still stops soon after a non-finite value. */
// @ts-ignore: decorator
@inline const FINITE_BLOCK: i32 = 256;

/** r = y - A x (A m x n column-major, x dense n); returns ||r||. */
export function residualDense(A: usize, m: i32, n: i32, y: usize, x: usize, r: usize): f64 {
  gemvN(A, m, n, x, r);
  for (let i = 0; i < m; i++) {
    const o = <usize>i << 3;
    store<f64>(r + o, load<f64>(y + o) - load<f64>(r + o));
  }
  return nrm2(r, m);
}

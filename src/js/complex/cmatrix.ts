// Complex dense matrices and vectors for the pure-TS complex solvers.
//
// Layout (the one of numpy's complex128 and of BLAS's zgemv): a complex array
// is a Float64Array of interleaved (re, im) pairs, so element t sits at
// [2t] (real part) and [2t + 1] (imaginary part). A matrix is column-major,
// leading dimension m: entry (i, j) at 2 * (i + j * m).
import { checkInt, describe } from '../../core/errors.js';

/** An m x n complex matrix, column-major, interleaved re/im (entry (i, j) at data[2(i + j m)], data[2(i + j m) + 1]). */
export class ComplexMatrix {
  readonly m: number;
  readonly n: number;
  /** 2 m n doubles. */
  readonly data: Float64Array;
  private _norms: Float64Array | null = null;

  /**
   * @param m rows (integer >= 1)
   * @param n columns (integer >= 1)
   * @param data 2 m n finite doubles, interleaved re/im, column-major; zeros when omitted
   */
  constructor(m: number, n: number, data?: Float64Array | ArrayLike<number>) {
    const fn = 'ComplexMatrix';
    checkInt(fn, 'm', m, 1, 2 ** 26);
    checkInt(fn, 'n', n, 1, 2 ** 26);
    if (2 * m * n > 2 ** 31 - 1) throw new RangeError(`${fn}: m*n must be at most ${2 ** 30 - 1} (2 m n doubles in one Float64Array), received ${m} x ${n}`);
    this.m = m;
    this.n = n;
    if (data === undefined) this.data = new Float64Array(2 * m * n);
    else {
      this.data = checkComplexVector(fn, 'data', data, m * n);
      if (this.data === data) this.data = Float64Array.from(this.data);
    }
  }

  /** A complex matrix from a real one (imaginary parts zero), e.g. a Matrix's column-major data. */
  static fromReal(m: number, n: number, re: ArrayLike<number>, im?: ArrayLike<number>): ComplexMatrix {
    const d = new Float64Array(2 * m * n);
    if (re.length !== m * n) throw new RangeError(`ComplexMatrix.fromReal: re must have length m*n = ${m * n}, received length ${re.length}`);
    if (im && im.length !== m * n) throw new RangeError(`ComplexMatrix.fromReal: im must have length m*n = ${m * n}, received length ${im.length}`);
    for (let t = 0; t < m * n; t++) {
      d[2 * t] = re[t];
      if (im) d[2 * t + 1] = im[t];
    }
    return new ComplexMatrix(m, n, d);
  }

  /** Column j as 2m interleaved doubles (a copy). */
  column(j: number): Float64Array {
    const o = 2 * j * this.m;
    return this.data.slice(o, o + 2 * this.m);
  }

  /** ||a_j||_2 for every column (length n), computed once, scaled against overflow as Matrix.colNorms is. */
  colNorms(): Float64Array {
    if (!this._norms) {
      const norms = new Float64Array(this.n);
      for (let j = 0; j < this.n; j++) norms[j] = cnorm2(this.data, j * this.m, this.m);
      this._norms = norms;
    }
    return this._norms;
  }
}

/**
 * A finite complex vector of `len` complex numbers: 2 len doubles,
 * interleaved re/im. Messages name `fn` and `name`, and the element and part
 * at fault.
 */
export function checkComplexVector(fn: string, name: string, v: unknown, len: number): Float64Array {
  if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) {
    throw new TypeError(`${fn}: ${name} must be a Float64Array or number[] of ${2 * len} numbers (${len} complex values, interleaved re, im), received ${describe(v)}`);
  }
  const a = v as ArrayLike<unknown>;
  if (a.length !== 2 * len) {
    throw new RangeError(`${fn}: ${name} must have length ${2 * len} (${len} complex values, interleaved re, im), received length ${a.length}`);
  }
  const out = v instanceof Float64Array ? v : new Float64Array(a.length);
  for (let t = 0; t < a.length; t++) {
    const e = a[t];
    const where = `${name}[${t}] (the ${t % 2 === 0 ? 'real' : 'imaginary'} part of element ${t >> 1})`;
    if (typeof e !== 'number') throw new TypeError(`${fn}: ${where} must be a number, received ${describe(e)}`);
    if (!Number.isFinite(e)) throw new RangeError(`${fn}: ${where} must be finite, received ${e}`);
    if (out !== v) out[t] = e;
  }
  return out;
}

/** ||x||_2 of the complex x[o .. o+len) (element offsets), without overflow or underflow; same algorithm as the real norm2 on the 2 len parts. */
export function cnorm2(x: Float64Array, o = 0, len = (x.length >> 1) - o): number {
  const a = 2 * o;
  const b = 2 * (o + len);
  let amax = 0;
  for (let t = a; t < b; t++) amax = Math.max(amax, Math.abs(x[t]));
  if (amax === 0 || !(amax < Infinity)) return amax;
  let s = 0;
  for (let t = a; t < b; t++) {
    const v = x[t] / amax;
    s += v * v;
  }
  return amax * Math.sqrt(s);
}

/** out = A^H r (A m x n complex; r length m, out length n, both interleaved). */
export function cmatHVec(A: Float64Array, m: number, n: number, r: Float64Array, out: Float64Array): void {
  for (let j = 0; j < n; j++) {
    const o = 2 * j * m;
    let sr = 0;
    let si = 0;
    for (let i = 0; i < m; i++) {
      const ar = A[o + 2 * i];
      const ai = A[o + 2 * i + 1];
      const rr = r[2 * i];
      const ri = r[2 * i + 1];
      // conj(a) r = (ar rr + ai ri) + i (ar ri - ai rr)
      sr += ar * rr + ai * ri;
      si += ar * ri - ai * rr;
    }
    out[2 * j] = sr;
    out[2 * j + 1] = si;
  }
}

/**
 * out = A x (A m x n complex; x length n, out length m, both interleaved).
 * Four columns per pass, summed in the order of the real matVec
 * (src/js/linalg.ts), so that on real data the result is the real one bit
 * for bit; all-zero blocks of x are skipped.
 */
export function cmatVec(A: Float64Array, m: number, n: number, x: Float64Array, out: Float64Array): void {
  out.fill(0, 0, 2 * m);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const x0r = x[2 * j], x0i = x[2 * j + 1], x1r = x[2 * j + 2], x1i = x[2 * j + 3];
    const x2r = x[2 * j + 4], x2i = x[2 * j + 5], x3r = x[2 * j + 6], x3i = x[2 * j + 7];
    if (x0r === 0 && x0i === 0 && x1r === 0 && x1i === 0 && x2r === 0 && x2i === 0 && x3r === 0 && x3i === 0) continue;
    const o0 = 2 * j * m;
    const o1 = o0 + 2 * m;
    const o2 = o1 + 2 * m;
    const o3 = o2 + 2 * m;
    for (let i = 0; i < 2 * m; i += 2) {
      out[i] += (A[o0 + i] * x0r - A[o0 + i + 1] * x0i) + (A[o1 + i] * x1r - A[o1 + i + 1] * x1i) +
        (A[o2 + i] * x2r - A[o2 + i + 1] * x2i) + (A[o3 + i] * x3r - A[o3 + i + 1] * x3i);
      out[i + 1] += (A[o0 + i] * x0i + A[o0 + i + 1] * x0r) + (A[o1 + i] * x1i + A[o1 + i + 1] * x1r) +
        (A[o2 + i] * x2i + A[o2 + i + 1] * x2r) + (A[o3 + i] * x3i + A[o3 + i + 1] * x3r);
    }
  }
  for (; j < n; j++) {
    const xr = x[2 * j];
    const xi = x[2 * j + 1];
    if (xr === 0 && xi === 0) continue;
    const o = 2 * j * m;
    for (let i = 0; i < 2 * m; i += 2) {
      out[i] += A[o + i] * xr - A[o + i + 1] * xi;
      out[i + 1] += A[o + i] * xi + A[o + i + 1] * xr;
    }
  }
}

/** |z| of element t of an interleaved array (hypot: no overflow; |re| exactly when im = 0). */
export function cabs(x: Float64Array, t: number): number {
  const im = x[2 * t + 1];
  return im === 0 ? Math.abs(x[2 * t]) : Math.hypot(x[2 * t], im);
}

/** (a + ib) / (c + id) by Smith's algorithm (no overflow of c^2 + d^2; exact a / c when b = d = 0), into out[0], out[1]. */
export function cdiv(a: number, b: number, c: number, d: number, out: Float64Array | number[]): void {
  if (Math.abs(d) <= Math.abs(c)) {
    const r = d / c;
    const den = c + d * r;
    out[0] = (a + b * r) / den;
    out[1] = (b - a * r) / den;
  } else {
    const r = c / d;
    const den = c * r + d;
    out[0] = (a * r + b) / den;
    out[1] = (b * r - a) / den;
  }
}

// The pure-TS twins of src/core/transforms.ts, on a transform of their own:
// fft.js (radix-4, power-of-two lengths, f64) for lengths 2^k and Bluestein
// on top of it for every other length; the DCTs through a full complex FFT of
// length n (no half-length real trick), convolution through a zero-padded
// power-of-two FFT (circular: the length-n FFT). Slower than the WASM
// kernels; they serve the JS backend and as an independent reference.
import FFT from 'fft.js';
import { Matrix } from '../core/matrix.js';
import {
  checkColumn, checkFilter, checkLength, checkRows, checkVector, convolutionOptions, convolutionRows,
  denseFromColumns, partialDctScale,
  type ConvolutionMode, type ConvolutionOptions, type LinearTransform, type PartialDctOptions,
} from '../core/transforms.js';

const isPow2 = (n: number): boolean => n >= 2 && (n & (n - 1)) === 0;

/** The complex FFT of length n in JS (interleaved re, im), numpy's sign convention. */
export class JsFft {
  readonly n: number;
  private readonly core: FFT | null = null;
  // Bluestein: chirp w_k = exp(-i pi k^2 / n), the transform of conj(w) (length M), buffers
  private readonly chirp: Float64Array | null = null;
  private readonly bhat: Float64Array | null = null;
  private readonly a: Float64Array | null = null;
  private readonly b: Float64Array | null = null;

  constructor(n: number) {
    checkLength('JsFft', n);
    this.n = n;
    if (n === 1) return;
    if (isPow2(n)) {
      this.core = new FFT(n);
      return;
    }
    let M = 2;
    while (M < 2 * n - 1) M *= 2;
    this.core = new FFT(M);
    const chirp = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      const q = (k * k) % (2 * n); // exact: k^2 < 2^53 for n <= 2^26
      chirp[2 * k] = Math.cos((Math.PI * q) / n);
      chirp[2 * k + 1] = -Math.sin((Math.PI * q) / n);
    }
    const bvec = new Float64Array(2 * M);
    for (let k = 0; k < n; k++) {
      bvec[2 * k] = chirp[2 * k];
      bvec[2 * k + 1] = -chirp[2 * k + 1];
      if (k > 0) {
        bvec[2 * (M - k)] = chirp[2 * k];
        bvec[2 * (M - k) + 1] = -chirp[2 * k + 1];
      }
    }
    this.bhat = new Float64Array(2 * M);
    this.core.transform(this.bhat, bvec);
    this.chirp = chirp;
    this.a = new Float64Array(2 * M);
    this.b = new Float64Array(2 * M);
  }

  /** X_k = sum_j x_j exp(-2 pi i jk/n) (x: 2n numbers, interleaved). */
  forward(x: ArrayLike<number>): Float64Array {
    checkVector('JsFft.forward', 'x', x, 2 * this.n, `interleaved re, im of ${this.n} complex values`);
    return this.run(x, 1);
  }

  /** The inverse, scaled by 1/n. */
  inverse(X: ArrayLike<number>): Float64Array {
    checkVector('JsFft.inverse', 'X', X, 2 * this.n, `interleaved re, im of ${this.n} complex values`);
    const out = this.run(X, -1);
    for (let i = 0; i < out.length; i++) out[i] /= this.n;
    return out;
  }

  /** Unscaled transform with exp(-sign 2 pi i jk / n). */
  run(x: ArrayLike<number>, sign: 1 | -1): Float64Array {
    const n = this.n;
    const out = new Float64Array(2 * n);
    if (n === 1) {
      out[0] = x[0];
      out[1] = x[1];
      return out;
    }
    const core = this.core as FFT;
    // the inverse is conj(forward(conj(x)))
    if (!this.chirp) {
      const inp = Float64Array.from(x as ArrayLike<number>);
      if (sign < 0) for (let i = 1; i < 2 * n; i += 2) inp[i] = -inp[i];
      core.transform(out, inp);
      if (sign < 0) for (let i = 1; i < 2 * n; i += 2) out[i] = -out[i];
      return out;
    }
    const w = this.chirp, a = this.a as Float64Array, b = this.b as Float64Array, bh = this.bhat as Float64Array;
    a.fill(0);
    for (let k = 0; k < n; k++) {
      const xr = x[2 * k], xi = sign * x[2 * k + 1];
      a[2 * k] = xr * w[2 * k] - xi * w[2 * k + 1];
      a[2 * k + 1] = xr * w[2 * k + 1] + xi * w[2 * k];
    }
    core.transform(b, a);
    for (let k = 0; k < b.length; k += 2) {
      const re = b[k] * bh[k] - b[k + 1] * bh[k + 1];
      b[k + 1] = b[k] * bh[k + 1] + b[k + 1] * bh[k];
      b[k] = re;
    }
    core.inverseTransform(a, b);
    for (let k = 0; k < n; k++) {
      const ar = a[2 * k], ai = a[2 * k + 1];
      out[2 * k] = ar * w[2 * k] - ai * w[2 * k + 1];
      out[2 * k + 1] = sign * (ar * w[2 * k + 1] + ai * w[2 * k]);
    }
    return out;
  }
}

/** The orthonormal DCT-II of length n and its transpose, in JS (Makhoul's reordering, full complex FFT). */
export class JsDct {
  readonly n: number;
  private readonly f: JsFft;

  constructor(n: number) {
    checkLength('JsDct', n);
    this.n = n;
    this.f = new JsFft(n);
  }

  private c(k: number): number {
    return Math.sqrt((k === 0 ? 1 : 2) / this.n);
  }

  /** X = C x. */
  dct2(x: ArrayLike<number>): Float64Array {
    const n = this.n;
    const v = new Float64Array(2 * n);
    for (let j = 0; 2 * j < n; j++) v[2 * j] = x[2 * j];
    for (let j = 0; 2 * j + 1 < n; j++) v[2 * (n - 1 - j)] = x[2 * j + 1];
    const V = this.f.run(v, 1);
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const a = (Math.PI * k) / (2 * n);
      out[k] = this.c(k) * (Math.cos(a) * V[2 * k] + Math.sin(a) * V[2 * k + 1]);
    }
    return out;
  }

  /** x = C^T X (= C^-1 X). */
  dct3(X: ArrayLike<number>): Float64Array {
    const n = this.n;
    const V = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      const yk = (this.c(k) / (k === 0 ? 1 : 2)) * X[k];
      const ynk = k === 0 ? 0 : (this.c(n - k) / 2) * X[n - k];
      const a = (Math.PI * k) / (2 * n);
      const wr = Math.cos(a), wi = Math.sin(a);
      V[2 * k] = wr * yk + wi * ynk;
      V[2 * k + 1] = wi * yk - wr * ynk;
    }
    const v = this.f.run(V, -1);
    const out = new Float64Array(n);
    for (let j = 0; 2 * j < n; j++) out[2 * j] = v[2 * j];
    for (let j = 0; 2 * j + 1 < n; j++) out[2 * j + 1] = v[2 * (n - 1 - j)];
    return out;
  }
}

/** The partial DCT in JS (see PartialDct). */
export class JsPartialDct implements LinearTransform {
  readonly n: number;
  readonly m: number;
  readonly rows: Int32Array;
  readonly scale: number;
  private readonly t: JsDct;

  constructor(n: number, rows: ArrayLike<number>, options?: PartialDctOptions) {
    const fn = 'JsPartialDct';
    checkLength(fn, n);
    this.rows = checkRows(fn, n, rows);
    this.n = n;
    this.m = this.rows.length;
    this.scale = partialDctScale(fn, n, this.m, options);
    this.t = new JsDct(n);
  }

  apply(x: ArrayLike<number>): Float64Array {
    checkVector('JsPartialDct.apply', 'x', x, this.n, 'the columns of A');
    const X = this.t.dct2(x);
    return Float64Array.from(this.rows, (k) => this.scale * X[k]);
  }

  adjoint(r: ArrayLike<number>): Float64Array {
    checkVector('JsPartialDct.adjoint', 'r', r, this.m, 'the rows of A');
    const t = new Float64Array(this.n);
    this.rows.forEach((k, i) => { t[k] = this.scale * r[i]; });
    return this.t.dct3(t);
  }

  column(j: number): Float64Array {
    checkColumn('JsPartialDct.column', j, this.n);
    const n = this.n;
    return Float64Array.from(this.rows, (k) =>
      this.scale * Math.sqrt((k === 0 ? 1 : 2) / n) * Math.cos((Math.PI * ((k * (2 * j + 1)) % (4 * n))) / (2 * n)));
  }

  /** By cos^2 = (1 + cos 2a) / 2: the sum of cosines is one DCT-III (O(n log n)). */
  colNorms(): Float64Array {
    const n = this.n;
    const u = new Float64Array(n);
    let total = 0;
    for (const k of this.rows) {
      const w = (this.scale * this.scale * (k === 0 ? 1 : 2)) / n / 2;
      total += w;
      if (2 * k < n) u[2 * k] += w;
      else if (2 * n - 2 * k < n) u[2 * n - 2 * k] -= w;
    }
    for (let q = 0; q < n; q++) u[q] /= Math.sqrt((q === 0 ? 1 : 2) / n);
    return this.t.dct3(u).map((v) => Math.sqrt(Math.max(0, total + v)));
  }

  dense(): Matrix {
    return denseFromColumns(this);
  }
}

/** Convolution in JS (see Convolution): always through a zero-padded power-of-two FFT (circular: length n). */
export class JsConvolution implements LinearTransform {
  readonly n: number;
  readonly m: number;
  readonly mode: ConvolutionMode;
  readonly h: Float64Array;
  private readonly off: number;
  private readonly taps: Float64Array;
  private readonly f: JsFft;
  private readonly H: Float64Array;

  constructor(h: ArrayLike<number>, n: number, options?: ConvolutionOptions) {
    const fn = 'JsConvolution';
    this.h = checkFilter(fn, h);
    checkLength(fn, n);
    this.mode = convolutionOptions(fn, options).mode;
    const L = this.h.length;
    this.n = n;
    this.m = convolutionRows(n, L, this.mode);
    this.off = this.mode === 'same' ? Math.floor((L - 1) / 2) : 0;
    let N = n;
    if (this.mode === 'circular') {
      this.taps = new Float64Array(Math.min(L, n));
      for (let t = 0; t < L; t++) this.taps[t % n] += this.h[t];
    } else {
      this.taps = this.h;
      N = 2;
      while (N < n + L - 1) N *= 2;
    }
    this.f = new JsFft(N);
    const hp = new Float64Array(2 * N);
    this.taps.forEach((v, t) => { hp[2 * t] = v; });
    this.H = this.f.run(hp, 1);
  }

  private filter(src: ArrayLike<number>, at: number, conj: boolean, from: number, count: number): Float64Array {
    const N = this.f.n;
    const z = new Float64Array(2 * N);
    for (let i = 0; i < src.length; i++) z[2 * (at + i)] = src[i];
    const Z = this.f.run(z, 1);
    const H = this.H, s = conj ? -1 : 1;
    for (let k = 0; k < 2 * N; k += 2) {
      const re = Z[k] * H[k] - Z[k + 1] * s * H[k + 1];
      Z[k + 1] = Z[k] * s * H[k + 1] + Z[k + 1] * H[k];
      Z[k] = re;
    }
    const y = this.f.run(Z, -1);
    return Float64Array.from({ length: count }, (_, i) => y[2 * (from + i)] / N);
  }

  apply(x: ArrayLike<number>): Float64Array {
    checkVector('JsConvolution.apply', 'x', x, this.n, 'the signal length n');
    return this.filter(x, 0, false, this.off, this.m);
  }

  adjoint(r: ArrayLike<number>): Float64Array {
    checkVector('JsConvolution.adjoint', 'r', r, this.m, 'the rows of A');
    return this.filter(r, this.off, true, 0, this.n);
  }

  column(j: number): Float64Array {
    checkColumn('JsConvolution.column', j, this.n);
    const out = new Float64Array(this.m);
    this.taps.forEach((v, t) => {
      const i = this.mode === 'circular' ? (j + t) % this.n : j + t - this.off;
      if (i >= 0 && i < this.m) out[i] = v;
    });
    return out;
  }

  colNorms(): Float64Array {
    const out = new Float64Array(this.n);
    for (let j = 0; j < this.n; j++) {
      let s = 0;
      this.taps.forEach((v, t) => {
        const i = this.mode === 'circular' ? 0 : j + t - this.off;
        if (i >= 0 && i < this.m) s += v * v;
      });
      out[j] = Math.sqrt(s);
    }
    return out;
  }

  dense(): Matrix {
    return denseFromColumns(this);
  }
}

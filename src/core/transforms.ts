// Fast structured operators in WASM: the FFT of any length, the partial DCT
// and convolution. Each object owns its WASM blocks (plan, work, in/out
// vectors), made once at construction; apply / adjoint then allocate nothing
// in WASM. The pure-TS twins are in src/js/transforms.ts.
import { Matrix } from './matrix.js';
import { alloc, wasm, checkMemory, f64View, free, i32View } from './wasm.js';
import { checkEnum, checkInt, describe } from './errors.js';

/** Largest transform length the kernels take (plans are addressed in 32 bits; 2^26 points = 1 GiB of complex work). */
export const MAX_TRANSFORM_LENGTH = 2 ** 26;

/** Convolution modes: 'full' (m = n + L - 1), 'same' (m = n, centred as numpy.convolve), 'circular' (m = n, periodic). */
export type ConvolutionMode = 'full' | 'same' | 'circular';
/** How a convolution is computed: 'auto' (direct for short filters, FFT otherwise), or forced. */
export type ConvolutionMethod = 'auto' | 'fft' | 'direct';
export const CONVOLUTION_MODES: readonly ConvolutionMode[] = ['full', 'same', 'circular'];
export const CONVOLUTION_METHODS: readonly ConvolutionMethod[] = ['auto', 'fft', 'direct'];

/** A linear operator R^n -> R^m given by its action (what PartialDct and Convolution offer, on both backends). */
export interface LinearTransform {
  readonly m: number;
  readonly n: number;
  /** A x (x of length n). */
  apply(x: ArrayLike<number>): Float64Array;
  /** A^T r (r of length m). */
  adjoint(r: ArrayLike<number>): Float64Array;
  /** Column j of A (length m). */
  column(j: number): Float64Array;
  /** The n column norms ||a_j||. */
  colNorms(): Float64Array;
  /** A as a dense m x n Matrix, assembled from its columns. */
  dense(): Matrix;
}

// ------------------------------------------------------------- argument checks

/** The transform length n: an integer in [1, MAX_TRANSFORM_LENGTH]. */
export function checkLength(fn: string, n: unknown): number {
  return checkInt(fn, 'n', n, 1, MAX_TRANSFORM_LENGTH);
}

/** rows: m >= 1 distinct integers in [0, n), as an Int32Array. */
export function checkRows(fn: string, n: number, rows: unknown): Int32Array {
  if (!Array.isArray(rows) && !(ArrayBuffer.isView(rows) && !(rows instanceof DataView))) {
    throw new TypeError(`${fn}: rows must be an array of distinct integers in [0, ${n - 1}], received ${describe(rows)}`);
  }
  const a = rows as ArrayLike<unknown>;
  if (a.length === 0) throw new RangeError(`${fn}: rows must not be empty, received length 0`);
  if (a.length > n) throw new RangeError(`${fn}: rows must have at most n = ${n} entries (distinct rows of the ${n}-point DCT), received length ${a.length}`);
  const out = new Int32Array(a.length);
  const seen = new Uint8Array(n);
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= n) {
      const E = typeof k === 'number' ? RangeError : TypeError;
      throw new E(`${fn}: rows[${i}] must be an integer in [0, ${n - 1}], received ${describe(k)}`);
    }
    if (seen[k]) throw new RangeError(`${fn}: rows must be distinct, received ${k} twice`);
    seen[k] = 1;
    out[i] = k;
  }
  return out;
}

/** A finite, non-empty vector (h). */
export function checkFilter(fn: string, h: unknown): Float64Array {
  if (!Array.isArray(h) && !(ArrayBuffer.isView(h) && !(h instanceof DataView))) {
    throw new TypeError(`${fn}: h must be a Float64Array or number[] of filter taps, received ${describe(h)}`);
  }
  const a = h as ArrayLike<unknown>;
  if (a.length === 0) throw new RangeError(`${fn}: h must not be empty (at least one tap), received length 0`);
  if (a.length > MAX_TRANSFORM_LENGTH) throw new RangeError(`${fn}: h must have at most ${MAX_TRANSFORM_LENGTH} taps, received length ${a.length}`);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number') throw new TypeError(`${fn}: h[${i}] must be a number, received ${describe(v)}`);
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: h[${i}] must be finite, received ${v}`);
    out[i] = v;
  }
  return out;
}

/** A finite vector of exactly `len` numbers, named `name` in messages. */
export function checkVector(fn: string, name: string, v: unknown, len: number, what: string): ArrayLike<number> {
  if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) {
    throw new TypeError(`${fn}: ${name} must be a Float64Array or number[] of length ${len} (${what}), received ${describe(v)}`);
  }
  const a = v as ArrayLike<unknown>;
  if (a.length !== len) throw new RangeError(`${fn}: ${name} must have length ${len} (${what}), received length ${a.length}`);
  for (let i = 0; i < len; i++) {
    const e = a[i];
    if (typeof e !== 'number') throw new TypeError(`${fn}: ${name}[${i}] must be a number, received ${describe(e)}`);
    if (!Number.isFinite(e)) throw new RangeError(`${fn}: ${name}[${i}] must be finite, received ${e}`);
  }
  return a as ArrayLike<number>;
}

/** The column index j of an m x n operator. */
export function checkColumn(fn: string, j: unknown, n: number): number {
  return checkInt(fn, 'j', j, 0, n - 1);
}

export interface PartialDctOptions {
  /**
   * Multiply by sqrt(n / m), so that the operator equals `dctMatrix(n, rows)`
   * (columns of unit norm on average). Default true; false gives the plain
   * rows of the orthonormal DCT-II.
   */
  scale?: boolean;
}

export interface ConvolutionOptions {
  /** 'full' (default; m = n + L - 1), 'same' (m = n, rows floor((L-1)/2) .. of the full result) or 'circular' (m = n). */
  mode?: ConvolutionMode;
  /** 'auto' (default: direct sums for filters of at most CONV_DIRECT_MAX_TAPS taps, FFT above), 'fft' or 'direct'. */
  method?: ConvolutionMethod;
}

/** The checked options of a partial DCT: the scale factor. */
export function partialDctScale(fn: string, n: number, m: number, options: unknown): number {
  if (options === undefined) return Math.sqrt(n / m);
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object such as { scale }, received ${describe(options)}`);
  const s = (options as PartialDctOptions).scale;
  if (s !== undefined && typeof s !== 'boolean') throw new TypeError(`${fn}: options.scale must be a boolean, received ${describe(s)}`);
  return s === false ? 1 : Math.sqrt(n / m);
}

/** The checked options of a convolution. */
export function convolutionOptions(fn: string, options: unknown): { mode: ConvolutionMode; method: ConvolutionMethod } {
  if (options === undefined) return { mode: 'full', method: 'auto' };
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object such as { mode }, received ${describe(options)}`);
  const o = options as ConvolutionOptions;
  return {
    mode: o.mode === undefined ? 'full' : checkEnum(fn, 'options.mode', o.mode, CONVOLUTION_MODES),
    method: o.method === undefined ? 'auto' : checkEnum(fn, 'options.method', o.method, CONVOLUTION_METHODS),
  };
}

/** Rows of a convolution of n samples with L taps. */
export function convolutionRows(n: number, L: number, mode: ConvolutionMode): number {
  return mode === 'full' ? n + L - 1 : n;
}

/** A dense Matrix from the columns of op. */
export function denseFromColumns(op: Pick<LinearTransform, 'm' | 'n' | 'column'>): Matrix {
  const { m, n } = op;
  const data = new Float64Array(m * n);
  for (let j = 0; j < n; j++) data.set(op.column(j), j * m);
  return new Matrix(m, n, data);
}

// ------------------------------------------------------------- WASM ownership

const registry = typeof FinalizationRegistry !== 'undefined'
  ? new FinalizationRegistry<number[]>((ptrs) => { for (const p of ptrs) { try { free(p); } catch { /* module gone */ } } })
  : null;

const align16 = (b: number): number => Math.ceil(b / 16) * 16;

/** Owns a set of WASM blocks, allocated together (all or none) and freed by dispose() or the finalizer. */
/** Where the transforms (PartialDct, Convolution) keep x (n numbers) and y (m numbers) among their blocks. */
const X_BLOCK = 3;
const Y_BLOCK = 4;

abstract class WasmOwner {
  protected readonly blocks: number[] = [];
  private readonly sizes: number[] = [];
  private readonly token = {};
  private readonly fnName: string;

  protected constructor(fn: string, what: string, parts: Record<string, number>, received: string) {
    this.fnName = fn;
    checkMemory(fn, what, parts, received);
    try {
      for (const b of Object.values(parts)) {
        this.blocks.push(alloc(Math.max(16, b)));
        this.sizes.push(Math.max(16, b));
      }
    } catch (e) {
      for (const p of this.blocks) free(p);
      throw e;
    }
    registry?.register(this, this.blocks, this.token);
  }

  /** True after dispose(). */
  get disposed(): boolean {
    return this.blocks.length === 0;
  }

  protected live(): void {
    if (this.blocks.length === 0) throw new TypeError(`${this.fnName}: this object is disposed: expected a live one (create a new one), received one whose dispose() was called`);
  }

  /**
   * One transform call: checks `v` (`len` numbers, argument `arg` of method
   * `fn`), writes it into block `into`, runs `kernel`, and returns a copy of
   * the `outLen` numbers it left in block `from`.
   */
  protected transform(fn: string, arg: string, v: unknown, len: number, what: string, into: number, from: number, outLen: number, kernel: () => void): Float64Array {
    this.live();
    const data = checkVector(fn, arg, v, len, what);
    f64View(this.blocks[into], len).set(data);
    kernel();
    return f64View(this.blocks[from], outLen).slice();
  }

  /** @internal The addresses of the blocks, in the order the constructor listed them (the kernels' plan, work, ...). */
  kernelBlocks(): number[] {
    this.live();
    return this.blocks.slice();
  }

  /** Bytes of WASM memory this object holds. */
  get bytes(): number {
    return this.sizes.reduce((a, b) => a + b, 0);
  }

  /** Frees the WASM memory. Idempotent. */
  dispose(): void {
    if (this.blocks.length === 0) return;
    registry?.unregister(this.token);
    for (const p of this.blocks) free(p);
    this.blocks.length = 0;
    this.sizes.length = 0;
  }
}

/**
 * The complex FFT of length n (any n >= 1) in WASM: radix-4/2/3/5 passes for
 * lengths whose prime factors are 2, 3, 5, Bluestein's algorithm otherwise.
 * Data are interleaved complex (re0, im0, re1, im1, ...: the layout of numpy's
 * complex128). Sign convention as numpy: forward X_k = sum_j x_j exp(-2 pi i jk/n),
 * inverse with exp(+...) and 1/n.
 */
export class Fft extends WasmOwner {
  readonly n: number;

  /** Plans the FFT of length n (twiddles computed here, once). Requires `await init()`. */
  constructor(n: number) {
    const fn = 'Fft';
    checkLength(fn, n);
    const planBytes = wasm().fftPlanBytes(n) >>> 0;
    const workBytes = wasm().fftWorkBytes(n) >>> 0;
    super(fn, `the FFT of length ${n}`, { plan: planBytes, work: workBytes, data: 16 * n }, `n = ${n}`);
    this.n = n;
    wasm().fftPlanInit(n, this.blocks[0], this.blocks[1]);
  }

  private run(fn: string, x: unknown, out: Float64Array | undefined, sign: number): Float64Array {
    this.live();
    const n = this.n;
    const v = checkVector(fn, 'x', x, 2 * n, `interleaved re, im of ${n} complex values`);
    const [plan, work, data] = this.blocks;
    f64View(data, 2 * n).set(v);
    wasm().fft(plan, data, work, sign);
    const res = out ?? new Float64Array(2 * n);
    res.set(f64View(data, 2 * n));
    if (sign < 0) for (let i = 0; i < 2 * n; i++) res[i] /= n;
    return res;
  }

  /** The DFT of x (2n numbers, interleaved complex), into `out` when given. */
  forward(x: ArrayLike<number>, out?: Float64Array): Float64Array {
    return this.run('Fft.forward', x, out, 1);
  }

  /** The inverse DFT of X (2n numbers), scaled by 1/n so that inverse(forward(x)) = x. */
  inverse(X: ArrayLike<number>, out?: Float64Array): Float64Array {
    return this.run('Fft.inverse', X, out, -1);
  }
}

/**
 * The partial DCT: rows `rows` of the orthonormal n-point DCT-II, scaled by
 * sqrt(n / m) unless `scale: false` (it then equals `dctMatrix(n, rows)`
 * column for column). A x and A^T r cost one DCT of length n each
 * (O(n log n), through a real FFT of length n/2), and the operator takes
 * O(n) bytes instead of the 8 m n of the dense matrix.
 */
export class PartialDct extends WasmOwner implements LinearTransform {
  readonly n: number;
  readonly m: number;
  /** The selected rows (a copy). */
  readonly rows: Int32Array;
  /** The factor applied to every entry: sqrt(n / m), or 1 with `scale: false`. */
  readonly scale: number;

  /**
   * @param n signal length, integer in [1, 2^26]
   * @param rows m distinct integers in [0, n)
   * @param options `scale` (default true)
   */
  constructor(n: number, rows: ArrayLike<number>, options?: PartialDctOptions) {
    const fn = 'PartialDct';
    checkLength(fn, n);
    const r = checkRows(fn, n, rows);
    const scale = partialDctScale(fn, n, r.length, options);
    const m = r.length;
    super(fn, `the partial DCT (n = ${n}, m = ${m})`, {
      plan: wasm().dctPlanBytes(n) >>> 0,
      work: wasm().pdctWorkBytes(n) >>> 0,
      rows: 4 * m,
      x: align16(8 * n),
      y: align16(8 * Math.max(m, n)),
    }, `n = ${n}, m = ${m}`);
    this.n = n;
    this.m = m;
    this.rows = r;
    this.scale = scale;
    const [plan, work, rp] = this.blocks;
    i32View(rp, m).set(r);
    wasm().dctPlanInit(n, plan, work);
  }

  apply(x: ArrayLike<number>): Float64Array {
    const [plan, work, rp, xp, yp] = this.blocks;
    return this.transform('PartialDct.apply', 'x', x, this.n, 'the columns of A', X_BLOCK, Y_BLOCK, this.m, () => wasm().pdctApply(plan, rp, this.m, this.scale, xp, yp, work));
  }

  adjoint(r: ArrayLike<number>): Float64Array {
    const [plan, work, rp, xp, yp] = this.blocks;
    return this.transform('PartialDct.adjoint', 'r', r, this.m, 'the rows of A', Y_BLOCK, X_BLOCK, this.n, () => wasm().pdctAdjoint(plan, rp, this.m, this.scale, yp, xp, work));
  }

  column(j: number): Float64Array {
    this.live();
    checkColumn('PartialDct.column', j, this.n);
    const [, , rp, , yp] = this.blocks;
    wasm().pdctColumn(this.n, rp, this.m, this.scale, j, yp);
    return f64View(yp, this.m).slice();
  }

  colNorms(): Float64Array {
    this.live();
    const [plan, work, rp, xp] = this.blocks;
    wasm().pdctColNorms(plan, rp, this.m, this.scale, xp, work);
    return f64View(xp, this.n).slice();
  }

  dense(): Matrix {
    return denseFromColumns(this);
  }
}

const MODE_CODE: Record<ConvolutionMode, number> = { full: 0, same: 1, circular: 2 };

/**
 * Convolution with a filter h of L taps: y = h * x for x of n samples, in
 * mode 'full' (m = n + L - 1), 'same' (m = n: rows floor((L-1)/2) .. of the
 * full result, as numpy.convolve(x, h, 'same') and gaussianConvolution's
 * 'same') or 'circular' (m = n, indices modulo n). Computed by direct sums
 * for short filters and through the FFT otherwise (options.method).
 */
export class Convolution extends WasmOwner implements LinearTransform {
  readonly n: number;
  readonly m: number;
  readonly mode: ConvolutionMode;
  /** The method in use ('fft' or 'direct'; 'auto' resolved). */
  readonly method: 'fft' | 'direct';
  /** The filter (a copy). */
  readonly h: Float64Array;

  /**
   * @param h the filter taps (finite, at least one)
   * @param n signal length, integer in [1, 2^26]
   * @param options `mode` (default 'full'), `method` (default 'auto')
   */
  constructor(h: ArrayLike<number>, n: number, options?: ConvolutionOptions) {
    const fn = 'Convolution';
    const taps = checkFilter(fn, h);
    checkLength(fn, n);
    const { mode, method } = convolutionOptions(fn, options);
    const L = taps.length;
    const m = convolutionRows(n, L, mode);
    if (m > MAX_TRANSFORM_LENGTH) throw new RangeError(`${fn}: n + h.length - 1 must be at most ${MAX_TRANSFORM_LENGTH} in mode 'full', received n = ${n}, h.length = ${L}`);
    const code = MODE_CODE[mode];
    const useFft = method === 'auto' ? wasm().convPrefersFft(n, L, code) : method === 'fft' ? 1 : 0;
    super(fn, `the convolution (n = ${n}, L = ${L}, mode '${mode}')`, {
      plan: wasm().convPlanBytes(n, L, code, useFft) >>> 0,
      work: wasm().convWorkBytes(n, L, code, useFft) >>> 0,
      h: 8 * L,
      x: align16(8 * n),
      y: align16(8 * m),
    }, `n = ${n}, h.length = ${L}`);
    this.n = n;
    this.m = m;
    this.mode = mode;
    this.method = useFft ? 'fft' : 'direct';
    this.h = taps;
    const [plan, work, hp] = this.blocks;
    f64View(hp, L).set(taps);
    wasm().convPlanInit(plan, hp, L, n, code, useFft, work);
  }

  apply(x: ArrayLike<number>): Float64Array {
    const [plan, work, , xp, yp] = this.blocks;
    return this.transform('Convolution.apply', 'x', x, this.n, 'the signal length n', X_BLOCK, Y_BLOCK, this.m, () => wasm().convApply(plan, xp, yp, work));
  }

  adjoint(r: ArrayLike<number>): Float64Array {
    const [plan, work, , xp, yp] = this.blocks;
    return this.transform('Convolution.adjoint', 'r', r, this.m, 'the rows of A', Y_BLOCK, X_BLOCK, this.n, () => wasm().convAdjoint(plan, yp, xp, work));
  }

  column(j: number): Float64Array {
    this.live();
    checkColumn('Convolution.column', j, this.n);
    const [plan, , , , yp] = this.blocks;
    wasm().convColumn(plan, j, yp);
    return f64View(yp, this.m).slice();
  }

  colNorms(): Float64Array {
    this.live();
    const [plan, , , xp] = this.blocks;
    wasm().convColNorms(plan, xp);
    return f64View(xp, this.n).slice();
  }

  dense(): Matrix {
    return denseFromColumns(this);
  }
}

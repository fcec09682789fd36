// The partial Fourier operator (Operator.partialFourier): m rows of the
// n-point DFT, times a real scale, applied in WASM by the FFT
// (assembly/complex/coperator.ts) without a dense matrix. The complex solvers
// take it wherever they take a ComplexMatrix.
import { checkInt, checkNumber, describe } from '../core/errors.js';
import { MAX_TRANSFORM_LENGTH } from '../core/transforms.js';
import { alloc, checkMemory, f64View, free, i32View, wasm } from '../core/wasm.js';
import { checkComplexVector, ComplexMatrix } from '../js/complex/cmatrix.js';

const registry = typeof FinalizationRegistry !== 'undefined'
  ? new FinalizationRegistry<number[]>((ptrs) => { for (const p of ptrs) { try { free(p); } catch { /* module gone */ } } })
  : null;

/** Options of Operator.partialFourier. */
export interface PartialFourierOptions {
  /**
   * The factor of every entry: 'unit' (default) for 1/sqrt(m), so that every
   * column has norm 1 (the scaling of the paper and of fourierMatrix's
   * default), or a positive number (1: the plain DFT rows, entries of modulus 1).
   */
  scale?: number | 'unit';
}

/**
 * Largest |log2| of a scale accepted: the complex solvers do not rescale an
 * operator, so its entries must stay where products of entries and residuals
 * neither overflow nor lose all precision (core/operator.ts STRUCTURED_SAFE_EXP).
 */
const SAFE_EXP = 400;

/**
 * Frequencies as given (integers in [-n, n), distinct modulo n), checked and
 * reduced to [0, n).
 */
function checkFrequencies(fn: string, n: number, rows: unknown): Int32Array {
  if (!Array.isArray(rows) && !(ArrayBuffer.isView(rows) && !(rows instanceof DataView))) {
    throw new TypeError(`${fn}: rows must be an array of frequency indices (integers in [${-n}, ${n - 1}], distinct modulo n = ${n}), received ${describe(rows)}`);
  }
  const a = rows as ArrayLike<unknown>;
  if (a.length === 0) throw new RangeError(`${fn}: rows must not be empty, received length 0`);
  if (a.length > n) throw new RangeError(`${fn}: rows must have at most n = ${n} entries (distinct frequencies modulo n), received length ${a.length}`);
  const out = new Int32Array(a.length);
  const seen = new Int32Array(n).fill(-1);
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    if (typeof k !== 'number' || !Number.isInteger(k) || k < -n || k >= n) {
      const E = typeof k === 'number' ? RangeError : TypeError;
      throw new E(`${fn}: rows[${i}] must be an integer in [${-n}, ${n - 1}], received ${describe(k)}`);
    }
    const r = k < 0 ? k + n : k;
    if (seen[r] >= 0) throw new RangeError(`${fn}: rows must be distinct modulo n = ${n}, received rows[${seen[r]}] = ${describe(a[seen[r]])} and rows[${i}] = ${k}`);
    seen[r] = i;
    out[i] = r;
  }
  return out;
}

/** The scale option: 'unit' (1/sqrt(m)) or a positive number within 2^±400. */
function checkScale(fn: string, m: number, options: unknown): number {
  if (options === undefined) return 1 / Math.sqrt(m);
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object such as { scale }, received ${describe(options)}`);
  const s = (options as PartialFourierOptions).scale;
  if (s === undefined || s === 'unit') return 1 / Math.sqrt(m);
  if (typeof s !== 'number') throw new TypeError(`${fn}: options.scale must be 'unit' or a positive number, received ${describe(s)}`);
  checkNumber(fn, 'options.scale', s, 0, Number.MAX_VALUE, { openLo: true });
  if (Math.abs(Math.log2(s)) > SAFE_EXP) {
    throw new RangeError(`${fn}: options.scale must be in [2^-${SAFE_EXP}, 2^${SAFE_EXP}] (the complex solvers do not rescale operators), received ${s}`);
  }
  return s;
}

/**
 * The partial Fourier operator: entry (i, j) = scale exp(-2 pi i rows[i] j / n)
 * (numpy's sign), m = rows.length rows of the n-point DFT. Made by
 * `Operator.partialFourier(n, rows, { scale })`; it lives in WASM memory
 * (the FFT plan, the rows and the buffers, O(n + m) bytes) until dispose().
 *
 * A x = scale (FFT of x)[rows] and A^H r = scale n IFFT(r scattered to rows)
 * cost one FFT of length n each (any n: Bluestein for lengths with prime
 * factors above 5); a column is computed directly (O(m)); every column has
 * norm scale sqrt(m), and ||A||_2 = scale sqrt(n) (the rows of the DFT are
 * orthogonal, of norm sqrt(n)).
 */
export class PartialFourierOperator {
  /** Rows (measurements). */
  readonly m: number;
  /** Columns (signal length). */
  readonly n: number;
  /** The frequencies, reduced to [0, n) (a copy). */
  readonly rows: Int32Array;
  /** The factor of every entry (1/sqrt(m) for scale: 'unit'). */
  readonly scale: number;
  /** What this operator is. */
  readonly kind = 'partialFourier' as const;
  private _ptr: number;
  private _norms: number;
  private readonly held: number[];
  private readonly token = {};
  private readonly _bytes: number;
  private _normsCopy: Float64Array | null = null;

  /** @internal Use Operator.partialFourier. */
  constructor(n: number, rows: ArrayLike<number>, options?: PartialFourierOptions) {
    const fn = 'Operator.partialFourier';
    checkInt(fn, 'n', n, 1, MAX_TRANSFORM_LENGTH);
    const r = checkFrequencies(fn, n, rows);
    const m = r.length;
    const scale = checkScale(fn, m, options);
    const w = wasm();
    const parts: Record<string, number> = {
      'operator header': w.copHeaderBytes(),
      'FFT plan': w.fftPlanBytes(n),
      'FFT work': w.pfWorkBytes(n),
      rows: 4 * m,
      'column buffer': 16 * m,
      'operator scratch': 16 * n,
      'column norms': 8 * n,
    };
    checkMemory(fn, `the operator (n = ${n}, m = ${m})`, parts, `n = ${n}, m = ${m}`);
    const ptrs: number[] = [];
    try {
      for (const b of Object.values(parts)) ptrs.push(alloc(Math.max(16, b)));
    } catch (e) {
      for (const p of ptrs) free(p);
      throw e;
    }
    const [h, plan, work, rp, col, xs, norms] = ptrs;
    i32View(rp, m).set(r);
    this._ptr = w.copInitPartialFourier(h, n, plan, rp, m, scale, work, col, xs);
    w.copColNorms(this._ptr, m, n, norms);
    this._norms = norms;
    this.m = m;
    this.n = n;
    this.rows = r;
    this.scale = scale;
    this.held = ptrs;
    this._bytes = Object.values(parts).reduce((a, b) => a + Math.max(16, b), 0);
    registry?.register(this, this.held, this.token);
  }

  /** True after dispose(). */
  get disposed(): boolean {
    return this._ptr === 0;
  }

  private check(fn = 'Operator.partialFourier'): void {
    if (this._ptr === 0) throw new TypeError(`${fn}: this operator is disposed: expected a live operator (create a new one with Operator.partialFourier), received one whose dispose() was called`);
  }

  /** @internal The tagged handle the complex kernels take for A. */
  get ptr(): number {
    this.check();
    return this._ptr;
  }

  /** @internal Byte address of the n column norms in WASM memory. */
  get normsPtr(): number {
    this.check();
    return this._norms;
  }

  /** Bytes of WASM memory the operator holds (0 once disposed). */
  get bytes(): number {
    return this._ptr === 0 ? 0 : this._bytes;
  }

  /**
   * A x: 2m doubles (interleaved re/im). x: 2n doubles (n complex values,
   * interleaved) or n doubles (a real x).
   */
  apply(x: ArrayLike<number>): Float64Array {
    const fn = 'Operator.partialFourier.apply';
    this.check(fn);
    const { m, n } = this;
    const v = realOrComplex(fn, 'x', x, n);
    return this.run(v, 2 * m, (inp, out) => wasm().copApply(this._ptr, m, n, inp, out));
  }

  /** A^H r: 2n doubles. r: 2m doubles (m complex values, interleaved) or m doubles (a real r). */
  adjoint(r: ArrayLike<number>): Float64Array {
    const fn = 'Operator.partialFourier.adjoint';
    this.check(fn);
    const { m, n } = this;
    const v = realOrComplex(fn, 'r', r, m);
    return this.run(v, 2 * n, (inp, out) => wasm().copAdjoint(this._ptr, m, n, inp, out));
  }

  /** Column j: 2m doubles. */
  column(j: number): Float64Array {
    const fn = 'Operator.partialFourier.column';
    this.check(fn);
    checkInt(fn, 'j', j, 0, this.n - 1);
    return this.run(new Float64Array(0), 2 * this.m, (_inp, out) => wasm().copColumnInto(this._ptr, this.m, j, out));
  }

  /** The n column norms (all scale sqrt(m)). */
  colNorms(): Float64Array {
    this.check();
    if (this._normsCopy === null) this._normsCopy = f64View(this._norms, this.n).slice();
    return this._normsCopy;
  }

  /** ||A||_2 = scale sqrt(n): A A^H = scale^2 n I_m for distinct rows of the DFT. */
  spectralNorm(): number {
    this.check();
    return this.scale * Math.sqrt(this.n);
  }

  /** The operator as plain data (complexOperatorFromSpec rebuilds it, in a worker say): n, the rows and the scale. */
  spec(): PartialFourierSpec {
    this.check();
    return { kind: 'partialFourier', n: this.n, rows: Array.from(this.rows), scale: this.scale };
  }

  /** Frees the WASM memory. Idempotent. */
  dispose(): void {
    if (this._ptr === 0) return;
    registry?.unregister(this.token);
    for (const p of this.held) free(p);
    this.held.length = 0;
    this._ptr = 0;
    this._norms = 0;
  }

  /** Writes inp (complex, interleaved) to a block, runs k, copies outLen doubles out. */
  private run(inp: Float64Array, outLen: number, k: (inp: number, out: number) => void): Float64Array {
    const ib = alloc(Math.max(16, 8 * inp.length));
    let ob = 0;
    try {
      ob = alloc(Math.max(16, 8 * outLen));
      f64View(ib, inp.length).set(inp);
      k(ib, ob);
      return f64View(ob, outLen).slice();
    } finally {
      free(ib);
      if (ob) free(ob);
    }
  }
}

/** A partial Fourier operator as plain data: PartialFourierOperator.prototype.spec. */
export interface PartialFourierSpec {
  kind: 'partialFourier';
  n: number;
  /** The frequencies, reduced to [0, n). */
  rows: number[];
  /** The factor of every entry, as a number (the one the operator holds: rebuilt bit for bit). */
  scale: number;
}

/** A complex A as plain data, for a worker: a ComplexMatrix's entries, or a partial Fourier operator's spec. */
export type ComplexOperatorSpec = { kind: 'dense'; m: number; n: number; data: Float64Array } | PartialFourierSpec;

/** The spec of a complex A (a ComplexMatrix's spec holds its data, not a copy). */
export function complexSpecOf(A: ComplexMatrix | PartialFourierOperator): ComplexOperatorSpec {
  return A instanceof PartialFourierOperator ? A.spec() : { kind: 'dense', m: A.m, n: A.n, data: A.data };
}

/**
 * Rebuilds a complex A from its spec: a ComplexMatrix (its own copy of the
 * entries) or a new partial Fourier operator, which the caller disposes.
 */
export function complexOperatorFromSpec(spec: ComplexOperatorSpec): ComplexMatrix | PartialFourierOperator {
  if (spec.kind === 'dense') return new ComplexMatrix(spec.m, spec.n, spec.data);
  return new PartialFourierOperator(spec.n, spec.rows, { scale: spec.scale });
}

/** v as 2 len interleaved doubles: 2 len numbers as given, or len real numbers (imaginary parts 0). */
function realOrComplex(fn: string, name: string, v: unknown, len: number): Float64Array {
  const isArray = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!isArray || (v as ArrayLike<unknown>).length === 2 * len) return checkComplexVector(fn, name, v, len);
  const a = v as ArrayLike<unknown>;
  if (a.length !== len) {
    throw new RangeError(`${fn}: ${name} must have length ${2 * len} (${len} complex values, interleaved re, im) or ${len} (real values), received length ${a.length}`);
  }
  const out = new Float64Array(2 * len);
  for (let t = 0; t < len; t++) {
    const e = a[t];
    if (typeof e !== 'number') throw new TypeError(`${fn}: ${name}[${t}] must be a number, received ${describe(e)}`);
    if (!Number.isFinite(e)) throw new RangeError(`${fn}: ${name}[${t}] must be finite, received ${e}`);
    out[2 * t] = e;
  }
  return out;
}

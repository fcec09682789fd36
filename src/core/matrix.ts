// Dense matrices: column-major Float64Array (the BLAS/LAPACK convention).
import { describe } from './errors.js';

/** Entry (i, j) of a matrix given as nested arrays to `fn`: a finite number, else a TypeError/RangeError naming it. */
function checkEntry(fn: string, v: unknown, i: number, j: number): number {
  if (typeof v !== 'number') throw new TypeError(`${fn}: entry (${i}, ${j}) must be a number, received ${describe(v)}`);
  if (!Number.isFinite(v)) throw new RangeError(`${fn}: entry (${i}, ${j}) must be finite, received ${v}`);
  return v;
}

/**
 * A dense m x n matrix stored column-major: entry (i, j) is data[i + j*m].
 *
 * Contract (checked per call): the entries are checked when the matrix is
 * made (every entry a finite number: a string, null, boolean or NaN is a
 * TypeError/RangeError naming the entry) and again, cheaply, each time a
 * function takes the matrix as an argument (`toMatrix`, so every solver,
 * `Operator.dense` and the batch paths): a buffer that has been detached
 * (transferred to a worker, or a resized ArrayBuffer) or an entry written
 * non-finite after construction is refused there with an error naming the
 * function the user called and the entry, before any WASM call. The re-check
 * is one pass over the entries, O(m n), which a solve's own matrix-vector
 * products exceed many times over (see docs/robustness-contract.md for the
 * measured cost). Entries must otherwise not be changed after construction:
 * cached column norms and the spectral norm assume they stay as they were;
 * to change a matrix, make a new one.
 */
/** @internal The `data` argument of a Matrix whose subclass supplies its entries (see OperatorMatrix in operator.ts). */
export const SHELL: unique symbol = Symbol('Matrix.shell');
const EMPTY = new Float64Array(0);

/** @internal See Matrix.facts(). */
export interface MatrixFacts {
  norms: Float64Array | null;
  maxAbs: number | null;
  rangeIssue: string | null | undefined;
}

export class Matrix {
  /** Rows. */
  readonly m: number;
  /** Columns. */
  readonly n: number;
  /** Column-major entries, length m*n. */
  readonly data: Float64Array;
  private _norms: Float64Array | null = null;
  private _spectral: number | null = null;
  private _maxAbs: number | null = null;
  private _scaled: Matrix | null = null;
  private _rangeIssue: string | null | undefined = undefined;

  /**
   * @param m rows (>= 1)
   * @param n columns (>= 1)
   * @param data column-major entries (length m*n); zeros when omitted
   */
  constructor(m: number, n: number, data?: Float64Array | ArrayLike<number> | typeof SHELL) {
    if (data === SHELL) {
      // a subclass that supplies its entries itself (OperatorMatrix): no size limit, no storage here
      this.m = m;
      this.n = n;
      this.data = EMPTY;
      return;
    }
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 1) {
      throw new RangeError(`Matrix: m (rows) must be an integer >= 1, received ${describe(m)}`);
    }
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      throw new RangeError(`Matrix: n (columns) must be an integer >= 1, received ${describe(n)}`);
    }
    if (m * n > 2 ** 31 - 1) {
      throw new RangeError(`Matrix: m*n must be below 2^31 entries, received ${m} x ${n}`);
    }
    this.m = m;
    this.n = n;
    if (data === undefined) {
      this.data = new Float64Array(m * n);
    } else {
      const typed = ArrayBuffer.isView(data) && !(data instanceof DataView) && !(data instanceof BigInt64Array) && !(data instanceof BigUint64Array);
      if (!typed && !Array.isArray(data)) {
        throw new TypeError(`Matrix: data must be a Float64Array (or an array of numbers) of length m*n = ${m * n}, received ${describe(data)}`);
      }
      if (data.length !== m * n) {
        throw new RangeError(`Matrix: data must have length m*n = ${m * n}, received length ${data.length}${typed && isDetached(data as Float64Array) ? ' (its buffer is detached)' : ''}`);
      }
      if (!typed) {
        // an array is converted entry by entry: no silent '1' -> 1, null -> 0, true -> 1
        const a = data as ArrayLike<unknown>;
        for (let i = 0; i < a.length; i++) {
          if (typeof a[i] !== 'number') throw new TypeError(`Matrix: entry (${i % m}, ${Math.floor(i / m)}) (data[${i}]) must be a number, received ${describe(a[i])}`);
        }
      }
      this.data = data instanceof Float64Array ? data : Float64Array.from(data as ArrayLike<number>);
      const d = this.data;
      for (let i = 0; i < d.length; i++) {
        if (!Number.isFinite(d[i])) {
          throw new RangeError(`Matrix: entry (${i % m}, ${Math.floor(i / m)}) must be finite, received ${d[i]}`);
        }
      }
    }
  }

  /**
   * @internal What this matrix has computed of itself (column norms, max
   * |a_ij|, the column-range verdict), null / undefined where not yet
   * computed: handed with its entries to a copy in a pool worker, which then
   * need not read the entries again to find the same values.
   */
  facts(): MatrixFacts {
    return { norms: this._norms, maxAbs: this._maxAbs, rangeIssue: this._rangeIssue };
  }

  /**
   * @internal A copy of a matrix that was checked where it was made: the
   * pool's worker copy of the caller's Matrix, whose entries the main thread
   * checked at construction and again at the call (checkIntact). No pass over
   * the entries; `facts` (from facts() of the original) are taken as computed.
   */
  static checkedCopy(m: number, n: number, data: Float64Array, facts: MatrixFacts): Matrix {
    if (!(data instanceof Float64Array) || data.length !== m * n || (facts.norms !== null && facts.norms.length !== n)) {
      throw new RangeError(`Matrix.checkedCopy: expected ${m * n} entries and ${n} column norms, received ${data?.length} and ${facts.norms?.length}`);
    }
    const M = new Matrix(m, n, SHELL);
    (M as unknown as { data: Float64Array }).data = data;
    M._norms = facts.norms;
    M._maxAbs = facts.maxAbs;
    M._rangeIssue = facts.rangeIssue;
    return M;
  }

  /** Builds a matrix from rows: rows[i][j] is entry (i, j). All rows must have the same length. */
  static fromRows(rows: ArrayLike<ArrayLike<number>>): Matrix {
    if (!rows || typeof rows !== 'object' || typeof rows.length !== 'number') {
      throw new TypeError(`Matrix.fromRows: rows must be an array of rows, received ${describe(rows)}`);
    }
    const m = rows.length;
    if (m === 0) throw new RangeError('Matrix.fromRows: rows must not be empty, received 0 rows');
    const first = rows[0];
    if (!first || typeof first.length !== 'number') {
      throw new TypeError(`Matrix.fromRows: rows[0] must be an array, received ${describe(first)}`);
    }
    const n = first.length;
    if (n === 0) throw new RangeError('Matrix.fromRows: rows must not be empty, received rows of length 0');
    const data = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      const row = rows[i];
      if (!row || typeof row.length !== 'number') throw new TypeError(`Matrix.fromRows: rows[${i}] must be an array, received ${describe(row)}`);
      if (row.length !== n) throw new RangeError(`Matrix.fromRows: every row must have length ${n}, received rows[${i}] of length ${row.length}`);
      for (let j = 0; j < n; j++) {
        data[i + j * m] = checkEntry('Matrix.fromRows', row[j], i, j);
      }
    }
    return new Matrix(m, n, data);
  }

  /** Builds a matrix from columns: cols[j][i] is entry (i, j). */
  static fromColumns(cols: ArrayLike<ArrayLike<number>>): Matrix {
    if (!cols || typeof cols !== 'object' || typeof cols.length !== 'number') {
      throw new TypeError(`Matrix.fromColumns: cols must be an array of columns, received ${describe(cols)}`);
    }
    const n = cols.length;
    if (n === 0) throw new RangeError('Matrix.fromColumns: cols must not be empty, received 0 columns');
    const col = (j: number) => {
      const c = cols[j];
      if (!c || typeof c !== 'object' || typeof c.length !== 'number') throw new TypeError(`Matrix.fromColumns: cols[${j}] must be an array, received ${describe(c)}`);
      return c;
    };
    const m = col(0).length;
    if (m === 0) throw new RangeError('Matrix.fromColumns: columns must not be empty, received cols[0] of length 0');
    const data = new Float64Array(m * n);
    for (let j = 0; j < n; j++) {
      const c = col(j);
      if (c.length !== m) throw new RangeError(`Matrix.fromColumns: every column must have length ${m}, received cols[${j}] of length ${c.length}`);
      for (let i = 0; i < m; i++) {
        data[i + j * m] = checkEntry('Matrix.fromColumns', c[i], i, j);
      }
    }
    return new Matrix(m, n, data);
  }

  /**
   * Re-checks the contract (see the class comment) for a call of `fn` that
   * received this matrix as argument `name`: the buffer is still attached
   * and every entry finite. One pass over the entries.
   * @throws TypeError (detached buffer) or RangeError (non-finite entry) naming fn, name and the entry
   */
  checkIntact(fn: string, name: string): void {
    const d = this.data;
    if (d.length !== this.m * this.n || isDetached(d)) {
      throw new TypeError(`${fn}: ${name} is a Matrix whose data buffer has been detached (transferred or resized): expected ${this.m * this.n} entries, received ${d.length}`);
    }
    // NaN and +-Infinity are the values with x - x !== 0; the sum test runs at memory speed and is exact for that question.
    // Four running sums: one would chain every addition on the one before (256 x 1024: 0.22 ms from cache, 0.76 ms
    // from memory, against 0.14 and 0.46 with four; Node 20, Intel Xeon)
    let b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    const n4 = d.length & ~3;
    let i = 0;
    for (; i < n4; i += 4) {
      b0 += d[i] - d[i];
      b1 += d[i + 1] - d[i + 1];
      b2 += d[i + 2] - d[i + 2];
      b3 += d[i + 3] - d[i + 3];
    }
    for (; i < d.length; i++) b0 += d[i] - d[i];
    if (b0 + b1 + b2 + b3 === 0) return;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i])) {
        throw new RangeError(`${fn}: ${name}: entry (${i % this.m}, ${Math.floor(i / this.m)}) must be finite, received ${d[i]} (written into data after the Matrix was made)`);
      }
    }
  }

  /** Entry (i, j). */
  get(i: number, j: number): number {
    return this.data[i + j * this.m];
  }

  /** Column j as a view (no copy). */
  column(j: number): Float64Array {
    return this.data.subarray(j * this.m, (j + 1) * this.m);
  }

  /** The rows as number[][]. */
  toRows(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.m; i++) {
      const row = new Array<number>(this.n);
      for (let j = 0; j < this.n; j++) row[j] = this.data[i + j * this.m];
      out.push(row);
    }
    return out;
  }

  /** Euclidean norms of the columns (length n), computed once. */
  colNorms(): Float64Array {
    if (!this._norms) {
      const { m, n, data } = this;
      const norms = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        let amax = 0;
        for (let i = 0; i < m; i++) amax = Math.max(amax, Math.abs(data[i + j * m]));
        if (amax === 0) continue;
        let s = 0;
        for (let i = 0; i < m; i++) {
          const v = data[i + j * m] / amax;
          s += v * v;
        }
        norms[j] = amax * Math.sqrt(s);
      }
      this._norms = norms;
    }
    return this._norms;
  }

  /**
   * ||A||_2 (largest singular value) by power iteration on A^T A from the
   * golden-ratio start of powerIteration, to relative change POWER_RTOL or POWER_MAXITER steps
   * (in WASM when an Operator of this matrix asks first); computed once per
   * matrix and shared by both backends, so step sizes derived from it are
   * identical in WASM and JS.
   */
  spectralNorm(): number {
    if (this._spectral === null) {
      // outside the safe range the products of the iteration over/underflow: iterate on A / 2^e
      const e = this.scaleExponent();
      this._spectral = e === 0 ? powerIteration(this) : ldexp(this.scaled().spectralNorm(), e);
    }
    return this._spectral;
  }

  /** True once the spectral norm has been computed (by either backend). */
  hasSpectralNorm(): boolean {
    return this._spectral !== null;
  }

  /** @internal Stores a spectral norm computed elsewhere (the WASM kernel). */
  setSpectralNorm(v: number): void {
    this._spectral = v;
  }

  /** max |a_ij| (computed once). */
  maxAbs(): number {
    if (this._maxAbs === null) this._maxAbs = maxAbsOf(this.data);
    return this._maxAbs;
  }

  /**
   * The power of two the solvers divide A by (see scaleExponent()): 0 when
   * max |a_ij| lies in the safe range, else e with max |a_ij| / 2^e in [1, 2).
   */
  scaleExponent(): number {
    return scaleExponentOf(this.maxAbs());
  }

  /**
   * @internal A / 2^scaleExponent(): this matrix itself when the exponent is 0,
   * else a scaled copy (exact: only entries more than 2^1022 times smaller
   * than the largest lose bits), made once and kept.
   */
  scaled(): Matrix {
    const e = this.scaleExponent();
    if (e === 0) return this;
    if (!this._scaled) {
      const d = new Float64Array(this.data.length);
      for (let i = 0; i < d.length; i++) d[i] = ldexp(this.data[i], -e);
      this._scaled = new Matrix(this.m, this.n, d);
    }
    return this._scaled;
  }

  /**
   * Why the solvers cannot take this matrix, or null: the nonzero column
   * norms must lie within a factor 2^COLUMN_RANGE_EXP of each other (see
   * there). Computed once.
   */
  columnRangeIssue(): string | null {
    if (this._rangeIssue === undefined) {
      const norms = this.scaled().colNorms();
      let hi = -1;
      let lo = -1;
      for (let j = 0; j < this.n; j++) {
        if (norms[j] === 0) continue;
        if (hi < 0 || norms[j] > norms[hi]) hi = j;
        if (lo < 0 || norms[j] < norms[lo]) lo = j;
      }
      this._rangeIssue = null;
      if (hi >= 0 && !(norms[lo] >= ldexp(norms[hi], -COLUMN_RANGE_EXP))) {
        const e = this.scaleExponent();
        this._rangeIssue = `the norms of the nonzero columns of A must lie within a factor 2^${COLUMN_RANGE_EXP} (about 3e150) of each other, received column ${lo} of norm ${ldexp(norms[lo], e)} and column ${hi} of norm ${ldexp(norms[hi], e)}`;
      }
    }
    return this._rangeIssue;
  }

  /** Returns a copy with every nonzero column scaled to unit Euclidean norm. */
  normalizeColumns(): Matrix {
    const norms = this.colNorms();
    const out = new Float64Array(this.data);
    for (let j = 0; j < this.n; j++) {
      if (norms[j] === 0) continue;
      const s = 1 / norms[j];
      for (let i = 0; i < this.m; i++) out[i + j * this.m] *= s;
    }
    return new Matrix(this.m, this.n, out);
  }
}

/**
 * Relative change at which the power iteration stops. The estimate only sets
 * step sizes (mu = 1/||A||^2); both backends share the one cached value, so
 * its precision does not affect WASM/JS agreement. On Gaussian matrices the
 * top singular values are close and the estimate creeps up slowly: 1e-9
 * took the full 300-step cap at 256 x 1024 (measured). A step size needs
 * about three digits; with these settings the estimate is within 3e-4 of the
 * 200-step value at 64x256 .. 1024x4096 (measured), a lower bound as always.
 */
export const POWER_RTOL = 1e-6;
/** Step cap of the power iteration (about 0.1-0.5 s in WASM at 1024 x 4096, once per matrix). */
export const POWER_MAXITER = 100;

/**
 * ||A||_2 by power iteration from the golden-ratio start (assembly/blas.ts powerStart) (POWER_RTOL,
 * POWER_MAXITER), not cached: for a kernel's twin that, like its kernel,
 * estimates the norm on every call (FISTA). A must be in the safe range.
 */
/** assembly/blas.ts POWER_START_STEP: the golden-ratio step of the power iteration's start vector. */
const POWER_START_STEP = 0.6180339887498949;

export function powerIteration(A: Matrix): number {
  const { m, n, data } = A;
  // the start of assembly/blas.ts powerStart (to rounding): an all-equal start is a singular vector of every circulant A
  const v = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const t = j * POWER_START_STEP;
    v[j] = 0.5 + (t - Math.floor(t));
  }
  let ss = 0;
  for (let j = 0; j < n; j++) ss += v[j] * v[j];
  const inv = 1 / Math.sqrt(ss);
  for (let j = 0; j < n; j++) v[j] *= inv;
  const u = new Float64Array(m);
  let sigma = 0;
  for (let it = 0; it < POWER_MAXITER; it++) {
    u.fill(0);
    for (let j = 0; j < n; j++) {
      const vj = v[j];
      if (vj === 0) continue;
      const off = j * m;
      for (let i = 0; i < m; i++) u[i] += data[off + i] * vj;
    }
    let nv2 = 0;
    for (let j = 0; j < n; j++) {
      const off = j * m;
      let s = 0;
      for (let i = 0; i < m; i++) s += data[off + i] * u[i];
      v[j] = s;
      nv2 += s * s;
    }
    const nv = Math.sqrt(nv2);
    if (nv === 0 || !Number.isFinite(nv)) return nv === 0 ? 0 : sigma;
    const next = Math.sqrt(nv);
    for (let j = 0; j < n; j++) v[j] /= nv;
    if (Math.abs(next - sigma) <= POWER_RTOL * next) return next;
    sigma = next;
  }
  return sigma;
}

// ------------------------------------------------------------- scaling
//
// Solvers run on A / 2^ea and y / 2^ey whenever max |a_ij| or max |y_i| lies
// outside [2^-SAFE_EXP, 2^SAFE_EXP]: multiplying by a power of two is exact,
// and every solver's arithmetic commutes with it (x scales by 2^(ey - ea),
// residuals by 2^ey, step sizes by 2^(2 ea)), so the results are those of the
// unscaled problem, without the overflow of squares and products that 1e300
// (or the underflow that 1e-300) would cause inside the kernels.

/**
 * Half-width (in binary orders of magnitude) of the range of max |a_ij| and
 * max |y_i| that is left alone: 2^100 is about 1.3e30. Inside the kernels the
 * largest products are of the order |A|^2 |y| m n (e.g. the NIHT step
 * ||A^T r|| / ||A A^T r||, SEA's A^T (A x - y)); with both scales within
 * 2^+-100 and m n < 2^31 those stay below 2^350, far from the f64 limits
 * (2^+-1022), while problems at ordinary scales (the usual case) are
 * never copied.
 */
export const SAFE_EXP = 100;

/**
 * Largest ratio (as a power of two) between the norms of two nonzero columns
 * that the solvers accept: 2^500, about 3e150. A column that much smaller
 * than another is zero to working precision many times over (2^-500 is
 * eps^9.6), yet least squares would give it a coefficient up to 2^500 times
 * larger than the others', and products of such coefficients overflow
 * float64. Refusing such matrices up front keeps every coefficient and
 * product of the kernels finite; a zero column is fine (never chosen).
 */
export const COLUMN_RANGE_EXP = 500;

/** max |v_i|. */
export function maxAbsOf(v: ArrayLike<number>): number {
  let mx = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > mx) mx = a;
  }
  return mx;
}

/** Exponent e with 2^e <= a < 2^(e+1) (a finite, > 0). */
export function exponentOf(a: number): number {
  let e = Math.floor(Math.log2(a));
  // log2 may round across a power of two: settle it exactly
  if (ldexp(1, e) > a) e--;
  else if (ldexp(1, e + 1) <= a) e++;
  return e;
}

/** The scaling exponent for a largest magnitude `mx`: 0 inside [2^-SAFE_EXP, 2^SAFE_EXP] (or for 0), else exponentOf(mx). */
export function scaleExponentOf(mx: number): number {
  if (mx === 0 || (mx >= SAFE_LO && mx <= SAFE_HI)) return 0;
  return exponentOf(mx);
}

/** 2^-SAFE_EXP and 2^SAFE_EXP, computed once. */
const SAFE_LO = 2 ** -SAFE_EXP;
const SAFE_HI = 2 ** SAFE_EXP;

/** v * 2^e, computed in steps so that 2^e itself never overflows (exact unless the result is subnormal or overflows). */
export function ldexp(v: number, e: number): number {
  while (e > 1000) { v *= 2 ** 1000; e -= 1000; }
  while (e < -1000) { v *= 2 ** -1000; e += 1000; }
  return v * 2 ** e;
}

/** True when a typed array's buffer has been detached (ArrayBuffer.prototype.detached where the engine has it). */
function isDetached(v: ArrayBufferView): boolean {
  const b = v.buffer as ArrayBuffer & { detached?: boolean };
  if (typeof b.detached === 'boolean') return b.detached;
  if (b.byteLength !== 0) return false;
  try {
    new Uint8Array(b); // eslint-disable-line no-new -- throws on a detached buffer, on every engine
    return false;
  } catch {
    return true;
  }
}

/** Anything a solver accepts as A. */
export type MatrixLike = Matrix | ArrayLike<ArrayLike<number>>;

/** Normalises a MatrixLike argument to a Matrix, naming `name` in errors. */
export function toMatrix(fn: string, name: string, A: unknown): Matrix {
  if (A instanceof Matrix) {
    A.checkIntact(fn, name);
    return A;
  }
  if (Array.isArray(A)) {
    try {
      return Matrix.fromRows(A as number[][]);
    } catch (e) {
      const err = e as Error;
      const Ctor = err instanceof TypeError ? TypeError : RangeError;
      throw new Ctor(`${fn}: ${name}: ${err.message.replace(/^Matrix\.fromRows: /, '')}`);
    }
  }
  throw new TypeError(`${fn}: ${name} must be a Matrix, an Operator or number[][] (rows), received ${describe(A)}`);
}

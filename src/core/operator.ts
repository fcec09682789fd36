// Resident operators: a matrix copied into WASM memory once, for many solves,
// or a structured operator (partial DCT, convolution, normalized, a user's
// functions) that the solver kernels apply without a dense matrix
// (assembly/operator.ts).
import { Matrix, MatrixLike, SHELL, toMatrix, POWER_MAXITER, POWER_RTOL } from './matrix.js';
import { alloc, allocF64, availableBytes, checkMemory, f64View, free, registerHostOperator, unregisterHostOperator, wasm, writeF64 } from './wasm.js';
import { runKernel } from './marshal.js';
import { checkFilter, checkLength, checkRows, Convolution, ConvolutionOptions, convolutionOptions, partialDctScale, PartialDct, PartialDctOptions } from './transforms.js';
import { checkInt, describe } from './errors.js';
import { PartialFourierOperator, type PartialFourierOptions } from '../complex/operator.js';

const registry = typeof FinalizationRegistry !== 'undefined'
  ? new FinalizationRegistry<number[]>((ptrs) => { for (const p of ptrs) { try { free(p); } catch { /* module gone */ } } })
  : null;

/**
 * A linear operator resident in WASM memory, which every solver takes in
 * place of a Matrix. `Operator.dense(A)` (or `A.toWasm()`) copies a matrix in
 * once, to skip the per-call copy of A; `Operator.partialDct`,
 * `Operator.convolution`, `Operator.normalized` and `Operator.fromFunctions`
 * (src/core/structured.ts) apply A without storing it, at sizes no dense
 * matrix reaches. Lifetime: until `dispose()` (or, as a safety net, until it
 * is garbage-collected); using it afterwards throws. The Matrix a dense
 * operator was made from must not change while it lives.
 */
export class Operator {
  /** Rows of A. */
  readonly m: number;
  /** Columns of A. */
  readonly n: number;
  /** @internal The matrix (dense operators), or the OperatorMatrix of a structured one. */
  protected _matrix: Matrix;
  protected _ptr: number;
  protected _norms: number;
  private _gram = 0;
  /** The f32 copy of A for OMP's screen (0: not made, or none possible) and its exponent. */
  private _a32 = 0;
  private _a32exp = 0;
  private _a32tried = false;
  /**
   * @internal Flops that the single OMP solves served so far would have saved
   * on the Gram path: the rule in solvers/omp-resident.ts builds G once this
   * reaches G's cost.
   */
  ompSaved = 0;
  /** Every WASM block this operator owns (shared with the finalizer, which frees them all). */
  protected readonly held: number[];
  private _normsCopy: Float64Array | null = null;
  private readonly token = {};

  /** @internal Use Operator.dense or the structured factories. */
  protected constructor(m: number, n: number, matrix: Matrix | null, ptr: number, norms: number, held: number[]) {
    this.m = m;
    this.n = n;
    this._matrix = matrix ?? new OperatorMatrix(this);
    this._ptr = ptr;
    this._norms = norms;
    this.held = held;
    registry?.register(this, this.held, this.token);
  }

  /**
   * Copies A (m x n) into WASM memory (8 (m n + n) bytes, see operatorBytes).
   * Requires `await init()`. A matrix that does not fit in the memory limit
   * (4 GiB, or setMemoryLimit) is refused with a RangeError saying how many
   * bytes it needs, before anything is allocated.
   */
  static dense(A: MatrixLike): Operator {
    return Operator.ofChecked('Operator.dense', toMatrix('Operator.dense', 'A', A));
  }

  /** @internal Operator.dense of a Matrix already checked for this call (toMatrix), refusals naming `fn`. */
  static ofChecked(fn: string, M: Matrix): Operator {
    checkMemory(fn, `A (${M.m} x ${M.n})`, operatorParts(M.m, M.n), `m = ${M.m}, n = ${M.n}`);
    const ptr = allocF64(M.data);
    let norms: number;
    try {
      norms = allocF64(M.colNorms());
    } catch (e) {
      free(ptr);
      throw e;
    }
    return new Operator(M.m, M.n, M, ptr, norms, [ptr, norms]);
  }

  /**
   * The partial DCT: rows `rows` (m distinct integers in [0, n)) of the
   * orthonormal n-point DCT-II, scaled by sqrt(n / m) unless `scale: false`;
   * equal to `dctMatrix(n, rows)` column for column. A x and A^T r cost one
   * DCT of length n each (O(n log n)); the operator holds O(n) bytes, where
   * the dense matrix would take 8 m n.
   */
  static partialDct(n: number, rows: ArrayLike<number>, options?: PartialDctOptions): Operator {
    // checked here first so that a refusal names Operator.partialDct, not PartialDct
    const fn = 'Operator.partialDct';
    checkLength(fn, n);
    partialDctScale(fn, n, checkRows(fn, n, rows).length, options);
    return StructuredOperator.make('Operator.partialDct', new PartialDct(n, rows, options));
  }

  /**
   * The partial Fourier operator, complex (src/complex/operator.ts): entry
   * (i, j) = scale exp(-2 pi i rows[i] j / n), rows in [-n, n) distinct
   * modulo n, scale 'unit' (1/sqrt(m), default: equal to fourierMatrix(n, rows)) or a positive number; for
   * complexOmp / complexIht / complexNiht in place of a ComplexMatrix.
   */
  static partialFourier(n: number, rows: ArrayLike<number>, options?: PartialFourierOptions): PartialFourierOperator {
    return new PartialFourierOperator(n, rows, options);
  }

  /**
   * Convolution with the filter h (any length L >= 1) of a signal of n
   * samples: mode 'full' (m = n + L - 1, default), 'same' (m = n, as
   * numpy.convolve 'same' and gaussianConvolution) or 'circular' (m = n);
   * direct sums for short filters, the FFT otherwise (`method`).
   */
  static convolution(h: ArrayLike<number>, n: number, options?: ConvolutionOptions): Operator {
    const taps = h as ArrayLike<unknown>;
    if (taps && typeof taps.length === 'number') {
      for (let i = 0; i < taps.length; i++) {
        const v = taps[i];
        if (typeof v === 'number' && Number.isFinite(v) && v !== 0 && Math.abs(Math.log2(Math.abs(v))) > STRUCTURED_SAFE_EXP) {
          throw new RangeError(`Operator.convolution: h[${i}] must be 0 or of magnitude in [2^-${STRUCTURED_SAFE_EXP}, 2^${STRUCTURED_SAFE_EXP}] (the kernels do not rescale operators), received ${v}`);
        }
      }
    }
    // checked here first so that a refusal names Operator.convolution, not Convolution
    checkFilter('Operator.convolution', h);
    checkLength('Operator.convolution', n);
    convolutionOptions('Operator.convolution', options);
    return StructuredOperator.make('Operator.convolution', new Convolution(h, n, options));
  }

  /**
   * The operator `op` with unit-norm columns: column j divided by ||a_j||
   * (the norms computed once; a zero column stays zero). `op` must stay
   * alive (not disposed) while this one is used; disposing this one leaves
   * `op` alive.
   */
  static normalized(op: Operator): Operator {
    if (!(op instanceof Operator)) throw new TypeError(`Operator.normalized: op must be an Operator, received ${describe(op)}`);
    if (op.disposed) throw new TypeError('Operator.normalized: op is disposed: expected a live Operator, received one whose dispose() was called');
    return StructuredOperator.normalize(op);
  }

  /**
   * A user's own operator from JavaScript functions, for prototyping: every
   * solver calls back into JavaScript for each A x, A^T r and column, so it
   * is slower than the built-in operators (a copy across the boundary per
   * call). `apply(x)` (x: n values) returns m values, `adjoint(r)` n values,
   * `column(j)` m values (default: apply to the unit vector e_j, one apply
   * per column). Results must be finite; the column norms are computed once,
   * at construction (n columns).
   */
  static fromFunctions(spec: FunctionsOperator): Operator {
    return StructuredOperator.functions(spec);
  }

  /** What this operator is: 'dense', or the kind of a structured operator. */
  get kind(): 'dense' | StructuredKind {
    return 'dense';
  }

  /**
   * A structured operator as plain data, which operatorFromSpec rebuilds (in
   * a worker, say); null for a dense operator (its matrix is the data) and
   * for Operator.fromFunctions (functions cannot be sent).
   */
  spec(): StructuredSpec | null {
    return null;
  }

  /** True for a structured operator (no dense matrix in WASM memory: no Gram matrix, no OMP screen). */
  get structured(): boolean {
    return this.kind !== 'dense';
  }

  /**
   * The m x n matrix: the one a dense operator holds; for a structured
   * operator, an OperatorMatrix whose entries are assembled from the
   * operator's columns on first use of `data` (the JS backend's twins need
   * them) and kept, refused with a RangeError above 2^31 - 1 entries; its
   * column norms and spectral norm are the operator's.
   */
  get matrix(): Matrix {
    return this._matrix;
  }

  /** A x (x: n values, finite), in WASM: the dense product, or the structured operator's transform. */
  apply(x: ArrayLike<number>): Float64Array {
    return this.run('apply', 'x', x, this.n, this.m, (v, out) => wasm().opApply(this.ptr, this.m, this.n, v, out));
  }

  /** A^T r (r: m values, finite), in WASM. */
  adjoint(r: ArrayLike<number>): Float64Array {
    return this.run('adjoint', 'r', r, this.m, this.n, (v, out) => wasm().opAdjoint(this.ptr, this.m, this.n, v, out));
  }

  /** Column j (m values, a copy). */
  column(j: number): Float64Array {
    this.check();
    checkInt(`Operator.${this.kind}.column`, 'j', j, 0, this.n - 1);
    return runKernel({ fn: `Operator.${this.kind}.column`, what: 'a column', received: `m = ${this.m}`, bufs: { out: { out: this.m } } },
      (io) => { wasm().opColumnInto(this.ptr, this.m, j, io.ptr.out); return io.f64('out'); });
  }

  /** The n column norms ||a_j|| (computed once, when the operator was made). */
  colNorms(): Float64Array {
    this.check();
    if (this._normsCopy === null) this._normsCopy = f64View(this.normsPtr, this.n).slice();
    return this._normsCopy;
  }

  private run(name: string, arg: string, v: ArrayLike<number>, inLen: number, outLen: number, k: (inp: number, out: number) => void): Float64Array {
    this.check();
    const fn = `Operator.${this.kind}.${name}`;
    if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) throw new TypeError(`${fn}: ${arg} must be a Float64Array or number[] of length ${inLen}, received ${describe(v)}`);
    if (v.length !== inLen) throw new RangeError(`${fn}: ${arg} must have length ${inLen}, received length ${v.length}`);
    for (let i = 0; i < inLen; i++) {
      if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) throw new RangeError(`${fn}: ${arg}[${i}] must be a finite number, received ${describe(v[i])}`);
    }
    return runKernel({ fn, what: `a vector of ${inLen}`, received: `length ${inLen}`, bufs: { inp: { f64: Float64Array.from(v) }, out: { out: outLen } } },
      (io) => { k(io.ptr.inp, io.ptr.out); return io.f64('out'); });
  }

  /** True after dispose(). */
  get disposed(): boolean {
    return this._ptr === 0;
  }

  protected check(): void {
    if (this._ptr === 0) throw new TypeError('Operator: this operator is disposed: expected a live Operator (create a new one with Operator.dense(A)), received one whose dispose() was called');
  }

  /** @internal Byte address of A (column-major) in WASM memory. */
  get ptr(): number {
    this.check();
    return this._ptr;
  }

  /** @internal Byte address of the n column norms in WASM memory. */
  get normsPtr(): number {
    this.check();
    return this._norms;
  }

  /** ||A||_2, by power iteration in WASM, cached on the matrix (shared with the JS backend). */
  spectralNorm(): number {
    this.check();
    if (this.structured) return this.structuredSpectralNorm();
    // outside the safe range of scales (Matrix.scaled) the WASM iteration would overflow: the matrix computes it on A / 2^e
    if (!this.matrix.hasSpectralNorm() && this.matrix.scaleExponent() === 0) {
      const { m, n } = this;
      const s = runKernel({ fn: 'Operator.spectralNorm', what: `A (${m} x ${n})`, received: `m = ${m}, n = ${n}`, bufs: { v: { out: n }, u: { out: m } } },
        ({ ptr }) => wasm().spectralNorm(this.ptr, m, n, POWER_MAXITER, POWER_RTOL, ptr.v, ptr.u));
      this.matrix.setSpectralNorm(s);
    }
    return this.matrix.spectralNorm();
  }

  /** @internal ||A||_2 of a structured operator (structured.ts). */
  protected structuredSpectralNorm(): number {
    throw new TypeError('Operator: not structured');
  }

  /** True once the Gram matrix A^T A has been computed (see gramPtr). */
  get hasGram(): boolean {
    return this._gram !== 0;
  }

  /**
   * @internal Byte address of G = A^T A (n x n, column-major) in WASM memory,
   * computed on first use (m n (n + 1) flops) and kept until dispose():
   * gramBytes(n) = 8 n^2 more bytes of WASM memory. Used by Batch-OMP.
   * `fn`: the public function to name when the memory limit refuses it.
   */
  gramPtr(fn = 'Operator.gramPtr'): number {
    this.check();
    if (this.structured) throw new TypeError(`${fn}: the Gram matrix needs a dense A: expected a dense Operator, received a ${this.kind} operator (solve without precompute)`);
    if (this._gram === 0) {
      checkMemory(fn, `the Gram matrix A^T A (${this.n} x ${this.n})`, { G: gramBytes(this.n) }, `n = ${this.n}`);
      const g = alloc(gramBytes(this.n));
      wasm().gram(this._ptr, this.m, this.n, g);
      this._gram = g;
      this.held.push(g);
    }
    return this._gram;
  }

  /** @internal Installs a Gram matrix computed elsewhere (the worker pool): copies `G` (n x n) into WASM memory. */
  setGram(G: Float64Array): void {
    this.check();
    if (G.length !== this.n * this.n) throw new RangeError(`Operator.setGram: G must have length n*n = ${this.n * this.n}, received ${G.length}`);
    if (this._gram === 0) {
      checkMemory('Operator.setGram', `the Gram matrix A^T A (${this.n} x ${this.n})`, { G: gramBytes(this.n) }, `n = ${this.n}`);
      const g = alloc(gramBytes(this.n));
      this._gram = g;
      this.held.push(g);
    }
    writeF64(this._gram, G);
  }

  /**
   * @internal Takes ownership of a Gram matrix built elsewhere in WASM memory
   * (the worker pool: `ptr`, a block from alloc() holding all n x n entries);
   * any Gram matrix held before is freed. The block is freed with the operator.
   */
  adoptGram(ptr: number): void {
    this.check();
    this.disposeGram();
    this._gram = ptr;
    this.held.push(ptr);
  }

  /**
   * @internal The scaled f32 copy of A that OMP's screen reads (assembly/screen.ts),
   * made on first use (one pass over A, 4 m n bytes, see screenCopyBytes) and
   * kept until dispose(); null where OMP never screens this shape (the
   * scalar build, m < 4, a copy above 256 MiB, or A out of the screen's
   * range of scales) or the memory limit leaves no room for it.
   */
  screenCopy(): { ptr: number; exp: number } | null {
    this.check();
    if (!this._a32tried && !this.structured) {
      this._a32tried = true;
      const bytes = screenCopyBytes(this.m, this.n);
      if (bytes > availableBytes()) return null;
      const p = alloc(bytes);
      const e = wasm().ompScreenCopy(this._ptr, this.m, this.n, this._norms, p);
      if (e === NO_SCREEN) free(p);
      else {
        this._a32 = p;
        this._a32exp = e;
        this.held.push(p);
      }
    }
    return this._a32 === 0 ? null : { ptr: this._a32, exp: this._a32exp };
  }

  /** Bytes of WASM memory this operator holds now: A and its norms (operatorBytes), and the f32 copy and the Gram matrix once made. */
  get bytes(): number {
    if (this._ptr === 0) return 0;
    return this.ownBytes() + (this._a32 ? screenCopyBytes(this.m, this.n) : 0) + (this._gram ? gramBytes(this.n) : 0);
  }

  /** @internal Bytes of A's own blocks (dense: operatorBytes). */
  protected ownBytes(): number {
    return operatorBytes(this.m, this.n);
  }

  /** @internal What a subclass frees besides its blocks (structured.ts: its transform); dense: nothing. */
  protected release(): void { /* dense: nothing */ }

  /** Frees the Gram matrix only (it is recomputed when needed again). */
  disposeGram(): void {
    if (this._gram === 0) return;
    free(this._gram);
    this.held.splice(this.held.indexOf(this._gram), 1);
    this._gram = 0;
  }

  /** Frees the WASM memory (A, its norms, and the f32 copy and the Gram matrix if made). Idempotent. */
  dispose(): void {
    if (this._ptr === 0) return;
    this.release();
    registry?.unregister(this.token);
    for (const p of this.held) free(p);
    this.held.length = 0;
    this._ptr = 0;
    this._norms = 0;
    this._gram = 0;
    this._a32 = 0;
  }
}

/** Bytes the Gram matrix A^T A of an n-column operator occupies in WASM memory (8 n^2). */
export function gramBytes(n: number): number {
  return 8 * n * n;
}

/** Bytes of the f32 copy of A an operator keeps for OMP's screen once it has served an OMP solve (4 m n, 16-byte rounded). */
export function screenCopyBytes(m: number, n: number): number {
  return Math.ceil((4 * m * n) / 16) * 16;
}

/** assembly/screen.ts NO_SCREEN: ompScreenCopy's answer when OMP cannot screen this A. */
const NO_SCREEN = 0x7fffffff;

/** Bytes an Operator of an m x n matrix occupies in WASM memory when made (without the f32 copy and the Gram matrix, see screenCopyBytes and gramBytes). */
export function operatorBytes(m: number, n: number): number {
  return 8 * (m * n + n);
}

/** @internal operatorBytes by buffer, for memory checks and their messages. */
export function operatorParts(m: number, n: number): Record<string, number> {
  return { 'A copy': 8 * m * n, 'column norms': 8 * n };
}


/** The kinds of structured operators. */
export type StructuredKind = 'partialDct' | 'convolution' | 'normalized' | 'functions';

/**
 * A structured operator as plain data (what a worker needs to rebuild it):
 * see Operator.prototype.spec and operatorFromSpec. Functions cannot be
 * described this way.
 */
export type StructuredSpec =
  | { kind: 'partialDct'; n: number; rows: number[]; scale: boolean }
  | { kind: 'convolution'; n: number; h: number[]; mode: 'full' | 'same' | 'circular'; method: 'fft' | 'direct' }
  | { kind: 'normalized'; inner: StructuredSpec | { kind: 'dense'; m: number; n: number; data: Float64Array } };

/** Rebuilds an operator from its spec (a dense inner matrix is copied in). */
export function operatorFromSpec(spec: StructuredSpec): Operator {
  if (spec.kind === 'partialDct') return Operator.partialDct(spec.n, spec.rows, { scale: spec.scale });
  if (spec.kind === 'convolution') return Operator.convolution(spec.h, spec.n, { mode: spec.mode, method: spec.method });
  const inner = spec.inner.kind === 'dense' ? Operator.dense(new Matrix(spec.inner.m, spec.inner.n, spec.inner.data)) : operatorFromSpec(spec.inner);
  const op = Operator.normalized(inner);
  (op as StructuredOperator).adopt(inner);
  return op;
}

/** A user's operator for Operator.fromFunctions. */
export interface FunctionsOperator {
  /** Rows (integer >= 1). */
  m: number;
  /** Columns (integer >= 1). */
  n: number;
  /** A x for x of length n: m finite numbers. */
  apply(x: Float64Array): ArrayLike<number>;
  /** A^T r for r of length m: n finite numbers. */
  adjoint(r: Float64Array): ArrayLike<number>;
  /** Column j of A: m finite numbers. Default: apply(e_j). */
  column?(j: number): ArrayLike<number>;
}

/**
 * Largest |log2| of a convolution tap accepted: the solvers rescale a dense A
 * whose entries leave [2^-SAFE_EXP, 2^SAFE_EXP] by a power of two, which a
 * structured operator cannot do, so its entries must already lie in a range
 * where products of entries and residuals neither overflow nor lose all
 * precision (matrix.ts SAFE_EXP is the same 2^400 margin).
 */
export const STRUCTURED_SAFE_EXP = 400;

/**
 * The Matrix face of a structured operator (Operator.matrix): its shape, its
 * column norms and spectral norm (the operator's, computed in WASM), unit
 * scale (structured operators are not rescaled: scaleExponent() is 0), and
 * its entries, assembled from the operator's columns on first use of `data`.
 */
export class OperatorMatrix extends Matrix {
  private dense: Matrix | null = null;
  /** @internal The structured operator this matrix is the face of (the worker pool sends its spec). */
  readonly operatorOf: Operator;

  constructor(private readonly op: Operator) {
    super(op.m, op.n, SHELL);
    this.operatorOf = op;
    Object.defineProperty(this, 'data', { get: () => this.entries().data, enumerable: true, configurable: false });
  }

  private entries(): Matrix {
    if (this.dense === null) this.dense = (this.op as StructuredOperator).assemble();
    return this.dense;
  }

  override colNorms(): Float64Array {
    return (this.op as StructuredOperator).colNorms();
  }

  /** The operator must be alive (its entries are checked where they are made, by the factories). */
  override checkIntact(fn: string, name: string): void {
    if (this.op.disposed) throw new TypeError(`${fn}: ${name} is the matrix of a disposed ${this.op.kind} operator: expected a live one, received one whose dispose() was called`);
  }

  override spectralNorm(): number {
    return this.op.spectralNorm();
  }

  override hasSpectralNorm(): boolean {
    return true;
  }

  override maxAbs(): number {
    // the largest column norm: an upper bound of max |a_ij|, and within a factor sqrt(m) of it; only the scale checks read it
    let mx = 0;
    for (const v of this.colNorms()) mx = Math.max(mx, v);
    return mx;
  }

  override scaleExponent(): number {
    return 0;
  }

  override scaled(): Matrix {
    return this;
  }
}

/** Largest m n for which a structured operator assembles its dense matrix (Matrix's own limit). */
const ASSEMBLE_MAX_ENTRIES = 2 ** 31 - 1;

/** One structured operator: its header and buffers in WASM memory (assembly/operator.ts), and what it applies. */
class StructuredOperator extends Operator {
  private readonly _kind: StructuredKind;
  private readonly transform: PartialDct | Convolution | null;
  private readonly inner: Operator | null;
  private readonly hostId: number;
  private readonly extraBytes: number;
  private _spectral: number | null = null;
  private owned: Operator | null = null;

  private constructor(kind: StructuredKind, m: number, n: number, handle: number, norms: number, held: number[], extraBytes: number,
                      transform: PartialDct | Convolution | null, inner: Operator | null, hostId: number) {
    super(m, n, null, handle, norms, held);
    this._kind = kind;
    this.transform = transform;
    this.inner = inner;
    this.hostId = hostId;
    this.extraBytes = extraBytes;
  }

  /** The header, column buffer, scratch, norms (and inverse norms) of an m x n operator, allocated together. */
  private static blocks(fn: string, m: number, n: number, normalized: boolean, what: string): { ptrs: number[]; bytes: number } {
    const parts: Record<string, number> = {
      'operator header': wasm().opHeaderBytes() >>> 0,
      'column buffer': 8 * m,
      'operator scratch': 8 * n,
      'column norms': 8 * n,
    };
    if (normalized) parts['inverse column norms'] = 8 * n;
    checkMemory(fn, what, parts, `m = ${m}, n = ${n}`);
    const ptrs: number[] = [];
    try {
      for (const b of Object.values(parts)) ptrs.push(alloc(Math.max(16, b)));
    } catch (e) {
      for (const p of ptrs) free(p);
      throw e;
    }
    return { ptrs, bytes: Object.values(parts).reduce((a, b) => a + Math.max(16, b), 0) };
  }

  /** An operator on a partial DCT or a convolution (it takes ownership of t). */
  static make(fn: string, t: PartialDct | Convolution): StructuredOperator {
    const { m, n } = t;
    let b: { ptrs: number[]; bytes: number };
    try {
      b = StructuredOperator.blocks(fn, m, n, false, `the operator (m = ${m}, n = ${n})`);
    } catch (e) {
      t.dispose();
      throw e;
    }
    const [h, col, xs, norms] = b.ptrs;
    const [plan, work, aux] = t.kernelBlocks();
    const handle = t instanceof PartialDct
      ? wasm().opInitPdct(h, plan, aux, m, n, t.scale, work, col, xs) >>> 0
      : wasm().opInitConv(h, plan, m, n, work, col, xs) >>> 0;
    wasm().opColNorms(handle, m, n, norms);
    return new StructuredOperator(t instanceof PartialDct ? 'partialDct' : 'convolution', m, n, handle, norms, b.ptrs, b.bytes + t.bytes, t, null, 0);
  }

  /** Operator.normalized. */
  static normalize(op: Operator): StructuredOperator {
    const { m, n } = op;
    const b = StructuredOperator.blocks('Operator.normalized', m, n, true, `the normalized operator (m = ${m}, n = ${n})`);
    const [h, col, xs, norms, inv] = b.ptrs;
    const handle = wasm().opInitNormalized(h, op.ptr, m, n, op.normsPtr, inv, col, xs) >>> 0;
    wasm().opColNorms(handle, m, n, norms);
    return new StructuredOperator('normalized', m, n, handle, norms, b.ptrs, b.bytes, null, op, 0);
  }

  /** Operator.fromFunctions. */
  static functions(spec: FunctionsOperator): StructuredOperator {
    const fn = 'Operator.fromFunctions';
    if (spec === null || typeof spec !== 'object') throw new TypeError(`${fn}: spec must be an object { m, n, apply, adjoint, column? }, received ${describe(spec)}`);
    const m = checkInt(fn, 'm', spec.m, 1, 2 ** 28);
    const n = checkInt(fn, 'n', spec.n, 1, 2 ** 28);
    for (const name of ['apply', 'adjoint'] as const) {
      if (typeof spec[name] !== 'function') throw new TypeError(`${fn}: ${name} must be a function, received ${describe(spec[name])}`);
    }
    if (spec.column !== undefined && typeof spec.column !== 'function') throw new TypeError(`${fn}: column must be a function or undefined, received ${describe(spec.column)}`);
    const { apply, adjoint, column } = spec;
    const unit = new Float64Array(n);
    const check = (name: string, v: unknown, len: number): ArrayLike<number> => {
      if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) throw new TypeError(`${fn}: ${name} must return an array of ${len} numbers, received ${describe(v)}`);
      const a = v as ArrayLike<unknown>;
      if (a.length !== len) throw new RangeError(`${fn}: ${name} must return ${len} numbers, received length ${a.length}`);
      for (let i = 0; i < len; i++) {
        if (typeof a[i] !== 'number' || !Number.isFinite(a[i] as number)) throw new RangeError(`${fn}: ${name} must return finite numbers, received ${describe(a[i])} at index ${i}`);
      }
      return a as ArrayLike<number>;
    };
    const host = {
      m, n,
      run(what: number, inp: Float64Array | number, out: Float64Array): void {
        if (what === 0) out.set(check('apply', apply(inp as Float64Array), m));
        else if (what === 1) out.set(check('adjoint', adjoint(inp as Float64Array), n));
        else {
          const j = inp as number;
          if (column) out.set(check('column', column(j), m));
          else {
            unit[j] = 1;
            try { out.set(check('apply', apply(unit.slice()), m)); } finally { unit[j] = 0; }
          }
        }
      },
    };
    const id = registerHostOperator(host);
    let b: { ptrs: number[]; bytes: number };
    try {
      b = StructuredOperator.blocks(fn, m, n, false, `the operator (m = ${m}, n = ${n})`);
    } catch (e) {
      unregisterHostOperator(id);
      throw e;
    }
    const [h, col, xs, norms] = b.ptrs;
    const handle = wasm().opInitHost(h, id, m, n, col, xs) >>> 0;
    try {
      wasm().opColNorms(handle, m, n, norms);
    } catch (e) {
      for (const p of b.ptrs) free(p);
      unregisterHostOperator(id);
      throw e;
    }
    return new StructuredOperator('functions', m, n, handle, norms, b.ptrs, b.bytes, null, null, id);
  }

  override get kind(): StructuredKind {
    return this._kind;
  }

  /** The operator as plain data (operatorFromSpec rebuilds it), or null for Operator.fromFunctions. */
  override spec(): StructuredSpec | null {
    this.check();
    const t = this.transform;
    if (t instanceof PartialDct) return { kind: 'partialDct', n: t.n, rows: Array.from(t.rows), scale: t.scale !== 1 };
    if (t instanceof Convolution) return { kind: 'convolution', n: t.n, h: Array.from(t.h), mode: t.mode, method: t.method };
    if (this.inner) {
      const inner = this.inner instanceof StructuredOperator ? this.inner.spec() : { kind: 'dense' as const, m: this.inner.m, n: this.inner.n, data: this.inner.matrix.data };
      return inner === null ? null : { kind: 'normalized', inner };
    }
    return null;
  }

  /** @internal This operator disposes `op` with itself (operatorFromSpec's inner operator). */
  adopt(op: Operator): void {
    this.owned = op;
  }

  protected override check(): void {
    super.check();
    // the whole chain: a normalized operator may wrap a normalized one whose own inner operator was disposed
    let inner = this.inner;
    while (inner !== null && !inner.disposed) inner = inner instanceof StructuredOperator ? inner.inner : null;
    if (inner?.disposed) throw new TypeError('Operator.normalized: the operator it wraps is disposed: expected it alive while the normalized one is used, received one whose dispose() was called');
  }

  protected override structuredSpectralNorm(): number {
    if (this._spectral === null) {
      const { m, n } = this;
      this._spectral = runKernel({ fn: 'Operator.spectralNorm', what: `the operator (m = ${m}, n = ${n})`, received: `m = ${m}, n = ${n}`, bufs: { v: { out: n }, u: { out: m } } },
        ({ ptr }) => wasm().opSpectralNorm(this.ptr, m, n, POWER_MAXITER, POWER_RTOL, ptr.v, ptr.u));
    }
    return this._spectral;
  }

  /** @internal The dense matrix, assembled column by column (OperatorMatrix's entries). */
  assemble(): Matrix {
    this.check();
    const { m, n } = this;
    const fn = `Operator.${this._kind}`;
    if (m * n > ASSEMBLE_MAX_ENTRIES) {
      throw new RangeError(`${fn}: its dense matrix (for backend 'js', or a dense-only path) must have at most 2^31 - 1 entries, received m x n = ${m} x ${n}; use backend 'wasm', which applies the operator without it`);
    }
    const data = new Float64Array(m * n);
    runKernel({ fn, what: 'a column', received: `m = ${m}`, bufs: { out: { out: m } } }, (io) => {
      for (let j = 0; j < n; j++) {
        wasm().opColumnInto(this.ptr, m, j, io.ptr.out);
        data.set(io.view('out'), j * m);
      }
    });
    return new Matrix(m, n, data);
  }

  protected override ownBytes(): number {
    return this.extraBytes + (this.owned?.bytes ?? 0);
  }

  protected override release(): void {
    this.transform?.dispose();
    this.owned?.dispose();
    if (this.hostId) unregisterHostOperator(this.hostId);
  }
}

// Resident operators: a matrix copied into WASM memory once, for many solves.
import { Matrix, MatrixLike, toMatrix, POWER_MAXITER, POWER_RTOL } from './matrix.js';
import { alloc, allocF64, checkMemory, free, wasm, writeF64 } from './wasm.js';
import { runKernel } from './marshal.js';

const registry = typeof FinalizationRegistry !== 'undefined'
  ? new FinalizationRegistry<number[]>((ptrs) => { for (const p of ptrs) { try { free(p); } catch { /* module gone */ } } })
  : null;

/**
 * A dense matrix resident in WASM memory (A and its column norms), made with
 * `Operator.dense(A)` or `A.toWasm()`. Pass it to any solver instead of the
 * Matrix to skip the per-call copy of A. Lifetime: until `dispose()` (or,
 * as a safety net, until it is garbage-collected); using it afterwards
 * throws. The Matrix it was made from must not change while it lives.
 */
export class Operator {
  /** Rows of A. */
  readonly m: number;
  /** Columns of A. */
  readonly n: number;
  /** The matrix this operator holds (used by the JS backend and for metadata). */
  readonly matrix: Matrix;
  private _ptr: number;
  private _norms: number;
  private _gram = 0;
  /** Every WASM block this operator owns (shared with the finalizer, which frees them all). */
  private readonly held: number[];
  private readonly token = {};

  private constructor(matrix: Matrix) {
    this.matrix = matrix;
    this.m = matrix.m;
    this.n = matrix.n;
    this._ptr = allocF64(matrix.data);
    try {
      this._norms = allocF64(matrix.colNorms());
    } catch (e) {
      free(this._ptr);
      throw e;
    }
    this.held = [this._ptr, this._norms];
    registry?.register(this, this.held, this.token);
  }

  /**
   * Copies A (m x n) into WASM memory (8 (m n + n) bytes, see operatorBytes).
   * Requires `await init()`. A matrix that does not fit in the memory limit
   * (4 GiB, or setMemoryLimit) is refused with a RangeError saying how many
   * bytes it needs, before anything is allocated.
   */
  static dense(A: MatrixLike): Operator {
    const M = toMatrix('Operator.dense', 'A', A);
    checkMemory('Operator.dense', `A (${M.m} x ${M.n})`, operatorParts(M.m, M.n), `m = ${M.m}, n = ${M.n}`);
    return new Operator(M);
  }

  /** True after dispose(). */
  get disposed(): boolean {
    return this._ptr === 0;
  }

  private check(): void {
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
    // outside the safe range of scales (Matrix.scaled) the WASM iteration would overflow: the matrix computes it on A / 2^e
    if (!this.matrix.hasSpectralNorm() && this.matrix.scaleExponent() === 0) {
      const { m, n } = this;
      const s = runKernel({ fn: 'Operator.spectralNorm', what: `A (${m} x ${n})`, received: `m = ${m}, n = ${n}`, bufs: { v: { out: n }, u: { out: m } } },
        ({ ptr }) => wasm().spectralNorm(this.ptr, m, n, POWER_MAXITER, POWER_RTOL, ptr.v, ptr.u));
      this.matrix.setSpectralNorm(s);
    }
    return this.matrix.spectralNorm();
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

  /** Frees the Gram matrix only (it is recomputed when needed again). */
  disposeGram(): void {
    if (this._gram === 0) return;
    free(this._gram);
    this.held.splice(this.held.indexOf(this._gram), 1);
    this._gram = 0;
  }

  /** Frees the WASM memory (A, its norms and the Gram matrix if any). Idempotent. */
  dispose(): void {
    if (this._ptr === 0) return;
    registry?.unregister(this.token);
    for (const p of this.held) free(p);
    this.held.length = 0;
    this._ptr = 0;
    this._norms = 0;
    this._gram = 0;
  }
}

/** Bytes the Gram matrix A^T A of an n-column operator occupies in WASM memory (8 n^2). */
export function gramBytes(n: number): number {
  return 8 * n * n;
}

/** Bytes an Operator of an m x n matrix occupies in WASM memory (without its Gram matrix, see gramBytes). */
export function operatorBytes(m: number, n: number): number {
  return 8 * (m * n + n);
}

/** @internal operatorBytes by buffer, for memory checks and their messages. */
export function operatorParts(m: number, n: number): Record<string, number> {
  return { 'A copy': 8 * m * n, 'column norms': 8 * n };
}


// Resident operators: a matrix copied into WASM memory once, for many solves.
import { Matrix, MatrixLike, toMatrix, POWER_MAXITER, POWER_RTOL } from './matrix.js';
import { alloc, allocF64, availableBytes, checkMemory, free, wasm, writeF64 } from './wasm.js';
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
    if (!this._a32tried) {
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
    return operatorBytes(this.m, this.n) + (this._a32 ? screenCopyBytes(this.m, this.n) : 0) + (this._gram ? gramBytes(this.n) : 0);
  }

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


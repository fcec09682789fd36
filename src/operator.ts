// Resident operators: a matrix copied into WASM memory once, for many solves.
import { Matrix, MatrixLike, toMatrix, POWER_MAXITER, POWER_RTOL } from './matrix.js';
import { allocF64, checkMemory, free, wasm, scratch } from './wasm.js';

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
    registry?.register(this, [this._ptr, this._norms], this.token);
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
      const ws = scratch((m + n) * 8 + 32);
      const v = ws;
      const u = ws + Math.ceil((n * 8) / 16) * 16;
      this.matrix.setSpectralNorm(wasm().spectralNorm(this.ptr, m, n, POWER_MAXITER, POWER_RTOL, v, u));
    }
    return this.matrix.spectralNorm();
  }

  /** Frees the WASM memory. Idempotent. */
  dispose(): void {
    if (this._ptr === 0) return;
    registry?.unregister(this.token);
    free(this._ptr);
    free(this._norms);
    this._ptr = 0;
    this._norms = 0;
  }
}

/** Bytes an Operator of an m x n matrix occupies in WASM memory. */
export function operatorBytes(m: number, n: number): number {
  return 8 * (m * n + n);
}

/** @internal operatorBytes by buffer, for memory checks and their messages. */
export function operatorParts(m: number, n: number): Record<string, number> {
  return { 'A copy': 8 * m * n, 'column norms': 8 * n };
}


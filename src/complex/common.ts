// Argument checks, the WASM call and the JS backend's dense matrix, shared by
// the complex solvers' facades (solve.ts, pursuit.ts, swap.ts).
import { describe } from '../core/errors.js';
import { INFO_ITERATIONS, INFO_LEN, INFO_NNZ, INFO_RESIDUAL } from '../core/kernels.js';
import { runKernel, type Buf, type KernelIO } from '../core/marshal.js';
import type { ComplexMatrix } from '../js/complex/cmatrix.js';
import type { ComplexRawResult } from '../js/complex/omp.js';
import { fourierMatrix } from '../data/fourier.js';
import { PartialFourierOperator } from './operator.js';

/** An optional boolean option (false when undefined). */
export function checkBool(fn: string, name: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new TypeError(`${fn}: ${name} must be true or false, received ${describe(v)}`);
  return v;
}

/** True when every entry is finite (the fast scan; checkComplexVector then names the entry at fault). */
export function allFinite(v: Float64Array): boolean {
  for (let t = 0; t < v.length; t++) if (!(v[t] - v[t] === 0)) return false;
  return true;
}

/** n finite doubles (a real vector, with realX). */
export function checkRealVector(fn: string, name: string, v: unknown, n: number): Float64Array {
  if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) {
    throw new TypeError(`${fn}: ${name} must be a Float64Array or number[] of ${n} numbers (real, with realX), received ${describe(v)}`);
  }
  const a = v as ArrayLike<unknown>;
  if (a.length !== n) throw new RangeError(`${fn}: ${name} must have length ${n} (n real values, with realX), received length ${a.length}`);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const e = a[j];
    if (typeof e !== 'number') throw new TypeError(`${fn}: ${name}[${j}] must be a number, received ${describe(e)}`);
    if (!Number.isFinite(e)) throw new RangeError(`${fn}: ${name}[${j}] must be finite, received ${e}`);
    out[j] = e;
  }
  return out;
}

/** Largest m n of a partial Fourier operator the JS backend assembles (fourierMatrix's limit). */
const ASSEMBLE_MAX_ENTRIES = 2 ** 26;

const denseCache = new WeakMap<PartialFourierOperator, ComplexMatrix>();

/**
 * The dense matrix of a partial Fourier operator for the JS twins:
 * fourierMatrix(n, rows, { scale: false }) times the scale (entry for entry
 * the products fourierMatrix itself forms), assembled once per operator.
 */
export function denseOf(fn: string, op: PartialFourierOperator): ComplexMatrix {
  const hit = denseCache.get(op);
  if (hit) return hit;
  const { m, n } = op;
  if (m * n > ASSEMBLE_MAX_ENTRIES || n > 2 ** 20) {
    throw new RangeError(`${fn}: backend 'js' runs on the dense matrix of A, which must have n <= 2^20 and m*n <= 2^26 entries, received m x n = ${m} x ${n}; use backend 'wasm', which applies the operator by the FFT`);
  }
  const D = fourierMatrix(n, op.rows, { scale: false });
  const s = op.scale;
  if (s !== 1) for (let t = 0; t < D.data.length; t++) D.data[t] *= s;
  denseCache.set(op, D);
  return D;
}

/** What runComplexKernel needs of a checked complex problem. */
export interface ComplexKernelProblem {
  fn: string;
  A: ComplexMatrix | PartialFourierOperator;
  k: number;
  y: Float64Array;
  x0: Float64Array | null;
  realX: boolean;
}

/** The buffers of a complex solver call, in layout order. */
type ComplexBufs = { A: Buf; norms: Buf; y: Buf; x0: Buf; x: Buf; support: Buf; info: Buf; extra: Buf; ws: Buf };

/**
 * Runs a complex solver kernel (the common complex ABI: A, m, n, norms, y, k,
 * ..., x0, x, support, info, ws, realX[, more]) through the marshaller: a
 * dense A and its column norms are copied in for the call, a partial Fourier
 * operator is used where it lives. `call` makes the kernel call from the
 * handle `a`, the norms `nm` and the buffer addresses; `extraLen` f64 values
 * are laid out for an extra output (0: none); `more` reads what a solver
 * returns beyond x, support, residual, iterations and status.
 */
export function runComplexKernel<R extends ComplexRawResult>(p: ComplexKernelProblem, wsBytes: number, extraLen: number,
  call: (a: number, nm: number, ptr: KernelIO<ComplexBufs>['ptr']) => number,
  more?: (io: KernelIO<ComplexBufs>, info: Float64Array, r: R) => void): R {
  const { A, k } = p;
  const { m, n } = A;
  const op = A instanceof PartialFourierOperator ? A : null;
  return runKernel({
    fn: p.fn,
    what: `complex A (${m} x ${n}) with k = ${k}`,
    received: `m = ${m}, n = ${n}, k = ${k}`,
    label: op ? 'vectors and workspace' : 'complex A, vectors and workspace',
    bufs: {
      A: { f64: op ? null : (A as ComplexMatrix).data },
      norms: { f64: op ? null : A.colNorms() },
      y: { f64: p.y },
      x0: { f64: p.x0 },
      x: { out: 2 * n },
      support: { outI32: k },
      info: { out: INFO_LEN },
      extra: extraLen > 0 ? { out: extraLen } : null,
      ws: { bytes: wsBytes },
    } as ComplexBufs,
  }, (io) => {
    const { ptr } = io;
    const code = call(op ? op.ptr : ptr.A, op ? op.normsPtr : ptr.norms, ptr);
    const info = io.f64('info');
    const r = {
      x: io.f64('x', p.realX ? n : 2 * n),
      support: io.i32('support', info[INFO_NNZ]),
      residualNorm: info[INFO_RESIDUAL],
      iterations: info[INFO_ITERATIONS],
      status: io.status(code),
    } as R;
    more?.(io, info, r);
    return r;
  });
}

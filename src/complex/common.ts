// Argument checks and the JS backend's dense matrix, shared by the complex
// solvers' facades (solve.ts, pursuit.ts, swap.ts).
import { describe } from '../core/errors.js';
import type { ComplexMatrix } from '../js/complex/cmatrix.js';
import { fourierMatrix } from '../data/fourier.js';
import type { PartialFourierOperator } from './operator.js';

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

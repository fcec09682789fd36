// Supports and least squares on them, for the JS twins of the support-based
// solvers (IHT, NIHT, HTP, CoSaMP, SP). Same rules as assembly/solvers/sets.ts
// and assembly/solvers/lsfit.ts, written independently.
import type { Matrix } from '../core/matrix.js';
import { HouseholderQR } from './qr.js';

/** r = y - sum over j in set of x[j] a_j (column by column, in set order). */
export function residualOn(A: Matrix, y: Float64Array, x: Float64Array, set: ArrayLike<number>, r: Float64Array): void {
  const { m, data } = A;
  r.set(y);
  for (let i = 0; i < set.length; i++) {
    const j = set[i];
    const xj = x[j];
    if (xj === 0) continue;
    const off = j * m;
    for (let t = 0; t < m; t++) r[t] -= xj * data[off + t];
  }
}

/** r = y - A x for a dense x. */
export function residualDense(A: Matrix, y: Float64Array, x: Float64Array): Float64Array {
  const all = Int32Array.from({ length: A.n }, (_, j) => j);
  const r = new Float64Array(A.m);
  residualOn(A, y, x, all, r);
  return r;
}

/**
 * Least squares on the columns of `set` in that order; a column the QR finds
 * linearly dependent on those before it is skipped (coefficient 0).
 * Returns coef (coef[i] for set[i]) and the number of skipped columns.
 */
export function lsOnSet(A: Matrix, y: Float64Array, set: ArrayLike<number>): { coef: Float64Array; skipped: number } {
  const norms = A.colNorms();
  const qr = new HouseholderQR(A.m, Math.max(1, set.length), y);
  const kept: number[] = [];
  for (let i = 0; i < set.length; i++) {
    if (qr.append(A.column(set[i]), norms[set[i]]) === 'ok') kept.push(i);
  }
  const z = qr.solve();
  const coef = new Float64Array(set.length);
  kept.forEach((p, i) => (coef[p] = z[i]));
  return { coef, skipped: set.length - kept.length };
}

/** Same indices in the same (ascending) order. */
export function sameSet(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** a ∪ b, ascending, no duplicates. */
export function union(a: ArrayLike<number>, b: ArrayLike<number>): Int32Array {
  const s = new Set<number>();
  for (let i = 0; i < a.length; i++) s.add(a[i]);
  for (let i = 0; i < b.length; i++) s.add(b[i]);
  return Int32Array.from(s).sort();
}

/** The entries of set whose x value is nonzero (order kept). */
export function nonzeroOf(x: Float64Array, set: ArrayLike<number>): Int32Array {
  return Int32Array.from(Array.from(set).filter((j) => x[j] !== 0));
}

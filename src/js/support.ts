// Supports and least squares on them, for the JS twins of the support-based
// solvers (IHT, NIHT, HTP, CoSaMP, SP). Same rules as assembly/solvers/sets.ts
// and assembly/solvers/lsfit.ts, written independently.
import type { Matrix } from '../core/matrix.js';
import type { RawResult } from '../core/types.js';
import { norm2 } from './linalg.js';
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

/**
 * The named options every JS twin takes (the solver facade passes its checked
 * Problem, which has these fields): sparsity k, relative residual tolerance,
 * iteration cap and warm start (null: zero).
 */
export interface TwinOptions {
  k: number;
  tol: number;
  maxIter: number;
  x0?: Float64Array | null;
}

/**
 * The start every solver shares (assembly/solvers/common.ts `begin`): ||y||,
 * and the result when the solve is over before it starts: y = 0 gives x = 0
 * ('converged'), an all-zero A with y != 0 gives x = 0 ('zeroMatrix').
 */
export function startSolve(A: Matrix, y: Float64Array): { ynorm: number; early: RawResult | null } {
  const ynorm = norm2(y);
  const empty = (residualNorm: number, status: RawResult['status']): RawResult =>
    ({ x: new Float64Array(A.n), support: new Int32Array(0), residualNorm, iterations: 0, status });
  if (ynorm === 0) return { ynorm, early: empty(0, 'converged') };
  if (!A.data.some((v) => v !== 0)) return { ynorm, early: empty(ynorm, 'zeroMatrix') };
  return { ynorm, early: null };
}

/**
 * The best iterate seen, x = 0 first on a cold start (the rule of
 * assembly/solvers/common.ts): offer() each iterate; finish() returns the
 * final one, or the best one when that beats it by more than SLACK ||y||,
 * with 'converged' / 'fixedPoint' turned 'stalled'.
 */
export class BestIterate {
  /** Residual rounding of one iterate relative to ||y||: assembly/solvers/common.ts BEST_SLACK. */
  static readonly SLACK = 1e-12;
  private r: number;
  private readonly slack: number;
  private x: Float64Array | null = null;
  private set: Int32Array = new Int32Array(0);

  /**
   * x = 0 is the first candidate on a cold start; on a warm start (x0 given) there is none.
   * `width`: doubles per index of x (1 real, 2 complex interleaved re/im).
   */
  constructor(ynorm: number, warm: boolean, private readonly width = 1) {
    this.r = warm ? Infinity : ynorm;
    this.slack = BestIterate.SLACK * ynorm;
  }

  offer(x: Float64Array, set: Int32Array, rnorm: number): void {
    if (!(rnorm < this.r)) return;
    this.r = rnorm;
    this.x = new Float64Array(x.length);
    const w = this.width;
    for (const j of set) for (let t = 0; t < w; t++) this.x[w * j + t] = x[w * j + t];
    this.set = Int32Array.from(set);
  }

  /** The iterate to return: the last one, or the best one seen when the last is worse (its 'converged' / 'fixedPoint' then 'stalled'). */
  choose(x: Float64Array, set: Int32Array, rnorm: number, status: RawResult['status']): { x: Float64Array; set: Int32Array; rnorm: number; status: RawResult['status'] } {
    if (this.r < rnorm - this.slack) {
      const st = status === 'converged' || status === 'fixedPoint' ? 'stalled' : status;
      return { x: this.x ?? new Float64Array(x.length), set: this.set, rnorm: this.r, status: st };
    }
    return { x, set, rnorm, status };
  }

  finish(x: Float64Array, set: Int32Array, rnorm: number, iterations: number, status: RawResult['status']): RawResult {
    const c = this.choose(x, set, rnorm, status);
    return { x: c.x, support: nonzeroOf(c.x, c.set), residualNorm: c.rnorm, iterations, status: c.status };
  }
}

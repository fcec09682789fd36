// What the complex support-based twins (HTP, SP, CoSaMP: htp.ts, sp.ts,
// cosamp.ts) share: least squares on a support, the proxy A^H r, supports of
// complex iterates, and the start and end of a solve. The rules of
// src/js/support.ts on complex data (interleaved re/im, see cmatrix.ts).
//
// realX: x is real. The fit is least squares over real coefficients,
// min_z ||[Re A_S; Im A_S] z - [Re y; Im y]||, by the real Householder QR of
// src/js/qr.ts on the stacked 2m x |S| system (as complex OMP's realX fit),
// and the proxy is Re(A^H r), the gradient of ||y - A x||^2 / 2 over real x
// (as complex IHT's realX step). Iterates are kept interleaved with zero
// imaginary parts and returned as n doubles.
import type { RawResult } from '../../core/types.js';
import { HouseholderQR } from '../qr.js';
import { cabs, cmatHVec, type ComplexMatrix } from './cmatrix.js';
import { cresidualOn } from './iht.js';
import { stack, type ComplexRawResult } from './omp.js';
import { ComplexHouseholderQR } from './qr.js';

/** The options of the complex pursuit twins (the facade passes its checked problem). */
export interface ComplexPursuitOptions {
  k: number;
  tol: number;
  maxIter: number;
  /** Warm start: 2n doubles interleaved, or n reals with realX; null: zero. */
  x0?: Float64Array | null;
  /** Real x (A, y complex): real least squares, proxy Re(A^H r), x returned as n doubles. Default false. */
  realX?: boolean;
}

/** A complex problem as the twins see it: A, y, and y stacked [Re y; Im y] for realX fits. */
export class ComplexFit {
  readonly ys: Float64Array | null;
  constructor(readonly A: ComplexMatrix, readonly y: Float64Array, readonly realX: boolean) {
    this.ys = realX ? stack(y, A.m) : null;
  }

  /**
   * Least squares on the columns of `set` in that order (complex, or real
   * coefficients with realX); a column the QR finds linearly dependent on
   * those before it is skipped (coefficient 0). coef: 2 |set| doubles,
   * interleaved (imaginary parts 0 with realX); skipped: how many.
   */
  onSet(set: ArrayLike<number>): { coef: Float64Array; skipped: number } {
    const { A, y } = this;
    const { m } = A;
    const norms = A.colNorms();
    const len = set.length;
    const kmax = Math.max(1, len);
    const kept: number[] = [];
    const coef = new Float64Array(2 * len);
    if (this.ys) {
      const qr = new HouseholderQR(2 * m, kmax, this.ys);
      for (let i = 0; i < len; i++) if (qr.append(stack(A.column(set[i]), m), norms[set[i]]) === 'ok') kept.push(i);
      const z = qr.solve();
      kept.forEach((p, i) => (coef[2 * p] = z[i]));
    } else {
      const qr = new ComplexHouseholderQR(m, kmax, y);
      for (let i = 0; i < len; i++) if (qr.append(A.column(set[i]), norms[set[i]]) === 'ok') kept.push(i);
      const z = qr.solve();
      kept.forEach((p, i) => {
        coef[2 * p] = z[2 * i];
        coef[2 * p + 1] = z[2 * i + 1];
      });
    }
    return { coef, skipped: len - kept.length };
  }

  /** g = A^H r (2n doubles), its imaginary parts zeroed with realX. */
  proxy(r: Float64Array, g: Float64Array): void {
    const { m, n, data } = this.A;
    cmatHVec(data, m, n, r, g);
    if (this.realX) for (let j = 0; j < n; j++) g[2 * j + 1] = 0;
  }

  /** r = y - sum over j in set of x_j a_j (column by column, in set order, zeros skipped). */
  residualOn(x: Float64Array, set: ArrayLike<number>, r: Float64Array): void {
    cresidualOn(this.A, this.y, x, set, r);
  }

  /** The start x: x0 (2n interleaved, or n reals with realX) or zero; 2n doubles. */
  start(x0: Float64Array | null): Float64Array {
    const n = this.A.n;
    const x = new Float64Array(2 * n);
    if (!x0) return x;
    if (this.realX) for (let j = 0; j < n; j++) x[2 * j] = x0[j];
    else x.set(x0);
    return x;
  }

  /** The result x: 2n interleaved, or its n real parts with realX. */
  out(x: Float64Array): Float64Array {
    if (!this.realX) return x;
    const n = this.A.n;
    const o = new Float64Array(n);
    for (let j = 0; j < n; j++) o[j] = x[2 * j];
    return o;
  }

  /**
   * The result when the solve is over before it starts (null otherwise):
   * y = 0 gives x = 0 ('converged'); an all-zero A with y != 0 gives x = 0
   * ('zeroMatrix'), as src/js/support.ts startSolve.
   */
  early(ynorm: number): ComplexRawResult | null {
    const n = this.A.n;
    const empty = (residualNorm: number, status: RawResult['status']): ComplexRawResult =>
      ({ x: new Float64Array(this.realX ? n : 2 * n), support: new Int32Array(0), residualNorm, iterations: 0, status });
    if (ynorm === 0) return empty(0, 'converged');
    if (this.A.colNorms().every((v) => v === 0)) return empty(ynorm, 'zeroMatrix');
    return null;
  }
}

/** x (2n doubles) zero except x_{set[i]} = coef_i (coef interleaved). */
export function cplace(n: number, set: ArrayLike<number>, coef: Float64Array): Float64Array {
  const x = new Float64Array(2 * n);
  for (let i = 0; i < set.length; i++) {
    x[2 * set[i]] = coef[2 * i];
    x[2 * set[i] + 1] = coef[2 * i + 1];
  }
  return x;
}

/** The entries of set whose complex x value is nonzero (either part; order kept). */
export function cnonzeroOf(x: Float64Array, set: ArrayLike<number>): Int32Array {
  return Int32Array.from(Array.from(set).filter((j) => x[2 * j] !== 0 || x[2 * j + 1] !== 0));
}

/** The moduli |v_j| of an interleaved vector (for top-k selection). */
export function cmoduli(v: Float64Array): Float64Array {
  const n = v.length >> 1;
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = cabs(v, j);
  return out;
}

// Complex OMP, JS twin. The rule of src/js/omp.ts on complex data:
// select argmax_j |a_j^H r| / ||a_j|| over the atoms not yet chosen, fit y by
// least squares on the support (complex Householder QR, one column at a
// time), stop at k atoms, at ||r|| <= tol ||y||, or when no correlation is
// left. Data are interleaved re/im, column-major (see cmatrix.ts).
//
// realX: x is known to be real (A and y complex, as in partial Fourier
// sampling of a real signal). Selection is unchanged; the fit is least
// squares over real coefficients, min_z ||[Re A_S; Im A_S] z - [Re y; Im y]||,
// by the real Householder QR of src/js/qr.ts on the stacked 2m x |S| system.
// The residual is then orthogonal to the chosen atoms only in its real
// correlation, so chosen atoms are excluded from selection explicitly.
import type { RawResult } from '../../core/types.js';
import { HouseholderQR } from '../qr.js';
import { selectionWeights } from '../select.js';
import type { TwinOptions } from '../support.js';
import { cabs, cmatHVec, cnorm2, type ComplexMatrix } from './cmatrix.js';
import { ComplexHouseholderQR as ComplexQR } from './qr.js';

/** See src/js/omp.ts CORR_TOL (sqrt of machine epsilon). */
const CORR_TOL = Math.sqrt(2 ** -52);

/** A complex solver's result: x interleaved (2n doubles), or n real doubles when realX. */
export interface ComplexRawResult extends Omit<RawResult, 'x'> {
  /** 2n doubles (interleaved re/im), or n doubles with `realX`. */
  x: Float64Array;
}

/** [re parts; im parts] of an interleaved vector of m complex values. */
export function stack(v: Float64Array, m: number): Float64Array {
  const out = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    out[i] = v[2 * i];
    out[m + i] = v[2 * i + 1];
  }
  return out;
}

/** Inverse of stack: interleaved from [re; im]. */
function unstack(s: Float64Array, m: number, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    out[2 * i] = s[i];
    out[2 * i + 1] = s[m + i];
  }
}

/** Index of the largest |c_j| / ||a_j|| among eligible atoms (ties: lowest index), -1 if none. */
function argmaxMod(c: Float64Array, invNorm: Float64Array, skip: Uint8Array): number {
  let best = -1;
  let bestVal = -1;
  for (let j = 0; j < invNorm.length; j++) {
    if (skip[j]) continue;
    const a = cabs(c, j) * invNorm[j];
    if (a > bestVal) {
      bestVal = a;
      best = j;
    }
  }
  return best;
}

/**
 * Complex OMP (JS). A m x n complex, y 2m doubles (interleaved), k atoms at
 * most, tol relative residual. Inputs are trusted (checked by the caller).
 */
export function complexOmpJs(A: ComplexMatrix, y: Float64Array, o: Pick<TwinOptions, 'k' | 'tol'> & { realX?: boolean }): ComplexRawResult {
  const { k, tol } = o;
  const { m, n, data } = A;
  const realX = o.realX === true;
  const norms = A.colNorms();
  const { invNorm, skip } = selectionWeights(norms);
  const cqr = realX ? null : new ComplexQR(m, k, y);
  const rqr = realX ? new HouseholderQR(2 * m, k, stack(y, m)) : null;
  const r = Float64Array.from(y);
  const rs = new Float64Array(2 * m);
  const c = new Float64Array(2 * n);
  const order: number[] = [];
  const ynorm = cnorm2(y);
  let rnorm = ynorm;
  let status: RawResult['status'] = 'converged';
  while (order.length < k) {
    if (rnorm <= tol * ynorm) break;
    cmatHVec(data, m, n, r, c);
    const j = argmaxMod(c, invNorm, skip);
    if (j < 0) break;
    if (cabs(c, j) * invNorm[j] <= CORR_TOL * ynorm) {
      if (rnorm > CORR_TOL * ynorm) status = 'premature';
      break;
    }
    const col = A.column(j);
    const ok = cqr ? cqr.append(col, norms[j]) : rqr!.append(stack(col, m), norms[j]);
    if (ok !== 'ok') {
      status = 'premature';
      break;
    }
    skip[j] = 1;
    order.push(j);
    rnorm = cqr ? cqr.residualNorm() : rqr!.residualNorm();
    if (order.length < k && rnorm > tol * ynorm) {
      if (cqr) cqr.residual(r);
      else {
        rqr!.residual(rs);
        unstack(rs, m, r);
      }
    }
  }
  const support = Int32Array.from(order).sort();
  if (rqr) {
    const z = rqr.solve();
    const x = new Float64Array(n);
    order.forEach((j, i) => (x[j] = z[i]));
    return { x, support, residualNorm: rnorm, iterations: order.length, status };
  }
  const z = cqr!.solve();
  const x = new Float64Array(2 * n);
  order.forEach((j, i) => {
    x[2 * j] = z[2 * i];
    x[2 * j + 1] = z[2 * i + 1];
  });
  return { x, support, residualNorm: rnorm, iterations: order.length, status };
}

// Complex SEA (Support Exploration Algorithm), JS twin of
// assembly/complex/sea.ts: the rules of src/js/sea.ts on complex data.
//
//   S_t = the k largest |X^t_i| (moduli; ties: lowest index)
//   x_t = argmin { ||A x - y|| : supp(x) in S_t }   (complex least squares; real with realX)
//   X^{t+1} = X^t + eta A^H (y - A x_t)             (Re(A^H r) with realX)
//   return the best iterate (smallest residual; x = 0 counts as seen)
//
// Start: X^0 = x0 when given and nonzero, else eta A^H y. Stops (converged)
// on ||r|| <= tol ||y||, on an exact fit (||r|| <= CORR_TOL ||y||), or when X
// can no longer move (max_j |c_j| / ||a_j|| <= CORR_TOL ||y||); 'diverged'
// when X overflows; else 'maxIter'. The least squares keep an updatable
// complex QR (./qrupdate.ts): atoms leaving are deleted (last position
// first), atoms entering appended in ascending order; a dependent one stays
// out of the fit and is tried again at the next iteration.
import type { RawResult } from '../../core/types.js';
import { CORR_TOL } from '../constants.js';
import { cmatHVec, cnorm2, type ComplexMatrix } from './cmatrix.js';
import { ctopK } from './iht.js';
import type { ComplexRawResult } from './omp.js';
import { cmod, ComplexUpdatableQR } from './qrupdate.js';

export interface ComplexSeaRaw extends ComplexRawResult {
  /** Index of the returned iterate. */
  bestIteration: number;
  /** ||y - A x_t|| of every iterate, when asked. */
  history?: Float64Array;
}

export interface ComplexSeaOptions {
  k: number;
  tol: number;
  maxIter: number;
  eta: number;
  realX?: boolean;
  /** X^0: 2n doubles (n with realX) or null. */
  x0?: Float64Array | null;
  history?: boolean;
}

/** x (2n, or n with realX) from atoms and complex coefficients z (2 cnt). */
export function cxOf(atoms: ArrayLike<number>, z: Float64Array, n: number, realX: boolean): Float64Array {
  const x = new Float64Array(realX ? n : 2 * n);
  for (let p = 0; p < atoms.length; p++) {
    const j = atoms[p];
    if (realX) x[j] = z[2 * p];
    else {
      x[2 * j] = z[2 * p];
      x[2 * j + 1] = z[2 * p + 1];
    }
  }
  return x;
}

/** c = A^H r, imaginary parts zeroed with realX. */
export function cgradient(A: ComplexMatrix, r: Float64Array, c: Float64Array, realX: boolean): void {
  cmatHVec(A.data, A.m, A.n, r, c);
  if (realX) for (let j = 0; j < A.n; j++) c[2 * j + 1] = 0;
}

export function complexSeaJs(A: ComplexMatrix, y: Float64Array, o: ComplexSeaOptions): ComplexSeaRaw {
  const { k, tol, maxIter, eta } = o;
  const realX = o.realX === true;
  const { m, n } = A;
  const ynorm = cnorm2(y);
  const norms = A.colNorms();
  const zero = (residualNorm: number, status: RawResult['status']): ComplexSeaRaw => ({
    x: new Float64Array(realX ? n : 2 * n), support: new Int32Array(0), residualNorm, iterations: 0, status, bestIteration: 0,
    history: o.history ? new Float64Array(0) : undefined,
  });
  if (ynorm === 0) return zero(0, 'converged');
  if (norms.every((v) => v === 0)) return zero(ynorm, 'zeroMatrix');
  const X = new Float64Array(2 * n);
  const c = new Float64Array(2 * n);
  const x0 = o.x0 ?? null;
  if (x0 && x0.some((v) => v !== 0)) {
    if (realX) for (let j = 0; j < n; j++) X[2 * j] = x0[j];
    else X.set(x0);
  } else {
    cgradient(A, y, c, realX);
    for (let t = 0; t < 2 * n; t++) X[t] = eta * c[t];
  }
  const history = o.history ? new Float64Array(maxIter) : undefined;
  const qr = new ComplexUpdatableQR(m, k, realX);
  const inS = new Uint8Array(n);
  let best = ynorm;
  let bestIt = -1;
  let bestAtoms: number[] = [];
  let bestZ: Float64Array = new Float64Array(0);
  let status: RawResult['status'] = 'maxIter';
  let it = 0;
  const finiteX = () => X.every(Number.isFinite);
  if (!finiteX()) status = 'diverged';
  while (status !== 'diverged' && it < maxIter) {
    const sup = ctopK(X, k);
    inS.fill(0);
    for (const j of sup) inS[j] = 1;
    for (let p = qr.t - 1; p >= 0; p--) if (!inS[qr.atoms[p]]) qr.remove(p);
    for (const j of sup) if (qr.position(j) < 0) qr.append(A.column(j), norms[j], j);
    const qty = qr.qty(y);
    const z = qr.solve(qty);
    const r = qr.residual(y, qty);
    const rnorm = cnorm2(r);
    if (history) history[it] = rnorm;
    if (rnorm < best) {
      best = rnorm;
      bestIt = it;
      bestAtoms = qr.atoms.slice();
      bestZ = z;
    }
    it++;
    if (rnorm <= tol * ynorm || rnorm <= CORR_TOL * ynorm) {
      status = 'converged';
      break;
    }
    cgradient(A, r, c, realX);
    let cmax = 0;
    for (let j = 0; j < n; j++) {
      if (norms[j] > 0) {
        const a = cmod(c[2 * j], c[2 * j + 1]);
        cmax = Math.max(cmax, a / norms[j]);
      }
    }
    if (cmax <= CORR_TOL * ynorm) {
      status = 'converged';
      break;
    }
    for (let t = 0; t < 2 * n; t++) X[t] += eta * c[t];
    if (!finiteX()) {
      status = 'diverged';
      break;
    }
  }
  if (bestIt < 0) best = ynorm;
  const x = cxOf(bestAtoms, bestZ, n, realX);
  const support = Int32Array.from(bestAtoms).sort();
  return { x, support, residualNorm: best, iterations: it, status, bestIteration: Math.max(bestIt, 0), history: history ? history.slice(0, it) : undefined };
}

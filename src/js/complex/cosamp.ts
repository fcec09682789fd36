// Complex CoSaMP, JS twin: the rules of src/js/pursuit.ts cosampJs on
// complex data. Merge the min(2k, m - |T|) entries of largest modulus of the
// proxy A^H r with the support T, least squares on the merged set, keep the
// k coefficients of largest modulus (not refitted), update the residual
// (realX: real fits, proxy Re(A^H r); see lsfit.ts). With every imaginary
// part zero (and realX false) each step is the real twin's.
import type { RawResult } from '../../core/types.js';
import { topK } from '../select.js';
import { BestIterate, sameSet, union } from '../support.js';
import { chardThreshold, ctopK } from './iht.js';
import { cnorm2, type ComplexMatrix } from './cmatrix.js';
import { ComplexFit, cmoduli, cnonzeroOf, type ComplexPursuitOptions } from './lsfit.js';
import type { ComplexRawResult } from './omp.js';

/** Complex CoSaMP (Needell & Tropp 2009); merged set capped at m columns. Inputs are trusted. */
export function complexCosampJs(A: ComplexMatrix, y: Float64Array, o: ComplexPursuitOptions): ComplexRawResult {
  const { k, tol, maxIter, x0 = null } = o;
  const { m, n } = A;
  const fit = new ComplexFit(A, y, o.realX === true);
  const ynorm = cnorm2(y);
  const early = fit.early(ynorm);
  if (early) return early;
  const best = new BestIterate(ynorm, x0 !== null, 2);
  let x = fit.start(x0);
  let T: Int32Array = new Int32Array(0);
  if (x0) T = cnonzeroOf(x, chardThreshold(x, k));
  const r = new Float64Array(2 * m);
  fit.residualOn(x, T, r);
  const g = new Float64Array(2 * n);
  let rnorm = cnorm2(r);
  best.offer(x, T, rnorm);
  let status: RawResult['status'] = 'maxIter';
  let it = 0;
  while (it < maxIter) {
    it++;
    fit.proxy(r, g);
    const L = Math.min(2 * k, m - T.length);
    const M = union(T, L > 0 ? ctopK(g, L) : []);
    const { coef, skipped } = fit.onSet(M);
    const keep = topK(cmoduli(coef), Math.min(k, M.length));
    const Tn = Int32Array.from(keep, (p) => M[p]);
    x = new Float64Array(2 * n);
    keep.forEach((p, i) => {
      x[2 * Tn[i]] = coef[2 * p];
      x[2 * Tn[i] + 1] = coef[2 * p + 1];
    });
    fit.residualOn(x, Tn, r);
    rnorm = cnorm2(r);
    const same = sameSet(Tn, T);
    T = Tn;
    best.offer(x, T, rnorm);
    if (rnorm <= tol * ynorm) { status = 'converged'; break; }
    if (skipped > 0) { status = 'premature'; break; }
    if (same) { status = 'converged'; break; }
  }
  const c = best.choose(x, T, rnorm, status);
  return { x: fit.out(c.x), support: cnonzeroOf(c.x, c.set), residualNorm: c.rnorm, iterations: it, status: c.status };
}

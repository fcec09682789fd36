// Complex Subspace Pursuit, JS twin: the rules of src/js/pursuit.ts spJs on
// complex data. Expand the support T with the min(k, m - |T|) entries of
// largest modulus of A^H r, fit, keep the k coefficients of largest modulus,
// fit again on them; accept while the residual norm decreases (realX: real
// fits, proxy Re(A^H r); see lsfit.ts). With every imaginary part zero (and
// realX false) each step is the real twin's.
import type { RawResult } from '../../core/types.js';
import { topK } from '../select.js';
import { union } from '../support.js';
import { chardThreshold, ctopK } from './iht.js';
import { cnorm2, type ComplexMatrix } from './cmatrix.js';
import { ComplexFit, cmoduli, cnonzeroOf, type ComplexPursuitOptions, cplace } from './lsfit.js';
import type { ComplexRawResult } from './omp.js';

/** Complex SP (Dai & Milenkovic 2009); expanded set capped at m columns. Inputs are trusted. */
export function complexSpJs(A: ComplexMatrix, y: Float64Array, o: ComplexPursuitOptions): ComplexRawResult {
  const { k, tol, maxIter, x0 = null } = o;
  const { m, n } = A;
  const fit = new ComplexFit(A, y, o.realX === true);
  const ynorm = cnorm2(y);
  const early = fit.early(ynorm);
  if (early) return early;
  const g = new Float64Array(2 * n);
  let T: Int32Array = new Int32Array(0);
  if (x0) {
    const u = fit.start(x0);
    T = cnonzeroOf(u, chardThreshold(u, k));
  }
  if (T.length === 0) {
    fit.proxy(y, g);
    T = ctopK(g, k);
  }
  const first = fit.onSet(T);
  let x = cplace(n, T, first.coef);
  let r = new Float64Array(2 * m);
  fit.residualOn(x, T, r);
  let rnorm = cnorm2(r);
  let status: RawResult['status'] = 'maxIter';
  let it = 0;
  if (rnorm <= tol * ynorm) status = 'converged';
  else if (first.skipped > 0) status = 'premature';
  else {
    while (it < maxIter) {
      it++;
      fit.proxy(r, g);
      const L = Math.min(k, m - T.length);
      const M = union(T, L > 0 ? ctopK(g, L) : []);
      const wide = fit.onSet(M);
      const keep = topK(cmoduli(wide.coef), Math.min(k, M.length));
      const Tn = Int32Array.from(keep, (p) => M[p]);
      const narrow = fit.onSet(Tn);
      const u = cplace(n, Tn, narrow.coef);
      const rn = new Float64Array(2 * m);
      fit.residualOn(u, Tn, rn);
      const rnn = cnorm2(rn);
      const better = rnn < rnorm;
      if (better) {
        x = u;
        r = rn;
        T = Tn;
        rnorm = rnn;
      }
      if (rnorm <= tol * ynorm) { status = 'converged'; break; }
      if (wide.skipped + narrow.skipped > 0) { status = 'premature'; break; }
      if (!better) { status = 'converged'; break; }
    }
  }
  return { x: fit.out(x), support: cnonzeroOf(x, T), residualNorm: rnorm, iterations: it, status };
}

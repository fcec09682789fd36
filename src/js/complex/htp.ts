// Complex Hard Thresholding Pursuit, JS twin: the rules of src/js/pursuit.ts
// htpJs on complex data. The support S is the k entries of largest modulus
// of x + mu A^H r (ties: lowest index); x is the least-squares fit on S
// (complex Householder QR; with realX, real least squares on the stacked
// system and the proxy along Re(A^H r): see lsfit.ts). With every imaginary
// part zero (and realX false) each step is the real twin's.
import type { RawResult } from '../../core/types.js';
import { BestIterate, sameSet } from '../support.js';
import { ctopK } from './iht.js';
import { cnorm2, type ComplexMatrix } from './cmatrix.js';
import { ComplexFit, cnonzeroOf, type ComplexPursuitOptions, cplace } from './lsfit.js';
import type { ComplexRawResult } from './omp.js';

/** Complex HTP (Foucart 2011). Stops on a repeated support or tol ('converged'), a dependent column ('premature'), or maxIter. Inputs are trusted. */
export function complexHtpJs(A: ComplexMatrix, y: Float64Array, o: ComplexPursuitOptions & { mu: number }): ComplexRawResult {
  const { k, tol, maxIter, mu, x0 = null } = o;
  const { m, n } = A;
  const fit = new ComplexFit(A, y, o.realX === true);
  const ynorm = cnorm2(y);
  const early = fit.early(ynorm);
  if (early) return early;
  const best = new BestIterate(ynorm, x0 !== null, 2);
  let x = fit.start(x0);
  const r = new Float64Array(2 * m);
  if (x0) fit.residualOn(x, Int32Array.from({ length: n }, (_, j) => j), r);
  else r.set(y);
  const g = new Float64Array(2 * n);
  let prev: Int32Array | null = null;
  let rnorm = cnorm2(r);
  let status: RawResult['status'] = 'maxIter';
  let it = 0;
  while (it < maxIter) {
    it++;
    fit.proxy(r, g);
    const u = new Float64Array(2 * n);
    for (let t = 0; t < 2 * n; t++) u[t] = x[t] + mu * g[t];
    const S = ctopK(u, k);
    if (prev !== null && sameSet(S, prev)) { status = 'converged'; break; }
    const { coef, skipped } = fit.onSet(S);
    x = cplace(n, S, coef);
    fit.residualOn(x, S, r);
    rnorm = cnorm2(r);
    prev = S;
    best.offer(x, prev, rnorm);
    if (rnorm <= tol * ynorm) { status = 'converged'; break; }
    if (skipped > 0) { status = 'premature'; break; }
  }
  const c = best.choose(x, prev!, rnorm, status);
  return { x: fit.out(c.x), support: cnonzeroOf(c.x, c.set), residualNorm: c.rnorm, iterations: it, status: c.status };
}

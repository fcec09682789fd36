// Complex FISTA for the LASSO, JS twin of assembly/complex/fista.ts: the
// rules of src/js/fista.ts on complex data.
//
//   min_x 1/2 ||A x - y||^2 + lambda sum_j |x_j|   (|x_j| the modulus)
//   x_t = S_{lambda/L}(z_t + A^H (y - A z_t) / L),  S_c(w)_j = w_j - c w_j / |w_j| when |w_j| > c, else 0
//   (that is w_j max(0, 1 - c / |w_j|); for a real w_j exactly the real rule w_j -/+ c),
//   t_{t+1} = (1 + sqrt(1 + 4 t_t^2)) / 2, z_{t+1} = x_t + ((t_t - 1) / t_{t+1}) (x_t - x_{t-1}).
//
// Duality gap with the complex dual: r = y - A x, theta = r min(1, lambda /
// ||A^H r||_inf) (so ||A^H theta||_inf <= lambda, moduli), D(theta) =
// 1/2 ||y||^2 - 1/2 ||y - theta||^2 = s Re(y^H r) - s^2 ||r||^2 / 2. Converged
// when the gap is <= tol ||y||^2 / 2, checked every FISTA_GAP_EVERY iterations
// and at the last.
//
// realX: x real; the gradient is Re(A^H r), lambda_max = ||Re(A^H y)||_inf and
// the dual constraint ||Re(A^H theta)||_inf <= lambda (the LASSO over real x).
// The step 1/L, L = FISTA_L_MARGIN sigma^2, with sigma = ||A||_2 given by the
// caller (complexSpectralNorm), the same number for both backends.
import type { RawResult } from '../../core/types.js';
import { FISTA_GAP_EVERY, FISTA_L_MARGIN } from '../fista.js';
import { cmatHVec, cmatVec, cnorm2, type ComplexMatrix } from './cmatrix.js';
import { cmod } from './qrupdate.js';
import type { ComplexRawResult } from './omp.js';

/** What complexFistaJs returns beyond a ComplexRawResult. */
export interface ComplexFistaRaw extends ComplexRawResult {
  lambda: number;
  dualityGap: number;
  objective: number;
}

export interface ComplexFistaOptions {
  tol: number;
  maxIter: number;
  /** lambda / lambda_max. */
  ratio: number;
  /** ||A||_2 (> 0 unless A = 0). */
  sigma: number;
  realX?: boolean;
  /** 2n doubles (n with realX) or null. */
  x0?: Float64Array | null;
}

/** max_j |g_j| (moduli). */
export function cmaxAbs(g: Float64Array): number {
  let s = 0;
  for (let j = 0; j < g.length >> 1; j++) s = Math.max(s, cmod(g[2 * j], g[2 * j + 1]));
  return s;
}

/** g = A^H r, imaginary parts zeroed with realX. */
function gradient(A: ComplexMatrix, r: Float64Array, g: Float64Array, realX: boolean): void {
  cmatHVec(A.data, A.m, A.n, r, g);
  if (realX) for (let j = 0; j < A.n; j++) g[2 * j + 1] = 0;
}

export function complexFistaJs(A: ComplexMatrix, y: Float64Array, o: ComplexFistaOptions): ComplexFistaRaw {
  const { tol, maxIter, ratio, sigma } = o;
  const realX = o.realX === true;
  const { m, n, data } = A;
  const ynorm = cnorm2(y);
  const g = new Float64Array(2 * n);
  gradient(A, y, g, realX);
  const lambda = ratio * cmaxAbs(g);
  const x = new Float64Array(2 * n);
  const out = (xs: Float64Array): Float64Array => {
    if (!realX) return xs;
    const v = new Float64Array(n);
    for (let j = 0; j < n; j++) v[j] = xs[2 * j];
    return v;
  };
  const early = (residualNorm: number, status: RawResult['status']): ComplexFistaRaw => ({
    x: out(x), support: new Int32Array(0), residualNorm, iterations: 0, status, lambda, dualityGap: 0, objective: 0.5 * ynorm * ynorm,
  });
  if (ynorm === 0) return early(0, 'converged');
  if (!(sigma > 0) || A.colNorms().every((v) => v === 0)) return early(ynorm, 'zeroMatrix');
  const invL = 1 / (FISTA_L_MARGIN * sigma * sigma);
  const thr = lambda * invL;
  if (o.x0) {
    if (realX) for (let j = 0; j < n; j++) x[2 * j] = o.x0[j];
    else x.set(o.x0);
  }
  const z = Float64Array.from(x);
  const xp = new Float64Array(2 * n);
  const r = new Float64Array(2 * m);
  const residualOf = (v: Float64Array): number => {
    cmatVec(data, m, n, v, r);
    for (let i = 0; i < 2 * m; i++) r[i] = y[i] - r[i];
    return cnorm2(r);
  };
  let t = 1;
  let status: RawResult['status'] = 'maxIter';
  let it = 0;
  let rn = 0;
  let gap = 0;
  let objective = 0.5 * ynorm * ynorm;
  const goal = tol * 0.5 * ynorm * ynorm;
  while (it < maxIter) {
    residualOf(z);
    gradient(A, r, g, realX);
    xp.set(x);
    for (let j = 0; j < n; j++) {
      const wr = z[2 * j] + invL * g[2 * j];
      const wi = z[2 * j + 1] + invL * g[2 * j + 1];
      const a = cmod(wr, wi);
      if (a > thr) {
        x[2 * j] = wr - thr * (wr / a);
        x[2 * j + 1] = wi - thr * (wi / a);
      } else {
        x[2 * j] = 0;
        x[2 * j + 1] = 0;
      }
    }
    const tn = 0.5 * (1 + Math.sqrt(1 + 4 * t * t));
    const beta = (t - 1) / tn;
    t = tn;
    for (let u = 0; u < 2 * n; u++) z[u] = x[u] + beta * (x[u] - xp[u]);
    it++;
    if (it % FISTA_GAP_EVERY === 0 || it === maxIter) {
      rn = residualOf(x);
      gradient(A, r, g, realX);
      const c = cmaxAbs(g);
      const s = c > lambda ? lambda / c : 1;
      let yr = 0;
      for (let i = 0; i < 2 * m; i += 2) yr += y[i] * r[i] + y[i + 1] * r[i + 1];
      let l1 = 0;
      for (let j = 0; j < n; j++) l1 += cmod(x[2 * j], x[2 * j + 1]);
      objective = 0.5 * rn * rn + lambda * l1;
      gap = Math.max(objective - (s * yr - 0.5 * s * s * rn * rn), 0);
      if (gap <= goal) { status = 'converged'; break; }
    }
  }
  const support: number[] = [];
  for (let j = 0; j < n; j++) if (x[2 * j] !== 0 || x[2 * j + 1] !== 0) support.push(j);
  return { x: out(x), support: Int32Array.from(support), residualNorm: rn, iterations: it, status, lambda, dualityGap: gap, objective };
}

// Batch-OMP (Gram form), JS backend. Same rule and stopping tests as
// assembly/solvers/batchomp.ts, written independently: plain loops, the
// Cholesky factor kept as an array of rows.
import type { Matrix } from '../core/matrix.js';
import type { RawResult } from '../core/types.js';
import { dot, matTVec, norm2 } from './linalg.js';
import { DEP_TOL } from './qr.js';
import { argmaxAbs, selectionWeights } from './select.js';
import { CORR_TOL } from './constants.js';
import { startSolve, TwinOptions } from './support.js';

/** See assembly/solvers/omp.ts: CORR_TOL. */
/** See assembly/solvers/batchomp.ts: RES_GUARD. */
const RES_GUARD = 2 ** -30;

/** G = A^T A (n x n, column-major, symmetric). */
export function gramJs(A: Matrix): Float64Array {
  const { m, n, data } = A;
  const G = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i <= j; i++) {
      const v = dot(data, i * m, data, j * m, m);
      G[i + j * n] = v;
      G[j + i * n] = v;
    }
  }
  return G;
}

/** ||y - sum_i z_i a_{S_i}||. */
function residualNorm(A: Matrix, y: Float64Array, S: number[], z: Float64Array): number {
  const r = Float64Array.from(y);
  const { m, data } = A;
  S.forEach((j, i) => {
    for (let q = 0; q < m; q++) r[q] -= z[i] * data[j * m + q];
  });
  return norm2(r);
}

/** OMP on one signal from the Gram matrix G = A^T A (see assembly/solvers/batchomp.ts). */
export function ompGramJs(A: Matrix, G: Float64Array, y: Float64Array, o: Pick<TwinOptions, 'k' | 'tol'>): RawResult {
  const { k, tol } = o;
  const { m, n, data } = A;
  const { ynorm, early } = startSolve(A, y);
  if (early) return early;
  const norms = A.colNorms();
  const { invNorm, skip } = selectionWeights(norms);
  const alpha0 = new Float64Array(n);
  matTVec(data, m, n, y, alpha0);
  const alpha = Float64Array.from(alpha0);
  const L: Float64Array[] = [];
  const S: number[] = [];
  const b: number[] = [];
  let z = new Float64Array(0);
  const y2 = ynorm * ynorm;
  const tolAbs = tol * ynorm;
  let rnorm = ynorm;
  let exact = true;
  let status: RawResult['status'] = 'converged';
  while (S.length < k) {
    if (rnorm <= tolAbs) break;
    const j = argmaxAbs(alpha, invNorm, skip);
    if (j < 0) break;
    if (Math.abs(alpha[j]) * invNorm[j] <= CORR_TOL * ynorm) {
      if (!exact) {
        rnorm = residualNorm(A, y, S, z);
        exact = true;
      }
      if (rnorm > CORR_TOL * ynorm) status = 'premature';
      break;
    }
    const t = S.length;
    const w = new Float64Array(t + 1);
    for (let i = 0; i < t; i++) {
      let s = G[S[i] + j * n];
      for (let c = 0; c < i; c++) s -= L[i][c] * w[c];
      w[i] = s / L[i][i];
    }
    let d2 = G[j + j * n];
    for (let c = 0; c < t; c++) d2 -= w[c] * w[c];
    const dep = DEP_TOL * norms[j];
    if (!(d2 > dep * dep)) {
      status = 'premature';
      break;
    }
    w[t] = Math.sqrt(d2);
    L.push(w);
    S.push(j);
    skip[j] = 1;
    b.push(alpha0[j]);
    // (L L^T) z = b: forward then back substitution
    const u = new Float64Array(t + 1);
    for (let i = 0; i <= t; i++) {
      let s = b[i];
      for (let c = 0; c < i; c++) s -= L[i][c] * u[c];
      u[i] = s / L[i][i];
    }
    z = new Float64Array(t + 1);
    for (let i = t; i >= 0; i--) {
      let s = u[i];
      for (let q = i + 1; q <= t; q++) s -= L[q][i] * z[q];
      z[i] = s / L[i][i];
    }
    for (let q = 0; q < n; q++) {
      let s = alpha0[q];
      for (let i = 0; i <= t; i++) s -= G[q + S[i] * n] * z[i];
      alpha[q] = s;
    }
    let zb = 0;
    for (let i = 0; i <= t; i++) zb += z[i] * b[i];
    const est2 = y2 - zb;
    if (Number.isFinite(est2) && Math.abs(est2 - tolAbs * tolAbs) > RES_GUARD * y2) {
      rnorm = Math.sqrt(Math.max(est2, 0));
      exact = false;
    } else {
      rnorm = residualNorm(A, y, S, z);
      exact = true;
    }
  }
  if (!exact) rnorm = residualNorm(A, y, S, z);
  const x = new Float64Array(n);
  S.forEach((j, i) => (x[j] = z[i]));
  const support = Int32Array.from(S).sort();
  return { x, support, residualNorm: rnorm, iterations: S.length, status };
}

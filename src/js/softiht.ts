// Soft-IHT for the JS backend: the oracle for assembly/solvers/softiht.ts.
import type { Matrix } from '../core/matrix.js';
import { matTVec, matVec, norm2 } from './linalg.js';
import { softRowJs, softRowVjpJs, sortDesc } from './softsort.js';
import type { SoftJsResult, SoftStatusJs } from './softomp.js';

interface IhtTape {
  T: number;
  U: Float64Array[];
  M: Float64Array[];
  rows: Float64Array[][];
  order: Int32Array[];
}

export type SoftIhtJsResult = SoftJsResult<IhtTape>;

function finite(v: Float64Array): boolean {
  for (let j = 0; j < v.length; j++) if (!Number.isFinite(v[j])) return false;
  return true;
}

/** Soft-IHT (tau = 0: hard weighted IHT) with k rows, L iterations, step eta. */
export function softIhtJs(A: Matrix, y: Float64Array, w: Float64Array, k: number, L: number, eta: number, tau: number,
                          history = false): SoftIhtJsResult {
  const { m, n, data } = A;
  const tape: IhtTape = { T: 0, U: [], M: [], rows: [], order: [] };
  const hist: Float64Array[] | null = history ? [] : null;
  let x = new Float64Array(n);
  let status: SoftStatusJs = 'converged';
  const Ax = new Float64Array(m);
  const g = new Float64Array(n);
  for (let t = 0; t < L; t++) {
    matVec(data, m, n, x, Ax);
    for (let i = 0; i < m; i++) Ax[i] = y[i] - Ax[i];
    matTVec(data, m, n, Ax, g);
    const u = Float64Array.from(x, (xj, j) => xj + eta * g[j]);
    if (!finite(u)) {
      status = 'diverged';
      break;
    }
    const v = Float64Array.from(u, (uj, j) => Math.abs(w[j] * uj));
    const order = sortDesc(v, k);
    const mask = new Float64Array(n);
    const rows: Float64Array[] = [];
    if (tau === 0) {
      for (const j of order) mask[j] = 1;
    } else {
      for (const piv of order) {
        const row = softRowJs(v, v[piv], tau);
        rows.push(row);
        for (let j = 0; j < n; j++) mask[j] += row[j];
      }
    }
    const xn = Float64Array.from(u, (uj, j) => mask[j] * uj);
    if (!finite(xn)) {
      status = 'diverged';
      break;
    }
    // an iterate whose residual y - A x overflows is not taken either (its residual norm would be Infinity)
    matVec(data, m, n, xn, Ax);
    for (let i = 0; i < m; i++) Ax[i] = y[i] - Ax[i];
    if (!Number.isFinite(norm2(Ax))) {
      status = 'diverged';
      break;
    }
    tape.U.push(u);
    tape.M.push(mask);
    tape.rows.push(rows);
    tape.order.push(order);
    tape.T = t + 1;
    x = xn;
    if (hist) hist.push(x.slice());
  }
  if (hist) while (hist.length < L) hist.push(x.slice());
  matVec(data, m, n, x, Ax);
  for (let i = 0; i < m; i++) Ax[i] = y[i] - Ax[i];
  const selected = tape.T > 0 ? tape.order[tape.T - 1].slice() : Int32Array.from({ length: k }, (_, i) => i);
  return { x, residualNorm: norm2(Ax), iterations: tape.T, status, selected, history: hist, tape };
}

/** Reverse pass: dL/dw, dL/dy, dL/dtau from dL/dx. */
export function softIhtVjpJs(A: Matrix, y: Float64Array, w: Float64Array, k: number, L: number, eta: number, tau: number,
                             gx: Float64Array): SoftIhtJsResult & { gw: Float64Array; gy: Float64Array; gtau: number; gA: Float64Array } {
  const res = softIhtJs(A, y, w, k, L, eta, tau);
  const { m, n, data } = A;
  const tp = res.tape;
  const gw = new Float64Array(n);
  const gy = new Float64Array(m);
  const gA = new Float64Array(m * n); // dL/dA, column-major
  let gtau = 0;
  let gxc = Float64Array.from(gx);
  const h = new Float64Array(m);
  const ATh = new Float64Array(n);
  for (let t = tp.T - 1; t >= 0; t--) {
    const u = tp.U[t];
    const mask = tp.M[t];
    const gu = Float64Array.from(gxc, (g, j) => g * mask[j]);
    if (tau > 0) {
      const gm = Float64Array.from(gxc, (g, j) => g * u[j]);
      const v = Float64Array.from(u, (uj, j) => Math.abs(w[j] * uj));
      const gv = new Float64Array(n);
      tp.order[t].forEach((piv, i) => {
        gtau += softRowVjpJs(v, piv, tau, tp.rows[t][i], gm, gv);
      });
      for (let j = 0; j < n; j++) {
        const sg = Math.sign(w[j] * u[j]);
        gu[j] += gv[j] * sg * w[j];
        gw[j] += gv[j] * sg * u[j];
      }
    }
    matVec(data, m, n, gu, h);
    for (let i = 0; i < m; i++) gy[i] += eta * h[i];
    // u_t = x_t + eta A^T (y - A x_t): dL/dA += eta (r_t gu^T - h x_t^T)
    const xt = t === 0 ? new Float64Array(n) : Float64Array.from(tp.U[t - 1], (v, j) => v * tp.M[t - 1][j]);
    const rt = new Float64Array(m);
    matVec(data, m, n, xt, rt);
    for (let i = 0; i < m; i++) rt[i] = y[i] - rt[i];
    for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) gA[i + j * m] += eta * (gu[j] * rt[i] - xt[j] * h[i]);
    matTVec(data, m, n, h, ATh);
    gxc = Float64Array.from(gu, (g, j) => g - eta * ATh[j]);
  }
  return { ...res, gw, gy, gtau, gA };
}

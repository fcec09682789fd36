// Complex Soft-IHT (JS): the algorithm of src/js/softiht.ts on a complex A
// and y (interleaved re/im, column-major; see cmatrix.ts), with real weights
// w and a real temperature tau:
//
//   u = x + eta A^H (y - A x)            (complex, n)
//   v_j = |w_j u_j|                      (modulus)
//   mask = column sums of the k SoftSort rows of v (real)
//   x = mask . u                         (complex)
//
// With every imaginary part zero each step is the real twin's. Gradients use
// the convention of softomp.ts: dL/da + i dL/db for a complex a + ib.
import { softRowJs, softRowVjpJs } from '../softsort.js';
import type { SoftStatusJs } from '../softomp.js';
import { cmatHVec, cmatVec, cnorm2, type ComplexMatrix } from './cmatrix.js';
import { absScaled, type ComplexSoftJsResult, type ComplexSoftVjpJs } from './softomp.js';

/** Everything the reverse pass needs. */
export interface ComplexIhtTape {
  T: number;
  /** u_t (complex, n). */
  U: Float64Array[];
  /** mask_t (real, n). */
  M: Float64Array[];
  rows: Float64Array[][];
  order: Int32Array[];
}

export type ComplexSoftIhtJsResult = ComplexSoftJsResult<ComplexIhtTape>;

/**
 * The k indices of largest v, largest first, ties to the lower index: the
 * order of sortDesc (src/js/softsort.ts) by insertion into a sorted list of
 * k, O(n k) at worst and about O(n) on typical data instead of a full sort.
 * v is finite.
 */
export function topOrder(v: Float64Array, k: number): Int32Array {
  const idx = new Int32Array(k);
  const val = new Float64Array(k);
  let len = 0;
  for (let j = 0; j < v.length; j++) {
    const x = v[j];
    if (len === k && !(x > val[k - 1])) continue;
    let p = len < k ? len : k - 1;
    // strictly larger moves ahead: an equal value keeps its (lower) index first
    while (p > 0 && x > val[p - 1]) {
      val[p] = val[p - 1];
      idx[p] = idx[p - 1];
      p--;
    }
    val[p] = x;
    idx[p] = j;
    if (len < k) len++;
  }
  return idx;
}

function finite(v: Float64Array): boolean {
  for (let j = 0; j < v.length; j++) if (!Number.isFinite(v[j])) return false;
  return true;
}

/** Complex Soft-IHT (tau = 0: hard weighted IHT keeping the k largest |w_j u_j|). x: 2n doubles. Inputs are trusted. */
export function complexSoftIhtJs(A: ComplexMatrix, y: Float64Array, w: Float64Array, k: number, L: number, eta: number,
                                 tau: number, history = false): ComplexSoftIhtJsResult {
  const { m, n, data } = A;
  const tape: ComplexIhtTape = { T: 0, U: [], M: [], rows: [], order: [] };
  const hist: Float64Array[] | null = history ? [] : null;
  let x = new Float64Array(2 * n);
  let status: SoftStatusJs = 'converged';
  const Ax = new Float64Array(2 * m);
  const g = new Float64Array(2 * n);
  const v = new Float64Array(n);
  // Ax holds y - A x once an iterate is taken (computed for its overflow check): not computed twice
  let haveResidual = false;
  for (let t = 0; t < L; t++) {
    if (!haveResidual) {
      cmatVec(data, m, n, x, Ax);
      for (let i = 0; i < 2 * m; i++) Ax[i] = y[i] - Ax[i];
    }
    cmatHVec(data, m, n, Ax, g);
    const u = new Float64Array(2 * n);
    for (let i = 0; i < 2 * n; i++) u[i] = x[i] + eta * g[i];
    if (!finite(u)) {
      status = 'diverged';
      break;
    }
    for (let j = 0; j < n; j++) v[j] = absScaled(w[j], u[2 * j], u[2 * j + 1]);
    const order = topOrder(v, k);
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
    const xn = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) {
      xn[2 * j] = mask[j] * u[2 * j];
      xn[2 * j + 1] = mask[j] * u[2 * j + 1];
    }
    if (!finite(xn)) {
      status = 'diverged';
      break;
    }
    cmatVec(data, m, n, xn, Ax);
    for (let i = 0; i < 2 * m; i++) Ax[i] = y[i] - Ax[i];
    if (!Number.isFinite(cnorm2(Ax))) {
      status = 'diverged';
      break;
    }
    tape.U.push(u);
    tape.M.push(mask);
    tape.rows.push(rows);
    tape.order.push(order);
    tape.T = t + 1;
    x = xn;
    haveResidual = true;
    if (hist) hist.push(x.slice());
  }
  if (hist) while (hist.length < L) hist.push(x.slice());
  cmatVec(data, m, n, x, Ax);
  for (let i = 0; i < 2 * m; i++) Ax[i] = y[i] - Ax[i];
  const selected = tape.T > 0 ? tape.order[tape.T - 1].slice() : Int32Array.from({ length: k }, (_, i) => i);
  return { x, residualNorm: cnorm2(Ax), iterations: tape.T, status, selected, history: hist, tape };
}

/**
 * Reverse pass of complexSoftIhtJs: dL/dw (real n), dL/dy (2m), dL/dtau from
 * gx = dL/dx (2n), all complex gradients as dL/da + i dL/db. `fwd`: the
 * forward result for the same arguments, when already computed.
 *
 * x = mask . u: dL/du = mask gx, dL/dmask_j = Re(conj(u_j) gx_j);
 * v_j = |w_j u_j|: dL/du_j += gv_j |w_j| u_j / |u_j|, dL/dw_j += gv_j sgn(w_j) |u_j|;
 * u = x + eta A^H (y - A x): dL/dy += eta A gu, dL/dx_prev = gu - eta A^H A gu.
 */
export function complexSoftIhtVjpJs(A: ComplexMatrix, y: Float64Array, w: Float64Array, k: number, L: number, eta: number,
                                    tau: number, gx: Float64Array, fwd?: ComplexSoftIhtJsResult): ComplexSoftIhtJsResult & ComplexSoftVjpJs {
  const res = fwd ?? complexSoftIhtJs(A, y, w, k, L, eta, tau);
  const { m, n, data } = A;
  const tp = res.tape;
  const gw = new Float64Array(n);
  const gy = new Float64Array(2 * m);
  let gtau = 0;
  let gxc = Float64Array.from(gx);
  const h = new Float64Array(2 * m);
  const AHh = new Float64Array(2 * n);
  const gm = new Float64Array(n);
  const gv = new Float64Array(n);
  const v = new Float64Array(n);
  for (let t = tp.T - 1; t >= 0; t--) {
    const u = tp.U[t];
    const mask = tp.M[t];
    const gu = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) {
      gu[2 * j] = gxc[2 * j] * mask[j];
      gu[2 * j + 1] = gxc[2 * j + 1] * mask[j];
    }
    if (tau > 0) {
      for (let j = 0; j < n; j++) {
        gm[j] = u[2 * j] * gxc[2 * j] + u[2 * j + 1] * gxc[2 * j + 1];
        v[j] = absScaled(w[j], u[2 * j], u[2 * j + 1]);
      }
      gv.fill(0);
      tp.order[t].forEach((piv, i) => {
        gtau += softRowVjpJs(v, piv, tau, tp.rows[t][i], gm, gv);
      });
      for (let j = 0; j < n; j++) {
        const ur = u[2 * j];
        const ui = u[2 * j + 1];
        const mod = ui === 0 ? Math.abs(ur) : Math.hypot(ur, ui);
        if (gv[j] === 0 || mod === 0) continue;
        const f = (gv[j] * Math.abs(w[j])) / mod;
        gu[2 * j] += f * ur;
        gu[2 * j + 1] += f * ui;
        gw[j] += gv[j] * Math.sign(w[j]) * mod;
      }
    }
    cmatVec(data, m, n, gu, h);
    for (let i = 0; i < 2 * m; i++) gy[i] += eta * h[i];
    cmatHVec(data, m, n, h, AHh);
    gxc = new Float64Array(2 * n);
    for (let i = 0; i < 2 * n; i++) gxc[i] = gu[i] - eta * AHh[i];
  }
  return { ...res, gw, gy, gtau };
}

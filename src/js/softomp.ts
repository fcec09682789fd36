// Soft-OMP for the JS backend: the oracle for assembly/solvers/softomp.ts.
// Written independently: the least squares use an explicit thin Q built by
// Gram-Schmidt with one re-orthogonalisation ("twice is enough"), and the
// reverse pass uses Q directly instead of Householder reflectors.
import type { Matrix } from '../core/matrix.js';
import { dot, matTVec, matVec, norm2 } from './linalg.js';
import { DEP_TOL } from './qr.js'; // sqrt(eps), also the exact-fit tolerance (assembly/solvers/softomp.ts EXACT_TOL)
import { softRowJs, softRowVjpJs } from './softsort.js';
import { SQRT_EPS } from './constants.js';

export type SoftStatusJs = 'converged' | 'premature' | 'diverged' | 'degenerate';

/** A soft atom A p keeping less than this fraction of sum_j p_j ||a_j|| is degenerate: see assembly/solvers/softomp.ts SOFT_ATOM_TOL. */
const SOFT_ATOM_TOL = SQRT_EPS;

/** Everything the reverse pass needs. */
interface OmpTape {
  T: number;
  P: Float64Array[]; // rows p_t
  C: Float64Array[]; // c_t = A^T r_t
  Rres: Float64Array[]; // r_{t+1}
  Q: Float64Array[]; // orthonormal columns
  R: Float64Array[]; // R columns: R[j][i] = R(i, j), i <= j
  qy: Float64Array; // Q^T y
  sel: Int32Array;
}

/** What a soft twin returns: the estimate, the rows it selected, the iterates (history) and the tape its VJP replays. */
export interface SoftJsResult<Tape> {
  x: Float64Array;
  residualNorm: number;
  iterations: number;
  status: SoftStatusJs;
  selected: Int32Array;
  history: Float64Array[] | null;
  tape: Tape;
}

export type SoftOmpJsResult = SoftJsResult<OmpTape>;

function argmax(v: Float64Array): number {
  let b = 0;
  for (let j = 1; j < v.length; j++) if (v[j] > v[b]) b = j;
  return b;
}

/** Solves R z = rhs (first s rows/cols), back substitution. */
function backSolve(R: Float64Array[], s: number, rhs: ArrayLike<number>): Float64Array {
  const z = new Float64Array(s);
  for (let i = s - 1; i >= 0; i--) {
    let a = rhs[i];
    for (let j = i + 1; j < s; j++) a -= R[j][i] * z[j];
    z[i] = a / R[i][i];
  }
  return z;
}

/** Solves R^T q = rhs, forward substitution. */
function forwardSolveT(R: Float64Array[], s: number, rhs: ArrayLike<number>): Float64Array {
  const q = new Float64Array(s);
  for (let i = 0; i < s; i++) {
    let a = rhs[i];
    for (let l = 0; l < i; l++) a -= R[i][l] * q[l];
    q[i] = a / R[i][i];
  }
  return q;
}

/** Soft-OMP (tau = 0: hard weighted OMP). w: n weights. */
export function softOmpJs(A: Matrix, y: Float64Array, w: Float64Array, L: number, tau: number,
                          history = false): SoftOmpJsResult {
  const { m, n, data } = A;
  const tape: OmpTape = { T: 0, P: [], C: [], Rres: [], Q: [], R: [], qy: new Float64Array(L), sel: new Int32Array(L) };
  const hist: Float64Array[] | null = history ? [] : null;
  let r = Float64Array.from(y);
  let status: SoftStatusJs = 'converged';
  const x = new Float64Array(n);
  const b = new Float64Array(m);
  const v = new Float64Array(n);
  const norms = tau === 0 ? null : A.colNorms();
  for (let t = 0; t < L; t++) {
    const c = new Float64Array(n);
    matTVec(data, m, n, r, c);
    for (let j = 0; j < n; j++) v[j] = Math.abs(w[j] * c[j]);
    const piv = argmax(v);
    tape.sel[t] = piv;
    let p: Float64Array;
    if (tau === 0) {
      p = new Float64Array(n);
      p[piv] = 1;
      b.set(A.column(piv));
    } else {
      p = softRowJs(v, v[piv], tau);
      matVec(data, m, n, p, b);
      let mass = 0;
      for (let j = 0; j < n; j++) mass += p[j] * norms![j];
      if (!(norm2(b) > SOFT_ATOM_TOL * mass)) {
        // after an exact fit the soft row is noise by nature: that is convergence (as below)
        status = t > 0 && norm2(r) <= DEP_TOL * norm2(y) ? 'converged' : 'degenerate';
        break;
      }
    }
    // Gram-Schmidt, twice
    const bnorm = norm2(b);
    const qn = Float64Array.from(b);
    const rc = new Float64Array(t + 1);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < t; i++) {
        const qi = tape.Q[i];
        const h = dot(qi, 0, qn, 0, m);
        rc[i] += h;
        for (let l = 0; l < m; l++) qn[l] -= h * qi[l];
      }
    }
    const alpha = norm2(qn);
    if (!(alpha > DEP_TOL * bnorm)) {
      // an exact fit has nothing left to add: converged (as omp)
      if (t === 0 || norm2(r) > DEP_TOL * norm2(y)) status = 'premature';
      break;
    }
    for (let l = 0; l < m; l++) qn[l] /= alpha;
    rc[t] = alpha;
    tape.Q.push(qn);
    tape.R.push(rc);
    tape.P.push(p);
    tape.C.push(c);
    tape.qy[t] = dot(qn, 0, y, 0, m);
    tape.T = t + 1;
    // r_{t+1} = r_t - q_t (q_t . r_t)
    const hr = dot(qn, 0, r, 0, m);
    r = Float64Array.from(r);
    for (let l = 0; l < m; l++) r[l] -= hr * qn[l];
    tape.Rres.push(r);
    if (hist) hist.push(combine(tape, backSolve(tape.R, t + 1, tape.qy), n));
  }
  if (hist) while (hist.length < L) hist.push(hist.length ? hist[hist.length - 1].slice() : new Float64Array(n));
  const z = backSolve(tape.R, tape.T, tape.qy);
  x.set(combine(tape, z, n));
  const Ax = new Float64Array(m);
  matVec(data, m, n, x, Ax);
  for (let l = 0; l < m; l++) Ax[l] = y[l] - Ax[l];
  return { x, residualNorm: norm2(Ax), iterations: tape.T, status, selected: tape.sel.slice(0, tape.T), history: hist, tape };
}

function combine(tape: OmpTape, z: Float64Array, n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < z.length; i++) {
    const p = tape.P[i];
    for (let j = 0; j < n; j++) x[j] += z[i] * p[j];
  }
  return x;
}

/**
 * Reverse pass: dL/dw, dL/dy, dL/dtau from dL/dx. `gwLayers` (optional, a
 * diagnostic): gets one length-n array per iteration run, the part of dL/dw
 * that enters through that iteration's selection |w . c_t| (they sum to gw).
 */
export function softOmpVjpJs(A: Matrix, y: Float64Array, w: Float64Array, L: number, tau: number,
                             gx: Float64Array, gwLayers?: Float64Array[]): SoftOmpJsResult & { gw: Float64Array; gy: Float64Array; gtau: number; gA: Float64Array } {
  const res = softOmpJs(A, y, w, L, tau);
  const { m, n, data } = A;
  const tp = res.tape;
  const T = tp.T;
  const gw = new Float64Array(n);
  const gy = new Float64Array(m);
  const gA = new Float64Array(m * n); // dL/dA, column-major
  let gtau = 0;
  const zT = backSolve(tp.R, T, tp.qy);
  const gzT = tp.P.map((p) => dot(p, 0, gx, 0, n));
  const GB = Array.from({ length: T }, () => new Float64Array(m));
  let gr = new Float64Array(m);
  if (gwLayers) for (let t = 0; t < T; t++) gwLayers[t] = new Float64Array(n);
  for (let t = T - 1; t >= 0; t--) {
    const s = t + 1;
    // h = Q_s^T gr
    const h = new Float64Array(s);
    for (let i = 0; i < s; i++) h[i] = dot(tp.Q[i], 0, gr, 0, m);
    const q = s === T ? forwardSolveT(tp.R, s, gzT) : new Float64Array(s);
    const u = backSolve(tp.R, s, q.map((qi, i) => qi - h[i]));
    // e = Q_s q + (I - Q_s Q_s^T) gr
    const e = Float64Array.from(gr);
    for (let i = 0; i < s; i++) {
      const coef = q[i] - h[i];
      const qi = tp.Q[i];
      for (let l = 0; l < m; l++) e[l] += coef * qi[l];
    }
    for (let l = 0; l < m; l++) gy[l] += e[l];
    const zs = backSolve(tp.R, s, tp.qy);
    const rs = tp.Rres[s - 1];
    for (let i = 0; i < s; i++) {
      const g = GB[i];
      for (let l = 0; l < m; l++) g[l] += u[i] * rs[l] - zs[i] * e[l];
    }
    gr = new Float64Array(m);
    // b_t = A p_t: dL/dA += gb_t p_t^T
    for (let j = 0; j < n; j++) {
      const pj = tp.P[t][j];
      if (pj !== 0) for (let l = 0; l < m; l++) gA[l + j * m] += pj * GB[t][l];
    }
    if (tau > 0) {
      const gp = new Float64Array(n);
      matTVec(data, m, n, GB[t], gp);
      for (let j = 0; j < n; j++) gp[j] += zT[t] * gx[j];
      const c = tp.C[t];
      const v = Float64Array.from(c, (cj, j) => Math.abs(w[j] * cj));
      const gv = new Float64Array(n);
      gtau += softRowVjpJs(v, tp.sel[t], tau, tp.P[t], gp, gv);
      const gc = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        const sg = Math.sign(w[j] * c[j]);
        gc[j] = gv[j] * sg * w[j];
        gw[j] += gv[j] * sg * c[j];
        if (gwLayers) gwLayers[t][j] += gv[j] * sg * c[j];
      }
      matVec(data, m, n, gc, gr);
      // c_t = A^T r_t: dL/dA += r_t gc^T
      const rt = t === 0 ? y : tp.Rres[t - 1];
      for (let j = 0; j < n; j++) if (gc[j] !== 0) for (let l = 0; l < m; l++) gA[l + j * m] += gc[j] * rt[l];
    }
    if (t === 0) for (let l = 0; l < m; l++) gy[l] += gr[l];
  }
  return { ...res, gw, gy, gtau, gA };
}

// Complex Soft-OMP (JS): the algorithm of src/js/softomp.ts on a complex A
// and y (interleaved re/im, column-major; see cmatrix.ts), with real weights
// w and a real temperature tau. Step by step:
//
//   c_t = A^H r_t                         (complex, n)
//   v_j = |w_j c_j|                       (modulus: real scores)
//   p_t = SoftSort row of v at its max    (real: the SoftSort stays real)
//   b_t = A p_t                           (complex, m)
//   B = [b_0 .. b_t] = Q R                (complex Gram-Schmidt, twice; R's diagonal real > 0)
//   z = R^{-1} Q^H y, r_{t+1} = r_t - q_t (q_t^H r_t)
//   x = sum_t z_t p_t                     (complex, n)
//
// With every imaginary part zero each quantity is the real twin's (the
// imaginary terms are exact zeros), so the outputs agree with softOmpJs to
// rounding.
//
// Gradients (softOmpVjpComplexJs) follow the convention of docs/complex.md:
// for a real loss L and a complex quantity a + ib, the gradient is
// dL/da + i dL/db (interleaved like the quantity), so that
// dL = Re(conj(g) . d(a + ib)). gx, gy use it; gw and gtau are real.
import { DEP_TOL } from '../qr.js';
import { SQRT_EPS } from '../constants.js';
import { softRowJs, softRowVjpJs } from '../softsort.js';
import type { SoftStatusJs } from '../softomp.js';
import { cmatHVec, cmatVec, cnorm2, type ComplexMatrix } from './cmatrix.js';

/** See src/js/softomp.ts SOFT_ATOM_TOL. */
const SOFT_ATOM_TOL = SQRT_EPS;

/** Everything the reverse pass needs. Complex arrays are interleaved. */
export interface ComplexOmpTape {
  T: number;
  /** Soft rows p_t (real, n). */
  P: Float64Array[];
  /** c_t = A^H r_t (complex, n). */
  C: Float64Array[];
  /** r_{t+1} (complex, m). */
  Rres: Float64Array[];
  /** Orthonormal columns q_t (complex, m). */
  Q: Float64Array[];
  /** R columns: R[j] holds R(i, j), i <= j, complex (R(j, j) real > 0). */
  R: Float64Array[];
  /** Q^H y (complex, L). */
  qy: Float64Array;
  sel: Int32Array;
}

/** What a complex soft twin returns. x and the history are complex (2n doubles each). */
export interface ComplexSoftJsResult<Tape> {
  x: Float64Array;
  residualNorm: number;
  iterations: number;
  status: SoftStatusJs;
  selected: Int32Array;
  history: Float64Array[] | null;
  tape: Tape;
}

/** What a complex soft VJP returns: the forward result, dL/dw (real n), dL/dy (complex, 2m), dL/dtau. */
export interface ComplexSoftVjpJs {
  gw: Float64Array;
  gy: Float64Array;
  gtau: number;
}

export type ComplexSoftOmpJsResult = ComplexSoftJsResult<ComplexOmpTape>;

/** |s z| for real s and complex z = (re, im): |s re| exactly when im = 0. */
export function absScaled(s: number, re: number, im: number): number {
  const a = s * re;
  const b = s * im;
  return b === 0 ? Math.abs(a) : Math.hypot(a, b);
}

function argmax(v: Float64Array): number {
  let b = 0;
  for (let j = 1; j < v.length; j++) if (v[j] > v[b]) b = j;
  return b;
}

/** u^H v over m complex entries (conjugating u), into out[0], out[1]. */
function cdot(u: Float64Array, v: Float64Array, m: number, out: Float64Array): void {
  let sr = 0;
  let si = 0;
  for (let l = 0; l < 2 * m; l += 2) {
    const ur = u[l];
    const ui = u[l + 1];
    const vr = v[l];
    const vi = v[l + 1];
    sr += ur * vr + ui * vi;
    si += ur * vi - ui * vr;
  }
  out[0] = sr;
  out[1] = si;
}

/** Solves R z = rhs (first s rows/columns; complex), back substitution. */
function backSolve(R: Float64Array[], s: number, rhs: Float64Array): Float64Array {
  const z = new Float64Array(2 * s);
  for (let i = s - 1; i >= 0; i--) {
    let ar = rhs[2 * i];
    let ai = rhs[2 * i + 1];
    for (let j = i + 1; j < s; j++) {
      const rr = R[j][2 * i];
      const ri = R[j][2 * i + 1];
      ar -= rr * z[2 * j] - ri * z[2 * j + 1];
      ai -= rr * z[2 * j + 1] + ri * z[2 * j];
    }
    const d = R[i][2 * i]; // real > 0
    z[2 * i] = ar / d;
    z[2 * i + 1] = ai / d;
  }
  return z;
}

/** Solves R^H q = rhs (R^H lower triangular, entries conj(R(l, i))), forward substitution. */
function forwardSolveH(R: Float64Array[], s: number, rhs: Float64Array): Float64Array {
  const q = new Float64Array(2 * s);
  for (let i = 0; i < s; i++) {
    let ar = rhs[2 * i];
    let ai = rhs[2 * i + 1];
    for (let l = 0; l < i; l++) {
      // conj(R(l, i)) q_l
      const rr = R[i][2 * l];
      const ri = -R[i][2 * l + 1];
      ar -= rr * q[2 * l] - ri * q[2 * l + 1];
      ai -= rr * q[2 * l + 1] + ri * q[2 * l];
    }
    const d = R[i][2 * i];
    q[2 * i] = ar / d;
    q[2 * i + 1] = ai / d;
  }
  return q;
}

/** x = sum_i z_i p_i (complex z, real rows p). */
function combine(tape: ComplexOmpTape, z: Float64Array, n: number): Float64Array {
  const x = new Float64Array(2 * n);
  for (let i = 0; i < z.length >> 1; i++) {
    const p = tape.P[i];
    const zr = z[2 * i];
    const zi = z[2 * i + 1];
    for (let j = 0; j < n; j++) {
      x[2 * j] += zr * p[j];
      x[2 * j + 1] += zi * p[j];
    }
  }
  return x;
}

/** out = A p for a real p (n) and complex A: A (p + 0i). */
function cmatVecReal(A: ComplexMatrix, p: Float64Array, out: Float64Array, pc: Float64Array): void {
  for (let j = 0; j < p.length; j++) {
    pc[2 * j] = p[j];
    pc[2 * j + 1] = 0;
  }
  cmatVec(A.data, A.m, A.n, pc, out);
}

/**
 * Complex Soft-OMP (tau = 0: hard weighted OMP, argmax |w_j a_j^H r|).
 * A m x n complex, y 2m doubles, w n real weights. Inputs are trusted.
 * x (and every history entry) is 2n doubles, interleaved.
 */
export function complexSoftOmpJs(A: ComplexMatrix, y: Float64Array, w: Float64Array, L: number, tau: number,
                                 history = false): ComplexSoftOmpJsResult {
  const { m, n, data } = A;
  const tape: ComplexOmpTape = { T: 0, P: [], C: [], Rres: [], Q: [], R: [], qy: new Float64Array(2 * L), sel: new Int32Array(L) };
  const hist: Float64Array[] | null = history ? [] : null;
  let r = Float64Array.from(y);
  let status: SoftStatusJs = 'converged';
  const b = new Float64Array(2 * m);
  const v = new Float64Array(n);
  const pc = new Float64Array(2 * n);
  const h = new Float64Array(2);
  const norms = tau === 0 ? null : A.colNorms();
  const ynorm = cnorm2(y);
  for (let t = 0; t < L; t++) {
    const c = new Float64Array(2 * n);
    cmatHVec(data, m, n, r, c);
    for (let j = 0; j < n; j++) v[j] = absScaled(w[j], c[2 * j], c[2 * j + 1]);
    const piv = argmax(v);
    tape.sel[t] = piv;
    let p: Float64Array;
    if (tau === 0) {
      p = new Float64Array(n);
      p[piv] = 1;
      b.set(A.column(piv));
    } else {
      p = softRowJs(v, v[piv], tau);
      cmatVecReal(A, p, b, pc);
      let mass = 0;
      for (let j = 0; j < n; j++) mass += p[j] * norms![j];
      if (!(cnorm2(b) > SOFT_ATOM_TOL * mass)) {
        status = t > 0 && cnorm2(r) <= DEP_TOL * ynorm ? 'converged' : 'degenerate';
        break;
      }
    }
    // Gram-Schmidt, twice
    const bnorm = cnorm2(b);
    const qn = Float64Array.from(b);
    const rc = new Float64Array(2 * (t + 1));
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < t; i++) {
        const qi = tape.Q[i];
        cdot(qi, qn, m, h);
        const hr = h[0];
        const hi = h[1];
        rc[2 * i] += hr;
        rc[2 * i + 1] += hi;
        for (let l = 0; l < 2 * m; l += 2) {
          qn[l] -= hr * qi[l] - hi * qi[l + 1];
          qn[l + 1] -= hr * qi[l + 1] + hi * qi[l];
        }
      }
    }
    const alpha = cnorm2(qn);
    if (!(alpha > DEP_TOL * bnorm)) {
      if (t === 0 || cnorm2(r) > DEP_TOL * ynorm) status = 'premature';
      break;
    }
    for (let l = 0; l < 2 * m; l++) qn[l] /= alpha;
    rc[2 * t] = alpha;
    tape.Q.push(qn);
    tape.R.push(rc);
    tape.P.push(p);
    tape.C.push(c);
    cdot(qn, y, m, h);
    tape.qy[2 * t] = h[0];
    tape.qy[2 * t + 1] = h[1];
    tape.T = t + 1;
    // r_{t+1} = r_t - q_t (q_t^H r_t)
    cdot(qn, r, m, h);
    const hr = h[0];
    const hi = h[1];
    r = Float64Array.from(r);
    for (let l = 0; l < 2 * m; l += 2) {
      r[l] -= hr * qn[l] - hi * qn[l + 1];
      r[l + 1] -= hr * qn[l + 1] + hi * qn[l];
    }
    tape.Rres.push(r);
    if (hist) hist.push(combine(tape, backSolve(tape.R, t + 1, tape.qy), n));
  }
  if (hist) while (hist.length < L) hist.push(hist.length ? hist[hist.length - 1].slice() : new Float64Array(2 * n));
  const z = backSolve(tape.R, tape.T, tape.qy);
  const x = combine(tape, z, n);
  const res = new Float64Array(2 * m);
  cmatVec(data, m, n, x, res);
  for (let l = 0; l < 2 * m; l++) res[l] = y[l] - res[l];
  return { x, residualNorm: cnorm2(res), iterations: tape.T, status, selected: tape.sel.slice(0, tape.T), history: hist, tape };
}

/**
 * Reverse pass of complexSoftOmpJs: from gx = dL/dx (2n doubles, the
 * gradient convention above: dL/dRe x_j + i dL/dIm x_j) returns dL/dw
 * (real n), dL/dy (2m, same convention) and dL/dtau. `fwd`: the forward
 * result for the same arguments when already computed (saves a forward pass).
 *
 * Least squares adjoint (B = Q R, z = R^{-1} Q^H y, r = y - B z; given gz, gr):
 *   h = Q^H gr, q = R^{-H} gz, u = R^{-1} (q - h), e = Q (q - h) + gr;
 *   dL/dy += e, dL/db_i += conj(u_i) r - conj(z_i) e.
 * Selection (v_j = |w_j c_j|, c = A^H r): dL/dc_j = gv_j |w_j| c_j / |c_j|
 * (0 at c_j = 0), dL/dw_j += gv_j sgn(w_j) |c_j|, dL/dr = A dL/dc.
 * Soft rows (real p, b = A p): dL/dp = Re(A^H dL/db) + Re(conj(z_t) gx).
 */
export function complexSoftOmpVjpJs(A: ComplexMatrix, y: Float64Array, w: Float64Array, L: number, tau: number,
                                    gx: Float64Array, fwd?: ComplexSoftOmpJsResult): ComplexSoftOmpJsResult & ComplexSoftVjpJs {
  const res = fwd ?? complexSoftOmpJs(A, y, w, L, tau);
  const { m, n, data } = A;
  const tp = res.tape;
  const T = tp.T;
  const gw = new Float64Array(n);
  const gy = new Float64Array(2 * m);
  let gtau = 0;
  const zT = backSolve(tp.R, T, tp.qy);
  // gz_i = sum_j p_i[j] gx_j
  const gzT = new Float64Array(2 * T);
  for (let i = 0; i < T; i++) {
    const p = tp.P[i];
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      sr += p[j] * gx[2 * j];
      si += p[j] * gx[2 * j + 1];
    }
    gzT[2 * i] = sr;
    gzT[2 * i + 1] = si;
  }
  const GB = Array.from({ length: T }, () => new Float64Array(2 * m));
  let gr = new Float64Array(2 * m);
  const hv = new Float64Array(2);
  const cg = new Float64Array(2 * n);
  const gv = new Float64Array(n);
  const gp = new Float64Array(n);
  const v = new Float64Array(n);
  for (let t = T - 1; t >= 0; t--) {
    const s = t + 1;
    // h = Q_s^H gr
    const h = new Float64Array(2 * s);
    for (let i = 0; i < s; i++) {
      cdot(tp.Q[i], gr, m, hv);
      h[2 * i] = hv[0];
      h[2 * i + 1] = hv[1];
    }
    const q = s === T ? forwardSolveH(tp.R, s, gzT) : new Float64Array(2 * s);
    const qh = q.map((qi, i) => qi - h[i]);
    const u = backSolve(tp.R, s, qh);
    // e = Q_s (q - h) + gr
    const e = Float64Array.from(gr);
    for (let i = 0; i < s; i++) {
      const cr = qh[2 * i];
      const ci = qh[2 * i + 1];
      const qi = tp.Q[i];
      for (let l = 0; l < 2 * m; l += 2) {
        e[l] += cr * qi[l] - ci * qi[l + 1];
        e[l + 1] += cr * qi[l + 1] + ci * qi[l];
      }
    }
    for (let l = 0; l < 2 * m; l++) gy[l] += e[l];
    const zs = backSolve(tp.R, s, tp.qy);
    const rs = tp.Rres[s - 1];
    for (let i = 0; i < s; i++) {
      const g = GB[i];
      // conj(u_i) r - conj(z_i) e
      const ur = u[2 * i];
      const ui = -u[2 * i + 1];
      const zr = zs[2 * i];
      const zi = -zs[2 * i + 1];
      for (let l = 0; l < 2 * m; l += 2) {
        g[l] += (ur * rs[l] - ui * rs[l + 1]) - (zr * e[l] - zi * e[l + 1]);
        g[l + 1] += (ur * rs[l + 1] + ui * rs[l]) - (zr * e[l + 1] + zi * e[l]);
      }
    }
    gr = new Float64Array(2 * m);
    if (tau > 0) {
      // dL/dp_t = Re(A^H gb_t) + Re(conj(z_t) gx)
      cmatHVec(data, m, n, GB[t], cg);
      const ztr = zT[2 * t];
      const zti = zT[2 * t + 1];
      for (let j = 0; j < n; j++) gp[j] = cg[2 * j] + (ztr * gx[2 * j] + zti * gx[2 * j + 1]);
      const c = tp.C[t];
      for (let j = 0; j < n; j++) v[j] = absScaled(w[j], c[2 * j], c[2 * j + 1]);
      gv.fill(0);
      gtau += softRowVjpJs(v, tp.sel[t], tau, tp.P[t], gp, gv);
      const gc = cg; // reused: dL/dc, complex
      for (let j = 0; j < n; j++) {
        const cr = c[2 * j];
        const ci = c[2 * j + 1];
        const mod = ci === 0 ? Math.abs(cr) : Math.hypot(cr, ci);
        if (gv[j] === 0 || mod === 0) {
          gc[2 * j] = 0;
          gc[2 * j + 1] = 0;
          continue;
        }
        const f = (gv[j] * Math.abs(w[j])) / mod;
        gc[2 * j] = f * cr;
        gc[2 * j + 1] = f * ci;
        gw[j] += gv[j] * Math.sign(w[j]) * mod;
      }
      cmatVec(data, m, n, gc, gr);
    }
    if (t === 0) for (let l = 0; l < 2 * m; l++) gy[l] += gr[l];
  }
  return { ...res, gw, gy, gtau };
}

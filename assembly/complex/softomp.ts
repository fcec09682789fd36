// Complex Soft-OMP with its hand-written reverse pass: the algorithm of the JS
// twin src/js/complex/softomp.ts (complexSoftOmpJs, complexSoftOmpVjpJs) step
// for step, on a complex operator handle (coperator.ts: a dense complex
// matrix or a tagged partial Fourier header). Complex arrays are interleaved
// (re, im), 16 bytes per value; w, tau and the SoftSort rows are real.
//
// Forward, from r_0 = y, for t = 0 .. L-1:
//   c_t = A^H r_t;  v_j = |w_j c_tj| (modulus);  p_t = SoftSort row of v at
//   its max (real; tau = 0: the indicator of the argmax, ties lowest index);
//   b_t = A p_t;  B = [b_0 .. b_t] = Q R by complex Gram-Schmidt, twice
//   (R's diagonal real > 0, Q stored explicitly, as the twin does);
//   r_{t+1} = r_t - q_t (q_t^H r_t).   Output x = sum_t z_t p_t with
//   z = R^{-1} Q^H y. Stops early (as the twin) on a degenerate soft atom
//   (DEGENERATE, or CONVERGED after an exact fit) or a dependent one
//   (PREMATURE unless the fit is exact).
//
// Reverse pass (the twin's, in its order): for s = T .. 1, with gz = dL/dz
// (only at s = T) and gr = dL/dr_s:
//   h = Q_s^H gr, q = R^{-H} gz, u = R^{-1} (q - h), e = Q_s (q - h) + gr;
//   dL/dy += e;  dL/db_i += conj(u_i) r_s - conj(z_i) e.
// Then dL/dp_t = Re(A^H dL/db_t) + Re(conj(z_t) gx), the SoftSort row VJP
// (../softsort.ts softRowVjp) gives dL/dv and dL/dtau; v = |w c| gives
// dL/dc_j = gv_j |w_j| c_j / |c_j| and dL/dw_j += gv_j sgn(w_j) |c_j|; and
// dL/dr_t = A dL/dc_t.
//
// Rounding: A^H r (cgemvH) and the inner products (cdotH) sum in lane
// accumulators, the twin in one loop, and the SoftSort uses ../softsort.ts, so
// the two agree to rounding, not bit for bit; every other step has the twin's
// operations in its order. Scalar and SIMD builds agree bit for bit (cblas.ts).
//
// Tape per iteration: p_t (n), c_t (2n), r_{t+1} (2m), q_t (2m), an R column
// (2L), dL/db_t (2m); plus the argmax (i32).
import { DEP_TOL } from "../qr";
import { SQRT_EPS } from "../constants";
import { argmaxValue, softRow, softRowVjp } from "../softsort";
import { CONVERGED, DEGENERATE, PREMATURE, writeInfo } from "../status";
import { wsBegin, wsCheck, wsEnd, wsTake } from "../workspace";
import { cabs, caddColumn, cdotH, cdotIm, cnrm2 } from "./cblas";
import { copAdjoint, copApply, copColNorms, copColumn } from "./coperator";

// The twin's SOFT_ATOM_TOL (../solvers/softomp.ts): a soft atom keeping less
// than this fraction of sum_j p_j ||a_j|| is degenerate.
const SOFT_ATOM_TOL: f64 = SQRT_EPS;

// ---------------------------------------------------------------- layout

let Pt: usize = 0;   // L x n real: soft rows p_t
let Ct: usize = 0;   // L x n complex: c_t
let Rt: usize = 0;   // L x m complex: r_{t+1}
let Qm: usize = 0;   // L x m complex: q_t
let Rm: usize = 0;   // L x L complex: column j holds R(i, j), i <= j
let GB: usize = 0;   // L x m complex: dL/db_t
let sel: usize = 0;  // L i32: argmax of v_t
let lv: usize = 0;   // 8 x L complex: qy, zb, zT, gzT, hv, qv, qh, ub, zs (see below)
let vb: usize = 0;   // n: v
let bb: usize = 0;   // m complex: b_t, then the final residual
let pc: usize = 0;   // n complex: p as a complex vector
let gr: usize = 0;   // m complex: dL/dr
let eb: usize = 0;   // m complex: e
let gyb: usize = 0;  // m complex: dL/dy accumulator
let cg: usize = 0;   // n complex: A^H dL/db_t, then dL/dc_t
let gp: usize = 0;   // n: dL/dp_t
let gv: usize = 0;   // n: dL/dv_t
let gxb: usize = 0;  // n complex: dL/dx of one sample (batched VJP)
let xtmp: usize = 0; // n complex: x when the caller does not want it
let cn: usize = 0;   // n: column norms of A
let gwb: usize = 0;  // n: dL/dw of one sample (batched VJP)
let nIter: i32 = 0;
let Lmax: i32 = 0;

// the L-sized complex vectors inside lv
let qy: usize = 0, zb: usize = 0, zT: usize = 0, gzT: usize = 0, hv: usize = 0, qv: usize = 0, qh: usize = 0, ub: usize = 0, zs: usize = 0;

function carve(ws: usize, m: i32, n: i32, L: i32): u64 {
  wsBegin(ws);
  Lmax = L;
  const m16 = <u64>m << 4;
  const n16 = <u64>n << 4;
  const n8 = <u64>n << 3;
  const L16 = <u64>L << 4;
  Pt = wsTake(<u64>L * n8);
  Ct = wsTake(<u64>L * n16);
  Rt = wsTake(<u64>L * m16);
  Qm = wsTake(<u64>L * m16);
  Rm = wsTake(<u64>L * L16);
  GB = wsTake(<u64>L * m16);
  sel = wsTake(<u64>L << 2);
  lv = wsTake(9 * L16);
  vb = wsTake(n8);
  bb = wsTake(m16);
  pc = wsTake(n16);
  gr = wsTake(m16);
  eb = wsTake(m16);
  gyb = wsTake(m16);
  cg = wsTake(n16);
  gp = wsTake(n8);
  gv = wsTake(n8);
  gxb = wsTake(n16);
  xtmp = wsTake(n16);
  cn = wsTake(n8);
  gwb = wsTake(n8);
  const Lb = <usize>L << 4;
  qy = lv; zb = qy + Lb; zT = zb + Lb; gzT = zT + Lb; hv = gzT + Lb; qv = hv + Lb; qh = qv + Lb; ub = qh + Lb; zs = ub + Lb;
  return wsEnd();
}

/** Workspace bytes of every complex Soft-OMP kernel at (m, n, L iterations), exact beyond 4 GiB (as f64): what carve() takes. */
export function complexSoftOmpWorkspace64(m: i32, n: i32, L: i32): f64 {
  return <f64>carve(0, m, n, L);
}

// ---------------------------------------------------------------- helpers

/** Row t of a complex L x len array. */
// @ts-ignore: decorator
@inline function crow(base: usize, t: i32, len: i32): usize {
  return base + <usize>t * (<usize>len << 4);
}

/** Row t of a real L x len array. */
// @ts-ignore: decorator
@inline function rrow(base: usize, t: i32, len: i32): usize {
  return base + <usize>t * (<usize>len << 3);
}

/** R(i, j), complex: its address. */
// @ts-ignore: decorator
@inline function rAt(i: i32, j: i32): usize {
  return Rm + ((<usize>j * <usize>Lmax + <usize>i) << 4);
}

// @ts-ignore: decorator
@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/** w_j (w = 0: all ones). */
// @ts-ignore: decorator
@inline function wAt(w: usize, j: i32): f64 {
  return w == 0 ? 1.0 : ld(w, j);
}

/** v_j = |w_j c_j| for the complex c (the twin's absScaled). */
export function cabsScaled(w: usize, c: usize, v: usize, n: i32): void {
  for (let j = 0; j < n; j++) {
    const s = wAt(w, j);
    st(v, j, cabs(s * ld(c, 2 * j), s * ld(c, 2 * j + 1)));
  }
}

/** Solves R z = rhs (first s rows / columns; complex) by back substitution, z to out. */
function backSolve(s: i32, rhs: usize, out: usize): void {
  for (let i = s - 1; i >= 0; i--) {
    let ar = ld(rhs, 2 * i);
    let ai = ld(rhs, 2 * i + 1);
    for (let j = i + 1; j < s; j++) {
      const p = rAt(i, j);
      const rr = load<f64>(p), ri = load<f64>(p, 8);
      const zr = ld(out, 2 * j), zi = ld(out, 2 * j + 1);
      ar -= rr * zr - ri * zi;
      ai -= rr * zi + ri * zr;
    }
    const d = load<f64>(rAt(i, i)); // real > 0
    st(out, 2 * i, ar / d);
    st(out, 2 * i + 1, ai / d);
  }
}

/** Solves R^H q = rhs (forward substitution; entries conj(R(l, i))), q to out. */
function forwardSolveH(s: i32, rhs: usize, out: usize): void {
  for (let i = 0; i < s; i++) {
    let ar = ld(rhs, 2 * i);
    let ai = ld(rhs, 2 * i + 1);
    for (let l = 0; l < i; l++) {
      const p = rAt(l, i);
      const rr = load<f64>(p), ri = -load<f64>(p, 8);
      const qr = ld(out, 2 * l), qi = ld(out, 2 * l + 1);
      ar -= rr * qr - ri * qi;
      ai -= rr * qi + ri * qr;
    }
    const d = load<f64>(rAt(i, i));
    st(out, 2 * i, ar / d);
    st(out, 2 * i + 1, ai / d);
  }
}

/** x = sum_{i < t} z_i p_i (complex z, real rows p), x n complex. */
function combine(z: usize, t: i32, n: i32, x: usize): void {
  memory.fill(x, 0, <usize>n << 4);
  for (let i = 0; i < t; i++) {
    const p = rrow(Pt, i, n);
    const zr = ld(z, 2 * i), zi = ld(z, 2 * i + 1);
    for (let j = 0; j < n; j++) {
      const pj = ld(p, j);
      st(x, 2 * j, ld(x, 2 * j) + zr * pj);
      st(x, 2 * j + 1, ld(x, 2 * j + 1) + zi * pj);
    }
  }
}

/** ||y - A x|| (bb as scratch). */
function residualNorm(A: usize, m: i32, n: i32, y: usize, x: usize): f64 {
  copApply(A, m, n, x, bb);
  const len = 2 * m;
  for (let l = 0; l < len; l++) st(bb, l, ld(y, l) - ld(bb, l));
  return cnrm2(bb, m);
}

// ---------------------------------------------------------------- passes

/**
 * The forward pass over the carved workspace: fills the tape, writes x
 * (n complex) and, when hist != 0, x after each iteration (L x n complex).
 * Sets nIter; returns the status.
 */
function forward(A: usize, m: i32, n: i32, y: usize, w: usize, L: i32, tau: f64, x: usize, hist: usize): i32 {
  let status = CONVERGED;
  let T = 0;
  const ynorm = cnrm2(y, m);
  const mb = <usize>m << 4;
  for (let t = 0; t < L; t++) {
    const r = t == 0 ? y : crow(Rt, t - 1, m);
    const c = crow(Ct, t, n);
    const p = rrow(Pt, t, n);
    copAdjoint(A, m, n, r, c);
    cabsScaled(w, c, vb, n);
    const piv = argmaxValue(vb, n);
    store<i32>(sel + (<usize>t << 2), piv);
    if (tau == 0.0) {
      memory.fill(p, 0, <usize>n << 3);
      st(p, piv, 1.0);
      memory.copy(bb, copColumn(A, m, piv), mb);
    } else {
      softRow(vb, n, ld(vb, piv), tau, p, 8);
      for (let j = 0; j < n; j++) {
        st(pc, 2 * j, ld(p, j));
        st(pc, 2 * j + 1, 0.0);
      }
      copApply(A, m, n, pc, bb);
      let mass = 0.0;
      for (let j = 0; j < n; j++) mass += ld(p, j) * ld(cn, j);
      if (!(cnrm2(bb, m) > SOFT_ATOM_TOL * mass)) {
        // after an exact fit the soft row is noise by nature: that is convergence
        status = t > 0 && cnrm2(r, m) <= DEP_TOL * ynorm ? CONVERGED : DEGENERATE;
        break;
      }
    }
    // Gram-Schmidt, twice, into q_t and R's column t
    const bnorm = cnrm2(bb, m);
    const qn = crow(Qm, t, m);
    memory.copy(qn, bb, mb);
    const rc = rAt(0, t);
    memory.fill(rc, 0, <usize>(t + 1) << 4);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < t; i++) {
        const qi = crow(Qm, i, m);
        const hr = cdotH(qi, qn, m);
        const hi = cdotIm();
        st(rc, 2 * i, ld(rc, 2 * i) + hr);
        st(rc, 2 * i + 1, ld(rc, 2 * i + 1) + hi);
        caddColumn(qi, m, hr, hi, qn, true);
      }
    }
    const alpha = cnrm2(qn, m);
    if (!(alpha > DEP_TOL * bnorm)) {
      // an exact fit has nothing left to add: converged
      if (t == 0 || cnrm2(r, m) > DEP_TOL * ynorm) status = PREMATURE;
      break;
    }
    const len = 2 * m;
    for (let l = 0; l < len; l++) st(qn, l, ld(qn, l) / alpha);
    st(rc, 2 * t, alpha);
    st(rc, 2 * t + 1, 0.0);
    st(qy, 2 * t, cdotH(qn, y, m));
    st(qy, 2 * t + 1, cdotIm());
    T = t + 1;
    // r_{t+1} = r_t - q_t (q_t^H r_t)
    const hr = cdotH(qn, r, m);
    const hi = cdotIm();
    const rn = crow(Rt, t, m);
    memory.copy(rn, r, mb);
    caddColumn(qn, m, hr, hi, rn, true);
    if (hist != 0) {
      backSolve(T, qy, zb);
      combine(zb, T, n, crow(hist, t, n));
    }
  }
  // iterations that did not run repeat the last iterate in the history
  if (hist != 0) {
    for (let t = T; t < L; t++) {
      if (t == 0) memory.fill(hist, 0, <usize>n << 4);
      else memory.copy(crow(hist, t, n), crow(hist, t - 1, n), <usize>n << 4);
    }
  }
  backSolve(T, qy, zb);
  combine(zb, T, n, x);
  nIter = T;
  return status;
}

/**
 * The reverse pass after forward(): from gx = dL/dx (n complex, dL/dRe +
 * i dL/dIm) adds dL/dw to gw (n; skipped when 0), writes dL/dy to gy (m
 * complex, when gy != 0) and returns dL/dtau.
 */
function backward(A: usize, m: i32, n: i32, w: usize, tau: f64, gx: usize, gw: usize, gy: usize): f64 {
  const T = nIter;
  const len = 2 * m;
  const mb = <usize>m << 4;
  backSolve(T, qy, zT);
  // gz_i = sum_j p_i[j] gx_j
  for (let i = 0; i < T; i++) {
    const p = rrow(Pt, i, n);
    let sr = 0.0, si = 0.0;
    for (let j = 0; j < n; j++) {
      const pj = ld(p, j);
      sr += pj * ld(gx, 2 * j);
      si += pj * ld(gx, 2 * j + 1);
    }
    st(gzT, 2 * i, sr);
    st(gzT, 2 * i + 1, si);
  }
  memory.fill(GB, 0, <usize>T * mb);
  memory.fill(gr, 0, mb);
  memory.fill(gyb, 0, mb);
  let gtau = 0.0;
  for (let t = T - 1; t >= 0; t--) {
    const s = t + 1;
    // h = Q_s^H gr
    for (let i = 0; i < s; i++) {
      st(hv, 2 * i, cdotH(crow(Qm, i, m), gr, m));
      st(hv, 2 * i + 1, cdotIm());
    }
    if (s == T) forwardSolveH(s, gzT, qv);
    else memory.fill(qv, 0, <usize>s << 4);
    for (let i = 0; i < 2 * s; i++) st(qh, i, ld(qv, i) - ld(hv, i));
    backSolve(s, qh, ub);
    // e = Q_s (q - h) + gr
    memory.copy(eb, gr, mb);
    for (let i = 0; i < s; i++) caddColumn(crow(Qm, i, m), m, ld(qh, 2 * i), ld(qh, 2 * i + 1), eb, false);
    for (let l = 0; l < len; l++) st(gyb, l, ld(gyb, l) + ld(eb, l));
    backSolve(s, qy, zs);
    const rs = crow(Rt, s - 1, m);
    for (let i = 0; i < s; i++) {
      const g = crow(GB, i, m);
      // conj(u_i) r - conj(z_i) e
      const ur = ld(ub, 2 * i), ui = -ld(ub, 2 * i + 1);
      const zr = ld(zs, 2 * i), zi = -ld(zs, 2 * i + 1);
      for (let l = 0; l < len; l += 2) {
        const rr = ld(rs, l), ri = ld(rs, l + 1);
        const er = ld(eb, l), ei = ld(eb, l + 1);
        st(g, l, ld(g, l) + ((ur * rr - ui * ri) - (zr * er - zi * ei)));
        st(g, l + 1, ld(g, l + 1) + ((ur * ri + ui * rr) - (zr * ei + zi * er)));
      }
    }
    memory.fill(gr, 0, mb);
    if (tau > 0.0) {
      // dL/dp_t = Re(A^H gb_t) + Re(conj(z_t) gx)
      copAdjoint(A, m, n, crow(GB, t, m), cg);
      const ztr = ld(zT, 2 * t), zti = ld(zT, 2 * t + 1);
      for (let j = 0; j < n; j++) st(gp, j, ld(cg, 2 * j) + (ztr * ld(gx, 2 * j) + zti * ld(gx, 2 * j + 1)));
      const c = crow(Ct, t, n);
      cabsScaled(w, c, vb, n);
      memory.fill(gv, 0, <usize>n << 3);
      const piv = load<i32>(sel + (<usize>t << 2));
      gtau += softRowVjp(vb, n, piv, ld(vb, piv), tau, rrow(Pt, t, n), gp, 8, gv);
      // dL/dc (complex, into cg) and dL/dw
      for (let j = 0; j < n; j++) {
        const cr = ld(c, 2 * j), ci = ld(c, 2 * j + 1);
        const mod = cabs(cr, ci);
        const g = ld(gv, j);
        if (g == 0.0 || mod == 0.0) {
          st(cg, 2 * j, 0.0);
          st(cg, 2 * j + 1, 0.0);
          continue;
        }
        const wj = wAt(w, j);
        const f = (g * abs(wj)) / mod;
        st(cg, 2 * j, f * cr);
        st(cg, 2 * j + 1, f * ci);
        if (gw != 0) {
          const sg: f64 = wj > 0.0 ? 1.0 : (wj < 0.0 ? -1.0 : 0.0);
          st(gw, j, ld(gw, j) + g * sg * mod);
        }
      }
      copApply(A, m, n, cg, gr);
    }
    if (t == 0) for (let l = 0; l < len; l++) st(gyb, l, ld(gyb, l) + ld(gr, l));
  }
  if (gy != 0) memory.copy(gy, gyb, mb);
  return gtau;
}

// ---------------------------------------------------------------- kernels

/**
 * Complex Soft-OMP forward. A: complex operator handle (m x n); y: m complex;
 * w: n real weights (0: all ones); L iterations (1 <= L <= min(m, n));
 * tau >= 0 (0: hard weighted OMP). Writes x (n complex), selOut (L i32, or
 * 0): the argmax of each v_t; hist (L x n complex, or 0): x after each
 * iteration; info (INFO_LEN f64: residual norm, iterations run, iterations).
 * ws: complexSoftOmpWorkspace64(m, n, L) bytes. Returns CONVERGED, PREMATURE
 * or DEGENERATE.
 */
export function complexSoftOmp(A: usize, m: i32, n: i32, y: usize, w: usize, L: i32, tau: f64,
                               x: usize, selOut: usize, hist: usize, info: usize, ws: usize): i32 {
  carve(ws, m, n, L);
  copColNorms(A, m, n, cn);
  const status = forward(A, m, n, y, w, L, tau, x, hist);
  if (selOut != 0) memory.copy(selOut, sel, <usize>L << 2);
  writeInfo(info, residualNorm(A, m, n, y, x), nIter, nIter);
  wsCheck();
  return status;
}

/**
 * Complex Soft-OMP forward and reverse pass. gx: dL/dx (n complex). Writes x
 * (n complex, or 0), gw = dL/dw (n, or 0), gy = dL/dy (m complex, or 0),
 * out[0] = dL/dtau, info. Same other arguments as complexSoftOmp. Returns the
 * forward status.
 */
export function complexSoftOmpVjp(A: usize, m: i32, n: i32, y: usize, w: usize, L: i32, tau: f64,
                                  gx: usize, x: usize, gw: usize, gy: usize, out: usize, info: usize, ws: usize): i32 {
  carve(ws, m, n, L);
  copColNorms(A, m, n, cn);
  const xo = x != 0 ? x : xtmp;
  const status = forward(A, m, n, y, w, L, tau, xo, 0);
  writeInfo(info, residualNorm(A, m, n, y, xo), nIter, nIter);
  if (gw != 0) memory.fill(gw, 0, <usize>n << 3);
  store<f64>(out, backward(A, m, n, w, tau, gx, gw, gy));
  wsCheck();
  return status;
}

/**
 * Batched forward over N right-hand sides: Y (m x N complex, column-major),
 * X (n x N complex), status (N i32), resid (N f64). Returns the number of
 * samples whose status is not CONVERGED.
 */
export function complexSoftOmpBatch(A: usize, m: i32, n: i32, Y: usize, N: i32, w: usize, L: i32, tau: f64,
                                    X: usize, status: usize, resid: usize, ws: usize): i32 {
  carve(ws, m, n, L);
  copColNorms(A, m, n, cn);
  let bad = 0;
  for (let b = 0; b < N; b++) {
    const y = crow(Y, b, m);
    const x = crow(X, b, n);
    const s = forward(A, m, n, y, w, L, tau, x, 0);
    if (s != CONVERGED) bad++;
    store<i32>(status + (<usize>b << 2), s);
    st(resid, b, residualNorm(A, m, n, y, x));
  }
  wsCheck();
  return bad;
}

/**
 * Batched loss and gradients for training: loss = (1/N) sum_b ||Re(x_b) - xt_b||^2
 * with x_b = complex Soft-OMP(y_b). Y: m x N complex; Xt: real targets n x N;
 * writes X (n x N complex, or 0), gw = dL/dw summed over the batch (n, or 0),
 * gY = dL/dY (m x N complex, or 0), out[0] = loss, out[1] = dL/dtau, status
 * (N i32). Returns the number of samples whose status is not CONVERGED.
 */
export function complexSoftOmpBatchVjp(A: usize, m: i32, n: i32, Y: usize, Xt: usize, N: i32, w: usize, L: i32, tau: f64,
                                       X: usize, gw: usize, gY: usize, out: usize, status: usize, ws: usize): i32 {
  carve(ws, m, n, L);
  copColNorms(A, m, n, cn);
  if (gw != 0) memory.fill(gw, 0, <usize>n << 3);
  let loss = 0.0;
  let gtau = 0.0;
  let bad = 0;
  const fN = <f64>N;
  for (let b = 0; b < N; b++) {
    const xb = X != 0 ? crow(X, b, n) : xtmp;
    const y = crow(Y, b, m);
    const s = forward(A, m, n, y, w, L, tau, xb, 0);
    if (s != CONVERGED) bad++;
    store<i32>(status + (<usize>b << 2), s);
    const xt = rrow(Xt, b, n);
    for (let j = 0; j < n; j++) {
      const d = ld(xb, 2 * j) - ld(xt, j);
      loss += d * d;
      st(gxb, 2 * j, (2.0 * d) / fN); // the loss sees Re(x) only: imaginary parts of gx stay 0
      st(gxb, 2 * j + 1, 0.0);
    }
    if (gw != 0) memory.fill(gwb, 0, <usize>n << 3);
    gtau += backward(A, m, n, w, tau, gxb, gw != 0 ? gwb : 0, gY != 0 ? crow(gY, b, m) : 0);
    if (gw != 0) for (let j = 0; j < n; j++) st(gw, j, ld(gw, j) + ld(gwb, j));
  }
  store<f64>(out, loss / fN);
  store<f64>(out, gtau, 8);
  wsCheck();
  return bad;
}

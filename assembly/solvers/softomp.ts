// Soft-OMP (Mohammad-Taheri, Colbrook & Brugiapaglia 2025): OMP whose argmax
// is a SoftSort row, so that the output is a differentiable function of the
// per-index weights w, of y and of tau; with a hand-written reverse pass.
//
// Forward, from x = 0, r = y, P empty, for t = 0 .. L-1:
//   c_t = A^T r_t;  v_t = |w . c_t|;  p_t = softSort(v_t, tau, k=1) (a softmax
//   of v_t / tau: the soft argmax row);  b_t = A p_t;
//   QR of B = [b_0 .. b_t] (one Householder append);  z = R^{-1} Q^T y;
//   r_{t+1} = y - B z.                          Output: x = P^T z = sum_t z_t p_t.
// tau = 0 is the hard, weighted OMP: p_t = e_j with j = argmax_j |w_j c_tj|
// (ties: lowest index), b_t = a_j. Neither form masks chosen indices (the
// residual is orthogonal to them); a new column of B that is linearly
// dependent on the previous ones (qr.ts DEP_TOL) ends the loop early with
// x from the columns so far and status PREMATURE (CONVERGED when the fit
// was already exact).
//
// Reverse pass (softOmpVjp): through the unrolled iterations, in reverse.
// Least-squares step s (z_s, r_s from B_s = first s columns), given
// gz = dL/dz_s and gr = dL/dr_s, through the QR factors (no normal
// equations):
//   h = Q_s^T gr;  q = R_s^{-T} gz;  u = R_s^{-1} (q - h[0:s]);
//   e = Q_s [q; h[s:m]]   (= gr + B_s u);
//   dL/dy += e;   dL/dB_s += r_s u^T - e z_s^T.
// The prefix factors of B_s are the leading parts of the final
// factorization (Householder QR is column-incremental), so one QR serves
// every step. Only the last step has gz != 0 (x depends on the final z only)
// and only the others have gr != 0 (r_s feeds c_s only).
// Then dL/dp_t = z_t dL/dx + A^T dL/db_t, the SoftSort-row VJP gives dL/dv_t
// and dL/dtau, v = |w.c| gives dL/dw and dL/dc_t, and dL/dr_t = A dL/dc_t.
//
// Tape kept per iteration (f64): p_t (n), c_t (n), r_{t+1} (m), the
// Householder vector (m), an R column (<= L) and its tau (1); plus the row's
// argmax (1 i32). That is 2n + 2m + L + 1 doubles per iteration; the
// fixed part is about 7m + 5n + mL doubles of scratch (mL: dL/dB).
//
// ABI (not the common k-sparse one; see README.md): pointers are byte
// addresses of f64 / i32 arrays; A is m x n column-major.
import { sqErrGrad } from "../loss";
import { axpy, copy, dot, nrm2, zero } from "../blas";
import { opAdjoint, opApply, opColumn, opResidual, opColNorms } from "../operator";
import { QR, qrAppend, qrApplyQ, qrApplyQt, qrBytes, qrInit, qrReset, qrResidual, qrSolve, QR_OK } from "../qr";
import { argmaxValue, softRow, softRowVjp } from "../softsort";
import { SQRT_EPS } from "../constants";
import { CONVERGED, DEGENERATE, PREMATURE, writeInfo } from "../status";
import { wsBegin, wsCheck, wsEnd, wsTake } from "../workspace";

// A dependent new column ends the loop as CONVERGED instead of PREMATURE when
// the fit is already exact, ||r|| <= EXACT_TOL ||y||: sqrt(machine epsilon),
// the same test omp.ts (CORR_TOL) uses.
const EXACT_TOL: f64 = SQRT_EPS;

// A soft atom b_t = A p_t (tau > 0) is degenerate when it keeps less than
// SOFT_ATOM_TOL of the mass sum_j p_j ||a_j|| it is built from: the columns
// weighted by p_t cancel (weights zero or tiny make p_t near uniform, and the
// columns of a DCT or a centred dictionary sum to about zero), and what is
// left is rounding, of relative size about n eps. Fitting it would put huge
// coefficients on noise; the loop stops before it (DEGENERATE) with the
// atoms so far. sqrt(eps): the level of the other dependence tests (qr.ts).
const SOFT_ATOM_TOL: f64 = SQRT_EPS;

// ---------------------------------------------------------------- layout

let qrMem: usize = 0;
let Pt: usize = 0;   // L x n: soft rows p_t (row t at Pt + t n 8)
let Ct: usize = 0;   // L x n: c_t = A^T r_t
let Rt: usize = 0;   // L x m: r_{t+1}
let sel: usize = 0;  // L i32: argmax of v_t
let vb: usize = 0;   // n: v = |w c|
let bb: usize = 0;   // m: new column b_t
let zb: usize = 0;   // L: z
let zT: usize = 0;   // L: final z (backward)
let gzb: usize = 0;  // L: dL/dz_T
let qv: usize = 0;   // L: R^{-T} gz
let ub: usize = 0;   // L: u
let zs: usize = 0;   // L: z_s
let gp: usize = 0;   // n: dL/dp_t
let gv: usize = 0;   // n: dL/dv_t, then dL/dc_t
let gr: usize = 0;   // m: dL/dr_t
let hb: usize = 0;   // m: Q^T gr
let eb: usize = 0;   // m: e
let gyb: usize = 0;  // m: dL/dy accumulator
let GB: usize = 0;   // m x L: dL/dB
let gxb: usize = 0;  // n: dL/dx of one sample (batched VJP)
let xtmp: usize = 0; // n: x when the caller does not want it
let cn: usize = 0;   // n: column norms of A (the degenerate-atom test)
let nIter: i32 = 0;  // columns appended by the last forward pass

function carve(ws: usize, m: i32, n: i32, L: i32): u64 {
  wsBegin(ws);
  // sizes in 64 bits, so that a tape beyond 4 GiB is counted, not wrapped (the facade then refuses it)
  const m8 = <u64>m << 3;
  const n8 = <u64>n << 3;
  const L8 = <u64>L << 3;
  qrMem = wsTake(qrBytes(m, L));
  Pt = wsTake(<u64>L * n8);
  Ct = wsTake(<u64>L * n8);
  Rt = wsTake(<u64>L * m8);
  sel = wsTake(<u64>L << 2);
  vb = wsTake(n8);
  bb = wsTake(m8);
  zb = wsTake(L8);
  zT = wsTake(L8);
  gzb = wsTake(L8);
  qv = wsTake(L8);
  ub = wsTake(L8);
  zs = wsTake(L8);
  gp = wsTake(n8);
  gv = wsTake(n8);
  gr = wsTake(m8);
  hb = wsTake(m8);
  eb = wsTake(m8);
  gyb = wsTake(m8);
  GB = wsTake(<u64>L * m8);
  gxb = wsTake(n8);
  xtmp = wsTake(n8);
  cn = wsTake(n8);
  return wsEnd();
}

/** Workspace bytes of every Soft-OMP kernel at (m, n, L iterations), exact beyond 4 GiB (as f64): what carve() takes. */
export function softOmpWorkspace64(m: i32, n: i32, L: i32): f64 {
  return <f64>carve(0, m, n, L);
}

// ---------------------------------------------------------------- helpers

// @ts-ignore: decorator
@inline function rowPtr(base: usize, t: i32, len: i32): usize {
  return base + <usize>t * (<usize>len << 3);
}

/** ||y - A x|| (bb as scratch): the residual every Soft-OMP kernel reports. */
function trueResidual(A: usize, m: i32, n: i32, y: usize, x: usize): f64 {
  return opResidual(A, m, n, y, x, bb);
}

/** x = sum_{i<t} z_i p_i. */
function combine(z: usize, t: i32, n: i32, x: usize): void {
  zero(x, n);
  for (let i = 0; i < t; i++) axpy(load<f64>(z + (<usize>i << 3)), rowPtr(Pt, i, n), x, n);
}

/** v = |w . c| (w = 0 pointer: all ones). */
function weightedAbs(w: usize, c: usize, v: usize, n: i32): void {
  if (w == 0) {
    for (let j = 0; j < n; j++) store<f64>(v + (<usize>j << 3), abs(load<f64>(c + (<usize>j << 3))));
  } else {
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 3;
      store<f64>(v + o, abs(load<f64>(w + o) * load<f64>(c + o)));
    }
  }
}

/** Solves R[0:s,0:s]^T out = rhs (forward substitution; R leading dimension ld). */
function solveRt(R: usize, ld: i32, s: i32, rhs: usize, out: usize): void {
  const ldb = <usize>ld << 3;
  for (let i = 0; i < s; i++) {
    const col = R + <usize>i * ldb;
    let acc = load<f64>(rhs + (<usize>i << 3));
    for (let l = 0; l < i; l++) acc -= load<f64>(col + (<usize>l << 3)) * load<f64>(out + (<usize>l << 3));
    store<f64>(out + (<usize>i << 3), acc / load<f64>(col + (<usize>i << 3)));
  }
}

/** Solves R[0:s,0:s] x = x in place (back substitution). */
function solveR(R: usize, ld: i32, s: i32, x: usize): void {
  const ldb = <usize>ld << 3;
  for (let i = s - 1; i >= 0; i--) {
    let acc = load<f64>(x + (<usize>i << 3));
    for (let j = i + 1; j < s; j++) acc -= load<f64>(R + <usize>j * ldb + (<usize>i << 3)) * load<f64>(x + (<usize>j << 3));
    store<f64>(x + (<usize>i << 3), acc / load<f64>(R + <usize>i * ldb + (<usize>i << 3)));
  }
}

// ---------------------------------------------------------------- passes

/**
 * The forward pass over the carved workspace: fills the tape, writes x (n),
 * optionally the argmax per row (selOut, L i32) and x after each iteration
 * (hist, L x n row-major). Sets nIter. Returns a status.
 */
function forward(A: usize, m: i32, n: i32, y: usize, w: usize, L: i32, tau: f64,
                 x: usize, hist: usize): i32 {
  const q: QR = qrInit(qrMem, m, L);
  qrReset(q, y);
  let status = CONVERGED;
  let T = 0;
  for (let t = 0; t < L; t++) {
    const r = t == 0 ? y : rowPtr(Rt, t - 1, m);
    const c = rowPtr(Ct, t, n);
    const p = rowPtr(Pt, t, n);
    opAdjoint(A, m, n, r, c);
    weightedAbs(w, c, vb, n);
    const piv = argmaxValue(vb, n);
    store<i32>(sel + (<usize>t << 2), piv);
    if (tau == 0.0) {
      zero(p, n);
      store<f64>(p + (<usize>piv << 3), 1.0);
      copy(opColumn(A, m, piv), bb, m);
    } else {
      softRow(vb, n, load<f64>(vb + (<usize>piv << 3)), tau, p, 8);
      opApply(A, m, n, p, bb);
      if (!(nrm2(bb, m) > SOFT_ATOM_TOL * dot(p, cn, n))) {
        // after an exact fit the soft row is noise by nature: that is convergence (as below)
        status = T > 0 && nrm2(q.qty + (<usize>T << 3), m - T) <= EXACT_TOL * nrm2(y, m) ? CONVERGED : DEGENERATE;
        break;
      }
    }
    if (qrAppend(q, bb, nrm2(bb, m)) != QR_OK) {
      // an exact fit (r = 0 to EXACT_TOL) has nothing left to add: that is convergence
      if (T == 0 || nrm2(q.qty + (<usize>T << 3), m - T) > EXACT_TOL * nrm2(y, m)) status = PREMATURE;
      break;
    }
    T = t + 1;
    qrResidual(q, rowPtr(Rt, t, m));
    if (hist != 0) {
      qrSolve(q, zb);
      combine(zb, T, n, rowPtr(hist, t, n));
    }
  }
  // iterations that did not run repeat the last iterate in the history
  if (hist != 0) {
    for (let t = T; t < L; t++) {
      if (t == 0) zero(hist, n);
      else copy(rowPtr(hist, t - 1, n), rowPtr(hist, t, n), n);
    }
  }
  qrSolve(q, zb);
  combine(zb, T, n, x);
  nIter = T;
  return status;
}

/**
 * The reverse pass after forward(): given gx = dL/dx (n), adds dL/dw to gw
 * (n; skipped when w == 0), writes dL/dy to gy (m, when gy != 0), adds
 * dL/dA to gA (m x n, when gA != 0: A enters through b_t = A p_t and
 * c_t = A^T r_t, so dL/dA = sum_t gb_t p_t^T + r_t gc_t^T), and returns
 * dL/dtau (0 when tau == 0: the hard selection has no gradient).
 */
function backward(A: usize, m: i32, n: i32, y: usize, w: usize, tau: f64,
                  gx: usize, gw: usize, gy: usize, gA: usize): f64 {
  const q = changetype<QR>(qrMem);
  const T = nIter;
  const ld = q.kmax;
  qrSolve(q, zT);
  for (let i = 0; i < T; i++) store<f64>(gzb + (<usize>i << 3), dot(rowPtr(Pt, i, n), gx, n));
  zero(GB, T * m);
  zero(gyb, m);
  zero(gr, m);
  let dtau = 0.0;
  for (let t = T - 1; t >= 0; t--) {
    const s = t + 1;
    q.t = s;
    // least-squares step s
    copy(gr, hb, m);
    qrApplyQt(q, hb);
    if (s == T) solveRt(q.R, ld, s, gzb, qv);
    else zero(qv, s);
    for (let i = 0; i < s; i++) {
      const o = <usize>i << 3;
      store<f64>(ub + o, load<f64>(qv + o) - load<f64>(hb + o));
    }
    solveR(q.R, ld, s, ub);
    copy(qv, eb, s);
    copy(hb + (<usize>s << 3), eb + (<usize>s << 3), m - s);
    qrApplyQ(q, eb);
    axpy(1.0, eb, gyb, m);
    qrSolve(q, zs);
    const rs = rowPtr(Rt, s - 1, m);
    for (let i = 0; i < s; i++) {
      const gbi = rowPtr(GB, i, m);
      axpy(load<f64>(ub + (<usize>i << 3)), rs, gbi, m);
      axpy(-load<f64>(zs + (<usize>i << 3)), eb, gbi, m);
    }
    // iteration t: p_t -> v_t -> (w, c_t) -> r_t
    const pt = rowPtr(Pt, t, n);
    if (gA != 0) {
      const gbt = rowPtr(GB, t, m);
      for (let j = 0; j < n; j++) {
        const pj = load<f64>(pt + (<usize>j << 3));
        if (pj != 0.0) axpy(pj, gbt, gA + <usize>j * (<usize>m << 3), m);
      }
    }
    if (tau > 0.0) {
      opAdjoint(A, m, n, rowPtr(GB, t, m), gp);
      axpy(load<f64>(zT + (<usize>t << 3)), gx, gp, n);
      const c = rowPtr(Ct, t, n);
      weightedAbs(w, c, vb, n);
      const piv = load<i32>(sel + (<usize>t << 2));
      zero(gv, n);
      dtau += softRowVjp(vb, n, piv, load<f64>(vb + (<usize>piv << 3)), tau, pt, gp, 8, gv);
      for (let j = 0; j < n; j++) {
        const o = <usize>j << 3;
        const cj = load<f64>(c + o);
        const wj = w == 0 ? 1.0 : load<f64>(w + o);
        const g = load<f64>(gv + o);
        const wc = wj * cj;
        const sg: f64 = wc > 0.0 ? 1.0 : (wc < 0.0 ? -1.0 : 0.0);
        store<f64>(gv + o, g * sg * wj);
        if (gw != 0) store<f64>(gw + o, load<f64>(gw + o) + g * sg * cj);
      }
      opApply(A, m, n, gv, gr);
      if (gA != 0) {
        const rt = t == 0 ? y : rowPtr(Rt, t - 1, m);
        for (let j = 0; j < n; j++) {
          const gcj = load<f64>(gv + (<usize>j << 3));
          if (gcj != 0.0) axpy(gcj, rt, gA + <usize>j * (<usize>m << 3), m);
        }
      }
    } else {
      zero(gr, m);
    }
    if (t == 0) axpy(1.0, gr, gyb, m);
  }
  q.t = T;
  if (gy != 0) copy(gyb, gy, m);
  return dtau;
}

// ---------------------------------------------------------------- kernels

/**
 * Soft-OMP forward. A: m x n; y: m; w: n weights (0: all ones); L
 * iterations (1 <= L <= min(m, n)); tau >= 0 (0: hard weighted OMP).
 * Writes x (n), selOut (L i32, or 0): argmax of each v_t, hist (L x n
 * row-major, or 0): x after each iteration, info (INFO_LEN f64: residual
 * norm, iterations run, 0). ws: softOmpWorkspace(m, n, L) bytes.
 * Returns CONVERGED or PREMATURE.
 */
export function softOmp(A: usize, m: i32, n: i32, y: usize, w: usize, L: i32, tau: f64,
                        x: usize, selOut: usize, hist: usize, info: usize, ws: usize): i32 {
  carve(ws, m, n, L);
  opColNorms(A, m, n, cn);
  const status = forward(A, m, n, y, w, L, tau, x, hist);
  if (selOut != 0) memory.copy(selOut, sel, <usize>L << 2);
  writeInfo(info, trueResidual(A, m, n, y, x), nIter, nIter);
  wsCheck();
  return status;
}

/**
 * Soft-OMP forward and reverse pass. gx: dL/dx (n). Writes x (n, or 0),
 * gw = dL/dw (n, or 0), gy = dL/dy (m, or 0), gA = dL/dA (m x n, or 0),
 * out[0] = dL/dtau, info.
 * Same other arguments as softOmp. Returns the forward status.
 */
export function softOmpVjp(A: usize, m: i32, n: i32, y: usize, w: usize, L: i32, tau: f64,
                           gx: usize, x: usize, gw: usize, gy: usize, gA: usize, out: usize, info: usize, ws: usize): i32 {
  carve(ws, m, n, L);
  opColNorms(A, m, n, cn);
  const xo = x != 0 ? x : xtmp;
  const status = forward(A, m, n, y, w, L, tau, xo, 0);
  writeInfo(info, trueResidual(A, m, n, y, xo), nIter, nIter);
  if (gw != 0) zero(gw, n);
  if (gA != 0) zero(gA, m * n);
  store<f64>(out, backward(A, m, n, y, w, tau, gx, gw, gy, gA));
  wsCheck();
  return status;
}

/**
 * Batched forward over N right-hand sides: Y (m x N, column-major), X
 * (n x N), status (N i32), resid (N f64). Returns the number of samples
 * whose status is not CONVERGED.
 */
export function softOmpBatch(A: usize, m: i32, n: i32, Y: usize, N: i32, w: usize, L: i32, tau: f64,
                             X: usize, status: usize, resid: usize, ws: usize): i32 {
  carve(ws, m, n, L);
  opColNorms(A, m, n, cn);
  let bad = 0;
  for (let b = 0; b < N; b++) {
    const st = forward(A, m, n, rowPtr(Y, b, m), w, L, tau, rowPtr(X, b, n), 0);
    if (st != CONVERGED) bad++;
    store<i32>(status + (<usize>b << 2), st);
    store<f64>(resid + (<usize>b << 3), trueResidual(A, m, n, rowPtr(Y, b, m), rowPtr(X, b, n)));
  }
  wsCheck();
  return bad;
}

/**
 * Batched loss and gradient for training: loss = (1/N) sum_b ||x_b - xt_b||^2
 * with x_b = SoftOMP(y_b). Y: m x N; Xt: targets n x N; writes X (n x N, or
 * 0), gw = dL/dw summed over the batch (n, or 0), gY = dL/dY (m x N, or 0),
 * gA = dL/dA summed over the batch (m x n, or 0), out[0] = loss,
 * out[1] = dL/dtau, status (N i32). Returns the number of
 * samples whose status is not CONVERGED.
 */
export function softOmpBatchVjp(A: usize, m: i32, n: i32, Y: usize, Xt: usize, N: i32, w: usize, L: i32, tau: f64,
                                X: usize, gw: usize, gY: usize, gA: usize, out: usize, status: usize, ws: usize): i32 {
  carve(ws, m, n, L);
  opColNorms(A, m, n, cn);
  if (gw != 0) zero(gw, n);
  if (gA != 0) zero(gA, m * n);
  let loss = 0.0;
  let dtau = 0.0;
  let bad = 0;
  const scale = 2.0 / <f64>N;
  for (let b = 0; b < N; b++) {
    const xb = X != 0 ? rowPtr(X, b, n) : xtmp;
    const st = forward(A, m, n, rowPtr(Y, b, m), w, L, tau, xb, 0);
    if (st != CONVERGED) bad++;
    store<i32>(status + (<usize>b << 2), st);
    loss += sqErrGrad(xb, rowPtr(Xt, b, n), n, scale, gxb);
    dtau += backward(A, m, n, rowPtr(Y, b, m), w, tau, gxb, gw, gY != 0 ? rowPtr(gY, b, m) : 0, gA);
  }
  store<f64>(out, loss / <f64>N);
  store<f64>(out, dtau, 8);
  wsCheck();
  return bad;
}

// Soft-IHT (Mohammad-Taheri, Colbrook & Brugiapaglia 2025): IHT whose
// hard thresholding is replaced by a SoftSort mask, with a hand-written
// reverse pass.
//
// Forward, from x_0 = 0, for t = 0 .. L-1:
//   u_t = x_t + eta A^T (y - A x_t);  v_t = |w . u_t|;
//   Q_t = softSort(v_t, tau, k rows);  mask_t = 1^T Q_t (column sums, n);
//   x_{t+1} = mask_t . u_t.
// tau = 0 is the hard, weighted IHT: mask_t = indicator of the k largest
// |w_j u_tj| (ties: lowest index), i.e. x_{t+1} = H_k^w(u_t).
// If u_t or x_{t+1} is not finite (eta far too large), the loop stops with
// status SOFT_DIVERGED and x = the last finite iterate.
//
// Reverse pass (softIhtVjp), t = L-1 .. 0, from gx = dL/dx_{t+1}:
//   gu = gx . mask_t;  gmask = gx . u_t;  dL/dQ_t[i, :] = gmask for every row
//   (mask = 1^T Q); the SoftSort-row VJPs give dL/dv_t and dL/dtau;
//   gu += dL/dv . sgn(w.u) . w;  dL/dw += dL/dv . sgn(w.u) . u;
//   h = A gu;  dL/dy += eta h;  dL/dx_t = gu - eta A^T h.
//
// Tape kept per iteration: u_t (n f64), mask_t (n f64), the k rows of Q_t
// (k n f64) and their source indices (k i32): (k + 2) n doubles + k i32.
// The rows are stored rather than recomputed because the exp() calls of a
// SoftSort are the largest cost of an iteration at the sizes this is built
// for (k n exps against 2 m n multiply-adds). Fixed scratch: 8n + 2m doubles
// and n i32.
//
// ABI (not the common k-sparse one; see README.md): pointers are byte
// addresses of f64 / i32 arrays; A is m x n column-major.
import { sqErrGrad } from "../loss";
import { axpy, copy, zero } from "../blas";
import { opAdjoint, opApply, opResidual } from "../operator";
import { softRows, softRowVjp, sortDescK } from "../softsort";
import { CONVERGED, writeInfo } from "../status";
import { wsBegin, wsCheck, wsEnd, wsTake } from "../workspace";

/** Status: the iterates stopped being finite (step eta too large). */
export const SOFT_DIVERGED: i32 = 3;

// ---------------------------------------------------------------- layout

let Ut: usize = 0;   // L x n: u_t
let Mt: usize = 0;   // L x n: mask_t
let Qt: usize = 0;   // L k x n: rows of Q_t (row i of iteration t at (t k + i) n)
let Ot: usize = 0;   // L x k i32: source index of each row
let xc: usize = 0;   // n: current x
let rb: usize = 0;   // m: residual
let gb: usize = 0;   // n: A^T r, then scratch
let vb: usize = 0;   // n: |w . u|
let heap: usize = 0; // n i32
let gxc: usize = 0;  // n: dL/dx_{t+1}
let gu: usize = 0;   // n
let gm: usize = 0;   // n
let gv: usize = 0;   // n
let hb: usize = 0;   // m
let gyb: usize = 0;  // m: dL/dy accumulator
let gxb: usize = 0;  // n: dL/dx of one sample (batched VJP)
let xtmp: usize = 0; // n: x when the caller does not want it
let nIter: i32 = 0;
let tapeL: i32 = 1;  // iterations the tape holds: L for the VJPs, 1 for forward-only calls

// @ts-ignore: decorator
@inline function slot(t: i32): i32 {
  return tapeL == 1 ? 0 : t;
}

function carve(ws: usize, m: i32, n: i32, k: i32, L: i32): u64 {
  wsBegin(ws);
  tapeL = L;
  // sizes in 64 bits, so that a tape beyond 4 GiB is counted, not wrapped (the facade then refuses it)
  const m8 = <u64>m << 3;
  const n8 = <u64>n << 3;
  Ut = wsTake(<u64>L * n8);
  Mt = wsTake(<u64>L * n8);
  Qt = wsTake(<u64>L * <u64>k * n8);
  Ot = wsTake((<u64>L * <u64>k) << 2);
  xc = wsTake(n8);
  rb = wsTake(m8);
  gb = wsTake(n8);
  vb = wsTake(n8);
  heap = wsTake(<u64>n << 2);
  gxc = wsTake(n8);
  gu = wsTake(n8);
  gm = wsTake(n8);
  gv = wsTake(n8);
  hb = wsTake(m8);
  gyb = wsTake(m8);
  gxb = wsTake(n8);
  xtmp = wsTake(n8);
  return wsEnd();
}

/**
 * Workspace bytes at (m, n, k rows) with a tape of L iterations: the VJP
 * kernels need L = their iteration count, the forward kernels L = 1. Exact
 * beyond 4 GiB (as f64): what carve() takes.
 */
export function softIhtWorkspace64(m: i32, n: i32, k: i32, L: i32): f64 {
  return <f64>carve(0, m, n, k, L);
}

// @ts-ignore: decorator
@inline function rowPtr(base: usize, t: i32, len: i32): usize {
  return base + <usize>t * (<usize>len << 3);
}

/** v = |w . u| (w = 0 pointer: all ones). */
function weightedAbs(w: usize, u: usize, v: usize, n: i32): void {
  if (w == 0) {
    for (let j = 0; j < n; j++) store<f64>(v + (<usize>j << 3), abs(load<f64>(u + (<usize>j << 3))));
  } else {
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 3;
      store<f64>(v + o, abs(load<f64>(w + o) * load<f64>(u + o)));
    }
  }
}

function allFinite(x: usize, n: i32): bool {
  for (let j = 0; j < n; j++) {
    const v = load<f64>(x + (<usize>j << 3));
    if (!(v - v == 0.0)) return false;
  }
  return true;
}

// ---------------------------------------------------------------- passes

function forward(A: usize, m: i32, n: i32, y: usize, w: usize, k: i32, L: i32, eta: f64, tau: f64,
                 x: usize, hist: usize): i32 {
  zero(xc, n);
  let status = CONVERGED;
  let T = 0;
  for (let t = 0; t < L; t++) {
    // r = y - A x;  u = x + eta A^T r
    opApply(A, m, n, xc, rb);
    for (let i = 0; i < m; i++) {
      const o = <usize>i << 3;
      store<f64>(rb + o, load<f64>(y + o) - load<f64>(rb + o));
    }
    opAdjoint(A, m, n, rb, gb);
    const u = rowPtr(Ut, slot(t), n);
    copy(xc, u, n);
    axpy(eta, gb, u, n);
    if (!allFinite(u, n)) { status = SOFT_DIVERGED; break; }
    weightedAbs(w, u, vb, n);
    const ord = Ot + ((<usize>slot(t) * <usize>k) << 2);
    sortDescK(vb, n, k, ord, heap);
    const mk = rowPtr(Mt, slot(t), n);
    zero(mk, n);
    if (tau == 0.0) {
      for (let i = 0; i < k; i++) store<f64>(mk + (<usize>load<i32>(ord + (<usize>i << 2)) << 3), 1.0);
    } else {
      const rows = rowPtr(Qt, slot(t) * k, n);
      softRows(vb, n, k, ord, tau, rows, <usize>n << 3, 8, gm);
      for (let i = 0; i < k; i++) axpy(1.0, rowPtr(rows, i, n), mk, n);
    }
    // x_{t+1} = mask . u (into gb first, to keep x_t if it overflows)
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 3;
      store<f64>(gb + o, load<f64>(mk + o) * load<f64>(u + o));
    }
    if (!allFinite(gb, n)) { status = SOFT_DIVERGED; break; }
    // nor one whose residual y - A x overflows (its residual norm would be
    // Infinity); rb is free here (the backward pass recomputes r_t)
    if (!(residualNorm(A, m, n, y, gb) <= f64.MAX_VALUE)) { status = SOFT_DIVERGED; break; }
    copy(gb, xc, n);
    T = t + 1;
    if (hist != 0) copy(xc, rowPtr(hist, t, n), n);
  }
  if (hist != 0) for (let t = T; t < L; t++) copy(xc, rowPtr(hist, t, n), n);
  copy(xc, x, n);
  nIter = T;
  return status;
}

/** ||y - A x|| (uses rb). */
function residualNorm(A: usize, m: i32, n: i32, y: usize, x: usize): f64 {
  return opResidual(A, m, n, y, x, rb);
}

/**
 * Reverse pass after forward(): gx = dL/dx_L (n). Adds dL/dw to gw (n, or 0),
 * writes dL/dy to gy (m, or 0), adds dL/dA to gA (m x n, or 0; A enters
 * u_t = x_t + eta A^T (y - A x_t), so dL/dA += eta (r_t gu^T - (A gu) x_t^T),
 * with x_t and r_t recomputed from the tape); returns dL/dtau.
 */
function backward(A: usize, m: i32, n: i32, y: usize, w: usize, k: i32, eta: f64, tau: f64,
                  gx: usize, gw: usize, gy: usize, gA: usize): f64 {
  const T = nIter;
  copy(gx, gxc, n);
  zero(gyb, m);
  let dtau = 0.0;
  for (let t = T - 1; t >= 0; t--) {
    const u = rowPtr(Ut, t, n);
    const mk = rowPtr(Mt, t, n);
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 3;
      store<f64>(gu + o, load<f64>(gxc + o) * load<f64>(mk + o));
    }
    if (tau > 0.0) {
      for (let j = 0; j < n; j++) {
        const o = <usize>j << 3;
        store<f64>(gm + o, load<f64>(gxc + o) * load<f64>(u + o));
      }
      weightedAbs(w, u, vb, n);
      zero(gv, n);
      const ord = Ot + ((<usize>t * <usize>k) << 2);
      for (let i = 0; i < k; i++) {
        const piv = load<i32>(ord + (<usize>i << 2));
        dtau += softRowVjp(vb, n, piv, load<f64>(vb + (<usize>piv << 3)), tau, rowPtr(Qt, t * k + i, n), gm, 8, gv);
      }
      for (let j = 0; j < n; j++) {
        const o = <usize>j << 3;
        const uj = load<f64>(u + o);
        const wj = w == 0 ? 1.0 : load<f64>(w + o);
        const g = load<f64>(gv + o);
        const wu = wj * uj;
        const sg: f64 = wu > 0.0 ? 1.0 : (wu < 0.0 ? -1.0 : 0.0);
        store<f64>(gu + o, load<f64>(gu + o) + g * sg * wj);
        if (gw != 0) store<f64>(gw + o, load<f64>(gw + o) + g * sg * uj);
      }
    }
    opApply(A, m, n, gu, hb);
    axpy(eta, hb, gyb, m);
    if (gA != 0) {
      // x_t = mask_{t-1} . u_{t-1} (x_0 = 0) into xc, r_t = y - A x_t into rb
      if (t == 0) zero(xc, n);
      else {
        const up = rowPtr(Ut, t - 1, n);
        const mp = rowPtr(Mt, t - 1, n);
        for (let j = 0; j < n; j++) {
          const o = <usize>j << 3;
          store<f64>(xc + o, load<f64>(mp + o) * load<f64>(up + o));
        }
      }
      opApply(A, m, n, xc, rb);
      for (let i = 0; i < m; i++) {
        const o = <usize>i << 3;
        store<f64>(rb + o, load<f64>(y + o) - load<f64>(rb + o));
      }
      for (let j = 0; j < n; j++) {
        const o = <usize>j << 3;
        const col = gA + <usize>j * (<usize>m << 3);
        const a = eta * load<f64>(gu + o);
        const b = eta * load<f64>(xc + o);
        if (a != 0.0) axpy(a, rb, col, m);
        if (b != 0.0) axpy(-b, hb, col, m);
      }
    }
    if (t > 0) {
      opAdjoint(A, m, n, hb, gb);
      for (let j = 0; j < n; j++) {
        const o = <usize>j << 3;
        store<f64>(gxc + o, load<f64>(gu + o) - eta * load<f64>(gb + o));
      }
    }
  }
  if (gy != 0) copy(gyb, gy, m);
  return dtau;
}

// ---------------------------------------------------------------- kernels

/**
 * Soft-IHT forward. A: m x n; y: m; w: n weights (0: all ones); k rows of
 * the SoftSort (1 <= k <= n: the sparsity); L iterations (>= 1); eta > 0;
 * tau >= 0 (0: hard weighted IHT). Writes x (n), order (k i32, or 0): the
 * indices of the k largest |w . u| of the last iteration, largest first;
 * hist (L x n row-major, or 0): x after each iteration; info (INFO_LEN f64:
 * residual norm, iterations run). ws: softIhtWorkspace(m, n, k, 1) bytes
 * (the VJP kernels need softIhtWorkspace(m, n, k, L)). Returns CONVERGED or
 * SOFT_DIVERGED.
 */
export function softIht(A: usize, m: i32, n: i32, y: usize, w: usize, k: i32, L: i32, eta: f64, tau: f64,
                        x: usize, order: usize, hist: usize, info: usize, ws: usize): i32 {
  carve(ws, m, n, k, 1);
  const status = forward(A, m, n, y, w, k, L, eta, tau, x, hist);
  if (order != 0) {
    if (nIter > 0) memory.copy(order, Ot + ((<usize>slot(nIter - 1) * <usize>k) << 2), <usize>k << 2);
    else for (let i = 0; i < k; i++) store<i32>(order + (<usize>i << 2), i);
  }
  writeInfo(info, residualNorm(A, m, n, y, x), nIter, k);
  wsCheck();
  return status;
}

/**
 * Soft-IHT forward and reverse pass. gx: dL/dx (n). Writes x (n, or 0),
 * gw = dL/dw (n, or 0), gy = dL/dy (m, or 0), gA = dL/dA (m x n, or 0),
 * out[0] = dL/dtau, info.
 * Returns the forward status.
 */
export function softIhtVjp(A: usize, m: i32, n: i32, y: usize, w: usize, k: i32, L: i32, eta: f64, tau: f64,
                           gx: usize, x: usize, gw: usize, gy: usize, gA: usize, out: usize, info: usize, ws: usize): i32 {
  carve(ws, m, n, k, L);
  const xb = x != 0 ? x : xtmp;
  const status = forward(A, m, n, y, w, k, L, eta, tau, xb, 0);
  writeInfo(info, residualNorm(A, m, n, y, xb), nIter, k);
  if (gw != 0) zero(gw, n);
  if (gA != 0) zero(gA, m * n);
  store<f64>(out, backward(A, m, n, y, w, k, eta, tau, gx, gw, gy, gA));
  wsCheck();
  return status;
}

/** Batched forward: Y (m x N), X (n x N), status (N i32), resid (N f64). Returns the count of non-CONVERGED samples. */
export function softIhtBatch(A: usize, m: i32, n: i32, Y: usize, N: i32, w: usize, k: i32, L: i32, eta: f64, tau: f64,
                             X: usize, status: usize, resid: usize, ws: usize): i32 {
  carve(ws, m, n, k, 1);
  let bad = 0;
  for (let b = 0; b < N; b++) {
    const y = rowPtr(Y, b, m);
    const x = rowPtr(X, b, n);
    const st = forward(A, m, n, y, w, k, L, eta, tau, x, 0);
    if (st != CONVERGED) bad++;
    store<i32>(status + (<usize>b << 2), st);
    store<f64>(resid + (<usize>b << 3), residualNorm(A, m, n, y, x));
  }
  wsCheck();
  return bad;
}

/**
 * Batched loss and gradient for training: loss = (1/N) sum_b ||x_b - xt_b||^2.
 * Y: m x N; Xt: targets n x N; writes X (n x N, or 0), gw = dL/dw summed
 * over the batch (n, or 0), gY (m x N, or 0), gA = dL/dA summed over the
 * batch (m x n, or 0), out[0] = loss, out[1] = dL/dtau, status (N i32). Returns the count of non-CONVERGED samples.
 */
export function softIhtBatchVjp(A: usize, m: i32, n: i32, Y: usize, Xt: usize, N: i32, w: usize, k: i32, L: i32,
                                eta: f64, tau: f64, X: usize, gw: usize, gY: usize, gA: usize, out: usize,
                                status: usize, ws: usize): i32 {
  carve(ws, m, n, k, L);
  if (gw != 0) zero(gw, n);
  if (gA != 0) zero(gA, m * n);
  let loss = 0.0;
  let dtau = 0.0;
  let bad = 0;
  const scale = 2.0 / <f64>N;
  for (let b = 0; b < N; b++) {
    const xb = X != 0 ? rowPtr(X, b, n) : xtmp;
    const st = forward(A, m, n, rowPtr(Y, b, m), w, k, L, eta, tau, xb, 0);
    if (st != CONVERGED) bad++;
    store<i32>(status + (<usize>b << 2), st);
    loss += sqErrGrad(xb, rowPtr(Xt, b, n), n, scale, gxb);
    dtau += backward(A, m, n, rowPtr(Y, b, m), w, k, eta, tau, gxb, gw, gY != 0 ? rowPtr(gY, b, m) : 0, gA);
  }
  store<f64>(out, loss / <f64>N);
  store<f64>(out, dtau, 8);
  wsCheck();
  return bad;
}

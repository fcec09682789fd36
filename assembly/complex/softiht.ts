// Complex Soft-IHT with its hand-written reverse pass: the algorithm of the JS
// twin src/js/complex/softiht.ts (complexSoftIhtJs, complexSoftIhtVjpJs) step
// for step, on a complex operator handle (coperator.ts: a dense complex
// matrix or a tagged partial Fourier header). Complex arrays are interleaved;
// w, tau, the SoftSort rows and the masks are real.
//
// Forward, from x_0 = 0, for t = 0 .. L-1:
//   u_t = x_t + eta A^H (y - A x_t);  v_j = |w_j u_tj| (modulus);
//   mask_t = column sums of the k SoftSort rows of v (tau = 0: the indicator
//   of the k largest v_j, ties lowest index);  x_{t+1} = mask_t . u_t.
// The residual y - A x_{t+1} is formed once (its norm is the overflow check)
// and reused by the next iteration, as the twin does. A u_t or x_{t+1} that
// is not finite, or a residual whose norm overflows, stops the loop
// (SOFT_DIVERGED) at the last finite iterate.
//
// Reverse pass, t = T-1 .. 0, from gx = dL/dx_{t+1} (dL/dRe + i dL/dIm):
//   gu = mask . gx;  dL/dmask_j = Re(conj(u_j) gx_j), through every row's
//   SoftSort VJP to dL/dv and dL/dtau;  gu_j += gv_j |w_j| u_j / |u_j|,
//   dL/dw_j += gv_j sgn(w_j) |u_j|;  h = A gu;  dL/dy += eta h;
//   dL/dx_t = gu - eta A^H h.
//
// Rounding: A^H r (cgemvH) sums in lane accumulators and the SoftSort rows
// come from ../softsort.ts softRows (n + k^2 exps), so WASM agrees with the
// twin to rounding; every other step has the twin's operations in its order.
//
// Tape per iteration (VJP kernels): u_t (2n), mask_t (n), the k rows (k n)
// and their source indices (k i32). The forward kernels keep one slot.
import { softRows, softRowVjp, sortDescK } from "../softsort";
import { CONVERGED, writeInfo } from "../status";
import { wsBegin, wsCheck, wsEnd, wsTake } from "../workspace";
import { cabs, cnrm2 } from "./cblas";
import { cabsScaled } from "./softomp";
import { copAdjoint, copApply } from "./coperator";

/** Status: the iterates stopped being finite (step eta too large); ../solvers/softiht.ts SOFT_DIVERGED. */
const SOFT_DIVERGED: i32 = 3;

// ---------------------------------------------------------------- layout

let Ut: usize = 0;   // L x n complex: u_t
let Mt: usize = 0;   // L x n: mask_t
let Qt: usize = 0;   // L k x n: the SoftSort rows (row i of iteration t at (t k + i) n)
let Ot: usize = 0;   // L x k i32: source index of each row
let lastOrd: usize = 0; // k i32: the order of the last iteration taken
let xc: usize = 0;   // n complex: current x
let xn: usize = 0;   // n complex: next x
let rb: usize = 0;   // m complex: residual y - A x
let gb: usize = 0;   // n complex: A^H r, A^H h
let vb: usize = 0;   // n: |w . u|
let heap: usize = 0; // n i32
let tail: usize = 0; // n: softRows' work
let gxc: usize = 0;  // n complex: dL/dx_{t+1}
let gu: usize = 0;   // n complex
let gm: usize = 0;   // n: dL/dmask
let gv: usize = 0;   // n: dL/dv
let hb: usize = 0;   // m complex: A gu
let gyb: usize = 0;  // m complex: dL/dy accumulator
let gxb: usize = 0;  // n complex: dL/dx of one sample (batched VJP)
let xtmp: usize = 0; // n complex: x when the caller does not want it
let gwb: usize = 0;  // n: dL/dw of one sample (batched VJP)
let nIter: i32 = 0;
let tapeL: i32 = 1;  // iterations the tape holds: L for the VJPs, 1 for forward-only calls

// @ts-ignore: decorator
@inline function slot(t: i32): i32 {
  return tapeL == 1 ? 0 : t;
}

function carve(ws: usize, m: i32, n: i32, k: i32, L: i32): u64 {
  wsBegin(ws);
  tapeL = L;
  const m16 = <u64>m << 4;
  const n16 = <u64>n << 4;
  const n8 = <u64>n << 3;
  Ut = wsTake(<u64>L * n16);
  Mt = wsTake(<u64>L * n8);
  Qt = wsTake(<u64>L * <u64>k * n8);
  Ot = wsTake((<u64>L * <u64>k) << 2);
  lastOrd = wsTake(<u64>k << 2);
  xc = wsTake(n16);
  xn = wsTake(n16);
  rb = wsTake(m16);
  gb = wsTake(n16);
  vb = wsTake(n8);
  heap = wsTake(<u64>n << 2);
  tail = wsTake(n8);
  gxc = wsTake(n16);
  gu = wsTake(n16);
  gm = wsTake(n8);
  gv = wsTake(n8);
  hb = wsTake(m16);
  gyb = wsTake(m16);
  gxb = wsTake(n16);
  xtmp = wsTake(n16);
  gwb = wsTake(n8);
  return wsEnd();
}

/**
 * Workspace bytes at (m, n, k rows) with a tape of L iterations: the VJP
 * kernels need L = their iteration count, the forward kernels L = 1. Exact
 * beyond 4 GiB (as f64): what carve() takes.
 */
export function complexSoftIhtWorkspace64(m: i32, n: i32, k: i32, L: i32): f64 {
  return <f64>carve(0, m, n, k, L);
}

// @ts-ignore: decorator
@inline function crow(base: usize, t: i32, len: i32): usize {
  return base + <usize>t * (<usize>len << 4);
}

// @ts-ignore: decorator
@inline function rrow(base: usize, t: i32, len: i32): usize {
  return base + <usize>t * (<usize>len << 3);
}

// @ts-ignore: decorator
@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

function allFinite(x: usize, len: i32): bool {
  for (let j = 0; j < len; j++) {
    const v = ld(x, j);
    if (!(v - v == 0.0)) return false;
  }
  return true;
}

/** rb = y - A x (m complex). */
function residual(A: usize, m: i32, n: i32, y: usize, x: usize): void {
  copApply(A, m, n, x, rb);
  const len = 2 * m;
  for (let i = 0; i < len; i++) st(rb, i, ld(y, i) - ld(rb, i));
}

// ---------------------------------------------------------------- passes

function forward(A: usize, m: i32, n: i32, y: usize, w: usize, k: i32, L: i32, eta: f64, tau: f64, x: usize, hist: usize): i32 {
  const nb = <usize>n << 4;
  const len = 2 * n;
  memory.fill(xc, 0, nb);
  let status = CONVERGED;
  let T = 0;
  let haveResidual = false;
  for (let t = 0; t < L; t++) {
    if (!haveResidual) residual(A, m, n, y, xc);
    copAdjoint(A, m, n, rb, gb);
    const u = crow(Ut, slot(t), n);
    for (let i = 0; i < len; i++) st(u, i, ld(xc, i) + eta * ld(gb, i));
    if (!allFinite(u, len)) { status = SOFT_DIVERGED; break; }
    cabsScaled(w, u, vb, n);
    const ord = Ot + ((<usize>slot(t) * <usize>k) << 2);
    sortDescK(vb, n, k, ord, heap);
    const mk = rrow(Mt, slot(t), n);
    memory.fill(mk, 0, <usize>n << 3);
    if (tau == 0.0) {
      for (let i = 0; i < k; i++) st(mk, load<i32>(ord + (<usize>i << 2)), 1.0);
    } else {
      const rows = rrow(Qt, slot(t) * k, n);
      softRows(vb, n, k, ord, tau, rows, <usize>n << 3, 8, tail);
      for (let i = 0; i < k; i++) {
        const row = rrow(rows, i, n);
        for (let j = 0; j < n; j++) st(mk, j, ld(mk, j) + ld(row, j));
      }
    }
    for (let j = 0; j < n; j++) {
      const mj = ld(mk, j);
      st(xn, 2 * j, mj * ld(u, 2 * j));
      st(xn, 2 * j + 1, mj * ld(u, 2 * j + 1));
    }
    if (!allFinite(xn, len)) { status = SOFT_DIVERGED; break; }
    residual(A, m, n, y, xn);
    if (!(cnrm2(rb, m) <= f64.MAX_VALUE)) { status = SOFT_DIVERGED; break; }
    memory.copy(lastOrd, ord, <usize>k << 2);
    memory.copy(xc, xn, nb);
    haveResidual = true;
    T = t + 1;
    if (hist != 0) memory.copy(crow(hist, t, n), xc, nb);
  }
  if (hist != 0) for (let t = T; t < L; t++) memory.copy(crow(hist, t, n), xc, nb);
  memory.copy(x, xc, nb);
  nIter = T;
  return status;
}

/** ||y - A x|| (rb as scratch). */
function residualNorm(A: usize, m: i32, n: i32, y: usize, x: usize): f64 {
  residual(A, m, n, y, x);
  return cnrm2(rb, m);
}

/**
 * Reverse pass after forward() (with a tape of every iteration): from
 * gx = dL/dx (n complex) adds dL/dw to gw (n, or 0), writes dL/dy to gy
 * (m complex, or 0); returns dL/dtau.
 */
function backward(A: usize, m: i32, n: i32, w: usize, k: i32, eta: f64, tau: f64, gx: usize, gw: usize, gy: usize): f64 {
  const T = nIter;
  const nb = <usize>n << 4;
  const len = 2 * n;
  const lm = 2 * m;
  memory.copy(gxc, gx, nb);
  memory.fill(gyb, 0, <usize>m << 4);
  let gtau = 0.0;
  for (let t = T - 1; t >= 0; t--) {
    const u = crow(Ut, t, n);
    const mk = rrow(Mt, t, n);
    for (let j = 0; j < n; j++) {
      const mj = ld(mk, j);
      st(gu, 2 * j, ld(gxc, 2 * j) * mj);
      st(gu, 2 * j + 1, ld(gxc, 2 * j + 1) * mj);
    }
    if (tau > 0.0) {
      for (let j = 0; j < n; j++) st(gm, j, ld(u, 2 * j) * ld(gxc, 2 * j) + ld(u, 2 * j + 1) * ld(gxc, 2 * j + 1));
      cabsScaled(w, u, vb, n);
      memory.fill(gv, 0, <usize>n << 3);
      const ord = Ot + ((<usize>t * <usize>k) << 2);
      for (let i = 0; i < k; i++) {
        const piv = load<i32>(ord + (<usize>i << 2));
        gtau += softRowVjp(vb, n, piv, ld(vb, piv), tau, rrow(Qt, t * k + i, n), gm, 8, gv);
      }
      for (let j = 0; j < n; j++) {
        const ur = ld(u, 2 * j), ui = ld(u, 2 * j + 1);
        const mod = cabs(ur, ui);
        const g = ld(gv, j);
        if (g == 0.0 || mod == 0.0) continue;
        const wj = w == 0 ? 1.0 : ld(w, j);
        const f = (g * abs(wj)) / mod;
        st(gu, 2 * j, ld(gu, 2 * j) + f * ur);
        st(gu, 2 * j + 1, ld(gu, 2 * j + 1) + f * ui);
        if (gw != 0) {
          const sg: f64 = wj > 0.0 ? 1.0 : (wj < 0.0 ? -1.0 : 0.0);
          st(gw, j, ld(gw, j) + g * sg * mod);
        }
      }
    }
    copApply(A, m, n, gu, hb);
    for (let i = 0; i < lm; i++) st(gyb, i, ld(gyb, i) + eta * ld(hb, i));
    if (t > 0) {
      copAdjoint(A, m, n, hb, gb);
      for (let i = 0; i < len; i++) st(gxc, i, ld(gu, i) - eta * ld(gb, i));
    }
  }
  if (gy != 0) memory.copy(gy, gyb, <usize>m << 4);
  return gtau;
}

// ---------------------------------------------------------------- kernels

/** order (k i32): the k largest |w . u| of the last iteration taken, largest first; 0 .. k-1 when none was. */
function writeOrder(order: usize, k: i32): void {
  if (order == 0) return;
  if (nIter > 0) memory.copy(order, lastOrd, <usize>k << 2);
  else for (let i = 0; i < k; i++) store<i32>(order + (<usize>i << 2), i);
}

/**
 * Complex Soft-IHT forward. A: complex operator handle (m x n); y: m complex;
 * w: n real weights (0: all ones); k SoftSort rows (1 <= k <= n); L
 * iterations (>= 1); eta > 0; tau >= 0 (0: hard weighted IHT). Writes x (n
 * complex), order (k i32, or 0), hist (L x n complex, or 0), info (INFO_LEN
 * f64: residual norm, iterations run, k). ws: complexSoftIhtWorkspace64(m, n,
 * k, 1) bytes. Returns CONVERGED or SOFT_DIVERGED.
 */
export function complexSoftIht(A: usize, m: i32, n: i32, y: usize, w: usize, k: i32, L: i32, eta: f64, tau: f64,
                               x: usize, order: usize, hist: usize, info: usize, ws: usize): i32 {
  carve(ws, m, n, k, 1);
  const status = forward(A, m, n, y, w, k, L, eta, tau, x, hist);
  writeOrder(order, k);
  writeInfo(info, residualNorm(A, m, n, y, x), nIter, k);
  wsCheck();
  return status;
}

/**
 * Complex Soft-IHT forward and reverse pass. gx: dL/dx (n complex). Writes x
 * (n complex, or 0), gw (n, or 0), gy (m complex, or 0), out[0] = dL/dtau,
 * info. ws: complexSoftIhtWorkspace64(m, n, k, L) bytes. Returns the forward status.
 */
export function complexSoftIhtVjp(A: usize, m: i32, n: i32, y: usize, w: usize, k: i32, L: i32, eta: f64, tau: f64,
                                  gx: usize, x: usize, gw: usize, gy: usize, out: usize, info: usize, ws: usize): i32 {
  carve(ws, m, n, k, L);
  const xb = x != 0 ? x : xtmp;
  const status = forward(A, m, n, y, w, k, L, eta, tau, xb, 0);
  writeInfo(info, residualNorm(A, m, n, y, xb), nIter, k);
  if (gw != 0) memory.fill(gw, 0, <usize>n << 3);
  store<f64>(out, backward(A, m, n, w, k, eta, tau, gx, gw, gy));
  wsCheck();
  return status;
}

/** Batched forward: Y (m x N complex), X (n x N complex), status (N i32), resid (N f64). ws: L = 1. Returns the count of non-CONVERGED samples. */
export function complexSoftIhtBatch(A: usize, m: i32, n: i32, Y: usize, N: i32, w: usize, k: i32, L: i32, eta: f64, tau: f64,
                                    X: usize, status: usize, resid: usize, ws: usize): i32 {
  carve(ws, m, n, k, 1);
  let bad = 0;
  for (let b = 0; b < N; b++) {
    const y = crow(Y, b, m);
    const x = crow(X, b, n);
    const s = forward(A, m, n, y, w, k, L, eta, tau, x, 0);
    if (s != CONVERGED) bad++;
    store<i32>(status + (<usize>b << 2), s);
    st(resid, b, residualNorm(A, m, n, y, x));
  }
  wsCheck();
  return bad;
}

/**
 * Batched loss and gradients for training: loss = (1/N) sum_b ||Re(x_b) - xt_b||^2.
 * Y: m x N complex; Xt: real targets n x N; writes X (n x N complex, or 0),
 * gw = dL/dw summed over the batch (n, or 0), gY (m x N complex, or 0),
 * out[0] = loss, out[1] = dL/dtau, status (N i32). ws: L = the iterations.
 * Returns the count of non-CONVERGED samples.
 */
export function complexSoftIhtBatchVjp(A: usize, m: i32, n: i32, Y: usize, Xt: usize, N: i32, w: usize, k: i32, L: i32,
                                       eta: f64, tau: f64, X: usize, gw: usize, gY: usize, out: usize, status: usize, ws: usize): i32 {
  carve(ws, m, n, k, L);
  if (gw != 0) memory.fill(gw, 0, <usize>n << 3);
  let loss = 0.0;
  let gtau = 0.0;
  let bad = 0;
  const fN = <f64>N;
  for (let b = 0; b < N; b++) {
    const xb = X != 0 ? crow(X, b, n) : xtmp;
    const s = forward(A, m, n, crow(Y, b, m), w, k, L, eta, tau, xb, 0);
    if (s != CONVERGED) bad++;
    store<i32>(status + (<usize>b << 2), s);
    const xt = rrow(Xt, b, n);
    for (let j = 0; j < n; j++) {
      const d = ld(xb, 2 * j) - ld(xt, j);
      loss += d * d;
      st(gxb, 2 * j, (2.0 * d) / fN); // the loss sees Re(x) only
      st(gxb, 2 * j + 1, 0.0);
    }
    if (gw != 0) memory.fill(gwb, 0, <usize>n << 3);
    gtau += backward(A, m, n, w, k, eta, tau, gxb, gw != 0 ? gwb : 0, gY != 0 ? crow(gY, b, m) : 0);
    if (gw != 0) for (let j = 0; j < n; j++) st(gw, j, ld(gw, j) + ld(gwb, j));
  }
  store<f64>(out, loss / fN);
  store<f64>(out, gtau, 8);
  wsCheck();
  return bad;
}

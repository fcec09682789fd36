// Subspace Pursuit (Dai & Milenkovic 2009): expand the support T with the k
// largest entries of A^T r, least squares on the expanded set, keep its k
// largest coefficients, least squares again on those; accept while the
// residual norm decreases.
//
// The expanded set has at most 2k columns, and never more than m: the proxy
// contributes its min(k, m - |T|) largest entries (least squares on more than
// m columns is underdetermined).
import { copy, nrm2 } from "../blas";
import { opAdjoint } from "../operator";
import { QR, qrBytes, qrInit } from "../qr";
import { hardThreshold, topK } from "../select";
import { CONVERGED, MAX_ITER, PREMATURE } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { begin, done, GO, yNorm } from "./common";
import { lsFit, residualOn, scatter } from "./lsfit";
import { copySet, nonzeroOf, unionAsc } from "./sets";

/** Columns of the expanded least-squares set at (m, k): min(2k, m). */
export function spCols(m: i32, k: i32): i32 {
  return min(2 * k, m);
}

// The workspace, in carve order (carve() also gives its size, see workspace.ts): qMem (QR of the
// expanded set (min(2k, m) columns)), r (m: residual of x), rn (m: residual of the candidate), g
// (n: A^T r), u (n: the candidate), idx (n i32: topK work), flags (n bytes: topK work), T (k i32:
// support of x), Tn (k i32: support of the candidate), sel (k i32: positions of the k largest
// coefficients), om (k i32: the proxy's largest entries), M (2k i32: the expanded set), coef
// (min(2k, m): least-squares coefficients), z (min(2k, m): lsFit work), pos (min(2k, m) i32: lsFit
// work).
let qMem: usize = 0, r: usize = 0, rn: usize = 0, g: usize = 0, u: usize = 0, idx: usize = 0,
  flags: usize = 0, T: usize = 0, Tn: usize = 0, sel: usize = 0, om: usize = 0, M: usize = 0,
  coef: usize = 0, z: usize = 0, pos: usize = 0;
// The QR handle laid out at qMem by carve() (when it carves, not when it sizes).
let q: QR = changetype<QR>(0);

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  const kq = spCols(m, k);
  wsBegin(ws);
  qMem = wsTake(qrBytes(m, kq)); r = wsF64(m); rn = wsF64(m); g = wsF64(n); u = wsF64(n);
  idx = wsI32(n); flags = wsU8(n); T = wsI32(k); Tn = wsI32(k); sel = wsI32(k); om = wsI32(k);
  M = wsI32(2 * k); coef = wsF64(kq); z = wsF64(kq); pos = wsI32(kq);
  if (ws != 0) q = qrInit(qMem, m, kq);
  return wsEnd();
}

/** Workspace bytes for sp at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function spWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/**
 * The common solver ABI (see solvers/README.md). p1 unused; x0: warm
 * start (n) or 0: the first support is the nonzeros among the k largest
 * |x0_j| (when x0 is 0 or absent: the k largest |a_j^T y|), fitted by least
 * squares. Stops when the residual norm does not decrease (the previous
 * iterate is kept) or ||r|| <= tol ||y|| (CONVERGED), when a column is
 * linearly dependent on the others in a fit (skipped; PREMATURE), or after
 * maxIter passes (MAX_ITER). info iterations count passes after the first fit.
 */
export function sp(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                   maxIter: i32, tol: f64, p1: f64, x0: usize,
                   x: usize, support: usize, info: usize, ws: usize): i32 {
  carve(ws, m, n, k);
  const started = begin(y, m, x, n, norms, info);
  if (started != GO) return started;
  const ynorm = yNorm();
  // first support
  let tcnt = 0;
  if (x0 != 0) {
    copy(x0, u, n);
    hardThreshold(u, n, k, T, idx, flags);
    tcnt = nonzeroOf(u, T, k, T);
  }
  if (tcnt == 0) {
    opAdjoint(A, m, n, y, g);
    topK(g, n, k, T, idx, flags);
    tcnt = k;
  }
  let skipped = lsFit(q, A, m, norms, y, T, tcnt, coef, z, pos);
  scatter(coef, T, tcnt, x, n);
  residualOn(A, m, n, y, x, T, tcnt, r);
  let rnorm = nrm2(r, m);
  let status = MAX_ITER;
  let it = 0;
  if (rnorm <= tol * ynorm) status = CONVERGED;
  else if (skipped > 0) status = PREMATURE;
  else {
    while (it < maxIter) {
      it++;
      opAdjoint(A, m, n, r, g);
      const L = min(k, m - tcnt);
      topK(g, n, L, om, idx, flags);
      const mcnt = unionAsc(T, tcnt, om, min(L, n), M);
      skipped = lsFit(q, A, m, norms, y, M, mcnt, coef, z, pos);
      const kk = min(k, mcnt);
      topK(coef, mcnt, kk, sel, idx, flags);
      for (let i = 0; i < kk; i++) {
        store<i32>(Tn + (<usize>i << 2), load<i32>(M + (<usize>load<i32>(sel + (<usize>i << 2)) << 2)));
      }
      skipped += lsFit(q, A, m, norms, y, Tn, kk, coef, z, pos);
      scatter(coef, Tn, kk, u, n);
      residualOn(A, m, n, y, u, Tn, kk, rn);
      const rnn = nrm2(rn, m);
      const better = rnn < rnorm;
      if (better) {
        copy(u, x, n);
        copy(rn, r, m);
        copySet(Tn, T, kk);
        tcnt = kk;
        rnorm = rnn;
      }
      if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
      if (skipped > 0) { status = PREMATURE; break; }
      if (!better) { status = CONVERGED; break; }
    }
  }
  return done(status, info, rnorm, it, nonzeroOf(x, T, tcnt, support));
}

// Subspace Pursuit (Dai & Milenkovic 2009): expand the support T with the k
// largest entries of A^T r, least squares on the expanded set, keep its k
// largest coefficients, least squares again on those; accept while the
// residual norm decreases.
//
// The expanded set has at most 2k columns, and never more than m: the proxy
// contributes its min(k, m - |T|) largest entries (least squares on more than
// m columns is underdetermined).
import { copy, gemvT, nrm2, zero } from "../blas";
import { QR, qrBytes, qrBytes64, qrInit } from "../qr";
import { hardThreshold, topK } from "../select";
import { CONVERGED, MAX_ITER, PREMATURE, writeInfo } from "../status";
import { wsBegin, wsTake, wsSize, wsSize64 } from "../workspace";
import { lsFit, residualOn, scatter } from "./lsfit";
import { copySet, nonzeroOf, unionAsc } from "./sets";

/** Columns of the expanded least-squares set at (m, k): min(2k, m). */
export function spCols(m: i32, k: i32): i32 {
  return min(2 * k, m);
}

/** Workspace bytes for sp at (m, n, k), in 64 bits (see workspace.ts wsSize64). */
function spWorkspaceBytes(m: i32, n: i32, k: i32): u64 {
  const kq = spCols(m, k);
  const bytes: u64 = 16 + wsSize64(qrBytes64(m, kq)) + 2 * wsSize64(<u64>m << 3) + 2 * wsSize64(<u64>n << 3)
    + wsSize64(<u64>n << 2) + wsSize64(<u64>n) + 4 * wsSize64(<u64>k << 2)
    + wsSize64(<u64>(2 * k) << 2) + 2 * wsSize64(<u64>kq << 3) + wsSize64(<u64>kq << 2);
  return bytes;
}

/** Workspace bytes for sp at (m, n, k) (wraps modulo 2^32 beyond 4 GiB: the facade plans with spWorkspace64). */
export function spWorkspace(m: i32, n: i32, k: i32): usize {
  return <usize>spWorkspaceBytes(m, n, k);
}

/** Workspace bytes for sp at (m, n, k), exact beyond 4 GiB (as f64). */
export function spWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>spWorkspaceBytes(m, n, k);
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
  wsBegin(ws);
  const kq = spCols(m, k);
  const q: QR = qrInit(wsTake(qrBytes(m, kq)), m, kq);
  const r = wsTake(<usize>m << 3);
  const rn = wsTake(<usize>m << 3);
  const g = wsTake(<usize>n << 3);
  const u = wsTake(<usize>n << 3);
  const idx = wsTake(<usize>n << 2);
  const flags = wsTake(<usize>n);
  const T = wsTake(<usize>k << 2);
  const Tn = wsTake(<usize>k << 2);
  const sel = wsTake(<usize>k << 2);
  const om = wsTake(<usize>k << 2);
  const M = wsTake(<usize>(2 * k) << 2);
  const coef = wsTake(<usize>kq << 3);
  const z = wsTake(<usize>kq << 3);
  const pos = wsTake(<usize>kq << 2);

  const ynorm = nrm2(y, m);
  zero(x, n);
  if (ynorm == 0.0) { writeInfo(info, 0.0, 0, 0); return CONVERGED; }
  // first support
  let tcnt = 0;
  if (x0 != 0) {
    copy(x0, u, n);
    hardThreshold(u, n, k, T, idx, flags);
    tcnt = nonzeroOf(u, T, k, T);
  }
  if (tcnt == 0) {
    gemvT(A, m, n, y, g);
    topK(g, n, k, T, idx, flags);
    tcnt = k;
  }
  let skipped = lsFit(q, A, m, norms, y, T, tcnt, coef, z, pos);
  scatter(coef, T, tcnt, x, n);
  residualOn(A, m, y, x, T, tcnt, r);
  let rnorm = nrm2(r, m);
  let status = MAX_ITER;
  let it = 0;
  if (rnorm <= tol * ynorm) status = CONVERGED;
  else if (skipped > 0) status = PREMATURE;
  else {
    while (it < maxIter) {
      it++;
      gemvT(A, m, n, r, g);
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
      residualOn(A, m, y, u, Tn, kk, rn);
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
  const nnz = nonzeroOf(x, T, tcnt, support);
  writeInfo(info, rnorm, it, nnz);
  return status;
}

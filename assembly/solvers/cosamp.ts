// CoSaMP (Needell & Tropp 2009): merge the largest entries of the proxy
// A^T r with the current support, least squares on the merged set, prune to
// the k largest coefficients, update the residual.
//
// The merged set has at most 3k columns, and never more than m: the proxy
// contributes its min(2k, m - |T|) largest entries (T the current support),
// since least squares on more than m columns is underdetermined.
import { copy, gemvT, nrm2, zero } from "../blas";
import { QR, qrBytes, qrBytes64, qrInit } from "../qr";
import { hardThreshold, topK } from "../select";
import { CONVERGED, MAX_ITER, PREMATURE, writeInfo } from "../status";
import { wsBegin, wsTake, wsSize, wsSize64 } from "../workspace";
import { lsFit, residualOn } from "./lsfit";
import { copySet, nonzeroOf, sameSet, unionAsc } from "./sets";

/** Columns of the merged least-squares set at (m, k): min(3k, m). */
export function cosampCols(m: i32, k: i32): i32 {
  return min(3 * k, m);
}

/** Workspace bytes for cosamp at (m, n, k), in 64 bits (see workspace.ts wsSize64). */
function cosampWorkspaceBytes(m: i32, n: i32, k: i32): u64 {
  const kq = cosampCols(m, k);
  const bytes: u64 = 16 + wsSize64(qrBytes64(m, kq)) + wsSize64(<u64>m << 3) + wsSize64(<u64>n << 3)
    + wsSize64(<u64>n << 2) + wsSize64(<u64>n) + 3 * wsSize64(<u64>k << 2)
    + wsSize64(<u64>(2 * k) << 2) + wsSize64(<u64>(3 * k) << 2)
    + 2 * wsSize64(<u64>kq << 3) + wsSize64(<u64>kq << 2);
  return bytes;
}

/** Workspace bytes for cosamp at (m, n, k) (wraps modulo 2^32 beyond 4 GiB: the facade plans with cosampWorkspace64). */
export function cosampWorkspace(m: i32, n: i32, k: i32): usize {
  return <usize>cosampWorkspaceBytes(m, n, k);
}

/** Workspace bytes for cosamp at (m, n, k), exact beyond 4 GiB (as f64). */
export function cosampWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>cosampWorkspaceBytes(m, n, k);
}

/**
 * The common solver ABI (see solvers/README.md). p1 unused; x0: warm
 * start (n) or 0; the first iterate is H_k(x0). Stops when ||r|| <= tol ||y||
 * or the pruned support is unchanged (CONVERGED), when a merged column is
 * linearly dependent on the others (skipped in the fit; PREMATURE), or after
 * maxIter passes (MAX_ITER).
 */
export function cosamp(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                       maxIter: i32, tol: f64, p1: f64, x0: usize,
                       x: usize, support: usize, info: usize, ws: usize): i32 {
  wsBegin(ws);
  const kq = cosampCols(m, k);
  const q: QR = qrInit(wsTake(qrBytes(m, kq)), m, kq);
  const r = wsTake(<usize>m << 3);
  const g = wsTake(<usize>n << 3);
  const idx = wsTake(<usize>n << 2);
  const flags = wsTake(<usize>n);
  const T = wsTake(<usize>k << 2);
  const Tn = wsTake(<usize>k << 2);
  const sel = wsTake(<usize>k << 2);
  const om = wsTake(<usize>(2 * k) << 2);
  const M = wsTake(<usize>(3 * k) << 2);
  const coef = wsTake(<usize>kq << 3);
  const z = wsTake(<usize>kq << 3);
  const pos = wsTake(<usize>kq << 2);

  const ynorm = nrm2(y, m);
  zero(x, n);
  if (ynorm == 0.0) { writeInfo(info, 0.0, 0, 0); return CONVERGED; }
  let tcnt = 0;
  if (x0 != 0) {
    copy(x0, x, n);
    hardThreshold(x, n, k, T, idx, flags);
    tcnt = nonzeroOf(x, T, k, T);
  }
  residualOn(A, m, y, x, T, tcnt, r);
  let rnorm = nrm2(r, m);
  let status = MAX_ITER;
  let it = 0;
  while (it < maxIter) {
    it++;
    gemvT(A, m, n, r, g);
    const L = min(2 * k, m - tcnt);
    topK(g, n, L, om, idx, flags);
    const mcnt = unionAsc(T, tcnt, om, min(L, n), M);
    const skipped = lsFit(q, A, m, norms, y, M, mcnt, coef, z, pos);
    // prune: the k largest least-squares coefficients
    const kk = min(k, mcnt);
    topK(coef, mcnt, kk, sel, idx, flags);
    zero(x, n);
    for (let i = 0; i < kk; i++) {
      const p = load<i32>(sel + (<usize>i << 2));
      const j = load<i32>(M + (<usize>p << 2));
      store<i32>(Tn + (<usize>i << 2), j);
      store<f64>(x + (<usize>j << 3), load<f64>(coef + (<usize>p << 3)));
    }
    residualOn(A, m, y, x, Tn, kk, r);
    rnorm = nrm2(r, m);
    const same = sameSet(Tn, kk, T, tcnt);
    copySet(Tn, T, kk);
    tcnt = kk;
    if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
    if (skipped > 0) { status = PREMATURE; break; }
    if (same) { status = CONVERGED; break; }
  }
  const nnz = nonzeroOf(x, T, tcnt, support);
  writeInfo(info, rnorm, it, nnz);
  return status;
}

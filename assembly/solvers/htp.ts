// Hard Thresholding Pursuit (Foucart 2011): the support is the k largest
// entries of x + mu A^T (y - A x), and x is the least-squares fit on it.
import { axpy, copy, gemvN, gemvT, nrm2, zero } from "../blas";
import { QR, qrBytes, qrBytes64, qrInit } from "../qr";
import { topK } from "../select";
import { CONVERGED, MAX_ITER, PREMATURE, writeInfo } from "../status";
import { wsBegin, wsTake, wsSize, wsSize64 } from "../workspace";
import { lsFit, residualOn, scatter } from "./lsfit";
import { copySet, nonzeroOf, sameSet } from "./sets";

/** Workspace bytes for htp at (m, n, k), in 64 bits (see workspace.ts wsSize64). */
function htpWorkspaceBytes(m: i32, n: i32, k: i32): u64 {
  const bytes: u64 = 16 + wsSize64(qrBytes64(m, k)) + wsSize64(<u64>m << 3) + 2 * wsSize64(<u64>n << 3)
    + wsSize64(<u64>n << 2) + wsSize64(<u64>n) + 3 * wsSize64(<u64>k << 2) + 2 * wsSize64(<u64>k << 3);
  return bytes;
}

/** Workspace bytes for htp at (m, n, k) (wraps modulo 2^32 beyond 4 GiB: the facade plans with htpWorkspace64). */
export function htpWorkspace(m: i32, n: i32, k: i32): usize {
  return <usize>htpWorkspaceBytes(m, n, k);
}

/** Workspace bytes for htp at (m, n, k), exact beyond 4 GiB (as f64). */
export function htpWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>htpWorkspaceBytes(m, n, k);
}

/**
 * The common solver ABI (see solvers/README.md). p1 = mu > 0 (step of the
 * support proxy); x0: warm start (n) or 0. Stops when the support
 * repeats or ||r|| <= tol ||y|| (CONVERGED), when a column of the support is
 * linearly dependent on the others (it is skipped in the fit; PREMATURE), or
 * after maxIter passes (MAX_ITER).
 */
export function htp(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                    maxIter: i32, tol: f64, p1: f64, x0: usize,
                    x: usize, support: usize, info: usize, ws: usize): i32 {
  wsBegin(ws);
  const q: QR = qrInit(wsTake(qrBytes(m, k)), m, k);
  const r = wsTake(<usize>m << 3);
  const g = wsTake(<usize>n << 3);
  const u = wsTake(<usize>n << 3);
  const idx = wsTake(<usize>n << 2);
  const flags = wsTake(<usize>n);
  const S = wsTake(<usize>k << 2);
  const prev = wsTake(<usize>k << 2);
  const pos = wsTake(<usize>k << 2);
  const coef = wsTake(<usize>k << 3);
  const z = wsTake(<usize>k << 3);
  const mu = p1;

  const ynorm = nrm2(y, m);
  zero(x, n);
  if (ynorm == 0.0) { writeInfo(info, 0.0, 0, 0); return CONVERGED; }
  if (x0 != 0) {
    copy(x0, x, n);
    gemvN(A, m, n, x, r);
    for (let i = 0; i < m; i++) {
      const o = <usize>i << 3;
      store<f64>(r + o, load<f64>(y + o) - load<f64>(r + o));
    }
  } else {
    copy(y, r, m);
  }
  let rnorm = nrm2(r, m);
  let status = MAX_ITER;
  let have = false; // prev holds the support x was fitted on
  let it = 0;
  while (it < maxIter) {
    it++;
    gemvT(A, m, n, r, g);
    copy(x, u, n);
    axpy(mu, g, u, n);
    topK(u, n, k, S, idx, flags);
    if (have && sameSet(S, k, prev, k)) { status = CONVERGED; break; }
    const skipped = lsFit(q, A, m, norms, y, S, k, coef, z, pos);
    scatter(coef, S, k, x, n);
    residualOn(A, m, y, x, S, k, r);
    rnorm = nrm2(r, m);
    copySet(S, prev, k);
    have = true;
    if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
    if (skipped > 0) { status = PREMATURE; break; }
  }
  // the first pass always fits (have is false), so prev holds the support of x
  const nnz = nonzeroOf(x, prev, k, support);
  writeInfo(info, rnorm, it, nnz);
  return status;
}

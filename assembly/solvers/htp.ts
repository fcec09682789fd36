// Hard Thresholding Pursuit (Foucart 2011): the support is the k largest
// entries of x + mu A^T (y - A x), and x is the least-squares fit on it.
import { axpy, copy, gemvN, gemvT, nrm2, zero } from "../blas";
import { QR, qrBytes, qrInit } from "../qr";
import { topK } from "../select";
import { CONVERGED, MAX_ITER, PREMATURE, writeInfo } from "../status";
import { wsBegin, wsTake, wsSize } from "../workspace";
import { lsFit, residualOn, scatter } from "./lsfit";
import { copySet, nonzeroOf, sameSet } from "./sets";

/** Workspace bytes for htp at (m, n, k). */
export function htpWorkspace(m: i32, n: i32, k: i32): usize {
  return 16 + wsSize(qrBytes(m, k)) + wsSize(<usize>m << 3) + 2 * wsSize(<usize>n << 3)
    + wsSize(<usize>n << 2) + wsSize(<usize>n) + 3 * wsSize(<usize>k << 2) + 2 * wsSize(<usize>k << 3);
}

/**
 * The common solver ABI (see solvers/README.md). p1 = mu > 0 (step of the
 * support proxy); p2 unused; x0: warm start (n) or 0. Stops when the support
 * repeats or ||r|| <= tol ||y|| (CONVERGED), when a column of the support is
 * linearly dependent on the others (it is skipped in the fit; PREMATURE), or
 * after maxIter passes (MAX_ITER).
 */
export function htp(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                    maxIter: i32, tol: f64, p1: f64, p2: f64, x0: usize,
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

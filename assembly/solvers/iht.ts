// Iterative Hard Thresholding (Blumensath & Davies 2009):
//   x <- H_k(x + mu A^T (y - A x)),
// with a fixed step mu (p1; the facade's default is 1/||A||_2^2, under which
// the iteration is known to converge to a fixed point).
import { axpy, copy, gemvN, gemvT, nrm2, zero } from "../blas";
import { hardThreshold } from "../select";
import { CONVERGED, MAX_ITER, writeInfo } from "../status";
import { wsBegin, wsTake, wsSize } from "../workspace";
import { residualOn } from "./lsfit";
import { copySet, nonzeroOf, sameSet } from "./sets";

// Fixed-point test of the thresholded gradient iterations (IHT, NIHT): the
// iterate is a fixed point once the support is unchanged and
// ||x_new - x|| <= STALL_TOL ||x_new||. One step x + mu A^T (y - A x) carries
// rounding noise of order (m + n) * eps relative (eps = 2.2e-16), about 1e-12
// for m + n near 4500; a smaller threshold could sit below that noise and
// never be met, a larger one would stop a slowly contracting iteration early.
export const STALL_TOL: f64 = 1e-12;

/** Workspace bytes for iht at (m, n, k). */
export function ihtWorkspace(m: i32, n: i32, k: i32): usize {
  return 16 + wsSize(<usize>m << 3) + 2 * wsSize(<usize>n << 3) + wsSize(<usize>n << 2)
    + wsSize(<usize>n) + 2 * wsSize(<usize>k << 2);
}

/**
 * The common solver ABI (see solvers/README.md). p1 = mu > 0 (the step);
 * p2 unused; x0: warm start (n) or 0. Stops when ||r|| <= tol ||y||, or at a
 * fixed point (support unchanged and ||x_new - x|| <= STALL_TOL ||x_new||),
 * both CONVERGED, else after maxIter steps (MAX_ITER).
 */
export function iht(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                    maxIter: i32, tol: f64, p1: f64, p2: f64, x0: usize,
                    x: usize, support: usize, info: usize, ws: usize): i32 {
  wsBegin(ws);
  const r = wsTake(<usize>m << 3);
  const g = wsTake(<usize>n << 3);
  const u = wsTake(<usize>n << 3);
  const idx = wsTake(<usize>n << 2);
  const flags = wsTake(<usize>n);
  const S = wsTake(<usize>k << 2);
  const prev = wsTake(<usize>k << 2);
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
  let have = false;
  let it = 0;
  while (it < maxIter) {
    it++;
    gemvT(A, m, n, r, g);
    copy(x, u, n);
    axpy(mu, g, u, n);
    hardThreshold(u, n, k, S, idx, flags);
    // g <- u - x, the step actually taken
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 3;
      store<f64>(g + o, load<f64>(u + o) - load<f64>(x + o));
    }
    const dnorm = nrm2(g, n);
    copy(u, x, n);
    const same = have && sameSet(S, k, prev, k);
    copySet(S, prev, k);
    have = true;
    residualOn(A, m, y, x, S, k, r);
    rnorm = nrm2(r, m);
    if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
    if (same && dnorm <= STALL_TOL * nrm2(x, n)) { status = CONVERGED; break; }
  }
  const nnz = nonzeroOf(x, prev, k, support);
  writeInfo(info, rnorm, it, nnz);
  return status;
}

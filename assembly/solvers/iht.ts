// Iterative Hard Thresholding (Blumensath & Davies 2009):
//   x <- H_k(x + mu A^T (y - A x)),
// with a fixed step mu (p1; the facade's default is 1/||A||_2^2, under which
// the iteration is known to converge to a fixed point).
import { axpy, copy, gemvN, gemvT, nrm2, zero } from "../blas";
import { hardThreshold } from "../select";
import { CONVERGED, DIVERGED, MAX_ITER, writeInfo } from "../status";
import { wsBegin, wsTake, wsSize, wsSize64 } from "../workspace";
import { residualOn } from "./lsfit";
import { copySet, nonzeroOf, sameSet } from "./sets";

// Fixed-point test of the thresholded gradient iterations (IHT, NIHT): the
// iterate is a fixed point once the support is unchanged and
// ||x_new - x|| <= STALL_TOL ||x_new||. One step x + mu A^T (y - A x) carries
// rounding noise of order (m + n) * eps relative (eps = 2.2e-16), about 1e-12
// for m + n near 4500; a smaller threshold could sit below that noise and
// never be met, a larger one would stop a slowly contracting iteration early.
export const STALL_TOL: f64 = 1e-12;

/** Workspace bytes for iht at (m, n, k), in 64 bits (see workspace.ts wsSize64). */
function ihtWorkspaceBytes(m: i32, n: i32, k: i32): u64 {
  const bytes: u64 = 16 + 2 * wsSize64(<u64>m << 3) + 2 * wsSize64(<u64>n << 3) + wsSize64(<u64>n << 2)
    + wsSize64(<u64>n) + 2 * wsSize64(<u64>k << 2);
  return bytes;
}

/** Workspace bytes for iht at (m, n, k) (wraps modulo 2^32 beyond 4 GiB: the facade plans with ihtWorkspace64). */
export function ihtWorkspace(m: i32, n: i32, k: i32): usize {
  return <usize>ihtWorkspaceBytes(m, n, k);
}

/** Workspace bytes for iht at (m, n, k), exact beyond 4 GiB (as f64). */
export function ihtWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>ihtWorkspaceBytes(m, n, k);
}

/** True when v (a norm) is a finite number: false for Infinity and NaN (an overflowed vector). */
// @ts-ignore: decorator
@inline export function finiteNorm(v: f64): bool {
  return v <= f64.MAX_VALUE;
}

/**
 * The common solver ABI (see solvers/README.md). p1 = mu > 0 (the step);
 * x0: warm start (n) or 0. Stops when ||r|| <= tol ||y||, or at a
 * fixed point (support unchanged and ||x_new - x|| <= STALL_TOL ||x_new||),
 * both CONVERGED, else after maxIter steps (MAX_ITER). A step whose iterate
 * or residual overflows (mu far too large) is not taken: DIVERGED, with x
 * the last finite iterate (0 if the first step, or the warm start itself,
 * overflowed) and iterations the steps taken.
 */
export function iht(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                    maxIter: i32, tol: f64, p1: f64, x0: usize,
                    x: usize, support: usize, info: usize, ws: usize): i32 {
  wsBegin(ws);
  const r = wsTake(<usize>m << 3);
  const rc = wsTake(<usize>m << 3);
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
  if (!finiteNorm(rnorm)) {
    // the warm start itself overflows A x0
    zero(x, n);
    writeInfo(info, ynorm, 0, 0);
    return DIVERGED;
  }
  let status = MAX_ITER;
  let have = false;
  let it = 0;
  while (it < maxIter) {
    gemvT(A, m, n, r, g);
    copy(x, u, n);
    axpy(mu, g, u, n);
    hardThreshold(u, n, k, S, idx, flags);
    // the candidate's residual first: a step that overflows is not taken
    residualOn(A, m, y, u, S, k, rc);
    const rcnorm = nrm2(rc, m);
    if (!finiteNorm(rcnorm)) { status = DIVERGED; break; }
    it++;
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
    copy(rc, r, m);
    rnorm = rcnorm;
    if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
    if (same && dnorm <= STALL_TOL * nrm2(x, n)) { status = CONVERGED; break; }
  }
  if (!have) {
    // no step was taken (the first one overflowed): x = 0 is the iterate returned
    zero(x, n);
    writeInfo(info, ynorm, 0, 0);
    return status;
  }
  const nnz = nonzeroOf(x, prev, k, support);
  writeInfo(info, rnorm, it, nnz);
  return status;
}

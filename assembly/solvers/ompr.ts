// OMPR, Orthogonal Matching Pursuit with Replacement (Jain, Tewari, Dhillon,
// NIPS 2011), with l = 1 replacement per iteration.
//
//   z = x + eta A^T (y - A x)
//   j = argmax |z_j| over atoms outside S, i = argmin |z_i| over S
//   if |z_j| > |z_i|: S <- S - {i} + {j}; x <- least squares on S; else stop
//
// Start: S = the nonzeros among the k largest |x0_i| (x0 given), else empty.
// While |S| < k the step only adds j (with x = 0 outside S, z_j = eta a_j^T r:
// on unit-norm columns that is OMP's choice). Least squares by the updatable
// QR of ../qrupdate.ts (one delete and one append per swap). An atom that is
// linearly dependent on the others is set aside until the support changes.
//
// Stops when no replacement improves (a fixed point), when ||y - A x|| <= tol
// ||y||, when no atom outside S correlates with r (|a_j^T r| / ||a_j|| <=
// CORR_TOL ||y||), or after maxIter additions and swaps. p1 = eta (> 0);
// info: residual, iterations (moves made), nnz.
import { opAdjoint, opColumn } from "../operator";
import { QRU, quAppend, quAtom, quBytes, quDelete, quFit, quInit, QU_OK } from "../qrupdate";
import { argmaxAbs, topK } from "../select";
import { CORR_TOL } from "../constants";
import { CONVERGED, MAX_ITER, PREMATURE } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { begin, done, GO, yNorm } from "./common";
import { writeSolution } from "./sets";


// mask values
const FREE: u8 = 0;
const IN_FIT: u8 = 1;
const SET_ASIDE: u8 = 2; // dependent on the current support; free again after the next change
const ZERO_COL: u8 = 3;

// The workspace, in carve order (carve() also gives its size, see workspace.ts): qMem (updatable
// QR of the support), c (n: A^T r), r (m: residual), qty (k: Q^T y), z (k: coefficients), sup (k
// i32: the warm start's top k), idx (n i32: topK work), flags (n bytes: topK and writeSolution
// work), mask (n bytes: FREE, IN_FIT, SET_ASIDE, ZERO_COL).
let qMem: usize = 0, c: usize = 0, r: usize = 0, qty: usize = 0, z: usize = 0, sup: usize = 0,
  idx: usize = 0, flags: usize = 0, mask: usize = 0;
// The updatable QR laid out at qMem by carve() (when it carves, not when it sizes).
let q: QRU = changetype<QRU>(0);

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  wsBegin(ws);
  qMem = wsTake(quBytes(m, k)); c = wsF64(n); r = wsF64(m); qty = wsF64(k); z = wsF64(k);
  sup = wsI32(k); idx = wsI32(n); flags = wsU8(n); mask = wsU8(n);
  if (ws != 0) q = quInit(qMem, m, k);
  return wsEnd();
}

/** Workspace bytes for ompr at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function omprWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/**
 * The start of OMPR and ELS: mask = FREE, or ZERO_COL for a zero column;
 * then, with a warm start x0 (not 0), appends the nonzeros among the k
 * largest |x0_j| (mask updated).
 */
export function startSupport(q: QRU, A: usize, m: i32, n: i32, norms: usize, k: i32, x0: usize,
                             sup: usize, idx: usize, flags: usize, mask: usize): void {
  for (let j = 0; j < n; j++) {
    store<u8>(mask + <usize>j, load<f64>(norms + (<usize>j << 3)) > 0.0 ? FREE : ZERO_COL);
  }
  if (x0 == 0) return;
  topK(x0, n, k, sup, idx, flags);
  const kk = k < n ? k : n;
  for (let i = 0; i < kk; i++) {
    const j = load<i32>(sup + (<usize>i << 2));
    if (load<f64>(x0 + (<usize>j << 3)) == 0.0 || load<u8>(mask + <usize>j) != FREE) continue;
    if (quAppend(q, opColumn(A, m, j), load<f64>(norms + (<usize>j << 3)), j) == QU_OK) {
      store<u8>(mask + <usize>j, IN_FIT);
    }
  }
}

/** Frees the atoms set aside (after a support change). */
export function releaseSetAside(mask: usize, n: i32): void {
  for (let j = 0; j < n; j++) if (load<u8>(mask + <usize>j) == SET_ASIDE) store<u8>(mask + <usize>j, FREE);
}

/** The common solver ABI (solvers/README.md); `extra` is unused. */
export function ompr(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                     maxIter: i32, tol: f64, p1: f64, x0: usize,
                     x: usize, support: usize, info: usize, ws: usize, extra: usize): i32 {
  const eta = p1;
  carve(ws, m, n, k);
  const started = begin(y, m, x, n, norms, info);
  if (started != GO) return started;
  const ynorm = yNorm();
  startSupport(q, A, m, n, norms, k, x0, sup, idx, flags, mask);
  let status = MAX_ITER;
  let it = 0;
  let rnorm = ynorm;
  while (true) {
    rnorm = quFit(q, y, qty, z, r);
    if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
    if (it >= maxIter) { status = MAX_ITER; break; }
    opAdjoint(A, m, n, r, c);
    const j = argmaxAbs(c, 0, mask, n);
    if (j < 0) { status = q.t < k ? PREMATURE : CONVERGED; break; }
    const cj = abs(load<f64>(c + (<usize>j << 3)));
    const colj = opColumn(A, m, j);
    const nj = load<f64>(norms + (<usize>j << 3));
    if (cj / nj <= CORR_TOL * ynorm) {
      // r is orthogonal to every free atom: exact fit, or the rest is in span(S)
      status = q.t < k && rnorm > CORR_TOL * ynorm ? PREMATURE : CONVERGED;
      break;
    }
    if (q.t < k) {
      if (quAppend(q, colj, nj, j) == QU_OK) { store<u8>(mask + <usize>j, IN_FIT); releaseSetAside(mask, n); }
      else store<u8>(mask + <usize>j, SET_ASIDE);
      it++;
      continue;
    }
    // i = argmin over S of |z_i| = |x_i + eta a_i^T r|
    let pmin = 0;
    let zmin = Infinity;
    for (let p = 0; p < q.t; p++) {
      const v = abs(load<f64>(z + (<usize>p << 3)) + eta * load<f64>(c + (<usize>quAtom(q, p) << 3)));
      if (v < zmin) { zmin = v; pmin = p; }
    }
    if (eta * cj <= zmin) { status = CONVERGED; break; }
    const ai = quAtom(q, pmin);
    quDelete(q, pmin, 0, 0);
    store<u8>(mask + <usize>ai, FREE);
    if (quAppend(q, colj, nj, j) == QU_OK) {
      store<u8>(mask + <usize>j, IN_FIT);
      releaseSetAside(mask, n);
    } else {
      // j lies in the span of S - {i}: put i back, set j aside
      quAppend(q, opColumn(A, m, ai), load<f64>(norms + (<usize>ai << 3)), ai);
      store<u8>(mask + <usize>ai, IN_FIT);
      store<u8>(mask + <usize>j, SET_ASIDE);
    }
    it++;
  }
  writeSolution(z, q.cols, q.t, n, x, support, flags);
  return done(status, info, rnorm, it, q.t);
}

// SEA, the Support Exploration Algorithm (Mohamed, Malgouyres, Emiya, Chaux,
// ICML 2024): a straight-through estimator of the gradient of
// F(H(X)) = ||A H(X) - y||^2 / 2, where H(X) is the least-squares fit on the
// k largest |X_i|.
//
//   S_t = the k largest |X^t_i| (ties: lowest index)
//   x_t = argmin { ||A x - y|| : supp(x) in S_t }
//   X^{t+1} = X^t - eta A^T (A x_t - y)
//   return the x_t with the smallest residual (the best iterate)
//
// Start: X^0 = x0 when given and nonzero. With X^0 = 0 the first support
// would be a pure tie, so the first step is taken with x_{-1} = 0:
// X^0 := eta A^T y (every later X^t is then proportional to eta, and the
// supports do not depend on it).
//
// Consecutive supports differ by a few atoms: the least squares keeps an
// updatable QR (../qrupdate.ts), deleting the atoms that leave and appending
// those that enter, O(m k) per change instead of O(m k^2) per iteration.
// Atoms linearly dependent on the others (QU_DEP_TOL) stay out of the fit
// (coefficient 0) and are tried again at the next iteration.
//
// Stops, CONVERGED, when exploration can no longer change the best iterate,
// or on tol: at iterate t when ||A x_t - y|| <= tol ||y||; when x_t fits y
// exactly (||A x_t - y|| <= CORR_TOL ||y||, rounding: no support does better,
// whatever tol); or when X can no longer move (max_j |a_j^T r| / ||a_j|| <=
// CORR_TOL ||y||: every later X^t, support and iterate would be the same).
// Otherwise the best iterate can still change (on Gaussian 64 x 256 problems
// where SEA has not found an exact fit, the best iterate of a 20000-iteration
// run is often found after iteration 10000), so the run ends at maxIter
// (MAX_ITER), returning the best iterate; or when X overflows (eta far too large: DIVERGED; the best
// iterate so far is returned, x = 0 if X^0 itself overflowed). y = 0 gives
// x = 0 at once (CONVERGED, no iterate).
// p1 = eta (> 0). `extra`, when not 0, receives the residual
// norm of every iterate (maxIter f64). info[INFO_EXTRA] = best iteration.
import { axpy, finiteAll, zero } from "../blas";
import { opAdjoint, opColumn } from "../operator";
import { QRU, quAppend, quAtom, quBytes, quDelete, quFit, quInit, QU_OK } from "../qrupdate";
import { topK } from "../select";
import { CORR_TOL } from "../constants";
import { CONVERGED, DIVERGED, INFO_EXTRA, MAX_ITER } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { begin, done, GO, yNorm } from "./common";
import { writeSolution } from "./sets";


// The workspace, in carve order (carve() also gives its size, see workspace.ts): qMem (updatable
// QR of S_t), X (n: the explored vector X^t), c (n: A^T r), r (m: residual of x_t), qty (k: Q^T
// y), z (k: coefficients of x_t), bestVal (k: coefficients of the best iterate), sup (k i32: S_t),
// bestIdx (k i32: atoms of the best iterate), idx (n i32: topK work), flags (n bytes: topK work),
// inS (n bytes: flags of S_t), inFit (n bytes: flags of the atoms in the QR).
let qMem: usize = 0, X: usize = 0, c: usize = 0, r: usize = 0, qty: usize = 0, z: usize = 0,
  bestVal: usize = 0, sup: usize = 0, bestIdx: usize = 0, idx: usize = 0, flags: usize = 0,
  inS: usize = 0, inFit: usize = 0;
// The updatable QR laid out at qMem by carve() (when it carves, not when it sizes).
let q: QRU = changetype<QRU>(0);

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  wsBegin(ws);
  qMem = wsTake(quBytes(m, k)); X = wsF64(n); c = wsF64(n); r = wsF64(m); qty = wsF64(k);
  z = wsF64(k); bestVal = wsF64(k); sup = wsI32(k); bestIdx = wsI32(k); idx = wsI32(n);
  flags = wsU8(n); inS = wsU8(n); inFit = wsU8(n);
  if (ws != 0) q = quInit(qMem, m, k);
  return wsEnd();
}

/** Workspace bytes for sea at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function seaWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/**
 * Makes q the factorization of the atoms of `sup` (k ascending atoms; inS
 * flags them): deletes the atoms that left, appends those that entered.
 * inFit flags the atoms in q; atoms refused as dependent stay out.
 */
export function refitSupport(q: QRU, A: usize, m: i32, norms: usize, sup: usize, k: i32, inS: usize, inFit: usize): void {
  // leaving atoms, from the last position down (earlier positions keep their place)
  for (let p = q.t - 1; p >= 0; p--) {
    const a = quAtom(q, p);
    if (load<u8>(inS + <usize>a) == 0) {
      quDelete(q, p, 0, 0);
      store<u8>(inFit + <usize>a, 0);
    }
  }
  // entering atoms (and dependent ones, tried again)
  for (let i = 0; i < k; i++) {
    const j = load<i32>(sup + (<usize>i << 2));
    if (load<u8>(inFit + <usize>j) != 0) continue;
    if (quAppend(q, opColumn(A, m, j), load<f64>(norms + (<usize>j << 3)), j) == QU_OK) {
      store<u8>(inFit + <usize>j, 1);
    }
  }
}

/**
 * The common solver ABI (solvers/README.md) plus `extra` (residual history,
 * maxIter f64, or 0). Writes the best iterate to x, its support (ascending)
 * and info: residual, iterations (iterates computed), nnz, best iteration.
 */
export function sea(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                    maxIter: i32, tol: f64, p1: f64, x0: usize,
                    x: usize, support: usize, info: usize, ws: usize, extra: usize): i32 {
  const eta = p1;
  store<f64>(info + (<usize>INFO_EXTRA << 3), 0.0);
  carve(ws, m, n, k);
  const started = begin(y, m, x, n, norms, info);
  if (started != GO) return started;
  const ynorm = yNorm();
  // X^0: the warm start when it has a nonzero entry, else eta A^T y (x_{-1} = 0)
  let warm = false;
  if (x0 != 0) {
    for (let j = 0; j < n; j++) {
      if (load<f64>(x0 + (<usize>j << 3)) != 0.0) { warm = true; break; }
    }
  }
  if (warm) memory.copy(X, x0, <usize>n << 3);
  else {
    zero(X, n);
    opAdjoint(A, m, n, y, c);
    axpy(eta, c, X, n);
  }
  memory.fill(inS, 0, <usize>n);
  memory.fill(inFit, 0, <usize>n);
  memory.fill(sup, 0, <usize>k << 2);
  let best = ynorm; // x = 0 counts as seen: an iterate is kept only when it beats it
  let bestIt = -1;
  let bestCount = 0;
  let status = MAX_ITER;
  let it = 0;
  if (!finiteAll(X, n)) status = DIVERGED;
  while (status != DIVERGED && it < maxIter) {
    // S_t = top-k of |X|, flagged in inS (the previous flags cleared first)
    for (let i = 0; i < k; i++) store<u8>(inS + <usize>load<i32>(sup + (<usize>i << 2)), 0);
    topK(X, n, k, sup, idx, flags);
    for (let i = 0; i < k; i++) store<u8>(inS + <usize>load<i32>(sup + (<usize>i << 2)), 1);
    refitSupport(q, A, m, norms, sup, k, inS, inFit);
    const rnorm = quFit(q, y, qty, z, r);
    if (extra != 0) store<f64>(extra + (<usize>it << 3), rnorm);
    if (rnorm < best) {
      best = rnorm;
      bestIt = it;
      bestCount = q.t;
      memory.copy(bestVal, z, <usize>q.t << 3);
      memory.copy(bestIdx, q.cols, <usize>q.t << 2);
    }
    it++;
    // an exact fit (to rounding, CORR_TOL): no support can do better, exploration cannot improve it
    if (rnorm <= tol * ynorm || rnorm <= CORR_TOL * ynorm) { status = CONVERGED; break; }
    opAdjoint(A, m, n, r, c); // c = A^T r = -gradient
    let cmax = 0.0;
    for (let j = 0; j < n; j++) {
      const nj = load<f64>(norms + (<usize>j << 3));
      if (nj > 0.0) {
        const v = abs(load<f64>(c + (<usize>j << 3))) / nj;
        if (v > cmax) cmax = v;
      }
    }
    if (cmax <= CORR_TOL * ynorm) { status = CONVERGED; break; }
    axpy(eta, c, X, n);
    if (!finiteAll(X, n)) { status = DIVERGED; break; }
  }
  if (bestIt < 0) best = ynorm; // no iterate: x = 0
  // the best iterate, support ascending
  writeSolution(bestVal, bestIdx, bestCount, n, x, support, flags);
  store<f64>(info + (<usize>INFO_EXTRA << 3), <f64>max(bestIt, 0));
  return done(status, info, best, it, bestCount);
}

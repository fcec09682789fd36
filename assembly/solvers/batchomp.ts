// OMP over many right-hand sides.
//
// - ompBatchPlain: the omp kernel itself, once per column (bit for bit the
//   single-solve result).
// - ompBatchGram: Batch-OMP (Rubinstein, Zibulevsky and Elad, 2008). With the
//   Gram matrix G = A^T A at hand, a signal costs one A^T y (O(m n)), then per
//   iteration O(n t + t^2): the correlations A^T r = A^T y - G[:, S] z are
//   updated from G instead of from A, and the least-squares fit on the
//   support S comes from a Cholesky factor L L^T = G[S, S] that grows by one
//   row per atom.
//
// Both pick the same atom as omp.ts (argmax |a_j^T r| / ||a_j||, never a
// chosen atom nor a zero column; ties: lowest index) and stop by the same
// tests (k atoms, ||r|| <= tol ||y||, no atom correlated with r above
// CORR_TOL ||y||, or a dependent new atom -> 'premature').
import { axpy, copy, dot, gemvT, nrm2, zero } from "../blas";
import { DEP_TOL } from "../qr";
import { argmaxAbs } from "../select";
import { CONVERGED, PREMATURE, INFO_LEN, writeInfo } from "../status";
import { wsBegin, wsBytes32, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { begin, done, GO, yNorm } from "./common";
import { ompScreened, ompScreenPrepare, ompWorkspace, scatterSolution, selectionWeights } from "./omp";
import { CORR_TOL } from "../constants";

// The Gram path estimates ||r||^2 = ||y||^2 - z^T (A_S^T y), which loses
// relative accuracy as ||r|| shrinks (cancellation: its absolute error is a
// few k machine-epsilons of ||y||^2). Wherever a stopping decision lies
// within RES_GUARD ||y||^2 of the estimate, ||y - A_S z|| is formed exactly
// instead (O(m t)). 2^-30 (9.3e-10) is 2^22 times machine epsilon: room for
// k up to 4096 atoms with a margin of 1000 over the k eps bound.
const RES_GUARD: f64 = 9.313225746154785e-10;

// The workspace of ompGramOne, in carve order (carve() also gives its size, see workspace.ts):
// alpha0 (n: A^T y), alpha (n: A^T r), invNorm (n: selection weights), mask (n bytes: as omp's), L
// (k x k: Cholesky factor of G[S, S], row-major), w (k: new row of L), z (k: coefficients on S), b
// (k: A_S^T y in support order), order (k i32: atoms in the order chosen), r (m: residual, when
// formed exactly).
let alpha0: usize = 0, alpha: usize = 0, invNorm: usize = 0, mask: usize = 0, L: usize = 0,
  w: usize = 0, z: usize = 0, b: usize = 0, order: usize = 0, r: usize = 0;

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  wsBegin(ws);
  alpha0 = wsF64(n); alpha = wsF64(n); invNorm = wsF64(n); mask = wsU8(n);
  L = wsTake(<u64>k * <u64>k << 3); w = wsF64(k); z = wsF64(k); b = wsF64(k); order = wsI32(k);
  r = wsF64(m);
  return wsEnd();
}

/** Workspace bytes of ompGramOne / ompBatchGram at (m, n, k) (what carve() takes). */
export function ompGramWorkspace(m: i32, n: i32, k: i32): usize {
  return wsBytes32(carve(0, m, n, k));
}

/** ||y - sum_i z_i a_{order_i}|| for the first t atoms, using r (m) as scratch. */
function exactResidual(A: usize, m: i32, y: usize, z: usize, order: usize, t: i32, r: usize): f64 {
  copy(y, r, m);
  const colBytes = <usize>m << 3;
  for (let i = 0; i < t; i++) {
    const j = load<i32>(order + (<usize>i << 2));
    axpy(-load<f64>(z + (<usize>i << 3)), A + <usize>j * colBytes, r, m);
  }
  return nrm2(r, m);
}

/**
 * Solves (L L^T) z = b for the t x t lower-triangular L (row i at L + i*k*8,
 * entries 0..i). b is read, z written (may not alias b).
 */
function cholSolve(L: usize, k: i32, t: i32, b: usize, z: usize): void {
  const row = <usize>k << 3;
  // forward: L u = b (u kept in z)
  for (let i = 0; i < t; i++) {
    const Li = L + <usize>i * row;
    const s = load<f64>(b + (<usize>i << 3)) - dot(Li, z, i);
    store<f64>(z + (<usize>i << 3), s / load<f64>(Li + (<usize>i << 3)));
  }
  // backward: L^T z = u, column-oriented so that rows of L are read contiguously
  for (let i = t - 1; i >= 0; i--) {
    const Li = L + <usize>i * row;
    const zi = load<f64>(z + (<usize>i << 3)) / load<f64>(Li + (<usize>i << 3));
    store<f64>(z + (<usize>i << 3), zi);
    axpy(-zi, Li, z, i);
  }
}

/**
 * Batch-OMP for one signal. A (m x n), norms (n) and G = A^T A (n x n) as in
 * gram.ts; y (m); other arguments as omp (solvers/README.md). Writes x (n),
 * support (k i32 ascending), info; returns a status. The residual norm in
 * info is ||y - A x|| formed exactly.
 */
export function ompGramOne(A: usize, m: i32, n: i32, norms: usize, G: usize, y: usize, k: i32, tol: f64,
                           x: usize, support: usize, info: usize, ws: usize): i32 {
  carve(ws, m, n, k);
  const started = begin(y, m, x, n, norms, info);
  if (started != GO) return started;
  const ynorm = yNorm();
  selectionWeights(norms, n, invNorm, mask);
  gemvT(A, m, n, y, alpha0);
  copy(alpha0, alpha, n);
  const y2 = ynorm * ynorm;
  const tolAbs = tol * ynorm;
  const ld = <usize>n << 3;
  const row = <usize>k << 3;
  let rnorm = ynorm;
  let exact = true; // rnorm is ||y - A_S z|| formed directly (not the Gram estimate)
  let status = CONVERGED;
  let t = 0;
  while (t < k) {
    if (rnorm <= tolAbs) break;
    const j = argmaxAbs(alpha, invNorm, mask, n);
    if (j < 0) break;
    if (abs(load<f64>(alpha + (<usize>j << 3))) * load<f64>(invNorm + (<usize>j << 3)) <= CORR_TOL * ynorm) {
      if (!exact) { rnorm = exactResidual(A, m, y, z, order, t, r); exact = true; }
      if (rnorm > CORR_TOL * ynorm) status = PREMATURE;
      break;
    }
    // new row of L: w = L^{-1} G[S, j]; new diagonal^2 = G[j, j] - w^T w
    const Gj = G + <usize>j * ld;
    const Lt = L + <usize>t * row;
    for (let i = 0; i < t; i++) {
      const Li = L + <usize>i * row;
      const gi = load<f64>(Gj + (<usize>load<i32>(order + (<usize>i << 2)) << 3));
      store<f64>(Lt + (<usize>i << 3), (gi - dot(Li, Lt, i)) / load<f64>(Li + (<usize>i << 3)));
    }
    const d2 = load<f64>(Gj + (<usize>j << 3)) - dot(Lt, Lt, t);
    const dep = DEP_TOL * load<f64>(norms + (<usize>j << 3));
    // the part of a_j outside span(A_S) has norm sqrt(d2): the same test as qrAppend
    if (!(d2 > dep * dep)) { status = PREMATURE; break; }
    store<f64>(Lt + (<usize>t << 3), Math.sqrt(d2));
    store<i32>(order + (<usize>t << 2), j);
    store<f64>(b + (<usize>t << 3), load<f64>(alpha0 + (<usize>j << 3)));
    store<u8>(mask + <usize>j, 2);
    t++;
    cholSolve(L, k, t, b, z);
    // A^T r = A^T y - G[:, S] z
    copy(alpha0, alpha, n);
    for (let i = 0; i < t; i++) {
      axpy(-load<f64>(z + (<usize>i << 3)), G + <usize>load<i32>(order + (<usize>i << 2)) * ld, alpha, n);
    }
    const est2 = y2 - dot(z, b, t);
    if (Number.isFinite(est2) && abs(est2 - tolAbs * tolAbs) > RES_GUARD * y2) {
      rnorm = Math.sqrt(max(est2, 0.0));
      exact = false;
    } else {
      rnorm = exactResidual(A, m, y, z, order, t, r);
      exact = true;
    }
  }
  if (!exact) rnorm = exactResidual(A, m, y, z, order, t, r);
  scatterSolution(z, order, t, mask, n, x, support);
  return done(status, info, rnorm, t, t);
}

/**
 * Batch-OMP over p signals: Y m x p, X n x p (column-major), supports k x p
 * i32, infos INFO_LEN x p f64, statuses p i32; ws of ompGramWorkspace(m, n, k).
 */
export function ompBatchGram(A: usize, m: i32, n: i32, norms: usize, G: usize, Y: usize, p: i32, k: i32, tol: f64,
                             X: usize, supports: usize, infos: usize, statuses: usize, ws: usize): void {
  for (let c = 0; c < p; c++) {
    const code = ompGramOne(A, m, n, norms, G, Y + <usize>c * (<usize>m << 3), k, tol,
      X + <usize>c * (<usize>n << 3), supports + <usize>c * (<usize>k << 2),
      infos + <usize>c * (<usize>INFO_LEN << 3), ws);
    store<i32>(statuses + (<usize>c << 2), code);
  }
}

/** Workspace bytes of ompBatchPlain: the omp kernel's. */
export function ompBatchPlainWorkspace(m: i32, n: i32, k: i32): usize {
  return ompWorkspace(m, n, k);
}

/** The omp kernel on each of p signals; layout as ompBatchGram. */
export function ompBatchPlain(A: usize, m: i32, n: i32, norms: usize, Y: usize, p: i32, k: i32, tol: f64,
                              X: usize, supports: usize, infos: usize, statuses: usize, ws: usize): void {
  // the screen's f32 copy of A (screen.ts) is made once for all p signals
  const ea = ompScreenPrepare(A, m, n, norms, k, ws);
  for (let c = 0; c < p; c++) {
    const code = ompScreened(A, m, n, norms, Y + <usize>c * (<usize>m << 3), k, tol,
      X + <usize>c * (<usize>n << 3), supports + <usize>c * (<usize>k << 2),
      infos + <usize>c * (<usize>INFO_LEN << 3), ws, ea);
    store<i32>(statuses + (<usize>c << 2), code);
  }
}

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
// (coefficient 0) and are tried again at the next support change. An
// iteration whose support is the previous one's has the same x_t, residual
// and A^T r: only X moves (nothing is refitted or applied).
//
// On a structured operator (not a dense matrix) the O(m k) of a QR change is
// what costs: at m = 10^5 rows and k = 100 it is tens of applications of a
// convolution. There the fit keeps the Cholesky factor of the Gram matrix
// G_S = A_S^T A_S instead (../gramchol.ts): an entering atom costs its inner
// products with the others (../operator.ts opGramOn: O(taps) per
// overlapping pair for a convolution, one adjoint otherwise) and O(k^2);
// z solves G_S z = A_S^T y (A^T y computed once); r = y - A_S z on the
// support (opResidualOn) and A^T r as in every iteration. Seminormal
// equations lose digits as cond(A_S)^2: when the normal residual
// max_(i in S) |a_i^T r| / ||a_i|| exceeds GRAM_REFINE_TOL ||y||, z is
// refined by G_S dz = A_S^T r (corrected seminormal equations, Bjorck 1987),
// at most GRAM_MAX_REFINE times. Dependent atoms: ../gramchol.ts GC_DEP_TOL.
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
import { axpy, axpyFinite, finiteAll, nrm2, zero } from "../blas";
import { GCH, gcAppend, gcAtom, gcBytes, gcDelete, gcInit, gcSolve, GC_OK } from "../gramchol";
import { isDense, opAdjoint, opCheapColumns, opColumn, opGramOn, opResidualOn, opSubColumn } from "../operator";
import { QRU, quAppend, quAtom, quBytes, quDelete, quFit, quInit, QU_OK } from "../qrupdate";
import { topK } from "../select";
import { CORR_TOL, SQRT_EPS } from "../constants";
import { CONVERGED, DIVERGED, INFO_EXTRA, MAX_ITER } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { begin, done, GO, yNorm } from "./common";
import { writeSolution } from "./sets";


/** The Gram path refines z when max_(i in S) |a_i^T r| / ||a_i|| > GRAM_REFINE_TOL ||y||:
 *  sqrt(eps) * 1e-4 (1.5e-12). The normal residual of an exact fit is zero;
 *  the QR fit leaves rounding of order eps sqrt(m) (a few 1e-14 at m = 10^5),
 *  and a seminormal z good to about 1e-12 relative gives one of that size:
 *  above it the Gram path has lost digits the QR would have kept. */
const GRAM_REFINE_TOL: f64 = SQRT_EPS * 1e-4;
/** Refinement steps at most per fit: one step of corrected seminormal
 *  equations recovers the QR's accuracy when cond(A_S)^2 eps < 1 (Bjorck
 *  1987); a second covers the rest of that range, beyond it the fit is as
 *  good as the Gram matrix allows. */
const GRAM_MAX_REFINE: i32 = 2;
/** On an operator with cheap columns (a convolution: opSubColumn) the Gram
 *  path updates r = y - A x_t by the coefficients that changed, O(L) each,
 *  instead of forming it from y (a pass over m values in and out), and forms
 *  it from y every GRAM_REFRESH fits: 32, so that the rounding the updates
 *  add stays within 32 roundings of each touched entry (relative 1e-14 of
 *  ||y|| at most) while the full pass costs 1/32 of what it did. */
const GRAM_REFRESH: i32 = 32;
// Fits since r was last formed from y (Gram path; GRAM_REFRESH forces a full one).
let sinceFull: i32 = 0;

// The workspace, in carve order (carve() also gives its size, see workspace.ts): the fit's
// memory (QR path: updatable QR of S_t and qty (k: Q^T y); Gram path: updatable Cholesky of
// G_S, aty (n: A^T y), xs (n: x_t scattered), gw (n: work of opGramOn), gv (k: inner
// products of an entering atom), gb (k: A_S^T y or A_S^T r)), X (n: the explored vector
// X^t), c (n: A^T r), r (m: residual of x_t), z (k: coefficients of x_t), bestVal (k:
// coefficients of the best iterate), sup (k i32: S_t), supN (k i32: the next support),
// bestIdx (k i32: atoms of the best iterate), idx (n i32: topK work), flags (n bytes: topK
// work), inS (n bytes: flags of S_t), inFit (n bytes: flags of the atoms in the fit).
let qMem: usize = 0, qty: usize = 0, gMem: usize = 0, aty: usize = 0, xs: usize = 0, gw: usize = 0,
  gv: usize = 0, gb: usize = 0, X: usize = 0, c: usize = 0, r: usize = 0, z: usize = 0,
  bestVal: usize = 0, sup: usize = 0, supN: usize = 0, bestIdx: usize = 0, idx: usize = 0,
  flags: usize = 0, inS: usize = 0, inFit: usize = 0;
// The updatable QR (QR path) or Cholesky factor (Gram path), laid out by carve() when it carves.
let q: QRU = changetype<QRU>(0);
let g: GCH = changetype<GCH>(0);

function carve(ws: usize, m: i32, n: i32, k: i32, gram: bool): u64 {
  wsBegin(ws);
  if (gram) {
    gMem = wsTake(gcBytes(k)); aty = wsF64(n); xs = wsF64(n); gw = wsF64(n); gv = wsF64(k); gb = wsF64(k);
  } else {
    qMem = wsTake(quBytes(m, k)); qty = wsF64(k);
  }
  X = wsF64(n); c = wsF64(n); r = wsF64(m);
  z = wsF64(k); bestVal = wsF64(k); sup = wsI32(k); supN = wsI32(k); bestIdx = wsI32(k); idx = wsI32(n);
  flags = wsU8(n); inS = wsU8(n); inFit = wsU8(n);
  if (ws != 0) {
    if (gram) g = gcInit(gMem, k);
    else q = quInit(qMem, m, k);
  }
  return wsEnd();
}

/**
 * Workspace bytes for sea at (m, n, k), exact beyond 4 GiB (as f64): what
 * carve() takes. structured: 1 when A will be a structured operator (the
 * Gram path), 0 for a dense matrix.
 */
export function seaWorkspace64(m: i32, n: i32, k: i32, structured: i32): f64 {
  return <f64>carve(0, m, n, k, structured != 0);
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
 * The Gram path's refit: makes g the Cholesky factor of the atoms of `sup`
 * (refitSupport's rules), then fits: z on g's atoms, xs = x_t scattered, r =
 * y - A x_t, c = A^T r, refined while the normal residual is large. Returns
 * ||r||.
 */
function gramFit(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32, ynorm: f64): f64 {
  // xs and r hold the last fit's x and residual; a leaving atom's coefficient
  // comes out of both (of r only when it is updated column by column)
  let update = sinceFull < GRAM_REFRESH && opCheapColumns(A);
  for (let p = g.t - 1; p >= 0; p--) {
    const a = gcAtom(g, p);
    if (load<u8>(inS + <usize>a) == 0) {
      gcDelete(g, p);
      store<u8>(inFit + <usize>a, 0);
      const o = <usize>a << 3;
      if (update) opSubColumn(A, a, -load<f64>(xs + o), r);
      store<f64>(xs + o, 0.0);
    }
  }
  for (let i = 0; i < k; i++) {
    const j = load<i32>(sup + (<usize>i << 2));
    if (load<u8>(inFit + <usize>j) != 0) continue;
    const d = opGramOn(A, m, n, j, g.cols, g.t, gv, gw);
    if (gcAppend(g, gv, d, j) == GC_OK) store<u8>(inFit + <usize>j, 1);
  }
  const t = g.t;
  for (let i = 0; i < t; i++) store<f64>(gb + (<usize>i << 3), load<f64>(aty + (<usize>gcAtom(g, i) << 3)));
  gcSolve(g, gb, z);
  for (let pass = 0; ; pass++) {
    // xs = x_t (zero off the fit); r = y - A x_t, by the changed coefficients or whole
    for (let i = 0; i < t; i++) {
      const j = gcAtom(g, i);
      const o = <usize>j << 3;
      const zi = load<f64>(z + (<usize>i << 3));
      if (update) opSubColumn(A, j, zi - load<f64>(xs + o), r);
      store<f64>(xs + o, zi);
    }
    if (update) sinceFull++;
    else {
      opResidualOn(A, m, n, y, xs, g.cols, t, r);
      sinceFull = 0;
      update = opCheapColumns(A);
    }
    opAdjoint(A, m, n, r, c);
    if (pass == GRAM_MAX_REFINE) break;
    // the normal residual A_S^T r, and its largest scaled entry
    let worst = 0.0;
    for (let i = 0; i < t; i++) {
      const o = <usize>gcAtom(g, i) << 3;
      const ci = load<f64>(c + o);
      store<f64>(gb + (<usize>i << 3), ci);
      const v = abs(ci) / load<f64>(norms + o);
      if (v > worst) worst = v;
    }
    if (!(worst > GRAM_REFINE_TOL * ynorm)) break;
    gcSolve(g, gb, gb);
    for (let i = 0; i < t; i++) {
      const o = <usize>i << 3;
      store<f64>(z + o, load<f64>(z + o) + load<f64>(gb + o));
    }
  }
  return nrm2(r, m);
}

/**
 * False when max_j |c_j| / ||a_j|| <= thr (zero columns skipped): X can no
 * longer move. Stops at the first j above; the division is made only where
 * |c_j| comes within a rounding margin of thr ||a_j||, so the answer is that
 * of the quotients.
 */
function moves(c: usize, norms: usize, n: i32, thr: f64): bool {
  const near = thr * (1.0 - 1e-12);
  for (let j = 0; j < n; j++) {
    const o = <usize>j << 3;
    const nj = load<f64>(norms + o);
    const cj = abs(load<f64>(c + o));
    if (cj >= near * nj && nj > 0.0 && cj / nj > thr) return true;
  }
  return false;
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
  const gram = !isDense(A);
  store<f64>(info + (<usize>INFO_EXTRA << 3), 0.0);
  carve(ws, m, n, k, gram);
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
  if (gram) { opAdjoint(A, m, n, y, aty); zero(xs, n); sinceFull = GRAM_REFRESH; }
  if (warm) memory.copy(X, x0, <usize>n << 3);
  else {
    zero(X, n);
    if (!gram) opAdjoint(A, m, n, y, c);
    axpy(eta, gram ? aty : c, X, n);
  }
  memory.fill(inS, 0, <usize>n);
  memory.fill(inFit, 0, <usize>n);
  memory.fill(sup, 0, <usize>k << 2);
  let best = ynorm; // x = 0 counts as seen: an iterate is kept only when it beats it
  let bestIt = -1;
  let bestCount = 0;
  let status = MAX_ITER;
  let it = 0;
  let rnorm = 0.0;
  let stuck = false;
  if (!finiteAll(X, n)) status = DIVERGED;
  while (status != DIVERGED && it < maxIter) {
    // S_t = top-k of |X|; when an atom enters, the flags move to it and x_t is refitted
    topK(X, n, k, supN, idx, flags);
    let entering = 0;
    for (let i = 0; i < k; i++) entering += 1 - <i32>load<u8>(inS + <usize>load<i32>(supN + (<usize>i << 2)));
    if (it == 0 || entering > 0) {
      for (let i = 0; i < k; i++) store<u8>(inS + <usize>load<i32>(sup + (<usize>i << 2)), 0);
      const tmp = sup; sup = supN; supN = tmp;
      for (let i = 0; i < k; i++) store<u8>(inS + <usize>load<i32>(sup + (<usize>i << 2)), 1);
      if (gram) rnorm = gramFit(A, m, n, norms, y, k, ynorm);
      else {
        refitSupport(q, A, m, norms, sup, k, inS, inFit);
        rnorm = quFit(q, y, qty, z, r);
      }
      const cnt = gram ? g.t : q.t;
      if (rnorm < best) {
        best = rnorm;
        bestIt = it;
        bestCount = cnt;
        memory.copy(bestVal, z, <usize>cnt << 3);
        memory.copy(bestIdx, gram ? g.cols : q.cols, <usize>cnt << 2);
      }
      // an exact fit (to rounding, CORR_TOL): no support can do better, exploration cannot improve it
      if (rnorm <= tol * ynorm || rnorm <= CORR_TOL * ynorm) {
        if (extra != 0) store<f64>(extra + (<usize>it << 3), rnorm);
        it++;
        status = CONVERGED;
        break;
      }
      if (!gram) opAdjoint(A, m, n, r, c); // c = A^T r = -gradient
      stuck = !moves(c, norms, n, CORR_TOL * ynorm);
    }
    if (extra != 0) store<f64>(extra + (<usize>it << 3), rnorm);
    it++;
    if (stuck) { status = CONVERGED; break; }
    if (!axpyFinite(eta, c, X, n)) { status = DIVERGED; break; }
  }
  if (bestIt < 0) best = ynorm; // no iterate: x = 0
  // the best iterate, support ascending
  writeSolution(bestVal, bestIdx, bestCount, n, x, support, flags);
  store<f64>(info + (<usize>INFO_EXTRA << 3), <f64>max(bestIt, 0));
  return done(status, info, best, it, bestCount);
}

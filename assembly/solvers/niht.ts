// Normalized Iterative Hard Thresholding (Blumensath & Davies 2010).
//
// Each step x <- H_k(x + mu g), g = A^T (y - A x), takes the step that is
// optimal along g restricted to the current support G:
//   mu = ||g_G||^2 / ||A_G g_G||^2.
// When the new support differs from G the step is accepted only if
//   mu <= omega = (1 - c) ||x_new - x||^2 / ||A (x_new - x)||^2,
// else mu <- mu / (kappa (1 - c)) and the step is recomputed.
import { copy, nrm2, zero } from "../blas";
import { opAdjoint, opApply, opApplyOn } from "../operator";
import { topK } from "../select";
import { DIVERGED, MAX_ITER } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { begin, doneAtZero, doneSteps, GO, warmResidual, yNorm } from "./common";
import { candidate, stepResidual, stepsBegin, stepsTaken, takeStep } from "./iht";
import { nonzeroOf, sameSet } from "./sets";

// c and kappa of the paper's step rule: c = 0.01 is the value it uses in its
// experiments; kappa = 2 / (1 - c) (> 1 / (1 - c) as required), so each
// backtracking shrink mu / (kappa (1 - c)) halves mu.
const NIHT_C: f64 = 0.01;
const NIHT_KAPPA: f64 = 2.0 / (1.0 - NIHT_C);
// Cap on shrinks within one step: 64 halvings scale mu by 2^-64 (5e-20), far
// below the f64 resolution (2^-52) of x + mu g relative to x, so more could
// not change the candidate; the paper's loop is finite, this only guards
// against rounding keeping mu > omega forever.
const NIHT_MAX_SHRINKS: i32 = 64;

// The workspace, in carve order (carve() also gives its size, see workspace.ts): r (m: residual of
// x), rc (m: residual of the candidate), w (m: A_G g_G, A (x_new - x)), g (n: A^T r), u (n: the
// candidate), d (n: x_new - x), idx (n i32: topK work), flags (n bytes: topK work), G (k i32:
// support of x), S (k i32: support of the candidate), gs (k: g on a support).
let r: usize = 0, rc: usize = 0, w: usize = 0, g: usize = 0, u: usize = 0, d: usize = 0,
// Last, bestVal (k: the best iterate's values) and bestIdx (k i32: its support), see common.ts.
  idx: usize = 0, flags: usize = 0, G: usize = 0, S: usize = 0, gs: usize = 0, bestVal: usize = 0,
  bestIdx: usize = 0;

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  wsBegin(ws);
  r = wsF64(m); rc = wsF64(m); w = wsF64(m); g = wsF64(n); u = wsF64(n); d = wsF64(n); idx = wsI32(n);
  flags = wsU8(n); G = wsI32(k); S = wsI32(k); gs = wsF64(k); bestVal = wsF64(k); bestIdx = wsI32(k);
  return wsEnd();
}

/** Workspace bytes for niht at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function nihtWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/**
 * ||g_G|| / ||A_G g_G|| for the set G (cnt indices), or -1 when g_G = 0.
 * Uses w (m) and gs (cnt f64) as work.
 */
function stepRatio(A: usize, m: i32, n: i32, g: usize, G: usize, cnt: i32, w: usize, gs: usize): f64 {
  for (let i = 0; i < cnt; i++) {
    store<f64>(gs + (<usize>i << 3), load<f64>(g + (<usize>load<i32>(G + (<usize>i << 2)) << 3)));
  }
  opApplyOn(A, m, n, g, G, cnt, w);
  const gn = nrm2(gs, cnt);
  const wn = nrm2(w, m);
  // A_G g_G = 0 forces g_G = 0 (||g_G||^2 = g_G^T A_G^T r = (A_G g_G)^T r).
  if (!(gn > 0.0) || !(wn > 0.0)) return -1.0;
  return gn / wn;
}

/**
 * The common solver ABI (see solvers/README.md). p1 unused; x0: warm
 * start (n) or 0. The first support G is the top k of A^T y when x0 is 0 (or
 * all zero), else the nonzeros among the k largest |x0_j|. Stops when
 * ||r|| <= tol ||y||, at a fixed point (support unchanged and
 * ||x_new - x|| <= STALL_TOL ||x_new||), both CONVERGED, else after maxIter
 * steps (MAX_ITER). A step whose iterate or residual overflows (the step
 * rule meeting a numerically zero A_G g_G) is not taken: DIVERGED, as in iht.
 */
export function niht(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                     maxIter: i32, tol: f64, p1: f64, x0: usize,
                     x: usize, support: usize, info: usize, ws: usize): i32 {
  carve(ws, m, n, k);
  const started = begin(y, m, x, n, norms, info);
  if (started != GO) return started;
  const ynorm = yNorm();
  warmResidual(A, m, n, y, x0, x, r);
  let gcnt = 0;
  if (x0 != 0) {
    copy(x, u, n);
    topK(u, n, k, G, idx, flags);
    gcnt = nonzeroOf(x, G, k, G);
  }
  let gReady = false;
  if (gcnt == 0) {
    opAdjoint(A, m, n, r, g);
    gReady = true;
    topK(g, n, k, G, idx, flags);
    gcnt = k;
  }
  if (!stepsBegin(r, m)) return doneAtZero(DIVERGED, info, x, n);
  let status = MAX_ITER;
  while (stepsTaken() < maxIter) {
    if (!gReady) opAdjoint(A, m, n, r, g);
    gReady = false;
    let ratio = stepRatio(A, m, n, g, G, gcnt, w, gs);
    if (ratio < 0.0) {
      // g vanishes on G: take the step size on the k largest entries of g instead
      topK(g, n, k, S, idx, flags);
      ratio = stepRatio(A, m, n, g, S, k, w, gs);
    }
    // ratio < 0 now means A^T r = 0: x is stationary, and the step with mu = 0
    // just thresholds it (then the fixed-point test ends the run).
    let mu = ratio < 0.0 ? 0.0 : min(ratio * ratio, f64.MAX_VALUE);
    let dnorm = 0.0;
    let shrinks = 0;
    while (true) {
      dnorm = candidate(x, g, mu, u, d, n, k, S, idx, flags);
      if (sameSet(S, k, G, gcnt)) break;
      opApply(A, m, n, d, w);
      const an = nrm2(w, m);
      if (!(an > 0.0)) break; // omega = infinity
      const q = dnorm / an;
      if (mu <= (1.0 - NIHT_C) * q * q) break;
      if (shrinks >= NIHT_MAX_SHRINKS) break;
      mu = mu / (NIHT_KAPPA * (1.0 - NIHT_C));
      shrinks++;
    }
    const st = takeStep(A, m, n, y, u, S, k, rc, x, r, G, sameSet(S, k, G, gcnt), dnorm, tol, ynorm, bestVal, bestIdx);
    if (stepsTaken() > 0) gcnt = k;
    if (st != GO) { status = st; break; }
  }
  return doneSteps(stepsTaken() > 0, status, info, x, n, G, k, stepResidual(), stepsTaken(), bestVal, bestIdx, support);
}

// Complex IHT and NIHT: the rules of src/js/complex/iht.ts (the JS twins,
// which run the loops of src/js/iht.ts) on a dense complex A.
//
// IHT:  x <- H_k(x + mu A^H (y - A x)), H_k keeping the k entries of largest
//       modulus |x_j| (ties: lowest index);
// NIHT: the same step with mu = ||g_G||^2 / ||A_G g_G||^2 on the current
//       support G, shrunk (mu / (kappa (1 - c))) while the support changes and
//       mu > (1 - c) ||x_new - x||^2 / ||A (x_new - x)||^2 (Blumensath &
//       Davies 2010, complex norms).
// A is a complex operator handle (coperator.ts): a dense matrix or a tagged
// partial Fourier header.
// realX != 0: x is real; the step is along Re(A^H r) (the gradient over real
// x), so every iterate stays real, and x is returned as n doubles.
//
// Stopping rules (those of ../solvers/iht.ts): ||r|| <= tol ||y||
// (CONVERGED); a fixed point, the support unchanged and ||x_new - x|| <=
// STALL_TOL ||x_new|| (CONVERGED when the fit is exact to sqrt(eps), else
// FIXED_POINT); maxIter steps (MAX_ITER); a step whose residual overflows is
// not taken (DIVERGED). The best iterate seen is returned (common.ts).
import { DIVERGED, MAX_ITER } from "../status";
import { CONVERGED, FIXED_POINT } from "../status";
import { SQRT_EPS } from "../constants";
import { topK } from "../select";
import { wsBegin, wsEnd, wsF64, wsI32, wsU8 } from "../workspace";
import { cabs, cnrm2 } from "./cblas";
import { copAdjoint, copApply, copApplyOn, copResidualOn } from "./coperator";
import { cbegin, cdoneSteps, CGO, cnonzeroOf, cofferBest, cwarmStart, cyNorm } from "./common";

// ../solvers/iht.ts STALL_TOL and ../solvers/niht.ts's step-rule constants.
const STALL_TOL: f64 = 1e-12;
const NIHT_C: f64 = 0.01;
const NIHT_KAPPA: f64 = 2.0 / (1.0 - NIHT_C);
const NIHT_MAX_SHRINKS: i32 = 64;

// The workspace, in carve order (carve() also gives its size, see ../workspace.ts; IHT and NIHT
// share it): r (2m: residual of x), rc (2m: residual of the candidate), w (2m: A_G g_G, A d),
// g (2n: the gradient), u (2n: the candidate), d (2n: u - x), mod (n: moduli for top-k),
// idx (n i32) and flags (n bytes): topK's work, G (k i32: support of x), S (k i32: support of the
// candidate), gs (2k: g on a support), bestVal (2k) and bestIdx (k i32): the best iterate.
let r: usize = 0, rc: usize = 0, w: usize = 0, g: usize = 0, u: usize = 0, d: usize = 0, mod: usize = 0,
  idx: usize = 0, flags: usize = 0, G: usize = 0, S: usize = 0, gs: usize = 0, bestVal: usize = 0, bestIdx: usize = 0;

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  wsBegin(ws);
  r = wsF64(2 * m); rc = wsF64(2 * m); w = wsF64(2 * m); g = wsF64(2 * n); u = wsF64(2 * n); d = wsF64(2 * n);
  mod = wsF64(n); idx = wsI32(n); flags = wsU8(n); G = wsI32(k); S = wsI32(k); gs = wsF64(2 * k);
  bestVal = wsF64(2 * k); bestIdx = wsI32(k);
  return wsEnd();
}

/** Workspace bytes for complexIht at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function complexIhtWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/** Workspace bytes for complexNiht at (m, n, k): the carve of complexIht (the two share it). */
export function complexNihtWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/** The k indices of largest |v_j| (complex v, n values; ties: lowest index), ascending, to out; flags marks them when k < n. */
function ctopK(v: usize, n: i32, k: i32, out: usize): void {
  for (let j = 0; j < n; j++) store<f64>(mod + (<usize>j << 3), cabs(load<f64>(v + (<usize>j << 4)), load<f64>(v + (<usize>j << 4), 8)));
  topK(mod, n, k, out, idx, flags);
}

/** g = A^H r, its imaginary parts zeroed with realX. */
function gradient(A: usize, m: i32, n: i32, realX: bool): void {
  copAdjoint(A, m, n, r, g);
  if (realX) for (let j = 0; j < n; j++) store<f64>(g + (<usize>j << 4), 0.0, 8);
}

/** u = H_k(x + mu g) (support S), d = u - x; returns ||d||. */
function candidate(x: usize, n: i32, k: i32, mu: f64): f64 {
  const len = n << 1;
  for (let t = 0; t < len; t++) {
    const o = <usize>t << 3;
    store<f64>(u + o, load<f64>(x + o) + mu * load<f64>(g + o));
  }
  ctopK(u, n, k, S);
  if (k < n) {
    for (let j = 0; j < n; j++) {
      if (load<u8>(flags + <usize>j) == 0) { store<f64>(u + (<usize>j << 4), 0.0); store<f64>(u + (<usize>j << 4), 0.0, 8); }
    }
  }
  for (let t = 0; t < len; t++) {
    const o = <usize>t << 3;
    store<f64>(d + o, load<f64>(u + o) - load<f64>(x + o));
  }
  return cnrm2(d, n);
}

function sameSet(a: usize, na: i32, b: usize, nb: i32): bool {
  if (na != nb) return false;
  for (let i = 0; i < na; i++) if (load<i32>(a + (<usize>i << 2)) != load<i32>(b + (<usize>i << 2))) return false;
  return true;
}

let steps: i32 = 0;
let stepR: f64 = 0.0;

/**
 * Takes the candidate u (support S, k entries): its residual goes to rc; a
 * residual that overflows is not taken (DIVERGED). Otherwise x <- u, G <- S,
 * r <- rc, the step is counted and offered as the best iterate, and the run
 * stops on tol (CONVERGED) or at a fixed point; CGO to go on.
 */
function takeStep(A: usize, m: i32, n: i32, y: usize, k: i32, x: usize, same: bool, dnorm: f64, tol: f64, ynorm: f64): i32 {
  copResidualOn(A, m, n, y, u, S, k, rc);
  const rcnorm = cnrm2(rc, m);
  if (!(rcnorm <= f64.MAX_VALUE)) return DIVERGED;
  steps++;
  memory.copy(x, u, <usize>n << 4);
  memory.copy(G, S, <usize>k << 2);
  memory.copy(r, rc, <usize>m << 4);
  stepR = rcnorm;
  cofferBest(x, G, k, rcnorm, bestVal, bestIdx);
  if (rcnorm <= tol * ynorm) return CONVERGED;
  if (same && dnorm <= STALL_TOL * cnrm2(x, n)) return rcnorm <= SQRT_EPS * ynorm ? CONVERGED : FIXED_POINT;
  return CGO;
}

/**
 * The start both share: cbegin, then x = x0 (2n complex, or n reals with
 * realX; 0: zero) and r = y - A x. Returns CGO, or the final status (written).
 */
function start(A: usize, m: i32, n: i32, norms: usize, y: usize, x0: usize, x: usize, info: usize, realX: bool): i32 {
  const started = cbegin(y, m, x, n, norms, info);
  if (started != CGO) return started;
  steps = 0;
  if (x0 != 0) {
    cwarmStart();
    if (realX) for (let j = 0; j < n; j++) store<f64>(x + (<usize>j << 4), load<f64>(x0 + (<usize>j << 3)));
    else memory.copy(x, x0, <usize>n << 4);
    // r = y - A x0, column by column over every index (the twin's cresidualDense)
    for (let j = 0; j < n; j++) store<i32>(idx + (<usize>j << 2), j);
    copResidualOn(A, m, n, y, x, idx, n, r);
  } else memory.copy(r, y, <usize>m << 4);
  stepR = cnrm2(r, m);
  if (!(stepR <= f64.MAX_VALUE)) return cdoneSteps(false, DIVERGED, info, x, n, G, 0, 0.0, 0, bestVal, bestIdx, 0, realX);
  return CGO;
}

/**
 * Complex IHT, the common solver ABI (../solvers/README.md) on complex data
 * with realX as the 15th argument: A a complex operator handle (coperator.ts:
 * the address of the m x n complex matrix, 2mn f64 interleaved column-major,
 * or a tagged partial Fourier header), norms its n column norms, y m complex;
 * p1 = mu > 0 (the step); x0 warm start (2n f64, or n with realX) or 0.
 * Writes x (2n f64; with realX the first n hold the real x), support (k i32,
 * ascending nonzeros) and info; returns a status.
 */
export function complexIht(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                           maxIter: i32, tol: f64, p1: f64, x0: usize,
                           x: usize, support: usize, info: usize, ws: usize, realX: i32): i32 {
  carve(ws, m, n, k);
  const real = realX != 0;
  const st0 = start(A, m, n, norms, y, x0, x, info, real);
  if (st0 != CGO) return st0;
  const ynorm = cyNorm();
  let status = MAX_ITER;
  while (steps < maxIter) {
    gradient(A, m, n, real);
    const dnorm = candidate(x, n, k, p1);
    const same = steps > 0 && sameSet(S, k, G, k);
    const st = takeStep(A, m, n, y, k, x, same, dnorm, tol, ynorm);
    if (st != CGO) { status = st; break; }
  }
  return cdoneSteps(steps > 0, status, info, x, n, G, k, stepR, steps, bestVal, bestIdx, support, real);
}

/** ||g_G|| / ||A_G g_G|| (complex) for the set G (cnt indices), or -1 when either vanishes. Uses w and gs. */
function stepRatio(A: usize, m: i32, n: i32, set: usize, cnt: i32): f64 {
  for (let i = 0; i < cnt; i++) {
    const j = load<i32>(set + (<usize>i << 2));
    store<f64>(gs + (<usize>i << 4), load<f64>(g + (<usize>j << 4)));
    store<f64>(gs + (<usize>i << 4), load<f64>(g + (<usize>j << 4), 8), 8);
  }
  copApplyOn(A, m, n, g, set, cnt, w);
  const gn = cnrm2(gs, cnt);
  const wn = cnrm2(w, m);
  return gn > 0.0 && wn > 0.0 ? gn / wn : -1.0;
}

/**
 * Complex NIHT, the ABI of complexIht; p1 unused. The first support G is the
 * top k of |A^H y| (of Re(A^H y) with realX) on a cold start, else the nonzeros
 * among the k largest |x0_j|.
 */
export function complexNiht(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                            maxIter: i32, tol: f64, p1: f64, x0: usize,
                            x: usize, support: usize, info: usize, ws: usize, realX: i32): i32 {
  carve(ws, m, n, k);
  const real = realX != 0;
  const st0 = start(A, m, n, norms, y, x0, x, info, real);
  if (st0 != CGO) return st0;
  const ynorm = cyNorm();
  let gcnt = 0;
  if (x0 != 0) {
    ctopK(x, n, k, G);
    gcnt = cnonzeroOf(x, G, k, G);
  }
  let gReady = false;
  if (gcnt == 0) {
    gradient(A, m, n, real);
    gReady = true;
    ctopK(g, n, k, G);
    gcnt = k;
  }
  let status = MAX_ITER;
  while (steps < maxIter) {
    if (!gReady) gradient(A, m, n, real);
    gReady = false;
    let ratio = stepRatio(A, m, n, G, gcnt);
    if (ratio < 0.0) {
      ctopK(g, n, k, S);
      ratio = stepRatio(A, m, n, S, k);
    }
    let mu = ratio < 0.0 ? 0.0 : min(ratio * ratio, f64.MAX_VALUE);
    let dnorm = 0.0;
    let shrinks = 0;
    while (true) {
      dnorm = candidate(x, n, k, mu);
      if (sameSet(S, k, G, gcnt)) break;
      copApply(A, m, n, d, w);
      const an = cnrm2(w, m);
      if (!(an > 0.0)) break;
      const q = dnorm / an;
      if (mu <= (1.0 - NIHT_C) * q * q) break;
      if (shrinks >= NIHT_MAX_SHRINKS) break;
      mu = mu / (NIHT_KAPPA * (1.0 - NIHT_C));
      shrinks++;
    }
    const st = takeStep(A, m, n, y, k, x, sameSet(S, k, G, gcnt), dnorm, tol, ynorm);
    if (steps > 0) gcnt = k;
    if (st != CGO) { status = st; break; }
  }
  return cdoneSteps(steps > 0, status, info, x, n, G, k, stepR, steps, bestVal, bestIdx, support, real);
}

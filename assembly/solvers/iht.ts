// Iterative Hard Thresholding (Blumensath & Davies 2009):
//   x <- H_k(x + mu A^T (y - A x)),
// with a fixed step mu (p1; the facade's default is 1/||A||_2^2, under which
// the iteration is known to converge to a fixed point).
import { axpy, copy, nrm2 } from "../blas";
import { opAdjoint } from "../operator";
import { hardThreshold } from "../select";
import { SQRT_EPS } from "../constants";
import { CONVERGED, DIVERGED, FIXED_POINT, MAX_ITER } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { begin, doneAtZero, doneSteps, GO, offerBest, warmResidual, yNorm } from "./common";
import { residualOn } from "./lsfit";
import { copySet, nonzeroOf, sameSet } from "./sets";

// Fixed-point test of the thresholded gradient iterations (IHT, NIHT): the
// iterate is a fixed point once the support is unchanged and
// ||x_new - x|| <= STALL_TOL ||x_new||. One step x + mu A^T (y - A x) carries
// rounding noise of order (m + n) * eps relative (eps = 2.2e-16), about 1e-12
// for m + n near 4500; a smaller threshold could sit below that noise and
// never be met, a larger one would stop a slowly contracting iteration early.
export const STALL_TOL: f64 = 1e-12;

// The workspace, in carve order (carve() also gives its size, see workspace.ts): r (m: residual of
// x), rc (m: residual of the candidate), g (n: A^T r, then the step taken), u (n: the candidate),
// idx (n i32: hardThreshold work), flags (n bytes: hardThreshold work), S (k i32: support of the
// candidate), prev (k i32: support of x).
// Last, bestVal (k: the best iterate's values) and bestIdx (k i32: its support), see common.ts.
let r: usize = 0, rc: usize = 0, g: usize = 0, u: usize = 0, idx: usize = 0, flags: usize = 0,
  S: usize = 0, prev: usize = 0, bestVal: usize = 0, bestIdx: usize = 0;

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  wsBegin(ws);
  r = wsF64(m); rc = wsF64(m); g = wsF64(n); u = wsF64(n); idx = wsI32(n); flags = wsU8(n);
  S = wsI32(k); prev = wsI32(k); bestVal = wsF64(k); bestIdx = wsI32(k);
  return wsEnd();
}

/** Workspace bytes for iht at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function ihtWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/**
 * The status of a fixed-point stop (tol not met): CONVERGED when the fit is
 * exact to rounding (||r|| <= SQRT_EPS ||y||, the exact-fit level of OMP),
 * else FIXED_POINT: the iteration stopped without fitting the data.
 */
export function fixedPointStatus(rnorm: f64, ynorm: f64): i32 {
  return rnorm <= SQRT_EPS * ynorm ? CONVERGED : FIXED_POINT;
}

/** True when v (a norm) is a finite number: false for Infinity and NaN (an overflowed vector). */
// @ts-ignore: decorator
@inline export function finiteNorm(v: f64): bool {
  return v <= f64.MAX_VALUE;
}

// The thresholding steps of IHT and NIHT between calls of takeStep: the
// steps taken and ||r|| of the current iterate (set by stepsBegin).
let steps: i32 = 0;
let stepR: f64 = 0.0;

/**
 * Starts counting the steps from the iterate whose residual is r (m values);
 * false when ||r|| is not finite (the warm start overflows A x0: no step can start).
 */
export function stepsBegin(r: usize, m: i32): bool {
  steps = 0;
  stepR = nrm2(r, m);
  return finiteNorm(stepR);
}

/** Steps taken since stepsBegin. */
// @ts-ignore: decorator
@inline export function stepsTaken(): i32 {
  return steps;
}

/** ||y - A x|| of the current iterate. */
// @ts-ignore: decorator
@inline export function stepResidual(): f64 {
  return stepR;
}

/**
 * The candidate of a thresholding step, u = H_k(x + mu g) (support S; idx and
 * flags are hardThreshold's work), and d = u - x (d may be g: g is read
 * first). Returns ||d||.
 */
export function candidate(x: usize, g: usize, mu: f64, u: usize, d: usize, n: i32, k: i32, S: usize, idx: usize, flags: usize): f64 {
  copy(x, u, n);
  axpy(mu, g, u, n);
  hardThreshold(u, n, k, S, idx, flags);
  for (let j = 0; j < n; j++) {
    const o = <usize>j << 3;
    store<f64>(d + o, load<f64>(u + o) - load<f64>(x + o));
  }
  return nrm2(d, n);
}

/**
 * Takes the candidate u of an IHT or NIHT step (support S, k entries; dnorm =
 * ||u - x||; same: S is the support kept before). Its residual goes to rc
 * first: a step whose residual overflows is not taken (DIVERGED). Otherwise
 * x <- u, kept <- S, r <- rc, the step is counted and offered as the best
 * iterate, and the run stops on ||r|| <= tol ||y|| (CONVERGED) or at a fixed
 * point (fixedPointStatus); GO to go on.
 */
export function takeStep(A: usize, m: i32, n: i32, y: usize, u: usize, S: usize, k: i32, rc: usize, x: usize, r: usize,
                         kept: usize, same: bool, dnorm: f64, tol: f64, ynorm: f64, bestVal: usize, bestIdx: usize): i32 {
  residualOn(A, m, n, y, u, S, k, rc);
  const rcnorm = nrm2(rc, m);
  if (!finiteNorm(rcnorm)) return DIVERGED;
  steps++;
  copy(u, x, n);
  copySet(S, kept, k);
  copy(rc, r, m);
  stepR = rcnorm;
  offerBest(x, kept, k, rcnorm, bestVal, bestIdx);
  if (rcnorm <= tol * ynorm) return CONVERGED;
  if (same && dnorm <= STALL_TOL * nrm2(x, n)) return fixedPointStatus(rcnorm, ynorm);
  return GO;
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
  const mu = p1;
  carve(ws, m, n, k);
  const started = begin(y, m, x, n, norms, info);
  if (started != GO) return started;
  const ynorm = yNorm();
  warmResidual(A, m, n, y, x0, x, r);
  if (!stepsBegin(r, m)) return doneAtZero(DIVERGED, info, x, n);
  let status = MAX_ITER;
  while (stepsTaken() < maxIter) {
    opAdjoint(A, m, n, r, g);
    const dnorm = candidate(x, g, mu, u, g, n, k, S, idx, flags); // g <- u - x, the step
    const same = stepsTaken() > 0 && sameSet(S, k, prev, k);
    const st = takeStep(A, m, n, y, u, S, k, rc, x, r, prev, same, dnorm, tol, ynorm, bestVal, bestIdx);
    if (st != GO) { status = st; break; }
  }
  return doneSteps(stepsTaken() > 0, status, info, x, n, prev, k, stepResidual(), stepsTaken(), bestVal, bestIdx, support);
}

// What the complex solvers share: the start (||y||, a zero y, an all-zero A),
// the end (info block, the debug build's workspace check), and the best
// iterate seen (the rule of assembly/solvers/common.ts, on complex iterates).
import { CONVERGED, FIXED_POINT, STALLED, ZERO_MATRIX, writeInfo } from "../status";
import { wsCheck } from "../workspace";
import { cnrm2 } from "./cblas";

/** cbegin's answer when the solve goes on. */
export const CGO: i32 = -1;

let ynormOf: f64 = 0.0;
let bestR: f64 = 0.0;
let bestCnt: i32 = 0;
// Residual rounding of one iterate relative to ||y|| (assembly/solvers/common.ts BEST_SLACK).
const BEST_SLACK: f64 = 1e-12;

/**
 * Starts a complex solve: x = 0 (2n doubles) and ||y|| (m complex; read with
 * cyNorm()); the best iterate so far is x = 0. A zero y ends it at once
 * (CONVERGED), and so does an all-zero A (every column norm 0) with nonzero y
 * (ZERO_MATRIX), as for the real solvers. Otherwise returns CGO.
 */
export function cbegin(y: usize, m: i32, x: usize, n: i32, norms: usize, info: usize): i32 {
  ynormOf = cnrm2(y, m);
  memory.fill(x, 0, <usize>n << 4);
  bestR = ynormOf;
  bestCnt = 0;
  if (ynormOf == 0.0) return cdone(CONVERGED, info, 0.0, 0, 0);
  let zeroA = true;
  for (let j = 0; j < n; j++) {
    if (load<f64>(norms + (<usize>j << 3)) != 0.0) { zeroA = false; break; }
  }
  if (zeroA) return cdone(ZERO_MATRIX, info, ynormOf, 0, 0);
  return CGO;
}

/** ||y|| of the solve cbegin started. */
// @ts-ignore: decorator
@inline export function cyNorm(): f64 {
  return ynormOf;
}

/** On a warm start x = 0 is no candidate for the best iterate. */
export function cwarmStart(): void {
  bestR = Infinity;
}

/** Offers x (complex, nonzero only on set[0..cnt)) with residual rnorm: kept in bestVal (2 cnt) / bestIdx (cnt) when strictly better. */
export function cofferBest(x: usize, set: usize, cnt: i32, rnorm: f64, bestVal: usize, bestIdx: usize): void {
  if (!(rnorm < bestR)) return;
  bestR = rnorm;
  bestCnt = cnt;
  for (let i = 0; i < cnt; i++) {
    const j = load<i32>(set + (<usize>i << 2));
    store<i32>(bestIdx + (<usize>i << 2), j);
    store<f64>(bestVal + (<usize>i << 4), load<f64>(x + (<usize>j << 4)));
    store<f64>(bestVal + (<usize>i << 4), load<f64>(x + (<usize>j << 4), 8), 8);
  }
}

/** The indices of set[0..cnt) whose complex x entry is nonzero (either part), to out (may alias set); returns how many. */
export function cnonzeroOf(x: usize, set: usize, cnt: i32, out: usize): i32 {
  let p = 0;
  for (let i = 0; i < cnt; i++) {
    const j = load<i32>(set + (<usize>i << 2));
    if (load<f64>(x + (<usize>j << 4)) != 0.0 || load<f64>(x + (<usize>j << 4), 8) != 0.0) { store<i32>(out + (<usize>p << 2), j); p++; }
  }
  return p;
}

/** realX: x (2n interleaved, imaginary parts zero) becomes n real doubles at the start of the same buffer, the rest zero. */
export function compactReal(x: usize, n: i32): void {
  for (let j = 0; j < n; j++) store<f64>(x + (<usize>j << 3), load<f64>(x + (<usize>j << 4)));
  memory.fill(x + (<usize>n << 3), 0, <usize>n << 3);
}

/**
 * Ends a thresholding solve (complex IHT, NIHT): x = 0 at ||y|| when no step
 * was taken; else the final iterate (on set[0..cnt), residual rnorm) or the
 * best one seen when that beats it by more than BEST_SLACK ||y|| (a
 * CONVERGED or FIXED_POINT status then STALLED). Writes support, info, and
 * with realX compacts x to n doubles.
 */
export function cdoneSteps(taken: bool, status: i32, info: usize, x: usize, n: i32, set: usize, cnt: i32, rnorm: f64, iterations: i32,
                           bestVal: usize, bestIdx: usize, support: usize, realX: bool): i32 {
  if (!taken) {
    memory.fill(x, 0, <usize>n << 4);
    return cdone(status, info, ynormOf, 0, 0);
  }
  let nnz = 0;
  if (bestR < rnorm - BEST_SLACK * ynormOf) {
    memory.fill(x, 0, <usize>n << 4);
    for (let i = 0; i < bestCnt; i++) {
      const j = load<i32>(bestIdx + (<usize>i << 2));
      store<f64>(x + (<usize>j << 4), load<f64>(bestVal + (<usize>i << 4)));
      store<f64>(x + (<usize>j << 4), load<f64>(bestVal + (<usize>i << 4), 8), 8);
    }
    if (status == CONVERGED || status == FIXED_POINT) status = STALLED;
    rnorm = bestR;
    nnz = cnonzeroOf(x, bestIdx, bestCnt, support);
  } else {
    nnz = cnonzeroOf(x, set, cnt, support);
  }
  if (realX) compactReal(x, n);
  return cdone(status, info, rnorm, iterations, nnz);
}

/** Ends a solve: info (residual, iterations, nonzeros), the workspace check, the status. */
export function cdone(status: i32, info: usize, rnorm: f64, iterations: i32, nnz: i32): i32 {
  writeInfo(info, rnorm, iterations, nnz);
  wsCheck();
  return status;
}

// The prologue and epilogue every solver of the common ABI shares
// (solvers/README.md): x = 0 and ||y|| at the start (a zero y ends the solve
// at x = 0, CONVERGED; a zero A with nonzero y at x = 0, ZERO_MATRIX), the
// warm-start residual, the best iterate seen, and at the end the info block
// and the debug build's workspace check.
//
// The best-iterate rule, the same for every solver: a solve returns the
// iterate with the smallest ||y - A x|| among those it has formed, the start
// included when it is a candidate (x = 0 on a cold start; a warm start x0 is
// not, since it need not be k-sparse: warmStart() drops x = 0). The final
// iterate is kept unless the best one beats it by more than BEST_SLACK ||y||
// (rounding: two fits on the same support differ by about that). When the
// best one is returned instead, a stop that would have been CONVERGED or
// FIXED_POINT is STALLED; MAX_ITER, PREMATURE and DIVERGED keep their codes (they already
// say the run did not converge). OMP, SP and ELS never accept a worse
// iterate (their residual decreases at every accepted step) and SEA keeps
// its best iterate by design, so only IHT, NIHT, HTP, CoSaMP and OMPR track it.
import { copy, nrm2, zero } from "../blas";
import { opResidual } from "../operator";
import { CONVERGED, FIXED_POINT, STALLED, ZERO_MATRIX, writeInfo } from "../status";
import { wsCheck } from "../workspace";
import { nonzeroOf } from "./sets";

/** begin's answer when the solve goes on (any other value is the final status). */
export const GO: i32 = -1;

let ynormOf: f64 = 0.0;

/**
 * Starts a solve: x = 0 (n) and ||y|| (read with yNorm()); the best iterate
 * so far is x = 0. A zero y ends it at once (x = 0, CONVERGED), and so does
 * an all-zero A (every column norm 0) with nonzero y (x = 0, ZERO_MATRIX).
 * Otherwise returns GO.
 */
export function begin(y: usize, m: i32, x: usize, n: i32, norms: usize, info: usize): i32 {
  ynormOf = nrm2(y, m);
  zero(x, n);
  bestR = ynormOf;
  bestCnt = 0;
  if (ynormOf == 0.0) return done(CONVERGED, info, 0.0, 0, 0);
  let zeroA = true;
  for (let j = 0; j < n; j++) {
    if (load<f64>(norms + (<usize>j << 3)) != 0.0) { zeroA = false; break; }
  }
  if (zeroA) return done(ZERO_MATRIX, info, ynormOf, 0, 0);
  return GO;
}

// Residual rounding of one iterate: (m + n) eps relative to ||y||, about 1e-12
// for m + n near 4500 (as iht.ts STALL_TOL).
const BEST_SLACK: f64 = 1e-12;

let bestR: f64 = 0.0;

/** On a warm start: x = 0 is no candidate (the solve never formed it). */
export function warmStart(): void {
  bestR = Infinity;
}
let bestCnt: i32 = 0;

/**
 * Offers the iterate x (nonzero only on set[0..cnt), ascending) with
 * residual norm rnorm: kept in bestVal (cnt f64) / bestIdx (cnt i32) when it
 * is strictly better than the best so far.
 */
export function offerBest(x: usize, set: usize, cnt: i32, rnorm: f64, bestVal: usize, bestIdx: usize): void {
  if (!(rnorm < bestR)) return;
  bestR = rnorm;
  bestCnt = cnt;
  for (let i = 0; i < cnt; i++) {
    const j = load<i32>(set + (<usize>i << 2));
    store<i32>(bestIdx + (<usize>i << 2), j);
    store<f64>(bestVal + (<usize>i << 3), load<f64>(x + (<usize>j << 3)));
  }
}

/**
 * Ends a solve whose final iterate x (on set[0..cnt), residual rnorm) may be
 * worse than the best seen: then x becomes the best iterate and a CONVERGED
 * or FIXED_POINT status becomes STALLED. Writes support and info.
 */
export function doneBest(status: i32, info: usize, x: usize, n: i32, set: usize, cnt: i32, rnorm: f64, iterations: i32,
                         bestVal: usize, bestIdx: usize, support: usize): i32 {
  if (bestR < rnorm - BEST_SLACK * ynormOf) {
    zero(x, n);
    for (let i = 0; i < bestCnt; i++) {
      store<f64>(x + (<usize>load<i32>(bestIdx + (<usize>i << 2)) << 3), load<f64>(bestVal + (<usize>i << 3)));
    }
    if (status == CONVERGED || status == FIXED_POINT) status = STALLED;
    return done(status, info, bestR, iterations, nonzeroOf(x, bestIdx, bestCnt, support));
  }
  return done(status, info, rnorm, iterations, nonzeroOf(x, set, cnt, support));
}

/**
 * Ends a solve at x = 0 (no step taken, or a warm start that overflows):
 * residual ||y||, no iterations, no nonzeros.
 */
export function doneAtZero(status: i32, info: usize, x: usize, n: i32): i32 {
  zero(x, n);
  return done(status, info, ynormOf, 0, 0);
}

/**
 * The end of IHT and NIHT: doneBest() once a step has been taken, else
 * doneAtZero() (the first step overflowed: x = 0 is the iterate returned).
 */
export function doneSteps(taken: bool, status: i32, info: usize, x: usize, n: i32, set: usize, cnt: i32, rnorm: f64,
                          iterations: i32, bestVal: usize, bestIdx: usize, support: usize): i32 {
  if (!taken) return doneAtZero(status, info, x, n);
  return doneBest(status, info, x, n, set, cnt, rnorm, iterations, bestVal, bestIdx, support);
}

/** ||y|| of the solve begin() started. */
// @ts-ignore: decorator
@inline export function yNorm(): f64 {
  return ynormOf;
}

/** x = x0 and r = y - A x0 when x0 is given (not 0), else r = y (x stays 0). */
export function warmResidual(A: usize, m: i32, n: i32, y: usize, x0: usize, x: usize, r: usize): void {
  if (x0 != 0) {
    warmStart();
    copy(x0, x, n);
    opResidual(A, m, n, y, x, r);
  } else {
    copy(y, r, m);
  }
}

/** Ends a solve: info (residual, iterations, nonzeros), the workspace check, and the status returned. */
export function done(status: i32, info: usize, rnorm: f64, iterations: i32, nnz: i32): i32 {
  writeInfo(info, rnorm, iterations, nnz);
  wsCheck();
  return status;
}

// The prologue and epilogue every solver of the common ABI shares
// (solvers/README.md): x = 0 and ||y|| at the start (a zero y ends the solve
// at x = 0), the warm-start residual, and at the end the info block and the
// debug build's workspace check.
import { copy, gemvN, nrm2, zero } from "../blas";
import { CONVERGED, writeInfo } from "../status";
import { wsCheck } from "../workspace";

/** begin's answer when the solve goes on (any other value is the final status). */
export const GO: i32 = -1;

let ynormOf: f64 = 0.0;

/**
 * Starts a solve: x = 0 (n) and ||y|| (read with yNorm()). A zero y ends it
 * at once: info for x = 0 and CONVERGED. Otherwise returns GO.
 */
export function begin(y: usize, m: i32, x: usize, n: i32, info: usize): i32 {
  ynormOf = nrm2(y, m);
  zero(x, n);
  if (ynormOf == 0.0) return done(CONVERGED, info, 0.0, 0, 0);
  return GO;
}

/** ||y|| of the solve begin() started. */
// @ts-ignore: decorator
@inline export function yNorm(): f64 {
  return ynormOf;
}

/** x = x0 and r = y - A x0 when x0 is given (not 0), else r = y (x stays 0). */
export function warmResidual(A: usize, m: i32, n: i32, y: usize, x0: usize, x: usize, r: usize): void {
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
}

/** Ends a solve: info (residual, iterations, nonzeros), the workspace check, and the status returned. */
export function done(status: i32, info: usize, rnorm: f64, iterations: i32, nnz: i32): i32 {
  writeInfo(info, rnorm, iterations, nnz);
  wsCheck();
  return status;
}

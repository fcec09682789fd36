// Least squares on a support, and the residual of a sparse iterate: the two
// steps the support-based solvers (HTP, CoSaMP, SP) share. Nothing allocates.
import { opColumn, opResidualOn } from "../operator";
import { QR, qrAppend, qrReset, qrSolve, QR_OK } from "../qr";

/** r = y - sum_i x[set[i]] a_{set[i]} (A: the operator handle, operator.ts; x zero off set[0..cnt)). */
export function residualOn(A: usize, m: i32, n: i32, y: usize, x: usize, set: usize, cnt: i32, r: usize): void {
  opResidualOn(A, m, n, y, x, set, cnt, r);
}

/**
 * min ||y - A_T c|| over the columns T = set[0..cnt), appended to the QR q in
 * that order (q was laid out for at least cnt columns, cnt <= m). A column
 * that qrAppend reports dependent on those before it (QR_DEPENDENT, or
 * QR_FULL) is skipped and gets coefficient 0. Writes coef[0..cnt) (coef[i]
 * belongs to set[i]); uses z (cnt f64) and pos (cnt i32) as work. Returns the
 * number of skipped columns (0 when the fit used every column).
 */
export function lsFit(q: QR, A: usize, m: i32, norms: usize, y: usize, set: usize, cnt: i32,
                      coef: usize, z: usize, pos: usize): i32 {
  qrReset(q, y);
  let t = 0;
  for (let i = 0; i < cnt; i++) {
    const j = load<i32>(set + (<usize>i << 2));
    if (qrAppend(q, opColumn(A, m, j), load<f64>(norms + (<usize>j << 3))) == QR_OK) {
      store<i32>(pos + (<usize>t << 2), i);
      t++;
    }
  }
  qrSolve(q, z);
  memory.fill(coef, 0, <usize>cnt << 3);
  for (let i = 0; i < t; i++) {
    store<f64>(coef + (<usize>load<i32>(pos + (<usize>i << 2)) << 3), load<f64>(z + (<usize>i << 3)));
  }
  return cnt - t;
}

/** x = 0 except x[set[i]] = coef[i] (x: n f64). */
export function scatter(coef: usize, set: usize, cnt: i32, x: usize, n: i32): void {
  memory.fill(x, 0, <usize>n << 3);
  for (let i = 0; i < cnt; i++) {
    store<f64>(x + (<usize>load<i32>(set + (<usize>i << 2)) << 3), load<f64>(coef + (<usize>i << 3)));
  }
}

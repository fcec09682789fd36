// What the complex support-based kernels (HTP, SP, CoSaMP: htp.ts, sp.ts,
// cosamp.ts) share: least squares on a support, the proxy A^H r, top-k by
// modulus, and the warm start. The rules of src/js/complex/lsfit.ts (the JS
// twins' helpers), as ../solvers/lsfit.ts is for the real kernels.
//
// realX: the fit is least squares over real coefficients,
//   min_z || [Re A_S; Im A_S] z - [Re y; Im y] ||,
// by the real Householder QR of ../qr.ts on the stacked 2m x |S| system (as
// omp.ts's realX fit), and the proxy is Re(A^H r) (as iht.ts's realX step).
// Coefficients are written interleaved either way (imaginary parts 0 with
// realX). Nothing allocates; cfitInit lays the QR out in the kernel's
// workspace for one solve (one call at a time, as every kernel).
import { QR, qrAppend, qrBytes, qrInit, qrReset, qrSolve, QR_OK } from "../qr";
import { topK } from "../select";
import { cabs } from "./cblas";
import { copAdjoint, copColumn } from "./coperator";
import { CQR, cqrAppend, cqrBytes, cqrInit, cqrReset, cqrSolve } from "./cqr";

/** Bytes of QR memory for fits of up to kq columns: the complex QR (m rows) or the real QR of the stacked system (2m rows), the larger. */
export function cfitBytes(m: i32, kq: i32): u64 {
  const c = cqrBytes(m, kq);
  const r = qrBytes(2 * m, kq);
  return c > r ? c : r;
}

let cq: CQR = changetype<CQR>(0);
let rq: QR = changetype<QR>(0);
let real: bool = false;
let ysOf: usize = 0;
let scOf: usize = 0;
let yOf: usize = 0;

/**
 * Prepares the fits of one solve: the QR laid out at mem (cfitBytes(m, kq)
 * bytes) for up to kq columns; y (m complex); with realX, ys (2m f64)
 * receives [Re y; Im y] and sc (2m f64) is the stacked-column scratch.
 */
export function cfitInit(mem: usize, m: i32, kq: i32, realX: bool, y: usize, ys: usize, sc: usize): void {
  real = realX;
  yOf = y;
  ysOf = ys;
  scOf = sc;
  if (realX) {
    rq = qrInit(mem, 2 * m, kq);
    cstack(y, m, ys);
  } else cq = cqrInit(mem, m, kq);
}

/** out = [Re v; Im v] (2m f64) from the interleaved v (m complex). */
function cstack(v: usize, m: i32, out: usize): void {
  for (let i = 0; i < m; i++) {
    store<f64>(out + (<usize>i << 3), load<f64>(v + (<usize>i << 4)));
    store<f64>(out + (<usize>(m + i) << 3), load<f64>(v + (<usize>i << 4), 8));
  }
}

/**
 * min ||y - A_T c|| over the columns T = set[0..cnt) (cnt <= kq), appended
 * in that order (complex coefficients, or real ones with realX). A column
 * the QR reports dependent on those before it (or full) is skipped and gets
 * coefficient 0. Writes coef (cnt complex, interleaved; coef[i] for set[i]);
 * z (2 cnt f64) and pos (cnt i32) are work. Returns the number skipped.
 */
export function cfitOnSet(A: usize, m: i32, norms: usize, set: usize, cnt: i32, coef: usize, z: usize, pos: usize): i32 {
  let t = 0;
  memory.fill(coef, 0, <usize>cnt << 4);
  if (real) {
    qrReset(rq, ysOf);
    for (let i = 0; i < cnt; i++) {
      const j = load<i32>(set + (<usize>i << 2));
      cstack(copColumn(A, m, j), m, scOf);
      if (qrAppend(rq, scOf, load<f64>(norms + (<usize>j << 3))) == QR_OK) {
        store<i32>(pos + (<usize>t << 2), i);
        t++;
      }
    }
    qrSolve(rq, z);
    for (let i = 0; i < t; i++) {
      store<f64>(coef + (<usize>load<i32>(pos + (<usize>i << 2)) << 4), load<f64>(z + (<usize>i << 3)));
    }
  } else {
    cqrReset(cq, yOf);
    for (let i = 0; i < cnt; i++) {
      const j = load<i32>(set + (<usize>i << 2));
      if (cqrAppend(cq, copColumn(A, m, j), load<f64>(norms + (<usize>j << 3))) == QR_OK) {
        store<i32>(pos + (<usize>t << 2), i);
        t++;
      }
    }
    cqrSolve(cq, z);
    for (let i = 0; i < t; i++) {
      const o = <usize>load<i32>(pos + (<usize>i << 2)) << 4;
      store<f64>(coef + o, load<f64>(z + (<usize>i << 4)));
      store<f64>(coef + o, load<f64>(z + (<usize>i << 4), 8), 8);
    }
  }
  return cnt - t;
}

/** g = A^H r (n complex), its imaginary parts zeroed with realX. */
export function cproxy(A: usize, m: i32, n: i32, r: usize, g: usize): void {
  copAdjoint(A, m, n, r, g);
  if (real) for (let j = 0; j < n; j++) store<f64>(g + (<usize>j << 4), 0.0, 8);
}

/**
 * The k indices of largest |v_j| (v: n complex; ties: lowest index),
 * ascending, to out; mod (n f64), idx (n i32), flags (n bytes) are work, and
 * flags marks the chosen ones when 0 < k < n (../select.ts topK).
 */
export function cmodTopK(v: usize, n: i32, k: i32, out: usize, mod: usize, idx: usize, flags: usize): void {
  for (let j = 0; j < n; j++) store<f64>(mod + (<usize>j << 3), cabs(load<f64>(v + (<usize>j << 4)), load<f64>(v + (<usize>j << 4), 8)));
  topK(mod, n, k, out, idx, flags);
}

/** x (n complex) = 0 except x[set[i]] = coef[i] (coef interleaved). */
export function cscatter(coef: usize, set: usize, cnt: i32, x: usize, n: i32): void {
  memory.fill(x, 0, <usize>n << 4);
  for (let i = 0; i < cnt; i++) {
    const o = <usize>load<i32>(set + (<usize>i << 2)) << 4;
    store<f64>(x + o, load<f64>(coef + (<usize>i << 4)));
    store<f64>(x + o, load<f64>(coef + (<usize>i << 4), 8), 8);
  }
}

/** x (n complex) = x0: 2n f64 interleaved, or n reals with realX (imaginary parts 0). */
export function cloadStart(x0: usize, x: usize, n: i32): void {
  if (real) {
    memory.fill(x, 0, <usize>n << 4);
    for (let j = 0; j < n; j++) store<f64>(x + (<usize>j << 4), load<f64>(x0 + (<usize>j << 3)));
  } else memory.copy(x, x0, <usize>n << 4);
}

/** Zeroes the entries of x (n complex) that flags (set by cmodTopK with 0 < k < n) does not mark. */
export function ckeepFlagged(x: usize, n: i32, k: i32, flags: usize): void {
  if (k >= n) return;
  for (let j = 0; j < n; j++) {
    if (load<u8>(flags + <usize>j) == 0) { store<f64>(x + (<usize>j << 4), 0.0); store<f64>(x + (<usize>j << 4), 0.0, 8); }
  }
}

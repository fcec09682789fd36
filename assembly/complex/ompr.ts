// Complex OMPR (l = 1): the rules of src/js/complex/ompr.ts (the JS twin) and
// of ../solvers/ompr.ts on complex data.
//
//   z = x + eta A^H (y - A x)          (Re(A^H r) with realX)
//   j = argmax |z_j| outside S, i = argmin |z_i| over S (moduli)
//   if |z_j| > |z_i|: S <- S - {i} + {j}; least squares on S (qrupdate.ts); else stop
//
// Start: the nonzeros among the k largest |x0_j|, else empty; while |S| < k a
// step only adds. Stops as the real OMPR ('converged' at a fixed point or on
// tol or when no free atom correlates with r, 'premature' when fewer than k
// independent atoms could be added, 'maxIter' after maxIter moves).
// ABI: the complex solver ABI with realX as the 15th argument; p1 = eta.
import { CORR_TOL } from "../constants";
import { CONVERGED, MAX_ITER, PREMATURE } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { cabs } from "./cblas";
import { cbegin, cdone, CGO, compactReal, cyNorm } from "./common";
import { copColumn } from "./coperator";
import { CQRU, cquAppend, cquAtom, cquBytes, cquDelete, cquFit, cquInit, CQU_OK, cwriteSolution } from "./qrupdate";
import { cgradient, cTopK } from "./sea";

export const FREE: u8 = 0;
export const IN_FIT: u8 = 1;
export const SET_ASIDE: u8 = 2;
export const ZERO_COL: u8 = 3;

// The workspace, in carve order: qMem (the complex QR of S), c (2n: A^H r; the warm start's X at
// the start), r (2m), qty (2k), z (2k), sup (k i32), mod (n), idx (n i32), flags (n bytes), mask
// (n bytes: FREE, IN_FIT, SET_ASIDE, ZERO_COL).
let qMem: usize = 0, c: usize = 0, r: usize = 0, qty: usize = 0, z: usize = 0, sup: usize = 0,
  mod: usize = 0, idx: usize = 0, flags: usize = 0, mask: usize = 0;
let q: CQRU = changetype<CQRU>(0);

function carve(ws: usize, m: i32, n: i32, k: i32, real: bool): u64 {
  wsBegin(ws);
  qMem = wsTake(cquBytes(m, k)); c = wsF64(2 * n); r = wsF64(2 * m); qty = wsF64(2 * k); z = wsF64(2 * k);
  sup = wsI32(k); mod = wsF64(n); idx = wsI32(n); flags = wsU8(n); mask = wsU8(n);
  if (ws != 0) q = cquInit(qMem, m, k, real);
  return wsEnd();
}

/** Workspace bytes for complexOmpr at (m, n, k), exact beyond 4 GiB (as f64). */
export function complexOmprWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k, false);
}

/**
 * The start of complex OMPR and ELS: mask FREE or ZERO_COL; with x0, appends
 * the nonzeros among the k largest |x0_j| (x0 2n f64, or n with realX; Xw 2n
 * of scratch). Returns nothing; the QR holds the start.
 */
export function cstartSupport(q: CQRU, A: usize, m: i32, n: i32, norms: usize, k: i32, x0: usize, real: bool,
                              Xw: usize, supv: usize, modv: usize, idxv: usize, flagv: usize, maskv: usize): void {
  for (let j = 0; j < n; j++) store<u8>(maskv + <usize>j, load<f64>(norms + (<usize>j << 3)) > 0.0 ? FREE : ZERO_COL);
  if (x0 == 0) return;
  memory.fill(Xw, 0, <usize>n << 4);
  if (real) for (let j = 0; j < n; j++) store<f64>(Xw + (<usize>j << 4), load<f64>(x0 + (<usize>j << 3)));
  else memory.copy(Xw, x0, <usize>n << 4);
  cTopK(Xw, n, k, supv, modv, idxv, flagv);
  const kk = k < n ? k : n;
  for (let i = 0; i < kk; i++) {
    const j = load<i32>(supv + (<usize>i << 2));
    if (load<f64>(Xw + (<usize>j << 4)) == 0.0 && load<f64>(Xw + (<usize>j << 4), 8) == 0.0) continue;
    if (load<u8>(maskv + <usize>j) != FREE) continue;
    if (cquAppend(q, copColumn(A, m, j), load<f64>(norms + (<usize>j << 3)), j) == CQU_OK) store<u8>(maskv + <usize>j, IN_FIT);
  }
}

export function creleaseSetAside(maskv: usize, n: i32): void {
  for (let j = 0; j < n; j++) if (load<u8>(maskv + <usize>j) == SET_ASIDE) store<u8>(maskv + <usize>j, FREE);
}

export function complexOmpr(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                            maxIter: i32, tol: f64, eta: f64, x0: usize,
                            x: usize, support: usize, info: usize, ws: usize, realX: i32): i32 {
  const real = realX != 0;
  carve(ws, m, n, k, real);
  const started = cbegin(y, m, x, n, norms, info);
  if (started != CGO) { if (real) compactReal(x, n); return started; }
  const ynorm = cyNorm();
  cstartSupport(q, A, m, n, norms, k, x0, real, c, sup, mod, idx, flags, mask);
  let status = MAX_ITER;
  let it = 0;
  let rnorm = ynorm;
  while (true) {
    rnorm = cquFit(q, y, qty, z, r);
    if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
    if (it >= maxIter) { status = MAX_ITER; break; }
    cgradient(A, m, n, r, c, real);
    let j = -1;
    let cj = -1.0;
    for (let a = 0; a < n; a++) {
      if (load<u8>(mask + <usize>a) != FREE) continue;
      const v = cabs(load<f64>(c + (<usize>a << 4)), load<f64>(c + (<usize>a << 4), 8));
      if (v > cj) { cj = v; j = a; }
    }
    if (j < 0) { status = q.t < k ? PREMATURE : CONVERGED; break; }
    const nj = load<f64>(norms + (<usize>j << 3));
    if (cj / nj <= CORR_TOL * ynorm) {
      status = q.t < k && rnorm > CORR_TOL * ynorm ? PREMATURE : CONVERGED;
      break;
    }
    if (q.t < k) {
      if (cquAppend(q, copColumn(A, m, j), nj, j) == CQU_OK) { store<u8>(mask + <usize>j, IN_FIT); creleaseSetAside(mask, n); }
      else store<u8>(mask + <usize>j, SET_ASIDE);
      it++;
      continue;
    }
    let pmin = 0;
    let zmin = Infinity;
    for (let p = 0; p < q.t; p++) {
      const a = cquAtom(q, p);
      const wr = load<f64>(z + (<usize>p << 4)) + eta * load<f64>(c + (<usize>a << 4));
      const wi = load<f64>(z + (<usize>p << 4), 8) + eta * load<f64>(c + (<usize>a << 4), 8);
      const v = cabs(wr, wi);
      if (v < zmin) { zmin = v; pmin = p; }
    }
    if (eta * cj <= zmin) { status = CONVERGED; break; }
    const ai = cquAtom(q, pmin);
    cquDelete(q, pmin, 0, 0);
    store<u8>(mask + <usize>ai, FREE);
    if (cquAppend(q, copColumn(A, m, j), nj, j) == CQU_OK) {
      store<u8>(mask + <usize>j, IN_FIT);
      creleaseSetAside(mask, n);
    } else {
      cquAppend(q, copColumn(A, m, ai), load<f64>(norms + (<usize>ai << 3)), ai);
      store<u8>(mask + <usize>ai, IN_FIT);
      store<u8>(mask + <usize>j, SET_ASIDE);
    }
    it++;
  }
  cwriteSolution(z, q.cols, q.t, n, x, support, flags);
  if (real) compactReal(x, n);
  return cdone(status, info, rnorm, it, q.t);
}

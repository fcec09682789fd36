// Complex Orthogonal Matching Pursuit, the whole solve in one call: the rules
// of src/js/complex/omp.ts (the JS twin) on a dense complex A.
//
// Selection: j = argmax |a_j^H r| / ||a_j|| over the atoms not yet chosen
// (zero columns never; ties: lowest index). Fit: least squares on the chosen
// atoms by the complex Householder QR of cqr.ts, one column at a time; with
// realX, least squares over real coefficients,
//   min_z || [Re A_S; Im A_S] z - [Re y; Im y] ||,
// by the real Householder QR of ../qr.ts on the stacked 2m x |S| system. The
// residual is then orthogonal to the chosen atoms only in its real
// correlation, so chosen atoms are excluded from selection explicitly (in
// both modes, as the twin does). Stops at k atoms, at ||r|| <= tol ||y||, or
// when no atom correlates with r above CORR_TOL ||y|| (PREMATURE unless the
// fit is exact), or on a dependent atom (PREMATURE).
import { CORR_TOL } from "../constants";
import { QR, qrAppend, qrBytes, qrInit, qrReset, qrResidual, qrResidualNorm, qrSolve, QR_OK } from "../qr";
import { CONVERGED, PREMATURE } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { cabs } from "./cblas";
import { cbegin, cdone, CGO, cyNorm } from "./common";
import { copAdjoint, copColumn } from "./coperator";
import { CQR, cqrAppend, cqrBytes, cqrInit, cqrReset, cqrResidual, cqrResidualNorm, cqrSolve } from "./cqr";

// The workspace, in carve order (carve() also gives its size, see ../workspace.ts): qMem (the
// complex QR of k columns, or the real QR of the stacked 2m-row system with realX: the larger
// of the two), r (2m: residual, interleaved), s (2m: a stacked column, y or residual), c (2n:
// A^H r), invNorm (n: selection weights), z (2k: coefficients), order (k i32: atoms in the order
// chosen), mask (n bytes: 0 free, 1 zero column, 2 chosen).
let qMem: usize = 0, r: usize = 0, s: usize = 0, c: usize = 0, invNorm: usize = 0, z: usize = 0,
  order: usize = 0, mask: usize = 0;

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  wsBegin(ws);
  const cq = cqrBytes(m, k);
  const rq = qrBytes(2 * m, k);
  qMem = wsTake(cq > rq ? cq : rq); r = wsF64(2 * m); s = wsF64(2 * m); c = wsF64(2 * n); invNorm = wsF64(n);
  z = wsF64(2 * k); order = wsI32(k); mask = wsU8(n);
  return wsEnd();
}

/** Workspace bytes for complexOmp at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function complexOmpWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/** s = [Re v; Im v] (2m doubles) from the interleaved v (m complex). */
function stack(v: usize, m: i32, out: usize): void {
  for (let i = 0; i < m; i++) {
    store<f64>(out + (<usize>i << 3), load<f64>(v + (<usize>i << 4)));
    store<f64>(out + (<usize>(m + i) << 3), load<f64>(v + (<usize>i << 4), 8));
  }
}

/** Inverse of stack. */
function unstack(st: usize, m: i32, out: usize): void {
  for (let i = 0; i < m; i++) {
    store<f64>(out + (<usize>i << 4), load<f64>(st + (<usize>i << 3)));
    store<f64>(out + (<usize>i << 4), load<f64>(st + (<usize>(m + i) << 3)), 8);
  }
}

/**
 * The common solver ABI (../solvers/README.md) on complex data, with realX as
 * the 15th argument: A a complex operator handle (coperator.ts): the address
 * of the m x n complex matrix (2mn f64, interleaved re/im, column-major), or
 * a tagged partial Fourier header; norms its n column norms, y m complex
 * (2m f64). Chooses at most k atoms, stops early when ||r|| <= tol ||y||;
 * maxIter, p1 and x0 are unused. realX != 0: real coefficients (see above).
 * Writes x (2n f64 interleaved; with realX the first n hold the real x, the
 * rest 0), support (k i32 ascending) and info; returns a status.
 */
export function complexOmp(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                           maxIter: i32, tol: f64, p1: f64, x0: usize,
                           x: usize, support: usize, info: usize, ws: usize, realX: i32): i32 {
  carve(ws, m, n, k);
  const started = cbegin(y, m, x, n, norms, info);
  if (started != CGO) return started;
  const ynorm = cyNorm();
  const real = realX != 0;
  let cq: CQR = changetype<CQR>(0);
  let rq: QR = changetype<QR>(0);
  if (real) {
    rq = qrInit(qMem, 2 * m, k);
    stack(y, m, s);
    qrReset(rq, s);
  } else {
    cq = cqrInit(qMem, m, k);
    cqrReset(cq, y);
  }
  memory.fill(mask, 0, <usize>n);
  for (let j = 0; j < n; j++) {
    const nj = load<f64>(norms + (<usize>j << 3));
    if (nj > 0.0) store<f64>(invNorm + (<usize>j << 3), 1.0 / nj);
    else { store<f64>(invNorm + (<usize>j << 3), 0.0); store<u8>(mask + <usize>j, 1); }
  }
  memory.copy(r, y, <usize>m << 4);
  let rnorm = ynorm;
  let status = CONVERGED;
  let t = 0;
  while (t < k) {
    if (rnorm <= tol * ynorm) break;
    copAdjoint(A, m, n, r, c);
    let j = -1;
    let best = -1.0;
    for (let i = 0; i < n; i++) {
      if (load<u8>(mask + <usize>i) != 0) continue;
      const a = cabs(load<f64>(c + (<usize>i << 4)), load<f64>(c + (<usize>i << 4), 8)) * load<f64>(invNorm + (<usize>i << 3));
      if (a > best) { best = a; j = i; }
    }
    if (j < 0) break;
    if (best <= CORR_TOL * ynorm) {
      if (rnorm > CORR_TOL * ynorm) status = PREMATURE;
      break;
    }
    const col = copColumn(A, m, j);
    const nj = load<f64>(norms + (<usize>j << 3));
    let ok: i32;
    if (real) {
      stack(col, m, s);
      ok = qrAppend(rq, s, nj);
    } else ok = cqrAppend(cq, col, nj);
    if (ok != QR_OK) { status = PREMATURE; break; }
    store<u8>(mask + <usize>j, 2);
    store<i32>(order + (<usize>t << 2), j);
    t++;
    rnorm = real ? qrResidualNorm(rq) : cqrResidualNorm(cq);
    if (t < k && rnorm > tol * ynorm) {
      if (real) {
        qrResidual(rq, s);
        unstack(s, m, r);
      } else cqrResidual(cq, r);
    }
  }
  if (real) {
    qrSolve(rq, z);
    for (let i = 0; i < t; i++) store<f64>(x + (<usize>load<i32>(order + (<usize>i << 2)) << 3), load<f64>(z + (<usize>i << 3)));
  } else {
    cqrSolve(cq, z);
    for (let i = 0; i < t; i++) {
      const o = <usize>load<i32>(order + (<usize>i << 2)) << 4;
      store<f64>(x + o, load<f64>(z + (<usize>i << 4)));
      store<f64>(x + o, load<f64>(z + (<usize>i << 4), 8), 8);
    }
  }
  let p = 0;
  for (let i = 0; i < n; i++) {
    if (load<u8>(mask + <usize>i) == 2) { store<i32>(support + (<usize>p << 2), i); p++; }
  }
  return cdone(status, info, rnorm, t, t);
}

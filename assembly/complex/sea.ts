// Complex SEA, the Support Exploration Algorithm: the rules of
// src/js/complex/sea.ts (the JS twin) and of ../solvers/sea.ts on complex data.
//
//   S_t = the k largest |X^t_i| (moduli; ties: lowest index)
//   x_t = argmin { ||A x - y|| : supp(x) in S_t }   (updatable complex QR, qrupdate.ts)
//   X^{t+1} = X^t + eta A^H (y - A x_t)             (Re(A^H r) with realX)
//   return the best iterate (x = 0 counts as seen)
//
// Start: X^0 = x0 when given with a nonzero entry (2n f64, n with realX), else
// eta A^H y. CONVERGED on ||r|| <= tol ||y||, an exact fit (CORR_TOL), or X
// stationary (max_j |c_j| / ||a_j|| <= CORR_TOL ||y||); DIVERGED when X
// overflows; MAX_ITER otherwise.
// ABI: the complex solver ABI, realX the 15th argument, `extra` (maxIter f64,
// the residual of every iterate, or 0) the 16th; p1 = eta.
// info[INFO_EXTRA] = the best iteration.
import { CORR_TOL } from "../constants";
import { topK } from "../select";
import { CONVERGED, DIVERGED, INFO_EXTRA, MAX_ITER } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { cabs } from "./cblas";
import { cbegin, cdone, CGO, compactReal, cyNorm } from "./common";
import { copAdjoint, copColumn } from "./coperator";
import { CQRU, cquAppend, cquAtom, cquBytes, cquDelete, cquFit, cquInit, CQU_OK, cwriteSolution } from "./qrupdate";

// The workspace, in carve order: qMem (the complex QR of S_t), X (2n), c (2n: A^H r), r (2m), qty
// (2k), z (2k), bestVal (2k), sup (k i32: S_t), bestIdx (k i32), mod (n: moduli), idx (n i32) and
// flags (n bytes): topK's work, inS (n bytes), inFit (n bytes).
let qMem: usize = 0, X: usize = 0, c: usize = 0, r: usize = 0, qty: usize = 0, z: usize = 0,
  bestVal: usize = 0, sup: usize = 0, bestIdx: usize = 0, mod: usize = 0, idx: usize = 0, flags: usize = 0,
  inS: usize = 0, inFit: usize = 0;
let q: CQRU = changetype<CQRU>(0);

function carve(ws: usize, m: i32, n: i32, k: i32, real: bool): u64 {
  wsBegin(ws);
  qMem = wsTake(cquBytes(m, k)); X = wsF64(2 * n); c = wsF64(2 * n); r = wsF64(2 * m); qty = wsF64(2 * k);
  z = wsF64(2 * k); bestVal = wsF64(2 * k); sup = wsI32(k); bestIdx = wsI32(k); mod = wsF64(n); idx = wsI32(n);
  flags = wsU8(n); inS = wsU8(n); inFit = wsU8(n);
  if (ws != 0) q = cquInit(qMem, m, k, real);
  return wsEnd();
}

/**
 * Workspace bytes for complexSea at (m, n, k), exact beyond 4 GiB (as f64). Not named
 * complexSeaWorkspace64: that suffix marks the 15-argument common ABI (src/solvers/solve.ts
 * SolverKernel), and complexSea takes a 16th.
 */
export function complexSeaWorkspaceBytes(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k, false);
}

/** The k indices of largest |v_j| (complex v), ascending, to out. */
export function cTopK(v: usize, n: i32, k: i32, out: usize, modv: usize, idxv: usize, flagv: usize): void {
  for (let j = 0; j < n; j++) store<f64>(modv + (<usize>j << 3), cabs(load<f64>(v + (<usize>j << 4)), load<f64>(v + (<usize>j << 4), 8)));
  topK(modv, n, k, out, idxv, flagv);
}

/** c = A^H v, imaginary parts zeroed with realX. */
export function cgradient(A: usize, m: i32, n: i32, v: usize, out: usize, real: bool): void {
  copAdjoint(A, m, n, v, out);
  if (real) for (let j = 0; j < n; j++) store<f64>(out + (<usize>j << 4), 0.0, 8);
}

function finite2(v: usize, n: i32): bool {
  const len = n << 1;
  for (let t = 0; t < len; t++) {
    const a = load<f64>(v + (<usize>t << 3));
    if (!(a - a == 0.0)) return false;
  }
  return true;
}

export function complexSea(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                           maxIter: i32, tol: f64, eta: f64, x0: usize,
                           x: usize, support: usize, info: usize, ws: usize, realX: i32, extra: usize): i32 {
  const real = realX != 0;
  store<f64>(info + (<usize>INFO_EXTRA << 3), 0.0);
  carve(ws, m, n, k, real);
  const started = cbegin(y, m, x, n, norms, info);
  if (started != CGO) { if (real) compactReal(x, n); return started; }
  const ynorm = cyNorm();
  let warm = false;
  if (x0 != 0) {
    const len = real ? n : n << 1;
    for (let t = 0; t < len; t++) {
      if (load<f64>(x0 + (<usize>t << 3)) != 0.0) { warm = true; break; }
    }
  }
  memory.fill(X, 0, <usize>n << 4);
  if (warm) {
    if (real) for (let j = 0; j < n; j++) store<f64>(X + (<usize>j << 4), load<f64>(x0 + (<usize>j << 3)));
    else memory.copy(X, x0, <usize>n << 4);
  } else {
    cgradient(A, m, n, y, c, real);
    const len = n << 1;
    for (let t = 0; t < len; t++) store<f64>(X + (<usize>t << 3), eta * load<f64>(c + (<usize>t << 3)));
  }
  memory.fill(inS, 0, <usize>n);
  memory.fill(inFit, 0, <usize>n);
  memory.fill(sup, 0, <usize>k << 2);
  let best = ynorm;
  let bestIt = -1;
  let bestCount = 0;
  let status = MAX_ITER;
  let it = 0;
  if (!finite2(X, n)) status = DIVERGED;
  while (status != DIVERGED && it < maxIter) {
    for (let i = 0; i < k; i++) store<u8>(inS + <usize>load<i32>(sup + (<usize>i << 2)), 0);
    cTopK(X, n, k, sup, mod, idx, flags);
    for (let i = 0; i < k; i++) store<u8>(inS + <usize>load<i32>(sup + (<usize>i << 2)), 1);
    for (let p = q.t - 1; p >= 0; p--) {
      const a = cquAtom(q, p);
      if (load<u8>(inS + <usize>a) == 0) { cquDelete(q, p, 0, 0); store<u8>(inFit + <usize>a, 0); }
    }
    for (let i = 0; i < k; i++) {
      const j = load<i32>(sup + (<usize>i << 2));
      if (load<u8>(inFit + <usize>j) != 0) continue;
      if (cquAppend(q, copColumn(A, m, j), load<f64>(norms + (<usize>j << 3)), j) == CQU_OK) store<u8>(inFit + <usize>j, 1);
    }
    const rnorm = cquFit(q, y, qty, z, r);
    if (extra != 0) store<f64>(extra + (<usize>it << 3), rnorm);
    if (rnorm < best) {
      best = rnorm;
      bestIt = it;
      bestCount = q.t;
      memory.copy(bestVal, z, <usize>q.t << 4);
      memory.copy(bestIdx, q.cols, <usize>q.t << 2);
    }
    it++;
    if (rnorm <= tol * ynorm || rnorm <= CORR_TOL * ynorm) { status = CONVERGED; break; }
    cgradient(A, m, n, r, c, real);
    let cmax = 0.0;
    for (let j = 0; j < n; j++) {
      const nj = load<f64>(norms + (<usize>j << 3));
      if (nj > 0.0) {
        const v = cabs(load<f64>(c + (<usize>j << 4)), load<f64>(c + (<usize>j << 4), 8)) / nj;
        if (v > cmax) cmax = v;
      }
    }
    if (cmax <= CORR_TOL * ynorm) { status = CONVERGED; break; }
    const len = n << 1;
    for (let t = 0; t < len; t++) {
      const o = <usize>t << 3;
      store<f64>(X + o, load<f64>(X + o) + eta * load<f64>(c + o));
    }
    if (!finite2(X, n)) { status = DIVERGED; break; }
  }
  if (bestIt < 0) best = ynorm;
  cwriteSolution(bestVal, bestIdx, bestCount, n, x, support, flags);
  if (real) compactReal(x, n);
  store<f64>(info + (<usize>INFO_EXTRA << 3), <f64>max(bestIt, 0));
  return cdone(status, info, best, it, bestCount);
}

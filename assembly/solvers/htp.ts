// Hard Thresholding Pursuit (Foucart 2011): the support is the k largest
// entries of x + mu A^T (y - A x), and x is the least-squares fit on it.
import { axpy, copy, nrm2 } from "../blas";
import { opAdjoint } from "../operator";
import { QR, qrBytes, qrInit } from "../qr";
import { topK } from "../select";
import { CONVERGED, MAX_ITER, PREMATURE } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { begin, doneBest, GO, offerBest, warmResidual, yNorm } from "./common";
import { lsFit, residualOn, scatter } from "./lsfit";
import { copySet, nonzeroOf, sameSet } from "./sets";

// The workspace, in carve order (carve() also gives its size, see workspace.ts): qMem (QR of the
// support (k columns)), r (m: residual), g (n: A^T r), u (n: x + mu g), idx (n i32: topK work),
// flags (n bytes: topK work), S (k i32: the new support), prev (k i32: the support x was fitted
// on), pos (k i32: lsFit work), coef (k: coefficients on S), z (k: lsFit work).
let qMem: usize = 0, r: usize = 0, g: usize = 0, u: usize = 0, idx: usize = 0, flags: usize = 0,
// Last, bestVal (k: the best iterate's values) and bestIdx (k i32: its support), see common.ts.
  S: usize = 0, prev: usize = 0, pos: usize = 0, coef: usize = 0, z: usize = 0, bestVal: usize = 0,
  bestIdx: usize = 0;
// The QR handle laid out at qMem by carve() (when it carves, not when it sizes).
let q: QR = changetype<QR>(0);

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  wsBegin(ws);
  qMem = wsTake(qrBytes(m, k)); r = wsF64(m); g = wsF64(n); u = wsF64(n); idx = wsI32(n);
  flags = wsU8(n); S = wsI32(k); prev = wsI32(k); pos = wsI32(k); coef = wsF64(k); z = wsF64(k);
  bestVal = wsF64(k); bestIdx = wsI32(k);
  if (ws != 0) q = qrInit(qMem, m, k);
  return wsEnd();
}

/** Workspace bytes for htp at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function htpWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/**
 * The common solver ABI (see solvers/README.md). p1 = mu > 0 (step of the
 * support proxy); x0: warm start (n) or 0. Stops when the support
 * repeats or ||r|| <= tol ||y|| (CONVERGED), when a column of the support is
 * linearly dependent on the others (it is skipped in the fit; PREMATURE), or
 * after maxIter passes (MAX_ITER).
 */
export function htp(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                    maxIter: i32, tol: f64, p1: f64, x0: usize,
                    x: usize, support: usize, info: usize, ws: usize): i32 {
  const mu = p1;
  carve(ws, m, n, k);
  const started = begin(y, m, x, n, norms, info);
  if (started != GO) return started;
  const ynorm = yNorm();
  warmResidual(A, m, n, y, x0, x, r);
  let rnorm = nrm2(r, m);
  let status = MAX_ITER;
  let have = false; // prev holds the support x was fitted on
  let it = 0;
  while (it < maxIter) {
    it++;
    opAdjoint(A, m, n, r, g);
    copy(x, u, n);
    axpy(mu, g, u, n);
    topK(u, n, k, S, idx, flags);
    if (have && sameSet(S, k, prev, k)) { status = CONVERGED; break; }
    const skipped = lsFit(q, A, m, norms, y, S, k, coef, z, pos);
    scatter(coef, S, k, x, n);
    residualOn(A, m, n, y, x, S, k, r);
    rnorm = nrm2(r, m);
    copySet(S, prev, k);
    have = true;
    offerBest(x, prev, k, rnorm, bestVal, bestIdx);
    if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
    if (skipped > 0) { status = PREMATURE; break; }
  }
  // the first pass always fits (have is false), so prev holds the support of x
  return doneBest(status, info, x, n, prev, k, rnorm, it, bestVal, bestIdx, support);
}

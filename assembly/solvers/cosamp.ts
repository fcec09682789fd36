// CoSaMP (Needell & Tropp 2009): merge the largest entries of the proxy
// A^T r with the current support, least squares on the merged set, prune to
// the k largest coefficients, update the residual.
//
// The merged set has at most 3k columns, and never more than m: the proxy
// contributes its min(2k, m - |T|) largest entries (T the current support),
// since least squares on more than m columns is underdetermined.
import { copy, nrm2, zero } from "../blas";
import { opAdjoint } from "../operator";
import { QR, qrBytes, qrInit } from "../qr";
import { hardThreshold, topK } from "../select";
import { CONVERGED, MAX_ITER, PREMATURE } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { begin, doneBest, GO, offerBest, warmStart, yNorm } from "./common";
import { lsFit, residualOn } from "./lsfit";
import { copySet, nonzeroOf, sameSet, unionAsc } from "./sets";

/** Columns of the merged least-squares set at (m, k): min(3k, m). */
export function cosampCols(m: i32, k: i32): i32 {
  return min(3 * k, m);
}

// The workspace, in carve order (carve() also gives its size, see workspace.ts): qMem (QR of the
// merged set (min(3k, m) columns)), r (m: residual), g (n: A^T r), idx (n i32: topK work), flags
// (n bytes: topK work), T (k i32: support of x), Tn (k i32: the pruned support), sel (k i32:
// positions of the k largest coefficients), om (2k i32: the proxy's largest entries), M (3k i32:
// the merged set), coef (min(3k, m): least-squares coefficients), z (min(3k, m): lsFit work), pos
// (min(3k, m) i32: lsFit work).
let qMem: usize = 0, r: usize = 0, g: usize = 0, idx: usize = 0, flags: usize = 0, T: usize = 0,
  Tn: usize = 0, sel: usize = 0, om: usize = 0, M: usize = 0, coef: usize = 0, z: usize = 0,
// Last, bestVal (k: the best iterate's values) and bestIdx (k i32: its support), see common.ts.
  pos: usize = 0, bestVal: usize = 0, bestIdx: usize = 0;
// The QR handle laid out at qMem by carve() (when it carves, not when it sizes).
let q: QR = changetype<QR>(0);

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  const kq = cosampCols(m, k);
  wsBegin(ws);
  qMem = wsTake(qrBytes(m, kq)); r = wsF64(m); g = wsF64(n); idx = wsI32(n); flags = wsU8(n);
  T = wsI32(k); Tn = wsI32(k); sel = wsI32(k); om = wsI32(2 * k); M = wsI32(3 * k); coef = wsF64(kq);
  z = wsF64(kq); pos = wsI32(kq); bestVal = wsF64(k); bestIdx = wsI32(k);
  if (ws != 0) q = qrInit(qMem, m, kq);
  return wsEnd();
}

/** Workspace bytes for cosamp at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function cosampWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/**
 * The common solver ABI (see solvers/README.md). p1 unused; x0: warm
 * start (n) or 0; the first iterate is H_k(x0). Stops when ||r|| <= tol ||y||
 * or the pruned support is unchanged (CONVERGED), when a merged column is
 * linearly dependent on the others (skipped in the fit; PREMATURE), or after
 * maxIter passes (MAX_ITER).
 */
export function cosamp(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                       maxIter: i32, tol: f64, p1: f64, x0: usize,
                       x: usize, support: usize, info: usize, ws: usize): i32 {
  carve(ws, m, n, k);
  const started = begin(y, m, x, n, norms, info);
  if (started != GO) return started;
  const ynorm = yNorm();
  let tcnt = 0;
  if (x0 != 0) {
    warmStart();
    copy(x0, x, n);
    hardThreshold(x, n, k, T, idx, flags);
    tcnt = nonzeroOf(x, T, k, T);
  }
  residualOn(A, m, n, y, x, T, tcnt, r);
  let rnorm = nrm2(r, m);
  offerBest(x, T, tcnt, rnorm, bestVal, bestIdx);
  let status = MAX_ITER;
  let it = 0;
  while (it < maxIter) {
    it++;
    opAdjoint(A, m, n, r, g);
    const L = min(2 * k, m - tcnt);
    topK(g, n, L, om, idx, flags);
    const mcnt = unionAsc(T, tcnt, om, min(L, n), M);
    const skipped = lsFit(q, A, m, norms, y, M, mcnt, coef, z, pos);
    // prune: the k largest least-squares coefficients
    const kk = min(k, mcnt);
    topK(coef, mcnt, kk, sel, idx, flags);
    zero(x, n);
    for (let i = 0; i < kk; i++) {
      const p = load<i32>(sel + (<usize>i << 2));
      const j = load<i32>(M + (<usize>p << 2));
      store<i32>(Tn + (<usize>i << 2), j);
      store<f64>(x + (<usize>j << 3), load<f64>(coef + (<usize>p << 3)));
    }
    residualOn(A, m, n, y, x, Tn, kk, r);
    rnorm = nrm2(r, m);
    const same = sameSet(Tn, kk, T, tcnt);
    copySet(Tn, T, kk);
    tcnt = kk;
    offerBest(x, T, tcnt, rnorm, bestVal, bestIdx);
    if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
    if (skipped > 0) { status = PREMATURE; break; }
    if (same) { status = CONVERGED; break; }
  }
  return doneBest(status, info, x, n, T, tcnt, rnorm, it, bestVal, bestIdx, support);
}

// Complex CoSaMP: the rules of src/js/complex/cosamp.ts (the JS twin, which
// follows src/js/pursuit.ts cosampJs and ../solvers/cosamp.ts) on a complex
// operator handle (coperator.ts). Merge the min(2k, m - |T|) entries of
// largest modulus of the proxy A^H r with the support T, least squares on
// the merged set (lsfit.ts; realX: real coefficients, proxy Re(A^H r)), keep
// the k coefficients of largest modulus, update the residual.
import { CONVERGED, MAX_ITER, PREMATURE } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { topK } from "../select";
import { copySet, sameSet, unionAsc } from "../solvers/sets";
import { cabs, cnrm2 } from "./cblas";
import { cbegin, cdoneSteps, CGO, cnonzeroOf, cofferBest, cwarmStart, cyNorm } from "./common";
import { copResidualOn } from "./coperator";
import { cfitBytes, cfitInit, cfitOnSet, ckeepFlagged, cloadStart, cmodTopK, cproxy } from "./lsfit";

/** Columns of the merged least-squares set at (m, k): min(3k, m). */
function cols(m: i32, k: i32): i32 {
  return min(3 * k, m);
}

// The workspace, in carve order (carve() also gives its size, see ../workspace.ts): qMem (the QR
// of the merged set, min(3k, m) columns: lsfit.ts cfitBytes), r (2m: residual), ys (2m: stacked
// y), sc (2m: stacked column), g (2n: the proxy), mod (n: moduli), idx (n i32) and flags (n
// bytes): topK's work, T (k i32: support of x), Tn (k i32: the pruned support), sel (k i32:
// positions of the k largest coefficients), om (2k i32: the proxy's largest entries), M (3k i32:
// the merged set), coef (2 min(3k, m): coefficients), z (2 min(3k, m): fit work), pos (min(3k, m)
// i32: fit work), bestVal (2k) and bestIdx (k i32): the best iterate (common.ts).
let qMem: usize = 0, r: usize = 0, ys: usize = 0, sc: usize = 0, g: usize = 0, mod: usize = 0, idx: usize = 0,
  flags: usize = 0, T: usize = 0, Tn: usize = 0, sel: usize = 0, om: usize = 0, M: usize = 0, coef: usize = 0,
  z: usize = 0, pos: usize = 0, bestVal: usize = 0, bestIdx: usize = 0;

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  const kq = cols(m, k);
  wsBegin(ws);
  qMem = wsTake(cfitBytes(m, kq)); r = wsF64(2 * m); ys = wsF64(2 * m); sc = wsF64(2 * m); g = wsF64(2 * n);
  mod = wsF64(n); idx = wsI32(n); flags = wsU8(n); T = wsI32(k); Tn = wsI32(k); sel = wsI32(k); om = wsI32(2 * k);
  M = wsI32(3 * k); coef = wsF64(2 * kq); z = wsF64(2 * kq); pos = wsI32(kq); bestVal = wsF64(2 * k); bestIdx = wsI32(k);
  return wsEnd();
}

/** Workspace bytes for complexCosamp at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function complexCosampWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/**
 * The ABI of complexHtp; p1 unused; x0 warm start (2n f64, or n with realX)
 * or 0: the first iterate is H_k(x0) (modulus). Stops when ||r|| <= tol ||y||
 * or the pruned support is unchanged (CONVERGED), when a merged column is
 * dependent on the others (skipped in the fit; PREMATURE), or after maxIter
 * passes (MAX_ITER); the best iterate seen is returned (common.ts).
 */
export function complexCosamp(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                              maxIter: i32, tol: f64, p1: f64, x0: usize,
                              x: usize, support: usize, info: usize, ws: usize, realX: i32): i32 {
  carve(ws, m, n, k);
  const started = cbegin(y, m, x, n, norms, info);
  if (started != CGO) return started;
  const ynorm = cyNorm();
  const real = realX != 0;
  cfitInit(qMem, m, cols(m, k), real, y, ys, sc);
  let tcnt = 0;
  if (x0 != 0) {
    cwarmStart();
    cloadStart(x0, x, n);
    cmodTopK(x, n, k, T, mod, idx, flags);
    ckeepFlagged(x, n, k, flags);
    tcnt = cnonzeroOf(x, T, k, T);
  }
  copResidualOn(A, m, n, y, x, T, tcnt, r);
  let rnorm = cnrm2(r, m);
  cofferBest(x, T, tcnt, rnorm, bestVal, bestIdx);
  let status = MAX_ITER;
  let it = 0;
  while (it < maxIter) {
    it++;
    cproxy(A, m, n, r, g);
    const L = min(2 * k, m - tcnt);
    cmodTopK(g, n, L, om, mod, idx, flags);
    const mcnt = unionAsc(T, tcnt, om, L > 0 ? min(L, n) : 0, M);
    const skipped = cfitOnSet(A, m, norms, M, mcnt, coef, z, pos);
    // prune: the k coefficients of largest modulus
    const kk = min(k, mcnt);
    for (let i = 0; i < mcnt; i++) store<f64>(mod + (<usize>i << 3), cabs(load<f64>(coef + (<usize>i << 4)), load<f64>(coef + (<usize>i << 4), 8)));
    topK(mod, mcnt, kk, sel, idx, flags);
    memory.fill(x, 0, <usize>n << 4);
    for (let i = 0; i < kk; i++) {
      const p = load<i32>(sel + (<usize>i << 2));
      const j = load<i32>(M + (<usize>p << 2));
      store<i32>(Tn + (<usize>i << 2), j);
      store<f64>(x + (<usize>j << 4), load<f64>(coef + (<usize>p << 4)));
      store<f64>(x + (<usize>j << 4), load<f64>(coef + (<usize>p << 4), 8), 8);
    }
    copResidualOn(A, m, n, y, x, Tn, kk, r);
    rnorm = cnrm2(r, m);
    const same = sameSet(Tn, kk, T, tcnt);
    copySet(Tn, T, kk);
    tcnt = kk;
    cofferBest(x, T, tcnt, rnorm, bestVal, bestIdx);
    if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
    if (skipped > 0) { status = PREMATURE; break; }
    if (same) { status = CONVERGED; break; }
  }
  return cdoneSteps(true, status, info, x, n, T, tcnt, rnorm, it, bestVal, bestIdx, support, real);
}

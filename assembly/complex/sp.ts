// Complex Subspace Pursuit: the rules of src/js/complex/sp.ts (the JS twin,
// which follows src/js/pursuit.ts spJs and ../solvers/sp.ts) on a complex
// operator handle (coperator.ts). Expand the support T with the
// min(k, m - |T|) entries of largest modulus of A^H r, least squares on the
// expanded set (lsfit.ts; realX: real coefficients, proxy Re(A^H r)), keep
// the k coefficients of largest modulus, least squares again on those;
// accept while the residual norm decreases.
import { CONVERGED, MAX_ITER, PREMATURE } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { topK } from "../select";
import { copySet, unionAsc } from "../solvers/sets";
import { cabs, cnrm2 } from "./cblas";
import { cbegin, cdone, CGO, cnonzeroOf, compactReal, cyNorm } from "./common";
import { copResidualOn } from "./coperator";
import { cfitBytes, cfitInit, cfitOnSet, cloadStart, cmodTopK, cproxy, cscatter } from "./lsfit";

/** Columns of the expanded least-squares set at (m, k): min(2k, m). */
function cols(m: i32, k: i32): i32 {
  return min(2 * k, m);
}

// The workspace, in carve order (carve() also gives its size, see ../workspace.ts): qMem (the QR
// of the expanded set, min(2k, m) columns: lsfit.ts cfitBytes), r (2m: residual of x), rn (2m:
// residual of the candidate), ys (2m: stacked y), sc (2m: stacked column), g (2n: the proxy), u
// (2n: the candidate), mod (n: moduli), idx (n i32) and flags (n bytes): topK's work, T (k i32:
// support of x), Tn (k i32: support of the candidate), sel (k i32: positions of the k largest
// coefficients), om (k i32: the proxy's largest entries), M (2k i32: the expanded set), coef
// (2 min(2k, m): coefficients), z (2 min(2k, m): fit work), pos (min(2k, m) i32: fit work).
let qMem: usize = 0, r: usize = 0, rn: usize = 0, ys: usize = 0, sc: usize = 0, g: usize = 0, u: usize = 0,
  mod: usize = 0, idx: usize = 0, flags: usize = 0, T: usize = 0, Tn: usize = 0, sel: usize = 0, om: usize = 0,
  M: usize = 0, coef: usize = 0, z: usize = 0, pos: usize = 0;

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  const kq = cols(m, k);
  wsBegin(ws);
  qMem = wsTake(cfitBytes(m, kq)); r = wsF64(2 * m); rn = wsF64(2 * m); ys = wsF64(2 * m); sc = wsF64(2 * m);
  g = wsF64(2 * n); u = wsF64(2 * n); mod = wsF64(n); idx = wsI32(n); flags = wsU8(n); T = wsI32(k); Tn = wsI32(k);
  sel = wsI32(k); om = wsI32(k); M = wsI32(2 * k); coef = wsF64(2 * kq); z = wsF64(2 * kq); pos = wsI32(kq);
  return wsEnd();
}

/** Workspace bytes for complexSp at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function complexSpWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/**
 * The ABI of complexHtp; p1 unused; x0 warm start (2n f64, or n with realX)
 * or 0: the first support is the nonzeros among the k entries of largest
 * modulus of x0 (when there are none: the top k of |A^H y|, of |Re(A^H y)|
 * with realX), fitted by least squares. Stops when the residual norm does
 * not decrease (the previous iterate is kept) or ||r|| <= tol ||y||
 * (CONVERGED), when a column is dependent on the others in a fit (skipped;
 * PREMATURE), or after maxIter passes (MAX_ITER).
 */
export function complexSp(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
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
    cloadStart(x0, u, n);
    cmodTopK(u, n, k, T, mod, idx, flags);
    tcnt = cnonzeroOf(u, T, k, T);
  }
  if (tcnt == 0) {
    cproxy(A, m, n, y, g);
    cmodTopK(g, n, k, T, mod, idx, flags);
    tcnt = k;
  }
  let skipped = cfitOnSet(A, m, norms, T, tcnt, coef, z, pos);
  cscatter(coef, T, tcnt, x, n);
  copResidualOn(A, m, n, y, x, T, tcnt, r);
  let rnorm = cnrm2(r, m);
  let status = MAX_ITER;
  let it = 0;
  if (rnorm <= tol * ynorm) status = CONVERGED;
  else if (skipped > 0) status = PREMATURE;
  else {
    while (it < maxIter) {
      it++;
      cproxy(A, m, n, r, g);
      const L = min(k, m - tcnt);
      cmodTopK(g, n, L, om, mod, idx, flags);
      const mcnt = unionAsc(T, tcnt, om, L > 0 ? min(L, n) : 0, M);
      skipped = cfitOnSet(A, m, norms, M, mcnt, coef, z, pos);
      const kk = min(k, mcnt);
      for (let i = 0; i < mcnt; i++) store<f64>(mod + (<usize>i << 3), cabs(load<f64>(coef + (<usize>i << 4)), load<f64>(coef + (<usize>i << 4), 8)));
      topK(mod, mcnt, kk, sel, idx, flags);
      for (let i = 0; i < kk; i++) {
        store<i32>(Tn + (<usize>i << 2), load<i32>(M + (<usize>load<i32>(sel + (<usize>i << 2)) << 2)));
      }
      skipped += cfitOnSet(A, m, norms, Tn, kk, coef, z, pos);
      cscatter(coef, Tn, kk, u, n);
      copResidualOn(A, m, n, y, u, Tn, kk, rn);
      const rnn = cnrm2(rn, m);
      const better = rnn < rnorm;
      if (better) {
        memory.copy(x, u, <usize>n << 4);
        memory.copy(r, rn, <usize>m << 4);
        copySet(Tn, T, kk);
        tcnt = kk;
        rnorm = rnn;
      }
      if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
      if (skipped > 0) { status = PREMATURE; break; }
      if (!better) { status = CONVERGED; break; }
    }
  }
  const nnz = cnonzeroOf(x, T, tcnt, support);
  if (real) compactReal(x, n);
  return cdone(status, info, rnorm, it, nnz);
}

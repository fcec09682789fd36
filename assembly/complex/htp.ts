// Complex Hard Thresholding Pursuit: the rules of src/js/complex/htp.ts (the
// JS twin, which follows src/js/pursuit.ts htpJs and ../solvers/htp.ts) on a
// complex operator handle (coperator.ts: a dense matrix or a partial Fourier
// header). The support S is the k entries of largest modulus of
// x + mu A^H (y - A x); x is the least-squares fit on S (lsfit.ts; realX:
// real coefficients, proxy Re(A^H r)).
import { CONVERGED, MAX_ITER, PREMATURE } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { copySet, sameSet } from "../solvers/sets";
import { cnrm2 } from "./cblas";
import { cbegin, cdoneSteps, CGO, cofferBest, cwarmStart, cyNorm } from "./common";
import { copResidualOn } from "./coperator";
import { cfitBytes, cfitInit, cfitOnSet, cloadStart, cmodTopK, cproxy, cscatter } from "./lsfit";

// The workspace, in carve order (carve() also gives its size, see ../workspace.ts): qMem (the QR
// of the support, k columns: lsfit.ts cfitBytes), r (2m: residual), ys (2m: stacked y), sc (2m:
// stacked column), g (2n: the proxy), u (2n: x + mu g), mod (n: moduli), idx (n i32) and flags
// (n bytes): topK's work, S (k i32: the new support), prev (k i32: the support x was fitted on),
// pos (k i32: fit work), coef (2k: coefficients on S), z (2k: fit work), bestVal (2k) and
// bestIdx (k i32): the best iterate (common.ts).
let qMem: usize = 0, r: usize = 0, ys: usize = 0, sc: usize = 0, g: usize = 0, u: usize = 0, mod: usize = 0,
  idx: usize = 0, flags: usize = 0, S: usize = 0, prev: usize = 0, pos: usize = 0, coef: usize = 0, z: usize = 0,
  bestVal: usize = 0, bestIdx: usize = 0;

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  wsBegin(ws);
  qMem = wsTake(cfitBytes(m, k)); r = wsF64(2 * m); ys = wsF64(2 * m); sc = wsF64(2 * m); g = wsF64(2 * n);
  u = wsF64(2 * n); mod = wsF64(n); idx = wsI32(n); flags = wsU8(n); S = wsI32(k); prev = wsI32(k); pos = wsI32(k);
  coef = wsF64(2 * k); z = wsF64(2 * k); bestVal = wsF64(2 * k); bestIdx = wsI32(k);
  return wsEnd();
}

/** Workspace bytes for complexHtp at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function complexHtpWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/**
 * The common solver ABI (../solvers/README.md) on complex data with realX as
 * the 15th argument (as complexOmp): A a complex operator handle, norms its n
 * column norms, y m complex; p1 = mu > 0 (step of the support proxy); x0
 * warm start (2n f64, or n with realX) or 0. Stops when the support repeats
 * or ||r|| <= tol ||y|| (CONVERGED), when a column of the support is
 * dependent on the others (skipped in the fit; PREMATURE), or after maxIter
 * passes (MAX_ITER); the best iterate seen is returned (common.ts). Writes x
 * (2n f64; with realX the first n hold the real x), support, info.
 */
export function complexHtp(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                           maxIter: i32, tol: f64, p1: f64, x0: usize,
                           x: usize, support: usize, info: usize, ws: usize, realX: i32): i32 {
  const mu = p1;
  carve(ws, m, n, k);
  const started = cbegin(y, m, x, n, norms, info);
  if (started != CGO) return started;
  const ynorm = cyNorm();
  const real = realX != 0;
  cfitInit(qMem, m, k, real, y, ys, sc);
  if (x0 != 0) {
    cwarmStart();
    cloadStart(x0, x, n);
    // r = y - A x0 over every index (the twin's residual on 0..n-1)
    for (let j = 0; j < n; j++) store<i32>(idx + (<usize>j << 2), j);
    copResidualOn(A, m, n, y, x, idx, n, r);
  } else memory.copy(r, y, <usize>m << 4);
  let rnorm = cnrm2(r, m);
  let status = MAX_ITER;
  let have = false; // prev holds the support x was fitted on
  let it = 0;
  const len = n << 1;
  while (it < maxIter) {
    it++;
    cproxy(A, m, n, r, g);
    for (let t = 0; t < len; t++) {
      const o = <usize>t << 3;
      store<f64>(u + o, load<f64>(x + o) + mu * load<f64>(g + o));
    }
    cmodTopK(u, n, k, S, mod, idx, flags);
    if (have && sameSet(S, k, prev, k)) { status = CONVERGED; break; }
    const skipped = cfitOnSet(A, m, norms, S, k, coef, z, pos);
    cscatter(coef, S, k, x, n);
    copResidualOn(A, m, n, y, x, S, k, r);
    rnorm = cnrm2(r, m);
    copySet(S, prev, k);
    have = true;
    cofferBest(x, prev, k, rnorm, bestVal, bestIdx);
    if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
    if (skipped > 0) { status = PREMATURE; break; }
  }
  // the first pass always fits (have is false), so prev holds the support of x
  return cdoneSteps(true, status, info, x, n, prev, k, rnorm, it, bestVal, bestIdx, support, real);
}

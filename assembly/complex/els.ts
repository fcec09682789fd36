// Complex ELS (exhaustive local search): the scores of src/js/complex/els.ts
// (the JS twin) and of ../solvers/els.ts in complex arithmetic.
//
// B = A_S = Q R, z = R^{-1} Q^H y, c = A^H r, W = A^H Q (n x k, kept with the
// QR: a delete rotates it as Q, an append adds A^H q_new), u = row i of
// R^{-1}, G_ii = ||u||^2, e = sum_l conj(u_l) W_:,l, p_j = ||a_j||^2 - sum_l |W_jl|^2:
//   swap i -> j gains |c_j + (z_i / G_ii) e_j|^2 / (p_j + |e_j|^2 / G_ii) - |z_i|^2 / G_ii;
//   growth (|S| < k) gains |c_j|^2 / p_j.
// The best move is applied while it gains more than GAIN_TOL ||y||^2.
// realX: real coefficients (qrupdate.ts real mode), c and W real parts.
// ABI: the complex solver ABI with realX as the 15th argument; p1 unused.
import { CORR_TOL } from "../constants";
import { CONVERGED, MAX_ITER, PREMATURE } from "../status";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { cbegin, cdone, CGO, compactReal, cyNorm } from "./common";
import { copColumn } from "./coperator";
import { CQRU, cquAppend, cquAtom, cquBytes, cquDelete, cquFit, cquInit, cquQcol, cquRat, CQU_OK, cwriteSolution } from "./qrupdate";
import { creleaseSetAside, cstartSupport, FREE, IN_FIT, SET_ASIDE } from "./ompr";
import { cgradient } from "./sea";

// ../solvers/els.ts GAIN_TOL and DEN_TOL.
const GAIN_TOL: f64 = 1e-12;
const DEN_TOL: f64 = 1e-10;

// The workspace, in carve order: qMem (the complex QR of S), W (2nk: A^H Q, column l at W + 16 n l),
// u (2k: a row of R^{-1}), c (2n: A^H r), pj (n), e (2n), r (2m), qty (2k), z (2k), sup (k i32), mod
// (n), idx (n i32), flags (n bytes), mask (n bytes).
let qMem: usize = 0, W: usize = 0, u: usize = 0, c: usize = 0, pj: usize = 0, e: usize = 0, r: usize = 0,
  qty: usize = 0, z: usize = 0, sup: usize = 0, mod: usize = 0, idx: usize = 0, flags: usize = 0, mask: usize = 0;
let q: CQRU = changetype<CQRU>(0);

function carve(ws: usize, m: i32, n: i32, k: i32, real: bool): u64 {
  wsBegin(ws);
  qMem = wsTake(cquBytes(m, k)); W = wsTake(<u64>n * <u64>k << 4); u = wsF64(2 * k); c = wsF64(2 * n); pj = wsF64(n);
  e = wsF64(2 * n); r = wsF64(2 * m); qty = wsF64(2 * k); z = wsF64(2 * k); sup = wsI32(k); mod = wsF64(n);
  idx = wsI32(n); flags = wsU8(n); mask = wsU8(n);
  if (ws != 0) q = cquInit(qMem, m, k, real);
  return wsEnd();
}

/** Workspace bytes for complexEls at (m, n, k), exact beyond 4 GiB (as f64). */
export function complexElsWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k, false);
}

// @ts-ignore: decorator
@inline function wcol(n: i32, l: i32): usize {
  return W + <usize>l * (<usize>n << 4);
}

/** Appends atom j and its column A^H q_new of W; returns the QR status. */
function appendTracked(A: usize, m: i32, n: i32, norms: usize, j: i32, real: bool): i32 {
  const st = cquAppend(q, copColumn(A, m, j), load<f64>(norms + (<usize>j << 3)), j);
  if (st == CQU_OK) cgradient(A, m, n, cquQcol(q, q.t - 1), wcol(n, q.t - 1), real);
  return st;
}

export function complexEls(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                           maxIter: i32, tol: f64, p1: f64, x0: usize,
                           x: usize, support: usize, info: usize, ws: usize, realX: i32): i32 {
  const real = realX != 0;
  carve(ws, m, n, k, real);
  const started = cbegin(y, m, x, n, norms, info);
  if (started != CGO) { if (real) compactReal(x, n); return started; }
  const ynorm = cyNorm();
  cstartSupport(q, A, m, n, norms, k, x0, real, c, sup, mod, idx, flags, mask);
  for (let t = 0; t < q.t; t++) cgradient(A, m, n, cquQcol(q, t), wcol(n, t), real);
  const minGain = GAIN_TOL * ynorm * ynorm;
  let status = MAX_ITER;
  let it = 0;
  let rnorm = ynorm;
  while (true) {
    rnorm = cquFit(q, y, qty, z, r);
    if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
    if (it >= maxIter) { status = MAX_ITER; break; }
    cgradient(A, m, n, r, c, real);
    const t = q.t;
    for (let j = 0; j < n; j++) {
      const nj = load<f64>(norms + (<usize>j << 3));
      let s = nj * nj;
      for (let l = 0; l < t; l++) {
        const w = wcol(n, l) + (<usize>j << 4);
        const wr = load<f64>(w), wi = load<f64>(w, 8);
        s -= wr * wr + wi * wi;
      }
      store<f64>(pj + (<usize>j << 3), s);
    }
    let bestGain = 0.0;
    let bi = -1;
    let bj = -1;
    if (t < k) {
      for (let j = 0; j < n; j++) {
        if (load<u8>(mask + <usize>j) != FREE) continue;
        const nj = load<f64>(norms + (<usize>j << 3));
        const den = load<f64>(pj + (<usize>j << 3));
        if (!(den > DEN_TOL * nj * nj)) continue;
        const cr = load<f64>(c + (<usize>j << 4)), ci = load<f64>(c + (<usize>j << 4), 8);
        const g = (cr * cr + ci * ci) / den;
        if (g > bestGain) { bestGain = g; bj = j; }
      }
    } else {
      for (let i = 0; i < t; i++) {
        memory.fill(u, 0, <usize>t << 4);
        for (let l = i; l < t; l++) {
          let sr: f64 = l == i ? 1.0 : 0.0;
          let si = 0.0;
          for (let a = i; a < l; a++) {
            const pr = cquRat(q, a, l);
            const rr = load<f64>(pr), ri = load<f64>(pr, 8);
            const ur = load<f64>(u + (<usize>a << 4)), ui = load<f64>(u + (<usize>a << 4), 8);
            sr -= rr * ur - ri * ui;
            si -= rr * ui + ri * ur;
          }
          const d = load<f64>(cquRat(q, l, l));
          store<f64>(u + (<usize>l << 4), sr / d);
          store<f64>(u + (<usize>l << 4), si / d, 8);
        }
        let gii = 0.0;
        for (let l = i; l < t; l++) {
          const ur = load<f64>(u + (<usize>l << 4)), ui = load<f64>(u + (<usize>l << 4), 8);
          gii += ur * ur + ui * ui;
        }
        memory.fill(e, 0, <usize>n << 4);
        for (let l = i; l < t; l++) {
          const wl = wcol(n, l);
          const ur = load<f64>(u + (<usize>l << 4)), ui = load<f64>(u + (<usize>l << 4), 8);
          for (let j = 0; j < n; j++) {
            const o = <usize>j << 4;
            const wr = load<f64>(wl + o), wi = load<f64>(wl + o, 8);
            store<f64>(e + o, load<f64>(e + o) + (ur * wr + ui * wi));
            store<f64>(e + o, load<f64>(e + o, 8) + (ur * wi - ui * wr), 8);
          }
        }
        const zr = load<f64>(z + (<usize>i << 4)), zi = load<f64>(z + (<usize>i << 4), 8);
        const fr = zr / gii;
        const fi = zi / gii;
        const base = zr * fr + zi * fi;
        for (let j = 0; j < n; j++) {
          if (load<u8>(mask + <usize>j) != FREE) continue;
          const o = <usize>j << 4;
          const er = load<f64>(e + o), ei = load<f64>(e + o, 8);
          const den = load<f64>(pj + (<usize>j << 3)) + (er * er + ei * ei) / gii;
          const nj = load<f64>(norms + (<usize>j << 3));
          if (!(den > DEN_TOL * nj * nj)) continue;
          const nr = load<f64>(c + o) + (fr * er - fi * ei);
          const ni = load<f64>(c + o, 8) + (fr * ei + fi * er);
          const g = (nr * nr + ni * ni) / den - base;
          if (g > bestGain) { bestGain = g; bi = i; bj = j; }
        }
      }
    }
    if (bj < 0 || bestGain <= minGain) {
      status = t < k && bj < 0 && rnorm > CORR_TOL * ynorm ? PREMATURE : CONVERGED;
      break;
    }
    if (bi < 0) {
      if (appendTracked(A, m, n, norms, bj, real) == CQU_OK) { store<u8>(mask + <usize>bj, IN_FIT); creleaseSetAside(mask, n); }
      else store<u8>(mask + <usize>bj, SET_ASIDE);
    } else {
      const ai = cquAtom(q, bi);
      cquDelete(q, bi, W, n);
      store<u8>(mask + <usize>ai, FREE);
      if (appendTracked(A, m, n, norms, bj, real) == CQU_OK) {
        store<u8>(mask + <usize>bj, IN_FIT);
        creleaseSetAside(mask, n);
      } else {
        appendTracked(A, m, n, norms, ai, real);
        store<u8>(mask + <usize>ai, IN_FIT);
        store<u8>(mask + <usize>bj, SET_ASIDE);
      }
    }
    it++;
  }
  cwriteSolution(z, q.cols, q.t, n, x, support, flags);
  if (real) compactReal(x, n);
  return cdone(status, info, rnorm, it, q.t);
}

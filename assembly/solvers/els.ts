// ELS, exhaustive local search (Axiotis & Sviridenko, ICML 2020): from a
// start support, apply the single swap (i in S, j not in S) that most reduces
// the least-squares residual, until no swap reduces it (a local optimum).
//
// Scoring every swap without refactoring. With B = A_S = Q R, coefficients
// z = R^{-1} Q^T y, residual r, G = (B^T B)^{-1} = R^{-1} R^{-T} and
// d_i = Q R^{-T} e_i (so ||d_i||^2 = G_ii, d_i^T y = z_i):
//   removing i:      ||r_{S-i}||^2 = ||r||^2 + z_i^2 / G_ii,
//                    r_{S-i} = r + (z_i / G_ii) d_i;
//   then adding j:   gain = (a_j^T r_{S-i})^2 / ||P_{S-i}^perp a_j||^2 with
//                    a_j^T r_{S-i} = c_j + (z_i / G_ii) e_ji,
//                    ||P_{S-i}^perp a_j||^2 = p_j + e_ji^2 / G_ii,
// where c = A^T r, e_ji = a_j^T d_i = (W R^{-T})_ji with W = A^T Q kept up to
// date alongside Q (the Givens rotations of a delete are applied to W too; an
// append adds the column A^T q_new), and p_j = ||a_j||^2 - ||W_j,:||^2.
// One iteration costs O(m n + n k^2 + k^3) for all k (n - k) swaps.
//
// Start: S = the nonzeros among the k largest |x0_i| (x0 given), else empty.
// While |S| < k a step adds the atom that most reduces the residual
// (c_j^2 / p_j, orthogonal least squares). Stops at a local optimum (no move
// gains more than GAIN_TOL ||y||^2), when ||r|| <= tol ||y||, or after maxIter
// moves. p1 unused. info: residual, iterations (moves made), nnz.
import { axpy, zero } from "../blas";
import { opAdjoint, opColumn } from "../operator";
import { QRU, quAppend, quAtom, quBytes, quDelete, quFit, quInit, quQcol, quRat, QU_OK } from "../qrupdate";
import { CORR_TOL } from "../constants";
import { CONVERGED, MAX_ITER, PREMATURE } from "../status";
import { releaseSetAside, startSupport } from "./ompr";
import { writeSolution } from "./sets";
import { wsBegin, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { begin, done, GO, yNorm } from "./common";

// A move is applied only when it reduces ||r||^2 by more than GAIN_TOL ||y||^2:
// the scores are differences of terms up to ||y||^2, so their rounding error
// is a small multiple of machine epsilon (2.2e-16) times ||y||^2; 1e-12 leaves
// four orders of magnitude of margin, so no swap is taken on rounding noise
// and the search cannot cycle.
const GAIN_TOL: f64 = 1e-12;
// An atom whose part outside span(S - i) is below sqrt(DEN_TOL) = 1e-5 of its
// norm is no candidate: its score num^2 / den would be mostly rounding.
const DEN_TOL: f64 = 1e-10;
// Growth that finds no candidate left while ||r|| > CORR_TOL ||y|| is
// 'premature' (../constants.ts).

const FREE: u8 = 0;
const IN_FIT: u8 = 1;
const SET_ASIDE: u8 = 2;
const ZERO_COL: u8 = 3;

// The workspace, in carve order (carve() also gives its size, see workspace.ts): qMem (updatable
// QR of the support), W (n x k: A^T Q), Ri (k x k: R^{-1}, column-major, leading dimension k), c
// (n: A^T r), pj (n: ||P^perp a_j||^2), e (n: A^T d_i), r (m: residual), qty (k: Q^T y), z (k:
// coefficients), gdiag (k: G_ii), sup (k i32: the warm start's top k), idx (n i32: topK work),
// flags (n bytes: topK and writeSolution work), mask (n bytes: FREE, IN_FIT, SET_ASIDE, ZERO_COL).
let qMem: usize = 0, W: usize = 0, Ri: usize = 0, c: usize = 0, pj: usize = 0, e: usize = 0,
  r: usize = 0, qty: usize = 0, z: usize = 0, gdiag: usize = 0, sup: usize = 0, idx: usize = 0,
  flags: usize = 0, mask: usize = 0;
// The updatable QR laid out at qMem by carve() (when it carves, not when it sizes).
let q: QRU = changetype<QRU>(0);

function carve(ws: usize, m: i32, n: i32, k: i32): u64 {
  wsBegin(ws);
  qMem = wsTake(quBytes(m, k)); W = wsTake(<u64>n * <u64>k << 3); Ri = wsTake(<u64>k * <u64>k << 3);
  c = wsF64(n); pj = wsF64(n); e = wsF64(n); r = wsF64(m); qty = wsF64(k); z = wsF64(k);
  gdiag = wsF64(k); sup = wsI32(k); idx = wsI32(n); flags = wsU8(n); mask = wsU8(n);
  if (ws != 0) q = quInit(qMem, m, k);
  return wsEnd();
}

/** Workspace bytes for els at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function elsWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/** Appends atom j and its column A^T q_new of W (n x kmax); returns the QR status. */
function appendTracked(q: QRU, A: usize, m: i32, n: i32, norms: usize, j: i32, W: usize): i32 {
  const st = quAppend(q, opColumn(A, m, j), load<f64>(norms + (<usize>j << 3)), j);
  if (st == QU_OK) {
    const t = q.t - 1;
    opAdjoint(A, m, n, quQcol(q, t), W + <usize>t * (<usize>n << 3));
  }
  return st;
}

/** The common solver ABI (solvers/README.md); `extra` is unused. */
export function els(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                    maxIter: i32, tol: f64, p1: f64, x0: usize,
                    x: usize, support: usize, info: usize, ws: usize, extra: usize): i32 {
  carve(ws, m, n, k);
  const started = begin(y, m, x, n, norms, info);
  if (started != GO) return started;
  const ynorm = yNorm();
  startSupport(q, A, m, n, norms, k, x0, sup, idx, flags, mask);
  // W's columns for the warm start's atoms (none on a cold start)
  for (let t = 0; t < q.t; t++) opAdjoint(A, m, n, quQcol(q, t), W + <usize>t * (<usize>n << 3));
  const minGain = GAIN_TOL * ynorm * ynorm;
  let status = MAX_ITER;
  let it = 0;
  let rnorm = ynorm;
  while (true) {
    rnorm = quFit(q, y, qty, z, r);
    if (rnorm <= tol * ynorm) { status = CONVERGED; break; }
    if (it >= maxIter) { status = MAX_ITER; break; }
    opAdjoint(A, m, n, r, c);
    const t = q.t;
    // p_j = ||a_j||^2 - ||W_j,:||^2
    for (let j = 0; j < n; j++) {
      const nj = load<f64>(norms + (<usize>j << 3));
      store<f64>(pj + (<usize>j << 3), nj * nj);
    }
    for (let l = 0; l < t; l++) {
      const wl = W + <usize>l * (<usize>n << 3);
      for (let j = 0; j < n; j++) {
        const w = load<f64>(wl + (<usize>j << 3));
        store<f64>(pj + (<usize>j << 3), load<f64>(pj + (<usize>j << 3)) - w * w);
      }
    }
    let bestGain = 0.0;
    let bi = -1;
    let bj = -1;
    if (t < k) {
      // growth: the atom that most reduces the residual
      for (let j = 0; j < n; j++) {
        if (load<u8>(mask + <usize>j) != FREE) continue;
        const nj = load<f64>(norms + (<usize>j << 3));
        const den = load<f64>(pj + (<usize>j << 3));
        if (!(den > DEN_TOL * nj * nj)) continue;
        const cj = load<f64>(c + (<usize>j << 3));
        const g = cj * cj / den;
        if (g > bestGain) { bestGain = g; bj = j; }
      }
    } else {
      // R^{-1} column by column (upper triangular): R Ri_l = e_l
      for (let l = 0; l < t; l++) {
        const col = Ri + <usize>l * (<usize>k << 3);
        for (let i = l + 1; i < t; i++) store<f64>(col + (<usize>i << 3), 0.0);
        for (let i = l; i >= 0; i--) {
          let s: f64 = i == l ? 1.0 : 0.0;
          for (let jj = i + 1; jj <= l; jj++) s -= load<f64>(quRat(q, i, jj)) * load<f64>(col + (<usize>jj << 3));
          store<f64>(col + (<usize>i << 3), s / load<f64>(quRat(q, i, i)));
        }
      }
      // G_ii = ||row i of R^{-1}||^2
      for (let i = 0; i < t; i++) {
        let s = 0.0;
        for (let l = i; l < t; l++) {
          const v = load<f64>(Ri + ((<usize>l * <usize>k + <usize>i) << 3));
          s += v * v;
        }
        store<f64>(gdiag + (<usize>i << 3), s);
      }
      for (let i = 0; i < t; i++) {
        // e = W (row i of R^{-1})^T = A^T d_i
        zero(e, n);
        for (let l = i; l < t; l++) {
          axpy(load<f64>(Ri + ((<usize>l * <usize>k + <usize>i) << 3)), W + <usize>l * (<usize>n << 3), e, n);
        }
        const gii = load<f64>(gdiag + (<usize>i << 3));
        const zi = load<f64>(z + (<usize>i << 3));
        const f = zi / gii;
        const base = zi * f;
        const invG = 1.0 / gii;
        for (let j = 0; j < n; j++) {
          if (load<u8>(mask + <usize>j) != FREE) continue;
          const ej = load<f64>(e + (<usize>j << 3));
          const den = load<f64>(pj + (<usize>j << 3)) + ej * ej * invG;
          const nj = load<f64>(norms + (<usize>j << 3));
          if (!(den > DEN_TOL * nj * nj)) continue;
          const num = load<f64>(c + (<usize>j << 3)) + f * ej;
          const g = num * num / den - base;
          if (g > bestGain) { bestGain = g; bi = i; bj = j; }
        }
      }
    }
    if (bj < 0 || bestGain <= minGain) {
      // a local optimum (or, while growing, nothing left that reduces r)
      status = t < k && bj < 0 && rnorm > CORR_TOL * ynorm ? PREMATURE : CONVERGED;
      break;
    }
    if (bi < 0) {
      if (appendTracked(q, A, m, n, norms, bj, W) == QU_OK) { store<u8>(mask + <usize>bj, IN_FIT); releaseSetAside(mask, n); }
      else store<u8>(mask + <usize>bj, SET_ASIDE);
    } else {
      const ai = quAtom(q, bi);
      quDelete(q, bi, W, n);
      store<u8>(mask + <usize>ai, FREE);
      if (appendTracked(q, A, m, n, norms, bj, W) == QU_OK) {
        store<u8>(mask + <usize>bj, IN_FIT);
        releaseSetAside(mask, n);
      } else {
        appendTracked(q, A, m, n, norms, ai, W);
        store<u8>(mask + <usize>ai, IN_FIT);
        store<u8>(mask + <usize>bj, SET_ASIDE);
      }
    }
    it++;
  }
  writeSolution(z, q.cols, q.t, n, x, support, flags);
  return done(status, info, rnorm, it, q.t);
}

// Orthogonal Matching Pursuit, the whole solve in one call.
//
// Selection rule: j = argmax |a_j^T r| / ||a_j|| over atoms not yet chosen
// (zero columns are never chosen). On unit-norm columns this is exactly
// scikit-learn's orthogonal_mp rule. Least squares by incremental Householder
// QR; the residual r = y - A_S z is formed as Q [0; (Q^T y)_{t:m}].
import { zero } from "../blas";
import { isDense, opAdjoint, opColumn } from "../operator";
import { QR, qrBytes, qrInit, qrReset, qrAppend, qrResidual, qrResidualNorm, qrSolve, qrSolveLeading, QR_OK } from "../qr";
import { argmaxAbs } from "../select";
import { NO_SCREEN, ompScreenFits, screenedArgmax, screenFitsShape, screenOn, screenPrepare } from "../screen";
import { CORR_TOL } from "../constants";
import { CONVERGED, PREMATURE } from "../status";
import { wsBegin, wsBytes32, wsEnd, wsF64, wsI32, wsTake, wsU8 } from "../workspace";
import { begin, done, GO, yNorm } from "./common";

// CORR_TOL (../constants.ts): the residual counts as orthogonal to every atom
// when the best normalised
// correlation is below CORR_TOL * ||y||, sqrt(machine epsilon) relative to
// ||y||. scikit-learn has no test of exactly this form (its
// `alpha[lam]**2 < eps` looks at the chosen atom's correlation with y, not
// with r): there an orthogonal residual shows up as the argmax landing on an
// already chosen atom (`lam < n_active`) or on a dependent one (Lkk <= eps),
// and either ends its loop with the "premature" warning. Here stopping before
// k atoms is 'premature' unless the fit is already exact
// (||r|| <= CORR_TOL ||y||, which sklearn also reports as premature).
// test/sklearn.test.ts checks both cases against sklearn's output.

/**
 * invNorm[j] = 1 / norms[j] and mask[j] = 0, or 0 and mask[j] = 1 for a zero
 * column (never chosen): the selection weights of argmaxAbs, shared with
 * Batch-OMP (batchomp.ts).
 */
export function selectionWeights(norms: usize, n: i32, invNorm: usize, mask: usize): void {
  memory.fill(mask, 0, <usize>n);
  for (let j = 0; j < n; j++) {
    const nj = load<f64>(norms + (<usize>j << 3));
    if (nj > 0.0) store<f64>(invNorm + (<usize>j << 3), 1.0 / nj);
    else { store<f64>(invNorm + (<usize>j << 3), 0.0); store<u8>(mask + <usize>j, 1); }
  }
}

/**
 * x[order[i]] = z[i] for the t chosen atoms (x already zero), and support =
 * the atoms with mask 2, ascending. Shared with Batch-OMP.
 */
export function scatterSolution(z: usize, order: usize, t: i32, mask: usize, n: i32, x: usize, support: usize): void {
  for (let i = 0; i < t; i++) {
    store<f64>(x + (<usize>load<i32>(order + (<usize>i << 2)) << 3), load<f64>(z + (<usize>i << 3)));
  }
  let p = 0;
  for (let j = 0; j < n; j++) {
    if (load<u8>(mask + <usize>j) == 2) { store<i32>(support + (<usize>p << 2), j); p++; }
  }
}

// The workspace, in carve order (carve() also gives its size, see workspace.ts): A32 (m x n f32,
// the screen's copy of A) and r32 (m f32, the screen's residual), only when OMP screens at (m, n,
// k), first so that a batch finds the copy where it made it; qMem (QR of the chosen atoms, k
// columns), r (m: residual), c (n: A^T r), invNorm (n: selection weights), z (k: coefficients),
// order (k i32: atoms in the order chosen), mask (n bytes: 0 free, 1 zero column, 2 chosen).
// With `held` != 0 (ompResident) the copy lives outside the workspace, at `held` (HELD_NONE: none
// is held), and the workspace starts at r32.
let A32: usize = 0, r32: usize = 0, qMem: usize = 0, r: usize = 0, c: usize = 0, invNorm: usize = 0,
  z: usize = 0, order: usize = 0, mask: usize = 0;

function carve(ws: usize, m: i32, n: i32, k: i32, held: usize = 0): u64 {
  wsBegin(ws);
  A32 = held == HELD_NONE ? 0 : held; r32 = 0;
  if (ompScreenFits(m, n, k)) {
    if (held == 0) A32 = wsTake(<u64>m * <u64>n << 2);
    r32 = wsTake(<u64>m << 2);
  }
  qMem = wsTake(qrBytes(m, k)); r = wsF64(m); c = wsF64(n); invNorm = wsF64(n); z = wsF64(k);
  order = wsI32(k); mask = wsU8(n);
  return wsEnd();
}

/** Workspace bytes for omp at (m, n, k) (wraps modulo 2^32 beyond 4 GiB: the facade plans with ompWorkspace64). */
export function ompWorkspace(m: i32, n: i32, k: i32): usize {
  return wsBytes32(carve(0, m, n, k));
}

/** Workspace bytes for omp at (m, n, k), exact beyond 4 GiB (as f64): what carve() takes. */
export function ompWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k);
}

/**
 * The common solver ABI (see solvers/README.md): A m x n column-major; norms:
 * n column norms; y: m. OMP chooses at most k atoms and stops early when
 * ||r|| <= tol ||y||; maxIter, p1 and x0 are unused. Writes x (n),
 * support (k i32, ascending, first nnz valid) and info; returns a status.
 * When `path` is not 0 (2k + k(k+1)/2 f64) it also writes the solution path:
 * see ompPath.
 */
export function omp(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                    maxIter: i32, tol: f64, p1: f64, x0: usize,
                    x: usize, support: usize, info: usize, ws: usize, path: usize): i32 {
  return ompScreened(A, m, n, norms, y, k, tol, x, support, info, ws, PREPARE, 0, path);
}

/** Workspace bytes for ompResident at (m, n, k), exact beyond 4 GiB (as f64): omp's carve, less the f32 copy of A. */
export function ompResidentWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n, k, HELD_NONE);
}

/**
 * Writes the screen's scaled f32 copy of A (m x n, 4 m n bytes at A32) for a
 * resident operator, once for all its OMP solves, and returns its exponent
 * for ompResident, or NO_SCREEN when OMP on this shape never screens.
 */
export function ompScreenCopy(A: usize, m: i32, n: i32, norms: usize, A32: usize): i32 {
  if (!screenFitsShape(m, n) || !isDense(A)) return NO_SCREEN;
  return screenPrepare(A, m, n, norms, A32);
}

/**
 * omp (the common ABI's arguments, less the unused ones) on a resident
 * operator that holds the f32 copy: A32 and ea from ompScreenCopy (A32 = 0:
 * none). Same selection and results as omp, bit for bit, without the copy.
 */
export function ompResident(A: usize, m: i32, n: i32, norms: usize, A32: usize, ea: i32, y: usize, k: i32, tol: f64,
                            x: usize, support: usize, info: usize, ws: usize): i32 {
  const e = A32 != 0 && ompScreenFits(m, n, k) && screenOn() ? ea : NO_SCREEN;
  return ompScreened(A, m, n, norms, y, k, tol, x, support, info, ws, e, A32 != 0 ? A32 : HELD_NONE, 0);
}

/**
 * The solution path after t atoms (the QR is not touched): path[0..t) the
 * residual norms after each atom (already stored by the loop), path[k..k+t) the
 * atoms in the order chosen (as f64), then for s = 1..t the s coefficients of
 * the least-squares fit on the first s atoms, at 2k + s(s-1)/2. Each comes from
 * the leading s x s triangle of R and the first s entries of Q^T y.
 */
function ompPath(q: QR, order: usize, t: i32, k: i32, path: usize): void {
  for (let i = 0; i < t; i++) store<f64>(path + (<usize>(k + i) << 3), <f64>load<i32>(order + (<usize>i << 2)));
  for (let s = 1; s <= t; s++) {
    qrSolveLeading(q, s, path + (<usize>(2 * k + (s * (s - 1) >> 1)) << 3));
  }
}

// ompScreened's `ea` when the f32 copy of A is still to be made.
const PREPARE: i32 = 0x7ffffffe;
// ompScreened's `held` when the workspace has no room for a copy and none is
// held (an odd address: every buffer is 16-byte aligned).
const HELD_NONE: usize = 1;

/**
 * Makes the screen's f32 copy of A at the start of ws (omp's workspace) and
 * returns its exponent for ompScreened, or NO_SCREEN when OMP at (m, n, k)
 * does not screen: ompBatchPlain converts A once for all its signals.
 */
export function ompScreenPrepare(A: usize, m: i32, n: i32, norms: usize, k: i32, ws: usize): i32 {
  if (!ompScreenFits(m, n, k) || !screenOn() || !isDense(A)) return NO_SCREEN;
  carve(ws, m, n, k);
  return screenPrepare(A, m, n, norms, A32);
}

/**
 * omp with the screen's state given: `ea` from ompScreenPrepare on this ws
 * (A32 already made), NO_SCREEN, or PREPARE. `held` = 0: the copy (if
 * any) lives in ws; otherwise ws has no room for one (ompResident) and
 * `held` is the copy's address, or HELD_NONE. The selection is
 * the same either way (see screen.ts); only the time differs.
 */
export function ompScreened(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32, tol: f64,
                            x: usize, support: usize, info: usize, ws: usize, ea: i32, held: usize, path: usize = 0): i32 {
  carve(ws, m, n, k, held);
  if (held == HELD_NONE || !isDense(A)) ea = NO_SCREEN; // the screen reads A densely
  if (ompScreenFits(m, n, k)) {
    if (ea == PREPARE) ea = screenOn() ? screenPrepare(A, m, n, norms, A32) : NO_SCREEN;
  } else ea = NO_SCREEN;
  const q: QR = qrInit(qMem, m, k);

  const started = begin(y, m, x, n, norms, info);
  if (started != GO) return started;
  const ynorm = yNorm();
  selectionWeights(norms, n, invNorm, mask);
  qrReset(q, y);
  memory.copy(r, y, <usize>m << 3);
  let rnorm = ynorm;
  let status = CONVERGED;
  let t = 0;
  while (t < k) {
    if (rnorm <= tol * ynorm) break;
    let j: i32;
    if (ea != NO_SCREEN) j = screenedArgmax(A, m, n, A32, ea, r, r32, c, invNorm, mask);
    else {
      opAdjoint(A, m, n, r, c);
      j = argmaxAbs(c, invNorm, mask, n);
    }
    if (j < 0) break;
    if (abs(load<f64>(c + (<usize>j << 3))) * load<f64>(invNorm + (<usize>j << 3)) <= CORR_TOL * ynorm) {
      // No atom left correlates with r: an exact fit is converged; otherwise the
      // remaining atoms are (numerically) in the span of the chosen ones.
      if (rnorm > CORR_TOL * ynorm) status = PREMATURE;
      break;
    }
    const colp = opColumn(A, m, j);
    if (qrAppend(q, colp, load<f64>(norms + (<usize>j << 3))) != QR_OK) { status = PREMATURE; break; }
    store<u8>(mask + <usize>j, 2);
    store<i32>(order + (<usize>t << 2), j);
    t++;
    rnorm = qrResidualNorm(q);
    if (path != 0) store<f64>(path + (<usize>(t - 1) << 3), rnorm);
    if (t < k && rnorm > tol * ynorm) qrResidual(q, r);
  }
  qrSolve(q, z);
  if (path != 0) ompPath(q, order, t, k, path);
  scatterSolution(z, order, t, mask, n, x, support);
  return done(status, info, rnorm, t, t);
}

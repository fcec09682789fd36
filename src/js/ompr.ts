// OMPR (l = 1), JS backend. Same rules as assembly/solvers/ompr.ts, written
// independently.
import type { Matrix } from '../core/matrix.js';
import type { RawResult } from '../core/types.js';
import { matTVec, norm2 } from './linalg.js';
import { UpdatableQR } from './qrupdate.js';
import { topK } from './select.js';
import { CORR_TOL } from './constants.js';
import { startSolve, TwinOptions } from './support.js';

/** Atom states shared by the OMPR and ELS twins. */
export const Slot = { Free: 0, InFit: 1, SetAside: 2, ZeroCol: 3 } as const;

/** Initial atom states (zero columns are never candidates). */
export function initialSlots(norms: Float64Array): Uint8Array {
  return Uint8Array.from(norms, (v) => (v > 0 ? Slot.Free : Slot.ZeroCol));
}

/** The nonzeros among the k largest |x0_j|, ascending. */
export function startAtoms(x0: Float64Array, k: number): number[] {
  return Array.from(topK(x0, k)).filter((j) => x0[j] !== 0);
}

/** Frees the atoms set aside. */
export function releaseSetAside(slot: Uint8Array): void {
  for (let j = 0; j < slot.length; j++) if (slot[j] === Slot.SetAside) slot[j] = Slot.Free;
}

/** x from the atoms of qr and coefficients z; support ascending. */
export function solutionOf(qr: UpdatableQR, z: Float64Array, n: number): { x: Float64Array; support: Int32Array } {
  const x = new Float64Array(n);
  qr.atoms.forEach((j, p) => (x[j] = z[p]));
  return { x, support: Int32Array.from(qr.atoms).sort() };
}

/** What OMPR and ELS start from: ||y||, the column norms, the atom states and the QR holding the warm start's atoms. */
export interface ReplacementStart {
  ynorm: number;
  norms: Float64Array;
  slot: Uint8Array;
  qr: UpdatableQR;
  /** ELS: the companion columns A^T q kept with the QR. */
  comp?: (qNew: Float64Array) => Float64Array;
}

/**
 * The start of OMPR and ELS: the early result for y = 0 or A = 0, else the QR
 * of the nonzeros among the k largest |x0_j| (a dependent one is skipped;
 * `comp` keeps ELS's companion columns A^T q).
 */
export function startReplacement(A: Matrix, y: Float64Array, o: TwinOptions, comp?: (qNew: Float64Array) => Float64Array): ReplacementStart | RawResult {
  const { ynorm, early } = startSolve(A, y);
  if (early) return early;
  const norms = A.colNorms();
  const slot = initialSlots(norms);
  const qr = new UpdatableQR(A.m, o.k);
  if (o.x0) {
    for (const j of startAtoms(o.x0, o.k)) {
      if (slot[j] === Slot.Free && qr.append(A.column(j), norms[j], j, comp) === 'ok') slot[j] = Slot.InFit;
    }
  }
  return { ynorm, norms, slot, qr, comp };
}

/** The fit a pass of OMPR or ELS starts from: coefficients z on the QR's atoms and ||y - A x||. */
export interface ReplacementFit {
  z: Float64Array;
  rnorm: number;
  /** Why the run stops here ('converged': tol met; 'maxIter'), or null to go on. */
  stop: RawResult['status'] | null;
}

/**
 * The head of an OMPR or ELS pass: the least-squares fit on the atoms of qr,
 * the stop on ||r|| <= tol ||y|| or after maxIter passes, else c = A^T r.
 */
export function fitPass(A: Matrix, y: Float64Array, qr: UpdatableQR, c: Float64Array, tolAbs: number, capped: boolean): ReplacementFit {
  const qty = qr.qty(y);
  const z = qr.solve(qty);
  const r = qr.residual(y, qty);
  const rnorm = norm2(r);
  if (rnorm <= tolAbs) return { z, rnorm, stop: 'converged' };
  if (capped) return { z, rnorm, stop: 'maxIter' };
  matTVec(A.data, A.m, A.n, r, c);
  return { z, rnorm, stop: null };
}

/**
 * Runs OMPR or ELS from `st`: each pass fits (fitPass) and, unless that stops
 * the run, makes the solver's `move` on the fit (c holds A^T r), which returns
 * the status that ends the run, or null once it has moved (a pass counted).
 */
export function runReplacement(A: Matrix, y: Float64Array, o: TwinOptions, st: ReplacementStart,
                               move: (fit: ReplacementFit, c: Float64Array) => RawResult['status'] | null): RawResult {
  const c = new Float64Array(A.n);
  for (let it = 0; ; it++) {
    const fit = fitPass(A, y, st.qr, c, o.tol * st.ynorm, it >= o.maxIter);
    const status = fit.stop ?? move(fit, c);
    if (status) {
      const { x, support } = solutionOf(st.qr, fit.z, A.n);
      return { x, support, residualNorm: fit.rnorm, iterations: it, status };
    }
  }
}

/** Adds atom j to the fit (the atoms set aside become free again), or sets j aside when it is dependent on the fit. */
export function addAtom(A: Matrix, st: ReplacementStart, j: number): void {
  const { qr, slot, norms, comp } = st;
  if (qr.append(A.column(j), norms[j], j, comp) === 'ok') {
    slot[j] = Slot.InFit;
    releaseSetAside(slot);
  } else slot[j] = Slot.SetAside;
}

/** Replaces the atom at position p of the fit by j; when j is dependent on the others, the old atom goes back and j is set aside. */
export function swapAtom(A: Matrix, st: ReplacementStart, p: number, j: number): void {
  const { qr, slot, norms, comp } = st;
  const ai = qr.atoms[p];
  qr.remove(p);
  slot[ai] = Slot.Free;
  if (qr.append(A.column(j), norms[j], j, comp) === 'ok') {
    slot[j] = Slot.InFit;
    releaseSetAside(slot);
  } else {
    qr.append(A.column(ai), norms[ai], ai, comp);
    slot[ai] = Slot.InFit;
    slot[j] = Slot.SetAside;
  }
}

export function omprJs(A: Matrix, y: Float64Array, o: TwinOptions & { eta: number }): RawResult {
  const { k, eta } = o;
  const { n } = A;
  const st = startReplacement(A, y, o);
  if ('x' in st) return st;
  const { ynorm, norms, slot, qr } = st;
  return runReplacement(A, y, o, st, ({ z, rnorm }, c) => {
    let j = -1;
    let cj = -1;
    for (let a = 0; a < n; a++) {
      if (slot[a] !== Slot.Free) continue;
      if (Math.abs(c[a]) > cj) {
        cj = Math.abs(c[a]);
        j = a;
      }
    }
    if (j < 0) return qr.t < k ? 'premature' : 'converged';
    if (cj / norms[j] <= CORR_TOL * ynorm) return qr.t < k && rnorm > CORR_TOL * ynorm ? 'premature' : 'converged';
    if (qr.t < k) {
      addAtom(A, st, j);
      return null;
    }
    let pmin = 0;
    let zmin = Infinity;
    qr.atoms.forEach((a, p) => {
      const v = Math.abs(z[p] + eta * c[a]);
      if (v < zmin) {
        zmin = v;
        pmin = p;
      }
    });
    if (eta * cj <= zmin) return 'converged';
    swapAtom(A, st, pmin, j);
    return null;
  });
}

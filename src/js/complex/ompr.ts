// Complex OMPR (l = 1), JS twin of assembly/complex/ompr.ts: the rules of
// src/js/ompr.ts on complex data.
//
//   z = x + eta A^H (y - A x)      (Re(A^H r) with realX)
//   j = argmax |z_j| outside S (moduli), i = argmin |z_i| over S
//   if |z_j| > |z_i|: S <- S - {i} + {j}; x <- least squares on S; else stop
//
// While |S| < k a step only adds j. The least squares keep an updatable
// complex QR (./qrupdate.ts; real coefficients with realX). Stops as the real
// OMPR: no improving replacement ('converged'), ||r|| <= tol ||y||, no atom
// outside S correlating with r (|c_j| / ||a_j|| <= CORR_TOL ||y||), maxIter moves.
import type { RawResult } from '../../core/types.js';
import { CORR_TOL } from '../constants.js';
import { Slot } from '../ompr.js';
import { cnorm2, type ComplexMatrix } from './cmatrix.js';
import { ctopK } from './iht.js';
import type { ComplexRawResult } from './omp.js';
import { cmod, ComplexUpdatableQR } from './qrupdate.js';
import { cgradient, cxOf } from './sea.js';

export interface ComplexReplacementOptions {
  k: number;
  tol: number;
  maxIter: number;
  realX?: boolean;
  /** 2n doubles (n with realX) or null. */
  x0?: Float64Array | null;
}

/** The state OMPR and ELS share. */
export interface ComplexReplacementStart {
  ynorm: number;
  norms: Float64Array;
  slot: Uint8Array;
  qr: ComplexUpdatableQR;
  realX: boolean;
  comp?: (qNew: Float64Array) => Float64Array;
}

/**
 * The start of complex OMPR and ELS: the early result for y = 0 or A = 0,
 * else the QR of the nonzeros among the k largest |x0_j| (moduli; a dependent
 * one is skipped).
 */
export function startComplexReplacement(A: ComplexMatrix, y: Float64Array, o: ComplexReplacementOptions,
                                        comp?: (qNew: Float64Array) => Float64Array): ComplexReplacementStart | ComplexRawResult {
  const realX = o.realX === true;
  const { m, n } = A;
  const ynorm = cnorm2(y);
  const norms = A.colNorms();
  const zero = (residualNorm: number, status: RawResult['status']): ComplexRawResult => ({
    x: new Float64Array(realX ? n : 2 * n), support: new Int32Array(0), residualNorm, iterations: 0, status,
  });
  if (ynorm === 0) return zero(0, 'converged');
  if (norms.every((v) => v === 0)) return zero(ynorm, 'zeroMatrix');
  const slot = Uint8Array.from(norms, (v) => (v > 0 ? Slot.Free : Slot.ZeroCol));
  const qr = new ComplexUpdatableQR(m, o.k, realX);
  if (o.x0) {
    const X = new Float64Array(2 * n);
    if (realX) for (let j = 0; j < n; j++) X[2 * j] = o.x0[j];
    else X.set(o.x0);
    for (const j of ctopK(X, o.k)) {
      if (X[2 * j] === 0 && X[2 * j + 1] === 0) continue;
      if (slot[j] === Slot.Free && qr.append(A.column(j), norms[j], j, comp) === 'ok') slot[j] = Slot.InFit;
    }
  }
  return { ynorm, norms, slot, qr, realX, comp };
}

export interface ComplexReplacementFit {
  /** Complex coefficients on the QR's atoms (2t doubles). */
  z: Float64Array;
  rnorm: number;
}

/**
 * Runs OMPR or ELS: each pass fits; stops on tol or after maxIter moves, else
 * c = A^H r (Re with realX) and the solver's move, which returns the status
 * that ends the run or null once it has moved.
 */
export function runComplexReplacement(A: ComplexMatrix, y: Float64Array, o: ComplexReplacementOptions, st: ComplexReplacementStart,
                                      move: (fit: ComplexReplacementFit, c: Float64Array) => RawResult['status'] | null): ComplexRawResult {
  const c = new Float64Array(2 * A.n);
  const { qr } = st;
  for (let it = 0; ; it++) {
    const qty = qr.qty(y);
    const z = qr.solve(qty);
    const r = qr.residual(y, qty);
    const rnorm = cnorm2(r);
    let status: RawResult['status'] | null = null;
    if (rnorm <= o.tol * st.ynorm) status = 'converged';
    else if (it >= o.maxIter) status = 'maxIter';
    else {
      cgradient(A, r, c, st.realX);
      status = move({ z, rnorm }, c);
    }
    if (status) {
      return { x: cxOf(qr.atoms, z, A.n, st.realX), support: Int32Array.from(qr.atoms).sort(), residualNorm: rnorm, iterations: it, status };
    }
  }
}

function releaseSetAside(slot: Uint8Array): void {
  for (let j = 0; j < slot.length; j++) if (slot[j] === Slot.SetAside) slot[j] = Slot.Free;
}

/** Adds atom j (the atoms set aside become free again), or sets it aside when dependent. */
export function caddAtom(A: ComplexMatrix, st: ComplexReplacementStart, j: number): void {
  const { qr, slot, norms, comp } = st;
  if (qr.append(A.column(j), norms[j], j, comp) === 'ok') {
    slot[j] = Slot.InFit;
    releaseSetAside(slot);
  } else slot[j] = Slot.SetAside;
}

/** Replaces the atom at position p by j; when j is dependent on the others the old atom goes back and j is set aside. */
export function cswapAtom(A: ComplexMatrix, st: ComplexReplacementStart, p: number, j: number): void {
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

export function complexOmprJs(A: ComplexMatrix, y: Float64Array, o: ComplexReplacementOptions & { eta: number }): ComplexRawResult {
  const { k, eta } = o;
  const { n } = A;
  const st = startComplexReplacement(A, y, o);
  if (!('qr' in st)) return st;
  const { ynorm, norms, slot, qr } = st;
  return runComplexReplacement(A, y, o, st, ({ z, rnorm }, c) => {
    let j = -1;
    let cj = -1;
    for (let a = 0; a < n; a++) {
      if (slot[a] !== Slot.Free) continue;
      const v = cmod(c[2 * a], c[2 * a + 1]);
      if (v > cj) {
        cj = v;
        j = a;
      }
    }
    if (j < 0) return qr.t < k ? 'premature' : 'converged';
    if (cj / norms[j] <= CORR_TOL * ynorm) return qr.t < k && rnorm > CORR_TOL * ynorm ? 'premature' : 'converged';
    if (qr.t < k) {
      caddAtom(A, st, j);
      return null;
    }
    let pmin = 0;
    let zmin = Infinity;
    for (let p = 0; p < qr.t; p++) {
      const a = qr.atoms[p];
      const wr = z[2 * p] + eta * c[2 * a];
      const wi = z[2 * p + 1] + eta * c[2 * a + 1];
      const v = cmod(wr, wi);
      if (v < zmin) {
        zmin = v;
        pmin = p;
      }
    }
    if (eta * cj <= zmin) return 'converged';
    cswapAtom(A, st, pmin, j);
    return null;
  });
}

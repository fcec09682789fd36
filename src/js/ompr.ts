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

export function omprJs(A: Matrix, y: Float64Array, o: TwinOptions & { eta: number }): RawResult {
  const { k, tol, maxIter, eta, x0 = null } = o;
  const { m, n, data } = A;
  const { ynorm, early } = startSolve(A, y);
  if (early) return early;
  const norms = A.colNorms();
  const slot = initialSlots(norms);
  const qr = new UpdatableQR(m, k);
  if (x0) {
    for (const j of startAtoms(x0, k)) {
      if (slot[j] === Slot.Free && qr.append(A.column(j), norms[j], j) === 'ok') slot[j] = Slot.InFit;
    }
  }
  const c = new Float64Array(n);
  let status: RawResult['status'] = 'maxIter';
  let it = 0;
  let z: Float64Array;
  let rnorm: number;
  for (;;) {
    const qty = qr.qty(y);
    z = qr.solve(qty);
    const r = qr.residual(y, qty);
    rnorm = norm2(r);
    if (rnorm <= tol * ynorm) {
      status = 'converged';
      break;
    }
    if (it >= maxIter) break;
    matTVec(data, m, n, r, c);
    let j = -1;
    let cj = -1;
    for (let a = 0; a < n; a++) {
      if (slot[a] !== Slot.Free) continue;
      if (Math.abs(c[a]) > cj) {
        cj = Math.abs(c[a]);
        j = a;
      }
    }
    if (j < 0) {
      status = qr.t < k ? 'premature' : 'converged';
      break;
    }
    if (cj / norms[j] <= CORR_TOL * ynorm) {
      status = qr.t < k && rnorm > CORR_TOL * ynorm ? 'premature' : 'converged';
      break;
    }
    if (qr.t < k) {
      if (qr.append(A.column(j), norms[j], j) === 'ok') {
        slot[j] = Slot.InFit;
        releaseSetAside(slot);
      } else slot[j] = Slot.SetAside;
      it++;
      continue;
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
    if (eta * cj <= zmin) {
      status = 'converged';
      break;
    }
    const ai = qr.atoms[pmin];
    qr.remove(pmin);
    slot[ai] = Slot.Free;
    if (qr.append(A.column(j), norms[j], j) === 'ok') {
      slot[j] = Slot.InFit;
      releaseSetAside(slot);
    } else {
      qr.append(A.column(ai), norms[ai], ai);
      slot[ai] = Slot.InFit;
      slot[j] = Slot.SetAside;
    }
    it++;
  }
  const { x, support } = solutionOf(qr, z, n);
  return { x, support, residualNorm: rnorm, iterations: it, status };
}

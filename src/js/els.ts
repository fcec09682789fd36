// ELS (exhaustive local search), JS backend. Same scores and rules as
// assembly/solvers/els.ts, written independently: for each position i the
// vector e = A^T d_i is formed from W = A^T Q (kept as companion columns of
// the updatable QR) and the row i of R^{-1}.
import type { Matrix } from '../core/matrix.js';
import type { RawResult } from '../core/types.js';
import { matTVec } from './linalg.js';
import { addAtom, runReplacement, Slot, startReplacement, swapAtom } from './ompr.js';
import { CORR_TOL } from './constants.js';
import type { TwinOptions } from './support.js';

/** See assembly/solvers/els.ts. */
const GAIN_TOL = 1e-12;
const DEN_TOL = 1e-10;

export function elsJs(A: Matrix, y: Float64Array, o: TwinOptions): RawResult {
  const { k } = o;
  const { m, n, data } = A;
  const comp = (qNew: Float64Array) => {
    const w = new Float64Array(n);
    matTVec(data, m, n, qNew, w);
    return w;
  };
  const st = startReplacement(A, y, o, comp);
  if ('x' in st) return st;
  const { ynorm, norms, slot, qr } = st;
  const p = new Float64Array(n);
  const e = new Float64Array(n);
  const minGain = GAIN_TOL * ynorm * ynorm;
  return runReplacement(A, y, o, st, ({ z, rnorm }, c) => {
    const t = qr.t;
    for (let j = 0; j < n; j++) {
      let s = norms[j] * norms[j];
      for (let l = 0; l < t; l++) s -= qr.companion[l][j] ** 2;
      p[j] = s;
    }
    let bestGain = 0;
    let bi = -1;
    let bj = -1;
    if (t < k) {
      for (let j = 0; j < n; j++) {
        if (slot[j] !== Slot.Free || !(p[j] > DEN_TOL * norms[j] * norms[j])) continue;
        const g = (c[j] * c[j]) / p[j];
        if (g > bestGain) {
          bestGain = g;
          bj = j;
        }
      }
    } else {
      // rows of R^{-1}: row i solves u^T R = e_i^T, i.e. R^T u = e_i (forward substitution)
      for (let i = 0; i < t; i++) {
        const u = new Float64Array(t);
        for (let l = i; l < t; l++) {
          let s = l === i ? 1 : 0;
          for (let a = i; a < l; a++) s -= qr.r[l][a] * u[a];
          u[l] = s / qr.r[l][l];
        }
        let gii = 0;
        for (let l = i; l < t; l++) gii += u[l] * u[l];
        e.fill(0);
        for (let l = i; l < t; l++) {
          const w = qr.companion[l];
          const ul = u[l];
          for (let j = 0; j < n; j++) e[j] += ul * w[j];
        }
        const f = z[i] / gii;
        const base = z[i] * f;
        for (let j = 0; j < n; j++) {
          if (slot[j] !== Slot.Free) continue;
          const den = p[j] + (e[j] * e[j]) / gii;
          if (!(den > DEN_TOL * norms[j] * norms[j])) continue;
          const num = c[j] + f * e[j];
          const g = (num * num) / den - base;
          if (g > bestGain) {
            bestGain = g;
            bi = i;
            bj = j;
          }
        }
      }
    }
    if (bj < 0 || bestGain <= minGain) return t < k && bj < 0 && rnorm > CORR_TOL * ynorm ? 'premature' : 'converged';
    if (bi >= 0) swapAtom(A, st, bi, bj);
    else addAtom(A, st, bj);
    return null;
  });
}

// Complex ELS (exhaustive local search), JS twin of assembly/complex/els.ts:
// the scores of src/js/els.ts in complex arithmetic.
//
// With B = A_S = Q R, z = R^{-1} Q^H y, r = y - B z, c = A^H r, W = A^H Q (kept
// with the QR as companion columns), u = row i of R^{-1}, G_ii = ||u||^2,
// e = A^H d_i = sum_l conj(u_l) W_:,l (d_i = Q R^{-H} e_i):
//   removing i:  ||r_{S-i}||^2 = ||r||^2 + |z_i|^2 / G_ii;
//   adding j:    gain |c_j + (z_i / G_ii) e_j|^2 / (p_j + |e_j|^2 / G_ii) - |z_i|^2 / G_ii,
//   p_j = ||a_j||^2 - sum_l |W_jl|^2;
// growth (|S| < k): |c_j|^2 / p_j. Rules and constants of the real ELS (GAIN_TOL,
// DEN_TOL, 'premature'); realX: real coefficients, c and W real parts.
import { CORR_TOL } from '../constants.js';
import { Slot } from '../ompr.js';
import type { ComplexMatrix } from './cmatrix.js';
import type { ComplexRawResult } from './omp.js';
import { caddAtom, ComplexReplacementOptions, cswapAtom, runComplexReplacement, startComplexReplacement } from './ompr.js';
import { cgradient } from './sea.js';

/** See assembly/solvers/els.ts. */
const GAIN_TOL = 1e-12;
const DEN_TOL = 1e-10;

export function complexElsJs(A: ComplexMatrix, y: Float64Array, o: ComplexReplacementOptions): ComplexRawResult {
  const { k } = o;
  const { n } = A;
  const realX = o.realX === true;
  const comp = (qNew: Float64Array) => {
    const w = new Float64Array(2 * n);
    cgradient(A, qNew, w, realX);
    return w;
  };
  const st = startComplexReplacement(A, y, o, comp);
  if (!('qr' in st)) return st;
  const { ynorm, norms, slot, qr } = st;
  const p = new Float64Array(n);
  const e = new Float64Array(2 * n);
  const minGain = GAIN_TOL * ynorm * ynorm;
  return runComplexReplacement(A, y, o, st, ({ z, rnorm }, c) => {
    const t = qr.t;
    for (let j = 0; j < n; j++) {
      let s = norms[j] * norms[j];
      for (let l = 0; l < t; l++) {
        const w = qr.companion[l];
        s -= w[2 * j] * w[2 * j] + w[2 * j + 1] * w[2 * j + 1];
      }
      p[j] = s;
    }
    let bestGain = 0;
    let bi = -1;
    let bj = -1;
    if (t < k) {
      for (let j = 0; j < n; j++) {
        if (slot[j] !== Slot.Free || !(p[j] > DEN_TOL * norms[j] * norms[j])) continue;
        const g = (c[2 * j] * c[2 * j] + c[2 * j + 1] * c[2 * j + 1]) / p[j];
        if (g > bestGain) {
          bestGain = g;
          bj = j;
        }
      }
    } else {
      const u = new Float64Array(2 * t);
      for (let i = 0; i < t; i++) {
        // row i of R^{-1}: u_l = (delta_il - sum_{a<l} u_a R_al) / R_ll, l >= i
        u.fill(0);
        for (let l = i; l < t; l++) {
          let sr = l === i ? 1 : 0;
          let si = 0;
          const rl = qr.r[l];
          for (let a = i; a < l; a++) {
            const rr = rl[2 * a], ri = rl[2 * a + 1], ur = u[2 * a], ui = u[2 * a + 1];
            sr -= rr * ur - ri * ui;
            si -= rr * ui + ri * ur;
          }
          const d = rl[2 * l];
          u[2 * l] = sr / d;
          u[2 * l + 1] = si / d;
        }
        let gii = 0;
        for (let l = i; l < t; l++) gii += u[2 * l] * u[2 * l] + u[2 * l + 1] * u[2 * l + 1];
        e.fill(0);
        for (let l = i; l < t; l++) {
          const w = qr.companion[l];
          const ur = u[2 * l], ui = u[2 * l + 1];
          for (let j = 0; j < n; j++) {
            const wr = w[2 * j], wi = w[2 * j + 1];
            e[2 * j] += ur * wr + ui * wi;
            e[2 * j + 1] += ur * wi - ui * wr;
          }
        }
        const fr = z[2 * i] / gii;
        const fi = z[2 * i + 1] / gii;
        const base = z[2 * i] * fr + z[2 * i + 1] * fi;
        for (let j = 0; j < n; j++) {
          if (slot[j] !== Slot.Free) continue;
          const er = e[2 * j], ei = e[2 * j + 1];
          const den = p[j] + (er * er + ei * ei) / gii;
          if (!(den > DEN_TOL * norms[j] * norms[j])) continue;
          const nr = c[2 * j] + (fr * er - fi * ei);
          const ni = c[2 * j + 1] + (fr * ei + fi * er);
          const g = (nr * nr + ni * ni) / den - base;
          if (g > bestGain) {
            bestGain = g;
            bi = i;
            bj = j;
          }
        }
      }
    }
    if (bj < 0 || bestGain <= minGain) return t < k && bj < 0 && rnorm > CORR_TOL * ynorm ? 'premature' : 'converged';
    if (bi >= 0) cswapAtom(A, st, bi, bj);
    else caddAtom(A, st, bj);
    return null;
  });
}

// Complex Soft-OMP and Soft-IHT (JS twins): the real twins reproduced on
// real data (imaginary parts zero), and every gradient (w, tau, the real and
// imaginary parts of y) against central finite differences on several seeds.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../src/core/matrix.js';
import { Rng } from '../src/core/random.js';
import { ComplexMatrix, cmatVec } from '../src/js/complex/cmatrix.js';
import { complexSoftOmpJs, complexSoftOmpVjpJs } from '../src/js/complex/softomp.js';
import { complexSoftIhtJs, complexSoftIhtVjpJs } from '../src/js/complex/softiht.js';
import { softOmpJs, softOmpVjpJs } from '../src/js/softomp.js';
import { softIhtJs, softIhtVjpJs } from '../src/js/softiht.js';

/** Unit-norm columns in place (column-major, `parts` doubles per entry). */
function normalise(d: Float64Array, m: number, n: number, parts: number): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < parts * m; t++) s += d[parts * j * m + t] ** 2;
    const f = 1 / Math.sqrt(s);
    for (let t = 0; t < parts * m; t++) d[parts * j * m + t] *= f;
  }
}

/** Complex Gaussian A (unit columns), y = A x + e with x complex s-sparse, weights w (some negative). */
function complexProblem(seed: number, m: number, n: number, s: number) {
  const rng = new Rng(seed);
  const raw = rng.normals(2 * m * n);
  normalise(raw, m, n, 2);
  const A = new ComplexMatrix(m, n, raw);
  const x = new Float64Array(2 * n);
  for (const j of rng.sample(n, s)) {
    x[2 * j] = rng.normal();
    x[2 * j + 1] = rng.normal();
  }
  const y = new Float64Array(2 * m);
  cmatVec(A.data, m, n, x, y);
  for (let t = 0; t < 2 * m; t++) y[t] += 0.05 * rng.normal();
  const w = Float64Array.from({ length: n }, () => (rng.uniform() < 0.15 ? -1 : 1) * (0.5 + rng.uniform()));
  // a random linear loss L = sum_j a_j Re x_j + b_j Im x_j: gx = a + ib
  const gx = rng.normals(2 * n);
  return { A, y, w, gx };
}

/** Real Gaussian A (unit columns) and y, with the same A as a ComplexMatrix (imaginary parts zero). */
function realProblem(seed: number, m: number, n: number, s: number) {
  const rng = new Rng(seed);
  const d = rng.normals(m * n);
  normalise(d, m, n, 1);
  const Ar = new Matrix(m, n, d);
  const Ac = ComplexMatrix.fromReal(m, n, d);
  const x = new Float64Array(n);
  for (const j of rng.sample(n, s)) x[j] = rng.normal();
  const y = new Float64Array(m);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) y[i] += d[i + j * m] * x[j];
  for (let i = 0; i < m; i++) y[i] += 0.05 * rng.normal();
  const w = Float64Array.from({ length: n }, () => 0.5 + rng.uniform());
  const gx = rng.normals(n);
  return { Ar, Ac, y, yc: interleave(y), w, gx, gxc: interleave(gx) };
}

function interleave(re: Float64Array): Float64Array {
  const out = new Float64Array(2 * re.length);
  re.forEach((v, i) => (out[2 * i] = v));
  return out;
}

function reParts(c: Float64Array): Float64Array {
  return Float64Array.from({ length: c.length >> 1 }, (_, i) => c[2 * i]);
}

function imParts(c: Float64Array): Float64Array {
  return Float64Array.from({ length: c.length >> 1 }, (_, i) => c[2 * i + 1]);
}

function maxAbs(v: Float64Array): number {
  let d = 0;
  for (const x of v) d = Math.max(d, Math.abs(x));
  return d;
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

const dotL = (gx: Float64Array, x: Float64Array) => x.reduce((s, v, i) => s + v * gx[i], 0);

/**
 * Checks analytic gradients against central differences of L(w, tau, y) =
 * gx . x (x interleaved, so this is sum a_j Re x_j + b_j Im x_j).
 */
function checkGradients(run: (w: Float64Array, tau: number, y: Float64Array) => Float64Array,
                        grads: { gw: Float64Array; gy: Float64Array; gtau: number }, w: Float64Array, tau: number, y: Float64Array,
                        gx: Float64Array): void {
  const L = (ww: Float64Array, tt: number, yy: Float64Array) => dotL(gx, run(ww, tt, yy));
  const h = 1e-6;
  const scale = Math.max(maxAbs(grads.gw), maxAbs(grads.gy), Math.abs(grads.gtau * tau), 1e-3);
  const tol = 2e-5 * scale;
  for (let j = 0; j < w.length; j++) {
    const wp = w.slice();
    const wm = w.slice();
    wp[j] += h;
    wm[j] -= h;
    const fd = (L(wp, tau, y) - L(wm, tau, y)) / (2 * h);
    expect(Math.abs(fd - grads.gw[j]), `gw[${j}]: fd ${fd}, analytic ${grads.gw[j]}`).toBeLessThan(tol);
  }
  // y: real and imaginary parts separately (gy[2i] = dL/dRe y_i, gy[2i+1] = dL/dIm y_i)
  for (let t = 0; t < y.length; t++) {
    const yp = y.slice();
    const ym = y.slice();
    yp[t] += h;
    ym[t] -= h;
    const fd = (L(w, tau, yp) - L(w, tau, ym)) / (2 * h);
    expect(Math.abs(fd - grads.gy[t]), `gy[${t}] (${t % 2 ? 'imaginary' : 'real'} part of y_${t >> 1}): fd ${fd}, analytic ${grads.gy[t]}`).toBeLessThan(tol);
  }
  const ht = tau * 1e-6;
  const fdt = (L(w, tau + ht, y) - L(w, tau - ht, y)) / (2 * ht);
  expect(Math.abs(fdt - grads.gtau) * tau, `gtau: fd ${fdt}, analytic ${grads.gtau}`).toBeLessThan(tol);
}

describe('complex Soft-OMP (JS) on real data = the real twin', () => {
  for (const seed of [1, 2, 3]) {
    for (const tau of [0, 0.05, 0.3]) {
      it(`seed ${seed}, tau ${tau}: x, residual, selection, gw, gy, gtau to 1e-12`, () => {
        const { Ar, Ac, y, yc, w, gx, gxc } = realProblem(seed, 14, 30, 4);
        const L = 6;
        const r = softOmpJs(Ar, y, w, L, tau, true);
        const c = complexSoftOmpJs(Ac, yc, w, L, tau, true);
        expect(c.status).toBe(r.status);
        expect(c.iterations).toBe(r.iterations);
        expect(Array.from(c.selected)).toEqual(Array.from(r.selected));
        expect(maxDiff(reParts(c.x), r.x)).toBeLessThan(1e-12);
        expect(maxAbs(imParts(c.x))).toBe(0);
        expect(Math.abs(c.residualNorm - r.residualNorm)).toBeLessThan(1e-12);
        c.history!.forEach((hx, t) => expect(maxDiff(reParts(hx), r.history![t])).toBeLessThan(1e-12));
        const rv = softOmpVjpJs(Ar, y, w, L, tau, gx);
        const cv = complexSoftOmpVjpJs(Ac, yc, w, L, tau, gxc);
        expect(maxDiff(cv.gw, rv.gw)).toBeLessThan(1e-12 * Math.max(1, maxAbs(rv.gw)));
        expect(maxDiff(reParts(cv.gy), rv.gy)).toBeLessThan(1e-12 * Math.max(1, maxAbs(rv.gy)));
        expect(maxAbs(imParts(cv.gy))).toBeLessThan(1e-12 * Math.max(1, maxAbs(rv.gy)));
        expect(Math.abs(cv.gtau - rv.gtau)).toBeLessThan(1e-12 * Math.max(1, Math.abs(rv.gtau)));
      });
    }
  }
});

describe('complex Soft-IHT (JS) on real data = the real twin', () => {
  for (const seed of [1, 2, 3]) {
    for (const tau of [0, 0.05, 0.3]) {
      it(`seed ${seed}, tau ${tau}: x, residual, selection, gw, gy, gtau to 1e-12`, () => {
        const { Ar, Ac, y, yc, w, gx, gxc } = realProblem(seed, 14, 30, 4);
        const [k, L, eta] = [4, 8, 0.3];
        const r = softIhtJs(Ar, y, w, k, L, eta, tau, true);
        const c = complexSoftIhtJs(Ac, yc, w, k, L, eta, tau, true);
        expect(c.status).toBe(r.status);
        expect(c.iterations).toBe(r.iterations);
        expect(Array.from(c.selected)).toEqual(Array.from(r.selected));
        expect(maxDiff(reParts(c.x), r.x)).toBeLessThan(1e-12);
        expect(maxAbs(imParts(c.x))).toBe(0);
        expect(Math.abs(c.residualNorm - r.residualNorm)).toBeLessThan(1e-12);
        c.history!.forEach((hx, t) => expect(maxDiff(reParts(hx), r.history![t])).toBeLessThan(1e-12));
        const rv = softIhtVjpJs(Ar, y, w, k, L, eta, tau, gx);
        const cv = complexSoftIhtVjpJs(Ac, yc, w, k, L, eta, tau, gxc);
        expect(maxDiff(cv.gw, rv.gw)).toBeLessThan(1e-12 * Math.max(1, maxAbs(rv.gw)));
        expect(maxDiff(reParts(cv.gy), rv.gy)).toBeLessThan(1e-12 * Math.max(1, maxAbs(rv.gy)));
        expect(maxAbs(imParts(cv.gy))).toBeLessThan(1e-12 * Math.max(1, maxAbs(rv.gy)));
        expect(Math.abs(cv.gtau - rv.gtau)).toBeLessThan(1e-12 * Math.max(1, Math.abs(rv.gtau)));
      });
    }
  }
});

describe('complex Soft-OMP (JS): gradients = central finite differences', () => {
  for (const seed of [11, 12, 13, 14]) {
    it(`seed ${seed}: dL/dw, dL/dtau, dL/dRe y, dL/dIm y`, () => {
      const { A, y, w, gx } = complexProblem(seed, 10, 20, 3);
      const [L, tau] = [4, 0.2];
      const g = complexSoftOmpVjpJs(A, y, w, L, tau, gx);
      expect(g.status).toBe('converged');
      expect(g.iterations).toBe(L);
      expect(maxAbs(g.gw)).toBeGreaterThan(0);
      checkGradients((ww, tt, yy) => complexSoftOmpJs(A, yy, ww, L, tt).x, g, w, tau, y, gx);
    });
  }
  it('at tau = 0 dL/dw = 0 and dL/dy is the fixed-support gradient', () => {
    const { A, y, w, gx } = complexProblem(21, 10, 20, 3);
    const g = complexSoftOmpVjpJs(A, y, w, 4, 0, gx);
    expect(maxAbs(g.gw)).toBe(0);
    expect(g.gtau).toBe(0);
    const h = 1e-6;
    for (let t = 0; t < y.length; t++) {
      const yp = y.slice();
      const ym = y.slice();
      yp[t] += h;
      ym[t] -= h;
      const fd = (dotL(gx, complexSoftOmpJs(A, yp, w, 4, 0).x) - dotL(gx, complexSoftOmpJs(A, ym, w, 4, 0).x)) / (2 * h);
      expect(Math.abs(fd - g.gy[t])).toBeLessThan(1e-6 * Math.max(1, maxAbs(g.gy)));
    }
  });
});

describe('complex Soft-IHT (JS): gradients = central finite differences', () => {
  for (const seed of [11, 12, 13, 14]) {
    it(`seed ${seed}: dL/dw, dL/dtau, dL/dRe y, dL/dIm y`, () => {
      const { A, y, w, gx } = complexProblem(seed, 10, 20, 3);
      const [k, L, eta, tau] = [3, 6, 0.25, 0.2];
      const g = complexSoftIhtVjpJs(A, y, w, k, L, eta, tau, gx);
      expect(g.status).toBe('converged');
      expect(maxAbs(g.gw)).toBeGreaterThan(0);
      checkGradients((ww, tt, yy) => complexSoftIhtJs(A, yy, ww, k, L, eta, tt).x, g, w, tau, y, gx);
    });
  }
});

describe('topOrder (the top-k of complex Soft-IHT)', () => {
  it('is sortDesc\'s first k, ties to the lower index, on random data with ties and signed zeros', async () => {
    const { topOrder } = await import('../src/js/complex/softiht.js');
    const { sortDesc } = await import('../src/js/softsort.js');
    const rng = new Rng(3);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + rng.int(40);
      const v = Float64Array.from({ length: n }, () => (rng.uniform() < 0.3 ? [0, -0, 1, 2][rng.int(4)] : Math.round(rng.normal() * 4) / 2));
      const k = 1 + rng.int(n);
      expect(Array.from(topOrder(v, k))).toEqual(Array.from(sortDesc(v, k)));
    }
  });
});

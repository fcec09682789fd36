// The public complex Soft-OMP / Soft-IHT: the JS twins behind them, the
// batch forms (mean ||Re(x) - x_target||^2, its gradients against finite
// differences and against the real batch VJP on real data), and the
// argument checks.
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../src/index.js';
import {
  complexSoftIht, complexSoftIhtBatch, complexSoftIhtBatchVjp, complexSoftIhtVjp,
  complexSoftOmp, complexSoftOmpBatch, complexSoftOmpBatchVjp, complexSoftOmpVjp,
} from '../src/complex/soft.js';
import { complexSpectralNorm } from '../src/complex/solve.js';
import { Matrix } from '../src/core/matrix.js';
import { Rng } from '../src/core/random.js';
import { structuredSparse } from '../src/data/structured.js';
import { ComplexMatrix } from '../src/js/complex/cmatrix.js';
import { complexSoftIhtJs } from '../src/js/complex/softiht.js';
import { complexSoftOmpJs, complexSoftOmpVjpJs } from '../src/js/complex/softomp.js';
import { softIhtBatchVjp, softOmpBatchVjp } from '../src/soft/soft.js';
import type { ComplexSignalSet } from '../src/data/fourier.js';

beforeAll(async () => {
  await init(); // backend 'wasm' is the default
});

function fourierData(seed: number, m: number, N: number): { A: ComplexMatrix; set: ComplexSignalSet } {
  const fam = structuredSparse({ n: 32, s: 3, K: 6, m, matrix: 'fourier', sigma: 1e-2, seed });
  return { A: fam.A, set: fam.sample(N, seed + 100) };
}

const col = (Y: ComplexMatrix, b: number) => Y.data.slice(2 * b * Y.m, 2 * (b + 1) * Y.m);
const weights = (n: number, seed: number) => {
  const r = new Rng(seed);
  return Float64Array.from({ length: n }, () => 0.5 + r.uniform());
};

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('complexSoftOmp / complexSoftIht', () => {
  it('with backend \'js\' are the JS twins (x, status, selection, history), IHT with the default step 1/||A||^2', () => {
    const { A, set } = fourierData(1, 12, 2);
    const y = col(set.Y, 0);
    const w = weights(32, 1);
    const r = complexSoftOmp(A, y, { iterations: 3, tau: 0.05, w, history: true, backend: 'js' });
    const j = complexSoftOmpJs(A, y, w, 3, 0.05, true);
    expect(Array.from(r.x)).toEqual(Array.from(j.x));
    expect(r.status).toBe(j.status);
    expect(Array.from(r.selected)).toEqual(Array.from(j.selected));
    expect(r.history).toHaveLength(3);
    const eta = 1 / complexSpectralNorm(A) ** 2;
    const ri = complexSoftIht(A, Array.from(y), { k: 3, iterations: 5, tau: 0.05, w, backend: 'js' });
    const ji = complexSoftIhtJs(A, y, w, 3, 5, eta, 0.05);
    expect(Array.from(ri.x)).toEqual(Array.from(ji.x));
    expect(ri.history).toBeUndefined();
  });

  it('at tau = 0 with unit weights, OMP recovers a noiseless sparse signal on a partial Fourier matrix', () => {
    const fam = structuredSparse({ n: 64, s: 3, K: 6, m: 24, matrix: 'fourier', sigma: 0, seed: 3 });
    const set = fam.sample(4, 9);
    for (let b = 0; b < 4; b++) {
      const r = complexSoftOmp(fam.A, col(set.Y, b), { iterations: 3, tau: 0 });
      const re = Float64Array.from({ length: 64 }, (_, j) => r.x[2 * j]);
      expect(maxDiff(re, set.X.data.subarray(b * 64, (b + 1) * 64))).toBeLessThan(1e-10);
    }
  });

  it('with backend \'js\' the VJPs return the twins\' gradients', () => {
    const { A, set } = fourierData(2, 12, 1);
    const y = col(set.Y, 0);
    const w = weights(32, 2);
    const gx = new Rng(5).normals(64);
    const r = complexSoftOmpVjp(A, y, gx, { iterations: 3, tau: 0.05, w, backend: 'js' });
    const j = complexSoftOmpVjpJs(A, y, w, 3, 0.05, gx);
    expect(Array.from(r.gw)).toEqual(Array.from(j.gw));
    expect(Array.from(r.gy)).toEqual(Array.from(j.gy));
    expect(r.gtau).toBe(j.gtau);
    const ri = complexSoftIhtVjp(A, y, gx, { k: 3, iterations: 4, tau: 0.05, w, eta: 0.5 });
    expect(ri.gy).toHaveLength(24);
    expect(ri.status).toBe('converged');
  });
});

describe('batched forms', () => {
  for (const kind of ['omp', 'iht'] as const) {
    const opts = kind === 'omp' ? { iterations: 3, tau: 0.05 } : { k: 3, iterations: 6, eta: 0.5, tau: 0.05 };
    const batchVjp = (A: ComplexMatrix, Y: ComplexMatrix, X: Matrix, o: object) =>
      kind === 'omp' ? complexSoftOmpBatchVjp(A, Y, X, o as never) : complexSoftIhtBatchVjp(A, Y, X, o as never);

    it(`${kind}: forward batch = per-sample solves; batch loss = mean ||Re(x) - x||^2`, () => {
      const { A, set } = fourierData(4, 14, 5);
      const w = weights(32, 4);
      const fb = kind === 'omp' ? complexSoftOmpBatch(A, set.Y, { ...opts, w }) : complexSoftIhtBatch(A, set.Y, { ...opts, w } as never);
      let loss = 0;
      for (let b = 0; b < 5; b++) {
        const one = kind === 'omp' ? complexSoftOmp(A, col(set.Y, b), { ...opts, w }) : complexSoftIht(A, col(set.Y, b), { ...(opts as { k: number; iterations: number; tau: number }), w });
        expect(Array.from(fb.X.data.subarray(2 * b * 32, 2 * (b + 1) * 32))).toEqual(Array.from(one.x));
        for (let j = 0; j < 32; j++) loss += (one.x[2 * j] - set.X.data[b * 32 + j]) ** 2;
      }
      const g = batchVjp(A, set.Y, set.X, { ...opts, w, gradY: true });
      expect(g.loss).toBeCloseTo(loss / 5, 14);
      expect(g.gY!.m).toBe(14);
      expect(g.status.every((s) => s === 'converged')).toBe(true);
    });

    it(`${kind}: batch gradients in w and tau = central finite differences of the batch loss`, () => {
      const { A, set } = fourierData(5, 14, 4);
      const w = weights(32, 5);
      const tau = 0.05;
      const g = batchVjp(A, set.Y, set.X, { ...opts, w, tau });
      const loss = (ww: Float64Array, tt: number) => batchVjp(A, set.Y, set.X, { ...opts, w: ww, tau: tt }).loss;
      const h = 1e-6;
      const scale = Math.max(...Array.from(g.gw, Math.abs), 1e-3);
      for (let j = 0; j < 32; j++) {
        const wp = w.slice();
        const wm = w.slice();
        wp[j] += h;
        wm[j] -= h;
        expect(Math.abs((loss(wp, tau) - loss(wm, tau)) / (2 * h) - g.gw[j]), `gw[${j}]`).toBeLessThan(2e-5 * scale);
      }
      const ht = 1e-6 * tau;
      expect(Math.abs((loss(w, tau + ht) - loss(w, tau - ht)) / (2 * ht) - g.gtau) * tau).toBeLessThan(2e-5 * Math.max(scale, Math.abs(g.gtau * tau)));
    });

    it(`${kind}: on real data the batch VJP is the real one (loss, gw, gtau to 1e-12)`, () => {
      const r = new Rng(7);
      const [m, n, N] = [10, 24, 3];
      const d = r.normals(m * n);
      const Ar = new Matrix(m, n, d);
      const Ac = ComplexMatrix.fromReal(m, n, d);
      const X = new Matrix(n, N, Float64Array.from({ length: n * N }, (_, i) => (i % 7 === 0 ? r.normal() : 0)));
      const Y = new Matrix(m, N);
      for (let b = 0; b < N; b++) for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) Y.data[b * m + i] += d[i + j * m] * X.data[b * n + j];
      const Yc = ComplexMatrix.fromReal(m, N, Y.data);
      const w = weights(n, 7);
      const o = { ...opts, eta: kind === 'iht' ? 0.05 : undefined, w, backend: 'js' as const };
      const real = kind === 'omp' ? softOmpBatchVjp(Ar, Y, X, { iterations: 3, tau: 0.05, w, backend: 'js' }) : softIhtBatchVjp(Ar, Y, X, o as never);
      const cplx = batchVjp(Ac, Yc, X, kind === 'omp' ? { iterations: 3, tau: 0.05, w } : o);
      expect(Math.abs(cplx.loss - real.loss)).toBeLessThan(1e-12);
      expect(maxDiff(cplx.gw, real.gw)).toBeLessThan(1e-12 * Math.max(1, ...Array.from(real.gw, Math.abs)));
      expect(Math.abs(cplx.gtau - real.gtau)).toBeLessThan(1e-12 * Math.max(1, Math.abs(real.gtau)));
    });
  }
});

describe('argument checks', () => {
  const { A, set } = fourierData(6, 8, 2);
  const y = col(set.Y, 0);
  it('A, y, gx: type, length, NaN in either part named', () => {
    expect(() => complexSoftOmp(new Matrix(8, 32) as never, y, { iterations: 2, tau: 0.1 })).toThrow(new TypeError('complexSoftOmp: A must be a ComplexMatrix (m x n, interleaved re/im, column-major; e.g. fourierMatrix(n, rows)), received an object (Matrix)'));
    expect(() => complexSoftOmp(A, y.slice(0, 8), { iterations: 2, tau: 0.1 })).toThrow(/^complexSoftOmp: y must have length 16 \(8 complex values/);
    const bad = y.slice();
    bad[5] = NaN;
    expect(() => complexSoftIht(A, bad, { k: 2, iterations: 2, tau: 0.1 })).toThrow(new RangeError('complexSoftIht: y[5] (the imaginary part of element 2) must be finite, received NaN'));
    bad[5] = 0;
    bad[4] = Infinity;
    expect(() => complexSoftOmpVjp(A, bad, new Float64Array(64), { iterations: 2, tau: 0.1 })).toThrow(/^complexSoftOmpVjp: y\[4\] \(the real part of element 2\) must be finite/);
    const gx = new Float64Array(64);
    gx[63] = NaN;
    expect(() => complexSoftIhtVjp(A, y, gx, { k: 2, iterations: 2, tau: 0.1 })).toThrow(/^complexSoftIhtVjp: gx\[63\] \(the imaginary part of element 31\) must be finite, received NaN/);
    expect(() => complexSoftOmpVjp(A, y, new Float64Array(32), { iterations: 2, tau: 0.1 })).toThrow(/^complexSoftOmpVjp: gx must have length 64/);
    const A2 = new ComplexMatrix(8, 32, A.data);
    A2.data[3] = NaN;
    expect(() => complexSoftOmp(A2, y, { iterations: 2, tau: 0.1 })).toThrow(/^complexSoftOmp: A\.data\[3\] \(the imaginary part of element 1\) must be finite/);
    expect(() => complexSoftOmp(A, y.map((v) => v * 1e40), { iterations: 2, tau: 0.1 })).toThrow(/^complexSoftOmp: y must have its largest real or imaginary part in/);
  });

  it('options: iterations, tau, w, k, eta, backend', () => {
    expect(() => complexSoftOmp(A, y, undefined as never)).toThrow(TypeError);
    expect(() => complexSoftOmp(A, y, { iterations: 9, tau: 0.1 })).toThrow(new RangeError('complexSoftOmp: iterations must be an integer in [1, 8], received 9'));
    expect(() => complexSoftOmp(A, y, { iterations: 2, tau: -1 })).toThrow(/^complexSoftOmp: tau must be 0 \(hard selection\) or a finite number >= 1e-100, received -1/);
    expect(() => complexSoftOmp(A, y, { iterations: 2, tau: NaN })).toThrow(RangeError);
    expect(() => complexSoftOmp(A, y, { iterations: 2, tau: '1' as never })).toThrow(TypeError);
    expect(() => complexSoftOmp(A, y, { iterations: 2, tau: 0.1, w: new Float64Array(31) })).toThrow(new RangeError('complexSoftOmp: w must have length 32 (the columns of A), received length 31'));
    expect(() => complexSoftOmp(A, y, { iterations: 2, tau: 0.1, w: [NaN, ...new Array(31).fill(1)] })).toThrow(/^complexSoftOmp: w\[0\] must be finite/);
    expect(() => complexSoftOmp(A, y, { iterations: 2, tau: 0.1, k: 3 } as never)).toThrow(/^complexSoftOmp: k must be undefined/);
    expect(() => complexSoftIht(A, y, { iterations: 2, tau: 0.1 } as never)).toThrow(/^complexSoftIht: k must be an integer in \[1, 32\], received undefined/);
    expect(() => complexSoftIht(A, y, { k: 2, iterations: 2, tau: 0.1, eta: 0 })).toThrow(/^complexSoftIht: eta must be a finite number in \(0,/);
    expect(() => complexSoftIht(A, y, { k: 2, iterations: 2, tau: 0.1, backend: 'gpu' as never })).toThrow(new RangeError("complexSoftIht: backend must be one of 'wasm', 'js', received \"gpu\""));
  });

  it('batches: Y and xTarget shapes and entries', () => {
    const o = { iterations: 2, tau: 0.1 };
    expect(() => complexSoftOmpBatch(A, new ComplexMatrix(7, 2), o)).toThrow(new RangeError('complexSoftOmpBatch: Y must have 8 rows (the rows of A), received 7 x 2'));
    expect(() => complexSoftOmpBatch(A, [], o)).toThrow(/^complexSoftOmpBatch: Y must not be empty/);
    expect(() => complexSoftOmpBatch(A, set.Y.data as never, o)).toThrow(TypeError);
    const Yb = new ComplexMatrix(8, 2, set.Y.data);
    Yb.data[17] = NaN;
    expect(() => complexSoftOmpBatch(A, Yb, o)).toThrow(/^complexSoftOmpBatch: Y\[:, 1\]\[1\] \(the imaginary part of element 0\) must be finite/);
    expect(() => complexSoftOmpBatchVjp(A, set.Y, new Matrix(32, 3), o)).toThrow(new RangeError('complexSoftOmpBatchVjp: xTarget must have as many samples as Y (2), received 3'));
    expect(() => complexSoftIhtBatchVjp(A, set.Y, new Matrix(31, 2), { k: 2, ...o })).toThrow(/^complexSoftIhtBatchVjp: xTarget must have 32 rows/);
    expect(() => complexSoftOmpBatchVjp(A, set.Y, [new Float64Array(32), [1, 2]], o)).toThrow(/^complexSoftOmpBatchVjp: xTarget\[1\] must have length 32/);
    const Xb = new Matrix(32, 2);
    Xb.data[40] = NaN;
    expect(() => complexSoftOmpBatchVjp(A, set.Y, Xb, o)).toThrow(/^complexSoftOmpBatchVjp: xTarget\[:, 1\]\[8\] must be finite/);
  });
});

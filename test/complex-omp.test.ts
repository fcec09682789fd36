// Complex OMP (JS twin) against the committed NumPy reference
// (scripts/make_complex_omp_fixture.py), and against the real twin on real data.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../src/core/matrix.js';
import { Rng } from '../src/core/random.js';
import { fourierMatrix } from '../src/data/fourier.js';
import { ComplexMatrix } from '../src/js/complex/cmatrix.js';
import { complexOmpJs } from '../src/js/complex/omp.js';
import { ComplexHouseholderQR } from '../src/js/complex/qr.js';
import { ompJs } from '../src/js/omp.js';

interface Problem {
  name: string; kind: 'gaussian' | 'fourier'; m: number; n: number; k: number; sigma: number; real_x: boolean;
  rows?: number[]; A: string; y: string; x_true: string; order: number[]; support: number[]; coef: string;
  residual_norm: number; min_margin: number;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/complex_omp.json', import.meta.url), 'utf8')) as { problems: Problem[] };

function f64(b64: string): Float64Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float64Array(buf.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = buf.readDoubleLE(8 * i);
  return out;
}

describe('complexOmpJs against the NumPy reference', () => {
  it('the fixture has Gaussian and partial Fourier problems, noiseless and noisy, both fits', () => {
    const ps = fixture.problems;
    expect(ps.some((p) => p.kind === 'gaussian' && p.sigma === 0)).toBe(true);
    expect(ps.some((p) => p.kind === 'gaussian' && p.sigma > 0)).toBe(true);
    expect(ps.some((p) => p.kind === 'fourier' && p.real_x && p.sigma > 0)).toBe(true);
    expect(ps.some((p) => p.kind === 'fourier' && !p.real_x && p.sigma === 0)).toBe(true);
  });

  for (const p of fixture.problems) {
    it(p.name, () => {
      const A = new ComplexMatrix(p.m, p.n, f64(p.A));
      const y = f64(p.y);
      const res = complexOmpJs(A, y, { k: p.k, tol: 0, realX: p.real_x });
      expect(Array.from(res.support)).toEqual(p.support);
      expect(res.iterations).toBe(p.k);
      const coef = f64(p.coef);
      const scale = Math.max(1, ...Array.from(coef, Math.abs));
      const got: number[] = [];
      p.support.forEach((j) => {
        if (p.real_x) got.push(res.x[j]);
        else got.push(res.x[2 * j], res.x[2 * j + 1]);
      });
      expect(res.x.length).toBe(p.real_x ? p.n : 2 * p.n);
      for (let t = 0; t < coef.length; t++) expect(Math.abs(got[t] - coef[t])).toBeLessThanOrEqual(1e-10 * scale);
      expect(Math.abs(res.residualNorm - p.residual_norm)).toBeLessThanOrEqual(1e-10 * Math.max(1, p.residual_norm));
      // x is zero off the support
      const on = new Set(p.support);
      for (let j = 0; j < p.n; j++) {
        if (on.has(j)) continue;
        if (p.real_x) expect(res.x[j]).toBe(0);
        else expect([res.x[2 * j], res.x[2 * j + 1]]).toEqual([0, 0]);
      }
    });
  }

  it('fourierMatrix(n, rows) equals the reference partial Fourier matrices to 1e-15', () => {
    for (const p of fixture.problems.filter((q) => q.kind === 'fourier')) {
      const A = fourierMatrix(p.n, p.rows!);
      const ref = f64(p.A);
      expect(A.data.length).toBe(ref.length);
      let worst = 0;
      for (let t = 0; t < ref.length; t++) worst = Math.max(worst, Math.abs(A.data[t] - ref[t]));
      expect(worst).toBeLessThan(1e-15);
    }
  });
});

function realProblem(seed: number, m: number, n: number, s: number): { A: Matrix; y: Float64Array } {
  const rng = new Rng(seed);
  const A = new Matrix(m, n, rng.normals(m * n));
  const x = new Float64Array(n);
  for (const j of rng.sample(n, s)) x[j] = rng.normal();
  const y = new Float64Array(m);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) y[i] += A.data[i + j * m] * x[j];
  for (let i = 0; i < m; i++) y[i] += 0.05 * rng.normal();
  return { A, y };
}

const asComplex = (v: Float64Array) => {
  const out = new Float64Array(2 * v.length);
  v.forEach((e, i) => (out[2 * i] = e));
  return out;
};

describe('complexOmpJs on real data (zero imaginary parts)', () => {
  it('reproduces the real twin ompJs bit for bit: support, x, residual norm, status', () => {
    for (const [seed, m, n, s, k] of [[1, 20, 50, 4, 6], [2, 40, 100, 8, 12], [3, 10, 30, 3, 10], [4, 64, 64, 20, 30]]) {
      const { A, y } = realProblem(seed, m, n, s);
      const real = ompJs(A, y, { k, tol: 1e-6 });
      const cplx = complexOmpJs(ComplexMatrix.fromReal(m, n, A.data), asComplex(y), { k, tol: 1e-6 });
      expect(Array.from(cplx.support)).toEqual(Array.from(real.support));
      expect(cplx.status).toBe(real.status);
      expect(cplx.iterations).toBe(real.iterations);
      expect(cplx.residualNorm).toBe(real.residualNorm);
      for (let j = 0; j < n; j++) {
        expect(cplx.x[2 * j]).toBe(real.x[j]);
        expect(Math.abs(cplx.x[2 * j + 1])).toBe(0); // +0 or -0
      }
    }
  });

  it('with realX on real data gives the real twin\'s support and x to 1e-12', () => {
    const { A, y } = realProblem(5, 30, 70, 5);
    const real = ompJs(A, y, { k: 8, tol: 0 });
    const cplx = complexOmpJs(ComplexMatrix.fromReal(30, 70, A.data), asComplex(y), { k: 8, tol: 0, realX: true });
    expect(Array.from(cplx.support)).toEqual(Array.from(real.support));
    for (let j = 0; j < 70; j++) expect(Math.abs(cplx.x[j] - real.x[j])).toBeLessThan(1e-12);
  });
});

describe('ComplexHouseholderQR', () => {
  it('solves a complex least-squares problem: residual orthogonal to the columns, R z = Q^H y', () => {
    const rng = new Rng(9);
    const m = 12;
    const t = 5;
    const cols = Array.from({ length: t }, () => rng.normals(2 * m));
    const y = rng.normals(2 * m);
    const qr = new ComplexHouseholderQR(m, t, y);
    for (const c of cols) {
      let nn = 0;
      for (const v of c) nn += v * v;
      expect(qr.append(c, Math.sqrt(nn))).toBe('ok');
    }
    const z = qr.solve();
    const r = new Float64Array(2 * m);
    qr.residual(r);
    // r = y - sum_j z_j c_j, computed directly
    for (let i = 0; i < m; i++) {
      let re = y[2 * i];
      let im = y[2 * i + 1];
      cols.forEach((c, j) => {
        re -= c[2 * i] * z[2 * j] - c[2 * i + 1] * z[2 * j + 1];
        im -= c[2 * i] * z[2 * j + 1] + c[2 * i + 1] * z[2 * j];
      });
      expect(Math.abs(re - r[2 * i])).toBeLessThan(1e-12);
      expect(Math.abs(im - r[2 * i + 1])).toBeLessThan(1e-12);
    }
    // c_j^H r = 0
    for (const c of cols) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < m; i++) {
        re += c[2 * i] * r[2 * i] + c[2 * i + 1] * r[2 * i + 1];
        im += c[2 * i] * r[2 * i + 1] - c[2 * i + 1] * r[2 * i];
      }
      expect(Math.hypot(re, im)).toBeLessThan(1e-12);
    }
    let rn = 0;
    for (const v of r) rn += v * v;
    expect(Math.abs(Math.sqrt(rn) - qr.residualNorm())).toBeLessThan(1e-12);
  });

  it('reports a dependent column (a complex multiple of an earlier one) and a full factor', () => {
    const m = 4;
    const a = Float64Array.from([1, 2, 0, 1, -1, 0, 3, -2]);
    const b = new Float64Array(2 * m);
    for (let i = 0; i < m; i++) { // b = (2 - 3i) a
      b[2 * i] = 2 * a[2 * i] + 3 * a[2 * i + 1];
      b[2 * i + 1] = 2 * a[2 * i + 1] - 3 * a[2 * i];
    }
    const qr = new ComplexHouseholderQR(m, 1, new Float64Array(2 * m));
    expect(qr.append(a, 4.47)).toBe('ok');
    expect(qr.append(b, 16)).toBe('full');
    const qr2 = new ComplexHouseholderQR(m, 3, new Float64Array(2 * m));
    qr2.append(a, 4.47);
    expect(qr2.append(b, 16)).toBe('dependent');
  });
});

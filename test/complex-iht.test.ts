// Complex IHT and NIHT (JS twins): exact recovery where theory guarantees it,
// the real twins reproduced on real data, and the real-x option.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../src/core/matrix.js';
import { Rng } from '../src/core/random.js';
import { fourierMatrix } from '../src/data/fourier.js';
import { ComplexMatrix, cmatVec } from '../src/js/complex/cmatrix.js';
import { chardThreshold, complexIhtJs, complexNihtJs } from '../src/js/complex/iht.js';
import { ihtJs, nihtJs } from '../src/js/iht.js';

/** Complex Gaussian A (unit columns), complex s-sparse x, y = A x. */
function complexProblem(seed: number, m: number, n: number, s: number) {
  const rng = new Rng(seed);
  const raw = rng.normals(2 * m * n);
  const A0 = new ComplexMatrix(m, n, raw);
  const norms = A0.colNorms();
  for (let j = 0; j < n; j++) for (let t = 0; t < 2 * m; t++) raw[2 * j * m + t] /= norms[j];
  const A = new ComplexMatrix(m, n, raw);
  const x = new Float64Array(2 * n);
  const supp = rng.sample(n, s);
  for (const j of supp) {
    x[2 * j] = rng.normal();
    x[2 * j + 1] = rng.normal();
  }
  const y = new Float64Array(2 * m);
  cmatVec(A.data, m, n, x, y);
  return { A, x, y, supp };
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('chardThreshold', () => {
  it('keeps the k entries of largest modulus (not of largest real part), ties to the lowest index', () => {
    const x = Float64Array.from([3, 0, 0, 2.5, 0.1, -2.5, 2, 2, 0, -3, 1, 0]); // moduli 3, 2.5, 2.5, 2.83, 3, 1
    const keep = chardThreshold(x, 3);
    expect(Array.from(keep)).toEqual([0, 3, 4]);
    expect(Array.from(x)).toEqual([3, 0, 0, 0, 0, 0, 2, 2, 0, -3, 0, 0]);
  });
});

describe('complex IHT and NIHT: exact recovery', () => {
  it('IHT recovers s-sparse complex x from a partial Fourier A with many rows (near-isometry), to 1e-9', () => {
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(seed);
      const n = 128;
      const rows = Array.from(rng.sample(n, 100), (k) => k - 63);
      const A = fourierMatrix(n, rows);
      const x = new Float64Array(2 * n);
      for (const j of rng.sample(n, 5)) {
        x[2 * j] = rng.normal();
        x[2 * j + 1] = rng.normal();
      }
      const y = new Float64Array(2 * A.m);
      cmatVec(A.data, A.m, n, x, y);
      const res = complexIhtJs(A, y, { k: 5, tol: 1e-13, maxIter: 2000, mu: 1 });
      expect(res.status).toBe('converged');
      expect(maxDiff(res.x, x)).toBeLessThan(1e-9);
      expect(res.support.length).toBe(5);
    }
  });

  it('NIHT recovers s-sparse complex x from a complex Gaussian A (m = 48, n = 128, s = 6), to 1e-9', () => {
    for (const seed of [4, 5, 6]) {
      const { A, x, y, supp } = complexProblem(seed, 48, 128, 6);
      const res = complexNihtJs(A, y, { k: 6, tol: 1e-13, maxIter: 1000 });
      expect(res.status).toBe('converged');
      expect(Array.from(res.support)).toEqual(Array.from(supp));
      expect(maxDiff(res.x, x)).toBeLessThan(1e-9);
    }
  });

  it('realX: IHT and NIHT recover a real x from partial Fourier data; the result is n reals', () => {
    const rng = new Rng(8);
    const n = 128;
    const rows = Array.from(rng.sample(n - 1, 60), (k) => k - 63);
    const A = fourierMatrix(n, rows);
    const xr = new Float64Array(n);
    for (const j of rng.sample(n, 6)) xr[j] = rng.normal();
    const xc = new Float64Array(2 * n);
    xr.forEach((v, j) => (xc[2 * j] = v));
    const y = new Float64Array(2 * A.m);
    cmatVec(A.data, A.m, n, xc, y);
    for (const res of [complexIhtJs(A, y, { k: 6, tol: 1e-13, maxIter: 3000, mu: 1, realX: true }),
      complexNihtJs(A, y, { k: 6, tol: 1e-13, maxIter: 1000, realX: true })]) {
      expect(res.x.length).toBe(n);
      expect(res.status).toBe('converged');
      expect(maxDiff(res.x, xr)).toBeLessThan(1e-9);
    }
  });

  it('realX on noisy data: the real twins run on the stacked real system [Re A; Im A] x = [Re y; Im y], to 1e-10', () => {
    const rng = new Rng(12);
    const n = 96;
    const rows = Array.from(rng.sample(n - 1, 30), (k) => k - 47);
    const A = fourierMatrix(n, rows);
    const m = A.m;
    const y = new Float64Array(2 * m);
    const xr = new Float64Array(2 * n);
    for (const j of rng.sample(n, 5)) xr[2 * j] = rng.normal();
    cmatVec(A.data, m, n, xr, y);
    for (let t = 0; t < 2 * m; t++) y[t] += 0.05 * rng.normal();
    const S = new Float64Array(2 * m * n);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < m; i++) {
        S[i + j * 2 * m] = A.data[2 * (i + j * m)];
        S[m + i + j * 2 * m] = A.data[2 * (i + j * m) + 1];
      }
    }
    const stacked = new Matrix(2 * m, n, S);
    const ys = new Float64Array(2 * m);
    for (let i = 0; i < m; i++) {
      ys[i] = y[2 * i];
      ys[m + i] = y[2 * i + 1];
    }
    const pairs = [
      [complexIhtJs(A, y, { k: 5, tol: 0, maxIter: 25, mu: 0.7, realX: true }), ihtJs(stacked, ys, { k: 5, tol: 0, maxIter: 25, mu: 0.7 })],
      [complexNihtJs(A, y, { k: 5, tol: 0, maxIter: 25, realX: true }), nihtJs(stacked, ys, { k: 5, tol: 0, maxIter: 25 })],
    ];
    for (const [c, r] of pairs) {
      expect(c.x.length).toBe(n);
      expect(Array.from(c.support)).toEqual(Array.from(r.support));
      expect(c.iterations).toBe(r.iterations);
      expect(maxDiff(c.x, r.x)).toBeLessThan(1e-10);
      expect(Math.abs(c.residualNorm - r.residualNorm)).toBeLessThan(1e-10);
    }
    // and the complex fit differs on these data (the option changes the answer)
    const free = complexNihtJs(A, y, { k: 5, tol: 0, maxIter: 25 });
    let im = 0;
    for (let j = 0; j < n; j++) im = Math.max(im, Math.abs(free.x[2 * j + 1]));
    expect(im).toBeGreaterThan(1e-3);
  });

  it('y = 0 gives x = 0; a warm start at the answer stops at once', () => {
    const { A, x, y } = complexProblem(9, 30, 60, 3);
    expect(complexIhtJs(A, new Float64Array(60), { k: 3, tol: 1e-12, maxIter: 10, mu: 1 }).x.every((v) => v === 0)).toBe(true);
    const warm = complexNihtJs(A, y, { k: 3, tol: 1e-12, maxIter: 10, x0: x });
    expect(warm.iterations).toBeLessThanOrEqual(1);
    expect(maxDiff(warm.x, x)).toBeLessThan(1e-12);
  });
});

describe('complex IHT and NIHT on real data reproduce the real twins bit for bit', () => {
  function realProblem(seed: number, m: number, n: number, s: number) {
    const rng = new Rng(seed);
    const A = new Matrix(m, n, rng.normals(m * n)).normalizeColumns();
    const x = new Float64Array(n);
    for (const j of rng.sample(n, s)) x[j] = rng.normal();
    const y = new Float64Array(m);
    for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) y[i] += A.data[i + j * m] * x[j];
    for (let i = 0; i < m; i++) y[i] += 0.01 * rng.normal();
    const x0 = new Float64Array(n);
    for (const j of rng.sample(n, s)) x0[j] = rng.normal();
    return { A, y, x0 };
  }
  const cx = (v: Float64Array) => {
    const o = new Float64Array(2 * v.length);
    v.forEach((e, i) => (o[2 * i] = e));
    return o;
  };
  const expectSame = (c: { x: Float64Array; support: Int32Array; residualNorm: number; iterations: number; status: string },
                      r: { x: Float64Array; support: Int32Array; residualNorm: number; iterations: number; status: string }) => {
    expect(c.status).toBe(r.status);
    expect(c.iterations).toBe(r.iterations);
    expect(Array.from(c.support)).toEqual(Array.from(r.support));
    expect(c.residualNorm).toBe(r.residualNorm);
    for (let j = 0; j < r.x.length; j++) {
      expect(c.x[2 * j]).toBe(r.x[j]);
      expect(Math.abs(c.x[2 * j + 1])).toBe(0);
    }
  };

  for (const [seed, m, n, s] of [[1, 30, 80, 4], [2, 50, 100, 10], [3, 20, 64, 8]]) {
    it(`seed ${seed}, ${m} x ${n}, k = ${s}: cold and warm starts`, () => {
      const { A, y, x0 } = realProblem(seed, m, n, s);
      const C = ComplexMatrix.fromReal(m, n, A.data);
      const mu = 1 / A.spectralNorm() ** 2;
      expectSame(complexIhtJs(C, cx(y), { k: s, tol: 1e-10, maxIter: 300, mu }), ihtJs(A, y, { k: s, tol: 1e-10, maxIter: 300, mu }));
      expectSame(complexIhtJs(C, cx(y), { k: s, tol: 1e-10, maxIter: 300, mu: 1, x0: cx(x0) }), ihtJs(A, y, { k: s, tol: 1e-10, maxIter: 300, mu: 1, x0 }));
      expectSame(complexNihtJs(C, cx(y), { k: s, tol: 1e-10, maxIter: 300 }), nihtJs(A, y, { k: s, tol: 1e-10, maxIter: 300 }));
      expectSame(complexNihtJs(C, cx(y), { k: s, tol: 1e-10, maxIter: 300, x0: cx(x0) }), nihtJs(A, y, { k: s, tol: 1e-10, maxIter: 300, x0 }));
      // realX on real data is the same iteration again
      const rx = complexNihtJs(C, cx(y), { k: s, tol: 1e-10, maxIter: 300, realX: true });
      const rr = nihtJs(A, y, { k: s, tol: 1e-10, maxIter: 300 });
      expect(Array.from(rx.x)).toEqual(Array.from(rr.x));
    });
  }
});

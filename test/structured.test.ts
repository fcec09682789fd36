// structuredSparse data and its matrices against independent references.
import { describe, expect, it } from 'vitest';
import { dctMatrix, gaussianMatrix, Matrix, matrixFromSpec, structuredSparse } from '../src/index.js';
import { Rng } from '../src/core/random.js';

function gram(A: Matrix, rowsSide: boolean): number[][] {
  const d = rowsSide ? A.m : A.n;
  return Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => {
    let s = 0;
    if (rowsSide) for (let j = 0; j < A.n; j++) s += A.get(a, j) * A.get(b, j);
    else for (let i = 0; i < A.m; i++) s += A.get(i, a) * A.get(i, b);
    return s;
  }));
}

describe('dctMatrix', () => {
  it('the full DCT-II (m = n) is orthogonal: A^T A = I', () => {
    for (const n of [1, 2, 7, 16, 33]) {
      const A = dctMatrix(n, Array.from({ length: n }, (_, k) => k));
      const G = gram(A, false);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) expect(Math.abs(G[a][b] - (a === b ? 1 : 0))).toBeLessThan(1e-12);
    }
  });

  it('m rows: entries are sqrt(n/m) c_k cos(pi k (2j+1) / 2n) and A A^T = (n/m) I', () => {
    const n = 64;
    const rows = [0, 5, 17, 63, 40, 1];
    const A = dctMatrix(n, rows);
    rows.forEach((k, i) => {
      for (let j = 0; j < n; j++) {
        const ref = Math.sqrt(n / rows.length) * (k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n)) * Math.cos((Math.PI * k * (2 * j + 1)) / (2 * n));
        expect(Math.abs(A.get(i, j) - ref)).toBeLessThan(1e-13);
      }
    });
    const G = gram(A, true);
    for (let a = 0; a < rows.length; a++) for (let b = 0; b < rows.length; b++) expect(Math.abs(G[a][b] - (a === b ? n / rows.length : 0))).toBeLessThan(1e-12);
  });

  it('rejects bad rows', () => {
    expect(() => dctMatrix(8, [1, 8])).toThrow(/rows\[1\] must be an integer in \[0, 7\], received 8/);
    expect(() => dctMatrix(8, [2, 2])).toThrow(/distinct, received 2 twice/);
    expect(() => dctMatrix(8, [])).toThrow(RangeError);
  });
});

describe('gaussianMatrix', () => {
  it('has unit-norm columns and is seeded', () => {
    const A = gaussianMatrix(10, 30, new Rng(3));
    for (const v of A.colNorms()) expect(Math.abs(v - 1)).toBeLessThan(1e-14);
    expect(gaussianMatrix(10, 30, new Rng(3)).data).toEqual(A.data);
  });
});

describe('structuredSparse', () => {
  const fam = structuredSparse({ n: 64, s: 3, K: 8, m: 20, matrix: 'dct', sigma: 0.05, seed: 11 });

  it('supports lie in the hidden set, s nonzeros, ||x|| = 1, and every hidden index is used', () => {
    expect(fam.hidden.length).toBe(8);
    const hidden = new Set(fam.hidden);
    const used = new Set<number>();
    const { X } = fam.sample(300, 5);
    for (let b = 0; b < 300; b++) {
      const x = X.column(b);
      const nz = Array.from(x.keys()).filter((j) => x[j] !== 0);
      expect(nz.length).toBe(3);
      for (const j of nz) {
        expect(hidden.has(j)).toBe(true);
        used.add(j);
      }
      expect(Math.abs(Math.hypot(...x) - 1)).toBeLessThan(1e-14);
    }
    expect(used.size).toBe(8);
  });

  it('y = A x + e with E||e||^2 = sigma^2', () => {
    const N = 2000;
    const { Y, X } = fam.sample(N, 6);
    let s2 = 0;
    for (let b = 0; b < N; b++) {
      const x = X.column(b);
      for (let i = 0; i < fam.A.m; i++) {
        let ax = 0;
        for (let j = 0; j < fam.A.n; j++) ax += fam.A.get(i, j) * x[j];
        s2 += (Y.get(i, b) - ax) ** 2;
      }
    }
    // the mean of N chi^2_m / m variables: relative sd sqrt(2 / (m N)) = 0.7%
    expect(s2 / N / 0.05 ** 2).toBeGreaterThan(0.96);
    expect(s2 / N / 0.05 ** 2).toBeLessThan(1.04);
  });

  it('is deterministic, and a longer sample from the same seed extends a shorter one', () => {
    const a = fam.sample(10, 9);
    const b = fam.sample(25, 9);
    expect(b.X.data.subarray(0, a.X.data.length)).toEqual(a.X.data);
    expect(b.Y.data.subarray(0, a.Y.data.length)).toEqual(a.Y.data);
    const again = structuredSparse({ n: 64, s: 3, K: 8, m: 20, matrix: 'dct', sigma: 0.05, seed: 11 });
    expect(again.A.data).toEqual(fam.A.data);
    expect(again.hidden).toEqual(fam.hidden);
    expect(matrixFromSpec(fam.spec).data).toEqual(fam.A.data);
  });

  it('Gaussian and given matrices', () => {
    const g = structuredSparse({ n: 40, s: 2, K: 5, m: 10, matrix: 'gaussian', seed: 2 });
    for (const v of g.A.colNorms()) expect(Math.abs(v - 1)).toBeLessThan(1e-14);
    expect(matrixFromSpec(g.spec).data).toEqual(g.A.data);
    const given = structuredSparse({ n: 40, s: 2, K: 5, m: 10, matrix: g.A, seed: 2 });
    expect(given.A).toBe(g.A);
    expect(given.settings.matrix).toBe('given');
  });

  it('rejects bad settings, naming the argument', () => {
    expect(() => structuredSparse({ n: 64, s: 9, K: 8, m: 20, seed: 1 })).toThrow(/structuredSparse: s must be an integer in \[1, 8\], received 9/);
    expect(() => structuredSparse({ n: 64, s: 2, K: 65, m: 20, seed: 1 })).toThrow(/K must be an integer in \[1, 64\]/);
    expect(() => structuredSparse({ n: 64, s: 2, K: 8, m: 65, seed: 1 })).toThrow(/m must be an integer in \[1, 64\]/);
    expect(() => structuredSparse({ n: 64, s: 2, K: 8, m: 20, seed: 1, sigma: -1 })).toThrow(/sigma/);
    expect(() => structuredSparse({ n: 64, s: 2, K: 8, m: 20, seed: 1, matrix: 'wavelet' as never })).toThrow(/matrix must be one of 'dct', 'gaussian'/);
    expect(() => structuredSparse({ n: 64, s: 2, K: 8, m: 20, seed: 1, matrix: new Matrix(3, 3) })).toThrow(/matrix must be 20 x 64/);
    expect(() => fam.sample(0, 1)).toThrow(/N must be an integer/);
  });
});

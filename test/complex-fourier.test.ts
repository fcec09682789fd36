// fourierMatrix and structuredSparse({ matrix: 'fourier' }) against direct
// formulas and the drawing rules of the authors' code.
import { describe, expect, it } from 'vitest';
import { fourierMatrix } from '../src/data/fourier.js';
import { structuredSparse } from '../src/data/structured.js';

describe('fourierMatrix', () => {
  it('entries are exp(-2 pi i k j / n) / sqrt(m) (direct formula, no angle reduction)', () => {
    const n = 48;
    const rows = [0, 1, 5, 47, 24, 13];
    const A = fourierMatrix(n, rows);
    const m = rows.length;
    rows.forEach((k, i) => {
      for (let j = 0; j < n; j++) {
        const th = (-2 * Math.PI * k * j) / n;
        expect(Math.abs(A.data[2 * (i + j * m)] - Math.cos(th) / Math.sqrt(m))).toBeLessThan(1e-13);
        expect(Math.abs(A.data[2 * (i + j * m) + 1] - Math.sin(th) / Math.sqrt(m))).toBeLessThan(1e-13);
      }
    });
  });

  it('a negative frequency k is row k + n, exactly; scale: false gives entries of modulus 1', () => {
    const n = 30;
    const a = fourierMatrix(n, [-1, -29, 3], { scale: false });
    const b = fourierMatrix(n, [29, 1, 3], { scale: false });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    for (let t = 0; t < a.data.length; t += 2) expect(Math.abs(Math.hypot(a.data[t], a.data[t + 1]) - 1)).toBeLessThan(1e-15);
  });

  it('every column has norm 1 to rounding (within 2 ulp), and all n rows give a unitary matrix', () => {
    for (const [n, rows] of [[256, [-127, -3, 0, 5, 64, 127]], [100, Array.from({ length: 37 }, (_, i) => 2 * i - 36)]] as const) {
      const norms = fourierMatrix(n, rows).colNorms();
      for (const v of norms) expect(Math.abs(v - 1)).toBeLessThanOrEqual(2 * 2 ** -52);
    }
    const n = 12;
    const A = fourierMatrix(n, Array.from({ length: n }, (_, k) => k));
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let re = 0;
        let im = 0;
        for (let i = 0; i < n; i++) {
          const [ar, ai] = [A.data[2 * (i + a * n)], A.data[2 * (i + a * n) + 1]];
          const [br, bi] = [A.data[2 * (i + b * n)], A.data[2 * (i + b * n) + 1]];
          re += ar * br + ai * bi;
          im += ar * bi - ai * br;
        }
        expect(Math.abs(re - (a === b ? 1 : 0))).toBeLessThan(1e-14);
        expect(Math.abs(im)).toBeLessThan(1e-14);
      }
    }
  });

  it('bad arguments get an error naming fourierMatrix and the argument', () => {
    expect(() => fourierMatrix(0, [0])).toThrow(/fourierMatrix: n must be an integer/);
    expect(() => fourierMatrix(8, [])).toThrow(/fourierMatrix: rows must not be empty/);
    expect(() => fourierMatrix(8, [1, 8])).toThrow(/fourierMatrix: rows\[1\] must be an integer in \[-7, 7\], received 8/);
    expect(() => fourierMatrix(8, [1.5])).toThrow(RangeError);
    expect(() => fourierMatrix(8, [3, -5])).toThrow(/rows must be distinct modulo n = 8, received rows\[0\] = 3 and rows\[1\] = -5/);
    expect(() => fourierMatrix(8, 'abc' as unknown as number[])).toThrow(TypeError);
    expect(() => fourierMatrix(8, [1], { scale: 2 as unknown as boolean })).toThrow(/options.scale must be a boolean/);
  });
});

describe("structuredSparse({ matrix: 'fourier' })", () => {
  const paper = { n: 256, s: 10, K: 20, m: 20, matrix: 'fourier' as const, sigma: 1e-3, seed: 7 };

  it('rows: m distinct frequencies in [-n/2+1, n/2-1], sorted; A = fourierMatrix(n, rows), unit columns', () => {
    for (const seed of [1, 2, 3, 4]) {
      const fam = structuredSparse({ ...paper, seed });
      const rows = fam.spec.rows;
      expect(rows.length).toBe(20);
      for (let i = 0; i < rows.length; i++) {
        expect(rows[i]).toBeGreaterThanOrEqual(-127);
        expect(rows[i]).toBeLessThanOrEqual(127);
        if (i > 0) expect(rows[i]).toBeGreaterThan(rows[i - 1]);
      }
      expect(Array.from(fam.A.data)).toEqual(Array.from(fourierMatrix(256, rows).data));
      for (const v of fam.A.colNorms()) expect(Math.abs(v - 1)).toBeLessThanOrEqual(2 * 2 ** -52);
      expect(fam.settings.matrix).toBe('fourier');
    }
    // over many seeds the draws cover negative and positive frequencies but never n/2 = 128
    const seen = new Set<number>();
    for (let seed = 0; seed < 200; seed++) for (const k of structuredSparse({ ...paper, seed }).spec.rows) seen.add(k);
    expect(seen.has(-127) && seen.has(127) && seen.has(0)).toBe(true);
    expect(seen.has(128)).toBe(false);
  });

  it('is seeded: the same seeds give identical A, hidden set and signals; other seeds differ', () => {
    const a = structuredSparse(paper);
    const b = structuredSparse(paper);
    const c = structuredSparse({ ...paper, seed: 8 });
    expect(a.spec.rows).toEqual(b.spec.rows);
    expect(Array.from(a.hidden)).toEqual(Array.from(b.hidden));
    expect(a.spec.rows).not.toEqual(c.spec.rows);
    const sa = a.sample(16, 3);
    const sb = b.sample(16, 3);
    expect(Array.from(sa.Y.data)).toEqual(Array.from(sb.Y.data));
    expect(Array.from(sa.X.data)).toEqual(Array.from(sb.X.data));
    expect(Array.from(a.sample(16, 4).X.data)).not.toEqual(Array.from(sa.X.data));
    // a larger set from the same seed starts with the smaller one
    const big = a.sample(20, 3);
    expect(Array.from(big.Y.data.subarray(0, sa.Y.data.length))).toEqual(Array.from(sa.Y.data));
  });

  it('signals: real, s nonzeros inside the hidden set, unit norm; noiseless y = A x', () => {
    const fam = structuredSparse({ ...paper, sigma: 0 });
    const { Y, X } = fam.sample(50, 11);
    const hidden = new Set(fam.hidden);
    expect(fam.hidden.length).toBe(20);
    const { m, n } = fam.A;
    for (let b = 0; b < 50; b++) {
      let nnz = 0;
      let nrm = 0;
      for (let j = 0; j < n; j++) {
        const v = X.data[b * n + j];
        if (v !== 0) {
          nnz++;
          expect(hidden.has(j)).toBe(true);
        }
        nrm += v * v;
      }
      expect(nnz).toBe(10);
      expect(Math.abs(nrm - 1)).toBeLessThan(1e-14);
      for (let i = 0; i < m; i++) {
        let re = 0;
        let im = 0;
        for (let j = 0; j < n; j++) {
          re += fam.A.data[2 * (i + j * m)] * X.data[b * n + j];
          im += fam.A.data[2 * (i + j * m) + 1] * X.data[b * n + j];
        }
        expect(Math.abs(Y.data[2 * (b * m + i)] - re)).toBeLessThan(1e-14);
        expect(Math.abs(Y.data[2 * (b * m + i) + 1] - im)).toBeLessThan(1e-14);
      }
    }
  });

  it('noise: complex, each part of variance sigma^2 / (2m) (torch complex randn), E|e_i|^2 = sigma^2 / m', () => {
    const sigma = 0.5;
    const fam = structuredSparse({ ...paper, sigma });
    const { Y, X } = fam.sample(2000, 5);
    const { m, n } = fam.A;
    let sr = 0;
    let si = 0;
    let cnt = 0;
    for (let b = 0; b < 2000; b++) {
      for (let i = 0; i < m; i++) {
        let re = 0;
        let im = 0;
        for (let j = 0; j < n; j++) {
          const x = X.data[b * n + j];
          if (x === 0) continue;
          re += fam.A.data[2 * (i + j * m)] * x;
          im += fam.A.data[2 * (i + j * m) + 1] * x;
        }
        const er = Y.data[2 * (b * m + i)] - re;
        const ei = Y.data[2 * (b * m + i) + 1] - im;
        sr += er * er;
        si += ei * ei;
        cnt++;
      }
    }
    const unit = (sigma * sigma) / (2 * m);
    // 40000 draws per part: the relative standard error of a variance estimate is sqrt(2/40000) = 0.7%
    expect(sr / cnt / unit).toBeGreaterThan(0.96);
    expect(sr / cnt / unit).toBeLessThan(1.04);
    expect(si / cnt / unit).toBeGreaterThan(0.96);
    expect(si / cnt / unit).toBeLessThan(1.04);
  });

  it('bad options name structuredSparse and the argument', () => {
    expect(() => structuredSparse({ ...paper, n: 255 })).toThrow(/structuredSparse: n must be even/);
    expect(() => structuredSparse({ ...paper, m: 256 })).toThrow(/structuredSparse: m must be an integer in \[1, 255\]/);
    expect(() => structuredSparse({ ...paper, s: 30 })).toThrow(/structuredSparse: s must be an integer in \[1, 20\]/);
    expect(() => structuredSparse({ ...paper, sigma: NaN })).toThrow(/structuredSparse: sigma/);
    expect(() => structuredSparse({ ...paper, seed: 8 }).sample(0, 1)).toThrow(/structuredSparse.sample: N/);
  });
});

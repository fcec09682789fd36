// ComplexMatrix and the complex vector helpers: layout, norms, products, errors.
import { describe, expect, it } from 'vitest';
import { Rng } from '../src/core/random.js';
import { checkComplexVector, cmatHVec, cmatVec, cnorm2, ComplexMatrix } from '../src/js/complex/cmatrix.js';

describe('ComplexMatrix', () => {
  it('layout: entry (i, j) at data[2(i + j m)] (re), +1 (im); column(j) and fromReal agree', () => {
    // A = [[1+2i, 3-1i, 0+5i], [-2+0i, 4+4i, 6-6i]] (2 x 3)
    const A = new ComplexMatrix(2, 3, [1, 2, -2, 0, 3, -1, 4, 4, 0, 5, 6, -6]);
    expect(Array.from(A.column(1))).toEqual([3, -1, 4, 4]);
    expect(A.colNorms()[2]).toBeCloseTo(Math.sqrt(25 + 72), 14);
    const B = ComplexMatrix.fromReal(2, 3, [1, -2, 3, 4, 0, 6], [2, 0, -1, 4, 5, -6]);
    expect(Array.from(B.data)).toEqual(Array.from(A.data));
  });

  it('A x and A^H r against sums written out entry by entry; <A x, r> = <x, A^H r>', () => {
    const rng = new Rng(3);
    const m = 7;
    const n = 9; // not a multiple of 4: the blocked loop's tail runs
    const A = new ComplexMatrix(m, n, rng.normals(2 * m * n));
    const x = rng.normals(2 * n);
    x[2] = 0; x[3] = 0; // a zero entry
    const r = rng.normals(2 * m);
    const ax = new Float64Array(2 * m);
    const ahr = new Float64Array(2 * n);
    cmatVec(A.data, m, n, x, ax);
    cmatHVec(A.data, m, n, r, ahr);
    const a = (i: number, j: number) => [A.data[2 * (i + j * m)], A.data[2 * (i + j * m) + 1]];
    for (let i = 0; i < m; i++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < n; j++) {
        const [ar, ai] = a(i, j);
        re += ar * x[2 * j] - ai * x[2 * j + 1];
        im += ar * x[2 * j + 1] + ai * x[2 * j];
      }
      expect(Math.abs(ax[2 * i] - re)).toBeLessThan(1e-13);
      expect(Math.abs(ax[2 * i + 1] - im)).toBeLessThan(1e-13);
    }
    // <u, v> = sum conj(u) v
    const inner = (u: Float64Array, v: Float64Array) => {
      let re = 0;
      let im = 0;
      for (let t = 0; t < u.length; t += 2) {
        re += u[t] * v[t] + u[t + 1] * v[t + 1];
        im += u[t] * v[t + 1] - u[t + 1] * v[t];
      }
      return [re, im];
    };
    const [l1, l2] = inner(ax, r);
    const [r1, r2] = inner(x, ahr);
    expect(Math.abs(l1 - r1)).toBeLessThan(1e-12 * Math.abs(l1));
    expect(Math.abs(l2 - r2)).toBeLessThan(1e-12 * Math.max(1, Math.abs(l2)));
  });

  it('cnorm2 does not overflow or underflow', () => {
    expect(cnorm2(Float64Array.from([3e200, 4e200]))).toBeCloseTo(5e200, -186);
    expect(cnorm2(Float64Array.from([3e-200, -4e-200, 0, 0]))).toBeCloseTo(5e-200, 210);
    expect(cnorm2(Float64Array.from([1, 1, 2, 2]), 1, 1)).toBeCloseTo(Math.sqrt(8), 14);
  });

  it('bad data name the function, the argument and the part: NaN in an imaginary part, wrong length, non-numbers', () => {
    expect(() => new ComplexMatrix(2, 2, [1, 2, 3, NaN, 5, 6, 7, 8])).toThrow(/^ComplexMatrix: data\[3\] \(the imaginary part of element 1\) must be finite, received NaN$/);
    expect(() => new ComplexMatrix(2, 2, [1, 2, 3])).toThrow(/ComplexMatrix: data must have length 8 \(4 complex values, interleaved re, im\), received length 3/);
    expect(() => new ComplexMatrix(2, 2, 'x' as unknown as number[])).toThrow(TypeError);
    expect(() => new ComplexMatrix(0, 2)).toThrow(/ComplexMatrix: m must be an integer/);
    expect(() => checkComplexVector('complexOmp', 'y', [Infinity, 0], 1)).toThrow(/complexOmp: y\[0\] \(the real part of element 0\) must be finite, received Infinity/);
    expect(() => checkComplexVector('complexOmp', 'y', [1, '2'], 1)).toThrow(/complexOmp: y\[1\] \(the imaginary part of element 0\) must be a number/);
  });
});

// complexSolveBatch: every complex solver on the columns of a complex Y; column
// j is the single solve of column j, bit for bit; realX, X0, onError.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ComplexMatrix, complexCosamp, complexEls, complexFista, complexHtp, complexIht, complexNiht, complexOmp, complexOmpr, complexSea,
  complexSolveBatch, complexSp, fourierMatrix, init, Operator,
} from '../src/index.js';
import type { ComplexSolverName } from '../src/index.js';
import { Rng } from '../src/core/random.js';

const SINGLE = {
  omp: complexOmp, iht: complexIht, niht: complexNiht, htp: complexHtp, cosamp: complexCosamp, sp: complexSp,
  ompr: complexOmpr, els: complexEls, sea: complexSea, fista: complexFista,
} as const;

const m = 16;
const n = 40;
const p = 3;
const rng = new Rng(7);
const A = new ComplexMatrix(m, n, rng.normals(2 * m * n));
const Y = rng.normals(2 * m * p);

const optsOf = (name: ComplexSolverName, extra: Record<string, unknown> = {}) =>
  (name === 'fista' ? { lambdaRatio: 0.1, maxIter: 200, ...extra } : { k: 3, ...(name === 'omp' ? {} : { maxIter: 60 }), ...extra });

beforeAll(async () => {
  await init();
});

describe('complexSolveBatch', () => {
  for (const backend of ['wasm', 'js'] as const) {
    for (const name of Object.keys(SINGLE) as ComplexSolverName[]) {
      for (const realX of [false, true]) {
        it(`${name} (${backend}${realX ? ', realX' : ''}): column j is the single solve, bit for bit`, () => {
          const r = complexSolveBatch(name, A, Y, optsOf(name, { backend, realX }) as never);
          const w = realX ? n : 2 * n;
          expect(r).toMatchObject({ n, p, realX, errors: [] });
          expect(r.X.length).toBe(w * p);
          for (let j = 0; j < p; j++) {
            const s = (SINGLE[name] as (...a: unknown[]) => { x: Float64Array; support: Int32Array; residualNorm: number; iterations: number; status: string })(
              A, Y.slice(2 * j * m, 2 * (j + 1) * m), optsOf(name, { backend, realX }));
            expect(Array.from(r.X.subarray(j * w, (j + 1) * w))).toEqual(Array.from(s.x));
            expect(Array.from(r.support[j])).toEqual(Array.from(s.support));
            expect(Object.is(r.residualNorm[j], s.residualNorm)).toBe(true);
            expect(r.iterations[j]).toBe(s.iterations);
            expect(r.status[j]).toBe(s.status);
          }
        });
      }
    }
  }

  it('takes Y as a ComplexMatrix, and A as a partial Fourier operator', () => {
    const F = fourierMatrix(64, [1, 3, 5, 8, 13, 21, 30, 34, 40, 55, 60, 63]);
    const op = Operator.partialFourier(64, [1, 3, 5, 8, 13, 21, 30, 34, 40, 55, 60, 63]);
    try {
      const Yf = new ComplexMatrix(12, 2, rng.normals(2 * 12 * 2));
      const a = complexSolveBatch('omp', op, Yf, { k: 4 });
      const b = complexSolveBatch('omp', op, Yf.data, { k: 4 });
      expect(Array.from(a.X)).toEqual(Array.from(b.X));
      for (let j = 0; j < 2; j++) {
        expect(Array.from(a.X.subarray(j * 128, (j + 1) * 128))).toEqual(Array.from(complexOmp(op, Yf.column(j), { k: 4 }).x));
        expect(Array.from(a.support[j])).toEqual(Array.from(complexOmp(F, Yf.column(j), { k: 4 }).support));
      }
    } finally {
      op.dispose();
    }
  });

  it('X0 warm-starts each column (SEA: its init)', () => {
    const X0 = rng.normals(2 * n * p);
    const r = complexSolveBatch('iht', A, Y, { k: 3, maxIter: 20, X0 });
    const s = complexSolveBatch('sea', A, Y, { k: 3, maxIter: 20, X0 });
    for (let j = 0; j < p; j++) {
      const y = Y.slice(2 * j * m, 2 * (j + 1) * m);
      const x0 = X0.slice(2 * j * n, 2 * (j + 1) * n);
      expect(Array.from(r.X.subarray(2 * j * n, 2 * (j + 1) * n))).toEqual(Array.from(complexIht(A, y, { k: 3, maxIter: 20, x0 }).x));
      expect(Array.from(s.X.subarray(2 * j * n, 2 * (j + 1) * n))).toEqual(Array.from(complexSea(A, y, { k: 3, maxIter: 20, init: x0 }).x));
    }
    const X0r = rng.normals(n * p);
    const q = complexSolveBatch('htp', A, Y, { k: 3, realX: true, X0: X0r });
    expect(Array.from(q.X.subarray(n, 2 * n))).toEqual(Array.from(complexHtp(A, Y.slice(2 * m, 4 * m), { k: 3, realX: true, x0: X0r.slice(n, 2 * n) }).x));
    expect(() => complexSolveBatch('iht', A, Y, { k: 3, X0, x0: X0.slice(0, 2 * n) })).toThrow(/give x0 \(one warm start for all\) or X0/);
    expect(() => complexSolveBatch('iht', A, Y, { k: 3, X0: X0.slice(0, 4 * n) })).toThrow(/X0 must have 3 columns/);
  });

  it('onError: throw names the column and part; collect solves the others', () => {
    const bad = Y.slice();
    bad[2 * m + 5] = NaN; // imaginary part of row 2 of signal 1
    expect(() => complexSolveBatch('omp', A, bad, { k: 3 })).toThrow('complexSolveBatch: Y[2, 1] (the imaginary part of row 2 of signal 1) must be finite, received NaN');
    const r = complexSolveBatch('omp', A, bad, { k: 3, onError: 'collect' });
    expect(r.status[1]).toBe('error');
    expect(r.errors).toEqual([{ index: 1, name: 'RangeError', message: expect.stringMatching(/Y\[2, 1\]/) }]);
    expect(Number.isNaN(r.residualNorm[1])).toBe(true);
    expect(Array.from(r.X.subarray(2 * n, 4 * n)).every((v) => v === 0)).toBe(true);
    expect(Array.from(r.X.subarray(0, 2 * n))).toEqual(Array.from(complexOmp(A, Y.slice(0, 2 * m), { k: 3 }).x));
    expect(Array.from(r.X.subarray(4 * n))).toEqual(Array.from(complexOmp(A, Y.slice(4 * m), { k: 3 }).x));
  });

  it('refuses bad arguments, naming them', () => {
    expect(() => complexSolveBatch('lasso' as never, A, Y, { k: 3 })).toThrow(/name must be one of 'omp', 'iht'.*received "lasso"/);
    expect(() => complexSolveBatch('omp', {} as never, Y, { k: 3 })).toThrow(/A must be a ComplexMatrix/);
    expect(() => complexSolveBatch('omp', A, Y.subarray(1), { k: 3 })).toThrow(/Y must have a length that is a positive multiple of 2\*16/);
    expect(() => complexSolveBatch('omp', A, new ComplexMatrix(5, 2, new Float64Array(20)), { k: 3 })).toThrow(/Y must have 16 rows/);
    expect(() => complexSolveBatch('omp', A, Y, { k: 3, onError: 'skip' as never })).toThrow(/onError/);
    expect(() => complexSolveBatch('omp', A, Y, { k: 3, out: new Float64Array(2 * n) })).toThrow(/out is not supported/);
    expect(() => complexSolveBatch('omp', A, Y, { k: 99 })).toThrow(/complexOmp: k must be an integer in \[1, 16\]/);
  });
});

// FISTA for the LASSO against scikit-learn's Lasso (coordinate descent) on a
// committed fixture (scripts/make_lasso_fixture.py), and WASM against the JS twin.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fista, init, Matrix } from '../src/index.js';
import { relDiff } from './helpers.js';

interface LassoCase {
  name: string; m: number; n: number; A_f64le_colmajor: string; y: number[];
  lambda: number; lambda_ratio: number; coef: number[]; support: number[]; objective: number; well_posed: boolean;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/sklearn_lasso.json', import.meta.url), 'utf8')) as { problems: LassoCase[] };

function matrixOf(c: LassoCase): Matrix {
  const bytes = Buffer.from(c.A_f64le_colmajor, 'base64');
  const data = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return new Matrix(c.m, c.n, data);
}

function objective(A: Matrix, y: number[], x: Float64Array, lambda: number): number {
  let r2 = 0;
  for (let i = 0; i < A.m; i++) {
    let v = y[i];
    for (let j = 0; j < A.n; j++) v -= A.data[j * A.m + i] * x[j];
    r2 += v * v;
  }
  return 0.5 * r2 + lambda * x.reduce((s, v) => s + Math.abs(v), 0);
}

beforeAll(async () => {
  await init();
});

describe('fista (LASSO) against scikit-learn', () => {
  it('the fixture has well-posed problems of several shapes', () => {
    expect(fixture.problems.length).toBeGreaterThanOrEqual(6);
    expect(fixture.problems.filter((c) => c.well_posed).length).toBeGreaterThanOrEqual(6);
  });

  for (const c of fixture.problems) {
    for (const backend of ['wasm', 'js'] as const) {
      it(`${c.name} (${backend}): objective within 1e-6 of sklearn's, same support, converged`, () => {
        const A = matrixOf(c);
        const r = fista(A, c.y, { lambda: c.lambda, tol: 1e-14, maxIter: 200_000, backend });
        expect(r.status).toBe('converged');
        const obj = objective(A, c.y, r.x, c.lambda);
        expect(Math.abs(obj - c.objective) / c.objective).toBeLessThan(1e-6);
        expect(Math.abs(r.objective - obj) / obj).toBeLessThan(1e-9);
        if (c.well_posed) expect(Array.from(r.support)).toEqual(c.support);
        expect(relDiff(r.x, c.coef)).toBeLessThan(1e-4);
        // lambdaRatio gives the same problem
        const q = fista(A, c.y, { lambdaRatio: c.lambda_ratio, tol: 1e-14, maxIter: 200_000, backend });
        expect(Math.abs(q.lambda - c.lambda) / c.lambda).toBeLessThan(1e-12);
        expect(relDiff(q.x, r.x)).toBeLessThan(1e-6);
      });
    }
  }

  it('WASM equals the JS twin (same iterations and status; x to 1e-9), cold and warm started', () => {
    for (const c of fixture.problems) {
      const A = matrixOf(c);
      for (const x0 of [undefined, Float64Array.from(c.coef, (v) => v * 0.5 + 0.01)]) {
        const w = fista(A, c.y, { lambdaRatio: c.lambda_ratio, tol: 1e-10, x0 });
        const j = fista(A, c.y, { lambdaRatio: c.lambda_ratio, tol: 1e-10, x0, backend: 'js' });
        expect(w.status).toBe(j.status);
        expect(Math.abs(w.iterations - j.iterations)).toBeLessThanOrEqual(10);
        expect(relDiff(w.x, j.x)).toBeLessThan(1e-9);
      }
    }
  });

  it('closed forms: lambdaRatio 1 gives x = 0; an orthonormal A gives soft thresholding of A^T y; zero A says zeroMatrix', () => {
    const c = fixture.problems[0];
    const A = matrixOf(c);
    const z = fista(A, c.y, { lambdaRatio: 1 });
    expect(Array.from(z.x).every((v) => v === 0)).toBe(true);
    const I = new Matrix(4, 4, new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]));
    for (const backend of ['wasm', 'js'] as const) {
      const r = fista(I, [3, -0.5, 1, -2], { lambda: 1, tol: 1e-14, backend });
      expect(Array.from(r.x).map((v) => +v.toFixed(12))).toEqual([2, 0, 0, -1]);
      expect(Array.from(r.support)).toEqual([0, 3]);
      expect(fista(new Matrix(3, 2, new Float64Array(6)), [1, 2, 3], { lambda: 1, backend }).status).toBe('zeroMatrix');
    }
  });

  it('refuses bad options naming fista and the option', () => {
    const A = matrixOf(fixture.problems[0]);
    const y = fixture.problems[0].y;
    expect(() => fista(A, y, {})).toThrow(/^fista: give exactly one of lambda and lambdaRatio, received neither/);
    expect(() => fista(A, y, { lambda: 1, lambdaRatio: 0.1 })).toThrow(/received both/);
    expect(() => fista(A, y, { lambda: -1 })).toThrow(RangeError);
    expect(() => fista(A, y, { lambdaRatio: 2 })).toThrow(/^fista: lambdaRatio must be/);
    expect(() => fista(A, y, { lambdaRatio: 0.1, x0: [1, 2] })).toThrow(/^fista: x0 must have length/);
  });
});

describe('fista through the descriptor', () => {
  it('refuses k (it has no sparsity option), and fistaBatch / solveBatch give fista column by column, bit for bit', async () => {
    const { fistaBatch, solveBatch } = await import('../src/index.js');
    const c = fixture.problems[0];
    const A = matrixOf(c);
    expect(() => fista(A, c.y, { lambdaRatio: 0.1, k: 3 } as never)).toThrow(/^fista: k must be undefined/);
    expect(() => fista(A, c.y, {} as never)).toThrow(/^fista: give exactly one of lambda and lambdaRatio/);
    const y2 = c.y.map((v, i) => v * (1 + 0.1 * Math.sin(i)));
    const Y = new Matrix(c.m, 2, Float64Array.from([...c.y, ...y2]));
    const b = fistaBatch(A, Y, { lambdaRatio: 0.2 });
    const s = solveBatch('fista', A, Y, { lambdaRatio: 0.2 } as never);
    [c.y, y2].forEach((y, j) => {
      const r = fista(A, y, { lambdaRatio: 0.2 });
      expect(Array.from(b.X.subarray(j * c.n, (j + 1) * c.n))).toEqual(Array.from(r.x));
      expect(Array.from(s.X.subarray(j * c.n, (j + 1) * c.n))).toEqual(Array.from(r.x));
      expect(b.status[j]).toBe(r.status);
    });
  });
});

// Our omp against scikit-learn's orthogonal_mp on the stored fixture
// (test/fixtures/sklearn_omp.json, made by scripts/make_sklearn_fixture.py), so
// CI needs no Python. Both backends must choose sklearn's support and match its
// coefficients to 1e-8.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, omp } from '../src/index.js';

interface FixtureProblem {
  name: string;
  note: string;
  m: number;
  n: number;
  k: number;
  /** base64 of m*n float64 little-endian, column-major. */
  A_f64le_colmajor: string;
  y: number[];
  support: number[];
  coef: number[];
  order: number[];
  n_iter: number;
  sklearn_premature: boolean;
  residual_norm: number;
}

interface Fixture {
  versions: Record<string, string>;
  problems: FixtureProblem[];
}

const fixture: Fixture = JSON.parse(readFileSync(new URL('./fixtures/sklearn_omp.json', import.meta.url), 'utf8'));

/** Tolerance on each coefficient: 1e-8, relative to the coefficient when it exceeds 1. */
const COEF_TOL = 1e-8;

function decodeMatrix(p: FixtureProblem): Matrix {
  const bytes = Buffer.from(p.A_f64le_colmajor, 'base64');
  expect(bytes.length).toBe(8 * p.m * p.n);
  // copy into a fresh, aligned buffer (Buffer may sit at any offset of a pool)
  const data = new Float64Array(p.m * p.n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < data.length; i++) data[i] = dv.getFloat64(8 * i, true);
  return new Matrix(p.m, p.n, data);
}

beforeAll(async () => {
  await init();
});

describe('omp against scikit-learn orthogonal_mp (stored fixture)', () => {
  it('has about 20 problems, including coherent and early-stopping ones', () => {
    expect(fixture.problems.length).toBeGreaterThanOrEqual(18);
    expect(fixture.problems.some((p) => p.name.startsWith('blur'))).toBe(true);
    expect(fixture.problems.some((p) => p.sklearn_premature)).toBe(true);
    expect(fixture.versions.sklearn).toMatch(/^\d+\.\d+/);
  });

  it('decodes A and y exactly (the stored residual is reproduced)', () => {
    for (const p of fixture.problems) {
      const A = decodeMatrix(p);
      expect(p.y.length).toBe(p.m);
      const r = Float64Array.from(p.y);
      p.support.forEach((j, i) => {
        for (let row = 0; row < p.m; row++) r[row] -= A.get(row, j) * p.coef[i];
      });
      expect(Math.hypot(...r)).toBeCloseTo(p.residual_norm, 10);
    }
  });

  for (const backend of ['wasm', 'js'] as const) {
    it(`${backend}: same support and coefficients (1e-8) on every problem`, () => {
      for (const p of fixture.problems) {
        const A = decodeMatrix(p);
        const r = omp(A, p.y, { k: p.k, backend });
        const ctx = `${p.name} (${backend})`;
        expect(Array.from(r.support), ctx).toEqual(p.support);
        const onSupport = new Set(p.support);
        p.support.forEach((j, i) => {
          expect(Math.abs(r.x[j] - p.coef[i]), `${ctx} x[${j}]`).toBeLessThanOrEqual(COEF_TOL * Math.max(1, Math.abs(p.coef[i])));
        });
        for (let j = 0; j < p.n; j++) if (!onSupport.has(j)) expect(r.x[j], `${ctx} x[${j}]`).toBe(0);
        expect(r.iterations, ctx).toBe(p.n_iter);
        expect(Math.abs(r.residualNorm - p.residual_norm), ctx).toBeLessThanOrEqual(1e-8 * Math.max(1, p.residual_norm));
        // sklearn warns "premature" both for an exact early fit and for a
        // nonzero residual orthogonal to every atom; we call the first
        // 'converged' and the second 'premature'.
        const ynorm = Math.hypot(...p.y);
        if (!p.sklearn_premature) expect(r.status, ctx).toBe('converged');
        else expect(r.status, ctx).toBe(p.residual_norm > 1e-8 * ynorm ? 'premature' : 'converged');
      }
    });
  }
});

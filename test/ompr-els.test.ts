import { beforeAll, describe, expect, it } from 'vitest';
import { els, init, Matrix, omp, ompr, Operator } from '../src/index.js';
import { gaussianProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import { relDiff } from './helpers.js';

beforeAll(async () => {
  await init();
});

/** Least squares on the columns `cols` by Gaussian elimination on the normal equations (independent reference). */
function lsResidual(A: Matrix, y: Float64Array, cols: number[]): { r: number; z: number[] } {
  const t = cols.length;
  const G = Array.from({ length: t }, (_, i) => Array.from({ length: t + 1 }, (_, j) => {
    let s = 0;
    if (j < t) for (let r = 0; r < A.m; r++) s += A.get(r, cols[i]) * A.get(r, cols[j]);
    else for (let r = 0; r < A.m; r++) s += A.get(r, cols[i]) * y[r];
    return s;
  }));
  for (let c = 0; c < t; c++) {
    let piv = c;
    for (let r = c + 1; r < t; r++) if (Math.abs(G[r][c]) > Math.abs(G[piv][c])) piv = r;
    [G[c], G[piv]] = [G[piv], G[c]];
    for (let r = 0; r < t; r++) {
      if (r === c) continue;
      const f = G[r][c] / G[c][c];
      for (let j = c; j <= t; j++) G[r][j] -= f * G[c][j];
    }
  }
  const z = G.map((row, i) => row[t] / row[i]);
  let s = 0;
  for (let r = 0; r < A.m; r++) {
    let v = y[r];
    cols.forEach((j, i) => (v -= A.get(r, j) * z[i]));
    s += v * v;
  }
  return { r: Math.sqrt(s), z };
}

const SOLVERS = { ompr, els } as const;

describe.each(Object.keys(SOLVERS) as (keyof typeof SOLVERS)[])('%s', (name) => {
  const solve = SOLVERS[name];

  it('recovers the support of 30 seeded Gaussian problems (m=128, n=256, k=8) on both backends', () => {
    for (let s = 0; s < 30; s++) {
      const p = gaussianProblem({ m: 128, n: 256, k: 8, seed: 1000 + s });
      for (const backend of ['wasm', 'js'] as const) {
        const r = solve(p.A, p.y, { k: 8, backend });
        expect(Array.from(r.support)).toEqual(Array.from(p.support));
        expect(relDiff(r.x, p.x)).toBeLessThan(1e-10);
        expect(r.status).toBe('converged');
      }
    }
  });

  it('WASM equals JS to 1e-9 on 40 noisy problems (cold and warm starts)', () => {
    for (let s = 0; s < 40; s++) {
      const rng = new Rng(s + 50);
      const m = 20 + rng.int(60);
      const n = m + rng.int(100);
      const k = 1 + rng.int(Math.min(m, n) - 1);
      const p = gaussianProblem({ m, n, k, seed: 2000 + s, sigma: 0.1, normalize: s % 2 === 0 });
      const x0 = s % 3 === 0 ? omp(p.A, p.y, { k: Math.max(1, k >> 1) }).x : undefined;
      const w = solve(p.A, p.y, { k, x0 });
      const j = solve(p.A, p.y, { k, x0, backend: 'js' });
      expect(Array.from(w.support)).toEqual(Array.from(j.support));
      expect(relDiff(w.x, j.x)).toBeLessThan(1e-9);
      expect(Math.abs(w.residualNorm - j.residualNorm)).toBeLessThanOrEqual(1e-9 * Math.max(1, j.residualNorm));
      expect(w.status).toBe(j.status);
      expect(w.iterations).toBe(j.iterations);
    }
  });

  it('with k = n on a full-rank tall A gives the least-squares solution', () => {
    const rng = new Rng(7);
    const A = new Matrix(40, 12, rng.normals(480));
    const y = rng.normals(40);
    const ref = lsResidual(A, y, Array.from({ length: 12 }, (_, i) => i));
    for (const backend of ['wasm', 'js'] as const) {
      const r = solve(A, y, { k: 12, backend });
      expect(r.support.length).toBe(12);
      expect(relDiff(r.x, ref.z)).toBeLessThan(1e-10);
      expect(r.residualNorm).toBeCloseTo(ref.r, 10);
    }
  });

  it('keeps the support within k, honours tol and x0', () => {
    for (let s = 0; s < 10; s++) {
      const p = gaussianProblem({ m: 64, n: 128, k: 10, seed: 3000 + s, sigma: 0.05 });
      for (const backend of ['wasm', 'js'] as const) {
        const r = solve(p.A, p.y, { k: 6, backend });
        expect(r.support.length).toBeLessThanOrEqual(6);
        expect(Array.from(r.x).filter((v) => v !== 0).length).toBeLessThanOrEqual(6);
        const ynorm = Math.hypot(...p.y);
        const t = solve(p.A, p.y, { k: 40, tol: 0.3, backend });
        expect(t.residualNorm).toBeLessThanOrEqual(0.3 * ynorm);
        expect(t.support.length).toBeLessThan(40);
        // started from the true support, it stays there at once
        const w = solve(p.A, p.y, { k: 10, x0: p.x, backend });
        expect(Array.from(w.support)).toEqual(Array.from(p.support));
        expect(w.iterations).toBe(0);
      }
    }
  });

  it('survives duplicate columns with finite output, and works through an Operator', () => {
    const rng = new Rng(11);
    const m = 10;
    const base = rng.normals(m * 6);
    const data = new Float64Array(m * 8);
    data.set(base);
    data.set(base.subarray(0, m), 6 * m);
    data.set(base.subarray(m, 2 * m), 7 * m);
    const A = new Matrix(m, 8, data);
    const y = Float64Array.from({ length: m }, (_, i) => data[i] + 2 * data[m + i] + 0.01 * Math.sin(i));
    for (const backend of ['wasm', 'js'] as const) {
      const r = solve(A, y, { k: 8, backend });
      expect(r.x.every(Number.isFinite)).toBe(true);
      expect(r.support.length).toBeLessThanOrEqual(6);
      expect(r.status).toBe('premature');
    }
    const p = gaussianProblem({ m: 32, n: 64, k: 4, seed: 5 });
    const op = Operator.dense(p.A);
    expect(Array.from(solve(op, p.y, { k: 4 }).x)).toEqual(Array.from(solve(p.A, p.y, { k: 4 }).x));
    op.dispose();
  });

  it('rejects bad input naming the function and argument', () => {
    const p = gaussianProblem({ m: 16, n: 32, k: 3, seed: 1 });
    expect(() => solve(p.A, p.y, { k: 0 })).toThrow(new RegExp(`${name}: k must be an integer in \\[1, 16\\], received 0`));
    expect(() => solve(p.A, p.y, { k: 3, x0: new Float64Array(4) })).toThrow(new RegExp(`${name}: x0 must have length 32`));
    expect(() => solve(p.A, p.y.subarray(1), { k: 3 })).toThrow(new RegExp(`${name}: y must have length 16`));
  });
});

describe('ompr and els specifics', () => {
  it('ELS stops at a local optimum: no single swap lowers the least-squares residual (brute force)', () => {
    for (let s = 0; s < 8; s++) {
      const p = gaussianProblem({ m: 16, n: 30, k: 5, seed: 4000 + s, sigma: 0.5 });
      const r = els(p.A, p.y, { k: 5 });
      expect(r.status).toBe('converged');
      const S = Array.from(r.support);
      const here = lsResidual(p.A, p.y, S).r;
      expect(Math.abs(here - r.residualNorm)).toBeLessThan(1e-10);
      for (let i = 0; i < S.length; i++) {
        for (let j = 0; j < 30; j++) {
          if (S.includes(j)) continue;
          const T = S.slice();
          T[i] = j;
          expect(lsResidual(p.A, p.y, T).r).toBeGreaterThanOrEqual(here * (1 - 1e-9));
        }
      }
    }
  });

  it('ELS is at least as good as OMP started from OMP, and finds better local optima than OMP alone', () => {
    let better = 0;
    for (let s = 0; s < 20; s++) {
      const p = gaussianProblem({ m: 32, n: 64, k: 10, seed: 5000 + s, sigma: 0.3 });
      const o = omp(p.A, p.y, { k: 10 });
      const e = els(p.A, p.y, { k: 10, x0: o.x });
      expect(e.residualNorm).toBeLessThanOrEqual(o.residualNorm * (1 + 1e-12));
      if (e.residualNorm < o.residualNorm * (1 - 1e-6)) better++;
    }
    expect(better).toBeGreaterThan(5);
  });

  it('OMPR stops at a fixed point: eta |a_j^T r| <= min_i |x_i| for every j outside the support', () => {
    for (let s = 0; s < 10; s++) {
      const p = gaussianProblem({ m: 40, n: 80, k: 8, seed: 6000 + s, sigma: 0.3 });
      const eta = 0.8;
      const r = ompr(p.A, p.y, { k: 8, eta });
      expect(r.status).toBe('converged');
      const res = Float64Array.from(p.y);
      for (let j = 0; j < 80; j++) if (r.x[j] !== 0) for (let i = 0; i < 40; i++) res[i] -= p.A.get(i, j) * r.x[j];
      const inside = Math.min(...Array.from(r.support, (i) => Math.abs(r.x[i])));
      for (let j = 0; j < 80; j++) {
        if (r.support.includes(j)) continue;
        let c = 0;
        for (let i = 0; i < 40; i++) c += p.A.get(i, j) * res[i];
        expect(eta * Math.abs(c)).toBeLessThanOrEqual(inside * (1 + 1e-9));
      }
    }
    expect(() => ompr([[1, 0], [0, 1]], [1, 1], { k: 1, eta: -1 })).toThrow(/ompr: eta must be a finite number in \(0/);
  });
});

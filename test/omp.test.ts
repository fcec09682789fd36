import { beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, omp, Operator } from '../src/index.js';
import { gaussianProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import { relDiff } from './helpers.js';

beforeAll(async () => {
  await init();
});

describe('omp', () => {
  it('recovers the support of 50 seeded Gaussian problems (m=128, n=256, k=8) on both backends', () => {
    let okW = 0;
    let okJ = 0;
    for (let s = 0; s < 50; s++) {
      const p = gaussianProblem({ m: 128, n: 256, k: 8, seed: 1000 + s });
      const w = omp(p.A, p.y, { k: 8 });
      const j = omp(p.A, p.y, { k: 8, backend: 'js' });
      if (Array.from(w.support).join() === Array.from(p.support).join()) okW++;
      if (Array.from(j.support).join() === Array.from(p.support).join()) okJ++;
      expect(relDiff(w.x, p.x)).toBeLessThan(1e-10);
    }
    expect(okW).toBe(50);
    expect(okJ).toBe(50);
  });

  it('WASM equals JS to 1e-9 on 50 noisy problems', () => {
    for (let s = 0; s < 50; s++) {
      const rng = new Rng(s);
      const m = 20 + rng.int(60);
      const n = m + rng.int(100);
      const k = 1 + rng.int(Math.min(m, n) - 1);
      const p = gaussianProblem({ m, n, k, seed: 2000 + s, sigma: 0.1, normalize: s % 2 === 0 });
      const w = omp(p.A, p.y, { k });
      const j = omp(p.A, p.y, { k, backend: 'js' });
      expect(Array.from(w.support)).toEqual(Array.from(j.support));
      expect(relDiff(w.x, j.x)).toBeLessThan(1e-9);
      expect(Math.abs(w.residualNorm - j.residualNorm)).toBeLessThanOrEqual(1e-9 * Math.max(1, j.residualNorm));
      expect(w.status).toBe(j.status);
      expect(w.iterations).toBe(j.iterations);
    }
  });

  it('with k = n on a full-rank tall A gives the least-squares solution', () => {
    const rng = new Rng(7);
    const m = 40;
    const n = 12;
    const A = new Matrix(m, n, rng.normals(m * n));
    const y = rng.normals(m);
    // normal equations solved by Gaussian elimination with partial pivoting (independent reference)
    const G = Array.from({ length: n }, (_, i) => Array.from({ length: n + 1 }, (_, j) => {
      let s = 0;
      if (j < n) for (let r = 0; r < m; r++) s += A.get(r, i) * A.get(r, j);
      else for (let r = 0; r < m; r++) s += A.get(r, i) * y[r];
      return s;
    }));
    for (let c = 0; c < n; c++) {
      let piv = c;
      for (let r = c + 1; r < n; r++) if (Math.abs(G[r][c]) > Math.abs(G[piv][c])) piv = r;
      [G[c], G[piv]] = [G[piv], G[c]];
      for (let r = 0; r < n; r++) {
        if (r === c) continue;
        const f = G[r][c] / G[c][c];
        for (let j = c; j <= n; j++) G[r][j] -= f * G[c][j];
      }
    }
    const xls = Float64Array.from({ length: n }, (_, i) => G[i][n] / G[i][i]);
    for (const backend of ['wasm', 'js'] as const) {
      const r = omp(A, y, { k: n, backend });
      expect(r.support.length).toBe(n);
      expect(relDiff(r.x, xls)).toBeLessThan(1e-10);
    }
  });

  it('keeps the support within k and honours tol', () => {
    for (let s = 0; s < 20; s++) {
      const p = gaussianProblem({ m: 64, n: 128, k: 10, seed: 3000 + s, sigma: 0.05 });
      for (const backend of ['wasm', 'js'] as const) {
        const r = omp(p.A, p.y, { k: 6, backend });
        expect(r.support.length).toBeLessThanOrEqual(6);
        const nz = Array.from(r.x).filter((v) => v !== 0).length;
        expect(nz).toBeLessThanOrEqual(6);
        const ynorm = Math.hypot(...p.y);
        const t = omp(p.A, p.y, { k: 40, tol: 0.3, backend });
        expect(t.residualNorm).toBeLessThanOrEqual(0.3 * ynorm);
        // it stopped at the first iterate meeting tol: one atom fewer would not
        const u = omp(p.A, p.y, { k: t.iterations - 1, backend });
        expect(u.residualNorm).toBeGreaterThan(0.3 * ynorm);
      }
    }
  });

  it('reports premature on duplicate columns, with finite output', () => {
    const rng = new Rng(11);
    const m = 10;
    const base = rng.normals(m * 6);
    const data = new Float64Array(m * 8);
    data.set(base);
    data.set(base.subarray(0, m), 6 * m); // column 6 = column 0
    data.set(base.subarray(m, 2 * m), 7 * m); // column 7 = column 1
    const A = new Matrix(m, 8, data);
    // y in the span of columns 0 and 1 plus a bit of noise that keeps the residual away from zero
    const y = new Float64Array(m);
    for (let i = 0; i < m; i++) y[i] = data[i] + 2 * data[m + i];
    for (const backend of ['wasm', 'js'] as const) {
      const r = omp(A, y, { k: 8, backend, tol: 0 });
      expect(r.x.every(Number.isFinite)).toBe(true);
      // exact fit after 2 atoms: the residual is orthogonal to every atom, so OMP stops converged
      expect(r.status).toBe('converged');
    }
    const y2 = Float64Array.from(y, (v, i) => v + 0.01 * Math.sin(i));
    // columns [c0, c1, c0, c1]: after two atoms the rest are in their span
    const B = new Matrix(m, 4, Float64Array.from([...data.subarray(0, 2 * m), ...data.subarray(6 * m, 8 * m)]));
    for (const backend of ['wasm', 'js'] as const) {
      const r = omp(B, y2, { k: 4, backend });
      expect(r.status).toBe('premature');
      expect(r.x.every(Number.isFinite)).toBe(true);
      expect(r.support.length).toBe(2);
    }
  });

  it('gives the same answer through a resident Operator and after dispose refuses it', () => {
    const p = gaussianProblem({ m: 32, n: 64, k: 4, seed: 5 });
    const op = Operator.dense(p.A);
    const a = omp(op, p.y, { k: 4 });
    const b = omp(p.A, p.y, { k: 4 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    op.dispose();
    expect(() => omp(op, p.y, { k: 4 })).toThrow(/disposed/);
  });
});

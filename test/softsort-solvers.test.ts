import { beforeAll, describe, expect, it } from 'vitest';
import { iht, init, Matrix, omp, Operator, softIht, softIhtVjp, softOmp, softOmpVjp } from '../src/index.js';
import { gaussianProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import { relDiff as relErr } from './helpers.js';

beforeAll(async () => {
  await init();
});

function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** Independent reference IHT: x <- H_k(x + eta A^T (y - A x)) keeping the k largest |w_j u_j| (ties: lower index). */
function referenceIht(A: Matrix, y: Float64Array, w: Float64Array, k: number, L: number, eta: number): Float64Array {
  const { m, n } = A;
  let x = new Float64Array(n);
  for (let t = 0; t < L; t++) {
    const r = Float64Array.from(y);
    for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) r[i] -= A.get(i, j) * x[j];
    const u = Float64Array.from(x, (xj, j) => {
      let g = 0;
      for (let i = 0; i < m; i++) g += A.get(i, j) * r[i];
      return xj + eta * g;
    });
    const idx = Array.from({ length: n }, (_, j) => j).sort((a, b) => Math.abs(w[b] * u[b]) - Math.abs(w[a] * u[a]) || a - b);
    x = new Float64Array(n);
    for (const j of idx.slice(0, k)) x[j] = u[j];
  }
  return x;
}

const TAUS_SWEEP = [10, 1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12];

describe('Soft-OMP and Soft-IHT forward', () => {
  it('WASM equals JS (x, residual, status, selection) at tau in {0, 1e-6, 1e-2, 1} with random weights', () => {
    const rng = new Rng(31);
    for (let trial = 0; trial < 8; trial++) {
      const m = 15 + rng.int(30);
      const n = m + rng.int(60);
      const k = 1 + rng.int(Math.min(8, m - 1));
      const p = gaussianProblem({ m, n, k, seed: 300 + trial, sigma: 0.05, normalize: trial % 2 === 0 });
      const w = Float64Array.from({ length: n }, () => 0.2 + 2 * rng.uniform());
      for (const tau of [0, 1e-6, 1e-2, 1]) {
        const a = softOmp(p.A, p.y, { iterations: k, tau, w });
        const b = softOmp(p.A, p.y, { iterations: k, tau, w, backend: 'js' });
        expect(a.status).toBe(b.status);
        expect(a.iterations).toBe(b.iterations);
        expect(Array.from(a.selected)).toEqual(Array.from(b.selected));
        expect(relErr(a.x, b.x)).toBeLessThan(1e-9);
        expect(Math.abs(a.residualNorm - b.residualNorm)).toBeLessThanOrEqual(1e-9 * Math.max(1, b.residualNorm));
        const c = softIht(p.A, p.y, { k, iterations: 12, eta: 0.5, tau, w });
        const d = softIht(p.A, p.y, { k, iterations: 12, eta: 0.5, tau, w, backend: 'js' });
        expect(c.status).toBe(d.status);
        expect(Array.from(c.selected)).toEqual(Array.from(d.selected));
        expect(relErr(c.x, d.x)).toBeLessThan(1e-9);
        expect(Math.abs(c.residualNorm - d.residualNorm)).toBeLessThanOrEqual(1e-9 * Math.max(1, d.residualNorm));
      }
    }
  });

  it('hard Soft-OMP (tau = 0, w = 1) is the package omp on unit-norm columns', () => {
    for (let s = 0; s < 20; s++) {
      const p = gaussianProblem({ m: 40, n: 100, k: 6, seed: 400 + s, sigma: s % 2 ? 0.1 : 0 });
      const ref = omp(p.A, p.y, { k: 6 });
      for (const backend of ['wasm', 'js'] as const) {
        const h = softOmp(p.A, p.y, { iterations: 6, tau: 0, backend });
        expect(Array.from(h.selected).sort((a, b) => a - b)).toEqual(Array.from(ref.support));
        expect(relErr(h.x, ref.x)).toBeLessThan(1e-12);
        expect(h.residualNorm).toBeCloseTo(ref.residualNorm, 12);
      }
    }
  });

  it('hard Soft-IHT (tau = 0) is weighted IHT with step eta (independent reference)', () => {
    const rng = new Rng(41);
    for (let s = 0; s < 6; s++) {
      const p = gaussianProblem({ m: 30, n: 60, k: 4, seed: 500 + s, sigma: 0.01 });
      const w = s < 3 ? new Float64Array(60).fill(1) : Float64Array.from({ length: 60 }, () => 0.5 + rng.uniform());
      const ref = referenceIht(p.A, p.y, w, 4, 20, 0.3);
      for (const backend of ['wasm', 'js'] as const) {
        const h = softIht(p.A, p.y, { k: 4, iterations: 20, eta: 0.3, tau: 0, w, backend });
        expect(relErr(h.x, ref)).toBeLessThan(1e-12);
      }
    }
  });

  it('hard Soft-IHT (tau = 0, w = 1) is the package iht with step eta and the same iteration count', () => {
    for (let s = 0; s < 10; s++) {
      const p = gaussianProblem({ m: 60, n: 120, k: 6, seed: 550 + s, sigma: s % 2 ? 0.05 : 0 });
      const L = 5 + 5 * (s % 4);
      const ref = iht(p.A, p.y, { k: 6, mu: 0.6, maxIter: L });
      for (const backend of ['wasm', 'js'] as const) {
        const h = softIht(p.A, p.y, { k: 6, iterations: L, eta: 0.6, tau: 0, backend });
        // iht may stop at a fixed point (change <= 1e-12 relative) before L steps
        expect(relErr(h.x, ref.x)).toBeLessThan(1e-9);
        expect(Array.from(h.selected).sort((a, b) => a - b)).toEqual(Array.from(ref.support));
      }
    }
    // the default step is the package's 1/||A||_2^2, as iht's default mu
    const p = gaussianProblem({ m: 60, n: 120, k: 6, seed: 560, sigma: 0.01 });
    const d = softIht(p.A, p.y, { k: 6, iterations: 40, tau: 0 });
    expect(relErr(d.x, iht(p.A, p.y, { k: 6, maxIter: 40 }).x)).toBeLessThan(1e-9);
  });

  it('weights steer the hard selection: w_j = 0 excludes j, a large w_j picks j first', () => {
    const p = gaussianProblem({ m: 40, n: 80, k: 5, seed: 600 });
    const plain = softOmp(p.A, p.y, { iterations: 5, tau: 0 });
    const first = plain.selected[0];
    const w = new Float64Array(80).fill(1);
    w[first] = 0;
    const h = softOmp(p.A, p.y, { iterations: 5, tau: 0, w });
    expect(Array.from(h.selected)).not.toContain(first);
    const w2 = new Float64Array(80).fill(1);
    const pick = plain.selected[4] === 7 ? 8 : 7;
    w2[pick] = 1e6;
    expect(softOmp(p.A, p.y, { iterations: 5, tau: 0, w: w2 }).selected[0]).toBe(pick);
    const hi = softIht(p.A, p.y, { k: 5, iterations: 10, tau: 0, w, eta: 0.5 });
    expect(Math.abs(hi.x[first])).toBe(0);
  });

  it('Soft-OMP and Soft-IHT tend to their hard versions as tau -> 0 (gap shrinks over a tau sweep)', () => {
    for (let s = 0; s < 4; s++) {
      const p = gaussianProblem({ m: 60, n: 120, k: 6, seed: 700 + s, sigma: 0.01 });
      const ho = softOmp(p.A, p.y, { iterations: 6, tau: 0 });
      const hi = softIht(p.A, p.y, { k: 6, iterations: 20, eta: 0.6, tau: 0 });
      let prevO = Infinity;
      let prevI = Infinity;
      const gaps: string[] = [];
      for (const tau of TAUS_SWEEP) {
        const go = relErr(softOmp(p.A, p.y, { iterations: 6, tau }).x, ho.x);
        const gi = relErr(softIht(p.A, p.y, { k: 6, iterations: 20, eta: 0.6, tau }).x, hi.x);
        gaps.push(`${tau}: ${go.toExponential(1)}/${gi.toExponential(1)}`);
        expect(go).toBeLessThanOrEqual(prevO * (1 + 1e-6) + 1e-15);
        expect(gi).toBeLessThanOrEqual(prevI * (1 + 1e-6) + 1e-15);
        if (tau >= 1) {
          expect(go).toBeGreaterThan(0.1);
          expect(gi).toBeGreaterThan(0.1);
        }
        if (tau <= 1e-6) {
          expect(go).toBeLessThan(1e-12);
          expect(gi).toBeLessThan(1e-12);
        }
        prevO = go;
        prevI = gi;
      }
      if (s === 0) console.log(`gap ||x_soft - x_hard|| / ||x_hard|| (OMP/IHT) by tau: ${gaps.join(', ')}`);
    }
  });

  it('no NaN or Infinity for tau in [1e-12, 1e2] (forward and VJP, both backends)', () => {
    const rng = new Rng(51);
    const p = gaussianProblem({ m: 30, n: 70, k: 5, seed: 800, sigma: 0.1 });
    const w = Float64Array.from({ length: 70 }, () => rng.uniform() * 3);
    const gx = rng.normals(70);
    for (let e = -12; e <= 2; e += 0.5) {
      const tau = 10 ** e;
      for (const backend of ['wasm', 'js'] as const) {
        for (const r of [
          softOmpVjp(p.A, p.y, gx, { iterations: 5, tau, w, backend }),
          softIhtVjp(p.A, p.y, gx, { k: 5, iterations: 15, eta: 0.5, tau, w, backend }),
        ]) {
          expect(allFinite(r.x) && allFinite(r.gw) && allFinite(r.gy) && Number.isFinite(r.gtau) && Number.isFinite(r.residualNorm)).toBe(true);
        }
      }
    }
  });

  it('history: entry t is the iterate after t+1 iterations, and the last one is x', () => {
    const p = gaussianProblem({ m: 30, n: 60, k: 4, seed: 900, sigma: 0.01 });
    for (const backend of ['wasm', 'js'] as const) {
      const o = softOmp(p.A, p.y, { iterations: 4, tau: 1e-2, history: true, backend });
      const i = softIht(p.A, p.y, { k: 4, iterations: 6, tau: 1e-2, eta: 0.5, history: true, backend });
      expect(o.history!.length).toBe(4);
      expect(i.history!.length).toBe(6);
      expect(relErr(o.history![3], o.x)).toBe(0);
      expect(relErr(i.history![5], i.x)).toBe(0);
      expect(relErr(o.history![1], softOmp(p.A, p.y, { iterations: 2, tau: 1e-2, backend }).x)).toBeLessThan(1e-12);
      expect(relErr(i.history![2], softIht(p.A, p.y, { k: 4, iterations: 3, tau: 1e-2, eta: 0.5, backend }).x)).toBeLessThan(1e-14);
    }
  });

  it('reports a dependent column as premature and a diverging step as diverged, with finite x', () => {
    // two identical columns: after the first pick the residual is orthogonal to both, the next hard pick repeats
    const A = Matrix.fromRows([
      [1, 1, 0],
      [0, 0, 1],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    for (const backend of ['wasm', 'js'] as const) {
      // exact fit after 2 columns; the third pick repeats a column: stopped, but converged
      const r = softOmp(A, [2, 1, 0, 0], { iterations: 3, tau: 0, backend });
      expect(r.status).toBe('converged');
      expect(r.iterations).toBe(2);
      expect(Array.from(r.x)).toEqual([2, 0, 1]);
      const dep = softOmp(Matrix.fromRows([[1, 1], [0, 0], [0, 0]]), [2, 1, 0], { iterations: 2, tau: 0, backend });
      expect(dep.status).toBe('premature');
      expect(dep.iterations).toBe(1);
      expect(Array.from(dep.x)).toEqual([2, 0]);
      // the VJP runs over the iterations that ran: x_0 = y_0, so dL/dy = (gx_0, 0, 0)
      const gdep = softOmpVjp(Matrix.fromRows([[1, 1], [0, 0], [0, 0]]), [2, 1, 0], [3, 5], { iterations: 2, tau: 0, backend });
      expect(gdep.status).toBe('premature');
      expect(Array.from(gdep.gy)).toEqual([3, 0, 0]);
      const p = gaussianProblem({ m: 20, n: 40, k: 3, seed: 901 });
      const div = softIht(p.A, p.y, { k: 3, iterations: 500, eta: 1e3, tau: 1e-2, backend });
      expect(div.status).toBe('diverged');
      expect(div.iterations).toBeLessThan(500);
      expect(allFinite(div.x)).toBe(true);
      const gdiv = softIhtVjp(p.A, p.y, new Float64Array(40).fill(1), { k: 3, iterations: 500, eta: 1e3, tau: 1e-2, backend });
      expect(gdiv.status).toBe('diverged');
    }
  });

  it('accepts a resident Operator and gives the same result', () => {
    const p = gaussianProblem({ m: 30, n: 60, k: 4, seed: 902, sigma: 0.01 });
    const op = Operator.dense(p.A);
    try {
      expect(relErr(softOmp(op, p.y, { iterations: 4, tau: 0.01 }).x, softOmp(p.A, p.y, { iterations: 4, tau: 0.01 }).x)).toBe(0);
      expect(relErr(softIht(op, p.y, { k: 4, iterations: 5, tau: 0.01 }).x, softIht(p.A, p.y, { k: 4, iterations: 5, tau: 0.01 }).x)).toBe(0);
    } finally {
      op.dispose();
    }
  });

  it('rejects bad arguments before any WASM call', () => {
    const p = gaussianProblem({ m: 10, n: 20, k: 2, seed: 1 });
    const ok = { iterations: 2, tau: 0.1 };
    expect(() => softOmp(p.A, p.y, { ...ok, tau: -1 })).toThrow(/softOmp: tau must be 0 \(hard selection\) or a finite number >= 1e-100, received -1/);
    expect(() => softOmp(p.A, p.y, { ...ok, tau: NaN })).toThrow(RangeError);
    expect(() => softOmp(p.A, p.y, { ...ok, tau: Infinity })).toThrow(RangeError);
    expect(() => softOmp(p.A, p.y, { iterations: 2 } as never)).toThrow(TypeError);
    expect(() => softOmp(p.A, p.y, { ...ok, iterations: 11 })).toThrow(/iterations must be an integer in \[1, 10\], received 11/);
    expect(() => softOmp(p.A, p.y, { ...ok, w: new Float64Array(19) })).toThrow(/w must have length 20 \(the columns of A\), received length 19/);
    expect(() => softOmp(p.A, p.y, { ...ok, w: [...new Array(19).fill(1), NaN] })).toThrow(/w\[19\] must be finite/);
    expect(() => softOmp(p.A, p.y.slice(1), ok)).toThrow(/y must have length 10/);
    expect(() => softOmp(p.A, p.y, null as never)).toThrow(TypeError);
    expect(() => softIht(p.A, p.y, { ...ok, k: 21 })).toThrow(/k must be an integer in \[1, 20\], received 21/);
    expect(() => softIht(p.A, p.y, { ...ok, k: 2, eta: 0 })).toThrow(/eta must be a finite number > 0, received 0/);
    expect(() => softIht(p.A, p.y, { ...ok, k: 2, backend: 'gpu' as never })).toThrow(/backend must be one of/);
    expect(() => softOmpVjp(p.A, p.y, new Float64Array(19), ok)).toThrow(/gx must have length 20/);
    expect(() => softIhtVjp(p.A, p.y, [Infinity, ...new Array(19).fill(0)], { ...ok, k: 2 })).toThrow(/gx\[0\] must be finite/);
  });
});

// IHT, NIHT, HTP, CoSaMP and SP: recovery, WASM == JS, invariants, tol,
// dependent columns, warm starts and closed-form single steps.
import { beforeAll, describe, expect, it } from 'vitest';
import { cosamp, htp, iht, init, Matrix, niht, Operator, sp } from '../src/index.js';
import type { SolveResult, WarmStartOptions } from '../src/index.js';
import { gaussianProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import { relDiff } from './helpers.js';

type Solver = (A: Matrix | Operator, y: ArrayLike<number>, o: WarmStartOptions & { mu?: number }) => SolveResult;
const SOLVERS: Record<string, Solver> = { iht, niht, htp, cosamp, sp };
const BACKENDS = ['wasm', 'js'] as const;

beforeAll(async () => {
  await init();
});

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, t) => s + t * t, 0));
const same = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).join() === Array.from(b).join();

/** ||y - A x|| computed here, independently of the solvers. */
function residual(A: Matrix, y: Float64Array, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < A.m; i++) {
    let v = y[i];
    for (let j = 0; j < A.n; j++) v -= A.get(i, j) * x[j];
    s += v * v;
  }
  return Math.sqrt(s);
}

/** Support ascending, at most k, and exactly the nonzeros of x. */
function checkShape(r: SolveResult, n: number, k: number): void {
  expect(r.x.length).toBe(n);
  expect(r.support.length).toBeLessThanOrEqual(k);
  for (let i = 1; i < r.support.length; i++) expect(r.support[i]).toBeGreaterThan(r.support[i - 1]);
  const nz = [];
  for (let j = 0; j < n; j++) if (r.x[j] !== 0) nz.push(j);
  expect(nz).toEqual(Array.from(r.support));
  expect(r.x.every(Number.isFinite)).toBe(true);
  expect(Number.isFinite(r.residualNorm)).toBe(true);
}

describe('exact recovery, 50 seeded Gaussian problems (m=128, n=256, k=8, unit columns)', () => {
  const problems = Array.from({ length: 50 }, (_, s) => gaussianProblem({ m: 128, n: 256, k: 8, seed: 1000 + s }));
  // IHT at its default step 1/||A||^2 recovered 43 of 50 on both backends when this was written.
  const minExact: Record<string, number> = { iht: 38, niht: 50, htp: 50, cosamp: 50, sp: 50 };
  for (const [name, solve] of Object.entries(SOLVERS)) {
    it(`${name}: at least ${minExact[name]} of 50, the same problems on both backends`, () => {
      const hits: Record<string, number[]> = { wasm: [], js: [] };
      problems.forEach((p, s) => {
        for (const backend of BACKENDS) {
          const r = solve(p.A, p.y, { k: 8, backend });
          checkShape(r, 256, 8);
          if (same(r.support, p.support)) {
            hits[backend].push(s);
            expect(relDiff(r.x, p.x)).toBeLessThan(1e-8);
            expect(r.status).toBe('converged');
          }
        }
      });
      expect(hits.wasm.length).toBeGreaterThanOrEqual(minExact[name]);
      expect(hits.js).toEqual(hits.wasm);
    });
  }
});

describe('WASM equals JS on 50 seeded problems of mixed shape and noise', () => {
  // Shapes: m in [20, 80), n from m/2 to m + 100, k anywhere in [1, min(m, n)];
  // two thirds noisy. With k above the true sparsity on noiseless data the
  // extra entries fit rounding noise (|x_j| ~ 1e-16) and may be chosen
  // differently (and so HTP may cycle on one backend and repeat on the other),
  // so supports are compared on entries above 1e-9 ||x||, and supports,
  // statuses and iteration counts in full on the noisy problems.
  const cases = Array.from({ length: 50 }, (_, s) => {
    const rng = new Rng(s);
    const m = 20 + rng.int(60);
    const n = s % 5 === 0 ? m - rng.int(Math.floor(m / 2)) : m + rng.int(100);
    const kmax = Math.min(m, n);
    const k = 1 + rng.int(kmax);
    const sigma = s % 3 === 0 ? 0 : 0.1;
    const p = gaussianProblem({ m, n, k: Math.min(k, Math.max(1, Math.floor(m / 3))), seed: 2000 + s, sigma, normalize: s % 2 === 0 });
    return { p, k, sigma };
  });
  const significant = (x: Float64Array) => {
    const t = 1e-9 * norm(x);
    return Array.from(x).flatMap((v, j) => (Math.abs(v) > t ? [j] : []));
  };
  for (const [name, solve] of Object.entries(SOLVERS)) {
    it(name, () => {
      for (const { p, k, sigma } of cases) {
        const w = solve(p.A, p.y, { k });
        const j = solve(p.A, p.y, { k, backend: 'js' });
        checkShape(w, p.A.n, k);
        checkShape(j, p.A.n, k);
        expect(relDiff(w.x, j.x)).toBeLessThan(1e-9);
        expect(Math.abs(w.residualNorm - j.residualNorm)).toBeLessThanOrEqual(1e-9 * norm(p.y));
        expect(significant(w.x)).toEqual(significant(j.x));
        if (sigma > 0) {
          expect(w.status).toBe(j.status);
          expect(Array.from(w.support)).toEqual(Array.from(j.support));
          expect(w.iterations).toBe(j.iterations);
        }
        // the reported residual is ||y - A x|| of the returned x
        expect(Math.abs(w.residualNorm - residual(p.A, p.y, w.x))).toBeLessThanOrEqual(1e-10 * norm(p.y));
      }
    });
  }
});

describe('the tol stop', () => {
  for (const [name, solve] of Object.entries(SOLVERS)) {
    it(`${name}: stops at the first iterate with ||r|| <= tol ||y||`, () => {
      let early = 0;
      for (let s = 0; s < 20; s++) {
        const p = gaussianProblem({ m: 64, n: 128, k: 6, seed: 3000 + s, sigma: s % 2 ? 0.02 : 0 });
        const ynorm = norm(p.y);
        for (const backend of BACKENDS) {
          const full = solve(p.A, p.y, { k: 6, backend });
          for (const tol of [0.3, 0.01]) {
            const r = solve(p.A, p.y, { k: 6, tol, backend });
            checkShape(r, 128, 6);
            expect(r.iterations).toBeLessThanOrEqual(full.iterations);
            if (r.iterations < full.iterations) {
              // it stopped before the tol = 0 run did: the tol rule fired
              early++;
              expect(r.status).toBe('converged');
              expect(r.residualNorm).toBeLessThanOrEqual(tol * ynorm);
              // and not later than needed: one iteration fewer does not meet tol
              if (r.iterations >= 2) {
                const before = solve(p.A, p.y, { k: 6, tol, backend, maxIter: r.iterations - 1 });
                expect(before.residualNorm).toBeGreaterThan(tol * ynorm);
              }
            }
          }
        }
      }
      expect(early).toBeGreaterThanOrEqual(40);
    });
  }

  it('tol = 1 returns after the first iterate (its residual is below ||y||)', () => {
    const p = gaussianProblem({ m: 40, n: 80, k: 4, seed: 9 });
    for (const [, solve] of Object.entries(SOLVERS)) {
      for (const backend of BACKENDS) {
        const r = solve(p.A, p.y, { k: 4, tol: 1, backend });
        expect(r.status).toBe('converged');
        expect(r.iterations).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('linearly dependent columns', () => {
  // A has column 6 = column 0; y = 3 a_0 + a_1 - 2 a_2 plus noise, so a_0 and
  // its copy tie for the largest correlation and both enter the first support.
  const rng = new Rng(11);
  const m = 12;
  const n = 10;
  const data = rng.normals(m * n);
  data.copyWithin(6 * m, 0, m);
  const A = new Matrix(m, n, data);
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) y[i] = 3 * data[i] + data[m + i] - 2 * data[2 * m + i] + 0.05 * rng.normal();

  for (const name of ['htp', 'cosamp', 'sp']) {
    it(`${name}: status 'premature', finite output, the copy left out of the support`, () => {
      for (const backend of BACKENDS) {
        const r = SOLVERS[name](A, y, { k: 3, backend });
        expect(r.status).toBe('premature');
        checkShape(r, n, 3);
        expect(r.support.includes(0) && r.support.includes(6)).toBe(false);
        expect(r.residualNorm).toBeLessThan(norm(y));
      }
    });
  }

  for (const name of ['iht', 'niht']) {
    it(`${name}: no least squares, so finite output and never 'premature'`, () => {
      for (const backend of BACKENDS) {
        const r = SOLVERS[name](A, y, { k: 3, backend });
        expect(r.status).not.toBe('premature');
        checkShape(r, n, 3);
      }
    });
  }

  it('a zero column is never fitted', () => {
    const Z = new Matrix(m, n, Float64Array.from(data, (v, i) => (i >= 3 * m && i < 4 * m ? 0 : v)));
    for (const [, solve] of Object.entries(SOLVERS)) {
      for (const backend of BACKENDS) {
        const r = solve(Z, y, { k: 4, backend });
        checkShape(r, n, 4);
        expect(r.support.includes(3)).toBe(false);
      }
    }
  });
});

describe('closed forms and special inputs', () => {
  it('y = 0 gives x = 0, an empty support and converged', () => {
    const p = gaussianProblem({ m: 20, n: 30, k: 3, seed: 4 });
    for (const [, solve] of Object.entries(SOLVERS)) {
      for (const backend of BACKENDS) {
        const r = solve(p.A, new Float64Array(20), { k: 3, backend, x0: p.x });
        expect(r.x.every((v) => v === 0)).toBe(true);
        expect(r.support.length).toBe(0);
        expect(r.status).toBe('converged');
        expect(r.residualNorm).toBe(0);
      }
    }
  });

  it('one IHT step from 0 is H_k(mu A^T y)', () => {
    const p = gaussianProblem({ m: 30, n: 50, k: 4, seed: 21, sigma: 0.1 });
    const mu = 0.37;
    const g = Array.from({ length: 50 }, (_, j) => mu * p.A.column(j).reduce((s, a, i) => s + a * p.y[i], 0));
    const keep = g.map((v, j) => [Math.abs(v), j]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, 4).map((e) => e[1]);
    const expected = g.map((v, j) => (keep.includes(j) ? v : 0));
    for (const backend of BACKENDS) {
      const r = iht(p.A, p.y, { k: 4, mu, maxIter: 1, backend });
      expect(r.status).toBe('maxIter');
      expect(relDiff(r.x, expected)).toBeLessThan(1e-12);
      expect(Array.from(r.support)).toEqual(keep.sort((a, b) => a - b));
    }
  });

  it("one NIHT step from 0 uses mu = ||g_G||^2 / ||A_G g_G||^2 on G = top k of A^T y", () => {
    const p = gaussianProblem({ m: 30, n: 50, k: 4, seed: 22, sigma: 0.1 });
    const g = Array.from({ length: 50 }, (_, j) => p.A.column(j).reduce((s, a, i) => s + a * p.y[i], 0));
    const G = g.map((v, j) => [Math.abs(v), j]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, 4).map((e) => e[1]);
    const Ag = new Float64Array(30);
    for (const j of G) for (let i = 0; i < 30; i++) Ag[i] += p.A.get(i, j) * g[j];
    const mu = G.reduce((s, j) => s + g[j] ** 2, 0) / Ag.reduce((s, v) => s + v * v, 0);
    const expected = g.map((v, j) => (G.includes(j) ? mu * v : 0));
    for (const backend of BACKENDS) {
      const r = niht(p.A, p.y, { k: 4, maxIter: 1, backend });
      expect(relDiff(r.x, expected)).toBeLessThan(1e-12);
    }
  });

  // f(x) = ||y - A x||^2 / 2, evaluated directly, for the finite-difference checks below.
  const f = (A: Matrix, y: Float64Array, x: ArrayLike<number>) => residual(A, y, Float64Array.from(x)) ** 2 / 2;

  it('the IHT step is along -grad f: one step with k = n matches central finite differences', () => {
    const rng = new Rng(31);
    const A = new Matrix(8, 6, rng.normals(48));
    const y = rng.normals(8);
    const x0 = rng.normals(6);
    const mu = 0.05;
    const h = 1e-6;
    for (const backend of BACKENDS) {
      // k = n: H_k keeps everything, so x1 = x0 + mu A^T (y - A x0) = x0 - mu grad f(x0)
      const r = iht(A, y, { k: 6, mu, x0, maxIter: 1, backend });
      for (let j = 0; j < 6; j++) {
        const xp = Float64Array.from(x0);
        const xm = Float64Array.from(x0);
        xp[j] += h;
        xm[j] -= h;
        const fd = (f(A, y, xp) - f(A, y, xm)) / (2 * h);
        expect(Math.abs((x0[j] - r.x[j]) / mu - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it('the NIHT step (k = n) is the exact line minimiser of f along the gradient (central differences in t)', () => {
    const rng = new Rng(32);
    const A = new Matrix(8, 6, rng.normals(48));
    const y = rng.normals(8);
    const x0 = rng.normals(6);
    const h = 1e-6;
    for (const backend of BACKENDS) {
      const r = niht(A, y, { k: 6, x0, maxIter: 1, backend });
      // x1 = x0 + mu d with d = x1 - x0; d/dt f(x0 + t d) must vanish at t = 1
      const d = Array.from(r.x, (v, j) => v - x0[j]);
      const at = (t: number) => f(A, y, x0.map((v, j) => v + t * d[j]));
      const slope = (at(1 + h) - at(1 - h)) / (2 * h);
      const scale = (at(0 + h) - at(0 - h)) / (2 * h); // the slope at the start, for scale
      expect(scale).toBeLessThan(0);
      expect(Math.abs(slope)).toBeLessThan(1e-6 * Math.abs(scale));
    }
  });

  it('HTP and SP with k = n on a full-rank tall A give the least-squares solution; CoSaMP too', () => {
    const rng = new Rng(7);
    const m = 40;
    const n = 12;
    const A = new Matrix(m, n, rng.normals(m * n));
    const y = rng.normals(m);
    // normal equations by Gauss-Jordan elimination with partial pivoting (independent reference)
    const G = Array.from({ length: n }, (_, i) => Array.from({ length: n + 1 }, (_, j) => {
      let s = 0;
      for (let r = 0; r < m; r++) s += A.get(r, i) * (j < n ? A.get(r, j) : y[r]);
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
    for (const solve of [htp, sp, cosamp]) {
      for (const backend of BACKENDS) {
        const r = solve(A, y, { k: n, backend });
        expect(r.support.length).toBe(n);
        expect(relDiff(r.x, xls)).toBeLessThan(1e-10);
        expect(r.status).toBe('converged');
      }
    }
  });

  it('fits are least squares on their support: A_S^T r = 0 (HTP, SP)', () => {
    for (let s = 0; s < 5; s++) {
      const p = gaussianProblem({ m: 50, n: 100, k: 5, seed: 40 + s, sigma: 0.3 });
      for (const solve of [htp, sp]) {
        for (const backend of BACKENDS) {
          const r = solve(p.A, p.y, { k: 5, backend });
          const res = Float64Array.from(p.y);
          for (let j = 0; j < 100; j++) for (let i = 0; i < 50; i++) res[i] -= p.A.get(i, j) * r.x[j];
          for (const j of r.support) {
            const c = p.A.column(j).reduce((t, a, i) => t + a * res[i], 0);
            expect(Math.abs(c)).toBeLessThan(1e-12 * norm(p.y));
          }
        }
      }
    }
  });

  it('SP never increases the residual norm from one pass to the next', () => {
    for (let s = 0; s < 5; s++) {
      const p = gaussianProblem({ m: 40, n: 120, k: 10, seed: 80 + s, sigma: 0.2 });
      for (const backend of BACKENDS) {
        let last = Infinity;
        for (let t = 1; t <= 8; t++) {
          const r = sp(p.A, p.y, { k: 10, maxIter: t, backend });
          expect(r.residualNorm).toBeLessThanOrEqual(last);
          last = r.residualNorm;
        }
      }
    }
  });

  it('CoSaMP (3k > m) and SP (2k > m) cap their least-squares sets at m columns', () => {
    // Past m columns the QR would refuse the extra ones and the solver would
    // report 'premature'; with the cap, Gaussian columns are never dependent.
    for (let s = 0; s < 5; s++) {
      const p = gaussianProblem({ m: 30, n: 60, k: 5, seed: 90 + s, sigma: 0.1 });
      for (const backend of BACKENDS) {
        for (const [solve, k] of [[cosamp, 12], [cosamp, 30], [sp, 20], [sp, 30]] as const) {
          const r = solve(p.A, p.y, { k, backend });
          expect(r.status).not.toBe('premature');
          checkShape(r, 60, k);
        }
      }
    }
  });

  it('a warm start at the truth returns it at once', () => {
    const p = gaussianProblem({ m: 64, n: 128, k: 5, seed: 50 });
    for (const [, solve] of Object.entries(SOLVERS)) {
      for (const backend of BACKENDS) {
        const r = solve(p.A, p.y, { k: 5, backend, x0: p.x });
        expect(Array.from(r.support)).toEqual(Array.from(p.support));
        expect(relDiff(r.x, p.x)).toBeLessThan(1e-12);
        expect(r.iterations).toBeLessThanOrEqual(2);
        expect(r.status).toBe('converged');
      }
    }
  });

  it('a warm start with more than k nonzeros still yields a k-sparse x', () => {
    const p = gaussianProblem({ m: 64, n: 128, k: 5, seed: 51, sigma: 0.05 });
    const x0 = new Rng(3).normals(128);
    for (const [, solve] of Object.entries(SOLVERS)) {
      for (const backend of BACKENDS) {
        const r = solve(p.A, p.y, { k: 5, backend, x0, maxIter: 3 });
        checkShape(r, 128, 5);
      }
    }
  });

  it('resident Operator gives bit-identical results to a Matrix', () => {
    const p = gaussianProblem({ m: 48, n: 96, k: 4, seed: 60, sigma: 0.05 });
    const op = Operator.dense(p.A);
    try {
      for (const [, solve] of Object.entries(SOLVERS)) {
        const a = solve(op, p.y, { k: 4 });
        const b = solve(p.A, p.y, { k: 4 });
        expect(Array.from(a.x)).toEqual(Array.from(b.x));
      }
    } finally {
      op.dispose();
    }
  });

  it('mu must be a finite number > 0 (iht, htp)', () => {
    const p = gaussianProblem({ m: 10, n: 20, k: 2, seed: 1 });
    for (const [name, solve] of [['iht', iht], ['htp', htp]] as const) {
      for (const bad of [0, -1, NaN, Infinity]) {
        expect(() => solve(p.A, p.y, { k: 2, mu: bad })).toThrow(RangeError);
        expect(() => solve(p.A, p.y, { k: 2, mu: bad })).toThrow(new RegExp(`^${name}: mu must be a finite number > 0, received`));
      }
      expect(() => solve(p.A, p.y, { k: 2, mu: '1' as unknown as number })).toThrow(TypeError);
    }
  });

  it('IHT with the default step 1/||A||^2 equals IHT with that mu passed explicitly', () => {
    const p = gaussianProblem({ m: 40, n: 80, k: 4, seed: 70, sigma: 0.05 });
    const a = iht(p.A, p.y, { k: 4 });
    const s = p.A.spectralNorm();
    const b = iht(p.A, p.y, { k: 4, mu: 1 / (s * s), backend: 'js' });
    expect(relDiff(a.x, b.x)).toBeLessThan(1e-12);
    // and the spectral norm is right: ||A v|| <= s ||v|| for random v, with near equality somewhere
    const rng = new Rng(1);
    for (let t = 0; t < 5; t++) {
      const v = rng.normals(80);
      const Av = Float64Array.from({ length: 40 }, (_, i) => v.reduce((acc, vj, j) => acc + p.A.get(i, j) * vj, 0));
      expect(norm(Av)).toBeLessThanOrEqual(s * norm(v) * (1 + 1e-12));
    }
  });
});

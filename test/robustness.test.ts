// Regression tests for what the fuzzer (test/fuzz-solvers.test.ts) found, and
// the rules that fixed it: scaling by powers of two outside the safe range,
// the 'diverged' status, the column-range and scale-gap refusals, nrm2 on
// subnormal and non-finite vectors.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, iht, Matrix, niht, Operator, sea, htp, ompr, softIht, softIhtVjp, softOmp, softOmpVjp, softIhtBatchVjp } from '../src/index.js';
import { optionsFor, SolverName, SOLVERS } from '../src/solvers/registry.js';
import { gaussianProblem } from '../src/data/problems.js';
import { allocF64, free, wasm } from '../src/core/wasm.js';
import { ldexp } from '../src/core/matrix.js';

beforeAll(async () => {
  await init();
});

const BACKENDS = ['wasm', 'js'] as const;
const scaleM = (A: Matrix, e: number) => new Matrix(A.m, A.n, A.data.map((v) => ldexp(v, e)));
const scaleV = (y: Float64Array, e: number) => y.map((v) => ldexp(v, e));
const norm = (v: Float64Array) => Math.hypot(...v);

describe('nrm2 (WASM) on the vectors that broke it', () => {
  const nrm2 = (v: number[]) => {
    const p = allocF64(v);
    try {
      return wasm().nrm2(p, v.length);
    } finally {
      free(p);
    }
  };
  it('subnormal entries: finite and nonzero (1 / 5e-324 used to overflow to Infinity)', () => {
    expect(nrm2([5e-324, 5e-324])).toBeGreaterThan(0);
    expect(Number.isFinite(nrm2([5e-324, 5e-324]))).toBe(true);
    expect(nrm2([3e-310, 4e-310])).toBeCloseTo(5e-310, 320);
  });
  it('NaN anywhere gives NaN (an all-NaN vector used to give 0), an infinite entry Infinity', () => {
    expect(nrm2([NaN, NaN])).toBeNaN();
    expect(nrm2([1, NaN, 2])).toBeNaN();
    expect(nrm2([1, -Infinity, 2])).toBe(Infinity);
    expect(nrm2([1e200, 1e200])).toBeCloseTo(Math.SQRT2 * 1e200, -186);
  });
});

describe('scaling by powers of two', () => {
  const p = gaussianProblem({ m: 20, n: 40, k: 3, seed: 5, sigma: 0.01 });
  for (const name of Object.keys(SOLVERS)) {
    it(`${name}: A * 2^sa, y * 2^sy give x * 2^(sy - sa) and ||r|| * 2^sy, bit for bit, at scales from 1e-270 to 1e270`, () => {
      for (const backend of BACKENDS) {
        // (htp's default mu = 1 is in the units of A: a scaled A needs mu / 4^sa to be the same problem)
        const ref = SOLVERS[name](p.A, p.y, optionsFor(name as SolverName, 3, { backend, maxIter: 50 }));
        for (const [sa, sy] of [[500, 900], [-500, -900], [500, 0], [0, -850], [-500, 300]]) {
          const mu = name === 'htp' ? { mu: ldexp(1, -2 * sa) } : {};
          const r = SOLVERS[name](scaleM(p.A, sa), scaleV(p.y, sy), optionsFor(name as SolverName, 3, { backend, maxIter: 50, ...mu }));
          expect(Array.from(r.x)).toEqual(Array.from(scaleV(ref.x, sy - sa)));
          expect(r.residualNorm).toBe(ldexp(ref.residualNorm, sy));
          expect(r.status).toBe(ref.status);
          expect(Array.from(r.support)).toEqual(Array.from(ref.support));
        }
      }
    });
  }

  it('user step sizes scale with 2^(2 sa): iht, htp, ompr and sea on A * 2^sa with mu / 4^sa equal the unscaled runs', () => {
    for (const backend of BACKENDS) {
      for (const sa of [400, -400]) {
        const As = scaleM(p.A, sa);
        const a = iht(p.A, p.y, { k: 3, mu: 0.3, backend });
        const b = iht(As, p.y, { k: 3, mu: ldexp(0.3, -2 * sa), backend });
        expect(Array.from(b.x)).toEqual(Array.from(scaleV(a.x, -sa)));
        const c = htp(p.A, p.y, { k: 3, mu: 0.7, backend });
        const d = htp(As, p.y, { k: 3, mu: ldexp(0.7, -2 * sa), backend });
        expect(Array.from(d.x)).toEqual(Array.from(scaleV(c.x, -sa)));
        const e = ompr(p.A, p.y, { k: 3, eta: 0.5, backend });
        const f = ompr(As, p.y, { k: 3, eta: ldexp(0.5, -2 * sa), backend });
        expect(Array.from(f.x)).toEqual(Array.from(scaleV(e.x, -sa)));
        const g = sea(p.A, p.y, { k: 3, eta: 0.2, maxIter: 30, backend, history: true });
        const h = sea(As, p.y, { k: 3, eta: ldexp(0.2, -2 * sa), maxIter: 30, backend, history: true });
        expect(Array.from(h.x)).toEqual(Array.from(scaleV(g.x, -sa)));
        expect(Array.from(h.history!)).toEqual(Array.from(g.history!));
      }
    }
  });

  it('an Operator of a badly scaled A gives the same results as the Matrix, and its spectralNorm is that of A', () => {
    const As = scaleM(p.A, 800);
    const op = Operator.dense(As);
    try {
      for (const name of Object.keys(SOLVERS)) {
        const a = SOLVERS[name](As, p.y, optionsFor(name as SolverName, 3, { maxIter: 40 }));
        const b = SOLVERS[name](op, p.y, optionsFor(name as SolverName, 3, { maxIter: 40 }));
        expect(Array.from(b.x)).toEqual(Array.from(a.x));
      }
      expect(op.spectralNorm() / ldexp(p.A.spectralNorm(), 800)).toBeCloseTo(1, 5);
    } finally {
      op.dispose();
    }
  });
});

describe("status 'diverged': a step that overflows is not taken", () => {
  const p = gaussianProblem({ m: 16, n: 32, k: 2, seed: 8 });
  it('iht with mu = 1e300 (and mu = 3, which overflows after many steps) stops with the last finite iterate', () => {
    for (const backend of BACKENDS) {
      for (const mu of [1e300, 3]) {
        const r = iht(p.A, p.y, { k: 2, mu, backend, maxIter: 100000 });
        expect(r.status).toBe('diverged');
        expect(r.x.every(Number.isFinite)).toBe(true);
        expect(r.iterations).toBeLessThan(100000);
        // the residual is the returned iterate's
        const res = p.y.slice();
        for (let j = 0; j < p.A.n; j++) for (let i = 0; i < p.A.m; i++) res[i] -= p.A.get(i, j) * r.x[j];
        const rn = Math.hypot(...res.map((v) => v / r.residualNorm)) * r.residualNorm;
        expect(Math.abs(rn - r.residualNorm)).toBeLessThanOrEqual(1e-9 * r.residualNorm + 1e-300);
      }
    }
  });
  it('iht and niht with a warm start so large that A x0 overflows return x = 0 and ||y||', () => {
    const x0 = new Float64Array(p.A.n).fill(1e308);
    for (const backend of BACKENDS) {
      for (const solve of [iht, niht]) {
        const r = solve(p.A, p.y, { k: 2, x0, backend });
        expect(r.status).toBe('diverged');
        expect(r.x.every((v) => v === 0)).toBe(true);
        expect(r.residualNorm).toBeCloseTo(norm(p.y), 12);
        expect(r.iterations).toBe(0);
      }
    }
  });
  it('sea with eta = Number.MAX_VALUE returns its best (finite) iterate', () => {
    for (const backend of BACKENDS) {
      const r = sea(p.A, p.y, { k: 2, eta: Number.MAX_VALUE, backend });
      expect(['diverged', 'converged']).toContain(r.status);
      expect(r.x.every(Number.isFinite)).toBe(true);
      expect(Number.isFinite(r.residualNorm)).toBe(true);
    }
  });
});

describe('y = 0', () => {
  it('sea returns x = 0, an empty support, 0 iterations, converged (it used to return a support of k atoms)', () => {
    const p = gaussianProblem({ m: 3, n: 5, k: 1, seed: 1 });
    for (const backend of BACKENDS) {
      const r = sea(p.A, new Float64Array(3), { k: 2, backend, history: true });
      expect(r.status).toBe('converged');
      expect(r.support.length).toBe(0);
      expect(r.iterations).toBe(0);
      expect(r.x.every((v) => v === 0)).toBe(true);
      expect(r.history!.length).toBe(0);
    }
  });
});

describe('refused up front, naming the argument and the values', () => {
  const p = gaussianProblem({ m: 6, n: 9, k: 2, seed: 3 });
  for (const name of Object.keys(SOLVERS)) {
    it(`${name}: columns 2^500 apart in norm, A and y 2^960 apart in scale, ||y|| overflowing`, () => {
      const A = p.A.data.slice();
      for (let i = 0; i < 6; i++) A[i + 2 * 6] *= 1e-300;
      for (const backend of BACKENDS) {
        expect(() => SOLVERS[name](new Matrix(6, 9, A), p.y, optionsFor(name as SolverName, 2, { backend }))).toThrow(
          new RegExp(`^${name}: A: the norms of the nonzero columns of A must lie within a factor 2\\^500 .*received column 2 of norm \\S+ and column \\d+ of norm`));
        expect(() => SOLVERS[name](p.A, scaleV(p.y, 1000), optionsFor(name as SolverName, 2, { backend }))).toThrow(
          new RegExp(`^${name}: A and y must be within a factor 2\\^960 of each other in scale .*received max \\|a_ij\\| = \\S+ and max \\|y_i\\| = \\S+ \\(a factor 2\\^10\\d\\d\\)`));
        expect(() => SOLVERS[name](scaleM(p.A, 1020), new Float64Array(6).fill(1e308), optionsFor(name as SolverName, 2, { backend }))).toThrow(
          new RegExp(`^${name}: y must have a norm \\|\\|y\\|\\| below .*received entries up to 1e\\+308`));
      }
    });
  }
  it("sea: an init solver's refusal is reported as sea's, naming init", () => {
    expect(() => sea(p.A, scaleV(p.y, 1000), { k: 2, init: 'omp' })).toThrow(/^sea: A and y must be within/);
  });
});

describe('soft solvers (found by test/fuzz-soft.test.ts)', () => {
  it('a column of entries ~1e-170: omp, htp, sp fit it, softOmp stays finite (the Householder tau, 1 / alpha^2, used to overflow to Infinity, giving NaN)', () => {
    const p = gaussianProblem({ m: 6, n: 10, k: 2, seed: 4 });
    const data = scaleM(p.A, -99).data.slice(); // entries ~1e-30, the edge of the range the soft solvers take
    for (let i = 0; i < 6; i++) data[i + 3 * 6] *= 1e-140; // column 3 at ~1e-170: within 2^500 of the others
    const A = new Matrix(6, 10, data);
    const y = new Float64Array(6);
    for (let i = 0; i < 6; i++) y[i] = data[i + 3 * 6] * 1e140; // y = 1e140 a_3 (entries ~1e-30): the fit must use the tiny column
    for (const backend of BACKENDS) {
      for (const tau of [0, 1e-100]) {
        const r = softOmp(A, y, { tau, iterations: 1, backend });
        expect(r.x.every(Number.isFinite)).toBe(true);
        expect(Number.isFinite(r.residualNorm)).toBe(true);
      }
      // OMP (normalised selection) picks the tiny column and fits it exactly
      const h = SOLVERS.omp(A, y, { k: 1, backend });
      expect(Array.from(h.support)).toEqual([3]);
      expect(h.x[3] / 1e140).toBeCloseTo(1, 10);
      for (const name of ['htp', 'sp', 'cosamp']) expect(SOLVERS[name](A, y, { k: 2, backend }).x.every(Number.isFinite)).toBe(true);
    }
  });
  it('the soft solvers refuse A or y outside [2^-100, 2^100] (tau is not scale-free), naming them', () => {
    const p = gaussianProblem({ m: 6, n: 10, k: 2, seed: 4 });
    expect(() => softOmp(scaleM(p.A, -665), p.y, { tau: 0.1, iterations: 2 })).toThrow(/^softOmp: A must have its largest entry in \[2\^-100, 2\^100\] .*received max \|A\| = /);
    expect(() => softIht(p.A, scaleV(p.y, 200), { tau: 0.1, iterations: 2, k: 2 })).toThrow(/^softIht: y must have its largest entry in \[2\^-100, 2\^100\]/);
  });
  it('VJPs whose gradient overflows (eta = 1e300) return zero gradients and status diverged, never Infinity', () => {
    const p = gaussianProblem({ m: 15, n: 4, k: 1, seed: 6, normalize: false });
    const A = scaleM(p.A, 33);
    const gx = new Float64Array(4).fill(1);
    for (const backend of BACKENDS) {
      const r = softIhtVjp(A, new Float64Array(15), gx, { tau: 1e-100, iterations: 1, k: 1, eta: 1e300, backend });
      expect(r.status).toBe('diverged');
      expect(Array.from(r.gy).every((v) => v === 0) && Array.from(r.gw).every((v) => v === 0) && r.gtau === 0).toBe(true);
      const b = softIhtBatchVjp(A, [new Float64Array(15), p.y], [new Float64Array(4).fill(1), new Float64Array(4)], { tau: 1e-100, iterations: 1, k: 1, eta: 1e300, gradY: true, backend });
      expect(b.status).toEqual(['diverged', 'diverged']);
      expect(b.gw.every((v) => v === 0) && b.gY!.data.every((v) => v === 0)).toBe(true);
    }
  });
  it('soft solvers apply the column-range rule: columns 2^500 apart are refused naming A', () => {
    const p = gaussianProblem({ m: 6, n: 10, k: 2, seed: 4 });
    const data = p.A.data.slice();
    for (let i = 0; i < 6; i++) data[i] *= 1e-200;
    expect(() => softOmpVjp(new Matrix(6, 10, data), p.y, new Float64Array(10), { tau: 0.1, iterations: 2 })).toThrow(/^softOmpVjp: A: the norms of the nonzero columns of A must lie within a factor 2\^500/);
  });
});

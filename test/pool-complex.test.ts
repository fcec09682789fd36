// SolverPool.complexSolveBatch / complexSolve: complex batches split into
// chunks of columns over the workers; every column equals the in-thread
// complexSolveBatch bit for bit (X, supports, residuals, iterations,
// statuses), for a ComplexMatrix and a partial Fourier operator, with realX
// and per-column warm starts; onError and bad arguments as in-thread.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ComplexMatrix, complexIht, complexSea, complexSolveBatch, init, Operator, type ComplexBatchResult, type ComplexSolverName,
} from '../src/index.js';
import { SolverPool } from '../src/parallel/pool.js';
import { cmatVec } from '../src/js/complex/cmatrix.js';
import { COMPLEX_SOLVER_NAMES } from '../src/complex/batch.js';
import { Rng } from '../src/core/random.js';

const m = 24;
const n = 64;
const p = 7;
const k = 4;

/** p signals A x + noise with k-sparse complex x (seeded). */
function signals(apply: (x: Float64Array) => Float64Array, seed: number): Float64Array {
  const rng = new Rng(seed);
  const Y = new Float64Array(2 * m * p);
  for (let c = 0; c < p; c++) {
    const x = new Float64Array(2 * n);
    for (const j of rng.sample(n, k)) {
      x[2 * j] = rng.normal() + Math.sign(rng.normal());
      x[2 * j + 1] = rng.normal();
    }
    const y = apply(x);
    for (let t = 0; t < 2 * m; t++) y[t] += 0.01 * rng.normal();
    Y.set(y, 2 * c * m);
  }
  return Y;
}

const rng = new Rng(2024);
const A = new ComplexMatrix(m, n, rng.normals(2 * m * n));
const Y = signals((x) => {
  const out = new Float64Array(2 * m);
  cmatVec(A.data, m, n, x, out);
  return out;
}, 5);

const optsOf = (name: ComplexSolverName, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  (name === 'fista' ? { lambdaRatio: 0.1, maxIter: 200, ...extra } : { k, ...(name === 'omp' ? {} : { maxIter: 60 }), ...extra });

function expectSame(a: ComplexBatchResult, b: ComplexBatchResult): void {
  expect(a.n).toBe(b.n);
  expect(a.p).toBe(b.p);
  expect(a.realX).toBe(b.realX);
  expect(Array.from(a.X)).toEqual(Array.from(b.X));
  expect(a.status).toEqual(b.status);
  expect(Array.from(a.iterations)).toEqual(Array.from(b.iterations));
  expect(a.residualNorm.length).toBe(b.residualNorm.length);
  a.residualNorm.forEach((r, j) => expect(Object.is(r, b.residualNorm[j])).toBe(true));
  expect(a.support.length).toBe(b.support.length);
  a.support.forEach((s, j) => expect(Array.from(s)).toEqual(Array.from(b.support[j])));
}

let pool: SolverPool;
beforeAll(async () => {
  await init();
  pool = await SolverPool.create({ workers: 2 });
});
afterAll(async () => {
  await pool.terminate();
});

describe('SolverPool.complexSolveBatch', () => {
  for (const name of COMPLEX_SOLVER_NAMES) {
    it(`${name}: equals the in-thread complexSolveBatch bit for bit`, async () => {
      const r = await pool.complexSolveBatch(name, A, Y, optsOf(name));
      const s = complexSolveBatch(name, A, Y, optsOf(name));
      expect(r.errors).toEqual([]);
      expect(r.status.every((st) => st !== 'error')).toBe(true);
      expectSame(r, s);
    });
  }

  it('a partial Fourier operator (rebuilt in the workers from its spec) equals in-thread', async () => {
    const rows = Array.from(new Rng(9).sample(n, m));
    for (const scale of ['unit', 0.37] as const) {
      const op = Operator.partialFourier(n, rows, { scale });
      try {
        const Yf = signals((x) => op.apply(x), 13);
        for (const name of ['omp', 'iht', 'cosamp', 'sea', 'fista'] as const) {
          expectSame(await pool.complexSolveBatch(name, op, Yf, optsOf(name)), complexSolveBatch(name, op, Yf, optsOf(name)));
        }
      } finally {
        op.dispose();
      }
    }
  });

  it('realX, and X0 split by column (each column its own warm start)', async () => {
    const X0 = new Rng(31).normals(2 * n * p);
    const X0r = new Rng(32).normals(n * p);
    const cases: Array<[ComplexSolverName, Record<string, unknown>]> = [
      ['iht', { k, maxIter: 3, X0 }],
      ['sea', { k, maxIter: 3, X0 }],
      ['htp', { k, maxIter: 2, realX: true, X0: X0r }],
      ['niht', { k, maxIter: 3, realX: true, X0: X0r }],
      ['omp', { k, realX: true }],
    ];
    for (const [name, o] of cases) {
      const r = await pool.complexSolveBatch(name, A, Y, o);
      expect(r.realX).toBe(o.realX === true);
      expect(r.X.length).toBe((o.realX ? n : 2 * n) * p);
      expectSame(r, complexSolveBatch(name, A, Y, o));
      if (o.X0) {
        // the warm starts matter here: without them the result differs
        const { X0: _x, ...cold } = o;
        expect(Array.from(r.X)).not.toEqual(Array.from(complexSolveBatch(name, A, Y, cold).X));
      }
    }
    // column 5's warm start is the single solve's x0 (SEA: init)
    const y5 = Y.slice(10 * m, 12 * m);
    const r = await pool.complexSolveBatch('iht', A, Y, { k, maxIter: 3, X0 });
    expect(Array.from(r.X.subarray(10 * n, 12 * n))).toEqual(Array.from(complexIht(A, y5, { k, maxIter: 3, x0: X0.slice(10 * n, 12 * n) }).x));
    const q = await pool.complexSolveBatch('sea', A, Y, { k, maxIter: 3, X0 });
    expect(Array.from(q.X.subarray(10 * n, 12 * n))).toEqual(Array.from(complexSea(A, y5, { k, maxIter: 3, init: X0.slice(10 * n, 12 * n) }).x));
  });

  it("onError: 'collect' reports a NaN column at its global index and solves the others; 'throw' rejects naming it", async () => {
    const bad = Y.slice();
    bad[2 * 5 * m + 2 * 3] = NaN; // real part of row 3 of signal 5
    const message = 'SolverPool.complexSolveBatch: Y[3, 5] (the real part of row 3 of signal 5) must be finite, received NaN';
    const r = await pool.complexSolveBatch('omp', A, bad, { k, onError: 'collect' });
    expect(r.errors).toEqual([{ index: 5, name: 'RangeError', message }]);
    expect(r.status[5]).toBe('error');
    expect(Number.isNaN(r.residualNorm[5])).toBe(true);
    expect(Array.from(r.X.subarray(10 * n, 12 * n)).every((v) => v === 0)).toBe(true);
    const s = complexSolveBatch('omp', A, bad, { k, onError: 'collect' });
    expect(s.errors.map((e) => e.index)).toEqual([5]);
    expectSame(r, { ...s, errors: r.errors });
    await expect(pool.complexSolveBatch('omp', A, bad, { k })).rejects.toThrow(message);
    // every column bad: nothing to send, every column reported
    const allBad = new Float64Array(2 * m * 2).fill(NaN);
    const e = await pool.complexSolveBatch('iht', A, allBad, { k, onError: 'collect' });
    expect(e.errors.map((q) => q.index)).toEqual([0, 1]);
    expect(e.status).toEqual(['error', 'error']);
  });

  it('refuses bad arguments with the in-thread errors, before any worker is asked', async () => {
    const acquire = vi.spyOn(pool as unknown as { acquire(): Promise<unknown> }, 'acquire');
    const f = 'SolverPool.complexSolveBatch';
    try {
      await expect(pool.complexSolveBatch('lasso' as never, A, Y, { k })).rejects.toThrow(new RangeError(
        `${f}: name must be one of ${COMPLEX_SOLVER_NAMES.map((s) => `'${s}'`).join(', ')}, received "lasso"`));
      await expect(pool.complexSolveBatch('omp', {} as never, Y, { k })).rejects.toThrow(TypeError);
      await expect(pool.complexSolveBatch('omp', {} as never, Y, { k })).rejects.toThrow(`${f}: A must be a ComplexMatrix`);
      const nonFinite = new ComplexMatrix(m, n, A.data);
      nonFinite.data[7] = Infinity;
      await expect(pool.complexSolveBatch('omp', nonFinite, Y, { k })).rejects.toThrow(new RangeError(
        `${f}: A.data[7] (the imaginary part of element 3) must be finite, received Infinity`));
      const op = Operator.partialFourier(n, Array.from({ length: m }, (_, i) => i));
      op.dispose();
      await expect(pool.complexSolveBatch('omp', op, Y, { k })).rejects.toThrow(`${f}: A is disposed`);
      await expect(pool.complexSolveBatch('omp', A, Y.subarray(1), { k })).rejects.toThrow(`${f}: Y must have a length that is a positive multiple of 2*${m}`);
      await expect(pool.complexSolveBatch('omp', A, Y, { k, onError: 'skip' as never })).rejects.toThrow(`${f}: onError`);
      await expect(pool.complexSolveBatch('iht', A, Y, { k, X0: new Float64Array(2 * n) })).rejects.toThrow(`${f}: X0 must have ${p} columns`);
      await expect(pool.complexSolveBatch('iht', A, Y, { k, mu: (() => 1) as never })).rejects.toThrow(`${f}: option mu cannot be sent to a worker`);
      // the in-thread forms refuse the same arguments with the same message but their own name
      expect(() => complexSolveBatch('lasso' as never, A, Y, { k })).toThrow(/^complexSolveBatch: name must be one of/);
      expect(acquire).not.toHaveBeenCalled();
      await pool.complexSolveBatch('omp', A, Y, { k }); // the spy sees the workers asked for a good call
      expect(acquire).toHaveBeenCalled();
    } finally {
      acquire.mockRestore();
    }
  });

  it("a bad solver option rejects with the solver's own error, as in-thread", async () => {
    expect(() => complexSolveBatch('omp', A, Y, { k: 99 })).toThrow(`complexOmp: k must be an integer in [1, ${m}]`);
    await expect(pool.complexSolveBatch('omp', A, Y, { k: 99 })).rejects.toThrow(new RangeError(`complexOmp: k must be an integer in [1, ${m}], received 99`));
  });
});

describe('SolverPool.complexSolve', () => {
  it('one signal equals the single solve bit for bit (x0 its warm start)', async () => {
    const y = Array.from(Y.subarray(4 * m, 6 * m));
    const x0 = new Rng(41).normals(2 * n);
    const o = { k, maxIter: 3, x0 };
    const r = await pool.complexSolve('iht', A, y, o);
    const s = complexIht(A, y, o);
    expect(Array.from(r.x)).toEqual(Array.from(s.x));
    expect(Array.from(r.support)).toEqual(Array.from(s.support));
    expect(Object.is(r.residualNorm, s.residualNorm)).toBe(true);
    expect(r.iterations).toBe(s.iterations);
    expect(r.status).toBe(s.status);
    await expect(pool.complexSolve('iht', A, y.slice(1), o)).rejects.toThrow(`SolverPool.complexSolve: y must have length ${2 * m}`);
    await expect(pool.complexSolve('iht', A, y, { k, X0: new Float64Array(2 * n) })).rejects.toThrow('SolverPool.complexSolve: X0 is for batches');
  });
});

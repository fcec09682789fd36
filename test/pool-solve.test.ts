// SolverPool.solve: one signal, one Promise; concurrent requests for the same
// operator are grouped into one batch call; every result equals the
// single-thread solve bit for bit (OMP's Gram path: the one-column Batch-OMP).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, omp, ompBatch, Operator, type SolveResult } from '../src/index.js';
import { SolverPool } from '../src/parallel/pool.js';
import { SOLVERS, optionsFor, SolverName } from '../src/solvers/registry.js';
import { gaussianProblem, signalBlock } from '../src/data/problems.js';

const { A } = gaussianProblem({ m: 40, n: 100, k: 5, seed: 31 });
const P = 12;
const Y = signalBlock(A, 4, P, 32, 0.01);
const col = (j: number) => Y.slice(j * 40, (j + 1) * 40);

function expectSame(a: SolveResult, b: SolveResult): void {
  expect(Array.from(a.x)).toEqual(Array.from(b.x));
  expect(Array.from(a.support)).toEqual(Array.from(b.support));
  expect(a.residualNorm).toBe(b.residualNorm);
  expect(a.iterations).toBe(b.iterations);
  expect(a.status).toBe(b.status);
}

let pool: SolverPool;
beforeAll(async () => {
  await init();
  pool = await SolverPool.create({ workers: 2, maxBatch: 5 });
});
afterAll(async () => {
  await pool.terminate();
});

describe('SolverPool.solve', () => {
  it('every solver, concurrent requests: each result is the single solve, bit for bit', async () => {
    for (const name of Object.keys(SOLVERS)) {
      const base = optionsFor(name as SolverName, 4);
      const opts = name === 'omp' ? { ...base, precompute: false } : base;
      const single = Array.from({ length: P }, (_, j) => SOLVERS[name](A, col(j), base));
      const pooled = await Promise.all(Array.from({ length: P }, (_, j) => pool.solve(name, A, col(j), opts as never)));
      pooled.forEach((r, j) => expectSame(r, single[j]));
    }
  });

  it('warm starts travel with their signal', async () => {
    const x0 = omp(A, col(3), { k: 4 }).x;
    const [warm, cold] = await Promise.all([pool.solve('htp', A, col(3), { k: 4, x0 }), pool.solve('htp', A, col(3), { k: 4 })]);
    expectSame(warm, SOLVERS.htp(A, col(3), { k: 4, x0 } as never));
    expectSame(cold, SOLVERS.htp(A, col(3), { k: 4 }));
  });

  it('OMP on the Gram path (a resident Operator): the one-column Batch-OMP bit for bit, omp to rounding', async () => {
    const op = Operator.dense(A);
    try {
      const pooled = await Promise.all(Array.from({ length: P }, (_, j) => pool.solve('omp', op, col(j), { k: 4, precompute: true })));
      pooled.forEach((r, j) => {
        const one = ompBatch(A, col(j), { k: 4, precompute: true });
        expect(Array.from(r.x)).toEqual(Array.from(one.X));
        expect(r.status).toBe(one.status[0]);
        const ref = omp(A, col(j), { k: 4 });
        expect(Array.from(r.support)).toEqual(Array.from(ref.support));
        for (let i = 0; i < 100; i++) expect(Math.abs(r.x[i] - ref.x[i])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(ref.x[i])));
      });
    } finally {
      op.dispose();
    }
  });

  it('requests are grouped: a crash on column 2 of a group loses only the third request', async () => {
    const url = new URL('./fixtures/crash-pool-worker.ts', import.meta.url);
    const grouped = await SolverPool.create({ workers: 2, workerUrl: url, maxBatch: 6, batchWindowMs: 1000 });
    const alone = await SolverPool.create({ workers: 1, workerUrl: url, maxBatch: 1 });
    try {
      // six requests made in one tick fill one group (maxBatch 6): column j of the batch is request j
      const rs = await Promise.allSettled(Array.from({ length: 6 }, (_, j) => grouped.solve('iht', A, col(j), { k: 4, crashOnColumn: 2 } as never)));
      expect(rs.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect(String((rs[2] as PromiseRejectedResult).reason)).toMatch(/a worker failed: pool test hook: crash on column 2/);
      expectSame((rs[4] as PromiseFulfilledResult<SolveResult>).value, SOLVERS.iht(A, col(4), { k: 4 }));
      // without grouping every request is column 0 of its own batch: nothing crashes
      const ones = await Promise.all(Array.from({ length: 6 }, (_, j) => alone.solve('iht', A, col(j), { k: 4, crashOnColumn: 2 } as never)));
      ones.forEach((r, j) => expectSame(r, SOLVERS.iht(A, col(j), { k: 4 })));
    } finally {
      await grouped.terminate();
      await alone.terminate();
    }
  });

  it('bad input rejects at once, naming SolverPool.solve, and spoils no other request', async () => {
    const good = pool.solve('iht', A, col(0), { k: 4 });
    await expect(pool.solve('lasso', A, col(0), { k: 4 })).rejects.toThrow(/^SolverPool\.solve: solver must be one of 'omp'/);
    await expect(pool.solve('iht', A, col(0).subarray(0, 39), { k: 4 })).rejects.toThrow(/^SolverPool\.solve: y must have length 40/);
    const bad = col(1);
    bad[7] = NaN;
    await expect(pool.solve('iht', A, bad, { k: 4 })).rejects.toThrow(/^SolverPool\.solve: y\[7\] must be finite/);
    await expect(pool.solve('iht', A, col(0), { k: 41 })).rejects.toThrow(RangeError);
    await expect(pool.solve('omp', A, col(0), { k: 4, x0: new Float64Array(100) })).rejects.toThrow(/x0 is not supported by OMP/);
    await expect(pool.solve('iht', A, col(0), { k: 4, mu: -1 })).rejects.toThrow(RangeError);
    expectSame(await good, SOLVERS.iht(A, col(0), { k: 4 }));
    // rows as number[][] work (never grouped with anything)
    const rows = Array.from({ length: 40 }, (_, i) => Array.from({ length: 100 }, (_, j) => (A as Matrix).get(i, j)));
    expectSame(await pool.solve('sp', rows, col(5), { k: 4 }), SOLVERS.sp(A, col(5), { k: 4 }));
  });

  it('terminate() rejects requests still waiting for their group', async () => {
    const p = await SolverPool.create({ workers: 1, batchWindowMs: 1000, maxBatch: 100 });
    const waiting = p.solve('iht', A, col(0), { k: 4 });
    await p.terminate();
    await expect(waiting).rejects.toThrow(/terminated/);
  });
});

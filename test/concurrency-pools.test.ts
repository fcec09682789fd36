// Concurrency of the batch forms: two SolverPools at once, each with many
// overlapping async batch calls (ompBatch with and without the Gram path,
// solveBatch of other solvers, on several matrices, a resident Operator
// among them), return exactly the single-thread results, in column order.
import type { SolverName } from '../src/solvers/registry.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, ompBatch, Operator, solveBatch } from '../src/index.js';
import type { BatchResult } from '../src/solvers/batch.js';
import { SolverPool } from '../src/parallel/pool.js';
import { gaussianProblem, signalBlock } from '../src/data/problems.js';

beforeAll(async () => {
  await init();
});

const signals = (A: Matrix, k: number, p: number, seed: number): Float64Array => signalBlock(A, k, p, seed, 0.01);

function same(a: BatchResult, b: BatchResult): boolean {
  if (a.p !== b.p || a.X.length !== b.X.length) return false;
  for (let i = 0; i < a.X.length; i++) if (!Object.is(a.X[i], b.X[i])) return false;
  for (let j = 0; j < a.p; j++) if (a.status[j] !== b.status[j] || a.iterations[j] !== b.iterations[j] || !Object.is(a.residualNorm[j], b.residualNorm[j])) return false;
  return true;
}

describe('concurrency: two worker pools, overlapping batch calls', () => {
  const pools: SolverPool[] = [];
  const ops: Operator[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.terminate()));
    ops.forEach((o) => o.dispose());
  });

  it('24 overlapping calls over two pools give the single-thread results, in order', async () => {
    pools.push(await SolverPool.create({ workers: 2 }), await SolverPool.create({ workers: 1 }));
    const mats = [0, 1, 2].map((i) => gaussianProblem({ m: 24 + 8 * i, n: 64 + 16 * i, k: 3, seed: 300 + i }).A);
    ops.push(Operator.dense(mats[2]));
    const calls: { run: (pool: SolverPool) => Promise<BatchResult>; ref: () => BatchResult }[] = [];
    const solvers = ['omp', 'iht', 'htp', 'sp', 'cosamp', 'niht'];
    for (let c = 0; c < 24; c++) {
      const A = mats[c % 3];
      const Aarg = c % 3 === 2 ? ops[0] : A;
      const Y = signals(A, 3, 5 + (c % 7), 400 + c);
      if (c % 4 === 0) {
        const precompute = c % 8 === 0;
        calls.push({ run: (pool) => pool.ompBatch(Aarg, Y, { k: 3, precompute }), ref: () => ompBatch(A, Y, { k: 3, precompute }) });
      } else {
        const s = solvers[c % solvers.length];
        // (precompute explicit: 'auto' picks the Gram path when a Gram matrix is already cached,
        // so its bits depend on what ran before, by an ulp)
        const o = s === 'omp' ? { k: 3, precompute: false } : { k: 3, maxIter: 30 };
        calls.push({ run: (pool) => pool.solveBatch(s, Aarg, Y, o), ref: () => solveBatch(s as SolverName, A, Y, o) });
      }
    }
    const refs = calls.map((c) => c.ref());
    // every call on alternating pools, all in flight at once, plus a main-thread batch in between
    const got = await Promise.all(calls.map(async (c, i) => {
      const r = await c.run(pools[i % 2]);
      // main-thread work interleaved with the pools' messages
      ompBatch(mats[0], signals(mats[0], 3, 2, 999), { k: 3 });
      return r;
    }));
    got.forEach((r, i) => expect(same(r, refs[i]), `call ${i}`).toBe(true));
  });
});

// SolverPool's Gram matrix: built by the workers in column ranges and passed
// between them (never gathered on the main thread), or built whole by a
// worker that took no part; the same bits as the single-thread ompBatch
// either way. Up to 3 workers alive at a time.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, ompBatch } from '../src/index.js';
import { gramBytes, operatorBytes } from '../src/core/operator.js';
import { gramCuts, SolverPool } from '../src/parallel/pool.js';
import { gaussianProblem, signalBlock } from '../src/data/problems.js';
import type { BatchResult } from '../src/solvers/batch.js';

beforeAll(async () => {
  await init();
});

function expectSame(a: BatchResult, b: BatchResult): void {
  expect(a.p).toBe(b.p);
  expect(Array.from(a.X)).toEqual(Array.from(b.X));
  expect(a.status).toEqual(b.status);
  expect(Array.from(a.residualNorm)).toEqual(Array.from(b.residualNorm));
  for (let j = 0; j < a.p; j++) expect(Array.from(a.support[j])).toEqual(Array.from(b.support[j]));
}

/** Every live worker holds A and its Gram matrix, and nothing else. */
async function expectGramEverywhere(pool: SolverPool, A: Matrix): Promise<void> {
  const res = await pool.resident();
  expect(res.workers).toHaveLength(pool.size);
  for (const w of res.workers) expect(w).toEqual({ matrices: 1, bytes: operatorBytes(A.m, A.n) + gramBytes(A.n) });
}

describe('SolverPool Gram matrix', () => {
  it('gramCuts: ascending ranges of about equal work, on 4-column blocks, at most one per worker', () => {
    expect(gramCuts(1024, 2)).toEqual([0, 724, 1024]);
    expect(gramCuts(1024, 1)).toEqual([0, 1024]);
    expect(gramCuts(7, 2)).toEqual([0, 7]); // one 4-column block: one range
    for (const [n, w] of [[120, 3], [1000, 8], [4096, 5], [9, 64]]) {
      const cuts = gramCuts(n, w);
      expect(cuts[0]).toBe(0);
      expect(cuts[cuts.length - 1]).toBe(n);
      expect(cuts.length - 1).toBeLessThanOrEqual(w);
      for (let q = 1; q < cuts.length; q++) {
        expect(cuts[q]).toBeGreaterThanOrEqual(cuts[q - 1]);
        if (q < cuts.length - 1) expect(cuts[q] % 4).toBe(0);
      }
      // the work of a range: its columns' upper-triangle entries; within a block's worth of the even share
      const work = (a: number, b: number) => (b * (b + 1) - a * (a + 1)) / 2;
      const share = work(0, n) / (cuts.length - 1);
      for (let q = 1; q < cuts.length; q++) expect(Math.abs(work(cuts[q - 1], cuts[q]) - share)).toBeLessThanOrEqual(4 * n + 16);
    }
  });

  it('3 workers build G in three ranges and pass them on (cloned and transferred): the single-thread bits, cold and warm', async () => {
    const { A } = gaussianProblem({ m: 40, n: 96, k: 5, seed: 91 });
    const Y = signalBlock(A, 5, 30, 92, 0.02);
    const want = ompBatch(A, Y, { k: 5, precompute: true });
    const pool = await SolverPool.create({ workers: 3 });
    try {
      expectSame(await pool.ompBatch(A, Y, { k: 5, precompute: true }), want);
      await expectGramEverywhere(pool, A);
      expectSame(await pool.ompBatch(A, Y, { k: 5, precompute: true }), want);
      await pool.release(A);
      expectSame(await pool.ompBatch(A, Y, { k: 5 }), ompBatch(A, Y, { k: 5 }));
    } finally {
      await pool.terminate();
    }
  });

  it('a worker that took no part in G builds it whole when it needs it: the same bits', async () => {
    // n = 7: one range, so one worker builds G; the batch's chunks go to both workers
    const { A } = gaussianProblem({ m: 6, n: 7, k: 2, seed: 93 });
    const Y = signalBlock(A, 2, 9, 94, 0.02);
    const pool = await SolverPool.create({ workers: 2 });
    try {
      expectSame(await pool.ompBatch(A, Y, { k: 2, precompute: true }), ompBatch(A, Y, { k: 2, precompute: true }));
      await expectGramEverywhere(pool, A);
      await pool.release(A);
      expect(await pool.resident()).toEqual({ matrices: 0, bytes: 0, workers: [{ matrices: 0, bytes: 0 }, { matrices: 0, bytes: 0 }] });
    } finally {
      await pool.terminate();
    }
  });

  it('a worker whose fill fails builds G whole for its batch: the same bits, and no half-built Gram matrix is left', async () => {
    const { A } = gaussianProblem({ m: 40, n: 96, k: 5, seed: 95 });
    const Y = signalBlock(A, 5, 24, 96, 0.02);
    const pool = await SolverPool.create({ workers: 2, workerUrl: new URL('./fixtures/gram-fill-fail-pool-worker.ts', import.meta.url) });
    try {
      expectSame(await pool.ompBatch(A, Y, { k: 5, precompute: true }), ompBatch(A, Y, { k: 5, precompute: true }));
      await expectGramEverywhere(pool, A);
      expectSame(await pool.ompBatch(A, Y, { k: 5, precompute: true }), ompBatch(A, Y, { k: 5, precompute: true }));
    } finally {
      await pool.terminate();
    }
  });
});

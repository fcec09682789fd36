// SolverPool's chunk queue: a worker running a batch chunk gets the next
// chunk queued behind it (no round trip between chunks); when the worker
// dies, the queued chunk is retried too, so that only the failing column is
// lost. One worker alive at a time (plus its replacements).
import { beforeAll, describe, expect, it } from 'vitest';
import { init, ompBatch } from '../src/index.js';
import { chunkSizes, SolverPool } from '../src/parallel/pool.js';
import { gaussianProblem, signalBlock } from '../src/data/problems.js';

beforeAll(async () => {
  await init();
});

describe('SolverPool chunk queue', () => {
  it('a chunk queued behind a chunk whose worker exits is retried and solved; only the crashing column is lost', async () => {
    const { A } = gaussianProblem({ m: 30, n: 60, k: 4, seed: 101 });
    const Y = signalBlock(A, 4, 3, 102, 0.02);
    // one worker: columns 0..1 run first, column 2 alone waits in the worker's queue behind them
    expect(chunkSizes(3, 1, 4)).toEqual([2, 1]);
    const want = ompBatch(A, Y, { k: 4, precompute: false });
    const pool = await SolverPool.create({ workers: 1, workerUrl: new URL('./fixtures/exit-pool-worker.ts', import.meta.url) });
    try {
      const r = await pool.ompBatch(A, Y, { k: 4, precompute: false, exitOnColumn: 0 } as never);
      expect(r.errors.map((e) => e.index)).toEqual([0]);
      expect(r.errors[0].message).toMatch(/a worker failed: the worker exited \(code 1\)/);
      for (let j = 1; j < 3; j++) {
        expect(r.status[j]).toBe(want.status[j]);
        expect(Array.from(r.X.subarray(j * 60, (j + 1) * 60))).toEqual(Array.from(want.X.subarray(j * 60, (j + 1) * 60)));
      }
      expect(pool.size).toBe(1);
    } finally {
      await pool.terminate();
    }
  });
});

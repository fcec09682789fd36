// The worker pool: at most 2 workers alive at a time.
import type { SolverName } from '../src/solvers/registry.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, ompBatch, Operator, solveBatch } from '../src/index.js';
import { chunkSizes, SolverPool } from '../src/parallel/pool.js';
import { gaussianProblem, signalBlock } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import type { BatchResult } from '../src/solvers/batch.js';

beforeAll(async () => {
  await init();
});

const signals = (A: Matrix, k: number, p: number, seed: number): Float64Array => signalBlock(A, k, p, seed, 0.02);

function expectSame(a: BatchResult, b: BatchResult): void {
  expect(a.p).toBe(b.p);
  expect(Array.from(a.X)).toEqual(Array.from(b.X));
  expect(a.status).toEqual(b.status);
  expect(Array.from(a.residualNorm)).toEqual(Array.from(b.residualNorm));
  expect(Array.from(a.iterations)).toEqual(Array.from(b.iterations));
  for (let j = 0; j < a.p; j++) expect(Array.from(a.support[j])).toEqual(Array.from(b.support[j]));
}

const { A } = gaussianProblem({ m: 48, n: 120, k: 6, seed: 77 });
const Y = signals(A, 5, 37, 78);

describe('SolverPool', () => {
  const results: Record<string, BatchResult> = {};
  let pool: SolverPool | null = null;
  afterAll(async () => {
    await pool?.terminate();
  });

  it('2 workers: the same bits as the single-thread ompBatch, in column order, on both paths', async () => {
    pool = await SolverPool.create({ workers: 2 });
    expect(pool.size).toBe(2);
    expect(pool.build).toBe('simd');
    for (const precompute of [true, false]) {
      const r = await pool.ompBatch(A, Y, { k: 6, precompute });
      expect((r as { precompute?: boolean }).precompute).toBe(precompute);
      expect(r.errors).toEqual([]);
      expectSame(r, ompBatch(A, Y, { k: 6, precompute }));
      results[`2-${precompute}`] = r;
    }
    // a resident Operator as A, and the generic form
    const op = Operator.dense(A);
    expectSame(await pool.solveBatch('omp', op, Y, { k: 6, precompute: false }), solveBatch('omp', A, Y, { k: 6, precompute: false }));
    op.dispose();
  });

  it('a worker that throws loses only its column: reported by index, the pool keeps working', async () => {
    // the crash hook lives in a test-only worker entry, not in the shipped worker
    const p = await SolverPool.create({ workers: 2, workerUrl: new URL('./fixtures/crash-pool-worker.ts', import.meta.url) });
    try {
      const r = await p.ompBatch(A, Y, { k: 6, precompute: true, crashOnColumn: 20 } as never);
      expect(r.errors.map((e) => e.index)).toEqual([20]);
      expect(r.errors[0].message).toMatch(/a worker failed: pool test hook: crash on column 20/);
      expect(r.status[20]).toBe('error');
      const ref = results['2-true'];
      for (let j = 0; j < 37; j++) {
        if (j === 20) continue;
        expect(r.status[j]).toBe(ref.status[j]);
        expect(Array.from(r.X.subarray(j * 120, (j + 1) * 120))).toEqual(Array.from(ref.X.subarray(j * 120, (j + 1) * 120)));
      }
      expect(p.size).toBe(2);
      expectSame(await p.ompBatch(A, Y, { k: 6, precompute: true }), ref);
    } finally {
      await p.terminate();
    }
  });

  it('the shipped worker has no crash hook: an unknown option crashes nothing', async () => {
    const r = await pool!.ompBatch(A, Y, { k: 6, precompute: true, __poolTestCrashAt: 20, crashOnColumn: 20 } as never);
    expect(r.errors).toEqual([]);
    expectSame(r, results['2-true']);
  });

  it('bad arguments reject before any work; a NaN signal is reported by index with onError collect; terminate() ends a running batch', async () => {
    const p = pool!;
    await expect(p.ompBatch(A, Y, { k: 500 })).rejects.toThrow(/SolverPool.ompBatch: k must be an integer in \[1, 48\], received 500/);
    await expect(p.solveBatch('nope', A, Y, { k: 2 })).rejects.toThrow(/solver must be one of/);
    await expect(p.ompBatch(A, Y, { k: 2, backend: 'js' })).rejects.toThrow(/backend must be 'wasm' in a pool/);
    const Z = Float64Array.from(Y);
    Z[5 * 48 + 2] = NaN;
    await expect(p.ompBatch(A, Z, { k: 6 })).rejects.toThrow(/Y\[2, 5\] \(row 2 of signal 5\) must be finite/);
    const r = await p.ompBatch(A, Z, { k: 6, onError: 'collect', precompute: false });
    expect(r.errors.map((e) => e.index)).toEqual([5]);
    expect(r.status[5]).toBe('error');
    expect(r.status.filter((s) => s === 'error').length).toBe(1);
    const running = p.ompBatch(A, Y, { k: 6, precompute: false });
    await p.terminate();
    await expect(running).rejects.toThrow(/terminated/);
    await expect(p.ompBatch(A, Y, { k: 6 })).rejects.toThrow(/terminated/);
    pool = null;
  });

  it('runs the other solvers too, with per-column warm starts, equal to the single-thread Batch forms', async () => {
    const p = await SolverPool.create({ workers: 2 });
    try {
      const rng = new Rng(5);
      const X0 = new Float64Array(120 * 37);
      for (let j = 0; j < 37; j++) for (const c of rng.sample(120, 5)) X0[j * 120 + c] = rng.normal();
      for (const solver of ['niht', 'cosamp', 'htp']) {
        for (const extra of [{}, { X0 }]) {
          expectSame(await p.solveBatch(solver, A, Y, { k: 6, ...extra }), solveBatch(solver as SolverName, A, Y, { k: 6, ...extra }));
        }
      }
      await expect(p.ompBatch(A, Y, { k: 6, X0 } as never)).rejects.toThrow(/X0 is not supported by OMP/);
      await expect(p.solveBatch('iht', A, Y, { k: 6, mu: -1 })).rejects.toThrow(RangeError);
    } finally {
      await p.terminate();
    }
  });

  it('a call that waits for a worker gets it between the chunks of a running batch, not after the whole batch', async () => {
    const one = await SolverPool.create({ workers: 1 });
    try {
      const Ybig = signals(A, 5, 128, 91); // 4 chunks of 32 columns on one worker
      const order: string[] = [];
      const big = one.ompBatch(A, Ybig, { k: 6, precompute: false }).then((r) => {
        order.push('big');
        return r;
      });
      const small = one.ompBatch(A, Y.subarray(0, 48), { k: 6, precompute: false }).then((r) => {
        order.push('small');
        return r;
      });
      const [rb, rs] = await Promise.all([big, small]);
      expect(order).toEqual(['small', 'big']);
      expectSame(rb, ompBatch(A, Ybig, { k: 6, precompute: false }));
      expectSame(rs, ompBatch(A, Y.subarray(0, 48), { k: 6, precompute: false }));
    } finally {
      await one.terminate();
    }
  });

  it('1 worker gives the same bits as 2 workers', async () => {
    const p = await SolverPool.create({ workers: 1 });
    try {
      expect(p.size).toBe(1);
      for (const precompute of [true, false]) expectSame(await p.ompBatch(A, Y, { k: 6, precompute }), results[`2-${precompute}`]);
    } finally {
      await p.terminate();
    }
  });

  it('sharedMemory on and off give the same bits (cold Gram path, warm, plain, warm starts, a NaN column); chunks are the equal cut', async () => {
    expect(chunkSizes(100, 2, 4)).toEqual([12, 13, 12, 13, 12, 13, 12, 13]);
    expect(chunkSizes(5, 2, 1)).toEqual([2, 3]);
    for (const [p, w, c] of [[1, 2, 4], [7, 2, 4], [37, 3, 4], [100, 1, 4], [1000, 8, 4]]) {
      const sizes = chunkSizes(p, w, c);
      expect(sizes.reduce((x, y) => x + y, 0)).toBe(p);
      expect(sizes.length).toBe(Math.min(p, w * c));
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    }
    const Yn = Y.slice();
    Yn[48 * 3 + 5] = NaN;
    const X0 = new Float64Array(120 * 37).fill(0.01);
    const got: BatchResult[][] = [];
    for (const sharedMemory of [true, false]) {
      const p = await SolverPool.create({ workers: 2, sharedMemory });
      try {
        const rs: BatchResult[] = [];
        rs.push(await p.ompBatch(A, Yn, { k: 6, precompute: true, onError: 'collect' }));
        rs.push(await p.ompBatch(A, Yn, { k: 6, precompute: true, onError: 'collect' }));
        rs.push(await p.ompBatch(A, Y, { k: 6, precompute: false }));
        rs.push(await p.solveBatch('iht', A, Y, { k: 6, X0 }));
        // concurrent batches on one pool (each its own shared buffer)
        rs.push(...await Promise.all([p.ompBatch(A, Y, { k: 5 }), p.solveBatch('niht', A, Y, { k: 6 })]));
        got.push(rs);
      } finally {
        await p.terminate();
      }
    }
    got[0].forEach((r, i) => expectSame(r, got[1][i]));
    expect(got[0][0].errors.map((e) => e.index)).toEqual([3]);
    expectSame(got[0][2], ompBatch(A, Y, { k: 6, precompute: false }));
    expectSame(got[0][3], solveBatch('iht', A, Y, { k: 6, X0 }));
    await expect(SolverPool.create({ workers: 1, sharedMemory: 'yes' as never })).rejects.toThrow(/sharedMemory must be a boolean/);
  });
});

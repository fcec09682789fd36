// SolverPool's resident copies stay bounded: by the byte budget (least
// recently used first), at once for rows given as number[][], and when the
// caller's Matrix is garbage-collected. Options that cannot reach a worker
// are refused before any work.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, operatorBytes, solveBatch } from '../src/index.js';
import { SolverPool } from '../src/parallel/pool.js';
import { Rng } from '../src/core/random.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const m = 24;
const n = 60;
const fresh = (seed: number) => new Matrix(m, n, new Rng(seed).normals(m * n));
const Y = new Rng(99).normals(m * 3);

let pool: SolverPool;
beforeAll(async () => {
  await init();
  // room for three matrices' copies
  pool = await SolverPool.create({ workers: 1, residentBytes: 3 * operatorBytes(m, n) });
});
afterAll(async () => {
  await pool.terminate();
});

describe('SolverPool resident copies', () => {
  it('fresh matrices: at most the budget is held, here and in the worker, and results stay exact', async () => {
    const kept: Matrix[] = []; // held, so that only the budget can release them
    for (let s = 0; s < 10; s++) {
      const A = fresh(s);
      kept.push(A);
      const r = await pool.solveBatch('htp', A, Y, { k: 3 });
      expect(Array.from(r.X)).toEqual(Array.from(solveBatch('htp', A, Y, { k: 3 }).X));
    }
    const res = await pool.resident();
    expect(res.matrices).toBeLessThanOrEqual(3);
    expect(res.bytes).toBeLessThanOrEqual(3 * operatorBytes(m, n));
    expect(res.workers).toHaveLength(1);
    expect(res.workers[0].matrices).toBeLessThanOrEqual(3);
    // a dropped matrix is sent again and still gives the same bits
    const again = await pool.solveBatch('htp', kept[0], Y, { k: 3 });
    expect(Array.from(again.X)).toEqual(Array.from(solveBatch('htp', kept[0], Y, { k: 3 }).X));
  });

  it('rows as number[][] are dropped right after the call', async () => {
    const big = await SolverPool.create({ workers: 1 }); // the default budget: the budget does not drop them
    try {
      const A = fresh(50);
      const rows = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => A.get(i, j)));
      for (let t = 0; t < 4; t++) {
        const r = await big.solveBatch('iht', rows, Y, { k: 3 });
        expect(Array.from(r.X)).toEqual(Array.from(solveBatch('iht', A, Y, { k: 3 }).X));
      }
      expect(await big.resident()).toEqual({ matrices: 0, bytes: 0, workers: [{ matrices: 0, bytes: 0 }] });
    } finally {
      await big.terminate();
    }
  });

  it('A sent ahead to every worker, then the call refused by the signals: no copy stays anywhere', async () => {
    const two = await SolverPool.create({ workers: 2 });
    try {
      const A = fresh(60);
      const rows = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => A.get(i, j)));
      const Ybad = Y.slice();
      Ybad[m + 2] = NaN; // column 1: refused by the column screen, after A went out to the workers
      await expect(two.ompBatch(rows, Ybad, { k: 3 })).rejects.toThrow(/^SolverPool\.ompBatch: Y\[2, 1\]/);
      await expect(two.solveBatch('iht', rows, Ybad, { k: 3 })).rejects.toThrow(RangeError);
      expect(await two.resident()).toEqual({ matrices: 0, bytes: 0, workers: [{ matrices: 0, bytes: 0 }, { matrices: 0, bytes: 0 }] });
      // and a good call afterwards still gives the single-thread bits
      const r = await two.solveBatch('iht', rows, Y, { k: 3 });
      expect(Array.from(r.X)).toEqual(Array.from(solveBatch('iht', A, Y, { k: 3 }).X));
    } finally {
      await two.terminate();
    }
  });

  it('a Matrix the caller no longer holds is dropped once collected', async () => {
    const big = await SolverPool.create({ workers: 1 }); // the default budget: only collection releases
    try {
      const use = async (s: number) => {
        await big.solveBatch('niht', fresh(100 + s), Y, { k: 3 });
      };
      for (let s = 0; s < 5; s++) await use(s);
      expect((await big.resident()).matrices).toBe(5);
      let left = 5;
      for (let t = 0; t < 50 && left > 0; t++) {
        gc();
        await new Promise((r) => setTimeout(r, 20));
        left = (await big.resident()).workers[0].matrices;
      }
      expect(left).toBe(0);
      expect((await big.resident()).matrices).toBe(0);
    } finally {
      await big.terminate();
    }
  });

  it('options that cannot be sent to a worker are refused up front with a TypeError', async () => {
    const A = fresh(7);
    await expect(pool.solveBatch('iht', A, Y, { k: 3, onProgress: () => 1 })).rejects.toThrow(
      /^SolverPool\.solveBatch: option onProgress cannot be sent to a worker: .*received a function/,
    );
    await expect(pool.solveBatch('iht', A, Y, { k: 3, tag: Symbol('x') })).rejects.toThrow(TypeError);
    await expect(pool.solveBatch('iht', A, Y, { k: 3, tag: Symbol('x') })).rejects.toThrow(/option tag cannot be sent to a worker: .*a symbol/);
    await expect(pool.ompBatch(A, Y, { k: 3, cb: { f: () => 1 } } as never)).rejects.toThrow(/SolverPool\.ompBatch: option cb cannot be sent to a worker: .*not cloneable/);
    await expect(pool.solve('iht', A, Y.subarray(0, m), { k: 3, onProgress: () => 1 })).rejects.toThrow(/SolverPool\.solve: option onProgress cannot be sent/);
    // the single-thread form ignores such an option and solves; the pool still works
    expect(solveBatch('iht', A, Y, { k: 3, onProgress: () => 1 }).errors).toEqual([]);
    const r = await pool.solveBatch('iht', A, Y, { k: 3 });
    expect(r.errors).toEqual([]);
  });
});

// SolverPool on structured operators: the workers rebuild the operator from
// its spec (no dense matrix travels), and every result equals the
// single-thread batch form bit for bit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchColumn, init, Matrix, ompBatch, Operator, solveBatch, type BatchResult } from '../src/index.js';
import { SolverPool } from '../src/parallel/pool.js';
import { optionsFor, SOLVERS, SolverName } from '../src/solvers/registry.js';
import { Rng } from '../src/core/random.js';

const n = 128;
const rowsOf = (m: number, seed: number): number[] => Array.from(new Rng(seed).sample(n, m));

/** p signals A x with k-sparse x (seeded). */
function signals(op: Operator, k: number, p: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const Y = new Float64Array(op.m * p);
  for (let c = 0; c < p; c++) {
    const x = new Float64Array(op.n);
    for (const j of rng.sample(op.n, k)) x[j] = rng.normal() + Math.sign(rng.normal());
    Y.set((op as unknown as { apply(x: Float64Array): Float64Array }).apply(x), c * op.m);
  }
  return Y;
}

function expectSameBatch(a: BatchResult, b: BatchResult): void {
  expect(Array.from(a.X)).toEqual(Array.from(b.X));
  expect(a.status).toEqual(b.status);
  expect(Array.from(a.iterations)).toEqual(Array.from(b.iterations));
  expect(Array.from(a.residualNorm)).toEqual(Array.from(b.residualNorm));
  a.support.forEach((s, j) => expect(Array.from(s)).toEqual(Array.from(b.support[j])));
}

let pool: SolverPool;
let ops: Operator[] = [];
beforeAll(async () => {
  await init();
  pool = await SolverPool.create({ workers: 2 });
  const h = Float64Array.from({ length: 9 }, (_, i) => Math.exp(-((i - 4) ** 2) / 4));
  ops = [
    Operator.partialDct(n, rowsOf(48, 3)),
    Operator.convolution(h, n, { mode: 'same' }),
    Operator.normalized(Operator.convolution(h, n, { mode: 'full', method: 'fft' })),
    Operator.normalized(Operator.dense(new Matrix(40, n, Float64Array.from({ length: 40 * n }, (_, i) => Math.sin(1.3 * i + 0.2))))),
  ];
});
afterAll(async () => {
  await pool.terminate();
  for (const op of ops) op.dispose();
});

describe('SolverPool on structured operators', () => {
  it('ompBatch and solveBatch of every solver equal the single-thread batch forms bit for bit', async () => {
    for (const op of ops) {
      const Y = signals(op, 4, 7, 11);
      expectSameBatch(await pool.ompBatch(op, Y, { k: 4 }), ompBatch(op, Y, { k: 4 }));
      for (const name of Object.keys(SOLVERS) as SolverName[]) {
        const o = optionsFor(name, 4);
        expectSameBatch(await pool.solveBatch(name, op, Y, o as never), solveBatch(name, op, Y, o as never));
      }
    }
  });

  it('solve(): grouped single signals equal the single solves, and the workers hold the operator, not a dense copy', async () => {
    for (const o of ops) await pool.release(o);
    const op = ops[0];
    const Y = signals(op, 4, 6, 5);
    const col = (j: number) => Y.slice(j * op.m, (j + 1) * op.m);
    const pooled = await Promise.all(Array.from({ length: 6 }, (_, j) => pool.solve('omp', op, col(j), { k: 4 })));
    const single = ompBatch(op, Y, { k: 4 });
    pooled.forEach((r, j) => {
      const s = batchColumn(single, j);
      expect(Array.from(r.x)).toEqual(Array.from(s.x));
      expect(r.status).toBe(s.status);
    });
    const res = await pool.resident();
    // the partial DCT's own blocks (op.bytes, about 13 KB here), well below the 8 m n = 49 KB of its dense matrix
    expect(res.matrices).toBe(1);
    expect(res.bytes).toBe(op.bytes);
    expect(res.bytes).toBeLessThan(4 * op.m * op.n);
    for (const w of res.workers) expect(w.bytes).toBeLessThanOrEqual(op.bytes);
  });

  it('an operator whose dense matrix could not exist (m n = 2^32 entries) goes through solve() and solveBatch: nothing dense is made anywhere', async () => {
    const big = Operator.partialDct(2 ** 20, Array.from(new Rng(9).sample(2 ** 20, 2 ** 12)));
    try {
      expect(() => big.matrix.data).toThrow(RangeError); // the assembly that must never happen on these paths
      const Y = signals(big, 3, 2, 4);
      const single = ompBatch(big, Y, { k: 3 });
      const pooled = await pool.ompBatch(big, Y, { k: 3 });
      expectSameBatch(pooled, single);
      const r = await pool.solve('omp', big, Y.subarray(0, big.m), { k: 3 });
      expect(Array.from(r.x)).toEqual(Array.from(batchColumn(single, 0).x));
      // the Matrix face of the operator stands for the operator in a solver call
      expect(Array.from(SOLVERS.omp(big.matrix, Y.subarray(0, big.m), { k: 3 }).x)).toEqual(Array.from(r.x));
    } finally {
      await pool.release(big);
      big.dispose();
    }
  });

  it('precompute: true is refused, and so is an Operator.fromFunctions', async () => {
    const op = ops[0];
    const Y = signals(op, 4, 2, 1);
    await expect(pool.ompBatch(op, Y, { k: 4, precompute: true })).rejects.toThrow(/precompute: true needs the Gram matrix of a dense A/);
    // plain JS products (a callback must not call sparse-pursuit)
    const D = new Matrix(op.m, op.n, Float64Array.from(op.matrix.data));
    const f = Operator.fromFunctions({
      m: op.m, n: op.n,
      apply: (x) => { const y = new Float64Array(op.m); for (let j = 0; j < op.n; j++) for (let i = 0; i < op.m; i++) y[i] += D.data[i + j * op.m] * x[j]; return y; },
      adjoint: (r) => { const z = new Float64Array(op.n); for (let j = 0; j < op.n; j++) for (let i = 0; i < op.m; i++) z[j] += D.data[i + j * op.m] * r[i]; return z; },
      column: (j) => D.column(j),
    });
    try {
      await expect(pool.solveBatch('iht', f, Y, { k: 4 })).rejects.toThrow(/SolverPool.solveBatch: A must be a matrix or an operator the workers can rebuild .* received a functions operator/);
      await expect(pool.solve('omp', f, Y.slice(0, op.m), { k: 4 })).rejects.toThrow(TypeError);
    } finally {
      f.dispose();
    }
  });
});

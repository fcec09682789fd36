// Runs SolverPool (2 Web Workers) on a seeded batch and compares it with the
// single-thread ompBatch / solveBatch, bit for bit; also a worker crash.
import { backendInfo, init, Matrix, ompBatch, solveBatch, SolverPool } from 'sparse-pursuit';
// the crash hook lives in a test-only worker entry, bundled by Vite as a worker
import crashWorkerUrl from '../test/fixtures/crash-pool-worker.ts?worker&url';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

async function run(): Promise<void> {
  await init();
  const m = 40;
  const n = 100;
  const p = 25;
  const rnd = lcg(7);
  const A = new Matrix(m, n, Float64Array.from({ length: m * n }, rnd));
  const Y = Float64Array.from({ length: m * p }, rnd);
  const pool = await SolverPool.create({ workers: 2 });
  try {
    const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
    const gram = await pool.ompBatch(A, Y, { k: 5, precompute: true });
    const plain = await pool.ompBatch(A, Y, { k: 5, precompute: false });
    const niht = await pool.solveBatch('niht', A, Y, { k: 5 });
    const crashPool = await SolverPool.create({ workers: 2, workerUrl: crashWorkerUrl });
    let crash;
    let after;
    try {
      crash = await crashPool.ompBatch(A, Y, { k: 5, crashOnColumn: 3 } as never);
      after = await crashPool.ompBatch(A, Y, { k: 5, precompute: true });
    } finally {
      await crashPool.terminate();
    }
    document.getElementById('result')!.textContent = JSON.stringify({
      ok: true,
      build: backendInfo().build,
      workers: pool.size,
      poolBuild: pool.build,
      gramSame: same(gram.X, ompBatch(A, Y, { k: 5, precompute: true }).X),
      plainSame: same(plain.X, ompBatch(A, Y, { k: 5, precompute: false }).X),
      nihtSame: same(niht.X, solveBatch('niht', A, Y, { k: 5 }).X),
      crashErrors: crash.errors.map((e) => e.index),
      afterCrashSame: same(after.X, gram.X),
    });
  } finally {
    await pool.terminate();
  }
}

run().catch((e) => {
  document.getElementById('result')!.textContent = JSON.stringify({ ok: false, error: String(e) });
});

// npm run bench:batch — batch throughput of the WASM side alone:
// - the precompute rule: for each size and p in {1, 4, 16, 64}, ompBatch with
//   the Gram path and the plain path (G built inside the timing, on a fresh
//   operator), and which one 'auto' picks;
// - SolverPool scaling: per-solve time with 1 and 2 workers (warm: A and G
//   already in the workers), for OMP and, where registered, every other solver;
// - the scalar build against the SIMD build (one worker each).
// Prints a table; writes nothing. Options: --quick (small sizes).
import type { SolverName } from '../src/solvers/registry.js';
import { medianMs as benchMedian } from './common.js';
import { init, Matrix, ompBatch, ompBatchPlan, Operator, solveBatch, SolverPool } from '../src/index.js';
import { optionsFor, SOLVERS } from '../src/solvers/registry.js';
import { gaussianProblem, signalBlock } from '../src/data/problems.js';

const quick = process.argv.includes('--quick');
const SIZES: ReadonlyArray<readonly [number, number, number]> = quick
  ? [[64, 256, 8], [256, 1024, 32]]
  : [[64, 256, 8], [256, 1024, 32], [1024, 4096, 64]];
const BUDGET_MS = quick ? 200 : 600;

function medianMs(fn: () => unknown): Promise<number> {
  return benchMedian(fn, BUDGET_MS);
}

const signals = (A: Matrix, k: number, p: number, seed: number): Float64Array => signalBlock(A, k, p, seed, 0.01);

const f = (v: number) => (v < 1 ? v.toFixed(3) : v < 100 ? v.toFixed(2) : v.toFixed(0));

await init();
console.log('Gram kernel G = A^T A (m n (n + 1) flops, symmetric half)');
for (const [m, n] of SIZES) {
  const { A } = gaussianProblem({ m, n, k: 1, seed: m });
  const op = Operator.dense(A);
  const ms = await medianMs(() => {
    op.disposeGram();
    op.gramPtr();
  });
  op.dispose();
  console.log(`${`${m}x${n}`.padEnd(15)} | ${f(ms).padStart(8)} ms | ${((m * n * (n + 1)) / ms / 1e6).toFixed(1)} GFLOP/s`);
}

console.log('\nprecompute rule: ms per batch, Gram built inside the timing');
console.log('size            |    p |   gram ms |  plain ms | faster | auto');
for (const [m, n, k] of SIZES) {
  const { A } = gaussianProblem({ m, n, k, seed: m });
  for (const p of m >= 1024 ? [1, 16, 64] : [1, 4, 16, 64]) {
    const Y = signals(A, k, p, p);
    const run = (precompute: boolean) => () => {
      const op = Operator.dense(A);
      ompBatch(op, Y, { k, precompute });
      op.dispose();
    };
    const g = await medianMs(run(true));
    const q = await medianMs(run(false));
    const auto = ompBatchPlan(m, n, k, p, false).precompute ? 'gram' : 'plain';
    console.log(`${`${m}x${n} k=${k}`.padEnd(15)} | ${String(p).padStart(4)} | ${f(g).padStart(9)} | ${f(q).padStart(9)} | ${(g < q ? 'gram' : 'plain').padStart(6)} | ${auto}`);
  }
}

const P = 100;
console.log(`\npool scaling: ms per solve, batch of ${P}, warm (A and G resident in the workers)`);
console.log('size            | solver |  main 1t | 1 worker | 2 workers | 2w/1w');
const pool1 = await SolverPool.create({ workers: 1 });
const pool2 = await SolverPool.create({ workers: 2 });
try {
  for (const [m, n, k] of SIZES) {
    const { A } = gaussianProblem({ m, n, k, seed: m });
    const Y = signals(A, k, P, 7);
    const op = Operator.dense(A);
    for (const solver of Object.keys(SOLVERS)) {
      if (solver !== 'omp' && m >= 1024) continue; // the iterative solvers at the largest size take minutes
      const opts = optionsFor(solver as SolverName, k);
      const main = await medianMs(() => solveBatch(solver as SolverName, op, Y, opts));
      await pool1.solveBatch(solver, A, Y, opts);
      await pool2.solveBatch(solver, A, Y, opts);
      const a = await medianMs(() => pool1.solveBatch(solver, A, Y, opts));
      const b = await medianMs(() => pool2.solveBatch(solver, A, Y, opts));
      console.log(`${`${m}x${n} k=${k}`.padEnd(15)} | ${solver.padEnd(6)} | ${f(main / P).padStart(8)} | ${f(a / P).padStart(8)} | ${f(b / P).padStart(9)} | ${(a / b).toFixed(2)}`);
    }
    op.dispose();
    await Promise.all([pool1.release(A), pool2.release(A)]);
  }
} finally {
  await Promise.all([pool1.terminate(), pool2.terminate()]);
}

console.log(`\nscalar vs SIMD build: ms per solve, batch of ${P}, one worker each`);
console.log('size            | path  |  simd |  scalar | scalar/simd');
const simd = await SolverPool.create({ workers: 1, simd: true });
const scalar = await SolverPool.create({ workers: 1, simd: false });
try {
  for (const [m, n, k] of SIZES) {
    const { A } = gaussianProblem({ m, n, k, seed: m });
    const Y = signals(A, k, P, 9);
    for (const precompute of [false, true]) {
      await simd.ompBatch(A, Y, { k, precompute });
      await scalar.ompBatch(A, Y, { k, precompute });
      const a = await medianMs(() => simd.ompBatch(A, Y, { k, precompute }));
      const b = await medianMs(() => scalar.ompBatch(A, Y, { k, precompute }));
      console.log(`${`${m}x${n} k=${k}`.padEnd(15)} | ${(precompute ? 'gram' : 'plain').padEnd(5)} | ${f(a / P).padStart(5)} | ${f(b / P).padStart(7)} | ${(b / a).toFixed(2)}`);
    }
    await Promise.all([simd.release(A), scalar.release(A)]);
  }
} finally {
  await Promise.all([simd.terminate(), scalar.terminate()]);
}

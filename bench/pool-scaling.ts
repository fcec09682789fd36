// Pool scaling: `npm run bench:pool` (tsx bench/pool-scaling.ts [options]).
//
// ms per batch of P signals (OMP) on a SolverPool of 1 and of 2 workers, and
// the ratio 1 worker / 2 workers, on three paths:
// - cold: the pool releases A first, so each call sends A to the workers and
//   builds (and distributes) the Gram matrix inside the timing;
// - warm: A and G resident in the workers (Batch-OMP, precompute 'auto');
// - plain: A resident, precompute: false (one OMP solve per column).
// Medians of tinybench samples, then the median over --repeat runs; the
// 1- and 2-worker pools are timed alternately so that a load change on a
// shared machine hits both.
//
// options:
//   --sizes=m:n:k,...   default 256:1024:32 (and --all: 64:256:8, 256:1024:32, 1024:4096:64)
//   --p=N               signals per batch (default 100)
//   --repeat=N          runs (default 3)
//   --time=MS           tinybench time budget per task (default 1000)
//   --shared=on|off     SolverPool's sharedMemory option (default: the pool's default, off)
//   --paths=cold,...    which of cold, warm, plain (default: all three)
import { cpus, loadavg } from 'node:os';
import { init, SolverPool } from '../src/index.js';
import { batchProblem, medianMs as benchMedian } from './common.js';
import type { Matrix } from '../src/core/matrix.js';

const args = new Map(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v ?? 'true'] as const;
}));
const P = Number(args.get('p') ?? 100);
const REPEAT = Number(args.get('repeat') ?? 3);
const TIME_MS = Number(args.get('time') ?? 1000);
const SHARED = args.has('shared') ? args.get('shared') !== 'off' : undefined;
const SIZES: Array<[number, number, number]> = args.has('all')
  ? [[64, 256, 8], [256, 1024, 32], [1024, 4096, 64]]
  : (args.get('sizes') ?? '256:1024:32').split(',').map((s) => s.split(':').map(Number) as [number, number, number]);
const PATHS = (args.get('paths') ?? 'cold,warm,plain').split(',');
const SIGMA = 0.01;

function problem(m: number, n: number, k: number): { A: Matrix; Y: Float64Array } {
  return batchProblem(m, n, k, P, SIGMA);
}

function medianMs(fn: () => Promise<unknown>): Promise<number> {
  return benchMedian(fn, TIME_MS, 5, 2);
}

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

await init();
const opt = SHARED === undefined ? {} : { sharedMemory: SHARED };
const pool1 = await SolverPool.create({ workers: 1, ...opt });
const pool2 = await SolverPool.create({ workers: 2, ...opt });
const load0 = loadavg()[0];
console.log(`pool scaling: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, node ${process.version}, OMP, batch of ${P}, ` +
  `sharedMemory ${SHARED === undefined ? 'default' : SHARED ? 'on' : 'off'}; medians of ${REPEAT} runs; load average ${load0.toFixed(2)} at start`);
console.log('(m, n, k)        | path  | 1 worker ms | 2 workers ms | 1w / 2w');
console.log('---------------- | ----- | ----------: | -----------: | ------:');
try {
  for (const [m, n, k] of SIZES) {
    const { A, Y } = problem(m, n, k);
    const paths = {
      cold: (pool: SolverPool) => async () => {
        await pool.release(A);
        await pool.ompBatch(A, Y, { k });
      },
      warm: (pool: SolverPool) => () => pool.ompBatch(A, Y, { k }),
      plain: (pool: SolverPool) => () => pool.ompBatch(A, Y, { k, precompute: false }),
    };
    for (const [name, make] of Object.entries(paths).filter(([p]) => PATHS.includes(p))) {
      const t1: number[] = [];
      const t2: number[] = [];
      for (let r = 0; r < REPEAT; r++) {
        t1.push(await medianMs(make(pool1)));
        t2.push(await medianMs(make(pool2)));
      }
      const a = median(t1);
      const b = median(t2);
      console.log(`${`(${m}, ${n}, ${k})`.padEnd(16)} | ${name.padEnd(5)} | ${a.toFixed(2).padStart(11)} | ${b.toFixed(2).padStart(12)} | ${(a / b).toFixed(2).padStart(7)}`);
    }
    await Promise.all([pool1.release(A), pool2.release(A)]);
  }
} finally {
  await Promise.all([pool1.terminate(), pool2.terminate()]);
}
console.log(`load average ${loadavg()[0].toFixed(2)} at end`);

// Pool soak: many batches, each with a fresh Matrix the caller drops right
// after, on a SolverPool of 2 workers. Checks that the process's memory
// (resident set of the main thread and its worker threads, which share the
// process) stays flat after the warm-up: the pool's copies of matrices the
// caller no longer holds are dropped (collection, and the residentBytes
// budget), here and in the workers. Prints one line per sample and a summary;
// exits 1 when the growth after the warm-up exceeds the allowance.
//
//   npx tsx scripts/pool-soak.ts [--batches 1000] [--m 512] [--n 2048] [--signals 4] [--workers 2] [--allow-mb 100]
import { parseArgs } from 'node:util';
import { init, Matrix } from '../src/index.js';
import { SolverPool } from '../src/parallel/pool.js';
import { Rng } from '../src/core/random.js';

const forceGc = (globalThis as { gc?: () => void }).gc;

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '1000' },
    m: { type: 'string', default: '512' },
    n: { type: 'string', default: '2048' },
    signals: { type: 'string', default: '4' },
    workers: { type: 'string', default: '2' },
    'allow-mb': { type: 'string', default: '100' },
  },
});
const batches = Number(values.batches);
const m = Number(values.m);
const n = Number(values.n);
const p = Number(values.signals);
const workers = Number(values.workers);
const allow = Number(values['allow-mb']) * 2 ** 20;
// warm-up: the first tenth of the batches (at least 20): caches, the JIT, the allocators' and the budget's steady state
const warm = Math.max(20, Math.floor(batches / 10));
const SAMPLE_EVERY = Math.max(1, Math.floor(batches / 20));

await init();
const pool = await SolverPool.create({ workers });
const rng = new Rng(1);
/** A fresh m x n matrix of uniform entries in [-1, 1) (xorshift: cheap next to the solves). */
function freshMatrix(seed: number): Matrix {
  const data = new Float64Array(m * n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    data[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return new Matrix(m, n, data);
}
const mb = (b: number) => (b / 2 ** 20).toFixed(0);
let base = 0;
let peak = 0;
let last = 0;
const t0 = Date.now();
for (let b = 0; b < batches; b++) {
  const A = freshMatrix(b + 1); // fresh every batch, dropped after it
  const Y = rng.normals(m * p);
  const r = await pool.solveBatch('omp', A, Y, { k: 5, precompute: false });
  if (r.errors.length > 0) throw new Error(`batch ${b}: ${r.errors[0].message}`);
  forceGc?.();
  const rss = process.memoryUsage().rss;
  if (b === warm) base = rss;
  if (b > warm) peak = Math.max(peak, rss);
  last = rss;
  if (b % SAMPLE_EVERY === 0 || b === batches - 1) {
    const res = await pool.resident();
    console.log(`batch ${b}: rss ${mb(rss)} MB; pool copies: main ${res.matrices} (${mb(res.bytes)} MB), workers ${res.workers.map((w) => `${w.matrices} (${mb(w.bytes)} MB)`).join(', ')}`);
  }
}
await pool.terminate();
const growth = peak - base;
console.log(`${batches} batches of ${p} signals, fresh ${m} x ${n} Matrix each, ${workers} workers, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(`rss after warm-up (batch ${warm}) ${mb(base)} MB, peak after it ${mb(peak)} MB, last ${mb(last)} MB: growth ${mb(growth)} MB (allowed ${mb(allow)} MB)`);
if (growth > allow) {
  console.error('pool-soak: memory grew beyond the allowance');
  process.exit(1);
}

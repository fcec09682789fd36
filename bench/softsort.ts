// Soft-OMP and Soft-IHT, forward and forward+backward, per sample: WASM
// against the pure-TS twin, at (m, n) = (20, 256) with 10 iterations and
// (200, 400) with 15. Data from the model: unit-norm columns, s-sparse x
// (s = 5 and 15), y = A x + 0.01 N(0, I)/sqrt(m); Soft-IHT keeps k = s rows
// with eta = 1/||A||_2^2 at (20, 256) and the paper's eta = 0.6 at (200, 400)
// (larger steps diverge on the small size: a diverged run stops early and
// would time nothing); tau = 1e-2, random weights w in [0.5, 1.5].
// A is resident (Operator) for the WASM calls, as in training; "batch" rows
// time the batched VJP over 64 samples and report it per sample; the
// single-sample rows cycle through the same 64 samples.
//
//   npm run bench:soft            (about 1 minute; BENCH_TIME=ms per task, default 400)
import { Bench } from 'tinybench';
import { init, Matrix, Operator, softIht, softIhtBatchVjp, softIhtVjp, softOmp, softOmpBatchVjp, softOmpVjp } from '../src/index.js';
import { Rng } from '../src/core/random.js';

await init();

const TIME = Number(process.env.BENCH_TIME ?? 400);
const BATCH = 64;
const TAU = 1e-2;

interface Row {
  size: string;
  solver: string;
  pass: string;
  wasm: Stat;
  js: Stat | null;
}
interface Stat {
  p50: number;
  mean: number;
}
const rows: Row[] = [];

for (const [m, n, L, s, etaOpt] of [[20, 256, 10, 5, undefined], [200, 400, 15, 15, 0.6]] as const) {
  const rng = new Rng(m * 1000 + n);
  const A = new Matrix(m, n, rng.normals(m * n)).normalizeColumns();
  const op = Operator.dense(A);
  const Y = new Matrix(m, BATCH);
  const Xt = new Matrix(n, BATCH);
  for (let b = 0; b < BATCH; b++) {
    for (const j of rng.sample(n, s)) Xt.data[b * n + j] = rng.normal();
    for (let j = 0; j < n; j++) {
      const xj = Xt.data[b * n + j];
      if (xj !== 0) for (let i = 0; i < m; i++) Y.data[b * m + i] += A.data[i + j * m] * xj;
    }
    for (let i = 0; i < m; i++) Y.data[b * m + i] += (0.01 * rng.normal()) / Math.sqrt(m);
  }
  // single-sample tasks cycle through the 64 samples: the cost depends on the
  // data (exp() calls whose result underflows are skipped), by up to 2x here
  const ys = Array.from({ length: BATCH }, (_, b) => Y.data.slice(b * m, (b + 1) * m));
  let cur = 0;
  const next = () => ys[(cur = (cur + 1) % BATCH)];
  const gx = rng.normals(n);
  const w = Float64Array.from({ length: n }, () => 0.5 + rng.uniform());
  const omp = { iterations: L, tau: TAU, w };
  const iht = { k: s, iterations: L, eta: etaOpt, tau: TAU, w };
  for (const st of [...softOmpBatchVjp(op, Y, Xt, omp).status, ...softIhtBatchVjp(op, Y, Xt, iht).status]) {
    if (st !== 'converged') console.warn(`warning: a bench run ended '${st}' at ${m}x${n}`);
  }
  const bench = new Bench({ time: TIME, warmupTime: 100 });
  bench
    .add('omp fwd wasm', () => softOmp(op, next(), omp))
    .add('omp fwd js', () => softOmp(A, next(), { ...omp, backend: 'js' }))
    .add('omp fwd+bwd wasm', () => softOmpVjp(op, next(), gx, omp))
    .add('omp fwd+bwd js', () => softOmpVjp(A, next(), gx, { ...omp, backend: 'js' }))
    .add('omp batch fwd+bwd wasm', () => softOmpBatchVjp(op, Y, Xt, omp))
    .add('iht fwd wasm', () => softIht(op, next(), iht))
    .add('iht fwd js', () => softIht(A, next(), { ...iht, backend: 'js' }))
    .add('iht fwd+bwd wasm', () => softIhtVjp(op, next(), gx, iht))
    .add('iht fwd+bwd js', () => softIhtVjp(A, next(), gx, { ...iht, backend: 'js' }))
    .add('iht batch fwd+bwd wasm', () => softIhtBatchVjp(op, Y, Xt, iht));
  await bench.run();
  // median and mean in microseconds: the median filters out OS preemption
  // for the short single-sample calls, but not for the long batch call
  // (64 samples), so compare batch and single rows by the mean
  const us = (name: string, div = 1): Stat => {
    const t = bench.tasks.find((x) => x.name === name)!;
    const r = t.result as unknown as { latency?: { mean: number; p50: number } };
    return { p50: ((r.latency?.p50 ?? NaN) * 1000) / div, mean: ((r.latency?.mean ?? NaN) * 1000) / div };
  };
  const size = `${m}x${n} L=${L} s=${s}`;
  for (const solver of ['omp', 'iht']) {
    rows.push({ size, solver: `Soft-${solver.toUpperCase()}`, pass: 'forward', wasm: us(`${solver} fwd wasm`), js: us(`${solver} fwd js`) });
    rows.push({ size, solver: `Soft-${solver.toUpperCase()}`, pass: 'fwd+bwd', wasm: us(`${solver} fwd+bwd wasm`), js: us(`${solver} fwd+bwd js`) });
    rows.push({ size, solver: `Soft-${solver.toUpperCase()}`, pass: `fwd+bwd, batch ${BATCH}, per sample`, wasm: us(`${solver} batch fwd+bwd wasm`, BATCH), js: null });
  }
  op.dispose();
}

const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const os = await import('node:os');
console.log(`Soft-OMP / Soft-IHT per sample, microseconds (tau=${TAU}, node ${process.version}, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
const head = ['size', 'solver', 'pass', 'WASM p50', 'WASM mean', 'JS p50', 'JS mean', 'JS/WASM p50'];
console.log(head.map((h, i) => (i < 3 ? h.padEnd([20, 10, 28][i]) : h.padStart(12))).join(''));
for (const r of rows) {
  console.log([r.size.padEnd(20), r.solver.padEnd(10), r.pass.padEnd(28), f(r.wasm.p50).padStart(12), f(r.wasm.mean).padStart(12),
    f(r.js?.p50 ?? NaN).padStart(12), f(r.js?.mean ?? NaN).padStart(12), f((r.js?.p50 ?? NaN) / r.wasm.p50).padStart(12)].join(''));
}

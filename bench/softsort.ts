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
import { Rng } from '../src/random.js';

await init();

const TIME = Number(process.env.BENCH_TIME ?? 400);
const BATCH = 64;
const TAU = 1e-2;

interface Row {
  size: string;
  solver: string;
  pass: string;
  wasmUs: number;
  jsUs: number;
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
  const us = (name: string) => {
    const t = bench.tasks.find((x) => x.name === name)!;
    // mean, not median: the batch task is one long call, so a median over
    // calls would filter out OS preemption for the short tasks only
    const r = t.result as unknown as { latency?: { mean: number } };
    return (r.latency?.mean ?? NaN) * 1000;
  };
  const size = `${m}x${n} L=${L} s=${s}`;
  for (const solver of ['omp', 'iht']) {
    rows.push({ size, solver: `Soft-${solver.toUpperCase()}`, pass: 'forward', wasmUs: us(`${solver} fwd wasm`), jsUs: us(`${solver} fwd js`) });
    rows.push({ size, solver: `Soft-${solver.toUpperCase()}`, pass: 'fwd+bwd', wasmUs: us(`${solver} fwd+bwd wasm`), jsUs: us(`${solver} fwd+bwd js`) });
    rows.push({ size, solver: `Soft-${solver.toUpperCase()}`, pass: `fwd+bwd, batch ${BATCH} (per sample)`, wasmUs: us(`${solver} batch fwd+bwd wasm`) / BATCH, jsUs: NaN });
  }
  op.dispose();
}

const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
console.log(`Soft-OMP / Soft-IHT per sample, mean microseconds (tau=${TAU}, node ${process.version}, load average ${(await import('node:os')).loadavg()[0].toFixed(1)})`);
console.log(['size', 'solver', 'pass', 'WASM us', 'JS us', 'JS/WASM'].map((h, i) => (i < 3 ? h.padEnd(i === 2 ? 34 : 20) : h.padStart(10))).join(''));
for (const r of rows) {
  console.log([r.size.padEnd(20), r.solver.padEnd(18), r.pass.padEnd(34), f(r.wasmUs).padStart(10), f(r.jsUs).padStart(10), f(r.jsUs / r.wasmUs).padStart(10)].join(''));
}

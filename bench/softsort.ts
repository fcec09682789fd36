// Soft-OMP and Soft-IHT, forward and forward+backward, per sample: WASM
// against the pure-TS twin, at (m, n) = (20, 256) with 10 iterations and
// (200, 400) with 15 (k = the iteration count for Soft-IHT, tau = 1e-2,
// eta = 0.6, random weights). A is resident (Operator) for the WASM calls,
// as in training; "batch" rows time the batched VJP over 64 samples and
// report it per sample.
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

for (const [m, n, L] of [[20, 256, 10], [200, 400, 15]] as const) {
  const rng = new Rng(m * 1000 + n);
  const A = new Matrix(m, n, rng.normals(m * n)).normalizeColumns();
  const op = Operator.dense(A);
  const Y = new Matrix(m, BATCH, rng.normals(m * BATCH));
  const Xt = new Matrix(n, BATCH, rng.normals(n * BATCH).map((v) => (rng.uniform() < L / n ? v : 0)));
  const y = Y.data.slice(0, m);
  const gx = rng.normals(n);
  const w = Float64Array.from({ length: n }, () => 0.5 + rng.uniform());
  const omp = { iterations: L, tau: TAU, w };
  const iht = { k: L, iterations: L, eta: 0.6, tau: TAU, w };
  const bench = new Bench({ time: TIME, warmupTime: 100 });
  bench
    .add('omp fwd wasm', () => softOmp(op, y, omp))
    .add('omp fwd js', () => softOmp(A, y, { ...omp, backend: 'js' }))
    .add('omp fwd+bwd wasm', () => softOmpVjp(op, y, gx, omp))
    .add('omp fwd+bwd js', () => softOmpVjp(A, y, gx, { ...omp, backend: 'js' }))
    .add('omp batch fwd+bwd wasm', () => softOmpBatchVjp(op, Y, Xt, omp))
    .add('iht fwd wasm', () => softIht(op, y, iht))
    .add('iht fwd js', () => softIht(A, y, { ...iht, backend: 'js' }))
    .add('iht fwd+bwd wasm', () => softIhtVjp(op, y, gx, iht))
    .add('iht fwd+bwd js', () => softIhtVjp(A, y, gx, { ...iht, backend: 'js' }))
    .add('iht batch fwd+bwd wasm', () => softIhtBatchVjp(op, Y, Xt, iht));
  await bench.run();
  const us = (name: string) => {
    const t = bench.tasks.find((x) => x.name === name)!;
    const r = t.result as unknown as { latency?: { p50: number } };
    return (r.latency?.p50 ?? NaN) * 1000;
  };
  const size = `${m}x${n}, L=${L}`;
  for (const solver of ['omp', 'iht']) {
    rows.push({ size, solver: `Soft-${solver.toUpperCase()}`, pass: 'forward', wasmUs: us(`${solver} fwd wasm`), jsUs: us(`${solver} fwd js`) });
    rows.push({ size, solver: `Soft-${solver.toUpperCase()}`, pass: 'fwd+bwd', wasmUs: us(`${solver} fwd+bwd wasm`), jsUs: us(`${solver} fwd+bwd js`) });
    rows.push({ size, solver: `Soft-${solver.toUpperCase()}`, pass: `fwd+bwd, batch ${BATCH} (per sample)`, wasmUs: us(`${solver} batch fwd+bwd wasm`) / BATCH, jsUs: NaN });
  }
  op.dispose();
}

const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
console.log(`Soft-OMP / Soft-IHT per sample, median microseconds (tau=${TAU}, node ${process.version})`);
console.log(['size', 'solver', 'pass', 'WASM us', 'JS us', 'JS/WASM'].map((h, i) => (i < 3 ? h.padEnd(i === 2 ? 34 : 18) : h.padStart(10))).join(''));
for (const r of rows) {
  console.log([r.size.padEnd(18), r.solver.padEnd(18), r.pass.padEnd(34), f(r.wasmUs).padStart(10), f(r.jsUs).padStart(10), f(r.jsUs / r.wasmUs).padStart(10)].join(''));
}

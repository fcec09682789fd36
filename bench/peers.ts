// npm run bench:peers — sparse-pursuit against its native peers, in one run:
// scikit-learn's orthogonal_mp (single problem, and a batch of 100 with
// precompute=True; BLAS on 1 thread and at its default) and a numpy
// normalized IHT, on the very problems this script writes to a temp dir
// (raw float64 + JSON), then OMP here: one solve, ompBatch on one thread, and
// SolverPool with 1 and 2 workers (SIMD build), plus the scalar build.
// Prints the ratios and merges them into bench/results.json under "peers".
// Skips (exit 0, with a message) where /usr/bin/python3 lacks numpy, sklearn
// or threadpoolctl.
//
// Options: --quick (small sizes only, short budgets), --no-write.
import { spawnSync } from 'node:child_process';
import { cpuUsage } from 'node:process';
import { Worker } from 'node:worker_threads';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem, platform, release, arch, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendInfo, init, Matrix, omp, ompBatch, Operator, solveBatch, SolverPool } from '../src/index.js';
import { SOLVERS } from '../src/solvers/registry.js';
import { batchProblem, medianMs as benchMedian } from './common.js';

/** The Python with the peers (Debian's); SP_PYTHON overrides it (e.g. to check the skip path). */
const PYTHON = process.env.SP_PYTHON ?? '/usr/bin/python3';
const quick = process.argv.includes('--quick');
const write = !process.argv.includes('--no-write');

/** The benchmark sizes (m, n, k) of the issue; p signals per batch. */
const SIZES: ReadonlyArray<readonly [number, number, number]> = quick
  ? [[64, 256, 8], [256, 1024, 32]]
  : [[64, 256, 8], [256, 1024, 32], [1024, 4096, 64]];
const P = 100;
/** Seconds per measurement (each side); the largest problems stop after 3 runs anyway. */
const BUDGET = quick ? 0.3 : 1.0;
/** First solves timed on fresh operators (median of these). */
const FIRST_SOLVE_RUNS = quick ? 3 : 7;
/** NIHT settings shared by both sides: same stopping rule, same cap. */
const NIHT_MAX_ITER = 300;
const NIHT_TOL = 1e-6;
/** Noise level of the signals: sigma / sqrt(m) per entry, as src/data/problems.ts. */
const SIGMA = 0.01;

interface Problem {
  name: string;
  m: number;
  n: number;
  k: number;
  A: Matrix;
  /** m x P, column-major. */
  Y: Float64Array;
}

function makeProblem(m: number, n: number, k: number): Problem {
  return { name: `${m}x${n} k=${k}`, m, n, k, ...batchProblem(m, n, k, P, SIGMA) };
}

function pythonStatus(): string | null {
  if (PYTHON.includes('/') && !existsSync(PYTHON)) return `${PYTHON} not found`;
  const r = spawnSync(PYTHON, ['-c', 'import numpy, sklearn, threadpoolctl'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} cannot be run (${r.error.message})`;
  if (r.status !== 0) return `${PYTHON} cannot import numpy, sklearn and threadpoolctl (${(r.stderr || '').trim().split('\n').pop()}); on Debian: apt-get install python3-sklearn`;
  return null;
}

interface PyProblem {
  name: string;
  ompSingleMs_1thread: number;
  ompSingleMs_default: number;
  ompBatchMs_1thread: number;
  ompBatchMs_default: number;
  ompBatchPerSolveMs_1thread: number;
  ompBatchPerSolveMs_default: number;
  ompSupports: number[][];
  ompSingleSupport: number[];
  nihtSingleMs_1thread: number;
  nihtPerSolveMs_1thread: number;
  nihtIterations: number[];
  nihtSupports: number[][];
}
interface PyOut {
  versions: Record<string, string>;
  blas: Array<{ internal_api: string; version: string; num_threads: number }>;
  problems: PyProblem[];
}

function runPython(problems: Problem[]): PyOut {
  const dir = mkdtempSync(join(tmpdir(), 'sparse-pursuit-peers-'));
  try {
    const manifest = problems.map((p, i) => {
      const a = join(dir, `A${i}.f64`);
      const y = join(dir, `Y${i}.f64`);
      writeFileSync(a, new Uint8Array(p.A.data.buffer, p.A.data.byteOffset, p.A.data.byteLength));
      writeFileSync(y, new Uint8Array(p.Y.buffer, p.Y.byteOffset, p.Y.byteLength));
      return { name: p.name, m: p.m, n: p.n, k: p.k, p: P, A: a, Y: y, nihtMaxIter: NIHT_MAX_ITER, nihtTol: NIHT_TOL };
    });
    const mpath = join(dir, 'manifest.json');
    const opath = join(dir, 'out.json');
    writeFileSync(mpath, JSON.stringify({ budget: BUDGET, problems: manifest }));
    const script = fileURLToPath(new URL('./peers.py', import.meta.url));
    const r = spawnSync(PYTHON, [script, mpath, opath], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0 || !existsSync(opath)) throw new Error(`bench/peers.py failed (status ${r.status}, ${existsSync(opath) ? 'output written' : 'no output'})`);
    return JSON.parse(readFileSync(opath, 'utf8')) as PyOut;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median ms of fn over a time budget (tinybench), at least 3 runs. */
function medianMs(fn: () => unknown, budgetMs = BUDGET * 1000): Promise<number> {
  return benchMedian(fn, budgetMs);
}

function sameSupports(a: ArrayLike<number>[], b: number[][]): number {
  let same = 0;
  for (let j = 0; j < b.length; j++) if (Array.from(a[j]).join() === b[j].join()) same++;
  return same;
}

function machine(): Record<string, unknown> {
  const c = cpus();
  let cache: string | undefined;
  const l = spawnSync('lscpu', [], { encoding: 'utf8' });
  if (l.status === 0) {
    cache = l.stdout.split('\n').filter((s) => /^L[123][di]? cache/.test(s)).map((s) => s.replace(/\s+/g, ' ').trim()).join('; ');
  }
  return {
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    caches: cache,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    v8: process.versions.v8,
  };
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Cores this process actually gets: two threads spin for 0.5 s and the
 * process CPU time is divided by the wall time (2.0 on an idle 2-core
 * machine; near 1 when another job holds a core, and then no 2-worker
 * scaling can show).
 */
async function coresAvailable(): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads'); let s = 0; const t = Date.now();
while (Date.now() - t < 500) { for (let i = 0; i < 1e5; i++) s += Math.sqrt(i); } parentPort.postMessage(s);`;
  const c0 = cpuUsage();
  const t0 = performance.now();
  await Promise.all([0, 1].map(() => new Promise<void>((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    w.on('message', () => {
      void w.terminate();
      resolve();
    });
    w.on('error', reject);
  })));
  const c = cpuUsage(c0);
  return (c.user + c.system) / 1000 / (performance.now() - t0);
}

async function main(): Promise<void> {
  const why = pythonStatus();
  if (why) {
    console.log(`bench:peers skipped: ${why}`);
    return;
  }
  await init();
  const loadBefore = loadavg().map((v) => Math.round(v * 100) / 100);
  const problems = SIZES.map(([m, n, k]) => makeProblem(m, n, k));
  console.log(`bench:peers: ${problems.length} sizes, batches of ${P}; timing scikit-learn and numpy first ...`);
  const py = runPython(problems);
  console.log(`scikit-learn ${py.versions.sklearn}, numpy ${py.versions.numpy}, BLAS ${py.blas.map((b) => `${b.internal_api} ${b.version}`).join(', ')}`);

  const coresBefore = await coresAvailable();
  const pool1 = await SolverPool.create({ workers: 1 });
  const pool2 = await SolverPool.create({ workers: 2 });
  const scalar1 = await SolverPool.create({ workers: 1, simd: false });
  const simd1 = await SolverPool.create({ workers: 1, simd: true });
  const hasNiht = Object.prototype.hasOwnProperty.call(SOLVERS, 'niht');
  const rows: Record<string, unknown>[] = [];
  try {
    for (const [i, pr] of problems.entries()) {
      const s = py.problems[i];
      const { A, Y, m, k } = pr;
      const y0 = Y.subarray(0, m);
      const op = Operator.dense(A);
      console.log(`\n${pr.name}: WASM ...`);
      // the first solve on a fresh resident operator (it makes the f32 copy
      // of A the screen reads), then later solves on one operator (the copy
      // held; G built inside one of them once the solves have paid for it,
      // omp-resident.ts), then solves once G is held
      const firsts: number[] = [];
      for (let t = 0; t < FIRST_SOLVE_RUNS; t++) {
        const o = Operator.dense(A);
        const t0 = performance.now();
        omp(o, y0, { k });
        firsts.push(performance.now() - t0);
        o.dispose();
      }
      const first = firsts.sort((a, b) => a - b)[FIRST_SOLVE_RUNS >> 1];
      omp(op, y0, { k });
      const single = await medianMs(() => omp(op, y0, { k }));
      const singleGramBuilt = op.hasGram;
      op.gramPtr();
      const singleGram = await medianMs(() => omp(op, y0, { k }));
      // cold: a fresh operator, so the Gram matrix is built inside the timing (as scikit-learn builds it per call)
      const batchCold = await medianMs(() => {
        const o = Operator.dense(A);
        ompBatch(o, Y, { k });
        o.dispose();
      });
      op.gramPtr();
      const batchWarm = await medianMs(() => ompBatch(op, Y, { k }));
      const batchPlain = await medianMs(() => ompBatch(op, Y, { k, precompute: false }));
      const poolCold = async (pool: SolverPool) => medianMs(async () => {
        await pool.release(A);
        await pool.ompBatch(A, Y, { k });
      });
      const pool1Cold = await poolCold(pool1);
      const pool2Cold = await poolCold(pool2);
      const pool1Warm = await medianMs(() => pool1.ompBatch(A, Y, { k }));
      const pool2Warm = await medianMs(() => pool2.ompBatch(A, Y, { k }));
      const pool1Plain = await medianMs(() => pool1.ompBatch(A, Y, { k, precompute: false }));
      const pool2Plain = await medianMs(() => pool2.ompBatch(A, Y, { k, precompute: false }));
      // the scalar build against the SIMD build, both in one worker
      const simdPlain = await medianMs(() => simd1.ompBatch(A, Y, { k, precompute: false }));
      const scalarPlain = await medianMs(() => scalar1.ompBatch(A, Y, { k, precompute: false }));
      await simd1.ompBatch(A, Y, { k, precompute: true });
      await scalar1.ompBatch(A, Y, { k, precompute: true });
      const simdGram = await medianMs(() => simd1.ompBatch(A, Y, { k, precompute: true }));
      const scalarGram = await medianMs(() => scalar1.ompBatch(A, Y, { k, precompute: true }));
      await Promise.all([pool1.release(A), pool2.release(A), simd1.release(A), scalar1.release(A)]);
      // the same problems solved on both sides?
      const ours = ompBatch(op, Y, { k });
      const ompAgree = sameSupports(ours.support, s.ompSupports);
      let niht: Record<string, unknown> | null = null;
      if (hasNiht) {
        const nSingle = await medianMs(() => SOLVERS.niht(op, y0, { k, maxIter: NIHT_MAX_ITER, tol: NIHT_TOL }));
        const t0 = performance.now();
        const nb = solveBatch('niht', op, Y, { k, maxIter: NIHT_MAX_ITER, tol: NIHT_TOL });
        const nPer = (performance.now() - t0) / P;
        const its = Array.from(nb.iterations);
        niht = {
          singleMs: r3(nSingle),
          perSolveMs: r3(nPer),
          meanIterations: r3(its.reduce((a, b) => a + b, 0) / P),
          numpyMeanIterations: r3(s.nihtIterations.reduce((a, b) => a + b, 0) / P),
          supportsAgree: sameSupports(nb.support, s.nihtSupports),
          ratioSingle: r3(nSingle / s.nihtSingleMs_1thread),
          ratioPerSolve: r3(nPer / s.nihtPerSolveMs_1thread),
        };
      }
      op.dispose();
      const row = {
        size: pr.name,
        m: pr.m,
        n: pr.n,
        k,
        p: P,
        sklearn: {
          singleMs_1thread: r3(s.ompSingleMs_1thread),
          singleMs_default: r3(s.ompSingleMs_default),
          batchPerSolveMs_1thread: r3(s.ompBatchPerSolveMs_1thread),
          batchPerSolveMs_default: r3(s.ompBatchPerSolveMs_default),
        },
        numpyNiht: { singleMs_1thread: r3(s.nihtSingleMs_1thread), perSolveMs_1thread: r3(s.nihtPerSolveMs_1thread) },
        wasm: {
          singleMs_firstSolve: r3(first),
          singleMs: r3(single),
          singleGramBuiltDuringResidentRun: singleGramBuilt,
          singleMs_gramHeld: r3(singleGram),
          batchPerSolveMs_coldGram_1thread: r3(batchCold / P),
          batchPerSolveMs_warmGram_1thread: r3(batchWarm / P),
          batchPerSolveMs_plain_1thread: r3(batchPlain / P),
          pool1PerSolveMs_cold: r3(pool1Cold / P),
          pool2PerSolveMs_cold: r3(pool2Cold / P),
          pool1PerSolveMs_warm: r3(pool1Warm / P),
          pool2PerSolveMs_warm: r3(pool2Warm / P),
          pool1PerSolveMs_plain: r3(pool1Plain / P),
          pool2PerSolveMs_plain: r3(pool2Plain / P),
          ompSupportsAgreeWithSklearn: `${ompAgree}/${P}`,
        },
        ratios: {
          singleFirst_vs_sklearn1: r3(first / s.ompSingleMs_1thread),
          single_vs_sklearn1: r3(single / s.ompSingleMs_1thread),
          singleGramHeld_vs_sklearn1: r3(singleGram / s.ompSingleMs_1thread),
          batch1thread_cold_vs_sklearnBatch1: r3(batchCold / P / s.ompBatchPerSolveMs_1thread),
          pool2_cold_vs_sklearnBatch1: r3(pool2Cold / P / s.ompBatchPerSolveMs_1thread),
          pool2_warm_vs_sklearnBatch1: r3(pool2Warm / P / s.ompBatchPerSolveMs_1thread),
          pool2_cold_vs_sklearnBatchDefault: r3(pool2Cold / P / s.ompBatchPerSolveMs_default),
          scaling_2w_over_1w_cold: r3(pool1Cold / pool2Cold),
          scaling_2w_over_1w_warm: r3(pool1Warm / pool2Warm),
          scaling_2w_over_1w_plain: r3(pool1Plain / pool2Plain),
          scalar_over_simd_plain: r3(scalarPlain / simdPlain),
          scalar_over_simd_gram: r3(scalarGram / simdGram),
        },
        niht,
      };
      rows.push(row);
      console.log(JSON.stringify(row, null, 1));
    }
  } finally {
    await Promise.all([pool1.terminate(), pool2.terminate(), scalar1.terminate(), simd1.terminate()]);
  }

  console.log('\nsize                | sklearn 1t single | WASM 1st solve | ratio | WASM later solves | ratio | G held | ratio | sklearn 1t batch/solve | pool2 cold/solve | ratio | 2w/1w | scalar/simd');
  for (const r of rows as Array<{ size: string; sklearn: Record<string, number>; wasm: Record<string, number>; ratios: Record<string, number> }>) {
    console.log([
      r.size.padEnd(19),
      `${r.sklearn.singleMs_1thread} ms`.padStart(17),
      `${r.wasm.singleMs_firstSolve} ms`.padStart(14),
      String(r.ratios.singleFirst_vs_sklearn1).padStart(5),
      `${r.wasm.singleMs} ms`.padStart(17),
      String(r.ratios.single_vs_sklearn1).padStart(5),
      `${r.wasm.singleMs_gramHeld} ms`.padStart(6),
      String(r.ratios.singleGramHeld_vs_sklearn1).padStart(5),
      `${r.sklearn.batchPerSolveMs_1thread} ms`.padStart(22),
      `${r.wasm.pool2PerSolveMs_cold} ms`.padStart(16),
      String(r.ratios.pool2_cold_vs_sklearnBatch1).padStart(5),
      String(r.ratios.scaling_2w_over_1w_cold).padStart(5),
      String(r.ratios.scalar_over_simd_plain).padStart(11),
    ].join(' | '));
  }

  const coresAfter = await coresAvailable();
  console.log(`cores this process got (2 spinning threads, CPU time / wall time): ${coresBefore.toFixed(2)} before, ${coresAfter.toFixed(2)} after`);
  const peers = {
    date: new Date().toISOString(),
    machine: machine(),
    // other work on the machine while this ran (1, 5, 15-minute load averages; 2 cores here)
    loadAverage: { before: loadBefore, after: loadavg().map((v) => Math.round(v * 100) / 100) },
    // two spinning threads' CPU time / wall time, before the WASM timings and after them (see coresAvailable)
    coresAvailable: { before: r3(coresBefore), after: r3(coresAfter) },
    wasmBuild: backendInfo().build,
    peers: { ...py.versions, blas: py.blas.map((b) => `${b.internal_api} ${b.version}`).join(', ') },
    settings: { batch: P, nihtMaxIter: NIHT_MAX_ITER, nihtTol: NIHT_TOL, sigma: SIGMA, budgetSeconds: BUDGET, quick },
    notes: [
      'ratios are WASM time / peer time (below 1: WASM faster); per-solve = batch time / p',
      'WASM single: the first solve on a fresh resident operator (it makes the f32 copy of A), later solves on one operator (copy held; G built inside one of them once the solves have paid for it), and solves once G is held',
      'sklearn batch: orthogonal_mp(A, Y, precompute=True), Gram and A^T Y built inside every call; WASM cold: a fresh operator, Gram built inside the timing; warm: Gram kept on the operator',
      'pool timings include posting Y and collecting X; cold pool timings also send A and build the Gram matrix (split over the workers)',
      'numpy NIHT: one BLAS thread, the step rule of assembly/solvers/niht.ts',
    ],
    results: rows,
  };
  if (write && !quick) {
    const path = fileURLToPath(new URL('./results.json', import.meta.url));
    let all: Record<string, unknown> = {};
    if (existsSync(path)) {
      try {
        all = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      } catch {
        all = {};
      }
    }
    all.peers = peers;
    writeFileSync(path, JSON.stringify(all, null, 2) + '\n');
    console.log(`\nwrote ${path} (key "peers")`);
  }
}

await main();

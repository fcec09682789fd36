// npm run bench:operators — the transform layer against its peers, in one run
// (tinybench medians):
// 1. the complex FFT (f64) of src/core/transforms.ts (the WASM kernel on
//    resident data) against fft.js (f64, plain JS; powers of two only),
//    @echogarden/pffft-wasm's SIMD build (f32; lengths that are multiples of
//    16 with factors 2, 3, 5) and numpy's FFT (pocketfft, complex128, one
//    thread, through bench/numpy_fft.py when /usr/bin/python3 has numpy), at
//    n = 2^10 .. 2^20, 1000, 3^10 and 10^5;
// 2. A^T r through the partial DCT against the dense gemvT kernel, at
//    n = 1024, 4096, 16384 and m = n / 4;
// 3. convolution A x by direct sums and through the FFT for filters of
//    L = 8 .. 256 taps at n = 4096 and 65536 (where CONV_DIRECT_MAX_TAPS comes from);
// 4. whole solves on structured operators, each case in a fresh child process
//    (so that the WASM memory it reports is that solve's peak: the linear
//    memory never shrinks): OMP on Operator.partialDct at n = 2^18, m = 2^15,
//    k = 200 (time per solve, peak WASM memory, support recovered), and SEA on
//    Operator.convolution (Gaussian filter, 31 taps, 'same') at n = 10^5,
//    maxIter 500 (time per iteration against apply + adjoint, and topK).
// Writes bench/operators-results.json (unless --no-write; sections not run
// keep their recorded results). --quick: small sizes, short budgets, nothing
// written. --only=fft,dct,conv,omp,sea: run those sections only.
// The machine may be shared: the numbers are indicative.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import FFT from 'fft.js';
import { init, omp, Operator, sea } from '../src/index.js';
import { alloc, backendInfo, f64View, free, i32View, liveBytes, memoryBytes, wasm } from '../src/core/wasm.js';
import { Rng } from '../src/core/random.js';

const PYTHON = process.env.SP_PYTHON ?? '/usr/bin/python3';
const quick = process.argv.includes('--quick');
const write = !process.argv.includes('--no-write');
const BUDGET_MS = quick ? 100 : 400;
const argValue = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const SECTIONS = ['fft', 'dct', 'conv', 'omp', 'sea'] as const;
const only = argValue('only')?.split(',');
if (only) for (const o of only) if (!(SECTIONS as readonly string[]).includes(o)) throw new Error(`--only: unknown section ${o} (expected ${SECTIONS.join(', ')})`);
const runs = (s: typeof SECTIONS[number]): boolean => !only || only.includes(s);

const FFT_SIZES = quick
  ? [1024, 4096, 1000]
  : [...Array.from({ length: 11 }, (_, i) => 2 ** (10 + i)), 1000, 3 ** 10, 100000];
const DCT_SIZES = quick ? [1024] : [1024, 4096, 16384];
const CONV_SIZES = quick ? [4096] : [4096, 65536];
const CONV_TAPS = [8, 16, 24, 32, 48, 64, 96, 128, 256];

/** Median ms of fn (tinybench); `before` runs untimed before each call; `iterations`: at least that many timed runs (default 5). */
async function medianMs(fn: () => unknown, before?: () => void, iterations = 5, warmupIterations = 2): Promise<number> {
  const b = new Bench({ time: BUDGET_MS, iterations, warmupIterations, warmupTime: 0 });
  b.add('t', fn as () => void, before ? { beforeEach: before } : undefined);
  await b.run();
  const r = b.tasks[0].result as { state: string; latency?: { p50: number }; error?: Error };
  if (r.state !== 'completed' || !r.latency) throw new Error(`benchmark failed: ${r.error?.message ?? r.state}`);
  return r.latency.p50;
}

const fmt = (ms: number | null): string => (ms === null ? 'n/a' : ms < 0.1 ? ms.toFixed(4) : ms < 10 ? ms.toFixed(3) : ms.toFixed(1));
const ratio = (a: number | null, b: number | null): string => (a === null || b === null ? 'n/a' : (a / b).toFixed(2));

function numpyTimes(sizes: number[]): { version: string; ms: Map<number, number> } | null {
  if (!existsSync(PYTHON)) return null;
  const script = fileURLToPath(new URL('./numpy_fft.py', import.meta.url));
  const r = spawnSync(PYTHON, [script, String(BUDGET_MS / 1000), ...sizes.map(String)], {
    encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.status !== 0) {
    console.log(`numpy skipped: ${(r.stderr || '').trim().split('\n').pop()}`);
    return null;
  }
  const out = JSON.parse(r.stdout) as { numpy: string; results: Array<{ n: number; ms: number }> };
  return { version: out.numpy, ms: new Map(out.results.map((x) => [x.n, x.ms])) };
}

interface Pffft {
  _pffft_new_setup(n: number, kind: number): number;
  _pffft_transform_ordered(setup: number, inp: number, out: number, work: number, dir: number): void;
  _pffft_aligned_malloc(bytes: number): number;
  HEAPF32: Float32Array;
}

async function loadPffft(): Promise<Pffft | null> {
  try {
    const mod = await import('@echogarden/pffft-wasm/simd');
    return (await mod.default()) as Pffft;
  } catch (e) {
    console.log(`pffft-wasm skipped: ${(e as Error).message}`);
    return null;
  }
}

/** pffft's complex transform needs N a multiple of 16 (SIMD) with factors 2, 3, 5. */
function pffftTakes(n: number): boolean {
  if (n % 16 !== 0) return false;
  let r = n;
  for (const p of [2, 3, 5]) while (r % p === 0) r /= p;
  return r === 1;
}

async function benchFft(rng: Rng): Promise<Array<Record<string, unknown>>> {
  const np = numpyTimes(FFT_SIZES);
  const pf = await loadPffft();
  const rows: Array<Record<string, unknown>> = [];
  const fftFn = wasm().fft as (p: number, x: number, w: number, s: number) => number;
  console.log('\nComplex FFT, median ms per transform (lower is better)');
  console.log('     n | sparse-pursuit (f64, WASM SIMD) | fft.js (f64, JS) | pffft-wasm simd (f32) | numpy (f64, native) | fft.js / ours | ours / pffft | ours / numpy');
  for (const n of FFT_SIZES) {
    const plan = alloc(wasm().fftPlanBytes(n) >>> 0), work = alloc(wasm().fftWorkBytes(n) >>> 0), data = alloc(16 * n);
    wasm().fftPlanInit(n, plan, work);
    const input = Float64Array.from({ length: 2 * n }, () => rng.normal());
    // in place: the input is written back (untimed) before each transform
    const ours = await medianMs(() => fftFn(plan, data, work, 1), () => f64View(data, 2 * n).set(input));
    let fftjs: number | null = null;
    if (n >= 2 && (n & (n - 1)) === 0) {
      const f = new FFT(n);
      const inp = Float64Array.from({ length: 2 * n }, () => rng.normal()), out = new Float64Array(2 * n);
      fftjs = await medianMs(() => f.transform(out, inp));
    }
    let pffft: number | null = null;
    if (pf && pffftTakes(n)) {
      const setup = pf._pffft_new_setup(n, 1);
      const inp = pf._pffft_aligned_malloc(8 * n), out = pf._pffft_aligned_malloc(8 * n), w = pf._pffft_aligned_malloc(8 * n);
      pf.HEAPF32.set(Float32Array.from({ length: 2 * n }, () => rng.normal()), inp >> 2);
      pffft = await medianMs(() => pf._pffft_transform_ordered(setup, inp, out, w, 0));
    }
    const npm = np?.ms.get(n) ?? null;
    rows.push({ n, ours, fftjs, pffft, numpy: npm });
    console.log(`${String(n).padStart(7)} | ${fmt(ours).padStart(31)} | ${fmt(fftjs).padStart(16)} | ${fmt(pffft).padStart(21)} | ${fmt(npm).padStart(19)} | ${ratio(fftjs, ours).padStart(13)} | ${ratio(ours, pffft).padStart(12)} | ${ratio(ours, npm).padStart(12)}`);
  }
  if (np) console.log(`numpy ${np.version}`);
  return rows;
}

async function benchDct(rng: Rng): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  console.log('\nA^T r, partial DCT (m = n/4) against the dense gemvT, median ms');
  console.log('     n |     m | partial DCT | dense gemvT | dense / DCT');
  for (const n of DCT_SIZES) {
    const m = n / 4;
    const rows_ = rng.sample(n, m);
    const plan = alloc(wasm().dctPlanBytes(n) >>> 0), work = alloc(wasm().pdctWorkBytes(n) >>> 0);
    const rp = alloc(4 * m), r = alloc(8 * m), z = alloc(8 * n);
    wasm().dctPlanInit(n, plan, work);
    i32View(rp, m).set(rows_);
    f64View(r, m).set(Float64Array.from({ length: m }, () => rng.normal()));
    const s = Math.sqrt(n / m);
    const adj = wasm().pdctAdjoint as (...a: number[]) => number;
    const dct = await medianMs(() => adj(plan, rp, m, s, r, z, work));
    // the dense A (m x n): its values do not change the time of gemvT
    const A = alloc(8 * m * n);
    f64View(A, m * n).fill(0.5);
    const gemvT = wasm().gemvT;
    const dense = await medianMs(() => gemvT(A, m, n, r, z));
    wasm().free(A);
    rows.push({ n, m, dct, dense });
    console.log(`${String(n).padStart(6)} | ${String(m).padStart(5)} | ${fmt(dct).padStart(11)} | ${fmt(dense).padStart(11)} | ${ratio(dense, dct).padStart(11)}`);
  }
  return rows;
}

async function benchConv(rng: Rng): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  console.log("\nConvolution A x ('same'), direct sums against the FFT, median ms");
  console.log('     n |   L | direct |    FFT | direct / FFT');
  const apply = wasm().convApply as (...a: number[]) => number;
  for (const n of CONV_SIZES) {
    for (const L of CONV_TAPS) {
      const times: Record<string, number> = {};
      for (const useFft of [0, 1]) {
        const plan = alloc(wasm().convPlanBytes(n, L, 1, useFft) >>> 0), work = alloc(wasm().convWorkBytes(n, L, 1, useFft) >>> 0);
        const h = alloc(8 * L), x = alloc(8 * n), y = alloc(8 * n);
        f64View(h, L).set(Float64Array.from({ length: L }, () => rng.normal()));
        f64View(x, n).set(Float64Array.from({ length: n }, () => rng.normal()));
        wasm().convPlanInit(plan, h, L, n, 1, useFft, work);
        times[useFft ? 'fft' : 'direct'] = await medianMs(() => apply(plan, x, y, work));
      }
      rows.push({ n, L, ...times });
      console.log(`${String(n).padStart(6)} | ${String(L).padStart(3)} | ${fmt(times.direct).padStart(6)} | ${fmt(times.fft).padStart(6)} | ${ratio(times.direct, times.fft).padStart(12)}`);
    }
  }
  return rows;
}

// ------------------------------------------------------------- whole solves

const MiB = 2 ** 20;
/** A x through the facade: the structured operators have apply(), which the Operator type does not declare. */
const applyOp = (A: Operator, x: Float64Array): Float64Array => (A as unknown as { apply(v: Float64Array): Float64Array }).apply(x);
const mib = (b: number): number => Math.round((b / MiB) * 10) / 10;

interface OmpCase { n: number; m: number; k: number; seed: number }
interface SeaCase { n: number; k: number; taps: number; sigma: number; maxIter: number; noise: number; seed: number }

const OMP_CASES: OmpCase[] = quick ? [{ n: 2 ** 14, m: 2 ** 11, k: 50, seed: 1 }] : [{ n: 2 ** 18, m: 2 ** 15, k: 200, seed: 1 }];
const SEA_CASES: SeaCase[] = quick
  ? [{ n: 10000, k: 100, taps: 31, sigma: 5, maxIter: 50, noise: 0.01, seed: 3 }]
  : [
    { n: 100000, k: 100, taps: 31, sigma: 5, maxIter: 500, noise: 0.01, seed: 3 },
    { n: 100000, k: 10, taps: 31, sigma: 5, maxIter: 500, noise: 0.01, seed: 3 },
  ];

/** The unit-norm sampled Gaussian of `taps` taps (centred), standard deviation sigma samples. */
function gaussianFilter(taps: number, sigma: number): Float64Array {
  const c = (taps - 1) / 2;
  const h = Float64Array.from({ length: taps }, (_, i) => Math.exp(-((i - c) ** 2) / (2 * sigma * sigma)));
  const s = Math.hypot(...h);
  return h.map((v) => v / s);
}

/** Runs one case of a solve section in a fresh Node process (this file, --child=...) and returns what it measured. */
function inChild(section: 'omp' | 'sea', c: OmpCase | SeaCase): Record<string, unknown> {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, self, `--child=${section}`, `--case=${JSON.stringify(c)}`, ...(quick ? ['--quick'] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`child ${section} ${JSON.stringify(c)} failed (${r.status}): ${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(last) as Record<string, unknown>;
}

/** In the child: OMP on a partial DCT; the first solve is timed alone, and gives the peak memory. */
async function childOmp(c: OmpCase): Promise<Record<string, unknown>> {
  const memInit = memoryBytes();
  const rng = new Rng(c.seed);
  const rows = rng.sample(c.n, c.m);
  const A = Operator.partialDct(c.n, rows);
  const operatorBytes = A.bytes;
  const supp = rng.sample(c.n, c.k);
  const x = new Float64Array(c.n);
  for (const j of supp) x[j] = (rng.normal() >= 0 ? 1 : -1) * (1 + Math.abs(rng.normal()));
  const y = applyOp(A, x);
  const workspaceBytes = wasm().ompResidentWorkspace64(c.m, c.n, c.k);
  let t = performance.now();
  const r = omp(A, y, { k: c.k });
  const firstMs = performance.now() - t;
  const peakMemory = memoryBytes(), liveAfter = liveBytes();
  const supportEqual = r.support.length === supp.length && r.support.every((v, i) => v === supp[i]);
  let maxErr = 0;
  for (let j = 0; j < c.n; j++) maxErr = Math.max(maxErr, Math.abs(r.x[j] - x[j]));
  // the first solve warmed up (spectral norm not needed by OMP; JIT, scratch block)
  const ms = await medianMs(() => omp(A, y, { k: c.k }), undefined, quick ? 3 : 3, 0);
  // breakdown: one A^T r through the kernel the solver calls, k of them per solve
  const rp = alloc(8 * c.m), zp = alloc(8 * c.n);
  f64View(rp, c.m).set(y);
  const adjointMs = await medianMs(() => wasm().opAdjoint(A.ptr, c.m, c.n, rp, zp));
  free(rp); free(zp);
  return {
    ...c, build: backendInfo().build, ms, firstMs, adjointMs, adjointShare: (c.k * adjointMs) / ms,
    supportEqual, maxErr, iterations: r.iterations, status: r.status,
    operatorBytes, workspaceBytes, liveAfter, memInit, peakMemory,
  };
}

/** CPU time of this process so far, ms (user + system). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Timed SEA solves per case (the median is reported): 3, so that one solve slowed by another process does not set the figure. */
const SEA_RUNS = 3;

/** In the child: SEA on a convolution, SEA_RUNS timed solves (maxIter iterations unless it converges), then apply + adjoint and topK alone. */
async function childSea(c: SeaCase): Promise<Record<string, unknown>> {
  const memInit = memoryBytes();
  const rng = new Rng(c.seed);
  const A = Operator.convolution(gaussianFilter(c.taps, c.sigma), c.n, { mode: 'same' });
  const { m, n } = A;
  const supp = rng.sample(n, c.k);
  const x = new Float64Array(n);
  for (const j of supp) x[j] = rng.normal() >= 0 ? 1 : -1;
  const y = applyOp(A, x);
  for (let i = 0; i < m; i++) y[i] += c.noise * rng.normal();
  A.spectralNorm(); // SEA's default step 1/||A||^2, cached on the operator: not part of the timed solve
  // a short solve first, so that the timed ones run optimized code (as the apply + adjoint median does);
  // then the median of SEA_RUNS solves, as the baseline is a median
  sea(A, y, { k: c.k, maxIter: Math.min(20, c.maxIter) });
  let r = sea(A, y, { k: c.k, maxIter: 1 });
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let run = 0; run < SEA_RUNS; run++) {
    const t = performance.now(), c0 = cpuMs();
    r = sea(A, y, { k: c.k, maxIter: c.maxIter });
    times.push(performance.now() - t);
    cpuTimes.push(cpuMs() - c0);
  }
  const ms = times.sort((a, b) => a - b)[SEA_RUNS >> 1];
  const cpuMsSolve = cpuTimes.sort((a, b) => a - b)[SEA_RUNS >> 1];
  const peakMemory = memoryBytes(), liveAfter = liveBytes();
  const found = new Set(supp);
  let hits = 0;
  for (const j of r.support) if (found.has(j)) hits++;
  const xp = alloc(8 * n), yp = alloc(8 * m), zp = alloc(8 * n);
  f64View(xp, n).set(x);
  const applyAdjointMs = await medianMs(() => { wasm().opApply(A.ptr, m, n, xp, yp); wasm().opAdjoint(A.ptr, m, n, yp, zp); });
  // the same two applications in CPU time of this process (what a machine shared with other jobs does not inflate)
  const CPU_REPS = 200;
  const c1 = cpuMs();
  for (let i = 0; i < CPU_REPS; i++) { wasm().opApply(A.ptr, m, n, xp, yp); wasm().opAdjoint(A.ptr, m, n, yp, zp); }
  const cpuApplyAdjointMs = (cpuMs() - c1) / CPU_REPS;
  const sup = alloc(4 * c.k), idx = alloc(4 * n), flags = alloc(n);
  f64View(zp, n).set(Float64Array.from({ length: n }, () => rng.normal()));
  const topKMs = await medianMs(() => wasm().topK(zp, n, c.k, sup, idx, flags));
  const perIterMs = ms / Math.max(1, r.iterations);
  return {
    ...c, m, build: backendInfo().build, ms, iterations: r.iterations, status: r.status,
    perIterMs, applyAdjointMs, topKMs, ratio: perIterMs / applyAdjointMs, supportHits: hits,
    cpuPerIterMs: cpuMsSolve / Math.max(1, r.iterations), cpuApplyAdjointMs, cpuRatio: cpuMsSolve / Math.max(1, r.iterations) / cpuApplyAdjointMs,
    operatorBytes: A.bytes, workspaceBytes: wasm().seaWorkspace64(m, n, c.k, 1), liveAfter, memInit, peakMemory,
  };
}

function benchOmp(): Array<Record<string, unknown>> {
  console.log('\nOMP on Operator.partialDct (fresh process per case): median ms per solve, peak WASM memory');
  console.log('      n |     m |   k | ms/solve | first | k x A^T r | support equal | operator MiB | workspace MiB | live MiB | peak memory MiB');
  const rows: Array<Record<string, unknown>> = [];
  for (const c of OMP_CASES) {
    const r = inChild('omp', c) as Record<string, number> & { supportEqual: boolean };
    rows.push(r);
    console.log(`${String(c.n).padStart(7)} | ${String(c.m).padStart(5)} | ${String(c.k).padStart(3)} | ${fmt(r.ms).padStart(8)} | ${fmt(r.firstMs).padStart(5)} | ${fmt(c.k * r.adjointMs).padStart(9)} | ${String(r.supportEqual).padStart(13)} | ${String(mib(r.operatorBytes)).padStart(12)} | ${String(mib(r.workspaceBytes)).padStart(13)} | ${String(mib(r.liveAfter)).padStart(8)} | ${String(mib(r.peakMemory)).padStart(15)}`);
  }
  return rows;
}

function benchSea(): Array<Record<string, unknown>> {
  console.log("\nSEA on Operator.convolution ('same', Gaussian filter; fresh process per case): ms per iteration against A x + A^T r");
  console.log('      n |   k | iterations | ms/iter | apply+adjoint | ratio | CPU-time ratio | topK | peak memory MiB');
  const rows: Array<Record<string, unknown>> = [];
  for (const c of SEA_CASES) {
    const r = inChild('sea', c) as Record<string, number>;
    rows.push(r);
    console.log(`${String(c.n).padStart(7)} | ${String(c.k).padStart(3)} | ${String(r.iterations).padStart(10)} | ${fmt(r.perIterMs).padStart(7)} | ${fmt(r.applyAdjointMs).padStart(13)} | ${r.ratio.toFixed(1).padStart(5)} | ${r.cpuRatio.toFixed(2).padStart(14)} | ${fmt(r.topKMs).padStart(4)} | ${String(mib(r.peakMemory)).padStart(15)}`);
  }
  return rows;
}

async function child(section: string): Promise<void> {
  await init();
  const c = JSON.parse(argValue('case')!) as OmpCase & SeaCase;
  const out = section === 'omp' ? await childOmp(c) : await childSea(c);
  process.stdout.write(JSON.stringify(out) + '\n');
}

async function main(): Promise<void> {
  await init();
  const cpu = cpus()[0]?.model ?? 'unknown';
  console.log(`CPU: ${cpu} (${cpus().length} logical), Node ${process.version}${quick ? ' (quick)' : ''}`);
  const rng = new Rng(2026);
  const machine = { date: new Date().toISOString(), cpu, cpus: cpus().length, node: process.version };
  const results: Record<string, unknown> = {};
  if (runs('fft')) results.fft = await benchFft(rng);
  if (runs('dct')) results.dct = await benchDct(rng);
  if (runs('conv')) results.conv = await benchConv(rng);
  // the solve sections carry their own machine line (they may be run alone, with --only)
  if (runs('omp')) results.omp = { ...machine, cases: benchOmp() };
  if (runs('sea')) results.sea = { ...machine, cases: benchSea() };
  if (write && !quick) {
    const path = fileURLToPath(new URL('./operators-results.json', import.meta.url));
    const old = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> : {};
    // the top-level date, cpu and node describe the transform sections (fft, dct, conv)
    const top = runs('fft') || runs('dct') || runs('conv') ? { date: machine.date, cpu, node: process.version } : {};
    writeFileSync(path, JSON.stringify({ ...old, ...top, ...results }, null, 1) + '\n');
    console.log(`\nwrote ${path}`);
  }
}

const childSection = argValue('child');
if (childSection) await child(childSection);
else await main();

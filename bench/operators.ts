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
//    L = 8 .. 256 taps at n = 4096 and 65536 (where CONV_DIRECT_MAX_TAPS comes from).
// Writes bench/operators-results.json (unless --no-write). --quick: small sizes, short budgets.
// The machine may be shared: the numbers are indicative.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import FFT from 'fft.js';
import { init } from '../src/index.js';
import { alloc, f64View, i32View, wasm } from '../src/core/wasm.js';
import { Rng } from '../src/core/random.js';

const PYTHON = process.env.SP_PYTHON ?? '/usr/bin/python3';
const quick = process.argv.includes('--quick');
const write = !process.argv.includes('--no-write');
const BUDGET_MS = quick ? 100 : 400;

const FFT_SIZES = quick
  ? [1024, 4096, 1000]
  : [...Array.from({ length: 11 }, (_, i) => 2 ** (10 + i)), 1000, 3 ** 10, 100000];
const DCT_SIZES = quick ? [1024] : [1024, 4096, 16384];
const CONV_SIZES = quick ? [4096] : [4096, 65536];
const CONV_TAPS = [8, 16, 24, 32, 48, 64, 96, 128, 256];

/** Median ms of fn (tinybench); `before` runs untimed before each call. */
async function medianMs(fn: () => unknown, before?: () => void): Promise<number> {
  const b = new Bench({ time: BUDGET_MS, iterations: 5, warmupIterations: 2, warmupTime: 0 });
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

async function main(): Promise<void> {
  await init();
  const cpu = cpus()[0]?.model ?? 'unknown';
  console.log(`CPU: ${cpu} (${cpus().length} logical), Node ${process.version}${quick ? ' (quick)' : ''}`);
  const rng = new Rng(2026);
  const fft = await benchFft(rng);
  const dct = await benchDct(rng);
  const conv = await benchConv(rng);
  if (write && !quick) {
    const path = fileURLToPath(new URL('./operators-results.json', import.meta.url));
    writeFileSync(path, JSON.stringify({ date: new Date().toISOString(), cpu, node: process.version, fft, dct, conv }, null, 1) + '\n');
    console.log(`\nwrote ${path}`);
  }
}

await main();

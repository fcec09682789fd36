// Size soak: one Node process solves with matrices whose WASM copy grows from
// 1 MB to 3 GB and shrinks back, on one WASM instance. At every size it
// checks that OMP recovers the planted sparse x (a random matrix with
// m >> k: exact recovery up to rounding), that every buffer is freed after
// the solve (after the largest size, live bytes stay at what the grow-only
// scratch block holds: no operator leaks), and on the way back down that
// WASM memory no longer grows (freed ranges are reused). It prints one line
// per size with the WASM memory, the live bytes and the process RSS, and the
// peak RSS at the end.
//
//   npx tsx scripts/soak-sizes.ts [--max-mb 3072] [--m 512] [--k 5]
//
// Needs about twice the largest size in RAM (the JS Matrix and its WASM copy).
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { init, Matrix, memoryBytes, omp, Operator } from '../src/index.js';
import { liveBytes } from '../src/core/wasm.js';

export interface SizeStep {
  /** Bytes of A as float64. */
  bytes: number;
  m: number;
  n: number;
  /** max |x - x_true| of the solve. */
  error: number;
  support: boolean;
  memory: number;
  live: number;
  rss: number;
  seconds: number;
}

export interface SizeSoakReport {
  steps: SizeStep[];
  /**
   * Live facade bytes after the solve at the largest size and after the last
   * one: equal when nothing leaked (what stays live is the grow-only scratch
   * block, sized by the largest solve; every operator is disposed).
   */
  liveAtPeak: number;
  liveAfter: number;
  /** Largest WASM memory seen; WASM memory at the peak size and at the end. */
  memoryMax: number;
  memoryAtEnd: number;
  /** Whether WASM memory grew on the way back down (it must not). */
  grewOnTheWayDown: boolean;
  peakRss: number;
}

/** A fast deterministic fill in [-1, 1) (xorshift32), enough for a random matrix; far faster than normals at 3 GB. */
function fillUniform(d: Float64Array, seed: number): void {
  let s = seed >>> 0 || 1;
  for (let i = 0; i < d.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    d[i] = (s >>> 0) / 2147483648 - 1;
  }
}

/** The size sequence in MB: 1 MB up by factors of 4 to maxMb, then back down. */
export function sizesMb(maxMb: number): number[] {
  const up: number[] = [];
  for (let s = 1; s < maxMb; s *= 4) up.push(s);
  if (maxMb >= 2048) up.push(1024, 2048);
  const seq = [...new Set([...up, maxMb])].sort((a, b) => a - b);
  return [...seq, ...seq.slice(0, -1).reverse()];
}

/** Runs the size soak. */
export async function soakSizes(o: { maxMb?: number; m?: number; k?: number; log?: (s: string) => void } = {}): Promise<SizeSoakReport> {
  await init();
  const maxMb = o.maxMb ?? 3072;
  const m = o.m ?? 512;
  const k = o.k ?? 5;
  const log = o.log ?? (() => {});
  const steps: SizeStep[] = [];
  let peakRss = process.memoryUsage().rss;
  const seq = sizesMb(maxMb);
  let memoryMax = 0;
  let memAtPeak = 0;
  let liveAtPeak = 0;
  let grew = false;
  for (let t = 0; t < seq.length; t++) {
    const bytes = seq[t] * 2 ** 20;
    const n = Math.max(k + 1, Math.floor(bytes / 8 / m));
    const t0 = performance.now();
    let A: Matrix | null = new Matrix(m, n);
    fillUniform(A.data, 1 + t);
    const x = new Float64Array(n);
    const support = Array.from({ length: k }, (_, i) => Math.floor(((i + 0.5) * n) / k));
    support.forEach((j, i) => (x[j] = 1 + i));
    const y = new Float64Array(m);
    for (const j of support) for (let i = 0; i < m; i++) y[i] += A.data[i + j * m] * x[j];
    const memBefore = memoryBytes();
    const op = Operator.dense(A);
    let err = Infinity;
    let found = false;
    try {
      const r = omp(op, y, { k });
      err = 0;
      for (let j = 0; j < n; j++) err = Math.max(err, Math.abs(r.x[j] - x[j]));
      found = Array.from(r.support).sort((a, b) => a - b).join() === support.join();
    } finally {
      op.dispose();
    }
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    A = null;
    const mem = memoryBytes();
    memoryMax = Math.max(memoryMax, mem);
    if (seq[t] === maxMb) {
      memAtPeak = mem;
      liveAtPeak = liveBytes();
    }
    if (t > seq.indexOf(maxMb) && mem > memBefore) grew = true;
    const step: SizeStep = { bytes: m * n * 8, m, n, error: err, support: found, memory: mem, live: liveBytes(), rss, seconds: (performance.now() - t0) / 1000 };
    steps.push(step);
    log(`${String(seq[t]).padStart(5)} MB  ${m} x ${n}  support ${found ? 'ok' : 'WRONG'}  max|x - x*| ${err.toExponential(1)}  WASM memory ${(mem / 2 ** 20).toFixed(0)} MiB  live ${step.live}  RSS ${(rss / 2 ** 20).toFixed(0)} MiB  ${step.seconds.toFixed(1)} s`);
    (globalThis as { gc?: () => void }).gc?.();
  }
  return { steps, liveAtPeak, liveAfter: liveBytes(), memoryMax, memoryAtEnd: memoryBytes(), grewOnTheWayDown: grew || memoryBytes() > memAtPeak, peakRss };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { 'max-mb': { type: 'string' }, m: { type: 'string' }, k: { type: 'string' } } });
  const r = await soakSizes({
    maxMb: values['max-mb'] ? Number(values['max-mb']) : undefined,
    m: values.m ? Number(values.m) : undefined,
    k: values.k ? Number(values.k) : undefined,
    log: (s) => console.log(s),
  });
  const ok = r.steps.every((s) => s.support && s.error < 1e-8) && r.liveAfter === r.liveAtPeak && !r.grewOnTheWayDown;
  console.log(`live bytes at the largest size ${r.liveAtPeak}, at the end ${r.liveAfter}; WASM memory max ${r.memoryMax}, at the end ${r.memoryAtEnd}; grew on the way down: ${r.grewOnTheWayDown}; peak RSS ${(r.peakRss / 2 ** 20).toFixed(0)} MiB`);
  console.log(ok ? 'size soak: OK' : 'size soak: FAILED');
  process.exit(ok ? 0 : 1);
}

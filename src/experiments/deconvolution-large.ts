// Large-n deconvolution: the same Gaussian filter as the deconvolution
// experiment (sigma = 3 samples, 'full' convolution, unit-norm columns), at
// n from 10^3 to 10^5, with k = 5 n / 1000 spikes. OMP solves each problem
// on Operator.convolution (never a dense matrix) and, while the dense matrix
// is small (n <= denseMaxN), on the dense gaussianConvolution(n, sigma) too.
// Measured: time per solve and WASM bytes (the operator's or the dense
// matrix's own bytes plus the solve's workspace) against n, and whether the
// two supports are equal (and equal to the true one).
//
// The spikes are at least `gap` samples apart (more than the filter's
// support of 2 ceil(4 sigma) + 1 taps), so that OMP recovers them exactly
// despite the coherence of neighbouring atoms: the experiment measures cost,
// not the coherent regime of the deconvolution experiment.
import { gaussianConvolution, FILTER_HALF_WIDTH_SIGMAS } from '../data/dictionaries.js';
import { Operator } from '../core/operator.js';
import { omp } from '../solvers/omp.js';
import { wasm } from '../core/wasm.js';
import { lineChart } from '../plot/svg.js';
import { Rng } from '../core/random.js';
import type { Experiment, ExperimentContext, ExperimentOutput } from './types.js';
import { textTable } from './variants.js';

export interface DeconvLargeSettings {
  /** Signal lengths (atoms). */
  ns: number[];
  /** Filter width in samples. */
  sigma: number;
  /** Spikes per 1000 samples: k = round(kPerThousand n / 1000), at least 1. */
  kPerThousand: number;
  /** The dense matrix is built and solved on for n <= denseMaxN only. */
  denseMaxN: number;
  /** Least separation of two spikes, in samples. */
  gap: number;
  /** Least time to spend on each (n, A) timing, in ms (at least one solve; at most `maxRepeats`). */
  timeBudgetMs: number;
  maxRepeats: number;
}

/** Quick settings (`npm start`): a few seconds. */
export const DECONV_LARGE_QUICK: DeconvLargeSettings = { ns: [1000, 2000, 10000, 30000], sigma: 3, kPerThousand: 5, denseMaxN: 2000, gap: 32, timeBudgetMs: 150, maxRepeats: 15 };
/** Full settings (`--full`): up to n = 10^5, the dense matrix up to n = 4096 (128 MiB). */
export const DECONV_LARGE_FULL: DeconvLargeSettings = { ns: [1000, 2000, 4096, 10000, 30000, 100000], sigma: 3, kPerThousand: 5, denseMaxN: 4096, gap: 32, timeBudgetMs: 1000, maxRepeats: 9 };

/** One backend's measurement at one n. */
export interface LargeRun {
  /** Median ms of one OMP solve (the operator or matrix already built, after one untimed solve). */
  ms: number;
  /** Solves timed. */
  repeats: number;
  /** Ms to build A in WASM (the operator; or the dense matrix in JS and its copy in). */
  setupMs: number;
  /** WASM bytes of A as held after the solve (Operator.bytes: the dense matrix and OMP's f32 screen copy, or the operator's plan and buffers). */
  operatorBytes: number;
  /** Bytes of OMP's workspace at (m, n, k). */
  workspaceBytes: number;
  /** operatorBytes + workspaceBytes. */
  bytes: number;
  /** The support found, ascending. */
  support: number[];
  /** It equals the true support. */
  exact: boolean;
}

export interface LargeRow {
  n: number;
  m: number;
  k: number;
  operator: LargeRun;
  /** null where n > denseMaxN (not run). */
  dense: LargeRun | null;
  /** Same support on both (null: dense not run). */
  sameSupport: boolean | null;
  /** max |x_operator - x_dense| (null: dense not run). */
  maxDiff: number | null;
}

/** The unit-norm sampled Gaussian of gaussianConvolution(n, sigma): 2 ceil(4 sigma) + 1 taps. */
export function gaussianTaps(sigma: number): Float64Array {
  const h = Math.ceil(FILTER_HALF_WIDTH_SIGMAS * sigma);
  const t = Float64Array.from({ length: 2 * h + 1 }, (_, i) => Math.exp(-((i - h) ** 2) / (2 * sigma * sigma)));
  const s = Math.hypot(...t);
  return t.map((v) => v / s);
}

/** k spikes (values uniform in [-2,-1] U [1,2]) at least `gap` apart: one per chosen slot of `gap` samples, jittered within it. */
function spikes(n: number, k: number, gap: number, rng: Rng): { x: Float64Array; support: number[] } {
  const slots = Math.floor(n / gap);
  if (k > slots) throw new RangeError(`deconvolution-large: k = ${k} spikes do not fit ${slots} slots of ${gap} samples at n = ${n}`);
  const jitter = Math.max(1, Math.floor(gap / 4));
  const support = Array.from(rng.sample(slots, k), (s) => s * gap + rng.int(jitter));
  const x = new Float64Array(n);
  for (const j of support) x[j] = (rng.uniform() < 0.5 ? -1 : 1) * (1 + rng.uniform());
  return { x, support };
}

/** Median ms of `fn` over at least one run, until `budget` ms or `max` runs; and the last result. */
function timeIt<T>(fn: () => T, budget: number, max: number): { ms: number; repeats: number; last: T } {
  const ts: number[] = [];
  let last!: T;
  const start = performance.now();
  do {
    const t = performance.now();
    last = fn();
    ts.push(performance.now() - t);
  } while (ts.length < max && performance.now() - start < budget);
  ts.sort((a, b) => a - b);
  return { ms: ts[ts.length >> 1], repeats: ts.length, last };
}

function measure(A: Operator, setupMs: number, y: Float64Array, k: number, truth: number[], s: DeconvLargeSettings): { run: LargeRun; x: Float64Array } {
  // one untimed solve first: it grows the WASM memory and the scratch block to this size (and makes
  // the dense operator's f32 screen copy), which later solves reuse
  omp(A, y, { k });
  const { ms, repeats, last } = timeIt(() => omp(A, y, { k }), s.timeBudgetMs, s.maxRepeats);
  const support = Array.from(last.support);
  const workspaceBytes = wasm().ompResidentWorkspace64(A.m, A.n, k);
  return {
    run: { ms, repeats, setupMs, operatorBytes: A.bytes, workspaceBytes, bytes: A.bytes + workspaceBytes, support, exact: support.length === truth.length && support.every((v, i) => v === truth[i]) },
    x: last.x,
  };
}

/** Runs the large-n deconvolution timings (in this thread, one problem at a time: they are timings). */
export async function runDeconvolutionLarge(s: DeconvLargeSettings, ctx: ExperimentContext): Promise<ExperimentOutput> {
  const taps = gaussianTaps(s.sigma);
  const rows: LargeRow[] = [];
  const t0 = performance.now();
  for (const [i, n] of s.ns.entries()) {
    const k = Math.max(1, Math.round((s.kPerThousand * n) / 1000));
    const rng = new Rng(ctx.seed * 1000 + i);
    const { x, support } = spikes(n, k, s.gap, rng);
    const truth = [...support].sort((a, b) => a - b);
    let t = performance.now();
    const C = Operator.convolution(taps, n, { mode: 'full' });
    const opSetup = performance.now() - t;
    let row: LargeRow;
    try {
      const y = (C as unknown as { apply(v: Float64Array): Float64Array }).apply(x);
      const op = measure(C, opSetup, y, k, truth, s);
      row = { n, m: C.m, k, operator: op.run, dense: null, sameSupport: null, maxDiff: null };
      if (n <= s.denseMaxN) {
        t = performance.now();
        const D = Operator.dense(gaussianConvolution(n, s.sigma));
        const denseSetup = performance.now() - t;
        try {
          const d = measure(D, denseSetup, y, k, truth, s);
          let diff = 0;
          for (let j = 0; j < n; j++) diff = Math.max(diff, Math.abs(d.x[j] - op.x[j]));
          row.dense = d.run;
          row.sameSupport = d.run.support.length === op.run.support.length && d.run.support.every((v, j) => v === op.run.support[j]);
          row.maxDiff = diff;
        } finally {
          D.dispose();
        }
      }
    } finally {
      C.dispose();
    }
    rows.push(row);
    ctx.onProgress(i + 1, s.ns.length, `n = ${n}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const ns = rows.map((r) => r.n);
  const withDense = rows.filter((r) => r.dense);
  const dn = withDense.map((r) => r.n);
  const timeSvg = lineChart({
    title: `OMP on Gaussian deconvolution (sigma = ${s.sigma}), k = ${s.kPerThousand} n / 1000: time per solve`,
    xLabel: 'n (signal length)', yLabel: 'ms per OMP solve', xLog: true, yLog: true,
    series: [
      { name: 'operator', x: ns, y: rows.map((r) => r.operator.ms) },
      { name: 'dense', x: dn, y: withDense.map((r) => r.dense!.ms), dash: true },
    ],
  });
  const MiB = 2 ** 20;
  const bytesSvg = lineChart({
    title: 'WASM memory of one OMP solve (A as held + workspace)',
    xLabel: 'n (signal length)', yLabel: 'MiB', xLog: true, yLog: true,
    series: [
      { name: 'operator', x: ns, y: rows.map((r) => r.operator.bytes / MiB) },
      { name: 'dense', x: dn, y: withDense.map((r) => r.dense!.bytes / MiB) },
      { name: 'A alone, 8mn', x: ns, y: rows.map((r) => (8 * r.m * r.n) / MiB), dash: true, markers: false },
    ],
  });
  const mismatches = withDense.filter((r) => !r.sameSupport).map((r) => r.n);
  const inexact = rows.filter((r) => !r.operator.exact).map((r) => r.n);
  const last = rows[rows.length - 1];
  const lastDense = withDense[withDense.length - 1];
  const reading = (lastDense
    ? `at n = ${lastDense.n} OMP took ${lastDense.operator.ms.toFixed(1)} ms on the operator and ${lastDense.dense!.ms.toFixed(1)} ms on the dense matrix; `
    : '') + (last ? `at n = ${last.n} (k = ${last.k}) it took ${last.operator.ms.toFixed(1)} ms on the operator` : '') +
    (mismatches.length ? `; the supports differ at n = ${mismatches.join(', ')}` : withDense.length ? '; operator and dense supports are equal wherever both ran' : '') + '.';
  const bytesReading = last
    ? `at n = ${last.n} the operator solve holds ${(last.operator.bytes / MiB).toFixed(1)} MiB (${(last.operator.operatorBytes / MiB).toFixed(2)} MiB of it the operator, the rest OMP's QR workspace, 8 m k bytes), where the dense A alone would take ${(8 * last.m * last.n / MiB).toFixed(0)} MiB.`
    : 'no sizes ran.';
  const table = textTable(['n', 'm', 'k', 'op ms', 'op MiB', 'dense ms', 'dense MiB', 'same support', 'exact'],
    rows.map((r) => [String(r.n), String(r.m), String(r.k), r.operator.ms.toFixed(2), (r.operator.bytes / MiB).toFixed(2),
      r.dense ? r.dense.ms.toFixed(2) : '-', r.dense ? (r.dense.bytes / MiB).toFixed(1) : '-', r.sameSupport === null ? '-' : String(r.sameSupport), String(r.operator.exact)]));
  const summary = `OMP on the Gaussian convolution (sigma = ${s.sigma}, ${taps.length} taps, 'full'), spikes >= ${s.gap} samples apart, no noise; median of up to ${s.maxRepeats} solves; dense only for n <= ${s.denseMaxN}:\n${table}` +
    (inexact.length ? `\n(support not recovered exactly at n = ${inexact.join(', ')})` : '') + `\n${rows.length} sizes in ${seconds.toFixed(1)} s (one thread)`;
  return {
    json: { experiment: 'deconvolution-large', seed: ctx.seed, mode: ctx.mode, seconds, settings: s, taps: taps.length, solver: 'omp', rows },
    figures: [
      { file: 'deconvolution-large-time.svg', svg: timeSvg, caption: `Time of one OMP solve against n, with A as Operator.convolution ('operator') and, for n <= ${s.denseMaxN}, as the dense matrix ('dense'); log-log.`, reading },
      { file: 'deconvolution-large-bytes.svg', svg: bytesSvg, caption: `WASM bytes of one OMP solve against n: A as held (the operator, or the dense matrix with its f32 screen copy) plus OMP's workspace; the dashed line is what the dense A alone would take (8 m n bytes; not run above n = ${s.denseMaxN}); log-log.`, reading: bytesReading },
    ],
    summary,
  };
}

export const deconvolutionLarge: Experiment = {
  name: 'deconvolution-large',
  title: 'Large-n deconvolution: a convolution operator against the dense matrix',
  description: 'The Gaussian filter of the deconvolution experiment (sigma = 3 samples, full convolution, unit-norm columns) at n from 10^3 to 10^5 (quick: up to 3·10^4), k = 5 n / 1000 spikes at least 32 samples apart, no noise. OMP solves each problem with A as Operator.convolution (applied by direct sums, never stored) and, while it is small, as the dense matrix; the figures show the time per solve and the WASM bytes against n (log-log), and the JSON says whether both found the same support.',
  run: (ctx) => runDeconvolutionLarge(ctx.mode === 'full' ? DECONV_LARGE_FULL : DECONV_LARGE_QUICK, ctx),
};

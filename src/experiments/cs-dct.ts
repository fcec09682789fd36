// Compressed sensing on a partial DCT at n = 2^16: m = n / 8 random rows of
// the orthonormal DCT-II (scaled by sqrt(n / m), unit-norm columns), k
// nonzeros +-(1 + |N(0,1)|) on a random support, no noise. OMP and SEA (from
// zero, and warm-started from OMP's support) solve each problem on
// Operator.partialDct, never a dense matrix (8 m n bytes = 4 GiB here).
// Measured against k: time per solve, iterations, whether the support is
// the true one, the relative error of x, and the WASM bytes of the solve
// (the operator's own bytes plus the solver's workspace).
import { Operator } from '../core/operator.js';
import { omp } from '../solvers/omp.js';
import { sea } from '../solvers/sea.js';
import { workspaceBytes } from '../solvers/solve.js';
import { wasm } from '../core/wasm.js';
import { lineChart } from '../plot/svg.js';
import { Rng } from '../core/random.js';
import type { Experiment, ExperimentContext, ExperimentOutput } from './types.js';
import { textTable } from './variants.js';

export interface CsDctSettings {
  /** Signal length (a power of two is the DCT's fast case). */
  n: number;
  /** Rows sampled: m = n / undersampling. */
  undersampling: number;
  /** Nonzeros of each problem. */
  ks: number[];
  /** SEA's iteration cap. */
  seaMaxIter: number;
}

/** Quick settings (`npm start`): a few seconds. */
export const CS_DCT_QUICK: CsDctSettings = { n: 2 ** 16, undersampling: 8, ks: [25, 50, 100], seaMaxIter: 200 };
/** Full settings (`--full`). */
export const CS_DCT_FULL: CsDctSettings = { n: 2 ** 16, undersampling: 8, ks: [25, 50, 100, 200, 400], seaMaxIter: 500 };

/** One solver's result on one problem. */
export interface CsRun {
  ms: number;
  iterations: number;
  status: string;
  /** The support found equals the true one. */
  exact: boolean;
  /** ||x - x*|| / ||x*||. */
  relError: number;
  /** WASM bytes of the solve: the operator as held plus the solver's workspace. */
  bytes: number;
}

export interface CsRow {
  k: number;
  omp: CsRun;
  /** SEA from X^0 = eta A^T y. */
  sea: CsRun;
  /** SEA warm-started from OMP's x. */
  seaOmp: CsRun;
}

function runOf(r: { x: Float64Array; support: Int32Array; iterations: number; status: string }, ms: number, x: Float64Array, truth: number[], bytes: number): CsRun {
  let num = 0;
  let den = 0;
  for (let j = 0; j < x.length; j++) {
    num += (r.x[j] - x[j]) ** 2;
    den += x[j] ** 2;
  }
  const s = Array.from(r.support);
  return { ms, iterations: r.iterations, status: r.status, exact: s.length === truth.length && s.every((v, i) => v === truth[i]), relError: Math.sqrt(num / den), bytes };
}

/** Runs the partial-DCT compressed-sensing timings (in this thread, one problem at a time). */
export async function runCsDct(s: CsDctSettings, ctx: ExperimentContext): Promise<ExperimentOutput> {
  const { n } = s;
  const m = Math.floor(n / s.undersampling);
  const rng = new Rng(ctx.seed);
  const A = Operator.partialDct(n, rng.sample(n, m));
  const rows: CsRow[] = [];
  const t0 = performance.now();
  try {
    for (const [i, k] of s.ks.entries()) {
      const truth = Array.from(rng.sample(n, k)).sort((a, b) => a - b);
      const x = new Float64Array(n);
      for (const j of truth) x[j] = (rng.uniform() < 0.5 ? -1 : 1) * (1 + Math.abs(rng.normal()));
      const y = A.apply(x);
      const opBytes = A.bytes;
      let t = performance.now();
      const ro = omp(A, y, { k });
      const ompMs = performance.now() - t;
      t = performance.now();
      const rs = sea(A, y, { k, maxIter: s.seaMaxIter });
      const seaMs = performance.now() - t;
      t = performance.now();
      const rw = sea(A, y, { k, maxIter: s.seaMaxIter, init: ro.x });
      const warmMs = performance.now() - t;
      const seaBytes = opBytes + workspaceBytes('sea', m, n, k, true);
      rows.push({
        k,
        omp: runOf(ro, ompMs, x, truth, opBytes + wasm().ompResidentWorkspace64(m, n, k)),
        sea: runOf(rs, seaMs, x, truth, seaBytes),
        seaOmp: runOf(rw, warmMs, x, truth, seaBytes),
      });
      ctx.onProgress(i + 1, s.ks.length, `k = ${k}`);
    }
  } finally {
    A.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  const ks = rows.map((r) => r.k);
  const timeSvg = lineChart({
    title: `Compressed sensing on a partial DCT, n = ${n}, m = ${m}: time per solve`,
    xLabel: 'k (nonzeros)', yLabel: 'ms per solve', xLog: true, yLog: true,
    series: [
      { name: 'OMP', x: ks, y: rows.map((r) => r.omp.ms) },
      { name: 'SEA from zero', x: ks, y: rows.map((r) => r.sea.ms) },
      { name: 'SEA from OMP', x: ks, y: rows.map((r) => r.seaOmp.ms), dash: true },
    ],
  });
  const MiB = 2 ** 20;
  const recovered = (pick: (r: CsRow) => CsRun) => rows.filter((r) => pick(r).exact).map((r) => r.k);
  const last = rows[rows.length - 1];
  const reading = last
    ? `at k = ${last.k} OMP took ${last.omp.ms.toFixed(0)} ms and SEA ${last.sea.ms.toFixed(0)} ms (${last.sea.iterations} iterations, ${last.sea.status}); ` +
      `OMP recovered the support at k = ${recovered((r) => r.omp).join(', ') || 'none'}, SEA at k = ${recovered((r) => r.sea).join(', ') || 'none'}; ` +
      `the largest solve held ${(Math.max(last.omp.bytes, last.sea.bytes) / MiB).toFixed(1)} MiB of WASM memory, where the dense A would take ${(8 * m * n / MiB / 1024).toFixed(0)} GiB.`
    : 'no sizes ran.';
  const table = textTable(['k', 'OMP ms', 'OMP exact', 'OMP rel err', 'SEA ms', 'SEA iters', 'SEA exact', 'SEA rel err', 'SEA<-OMP ms', 'SEA<-OMP exact', 'MiB (OMP / SEA)'],
    rows.map((r) => [String(r.k), r.omp.ms.toFixed(1), String(r.omp.exact), r.omp.relError.toExponential(1), r.sea.ms.toFixed(1), String(r.sea.iterations), String(r.sea.exact),
      r.sea.relError.toExponential(1), r.seaOmp.ms.toFixed(1), String(r.seaOmp.exact), `${(r.omp.bytes / MiB).toFixed(1)} / ${(r.sea.bytes / MiB).toFixed(1)}`]));
  const summary = `OMP and SEA on Operator.partialDct (n = ${n}, m = ${m} random rows, no noise; one solve each):\n${table}\n${rows.length} problems in ${seconds.toFixed(1)} s (one thread)`;
  return {
    json: { experiment: 'cs-dct', seed: ctx.seed, mode: ctx.mode, seconds, settings: s, m, rows },
    figures: [
      { file: 'cs-dct-time.svg', svg: timeSvg, caption: `Time of one solve against k on a partial DCT (n = ${n}, m = ${m}, never a dense matrix): OMP, SEA from zero and SEA warm-started from OMP; log-log.`, reading },
    ],
    summary,
  };
}

export const csDct: Experiment = {
  name: 'cs-dct',
  title: 'Compressed sensing on a partial DCT at n = 2^16',
  description: 'm = n / 8 random rows of the orthonormal DCT-II of length n = 65536 (scaled to unit-norm columns), k nonzeros ±(1 + |N(0,1)|) on a random support, no noise. OMP, SEA from zero and SEA warm-started from OMP solve each problem on Operator.partialDct (the dense A would take 4 GiB); the figure shows the time per solve against k, the JSON the iterations, the support recovered, the relative error of x and the WASM bytes of each solve.',
  run: (ctx) => runCsDct(ctx.mode === 'full' ? CS_DCT_FULL : CS_DCT_QUICK, ctx),
};

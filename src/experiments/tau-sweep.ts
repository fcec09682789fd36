// Experiment `tau-sweep`: Soft-OMP and Soft-IHT against OMP and IHT over the
// temperature tau, in the setting of Mohammad-Taheri, Colbrook & Brugiapaglia
// (2025): Gaussian A (m = 200, n = 400, unit-norm columns), s = 15, noise
// e = sigma N(0, I) / sqrt(m), sigma in {1e-5, 1e-3, 1e-1},
// tau = 10^(-10 .. 1.5, step 0.5), Soft-OMP with 15 iterations, Soft-IHT with
// eta = 0.6 and 30 iterations.
import { Matrix } from '../core/matrix.js';
import { lineChart, PALETTE, Series } from '../plot/svg.js';
import { Rng } from '../core/random.js';
import { iht } from '../solvers/iht.js';
import { omp } from '../solvers/omp.js';
import { softIht, softOmp } from '../soft/soft.js';
import { Operator } from '../core/operator.js';
import { runTrials, TrialContext } from '../parallel/parallel.js';
import type { Experiment, ExperimentContext, ExperimentOutput } from './types.js';

/** Settings of one run. */
export interface TauSweepSettings {
  m: number;
  n: number;
  /** Sparsity s (OMP iterations default to it). */
  s: number;
  sigmas: number[];
  taus: number[];
  trials: number;
  ompIterations: number;
  ihtIterations: number;
  eta: number;
  /** Iterations (1-based) at which the soft-hard gap is recorded. */
  gapIterationsOmp: number[];
  gapIterationsIht: number[];
  seed: number;
}

/** The paper's stored data for this setting: geometric means over trials, by noise level (sigma = 1e-5, 1e-3, 1e-1). */
export const PUBLISHED = {
  omp: [2.9e-6, 3.0e-4, 0.040],
  iht: [4.4e-6, 3.0e-4, 0.036],
  /** Soft-OMP: equal to OMP for tau <= 1e-4, then about these values (every noise level). */
  softOmp: { 1e-2: 0.02, 1e-1: 0.40, 1: 1.09 } as Record<number, number>,
  /** Soft-IHT: about these values. */
  softIht: { 1e-2: 0.09, 1e-1: 0.95 } as Record<number, number>,
};

/** Gaps below this count as "equal to rounding" in geometric means (log of 0 is undefined). */
export const GAP_FLOOR = 1e-16;

const range = (a: number, b: number, step: number): number[] => {
  const out: number[] = [];
  for (let e = a; e <= b + 1e-9; e += step) out.push(Number((10 ** e).toPrecision(12)));
  return out;
};

/** The paper-size settings, with `trials` trials. */
export function tauSweepSettings(mode: 'quick' | 'full', seed: number): TauSweepSettings {
  return {
    m: 200, n: 400, s: 15,
    sigmas: [1e-5, 1e-3, 1e-1],
    taus: range(-10, 1.5, 0.5),
    trials: mode === 'quick' ? 5 : 50,
    ompIterations: 15, ihtIterations: 30, eta: 0.6,
    gapIterationsOmp: [1, 5, 15], gapIterationsIht: [1, 10, 30],
    seed,
  };
}

function relErr(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num) / Math.sqrt(den);
}

function geoMean(v: number[], floor = 0): number {
  let s = 0;
  for (const x of v) s += Math.log(Math.max(x, floor));
  return Math.exp(s / v.length);
}

/** Raw and aggregated numbers for one noise level. */
export interface TauSweepLevel {
  sigma: number;
  /** Per trial. */
  ompErr: number[];
  ihtErr: number[];
  /** softOmpErr[tauIndex][trial]. */
  softOmpErr: number[][];
  softIhtErr: number[][];
  /** gapOmp[gapIndex][tauIndex][trial]: ||x_soft^(t) - x_hard^(t)|| / ||x_hard^(t)||. */
  gapOmp: number[][][];
  gapIht: number[][][];
  /** |x_hard - omp(A, y, k)| / |omp|, worst over trials: the hard Soft-OMP is the package's OMP. */
  hardVsPackageOmp: number;
  /** The same for the hard Soft-IHT and the package's iht (step eta, same iteration cap). */
  hardVsPackageIht: number;
  /** Statuses other than 'converged' seen, by solver. */
  notConverged: { softOmp: number; softIht: number };
  geo: {
    omp: number;
    iht: number;
    softOmp: number[];
    softIht: number[];
    gapOmp: number[][];
    gapIht: number[][];
  };
}

export interface TauSweepResult {
  settings: TauSweepSettings;
  published: typeof PUBLISHED;
  notes: string;
  levels: TauSweepLevel[];
}

/** What one trial returns, per noise level (structured-cloneable). */
export interface TauSweepTrial {
  levels: {
    ompErr: number;
    ihtErr: number;
    softOmpErr: number[];
    softIhtErr: number[];
    gapOmp: number[][];
    gapIht: number[][];
    hardVsOmp: number;
    hardVsIht: number;
    notConvergedOmp: number;
    notConvergedIht: number;
  }[];
}

/**
 * One trial: a fresh A, x and noise direction from the trial's seed, every
 * noise level and every tau. Deterministic in (settings, seed), so results do
 * not depend on the worker count.
 */
export function tauSweepTrial(st: TauSweepSettings, ctx: TrialContext): TauSweepTrial {
  const { m, n, s } = st;
  const rng = new Rng(ctx.seed);
  const A = new Matrix(m, n, rng.normals(m * n)).normalizeColumns();
  const x = new Float64Array(n);
  for (const j of rng.sample(n, s)) x[j] = rng.normal();
  const xn = Math.hypot(...x);
  for (let j = 0; j < n; j++) x[j] /= xn; // unit-norm x: relative error = absolute error
  const noise = rng.normals(m);
  const Ax = new Float64Array(m);
  for (let j = 0; j < n; j++) if (x[j] !== 0) for (let i = 0; i < m; i++) Ax[i] += A.data[i + j * m] * x[j];
  const op = Operator.dense(A);
  try {
    return {
      levels: st.sigmas.map((sigma) => {
        const y = Float64Array.from(Ax, (v, i) => v + (sigma * noise[i]) / Math.sqrt(m));
        const ho = softOmp(op, y, { iterations: st.ompIterations, tau: 0, history: true });
        const hi = softIht(op, y, { k: s, iterations: st.ihtIterations, eta: st.eta, tau: 0, history: true });
        const pk = omp(op, y, { k: st.ompIterations });
        const pi = iht(op, y, { k: s, mu: st.eta, maxIter: st.ihtIterations });
        const lv: TauSweepTrial['levels'][number] = {
          ompErr: relErr(ho.x, x),
          ihtErr: relErr(hi.x, x),
          softOmpErr: [],
          softIhtErr: [],
          gapOmp: st.gapIterationsOmp.map(() => []),
          gapIht: st.gapIterationsIht.map(() => []),
          hardVsOmp: relErr(ho.x, pk.x),
          hardVsIht: relErr(hi.x, pi.x),
          notConvergedOmp: 0,
          notConvergedIht: 0,
        };
        for (const tau of st.taus) {
          const so = softOmp(op, y, { iterations: st.ompIterations, tau, history: true });
          const si = softIht(op, y, { k: s, iterations: st.ihtIterations, eta: st.eta, tau, history: true });
          if (so.status !== 'converged') lv.notConvergedOmp++;
          if (si.status !== 'converged') lv.notConvergedIht++;
          lv.softOmpErr.push(relErr(so.x, x));
          lv.softIhtErr.push(relErr(si.x, x));
          st.gapIterationsOmp.forEach((it, gi) => lv.gapOmp[gi].push(relErr(so.history![it - 1], ho.history![it - 1])));
          st.gapIterationsIht.forEach((it, gi) => lv.gapIht[gi].push(relErr(si.history![it - 1], hi.history![it - 1])));
        }
        return lv;
      }),
    };
  } finally {
    op.dispose();
  }
}

/** Runs the sweep over `workers` threads (1: in this thread); the numbers depend only on the settings and seed. */
export async function runTauSweep(st: TauSweepSettings, workers = 1,
                                  onProgress: (done: number, total: number) => void = () => {}): Promise<TauSweepResult> {
  const trials = await runTrials<TauSweepSettings, TauSweepTrial>({
    module: import.meta.url, fn: 'tauSweepTrial', params: st, count: st.trials, seed: st.seed, workers, onProgress,
  });
  const levels: TauSweepLevel[] = st.sigmas.map((sigma, li) => {
    const per = trials.map((t) => t.levels[li]);
    const lv: TauSweepLevel = {
      sigma,
      ompErr: per.map((p) => p.ompErr),
      ihtErr: per.map((p) => p.ihtErr),
      softOmpErr: st.taus.map((_, ti) => per.map((p) => p.softOmpErr[ti])),
      softIhtErr: st.taus.map((_, ti) => per.map((p) => p.softIhtErr[ti])),
      gapOmp: st.gapIterationsOmp.map((_, gi) => st.taus.map((_, ti) => per.map((p) => p.gapOmp[gi][ti]))),
      gapIht: st.gapIterationsIht.map((_, gi) => st.taus.map((_, ti) => per.map((p) => p.gapIht[gi][ti]))),
      hardVsPackageOmp: Math.max(...per.map((p) => p.hardVsOmp)),
      hardVsPackageIht: Math.max(...per.map((p) => p.hardVsIht)),
      notConverged: { softOmp: per.reduce((a, p) => a + p.notConvergedOmp, 0), softIht: per.reduce((a, p) => a + p.notConvergedIht, 0) },
      geo: { omp: 0, iht: 0, softOmp: [], softIht: [], gapOmp: [], gapIht: [] },
    };
    lv.geo = {
      omp: geoMean(lv.ompErr),
      iht: geoMean(lv.ihtErr),
      softOmp: lv.softOmpErr.map((v) => geoMean(v)),
      softIht: lv.softIhtErr.map((v) => geoMean(v)),
      gapOmp: lv.gapOmp.map((g) => g.map((v) => geoMean(v, GAP_FLOOR))),
      gapIht: lv.gapIht.map((g) => g.map((v) => geoMean(v, GAP_FLOOR))),
    };
    return lv;
  });
  return {
    settings: st,
    published: PUBLISHED,
    notes: 'Relative errors ||x_hat - x|| / ||x|| with x unit-norm (s-sparse, N(0,1) entries, then normalised); geometric means over trials. ' +
      `Gaps are ||x_soft^(t) - x_hard^(t)|| / ||x_hard^(t)|| after t iterations, geometric means with values below ${GAP_FLOOR} counted as ${GAP_FLOOR}. ` +
      'Hard versions: Soft-OMP / Soft-IHT with tau = 0 and w = 1, cross-checked against the package omp and iht (hardVsPackageOmp, hardVsPackageIht; iht may stop at a fixed point, to 1e-12, before the last iteration). ' +
      'Trial t uses the seed trialSeed(seed, t) (src/parallel.ts).',
    levels,
  };
}

const fmt = (v: number) => (v === 0 ? '0' : v.toExponential(2));
/** Short label of a noise level: 1e-5. */
const sig = (v: number) => v.toExponential(0).replace('e+0', '');

function summary(r: TauSweepResult): string {
  const st = r.settings;
  const lines: string[] = [];
  lines.push(`tau-sweep: m=${st.m}, n=${st.n}, s=${st.s}, ${st.trials} trials; Soft-OMP ${st.ompIterations} it., Soft-IHT eta=${st.eta}, ${st.ihtIterations} it.`);
  lines.push('geometric-mean relative error (ours | paper):');
  r.levels.forEach((lv, li) => {
    lines.push(`  sigma=${sig(lv.sigma)}: OMP ${fmt(lv.geo.omp)} | ${fmt(PUBLISHED.omp[li])}   IHT ${fmt(lv.geo.iht)} | ${fmt(PUBLISHED.iht[li])}   (hard Soft-OMP vs package omp: ${fmt(lv.hardVsPackageOmp)}, hard Soft-IHT vs iht: ${fmt(lv.hardVsPackageIht)})`);
  });
  const head = ['tau', ...r.levels.flatMap((lv) => [`sOMP ${sig(lv.sigma)}`, `sIHT ${sig(lv.sigma)}`]), 'paper sOMP/sIHT'];
  lines.push('Soft-OMP (sOMP) and Soft-IHT (sIHT) by noise level sigma, geometric-mean relative error:');
  lines.push(head.map((h) => h.padStart(16)).join(''));
  st.taus.forEach((tau, ti) => {
    const cells = [tau.toExponential(1), ...r.levels.flatMap((lv) => [fmt(lv.geo.softOmp[ti]), fmt(lv.geo.softIht[ti])])];
    const po = PUBLISHED.softOmp[tau];
    const pi = PUBLISHED.softIht[tau];
    cells.push(po !== undefined || pi !== undefined ? `${po ?? '-'}/${pi ?? '-'}` : '');
    lines.push(cells.map((c) => c.padStart(16)).join(''));
  });
  const mid = r.levels[Math.floor(r.levels.length / 2)];
  lines.push(`soft-hard gap (sigma=${sig(mid.sigma)}) at tau = ${st.taus.filter((_, i) => i % 4 === 0).map((t) => t.toExponential(0)).join(', ')}:`);
  st.gapIterationsOmp.forEach((it, gi) => lines.push(`  OMP iteration ${it}: ${mid.geo.gapOmp[gi].filter((_, i) => i % 4 === 0).map(fmt).join(', ')}`));
  st.gapIterationsIht.forEach((it, gi) => lines.push(`  IHT iteration ${it}: ${mid.geo.gapIht[gi].filter((_, i) => i % 4 === 0).map(fmt).join(', ')}`));
  const nc = r.levels.reduce((a, lv) => a + lv.notConverged.softOmp + lv.notConverged.softIht, 0);
  if (nc > 0) lines.push(`runs that stopped early (premature/diverged): ${nc}`);
  return lines.join('\n');
}

function figures(r: TauSweepResult): ExperimentOutput['figures'] {
  const st = r.settings;
  const lo = st.taus[0];
  const hi = st.taus[st.taus.length - 1];
  const errChart = (name: 'OMP' | 'IHT') => {
    const series: Series[] = [];
    r.levels.forEach((lv, li) => {
      const color = PALETTE[li];
      series.push({ name: `Soft-${name}, σ=${sig(lv.sigma)}`, x: st.taus, y: name === 'OMP' ? lv.geo.softOmp : lv.geo.softIht, color });
      const h = name === 'OMP' ? lv.geo.omp : lv.geo.iht;
      series.push({ name: `${name}, σ=${sig(lv.sigma)}`, x: [lo, hi], y: [h, h], color, dash: true, markers: false });
    });
    const pub = name === 'OMP' ? PUBLISHED.softOmp : PUBLISHED.softIht;
    const pt = Object.keys(pub).map(Number).sort((a, b) => a - b);
    series.push({ name: `paper Soft-${name}`, x: pt, y: pt.map((t) => pub[t]), color: PALETTE[8], dash: true });
    return lineChart({
      title: `Soft-${name} vs ${name}: relative error over tau (geometric mean, ${st.trials} trials)`,
      xLabel: 'tau', yLabel: '||x̂ − x|| / ||x||', xLog: true, yLog: true, series,
    });
  };
  const mid = r.levels[Math.floor(r.levels.length / 2)];
  const gapSeries: Series[] = [
    ...st.gapIterationsOmp.map((it, gi) => ({ name: `OMP, iteration ${it}`, x: st.taus, y: mid.geo.gapOmp[gi], color: PALETTE[gi] })),
    ...st.gapIterationsIht.map((it, gi) => ({ name: `IHT, iteration ${it}`, x: st.taus, y: mid.geo.gapIht[gi], color: PALETTE[gi], dash: true })),
  ];
  // readings: the soft/hard error ratio at the smallest tau over the noise levels, and the gap's fall
  const ratioReading = (name: 'OMP' | 'IHT') => {
    const at = (ti: number) => r.levels.map((lv) => (name === 'OMP' ? lv.geo.softOmp[ti] / lv.geo.omp : lv.geo.softIht[ti] / lv.geo.iht)).filter(Number.isFinite);
    const span = (rs: number[]) => (rs.length === 0 ? 'not finite' : `${Math.min(...rs).toFixed(2)} to ${Math.max(...rs).toFixed(2)}`);
    return `Soft-${name}'s error over ${name}'s (1 = the same) across the ${r.levels.length} noise levels: ${span(at(0))} at tau = ${lo}, ${span(at(st.taus.length - 1))} at tau = ${hi.toPrecision(3)}.`;
  };
  const g = mid.geo.gapOmp.at(-1);
  const gapReading = g ? `at σ = ${sig(mid.sigma)}, OMP iteration ${st.gapIterationsOmp.at(-1)}: the gap is ${fmt(g.at(-1)!)} at tau = ${hi.toPrecision(3)} and ${fmt(g[0])} at tau = ${lo}.` : 'no gap recorded.';
  return [
    { file: 'tau-sweep-omp.svg', svg: errChart('OMP'), caption: `Soft-OMP (solid) against OMP (dashed) by noise level; grey: the paper's values.`, reading: ratioReading('OMP') },
    { file: 'tau-sweep-iht.svg', svg: errChart('IHT'), caption: `Soft-IHT (solid) against IHT (dashed) by noise level; grey: the paper's values.`, reading: ratioReading('IHT') },
    {
      file: 'tau-sweep-gap.svg',
      svg: lineChart({
        title: `Gap between soft and hard iterates (σ=${sig(mid.sigma)}; below ${GAP_FLOOR} drawn at ${GAP_FLOOR})`,
        xLabel: 'tau', yLabel: '||x_soft − x_hard|| / ||x_hard||', xLog: true, yLog: true, series: gapSeries,
      }),
      caption: 'The soft iterates approach the hard ones as tau -> 0, at every iteration recorded.',
      reading: gapReading,
    },
  ];
}

export const tauSweep: Experiment = {
  name: 'tau-sweep',
  title: 'Soft-OMP and Soft-IHT over the temperature tau',
  description: 'The setting of Mohammad-Taheri, Colbrook & Brugiapaglia (2025): Gaussian A (m=200, n=400, unit-norm columns), s=15, '
    + 'noise sigma in {1e-5, 1e-3, 1e-1}, tau = 10^(-10..1.5). Relative error of Soft-OMP (15 iterations) and Soft-IHT (eta=0.6, '
    + '30 iterations) next to OMP and IHT (the same solvers at tau = 0), and the gap between soft and hard iterates. '
    + 'Quick mode: 5 trials; full: 50 as in the paper (about 25 s on one core).',
  async run(ctx: ExperimentContext): Promise<ExperimentOutput> {
    const r = await runTauSweep(tauSweepSettings(ctx.mode, ctx.seed), ctx.workers, (d, t) => ctx.onProgress(d, t, `${d}/${t} trials`));
    return { json: r, figures: figures(r), summary: summary(r) };
  },
};

/** @internal for tests: the figures and summary of a result. */
export const render = { figures, summary };

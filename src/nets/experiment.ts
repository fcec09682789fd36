// One OMP-Net / IHT-Net training experiment from settings to numbers and
// figures: data (structuredSparse), the untrained baseline (plain OMP / IHT:
// unit weights, hard selection), training, evaluation, and the SVGs (loss
// curves, box plot of relative errors, learned weights with the hidden set
// marked). Shared by `sparse-pursuit train` and the report's experiments.
// matrix 'fourier' runs the complex nets (ComplexOmpNet / ComplexIhtNet on a
// partial Fourier A, real signals: the authors' setting), trained in this
// thread; 'dct' and 'gaussian' the real nets (OmpNet / IhtNet, worker
// training with checkpoints).
import { structuredSparse, MatrixKind } from '../data/structured.js';
import type { FourierStructuredSparse } from '../data/fourier.js';
import { ComplexIhtNet, ComplexOmpNet, ComplexUnrolledNet } from './complex.js';
import { mix32 } from '../core/random.js';
import { barChart, boxPlot, boxStats, lineChart } from '../plot/svg.js';
import { IhtNet, OmpNet, UnrolledNet } from './net.js';
import type { EpochInfo, TauSchedule, TrainResult } from './train.js';
import type { OptimizerName, StepDecay } from './optimizers.js';

/** Everything that fixes a training experiment. */
export interface NetExperimentSettings {
  kind: 'omp-net' | 'iht-net';
  n: number;
  s: number;
  K: number;
  m: number;
  /** 'fourier': the complex nets on a partial Fourier A; 'dct' / 'gaussian': the real nets. */
  matrix: MatrixKind | 'fourier';
  sigma: number;
  /** Training, validation and test signals. */
  train: number;
  val: number;
  test: number;
  layers: number;
  tau: number;
  /** IHT-Net step. */
  eta?: number;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  /** Decoupled weight decay (0: none, the paper's recipe). */
  weightDecay?: number;
  /** RMSprop / Adam eps (absent: the optimizer's default, PyTorch's 1e-8). */
  eps?: number;
  lr: number;
  lrSchedule: StepDecay | null;
  /** null: no clipping. */
  clipNorm: number | null;
  tauSchedule: TauSchedule | null;
  seed: number;
}

const PAPER_COMMON = { n: 256, s: 10, K: 20, matrix: 'dct' as const, sigma: 1e-3, train: 1024, val: 512, test: 512, tau: 1e-3,
  batchSize: 64, optimizer: 'rmsprop' as const, lr: 1e-2, lrSchedule: { every: 500, gamma: 0.5 }, clipNorm: 1, seed: 1 };

const PAPER_FOURIER = { ...PAPER_COMMON, matrix: 'fourier' as const };

const QUICK_FOURIER = { n: 64, s: 4, K: 8, m: 16, matrix: 'fourier' as const, sigma: 1e-3, train: 512, val: 256, test: 256, tau: 1e-3,
  batchSize: 64, optimizer: 'rmsprop' as const, lr: 1e-2, lrSchedule: null, clipNorm: 1, seed: 1 };

const QUICK_COMMON = { n: 128, s: 8, K: 16, m: 24, matrix: 'dct' as const, sigma: 1e-3, train: 1024, val: 256, test: 256, tau: 1e-3,
  batchSize: 64, optimizer: 'rmsprop' as const, lr: 1e-2, lrSchedule: null, clipNorm: 1, seed: 1 };

/** The preset names (`sparse-pursuit train --preset NAME`). */
export const PRESET_NAMES = ['quick', 'quick-fourier', 'paper', 'paper-dct'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * Preset settings. 'paper': Figure 3 of "Deep greedy unfolding" as the
 * authors ran it: complex nets on rows of the DFT (n = 256, m random rows of
 * -n/2+1 .. n/2-1, / sqrt(m)), real signals, s = 10 of K = 20, complex noise
 * sigma = 1e-3; OMP-Net m = 20, 10 layers; IHT-Net m = 36, 30 layers,
 * eta = 0.5; tau = 1e-3 fixed; RMSprop lr 1e-2 halved every 500 epochs,
 * clip 1, batch 64, 1024 / 512 train / validation signals, 1000 epochs.
 * 'quick-fourier': the same kind of complex problem at n = 64, s = 4, K = 8
 * (OMP-Net m = 8, 4 layers, 40 epochs; IHT-Net m = 16, 10 layers, eta 0.5,
 * 20 epochs; tau 0.1 -> 1e-3 over the first half), about a second each: the
 * quick report's nets. 'paper-dct': the same recipe with a real
 * DCT (OMP-Net at m = 40, the real count of the paper's 20 complex
 * measurements; IHT-Net at m = 36), 1000 epochs. IHT-Net adds a temperature
 * continuation (tau from 0.1 down to 1e-3 over the first 50 epochs): at a
 * fixed tau = 1e-3 its gradient comes almost only from near-ties of
 * |w . u| and, with the real DCT at m = 36, points away from the hidden set
 * (see README). 'quick': the same kind of problem at n = 128 (s = 8, K = 16,
 * m = 24), both nets with the temperature continuation, well under a minute
 * each on 2 cores.
 */
export const PRESETS: Record<PresetName, Record<'omp-net' | 'iht-net', NetExperimentSettings>> = {
  paper: {
    'omp-net': { ...PAPER_FOURIER, kind: 'omp-net', m: 20, layers: 10, epochs: 1000, tauSchedule: null },
    'iht-net': { ...PAPER_FOURIER, kind: 'iht-net', m: 36, layers: 30, eta: 0.5, epochs: 1000, tauSchedule: null },
  },
  'quick-fourier': {
    'omp-net': { ...QUICK_FOURIER, kind: 'omp-net', m: 8, layers: 4, epochs: 40, tauSchedule: { start: 0.1, epochs: 20 } },
    'iht-net': { ...QUICK_FOURIER, kind: 'iht-net', layers: 10, eta: 0.5, epochs: 20, tauSchedule: { start: 0.1, epochs: 10 } },
  },
  'paper-dct': {
    'omp-net': { ...PAPER_COMMON, kind: 'omp-net', m: 40, layers: 10, epochs: 1000, tauSchedule: null },
    'iht-net': { ...PAPER_COMMON, kind: 'iht-net', m: 36, layers: 30, eta: 0.5, epochs: 1000, tauSchedule: { start: 0.1, epochs: 50 } },
  },
  quick: {
    'omp-net': { ...QUICK_COMMON, kind: 'omp-net', layers: 8, epochs: 100, tauSchedule: { start: 0.1, epochs: 50 } },
    'iht-net': { ...QUICK_COMMON, kind: 'iht-net', layers: 20, eta: 0.5, epochs: 30, tauSchedule: { start: 0.1, epochs: 15 } },
  },
};

/** A seed for stream `k` of master seed `seed` (splitmix32-style mix), so data sets do not share generators. */
export function streamSeed(seed: number, k: number): number {
  return mix32((Math.imul(seed >>> 0, 0x9e3779b9) + Math.imul(k + 1, 0x85ebca6b)) >>> 0);
}

/** What the experiment reads of a training result (the real and the complex nets' results both have it). */
export type ExperimentTrainResult = Pick<TrainResult, 'initialValLoss' | 'bestEpoch' | 'bestValLoss' | 'epochs' | 'stopped' | 'skippedSteps' | 'seconds' | 'epochsPerSecond'>
  & { history: TrainResult['history'] };

/** Numbers of one way of recovering (a baseline or the net) on one set. */
export interface Scores {
  mse: number;
  medianRelError: number;
  relErrors: number[];
}

/** What a training experiment returns. */
export interface NetExperimentOutput {
  /** OmpNet / IhtNet, or ComplexOmpNet / ComplexIhtNet (matrix 'fourier'). */
  net: UnrolledNet | ComplexUnrolledNet;
  result: ExperimentTrainResult;
  /** Everything, JSON-safe (written as <kind>.json). */
  json: Record<string, unknown>;
  figures: { file: string; svg: string; caption: string; reading: string }[];
  summary: string;
}

/**
 * One line per figure, from this run's numbers. The loss reading says why the kept
 * epoch is the one it is: training keeps the epoch of lowest validation MSE (at the
 * final tau), and when that epoch is early the reading gives what came after it (the
 * temperature still falling, the largest gradient norm before clipping, the best
 * validation MSE of the later epochs).
 */
function netReadings(result: ExperimentTrainResult, st: NetExperimentSettings, name: string, base1: string,
  med: { base: number; soft: number; hard: number }, hiddenInTop: number, w: ArrayLike<number>): { loss: string; errors: string; weights: string } {
  const h = result.history;
  const kept = result.bestEpoch;
  const f = (v: number) => v.toExponential(2);
  let loss = `${name} keeps epoch ${kept} of ${result.epochs}, the one with the lowest validation MSE (${f(result.bestValLoss)})`;
  const after = h.filter((e) => e.epoch > kept);
  if (after.length > 0) {
    const later = after.reduce((a, b) => (b.valLoss < a.valLoss ? b : a));
    const peak = after.reduce((a, b) => (b.gradNorm > a.gradNorm ? b : a));
    loss += `; the ${after.length} later epochs do not beat it (best ${f(later.valLoss)} at epoch ${later.epoch})`;
    // an early keep (in the first half of the temperature schedule): say what the later epochs went through
    if (st.tauSchedule && kept <= st.tauSchedule.epochs / 2) {
      loss += `: tau was still falling (${after[0].tau.toPrecision(2)} at epoch ${after[0].epoch}, ${st.tau} from epoch ${h.find((e) => e.tau <= st.tau)?.epoch ?? '-'}), and at low tau the gradient grows spiky (mean norm per epoch up to ${f(peak.gradNorm)} at epoch ${peak.epoch}; steps clipped to norm ${st.clipNorm ?? 'unlimited'})`;
    }
  }
  const errors = `median relative test error: ${base1} ${f(med.base)}, ${name} soft ${f(med.soft)}, hard ${f(med.hard)} (${(med.base / med.hard).toFixed(1)}x lower than ${base1} in hard mode).`;
  const min = Math.min(...Array.from(w));
  const weights = `${hiddenInTop} of the ${st.K} hidden indices are among the ${st.K} largest weights; the smallest weight is ${min.toPrecision(2)}` +
    `${min < 0 ? ' (the y axis starts at the lowest weight, not at a rounded tick below it)' : ''}.`;
  return { loss: `${loss}.`, errors, weights };
}

/** Runs one training experiment. */
export async function runNetExperiment(st: NetExperimentSettings, o: {
  workers?: number;
  onEpoch?: (info: EpochInfo) => void;
  checkpoint?: string;
  resume?: boolean;
  prefix?: string;
} = {}): Promise<NetExperimentOutput> {
  const complex = st.matrix === 'fourier';
  type AnyNet = UnrolledNet | ComplexUnrolledNet;
  type AnySet = Parameters<UnrolledNet['evaluate']>[0] | Parameters<ComplexUnrolledNet['evaluate']>[0];
  // the real and the complex families share n, s, K, m, sigma, seed and the sampling seeds
  const fam = complex
    ? structuredSparse({ n: st.n, s: st.s, K: st.K, m: st.m, matrix: 'fourier', sigma: st.sigma, seed: st.seed }) as FourierStructuredSparse
    : structuredSparse({ n: st.n, s: st.s, K: st.K, m: st.m, matrix: st.matrix as MatrixKind, sigma: st.sigma, seed: st.seed });
  const trainSet: AnySet = fam.sample(st.train, streamSeed(st.seed, 1));
  const valSet: AnySet = fam.sample(st.val, streamSeed(st.seed, 2));
  const testSet: AnySet = fam.sample(st.test, streamSeed(st.seed, 3));
  const make = (): AnyNet => {
    if (complex) {
      const A = fam.spec as FourierStructuredSparse['spec'];
      return st.kind === 'omp-net'
        ? new ComplexOmpNet(A, { layers: st.layers, tau: st.tau })
        : new ComplexIhtNet(A, { layers: st.layers, sparsity: st.s, eta: st.eta, tau: st.tau });
    }
    const spec = (fam as ReturnType<typeof structuredSparse>).spec;
    return st.kind === 'omp-net'
      ? new OmpNet(spec, { layers: st.layers, tau: st.tau })
      : new IhtNet(spec, { layers: st.layers, sparsity: st.s, eta: st.eta, tau: st.tau });
  };
  const evaluate = (n: AnyNet, set: AnySet, mode?: 'hard') => (n as UnrolledNet).evaluate(set as never, mode ? { mode } : undefined);
  const net = make();
  const score = (e: { mse: number; medianRelError: number; relErrors: Float64Array }): Scores =>
    ({ mse: e.mse, medianRelError: e.medianRelError, relErrors: Array.from(e.relErrors) });
  // the baseline: plain OMP / IHT = the untrained net (w = 1) in hard mode
  const base = { val: score(evaluate(net, valSet, 'hard')), test: score(evaluate(net, testSet, 'hard')) };
  // the ideal weights (1 on the hidden set, 0 elsewhere) in hard mode: what knowing the set gives
  const ideal = make();
  ideal.w.fill(0);
  for (const j of fam.hidden) ideal.w[j] = 1;
  const oracle = { val: score(evaluate(ideal, valSet, 'hard')), test: score(evaluate(ideal, testSet, 'hard')) };
  ideal.dispose();
  // hidden indices among the K largest |w| after every epoch (a diagnostic; training never sees the hidden set)
  const hitsOf = (w: ArrayLike<number>) => {
    const top = Array.from({ length: st.n }, (_, j) => j).sort((a, b) => Math.abs(w[b]) - Math.abs(w[a]) || a - b).slice(0, st.K);
    return top.filter((j) => fam.hidden.includes(j)).length;
  };
  const common = {
    valSet, epochs: st.epochs, batchSize: st.batchSize, optimizer: st.optimizer, lr: st.lr, lrSchedule: st.lrSchedule,
    optimizerOptions: { ...(st.weightDecay ? { weightDecay: st.weightDecay } : {}), ...(st.eps !== undefined ? { eps: st.eps } : {}) },
    clipNorm: st.clipNorm ?? Infinity, tauSchedule: st.tauSchedule, seed: st.seed,
    epochMetrics: (w: Float64Array) => ({ hiddenInTop: hitsOf(w) }),
  };
  let result: ExperimentTrainResult;
  if (net instanceof ComplexUnrolledNet) {
    // in this thread, no checkpoint (the CLI refuses --resume and --workers for the complex nets)
    if (o.resume) throw new RangeError('runNetExperiment: resume is not available for the complex nets (matrix fourier): they train in this thread without checkpoints');
    const onEpoch = o.onEpoch;
    let best = { epoch: 0, loss: onEpoch ? evaluate(net, valSet).mse : Infinity };
    let elapsed = 0;
    result = net.train(trainSet as never, {
      ...common, valSet: valSet as never,
      onEpoch: onEpoch && ((r) => {
        elapsed += r.seconds;
        if (r.valLoss < best.loss) best = { epoch: r.epoch, loss: r.valLoss };
        onEpoch({ ...r, best, elapsed, etaSeconds: (elapsed / r.epoch) * (r.epochs - r.epoch) });
      }),
    });
  } else {
    result = await net.train(trainSet as never, {
      ...common, valSet: valSet as never, workers: o.workers ?? 1,
      onEpoch: o.onEpoch,
      checkpoint: o.checkpoint, resume: o.resume,
    });
  }
  const soft = { val: score(evaluate(net, valSet)), test: score(evaluate(net, testSet)) };
  const hard = { val: score(evaluate(net, valSet, 'hard')), test: score(evaluate(net, testSet, 'hard')) };
  const hidden = Array.from(fam.hidden);
  const top = Array.from(net.topWeights(st.K));
  const hiddenInTop = top.filter((j) => fam.hidden.includes(j)).length;
  const base1 = st.kind === 'omp-net' ? 'OMP' : 'IHT';
  const name = st.kind === 'omp-net' ? 'OMP-Net' : 'IHT-Net';
  net.meta = { hidden, settings: st, bestEpoch: result.bestEpoch, bestValLoss: result.bestValLoss };
  const prefix = o.prefix ?? st.kind;
  // the complex nets estimate a complex x_hat; the error is that of its real part
  const xh = complex ? 'Re(x_hat)' : 'x_hat';
  const matLabel = complex ? `complex partial Fourier ${st.m} x ${st.n}` : `${st.matrix.toUpperCase()} ${st.m} x ${st.n}`;
  const ep = result.history.map((h) => h.epoch);
  const reading = netReadings(result, st, name, base1, { base: base.test.medianRelError, soft: soft.test.medianRelError, hard: hard.test.medianRelError }, hiddenInTop, net.w);
  const figures = [
    {
      file: `${prefix}-loss.svg`,
      caption: `${name}: training loss (mini-batch mean, at the training tau) and validation MSE (at tau = ${st.tau}) per epoch; dashed: plain ${base1} and hard ${base1} with the ideal weights (1 on the hidden set, 0 elsewhere) on the validation set.`,
      reading: reading.loss,
      svg: lineChart({
        title: `${name} training (${matLabel}, s = ${st.s}, K = ${st.K})`,
        xLabel: 'epoch', yLabel: `mean ||${xh} - x||^2`, yLog: true,
        series: [
          { name: 'train loss', x: ep, y: result.history.map((h) => h.trainLoss), markers: false },
          { name: 'validation MSE', x: ep, y: result.history.map((h) => h.valLoss), markers: false },
          { name: `${base1} (validation)`, x: [ep[0] ?? 0, ep.at(-1) ?? 1], y: [base.val.mse, base.val.mse], dash: true, markers: false },
          { name: `ideal weights`, x: [ep[0] ?? 0, ep.at(-1) ?? 1], y: [oracle.val.mse, oracle.val.mse], dash: true, markers: false },
        ],
      }),
    },
    {
      file: `${prefix}-errors.svg`,
      caption: `Relative errors ||${xh} - x|| / ||x|| on ${st.test} test signals: plain ${base1}, ${name} (soft, tau = ${st.tau}) and ${name} in hard mode (weighted ${base1}).`,
      reading: reading.errors,
      svg: boxPlot({
        title: `Relative error on the test set`, yLabel: `||${xh} - x|| / ||x||`, yLog: true,
        groups: [
          { name: base1, values: base.test.relErrors },
          { name: `${name} (soft)`, values: soft.test.relErrors },
          { name: `${name} (hard)`, values: hard.test.relErrors },
        ],
      }),
    },
    {
      file: `${prefix}-weights.svg`,
      caption: `Learned weights w (kept epoch ${result.bestEpoch}); the ${st.K} hidden indices in orange. ${hiddenInTop} of them are among the ${st.K} largest |w|.`,
      reading: reading.weights,
      svg: barChart({
        title: `${name} learned weights`, xLabel: 'index j', yLabel: 'w_j', values: net.w,
        highlight: hidden, labels: ['other index', 'hidden index'],
      }),
    },
  ];
  const f = (v: number) => v.toExponential(2);
  const summary = [
    `${name}: ${complex ? `complex partial Fourier A ${st.m} x ${st.n} (ComplexOmpNet / ComplexIhtNet, real signals)` : `${st.matrix} A ${st.m} x ${st.n}`}, s = ${st.s} of K = ${st.K}, sigma = ${st.sigma}, ${st.layers} layers, tau = ${st.tau}` +
      `${st.eta !== undefined ? `, eta = ${st.eta}` : ''}; ${st.train}/${st.val}/${st.test} train/val/test signals`,
    `trained ${result.epochs} epochs in ${result.seconds.toFixed(1)} s (${result.epochsPerSecond.toFixed(2)} epochs/s), kept epoch ${result.bestEpoch}${result.skippedSteps ? `, ${result.skippedSteps} non-finite steps skipped` : ''}`,
    `                    val MSE    test MSE   median rel. err (test)`,
    `${base1.padEnd(18)}  ${f(base.val.mse)}   ${f(base.test.mse)}   ${f(base.test.medianRelError)}`,
    `${(name + ' soft').padEnd(18)}  ${f(soft.val.mse)}   ${f(soft.test.mse)}   ${f(soft.test.medianRelError)}`,
    `${(name + ' hard').padEnd(18)}  ${f(hard.val.mse)}   ${f(hard.test.mse)}   ${f(hard.test.medianRelError)}`,
    `${('ideal weights').padEnd(18)}  ${f(oracle.val.mse)}   ${f(oracle.test.mse)}   ${f(oracle.test.medianRelError)}   (hard ${base1}, w = 1 on the hidden set, 0 elsewhere)`,
    `val MSE ${base1} / ${name}: ${(base.val.mse / soft.val.mse).toFixed(1)}x (soft), ${(base.val.mse / hard.val.mse).toFixed(1)}x (hard); ` +
      `hidden indices among the ${st.K} largest weights: ${hiddenInTop} of ${st.K}`,
  ].join('\n');
  const quart = (v: number[]) => {
    const b = boxStats(v);
    return { q1: b.q1, median: b.median, q3: b.q3 };
  };
  const json = {
    settings: st,
    hidden,
    // hiddenInTop per epoch: recorded with the history (and so in the
    // checkpoint); null only for epochs of a checkpoint written before it was
    curves: result.history.map(({ metrics, ...h }) => ({ ...h, hiddenInTop: metrics?.hiddenInTop ?? null })),
    initialValLoss: result.initialValLoss,
    bestEpoch: result.bestEpoch,
    bestValLoss: result.bestValLoss,
    final: {
      baseline: { val: { mse: base.val.mse, median: base.val.medianRelError }, test: { mse: base.test.mse, ...quart(base.test.relErrors) } },
      soft: { val: { mse: soft.val.mse, median: soft.val.medianRelError }, test: { mse: soft.test.mse, ...quart(soft.test.relErrors) } },
      hard: { val: { mse: hard.val.mse, median: hard.val.medianRelError }, test: { mse: hard.test.mse, ...quart(hard.test.relErrors) } },
      ideal: { val: { mse: oracle.val.mse, median: oracle.val.medianRelError }, test: { mse: oracle.test.mse, ...quart(oracle.test.relErrors) } },
      valMseRatioSoft: base.val.mse / soft.val.mse,
      valMseRatioHard: base.val.mse / hard.val.mse,
      hiddenInTop,
      topWeights: top,
    },
    relErrors: { baseline: base.test.relErrors, soft: soft.test.relErrors, hard: hard.test.relErrors },
    weights: Array.from(net.w),
    timing: { seconds: result.seconds, epochs: result.epochs, epochsPerSecond: result.epochsPerSecond, skippedSteps: result.skippedSteps },
    net: net.toJSON(),
  };
  return { net, result, json, figures, summary };
}

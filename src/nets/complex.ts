// OMP-Net and IHT-Net on complex data ("Deep greedy unfolding", Figure 3:
// partial Fourier sampling of real sparse signals): L unrolled iterations of
// complex Soft-OMP / Soft-IHT (src/complex/soft.ts) over a fixed complex A,
// one real trainable weight per index shared by every layer, scores
// |w . A^H r| (OMP) or |w . u| (IHT) by modulus, and the loss
// mean ||Re(x_hat) - x||^2 against the real signals.
//
// Training runs in this thread, on the WASM kernels of assembly/complex
// (softomp.ts, softiht.ts; backend 'wasm', the default) or on their JS twins
// (backend 'js'), with the optimizers, gradient clipping
// and step decay of the real nets (optimizers.ts) and their rules: shuffled
// mini-batches from a seeded generator, one optimizer step per batch, the
// validation loss after every epoch, the weights of the lowest validation
// loss kept.
import { checkEnum, checkInt, checkNumber, describe, toVector } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { Rng } from '../core/random.js';
import { TAU_MIN } from '../soft/soft.js';
import { ComplexMatrix } from '../js/complex/cmatrix.js';
import { fourierMatrix, type ComplexSignalSet } from '../data/fourier.js';
import { complexSpectralNorm } from '../complex/solve.js';
import {
  complexSoftIhtBatch, complexSoftIhtBatchVjp, complexSoftOmpBatch, complexSoftOmpBatchVjp,
} from '../complex/soft.js';
import { clipGradNorm, learningRate, Optimizer, OPTIMIZERS, type OptimizerHyper, type OptimizerName, type StepDecay } from './optimizers.js';
import { fnv1a, MAX_NET_MATRIX_ENTRIES, NET_FORMAT, NET_FORMAT_VERSION, type PredictMode } from './net.js';
import { memoryLimit } from '../core/wasm.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../io/depth.js';
import type { Backend } from '../core/types.js';
import { tauAt, type TauSchedule } from './train.js';

/** A partial Fourier matrix by its rows (structuredSparse({ matrix: 'fourier' }).spec). */
export interface ComplexFourierSpec {
  kind: 'fourier';
  m: number;
  n: number;
  rows: ArrayLike<number>;
}

/** Options of predict / predictBatch / evaluate. */
export interface ComplexPredictOptions {
  /** 'soft' (default: SoftSort at the net's tau) or 'hard' (tau = 0: weighted OMP / IHT). */
  mode?: PredictMode;
}

/** Evaluation on a complex signal set. */
export interface ComplexEvaluation {
  /** Mean over the set of ||Re(x_hat) - x||^2 (the training loss). */
  mse: number;
  /** Per signal ||Re(x_hat) - x|| / ||x||. */
  relErrors: Float64Array;
  medianRelError: number;
}

/** Options of ComplexOmpNet.train / ComplexIhtNet.train. */
export interface ComplexTrainOptions {
  /** Validation signals: pick the kept checkpoint. Default none (the training loss picks it). */
  valSet?: ComplexSignalSet;
  /** Epochs, integer in [1, 10^7]. Default 100. */
  epochs?: number;
  /** Mini-batch size, integer in [1, training set size]. Default 64 (the paper's). */
  batchSize?: number;
  /** 'rmsprop' (default), 'adam' or 'sgd'. */
  optimizer?: OptimizerName;
  /** Hyperparameters besides lr (RMSprop: rho 0.99, eps 1e-8 by default, PyTorch's). */
  optimizerOptions?: OptimizerHyper;
  /** Learning rate, > 0. Default 1e-2. */
  lr?: number;
  /** Step decay, e.g. { every: 500, gamma: 0.5 } (the paper's). Default none. */
  lrSchedule?: StepDecay | null;
  /** Gradient 2-norm clip, > 0 (Infinity: none). Default 1. */
  clipNorm?: number;
  /** Temperature continuation (as the real nets' tauSchedule): tau falls geometrically from `start` to the net's tau over the first `epochs` epochs. Default none. */
  tauSchedule?: TauSchedule | null;
  /** Seed of the shuffles, integer in [0, 2^32). Default 0. */
  seed?: number;
  /** Keep the weights of the lowest validation loss (default true); false: the last epoch's. */
  keepBest?: boolean;
  /** Numbers to record with every epoch, from its weights. */
  epochMetrics?(w: Float64Array): Record<string, number>;
  /** Called after every epoch; return false to stop after it. */
  onEpoch?(rec: ComplexEpochRecord & { epochs: number; weights: Float64Array }): void | boolean;
}

/** One epoch's numbers. */
export interface ComplexEpochRecord {
  epoch: number;
  /** Mean of the mini-batch losses (weighted by batch size). */
  trainLoss: number;
  /** Validation loss after the epoch (the training set's when there is no validation set). */
  valLoss: number;
  lr: number;
  /** Temperature of the training steps (the validation loss is always at the net's tau). */
  tau: number;
  /** Mean gradient norm before clipping. */
  gradNorm: number;
  /** Wall-clock seconds (training steps and validation). */
  seconds: number;
  metrics?: Record<string, number>;
}

/** What train() returns. */
export interface ComplexTrainResult {
  history: ComplexEpochRecord[];
  initialValLoss: number;
  /** The epoch whose weights the net now holds (0: the initial weights). */
  bestEpoch: number;
  bestValLoss: number;
  epochs: number;
  stopped: boolean;
  /** Steps skipped because the gradient was not finite. */
  skippedSteps: number;
  seconds: number;
  epochsPerSecond: number;
}

/** How a complex net's A is saved: a partial Fourier matrix by its rows, or the entries (interleaved re, im, column-major). */
export type ComplexMatrixSpec = ComplexFourierSpec | {
  kind: 'complex-dense'; m: number; n: number; data: number[];
  /** Indices into data of the entries that are -0 (JSON writes -0 as 0); absent when there are none. */
  negativeZeros?: number[];
};

function resolveA(fn: string, A: unknown): { A: ComplexMatrix; spec: ComplexFourierSpec | null } {
  if (A instanceof ComplexMatrix) return { A, spec: null };
  if (A && typeof A === 'object' && (A as { kind?: unknown }).kind === 'fourier') {
    const s = A as ComplexFourierSpec;
    const n = checkInt(fn, 'A.n', s.n, 1, 2 ** 20);
    const rows = Array.from(s.rows ?? []);
    const M = fourierMatrix(n, rows);
    if (s.m !== undefined && s.m !== M.m) throw new RangeError(`${fn}: A.m must equal the number of rows (${M.m}), received ${describe(s.m)}`);
    return { A: M, spec: { kind: 'fourier', m: M.m, n, rows } };
  }
  throw new TypeError(`${fn}: A must be a ComplexMatrix or a partial Fourier spec { kind: 'fourier', m, n, rows } (structuredSparse({ matrix: 'fourier', ... }).spec), received ${describe(A)}`);
}

function checkTau(fn: string, tau: unknown): number {
  if (typeof tau !== 'number') throw new TypeError(`${fn}: tau must be a finite number >= ${TAU_MIN}, received ${describe(tau)}`);
  if (!Number.isFinite(tau) || tau < TAU_MIN) throw new RangeError(`${fn}: tau must be a finite number >= ${TAU_MIN}, received ${describe(tau)}`);
  return tau;
}

/** Throws unless `set` is { Y: ComplexMatrix m x N, X: Matrix n x N } with N >= 1. */
function checkComplexSet(fn: string, name: string, set: unknown, m: number, n: number): asserts set is ComplexSignalSet {
  const s = set as ComplexSignalSet;
  if (!s || typeof s !== 'object' || !(s.Y instanceof ComplexMatrix) || !(s.X instanceof Matrix)) {
    throw new TypeError(`${fn}: ${name} must be a complex signal set { Y: ComplexMatrix m x N, X: Matrix n x N } (see structuredSparse with matrix: 'fourier'), received ${describe(set)}`);
  }
  if (s.Y.m !== m || s.X.m !== n || s.X.n !== s.Y.n || s.Y.n === 0) {
    throw new RangeError(`${fn}: ${name} must be { Y: ${m} x N, X: ${n} x N } with N >= 1, received Y ${s.Y.m} x ${s.Y.n}, X ${s.X.m} x ${s.X.n}`);
  }
}

/** Columns idx of a complex matrix. */
function ccolumns(S: ComplexMatrix, idx: ArrayLike<number>): ComplexMatrix {
  const out = new Float64Array(2 * S.m * idx.length);
  for (let i = 0; i < idx.length; i++) out.set(S.data.subarray(2 * idx[i] * S.m, 2 * (idx[i] + 1) * S.m), 2 * i * S.m);
  return new ComplexMatrix(S.m, idx.length, out);
}

function rcolumns(S: Matrix, idx: ArrayLike<number>): Matrix {
  const out = new Float64Array(S.m * idx.length);
  for (let i = 0; i < idx.length; i++) out.set(S.data.subarray(idx[i] * S.m, (idx[i] + 1) * S.m), i * S.m);
  return new Matrix(S.m, idx.length, out);
}

/** Fisher-Yates shuffle of 0..N-1 (the rule of train.ts). */
function permutation(N: number, rng: Rng): Int32Array {
  const p = Int32Array.from({ length: N }, (_, i) => i);
  for (let i = N - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** What ComplexOmpNet and ComplexIhtNet share. */
export abstract class ComplexUnrolledNet {
  abstract readonly kind: 'complex-omp-net' | 'complex-iht-net';
  /** The m x n complex sensing matrix (do not modify). */
  readonly A: ComplexMatrix;
  readonly m: number;
  readonly n: number;
  readonly layers: number;
  /** SoftSort temperature of soft mode. */
  tau: number;
  /** Real trainable weights, length n (initially ones). */
  readonly w: Float64Array;
  meta: Record<string, unknown> = {};
  /** Where the complex soft solvers run: 'wasm' (default; needs `await init()`) or 'js' (the twins). */
  readonly backend: Backend;
  /** A partial Fourier A's spec (saved by its rows); null when A was given as a ComplexMatrix (saved entry by entry). */
  private readonly fourier: ComplexFourierSpec | null;

  protected constructor(fn: string, A: unknown, layers: unknown, maxLayers: (m: number, n: number) => number, tau: unknown, weights: unknown,
                        backend: unknown) {
    const r = resolveA(fn, A);
    this.A = r.A;
    this.fourier = r.spec;
    this.m = this.A.m;
    this.n = this.A.n;
    this.layers = checkInt(fn, 'layers', layers, 1, maxLayers(this.m, this.n));
    this.tau = checkTau(fn, tau);
    this.w = weights === undefined ? new Float64Array(this.n).fill(1) : Float64Array.from(toVector(fn, 'weights', weights));
    if (this.w.length !== this.n) throw new RangeError(`${fn}: weights must have length ${this.n} (the columns of A), received length ${this.w.length}`);
    this.backend = backend === undefined ? 'wasm' : checkEnum(fn, 'backend', backend, ['wasm', 'js'] as const);
  }

  /** @internal Batch loss and gradient in w. */
  protected abstract batchVjp(Y: ComplexMatrix, X: Matrix, w: Float64Array, tau: number): { loss: number; gw: Float64Array };

  /** @internal Forward over a batch. */
  protected abstract batchForward(Y: ComplexMatrix, w: Float64Array, tau: number): ComplexMatrix;

  private modeTau(fn: string, o: ComplexPredictOptions | undefined): number {
    const mode = o?.mode === undefined ? 'soft' : checkEnum(fn, 'mode', o.mode, ['soft', 'hard'] as const);
    return mode === 'soft' ? this.tau : 0;
  }

  /** The complex estimate (2n doubles, interleaved) for y (2m doubles). Re(x_hat) is the estimate of a real signal. */
  predict(y: ArrayLike<number>, opts?: ComplexPredictOptions): Float64Array {
    const fn = `${this.constructor.name}.predict`;
    const tau = this.modeTau(fn, opts);
    const yv = toVector(fn, 'y', y);
    if (yv.length !== 2 * this.m) throw new RangeError(`${fn}: y must have length ${2 * this.m} (${this.m} complex values, interleaved re, im), received length ${yv.length}`);
    return this.batchForward(new ComplexMatrix(this.m, 1, yv), this.w, tau).data.slice();
  }

  /** Estimates for the columns of Y (ComplexMatrix m x N): n x N complex. */
  predictBatch(Y: ComplexMatrix, opts?: ComplexPredictOptions): ComplexMatrix {
    const fn = `${this.constructor.name}.predictBatch`;
    const tau = this.modeTau(fn, opts);
    if (!(Y instanceof ComplexMatrix)) throw new TypeError(`${fn}: Y must be a ComplexMatrix (${this.m} x N), received ${describe(Y)}`);
    if (Y.m !== this.m) throw new RangeError(`${fn}: Y must have ${this.m} rows (the rows of A), received ${Y.m} x ${Y.n}`);
    return this.batchForward(Y, this.w, tau);
  }

  /** Per-signal ||Re(x_hat_b) - x_b||^2 over a set. */
  private squaredErrors(set: ComplexSignalSet, w: Float64Array, tau: number): Float64Array {
    const N = set.Y.n;
    const out = new Float64Array(N);
    const n = this.n;
    const CH = 64;
    for (let s = 0; s < N; s += CH) {
      const idx = Int32Array.from({ length: Math.min(CH, N - s) }, (_, i) => s + i);
      const Xh = this.batchForward(ccolumns(set.Y, idx), w, tau);
      idx.forEach((b, i) => {
        let e = 0;
        for (let j = 0; j < n; j++) e += (Xh.data[2 * (i * n + j)] - set.X.data[b * n + j]) ** 2;
        out[b] = e;
      });
    }
    return out;
  }

  /** MSE (mean ||Re(x_hat) - x||^2) and relative errors on a complex signal set. */
  evaluate(set: ComplexSignalSet, opts?: ComplexPredictOptions): ComplexEvaluation {
    const fn = `${this.constructor.name}.evaluate`;
    const tau = this.modeTau(fn, opts);
    checkComplexSet(fn, 'set', set, this.m, this.n);
    const sq = this.squaredErrors(set, this.w, tau);
    const N = sq.length;
    const rel = new Float64Array(N);
    let mse = 0;
    for (let b = 0; b < N; b++) {
      mse += sq[b];
      let nx = 0;
      for (let j = b * this.n; j < (b + 1) * this.n; j++) nx += set.X.data[j] ** 2;
      rel[b] = nx > 0 ? Math.sqrt(sq[b] / nx) : Math.sqrt(sq[b]);
    }
    const sorted = Float64Array.from(rel).sort();
    const median = N % 2 ? sorted[(N - 1) / 2] : (sorted[N / 2 - 1] + sorted[N / 2]) / 2;
    return { mse: mse / N, relErrors: rel, medianRelError: median };
  }

  /** The training loss on a set (soft mode) and its gradient with respect to w. */
  lossAndGradient(set: ComplexSignalSet, opts: { w?: ArrayLike<number>; tau?: number } = {}): { loss: number; gw: Float64Array } {
    const fn = `${this.constructor.name}.lossAndGradient`;
    checkComplexSet(fn, 'set', set, this.m, this.n);
    const w = opts.w === undefined ? this.w : toVector(fn, 'w', opts.w, this.n);
    const tau = opts.tau === undefined ? this.tau : checkTau(fn, opts.tau);
    return this.batchVjp(set.Y, set.X, w, tau);
  }

  /** Indices of the `count` largest |w_j| (largest first; ties: lower index first). */
  topWeights(count: number): Int32Array {
    checkInt(`${this.constructor.name}.topWeights`, 'count', count, 1, this.n);
    return Int32Array.from(Array.from({ length: this.n }, (_, j) => j)
      .sort((a, b) => Math.abs(this.w[b]) - Math.abs(this.w[a]) || a - b).slice(0, count));
  }

  /** @internal The settings saved with the net. */
  protected abstract settingsJSON(): ComplexNetSettingsJSON;

  /** How A is saved: the partial Fourier spec, or the entries of a ComplexMatrix. */
  get spec(): ComplexMatrixSpec {
    if (this.fourier) return { kind: 'fourier', m: this.fourier.m, n: this.fourier.n, rows: Array.from(this.fourier.rows) };
    const data = Array.from(this.A.data);
    const negativeZeros = data.flatMap((v, i) => (Object.is(v, -0) ? [i] : []));
    return { kind: 'complex-dense', m: this.m, n: this.n, data, ...(negativeZeros.length ? { negativeZeros } : {}) };
  }

  /**
   * The net as a JSON-safe object: A (a partial Fourier matrix by its rows,
   * any other by its entries), settings, weights, format version, checksum.
   * loadComplexNet restores it; the restored net predicts bit for bit as this one.
   */
  toJSON(): ComplexNetJSON {
    const base = { kind: this.kind, matrix: this.spec, settings: this.settingsJSON(), weights: Array.from(this.w) };
    const out: ComplexNetJSON = { format: NET_FORMAT, version: NET_FORMAT_VERSION, ...base, checksum: complexChecksum(base) };
    if (Object.keys(this.meta).length) out.meta = this.meta;
    return out;
  }

  /** Nothing to free (A lives in JS memory; the kernels copy it per call); there for the real nets' interface. */
  dispose(): void {}

  /**
   * Trains w on `trainSet` in this thread: shuffled mini-batches, loss
   * mean ||Re(x_hat) - x||^2, gradient clipping, optimizer step, step decay;
   * keeps the weights of the lowest validation loss (unless keepBest: false).
   */
  train(trainSet: ComplexSignalSet, o: ComplexTrainOptions = {}): ComplexTrainResult {
    const fn = `${this.constructor.name}.train`;
    if (!o || typeof o !== 'object') throw new TypeError(`${fn}: options must be an object, received ${describe(o)}`);
    checkComplexSet(fn, 'trainSet', trainSet, this.m, this.n);
    if (o.valSet !== undefined) checkComplexSet(fn, 'valSet', o.valSet, this.m, this.n);
    const N = trainSet.Y.n;
    const epochs = o.epochs === undefined ? 100 : checkInt(fn, 'epochs', o.epochs, 1, 1e7);
    const batchSize = o.batchSize === undefined ? Math.min(64, N) : checkInt(fn, 'batchSize', o.batchSize, 1, N);
    const optName = o.optimizer === undefined ? 'rmsprop' : checkEnum(fn, 'optimizer', o.optimizer, OPTIMIZERS);
    const lr0 = o.lr === undefined ? 1e-2 : checkNumber(fn, 'lr', o.lr, 0, Number.MAX_VALUE, { openLo: true });
    let sched: StepDecay | null = null;
    if (o.lrSchedule) {
      sched = {
        every: checkInt(fn, 'lrSchedule.every', o.lrSchedule.every, 1, 1e9),
        gamma: checkNumber(fn, 'lrSchedule.gamma', o.lrSchedule.gamma, 0, 1, { openLo: true }),
      };
    }
    let tauSched: TauSchedule | null = null;
    if (o.tauSchedule) {
      tauSched = {
        start: checkNumber(fn, 'tauSchedule.start', o.tauSchedule.start, this.tau, Number.MAX_VALUE),
        epochs: checkInt(fn, 'tauSchedule.epochs', o.tauSchedule.epochs, 1, 1e9),
      };
    }
    const clip = o.clipNorm === undefined ? 1 : o.clipNorm === Infinity ? Infinity : checkNumber(fn, 'clipNorm', o.clipNorm, 0, Number.MAX_VALUE, { openLo: true });
    const seed = o.seed === undefined ? 0 : checkInt(fn, 'seed', o.seed, 0, 2 ** 32 - 1);
    const keepBest = o.keepBest === undefined ? true : !!o.keepBest;
    if (o.onEpoch !== undefined && typeof o.onEpoch !== 'function') throw new TypeError(`${fn}: onEpoch must be a function, received ${describe(o.onEpoch)}`);
    if (o.epochMetrics !== undefined && typeof o.epochMetrics !== 'function') throw new TypeError(`${fn}: epochMetrics must be a function, received ${describe(o.epochMetrics)}`);
    const opt = new Optimizer(optName, this.n, o.optimizerOptions ?? {});
    const rng = new Rng(seed);
    const valSet = o.valSet ?? trainSet;
    const mean = (a: Float64Array) => a.reduce((x, v) => x + v, 0) / a.length;
    const valLoss = (w: Float64Array) => mean(this.squaredErrors(valSet, w, this.tau));
    const w = Float64Array.from(this.w);
    const initialValLoss = valLoss(w);
    let best = { epoch: 0, loss: Number.isFinite(initialValLoss) ? initialValLoss : Number.MAX_VALUE, w: w.slice() };
    const history: ComplexEpochRecord[] = [];
    let skippedSteps = 0;
    let seconds = 0;
    let stopped = false;
    for (let e = 0; e < epochs && !stopped; e++) {
      const t0 = performance.now();
      const lr = learningRate(lr0, e, sched);
      const tau = tauAt(this.tau, e, tauSched);
      const perm = permutation(N, rng);
      let trainLoss = 0;
      let gsum = 0;
      let steps = 0;
      for (let b = 0; b < N; b += batchSize) {
        const idx = perm.subarray(b, Math.min(N, b + batchSize));
        const { loss, gw } = this.batchVjp(ccolumns(trainSet.Y, idx), rcolumns(trainSet.X, idx), w, tau);
        trainLoss += (loss * idx.length) / N;
        const gn = clipGradNorm(gw, clip);
        if (!Number.isFinite(gn) || !gw.every(Number.isFinite)) {
          skippedSteps++;
          continue;
        }
        gsum += gn;
        steps++;
        opt.step(w, gw, lr);
      }
      const vl = valLoss(w);
      const secs = (performance.now() - t0) / 1000;
      seconds += secs;
      const rec: ComplexEpochRecord = { epoch: e + 1, trainLoss, valLoss: vl, lr, tau, gradNorm: steps ? gsum / steps : NaN, seconds: secs };
      if (o.epochMetrics) rec.metrics = o.epochMetrics(w.slice());
      history.push(rec);
      if (vl < best.loss) best = { epoch: e + 1, loss: vl, w: w.slice() };
      if (o.onEpoch && o.onEpoch({ ...rec, epochs, weights: w.slice() }) === false) stopped = true;
    }
    this.w.set(keepBest ? best.w : w);
    return {
      history,
      initialValLoss,
      bestEpoch: keepBest ? best.epoch : history.length,
      bestValLoss: keepBest ? best.loss : (history.at(-1)?.valLoss ?? initialValLoss),
      epochs: history.length,
      stopped,
      skippedSteps,
      seconds,
      epochsPerSecond: history.length / Math.max(seconds, 1e-9),
    };
  }
}

/** @internal */
export interface ComplexNetSettingsJSON { layers: number; tau: number; sparsity?: number; eta?: number }

/** A saved complex net (toJSON / loadComplexNet): the saved-net format of the real nets with a complex kind and matrix. */
export interface ComplexNetJSON {
  format: typeof NET_FORMAT;
  version: number;
  kind: 'complex-omp-net' | 'complex-iht-net';
  /** A: a partial Fourier matrix by its rows ({ kind: 'fourier', m, n, rows }) or its entries ({ kind: 'complex-dense', m, n, data: 2 m n numbers }). */
  matrix: ComplexMatrixSpec;
  settings: ComplexNetSettingsJSON;
  /** w, length n (real). */
  weights: number[];
  /** FNV-1a (32-bit, hex) of kind, matrix, settings and weights as serialised. */
  checksum: string;
  /** Free-form information; not checked. */
  meta?: Record<string, unknown>;
}

function complexChecksum(j: Pick<ComplexNetJSON, 'kind' | 'matrix' | 'settings' | 'weights'>): string {
  return fnv1a(JSON.stringify([j.kind, j.matrix, j.settings, j.weights]));
}

/** Options of new ComplexOmpNet. */
export interface ComplexOmpNetOptions {
  /** Unrolled iterations (one soft atom each), integer in [1, min(m, n)]. Required. */
  layers: number;
  /** SoftSort temperature, >= 1e-100. Default 1e-3 (the paper's). */
  tau?: number;
  /** Initial weights (n real); default ones. */
  weights?: ArrayLike<number>;
  /** 'wasm' (default: the WASM kernels, batch VJP in one call; needs `await init()`) or 'js' (the JS twins). */
  backend?: Backend;
}

/**
 * OMP-Net on complex data: `layers` iterations of complex Soft-OMP selecting
 * by a SoftSort row of |w . A^H r| (moduli), complex least squares, trained
 * on mean ||Re(x_hat) - x||^2.
 *
 * @example
 * const fam = structuredSparse({ n: 256, s: 10, K: 20, m: 20, matrix: 'fourier', sigma: 1e-3, seed: 1 });
 * const net = new ComplexOmpNet(fam.A, { layers: 10 });
 * net.train(fam.sample(1024, 2), { valSet: fam.sample(512, 3), epochs: 100, lrSchedule: { every: 500, gamma: 0.5 } });
 */
export class ComplexOmpNet extends ComplexUnrolledNet {
  readonly kind = 'complex-omp-net' as const;

  constructor(A: ComplexMatrix | ComplexFourierSpec, opts: ComplexOmpNetOptions) {
    const fn = 'ComplexOmpNet';
    if (!opts || typeof opts !== 'object') throw new TypeError(`${fn}: options must be an object { layers, tau?, weights? }, received ${describe(opts)}`);
    super(fn, A, opts.layers, (m, n) => Math.min(m, n), opts.tau ?? 1e-3, opts.weights, opts.backend);
  }

  protected settingsJSON(): ComplexNetSettingsJSON {
    return { layers: this.layers, tau: this.tau };
  }

  /** Restores a ComplexOmpNet saved by toJSON() (see loadComplexNet). */
  static fromJSON(json: string | ComplexNetJSON, opts?: { backend?: Backend }): ComplexOmpNet {
    const net = loadComplexNet(json, opts, 'ComplexOmpNet.fromJSON');
    if (!(net instanceof ComplexOmpNet)) throw new RangeError(`ComplexOmpNet.fromJSON: the file holds a '${net.kind}', not a 'complex-omp-net' (use ComplexIhtNet.fromJSON or loadComplexNet)`);
    return net;
  }

  protected batchVjp(Y: ComplexMatrix, X: Matrix, w: Float64Array, tau: number) {
    const r = complexSoftOmpBatchVjp(this.A, Y, X, { iterations: this.layers, tau, w, backend: this.backend });
    return { loss: r.loss, gw: r.gw };
  }

  protected batchForward(Y: ComplexMatrix, w: Float64Array, tau: number): ComplexMatrix {
    return complexSoftOmpBatch(this.A, Y, { iterations: this.layers, tau, w, backend: this.backend }).X;
  }
}

/** Options of new ComplexIhtNet. */
export interface ComplexIhtNetOptions extends ComplexOmpNetOptions {
  /** Unrolled iterations, integer in [1, 10^6]. Required. */
  layers: number;
  /** Entries kept per iteration (SoftSort rows), integer in [1, n]. Required. */
  sparsity: number;
  /** Step eta > 0. Default 1 / ||A||_2^2. */
  eta?: number;
}

/**
 * IHT-Net on complex data: `layers` iterations of complex Soft-IHT,
 * u = x + eta A^H (y - A x), x = (column sums of softSort(|w . u|, tau, s rows)) . u.
 */
export class ComplexIhtNet extends ComplexUnrolledNet {
  readonly kind = 'complex-iht-net' as const;
  readonly sparsity: number;
  readonly eta: number;

  constructor(A: ComplexMatrix | ComplexFourierSpec, opts: ComplexIhtNetOptions) {
    const fn = 'ComplexIhtNet';
    if (!opts || typeof opts !== 'object') throw new TypeError(`${fn}: options must be an object { layers, sparsity, eta?, tau?, weights? }, received ${describe(opts)}`);
    super(fn, A, opts.layers, () => 1e6, opts.tau ?? 1e-3, opts.weights, opts.backend);
    this.sparsity = checkInt(fn, 'sparsity', opts.sparsity, 1, this.n);
    if (opts.eta === undefined) {
      const s = complexSpectralNorm(this.A);
      this.eta = s > 0 ? 1 / (s * s) : 1;
    } else this.eta = checkNumber(fn, 'eta', opts.eta, 0, Number.MAX_VALUE, { openLo: true });
  }

  protected settingsJSON(): ComplexNetSettingsJSON {
    return { layers: this.layers, tau: this.tau, sparsity: this.sparsity, eta: this.eta };
  }

  /** Restores a ComplexIhtNet saved by toJSON() (see loadComplexNet). */
  static fromJSON(json: string | ComplexNetJSON, opts?: { backend?: Backend }): ComplexIhtNet {
    const net = loadComplexNet(json, opts, 'ComplexIhtNet.fromJSON');
    if (!(net instanceof ComplexIhtNet)) throw new RangeError(`ComplexIhtNet.fromJSON: the file holds a '${net.kind}', not a 'complex-iht-net' (use ComplexOmpNet.fromJSON or loadComplexNet)`);
    return net;
  }

  protected batchVjp(Y: ComplexMatrix, X: Matrix, w: Float64Array, tau: number) {
    const r = complexSoftIhtBatchVjp(this.A, Y, X, { k: this.sparsity, iterations: this.layers, eta: this.eta, tau, w, backend: this.backend });
    return { loss: r.loss, gw: r.gw };
  }

  protected batchForward(Y: ComplexMatrix, w: Float64Array, tau: number): ComplexMatrix {
    return complexSoftIhtBatch(this.A, Y, { k: this.sparsity, iterations: this.layers, eta: this.eta, tau, w, backend: this.backend }).X;
  }
}

/** Runs body; a RangeError / TypeError from the constructors is rethrown as `fn`'s, about the saved net. */
function asLoader<T>(fn: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
    const E = e instanceof RangeError ? RangeError : TypeError;
    throw new E(`${fn}: the saved net: ${e.message.replace(/^[A-Za-z.]+: /, '')}`);
  }
}

/**
 * Restores a complex net saved by toJSON() (ComplexOmpNet or ComplexIhtNet,
 * by its `kind`). The input is untrusted, as loadNet's: its nesting depth,
 * format, version, kind, the declared size of its matrix (m, n integers, at
 * most MAX_NET_MATRIX_ENTRIES complex entries and 16 m n bytes within the
 * memory limit), the length of the rows / entries against that size, and the
 * checksum are all checked before anything is allocated; the settings are
 * then checked by the constructors. Errors are RangeError / TypeError naming
 * `fn` (default 'loadComplexNet') and the field. A saved real net is refused
 * (load it with loadNet).
 * @param opts backend of the restored net ('wasm' default, or 'js'); not saved
 */
export function loadComplexNet(json: string | ComplexNetJSON, opts?: { backend?: Backend }, fn = 'loadComplexNet'): ComplexOmpNet | ComplexIhtNet {
  let j: ComplexNetJSON;
  if (typeof json === 'string') {
    try {
      j = JSON.parse(json) as ComplexNetJSON;
    } catch (e) {
      throw new TypeError(`${fn}: the text is not JSON (${(e as Error).message})`);
    }
  } else j = json;
  if (!j || typeof j !== 'object') throw new TypeError(`${fn}: expected a saved complex net (an object with format '${NET_FORMAT}'), received ${describe(j)}`);
  if (jsonDepth(j) > MAX_JSON_DEPTH) throw new RangeError(`${fn}: the saved net is nested more than ${MAX_JSON_DEPTH} deep: not a saved net`);
  if (j.format !== NET_FORMAT) throw new TypeError(`${fn}: not a saved net: format must be '${NET_FORMAT}', received ${describe(j.format)}`);
  if (j.version !== NET_FORMAT_VERSION) throw new RangeError(`${fn}: format version ${describe(j.version)} is not supported (this build reads version ${NET_FORMAT_VERSION})`);
  if ((j.kind as string) === 'omp-net' || (j.kind as string) === 'iht-net') {
    throw new RangeError(`${fn}: the file holds a real '${j.kind}', not a complex net: load it with loadNet`);
  }
  const kind = checkEnum(fn, 'kind', j.kind, ['complex-omp-net', 'complex-iht-net'] as const);
  const backend = opts?.backend === undefined ? 'wasm' : checkEnum(fn, 'backend', opts.backend, ['wasm', 'js'] as const);
  if (!j.settings || typeof j.settings !== 'object') throw new TypeError(`${fn}: settings must be an object, received ${describe(j.settings)}`);
  if (!Array.isArray(j.weights)) throw new TypeError(`${fn}: weights must be an array of numbers, received ${describe(j.weights)}`);
  const spec = j.matrix;
  if (!spec || typeof spec !== 'object') throw new TypeError(`${fn}: matrix must be a complex matrix spec ({ kind: 'fourier', m, n, rows } or { kind: 'complex-dense', m, n, data }), received ${describe(spec)}`);
  const mkind = checkEnum(fn, 'matrix.kind', (spec as { kind: unknown }).kind, ['fourier', 'complex-dense'] as const);
  // declared sizes, before anything the size governs is allocated
  const m = checkInt(fn, 'matrix.m', spec.m, 1, 2 ** 20);
  const n = checkInt(fn, 'matrix.n', spec.n, 1, 2 ** 20);
  if (m * n > MAX_NET_MATRIX_ENTRIES) {
    throw new RangeError(`${fn}: the matrix of a saved net must have at most ${MAX_NET_MATRIX_ENTRIES} entries (MAX_NET_MATRIX_ENTRIES), received m = ${m}, n = ${n} (${m * n} complex entries, ${16 * m * n} bytes)`);
  }
  if (16 * m * n > memoryLimit()) {
    throw new RangeError(`${fn}: the complex matrix of the saved net (m = ${m}, n = ${n}) needs ${16 * m * n} bytes, more than the memory limit of ${memoryLimit()} bytes (setMemoryLimit)`);
  }
  if (mkind === 'fourier') {
    const rows = (spec as ComplexFourierSpec).rows;
    if (!Array.isArray(rows)) throw new TypeError(`${fn}: matrix.rows must be an array of ${m} frequency indices, received ${describe(rows)}`);
    if (rows.length !== m) throw new RangeError(`${fn}: matrix.rows must have length matrix.m = ${m}, received length ${rows.length}`);
  } else {
    const data = (spec as { data?: unknown }).data;
    if (!Array.isArray(data)) throw new TypeError(`${fn}: matrix.data must be an array of 2 m n = ${2 * m * n} numbers (interleaved re, im, column-major), received ${describe(data)}`);
    if (data.length !== 2 * m * n) throw new RangeError(`${fn}: matrix.data must have length 2 m n = ${2 * m * n}, received length ${data.length}`);
    const nz = (spec as { negativeZeros?: unknown }).negativeZeros;
    if (nz !== undefined) {
      if (!Array.isArray(nz) || nz.length > data.length) throw new TypeError(`${fn}: matrix.negativeZeros must be an array of at most ${data.length} indices into matrix.data, received ${describe(nz)}`);
      nz.forEach((i, k) => checkInt(fn, `matrix.negativeZeros[${k}]`, i, 0, data.length - 1));
    }
  }
  if (j.weights.length !== n) throw new RangeError(`${fn}: weights must have length ${n} (matrix.n, the columns of A), received length ${j.weights.length}`);
  const sum = complexChecksum(j);
  if (j.checksum !== sum) throw new RangeError(`${fn}: checksum mismatch (file says ${describe(j.checksum)}, contents give '${sum}'): the file was edited or damaged`);
  const A = asLoader(fn, () => {
    if (mkind === 'fourier') return { kind: 'fourier' as const, m, n, rows: (spec as ComplexFourierSpec).rows };
    const d = toVector(fn, 'matrix.data', (spec as { data: unknown }).data);
    for (const i of (spec as { negativeZeros?: number[] }).negativeZeros ?? []) if (d[i] === 0) d[i] = -0;
    return new ComplexMatrix(m, n, d);
  });
  const s = j.settings;
  const net = asLoader(fn, () => kind === 'complex-omp-net'
    ? new ComplexOmpNet(A, { layers: s.layers, tau: s.tau, weights: j.weights, backend })
    : new ComplexIhtNet(A, { layers: s.layers, sparsity: s.sparsity as number, eta: s.eta as number, tau: s.tau, weights: j.weights, backend }));
  if (j.meta && typeof j.meta === 'object' && !Array.isArray(j.meta)) net.meta = j.meta;
  return net;
}

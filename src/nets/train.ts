// The training loop of OMP-Net / IHT-Net: shuffled mini-batches, loss =
// mean ||x_hat - x||^2, gradients from the WASM VJPs (summed over each
// mini-batch in WASM, chunk results combined in a fixed order), gradient-norm
// clipping, RMSprop / Adam / SGD with step decay, the checkpoint of lowest
// validation loss kept. The whole state (weights, optimizer moments, RNG,
// epoch, best checkpoint, curves) is JSON-safe, written atomically after
// epochs when asked, and a run resumed from it continues bit for bit.
import { checkEnum, checkInt, checkNumber, describe } from '../core/errors.js';
import { checkSignalSet } from './sets.js';
import type { SignalSet } from '../data/structured.js';
import { Rng, RngState } from '../core/random.js';
import { Matrix } from '../core/matrix.js';
import { TAU_MIN } from '../soft/soft.js';
import type { Backend } from '../core/types.js';
import { nodeBuiltin } from '../core/wasm.js';
import { Engine, localEngine, poolEngine } from './engine.js';
import { clipGradNorm, learningRate, Optimizer, OptimizerHyper, OptimizerName, OPTIMIZERS, OptimizerState, StepDecay } from './optimizers.js';
import type { NetJSON, UnrolledNet } from './net.js';
import { fnv1a } from './net.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../io/depth.js';

/** Identifies saved training states. */
export const TRAIN_STATE_FORMAT = 'sparse-pursuit/train-state';
/** Version of the training-state format. */
export const TRAIN_STATE_VERSION = 1;

/** Temperature continuation: tau falls geometrically from `start` to the net's tau over the first `epochs` epochs. */
export interface TauSchedule {
  /** Temperature of epoch 1, finite, >= the net's tau. */
  start: number;
  /** Epochs of the descent (integer >= 1); later epochs use the net's tau. */
  epochs: number;
}

/** One epoch's numbers. */
export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  /** Mean of the mini-batch losses of the epoch (weighted by batch size), at that epoch's tau. */
  trainLoss: number;
  /** Mean ||x_hat - x||^2 on the validation set after the epoch, at the net's tau (the train loss when there is no validation set). */
  valLoss: number;
  /** Learning rate used. */
  lr: number;
  /** Temperature used for the training steps. */
  tau: number;
  /** Mean gradient norm before clipping. */
  gradNorm: number;
  /** Wall-clock seconds of the epoch (not reproducible, unlike everything else). */
  seconds: number;
  /** Values of `epochMetrics` for this epoch's weights, when asked: saved with the history, so a resumed run keeps them. */
  metrics?: Record<string, number>;
}

/** What onEpoch receives. */
export interface EpochInfo extends EpochRecord {
  /** Total epochs asked for. */
  epochs: number;
  /** Best validation loss so far and its epoch. */
  best: { epoch: number; loss: number };
  /** Seconds of training so far (this process and earlier ones when resumed). */
  elapsed: number;
  /** Estimated seconds left. */
  etaSeconds: number;
  /** The weights after this epoch (a copy; length n). */
  weights: Float64Array;
}

/** Options of net.train(trainSet, options). */
export interface TrainOptions {
  /** Validation signals: picks the kept checkpoint. Default none (the training loss picks it). */
  valSet?: SignalSet;
  /** Epochs, integer in [1, 10^7]. Default 100. */
  epochs?: number;
  /** Mini-batch size, integer in [1, training set size]. Default 64 (the paper's). The last batch of an epoch may be smaller. */
  batchSize?: number;
  /** 'rmsprop' (default, the paper's), 'adam' or 'sgd'. */
  optimizer?: OptimizerName;
  /** Optimizer hyperparameters besides lr (see OptimizerHyper). */
  optimizerOptions?: OptimizerHyper;
  /** Learning rate, finite, > 0. Default 1e-2 (the paper's). */
  lr?: number;
  /** Step decay of lr, e.g. { every: 500, gamma: 0.5 } (the paper's). Default none. */
  lrSchedule?: StepDecay | null;
  /** Clip the mini-batch gradient to this 2-norm, > 0 (Infinity: no clipping). Default 1 (the paper's). */
  clipNorm?: number;
  /** Temperature continuation (see TauSchedule). Default none: every epoch at the net's tau. */
  tauSchedule?: TauSchedule | null;
  /** Seed of the shuffles, integer in [0, 2^32). Default 0. */
  seed?: number;
  /** Worker threads for the gradient chunks, integer in [1, 64]; 1 (default) computes in this thread. The result does not depend on it. */
  workers?: number;
  /** 'wasm' (default) or 'js' (the pure-TS twin; slow, for comparison). */
  backend?: Backend;
  /** Keep the weights of the epoch with the lowest validation loss at the end (default true); false: the last epoch's. */
  keepBest?: boolean;
  /**
   * Numbers to record with every epoch, from its weights (e.g. how many
   * hidden indices are among the largest weights): kept in `history` and in
   * the checkpoint, so that epochs of an earlier, interrupted process keep them.
   */
  epochMetrics?(w: Float64Array): Record<string, number>;
  /** Called after every epoch; return false to stop after it. */
  onEpoch?(info: EpochInfo): void | boolean | Promise<void | boolean>;
  /** File to save { net, state } to (atomically: a temporary file, then rename). Node only. */
  checkpoint?: string;
  /** Epochs between checkpoint writes (integer >= 1, default 1); the last epoch is always written. */
  checkpointEvery?: number;
  /**
   * Continue an earlier run: a TrainState (from a result or a checkpoint's
   * `state`), or true to continue from the `checkpoint` file when it exists
   * (and start afresh when it does not). Every setting except `epochs`,
   * `workers`, `onEpoch` and the checkpoint options must match the earlier run.
   */
  resume?: boolean | TrainState;
}

/** The settings that fix a run's numbers (compared on resume). */
export interface RunSettings {
  batchSize: number;
  optimizer: OptimizerName;
  optimizerOptions: Required<OptimizerHyper>;
  lr: number;
  lrSchedule: StepDecay | null;
  clipNorm: number | null;
  tauSchedule: TauSchedule | null;
  seed: number;
  backend: Backend;
  keepBest: boolean;
  /** The net's computation: kind, layers, tau, sparsity, eta, and a fingerprint of A. */
  net: { kind: string; layers: number; tau: number; sparsity?: number; eta?: number; matrix: string };
  /** Fingerprints of the data sets. */
  data: { train: string; val: string | null };
}

/** A training run's complete state, JSON-safe. */
export interface TrainState {
  format: typeof TRAIN_STATE_FORMAT;
  version: number;
  settings: RunSettings;
  /** Epochs completed. */
  epoch: number;
  /** Weights after `epoch` epochs. */
  w: number[];
  optimizer: OptimizerState;
  /** The shuffle generator, ready for the next epoch. */
  rng: RngState;
  /** Lowest validation loss so far (epoch 0: the initial weights). */
  best: { epoch: number; loss: number; w: number[] };
  /** Validation loss of the initial weights. */
  initialValLoss: number;
  history: EpochRecord[];
  /** Steps skipped because the gradient was not finite. */
  skippedSteps: number;
  /** Training seconds so far. */
  seconds: number;
}

/** What train() returns. */
export interface TrainResult {
  /** One record per epoch (including epochs of earlier runs when resumed). */
  history: EpochRecord[];
  /** Validation loss before training. */
  initialValLoss: number;
  /** The epoch whose weights the net now holds (0: the initial weights). */
  bestEpoch: number;
  bestValLoss: number;
  /** Epochs completed in all (earlier runs included). */
  epochs: number;
  /** True when onEpoch stopped the run early. */
  stopped: boolean;
  /** Steps skipped because the gradient was not finite (e.g. Soft-IHT diverging). */
  skippedSteps: number;
  /** Training seconds (all runs) and epochs per second. */
  seconds: number;
  epochsPerSecond: number;
  /** The final state (pass as `resume` to train further). */
  state: TrainState;
}

/** FNV-1a (32-bit) over the bytes of a Float64Array, as hex: a fingerprint of data. */
export function fingerprint(a: Float64Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return `${(h >>> 0).toString(16).padStart(8, '0')}:${a.length}`;
}

function setFingerprint(s: SignalSet): string {
  return `${fingerprint(s.Y.data)}/${fingerprint(s.X.data)}`;
}

/**
 * A fingerprint of the net's A: of its entries (dense), or of its operator's
 * spec (structured: the entries are never assembled for it).
 */
function matrixFingerprint(net: UnrolledNet): string {
  const src = net.source();
  return src instanceof Matrix ? fingerprint(src.data) : `operator:${fnv1a(JSON.stringify(src))}`;
}

/** Temperature of 0-based epoch e. */
export function tauAt(tau: number, e: number, sched: TauSchedule | null): number {
  if (!sched || e >= sched.epochs) return tau;
  return sched.start * (tau / sched.start) ** (e / sched.epochs);
}

function resolveSettings(net: UnrolledNet, trainSet: SignalSet, o: TrainOptions): RunSettings {
  const fn = 'train';
  const N = trainSet.Y.n;
  const optimizer = o.optimizer === undefined ? 'rmsprop' : checkEnum(fn, 'optimizer', o.optimizer, OPTIMIZERS);
  const optimizerOptions = new Optimizer(optimizer, 1, o.optimizerOptions ?? {}).hyper;
  let lrSchedule: StepDecay | null = null;
  if (o.lrSchedule) {
    lrSchedule = {
      every: checkInt(fn, 'lrSchedule.every', o.lrSchedule.every, 1, 1e9),
      gamma: checkNumber(fn, 'lrSchedule.gamma', o.lrSchedule.gamma, 0, 1, { openLo: true }),
    };
  }
  let tauSchedule: TauSchedule | null = null;
  if (o.tauSchedule) {
    tauSchedule = {
      start: checkNumber(fn, 'tauSchedule.start', o.tauSchedule.start, Math.max(net.tau, TAU_MIN), Number.MAX_VALUE),
      epochs: checkInt(fn, 'tauSchedule.epochs', o.tauSchedule.epochs, 1, 1e9),
    };
  }
  let clipNorm: number | null = 1;
  if (o.clipNorm !== undefined) {
    if (o.clipNorm === Infinity) clipNorm = null;
    else clipNorm = checkNumber(fn, 'clipNorm', o.clipNorm, 0, Number.MAX_VALUE, { openLo: true });
  }
  const cfg = net.config();
  return {
    batchSize: o.batchSize === undefined ? Math.min(64, N) : checkInt(fn, 'batchSize', o.batchSize, 1, N),
    optimizer,
    optimizerOptions,
    lr: o.lr === undefined ? 1e-2 : checkNumber(fn, 'lr', o.lr, 0, Number.MAX_VALUE, { openLo: true }),
    lrSchedule,
    clipNorm,
    tauSchedule,
    seed: o.seed === undefined ? 0 : checkInt(fn, 'seed', o.seed, 0, 2 ** 32 - 1),
    backend: o.backend === undefined ? 'wasm' : checkEnum(fn, 'backend', o.backend, ['wasm', 'js'] as const),
    keepBest: o.keepBest === undefined ? true : !!o.keepBest,
    net: cfg.kind === 'omp-net'
      ? { kind: cfg.kind, layers: cfg.layers, tau: net.tau, matrix: matrixFingerprint(net) }
      : { kind: cfg.kind, layers: cfg.layers, tau: net.tau, sparsity: cfg.sparsity, eta: cfg.eta, matrix: matrixFingerprint(net) },
    data: { train: setFingerprint(trainSet), val: o.valSet ? setFingerprint(o.valSet) : null },
  };
}

/** Describes the first setting that differs between two runs, or null. */
function settingsDiff(a: RunSettings, b: RunSettings): string | null {
  const flat = (v: unknown, p: string, out: Map<string, string>) => {
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) flat(x, p ? `${p}.${k}` : k, out);
    else out.set(p, JSON.stringify(v));
    return out;
  };
  const fa = flat(a, '', new Map());
  const fb = flat(b, '', new Map());
  for (const k of new Set([...fa.keys(), ...fb.keys()])) {
    if (fa.get(k) !== fb.get(k)) return `${k}: the checkpoint has ${fa.get(k) ?? 'nothing'}, this run ${fb.get(k) ?? 'nothing'}`;
  }
  return null;
}

function checkState(s: unknown, n: number): TrainState {
  const fn = 'train';
  const st = s as TrainState;
  if (!st || typeof st !== 'object' || st.format !== TRAIN_STATE_FORMAT) {
    throw new TypeError(`${fn}: resume must be a training state (format '${TRAIN_STATE_FORMAT}'), received ${describe(s)}`);
  }
  if (st.version !== TRAIN_STATE_VERSION) throw new RangeError(`${fn}: training-state version ${describe(st.version)} is not supported (this build reads ${TRAIN_STATE_VERSION})`);
  if (!Array.isArray(st.w) || st.w.length !== n || !st.w.every(Number.isFinite)) throw new RangeError(`${fn}: resume.w must be ${n} finite numbers`);
  if (!st.best || typeof st.best !== 'object' || !Array.isArray(st.best.w) || st.best.w.length !== n || !st.best.w.every(Number.isFinite)) {
    throw new RangeError(`${fn}: resume.best.w must be ${n} finite numbers, received ${describe(st.best?.w)}${Array.isArray(st.best?.w) ? ` with ${st.best.w.filter((v) => !Number.isFinite(v)).length} not finite` : ''}`);
  }
  if (!Number.isInteger(st.epoch) || st.epoch < 0) throw new RangeError(`${fn}: resume.epoch must be an integer >= 0, received ${describe(st.epoch)}`);
  if (!Array.isArray(st.history) || st.history.length !== st.epoch) {
    throw new RangeError(`${fn}: resume.history must hold one record per completed epoch (${st.epoch}), received ${describe(st.history)}`);
  }
  if (!Number.isInteger(st.best.epoch) || st.best.epoch < 0 || st.best.epoch > st.epoch) {
    throw new RangeError(`${fn}: resume.best.epoch must be an integer in [0, ${st.epoch}] (resume.epoch), received ${describe(st.best.epoch)}`);
  }
  if (typeof st.best.loss !== 'number' || !(st.best.loss >= 0) || !Number.isFinite(st.best.loss)) {
    throw new RangeError(`${fn}: resume.best.loss must be a finite number >= 0, received ${describe(st.best.loss)}`);
  }
  if (!Number.isInteger(st.skippedSteps) || st.skippedSteps < 0) throw new RangeError(`${fn}: resume.skippedSteps must be an integer >= 0, received ${describe(st.skippedSteps)}`);
  if (typeof st.seconds !== 'number' || !(st.seconds >= 0) || !Number.isFinite(st.seconds)) throw new RangeError(`${fn}: resume.seconds must be a finite number >= 0, received ${describe(st.seconds)}`);
  for (const [what, check] of [['optimizer', () => Optimizer.fromJSON(st.optimizer, n)], ['rng', () => Rng.fromState(st.rng)]] as const) {
    try {
      check();
    } catch (e) {
      const E = e instanceof TypeError ? TypeError : RangeError;
      throw new E(`${fn}: resume.${what}: ${(e as Error).message.replace(/^\S+: /, '')}`);
    }
  }
  // hyperparameters added later default as they did before they existed
  if (st.settings && st.optimizer) {
    st.settings.optimizerOptions = new Optimizer(st.settings.optimizer, 1, st.settings.optimizerOptions ?? {}).hyper;
    st.optimizer.hyper = { ...st.settings.optimizerOptions };
  }
  return st;
}

/**
 * Writes text to path atomically, creating its folder if needed (see
 * io/atomic.ts: exclusive unpredictable temporary name, mode kept, rename).
 * Node-only; loaded on demand so browser bundles of the nets never see node:fs.
 */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const { mkdir } = await nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
  const { dirname } = await nodeBuiltin<typeof import('node:path')>('node:path');
  // webpackIgnore: a browser bundle leaves this Node-only module out (webpack cannot read node: imports)
  const { writeFileAtomic } = (await import(/* webpackIgnore: true */ '../io/atomic.js')) as typeof import('../io/atomic.js');
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, text);
}

/** The checksum of a checkpoint's `state` part (32-bit FNV-1a of its JSON text, as the saved net's own checksum). */
export function stateChecksum(state: unknown): string {
  return fnv1a(JSON.stringify(state));
}

/** A checkpoint file's text: the net (with its own checksum), the training state and the state's checksum. */
export function checkpointText(net: NetJSON, state: TrainState): string {
  return JSON.stringify({ net, state, stateChecksum: stateChecksum(state) });
}

/**
 * Reads a checkpoint file written by train(): { net, state }, or null when
 * the file does not exist. The file is untrusted: nesting deeper than
 * MAX_JSON_DEPTH, a missing or wrong state checksum, and (in train) every
 * field of the state are checked before anything is used.
 */
export async function readCheckpoint(path: string): Promise<{ net: NetJSON; state: TrainState } | null> {
  const { readFile } = await nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let j: { net: NetJSON; state: TrainState };
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new TypeError(`readCheckpoint: ${path} is not JSON (${(e as Error).message})`);
  }
  if (jsonDepth(j) > MAX_JSON_DEPTH) throw new RangeError(`readCheckpoint: ${path} is nested more than ${MAX_JSON_DEPTH} deep: not a checkpoint`);
  if (!j || typeof j !== 'object' || !j.state || !j.net) throw new TypeError(`readCheckpoint: ${path} is not a checkpoint ({ net, state, stateChecksum })`);
  const sum = stateChecksum(j.state);
  const said = (j as { stateChecksum?: unknown }).stateChecksum;
  if (said !== sum) {
    throw new RangeError(`readCheckpoint: ${path}: ${said === undefined ? 'the state has no checksum (stateChecksum)' : `state checksum mismatch (file says ${describe(said)}, contents give '${sum}')`}: the file was edited or damaged`);
  }
  return j;
}

/** Fisher-Yates shuffle of 0..N-1 driven by rng. */
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

/** The training loop (see UnrolledNet.train). */
export async function train(net: UnrolledNet, trainSet: SignalSet, o: TrainOptions = {}): Promise<TrainResult> {
  const fn = 'train';
  if (!o || typeof o !== 'object') throw new TypeError(`${fn}: options must be an object, received ${describe(o)}`);
  checkSignalSet(fn, 'trainSet', trainSet, net.m, net.n);
  if (o.valSet !== undefined) checkSignalSet(fn, 'valSet', o.valSet, net.m, net.n);
  const epochs = o.epochs === undefined ? 100 : checkInt(fn, 'epochs', o.epochs, 1, 1e7);
  const workers = o.workers === undefined ? 1 : checkInt(fn, 'workers', o.workers, 1, 64);
  const every = o.checkpointEvery === undefined ? 1 : checkInt(fn, 'checkpointEvery', o.checkpointEvery, 1, 1e9);
  if (o.checkpoint !== undefined && (typeof o.checkpoint !== 'string' || o.checkpoint === '')) throw new TypeError(`${fn}: checkpoint must be a file path, received ${describe(o.checkpoint)}`);
  if (o.onEpoch !== undefined && typeof o.onEpoch !== 'function') throw new TypeError(`${fn}: onEpoch must be a function, received ${describe(o.onEpoch)}`);
  if (o.epochMetrics !== undefined && typeof o.epochMetrics !== 'function') throw new TypeError(`${fn}: epochMetrics must be a function, received ${describe(o.epochMetrics)}`);
  const settings = resolveSettings(net, trainSet, o);
  const n = net.n;
  const N = trainSet.Y.n;

  let prior: TrainState | null = null;
  if (o.resume === true) {
    if (!o.checkpoint) throw new TypeError(`${fn}: resume: true needs the checkpoint option (the file to resume from)`);
    prior = (await readCheckpoint(o.checkpoint))?.state ?? null;
  } else if (o.resume) prior = o.resume;
  if (prior) {
    prior = checkState(prior, n);
    const d = settingsDiff(prior.settings, settings);
    if (d) throw new RangeError(`${fn}: cannot resume, a setting differs (${d})`);
  }

  const setup = { cfg: net.config(), source: net.source(), n, train: trainSet, val: o.valSet ?? null, backend: settings.backend };
  const engine: Engine = workers > 1 ? await poolEngine(setup, workers) : localEngine(setup);
  try {
    const mean = (a: Float64Array) => a.reduce((x, v) => x + v, 0) / a.length;
    const valLoss = async (w: Float64Array) => mean(await engine.sse(o.valSet ? 'val' : 'train', w, net.tau));
    let st: TrainState;
    if (prior) {
      st = JSON.parse(JSON.stringify(prior));
    } else {
      const w0 = Array.from(net.w);
      const l0 = await valLoss(net.w);
      st = {
        format: TRAIN_STATE_FORMAT, version: TRAIN_STATE_VERSION, settings, epoch: 0, w: w0,
        optimizer: new Optimizer(settings.optimizer, n, settings.optimizerOptions).toJSON(),
        rng: new Rng(settings.seed).getState(),
        best: { epoch: 0, loss: Number.isFinite(l0) ? l0 : Number.MAX_VALUE, w: w0 },
        initialValLoss: l0, history: [], skippedSteps: 0, seconds: 0,
      };
    }
    const w = Float64Array.from(st.w);
    const opt = Optimizer.fromJSON(st.optimizer, n);
    const rng = Rng.fromState(st.rng);
    let stopped = false;
    const save = async () => {
      if (!o.checkpoint) return;
      net.w.set(w);
      await writeAtomic(o.checkpoint, checkpointText(net.toJSON(), st));
    };
    for (let e = st.epoch; e < epochs && !stopped; e++) {
      const t0 = performance.now();
      const lr = learningRate(settings.lr, e, settings.lrSchedule);
      const tau = tauAt(net.tau, e, settings.tauSchedule);
      const perm = permutation(N, rng);
      let trainLoss = 0;
      let gsum = 0;
      let steps = 0;
      for (let b = 0; b < N; b += settings.batchSize) {
        const batch = perm.subarray(b, Math.min(N, b + settings.batchSize));
        const { loss, gw } = await engine.grad(batch, w, tau);
        trainLoss += (loss * batch.length) / N;
        const gn = clipGradNorm(gw, settings.clipNorm ?? Infinity);
        if (!Number.isFinite(gn) || !gw.every(Number.isFinite)) {
          st.skippedSteps++;
          continue;
        }
        gsum += gn;
        steps++;
        opt.step(w, gw, lr);
      }
      const vl = await valLoss(w);
      const seconds = (performance.now() - t0) / 1000;
      const rec: EpochRecord = { epoch: e + 1, trainLoss, valLoss: vl, lr, tau, gradNorm: steps ? gsum / steps : NaN, seconds };
      if (o.epochMetrics) rec.metrics = o.epochMetrics(w.slice());
      st.history.push(rec);
      if (vl < st.best.loss) st.best = { epoch: e + 1, loss: vl, w: Array.from(w) };
      st.epoch = e + 1;
      st.w = Array.from(w);
      st.optimizer = opt.toJSON();
      st.rng = rng.getState();
      st.seconds += seconds;
      if (o.onEpoch) {
        const left = epochs - st.epoch;
        const per = st.seconds / Math.max(1, st.history.length);
        const r = await o.onEpoch({ ...rec, epochs, best: { epoch: st.best.epoch, loss: st.best.loss }, elapsed: st.seconds, etaSeconds: left * per, weights: w.slice() });
        if (r === false) stopped = true;
      }
      if (st.epoch % every === 0 || st.epoch === epochs || stopped) await save();
    }
    net.w.set(settings.keepBest ? st.best.w : st.w);
    const keptEpoch = settings.keepBest ? st.best.epoch : st.epoch;
    const keptLoss = settings.keepBest ? st.best.loss : (st.history.at(-1)?.valLoss ?? st.initialValLoss);
    return {
      history: st.history,
      initialValLoss: st.initialValLoss,
      bestEpoch: keptEpoch,
      bestValLoss: keptLoss,
      epochs: st.epoch,
      stopped,
      skippedSteps: st.skippedSteps,
      seconds: st.seconds,
      epochsPerSecond: st.history.length / Math.max(st.seconds, 1e-9),
      state: st,
    };
  } finally {
    await engine.close();
  }
}

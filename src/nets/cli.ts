// `sparse-pursuit train omp-net|iht-net [options]`: trains a net with a
// progress bar (epoch, train loss, val loss, ETA), writes <out>/<net>.json
// (settings, curves, final metrics, weights, the saved net), the three SVGs
// and <out>/<net>.net.json (the net alone, for loadNet), and keeps a
// checkpoint (<out>/<net>.checkpoint.json, atomic) for --resume. With
// --matrix fourier (the --paper preset) it trains the complex nets in this
// thread (no checkpoint, no workers).
import { ensureWritableDir } from '../io/atomic.js';
import { resolve } from 'node:path';
import { EXIT_CODES, parse, UsageError } from '../cli/args.js';
import { progress } from '../cli/progress.js';
import { OPTIMIZERS, OptimizerName } from './optimizers.js';
import { NetExperimentSettings, PRESET_NAMES, PRESETS, PresetName, runNetExperiment } from './experiment.js';
import type { EpochInfo } from './train.js';
import { writeAtomic } from './train.js';

export const TRAIN_USAGE = `usage: sparse-pursuit train omp-net|iht-net [options]

Trains OMP-Net or IHT-Net on structured-sparse signals (supports inside a
hidden set of K indices) and writes DIR/<net>.json (curves, final metrics,
weights), DIR/<net>-loss.svg, DIR/<net>-errors.svg, DIR/<net>-weights.svg and
DIR/<net>.net.json (the trained net, for loadNet).

settings (defaults: --quick; every option below overrides the preset):
  --quick                 small real problem, under a minute: n 128, s 8, K 16, m 24, DCT,
                          1024/256/256 signals; OMP-Net 8 layers, 100 epochs; IHT-Net 20 layers,
                          eta 0.5, 30 epochs; tau 0.1 -> 1e-3 over the first half
  --paper                 the paper's Figure 3 setting as the authors ran it, complex: A = m random
                          rows (sorted) of the DFT (n 256) / sqrt(m), real signals, s 10 of a
                          hidden K 20, complex noise sigma 1e-3, 1024/512/512 train/val/test
                          signals, batch 64, tau 1e-3 fixed, RMSprop lr 1e-2 halved every 500
                          epochs, clip 1, 1000 epochs, best validation checkpoint kept; OMP-Net
                          m 20, 10 layers; IHT-Net m 36, 30 layers, eta 0.5 (ComplexOmpNet /
                          ComplexIhtNet; the saved net loads with loadComplexNet)
  --paper-dct             the same recipe with a real DCT (the former --paper): OMP-Net m 40;
                          IHT-Net m 36, tau 0.1 -> 1e-3 over 50 epochs
  --preset NAME           one of ${PRESET_NAMES.join(', ')} (quick-fourier: a complex problem at
                          n 64 in a few seconds, the quick report's)
  --matrix dct|gaussian|fourier     sensing matrix (fourier: the complex nets, trained in this
                          thread: no --workers, no checkpoint or --resume)
  --n N --m M --s S --K K --sigma X
  --train N --val N --test N        signals per set
  --layers L --tau T --eta X        net (eta: IHT-Net step)
  --epochs E --batch B --optimizer rmsprop|adam|sgd --lr X
  --lr-step E --lr-gamma G          step decay (lr times G every E epochs); --lr-step 0: none
  --clip X                          gradient-norm clip; 0: none
  --weight-decay X                  decoupled weight decay (w shrinks by 1 - lr X per step); default 0
  --eps X                           RMSprop / Adam eps, added to the root mean square; default 1e-8 (PyTorch's)
  --tau-start T --tau-epochs E      temperature continuation (T down to --tau over E epochs); --tau-epochs 0: none
  --seed N                          master seed (data and shuffles)
run:
  --workers N             worker threads for the gradients (default 1; the result does not depend on it)
  --out DIR               output folder (default report)
  --resume                continue from DIR/<net>.checkpoint.json (same settings; --epochs may grow)
  -h, --help              this text

${EXIT_CODES}`;

/** A command-line mistake (exit code 2): the CLI's UsageError. */
export { UsageError as TrainUsageError };

const OPTIONS = {
  quick: { type: 'boolean' }, paper: { type: 'boolean' }, 'paper-dct': { type: 'boolean' }, preset: { type: 'string' }, matrix: { type: 'string' },
  n: { type: 'string' }, m: { type: 'string' }, s: { type: 'string' }, K: { type: 'string' }, sigma: { type: 'string' },
  train: { type: 'string' }, val: { type: 'string' }, test: { type: 'string' },
  layers: { type: 'string' }, tau: { type: 'string' }, eta: { type: 'string' },
  epochs: { type: 'string' }, batch: { type: 'string' }, optimizer: { type: 'string' }, lr: { type: 'string' },
  'lr-step': { type: 'string' }, 'lr-gamma': { type: 'string' }, clip: { type: 'string' },
  'tau-start': { type: 'string' }, 'weight-decay': { type: 'string' }, eps: { type: 'string' }, 'tau-epochs': { type: 'string' }, seed: { type: 'string' },
  workers: { type: 'string' }, out: { type: 'string', short: 'o' }, resume: { type: 'boolean' },
} as const;

function num(name: string, v: string, lo: number, hi: number, integer: boolean): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < lo || x > hi || (integer && !Number.isInteger(x))) {
    throw new UsageError(`train: --${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], received ${JSON.stringify(v)}`);
  }
  return x;
}

/** Parses the arguments after `train` into settings (or null for --help). */
export function parseTrainArgs(args: string[]): { settings: NetExperimentSettings; workers: number; out: string; resume: boolean } | null {
  const parsed = parse('train', args, OPTIONS, true);
  const v = parsed.values;
  if (v.help) return null;
  const kind = parsed.positionals[0];
  if (kind !== 'omp-net' && kind !== 'iht-net') throw new UsageError(`train: name the net, omp-net or iht-net${kind ? ` (received ${JSON.stringify(kind)})` : ''}`);
  if (parsed.positionals.length > 1) throw new UsageError(`train: unexpected argument ${JSON.stringify(parsed.positionals[1])}`);
  const chosen = [v.quick && 'quick', v.paper && 'paper', v['paper-dct'] && 'paper-dct', v.preset !== undefined && v.preset].filter((x) => x !== false && x !== undefined) as string[];
  if (chosen.length > 1) throw new UsageError(`train: --quick, --paper, --paper-dct and --preset exclude each other (received ${[v.quick && '--quick', v.paper && '--paper', v['paper-dct'] && '--paper-dct', v.preset !== undefined && '--preset'].filter(Boolean).join(' and ')})`);
  if (v.preset !== undefined && !(PRESET_NAMES as readonly string[]).includes(v.preset)) {
    throw new UsageError(`train: --preset must be one of ${PRESET_NAMES.join(', ')}, received ${JSON.stringify(v.preset)}`);
  }
  const st: NetExperimentSettings = structuredClone(PRESETS[(chosen[0] ?? 'quick') as PresetName][kind]);
  const BIG = 2 ** 24;
  if (v.matrix !== undefined) {
    if (v.matrix !== 'dct' && v.matrix !== 'gaussian' && v.matrix !== 'fourier') throw new UsageError(`train: --matrix must be dct, gaussian or fourier, received ${JSON.stringify(v.matrix)}`);
    st.matrix = v.matrix;
  }
  if (v.n !== undefined) st.n = num('n', v.n, 2, BIG, true);
  if (v.m !== undefined) st.m = num('m', v.m, 1, BIG, true);
  if (v.s !== undefined) st.s = num('s', v.s, 1, BIG, true);
  if (v.K !== undefined) st.K = num('K', v.K, 1, BIG, true);
  if (v.sigma !== undefined) st.sigma = num('sigma', v.sigma, 0, 1e300, false);
  if (v.train !== undefined) st.train = num('train', v.train, 1, BIG, true);
  if (v.val !== undefined) st.val = num('val', v.val, 1, BIG, true);
  if (v.test !== undefined) st.test = num('test', v.test, 1, BIG, true);
  if (v.layers !== undefined) st.layers = num('layers', v.layers, 1, 1e6, true);
  if (v.tau !== undefined) st.tau = num('tau', v.tau, 1e-100, 1e300, false);
  if (v.eta !== undefined) {
    if (kind !== 'iht-net') throw new UsageError('train: --eta is the IHT-Net step; omp-net has none');
    st.eta = num('eta', v.eta, 1e-300, 1e300, false);
  }
  if (v.epochs !== undefined) st.epochs = num('epochs', v.epochs, 1, 1e7, true);
  if (v.batch !== undefined) st.batchSize = num('batch', v.batch, 1, BIG, true);
  if (v.optimizer !== undefined) {
    if (!OPTIMIZERS.includes(v.optimizer as OptimizerName)) throw new UsageError(`train: --optimizer must be one of ${OPTIMIZERS.join(', ')}, received ${JSON.stringify(v.optimizer)}`);
    st.optimizer = v.optimizer as OptimizerName;
  }
  if (v.eps !== undefined) {
    if (st.optimizer === 'sgd') throw new UsageError("train: --eps is RMSprop's and Adam's; sgd has none");
    st.eps = num('eps', v.eps, 1e-300, 1e300, false);
  }
  if (v.lr !== undefined) st.lr = num('lr', v.lr, 1e-300, 1e300, false);
  if (v['lr-step'] !== undefined) {
    const every = num('lr-step', v['lr-step'], 0, 1e9, true);
    st.lrSchedule = every === 0 ? null : { every, gamma: st.lrSchedule?.gamma ?? 0.5 };
  }
  if (v['lr-gamma'] !== undefined) {
    const gamma = num('lr-gamma', v['lr-gamma'], 1e-300, 1, false);
    if (!st.lrSchedule) throw new UsageError('train: --lr-gamma needs a step decay (--lr-step E)');
    st.lrSchedule.gamma = gamma;
  }
  if (v.clip !== undefined) {
    const c = num('clip', v.clip, 0, 1e300, false);
    st.clipNorm = c === 0 ? null : c;
  }
  if (v['weight-decay'] !== undefined) {
    const d = num('weight-decay', v['weight-decay'], 0, 1e300, false);
    if (d > 0) st.weightDecay = d;
    else delete st.weightDecay;
  }
  if (v['tau-epochs'] !== undefined) {
    const e = num('tau-epochs', v['tau-epochs'], 0, 1e9, true);
    st.tauSchedule = e === 0 ? null : { start: st.tauSchedule?.start ?? 0.1, epochs: e };
  }
  if (v['tau-start'] !== undefined) {
    const t = num('tau-start', v['tau-start'], 1e-100, 1e300, false);
    st.tauSchedule = { start: t, epochs: st.tauSchedule?.epochs ?? Math.max(1, Math.round(st.epochs / 10)) };
  }
  if (v.seed !== undefined) st.seed = num('seed', v.seed, 0, 2 ** 32 - 1, true);
  const workers = v.workers === undefined ? 1 : num('workers', v.workers, 1, 64, true);
  if (st.matrix === 'fourier') {
    if (workers > 1) throw new UsageError('train: --workers applies to the real nets; the complex nets (--matrix fourier, --paper) train in this thread');
    if (v.resume) throw new UsageError('train: --resume applies to the real nets; the complex nets (--matrix fourier, --paper) keep no checkpoint');
  }
  return { settings: st, workers, out: v.out ?? 'report', resume: !!v.resume };
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const t = Math.round(s);
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * The training progress display: the CLI's progress bar (cli-progress on a
 * terminal, a line every 10% otherwise) over epochs, labelled with the
 * epoch's train and validation loss, the best so far and an ETA from the
 * mean epoch time.
 */
export function epochProgress(name: string, stream?: NodeJS.WriteStream): (e: EpochInfo) => void {
  const p = progress(name, stream);
  return (e) => p(e.epoch, e.epochs, `epoch ${e.epoch}  train ${e.trainLoss.toExponential(2)}  val ${e.valLoss.toExponential(2)}  best ${e.best.loss.toExponential(2)} @${e.best.epoch}  ETA ${fmtTime(e.etaSeconds)}`);
}

/** Runs the train command; returns the exit code. Throws TrainUsageError on bad arguments. */
export async function trainCommand(args: string[], print: (s: string) => void = console.log): Promise<number> {
  const p = parseTrainArgs(args);
  if (!p) {
    print(TRAIN_USAGE);
    return 0;
  }
  const { settings: st, workers, resume } = p;
  const dir = resolve(p.out);
  // an unwritable --out is found before training, not after it
  await ensureWritableDir(dir);
  const checkpoint = st.matrix === 'fourier' ? undefined : resolve(dir, `${st.kind}.checkpoint.json`);
  const out = await runNetExperiment(st, { workers, onEpoch: epochProgress(st.kind), checkpoint, resume });
  await writeAtomic(resolve(dir, `${st.kind}.json`), JSON.stringify(out.json, null, 1));
  await writeAtomic(resolve(dir, `${st.kind}.net.json`), JSON.stringify(out.net.toJSON()));
  for (const f of out.figures) await writeAtomic(resolve(dir, f.file), f.svg);
  print(out.summary);
  print(`\nwritten: ${[`${st.kind}.json`, `${st.kind}.net.json`, ...out.figures.map((f) => f.file)].map((f) => resolve(dir, f)).join(' ')}`);
  return 0;
}

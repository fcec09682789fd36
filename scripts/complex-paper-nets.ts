// The complex experiment of "Deep greedy unfolding" (Figure 3) with the
// package's complex nets: partial Fourier A (n = 256, unit columns), x real
// with s = 10 of K = 20 hidden indices, sigma = 1e-3; OMP-Net m = 20, 10
// layers; IHT-Net m = 36, 30 layers, eta 0.5; tau = 1e-3; RMSprop lr 1e-2,
// clip 1, lr halved every 500 epochs, batch 64, 1024 training and 512
// validation signals, checkpoint of lowest validation MSE kept. Prints the
// time of every epoch, the validation MSE of plain OMP / IHT (complex fit,
// as the authors' baselines) against the net's, and how many of the 20
// hidden indices are among the 20 largest |w|.
//   npx tsx scripts/complex-paper-nets.ts [--seed 1] [--epochs 20] [--nets omp,iht] [--every 1]
//     [--backend wasm|js]   (default wasm: the WASM kernels; js: the twins)
//     [--tau-start 0.1 --tau-epochs 50]   (optional temperature continuation; the paper keeps tau = 1e-3)
import { parseArgs } from 'node:util';
import { structuredSparse } from '../src/data/structured.js';
import { complexIhtJs } from '../src/js/complex/iht.js';
import { complexOmpJs } from '../src/js/complex/omp.js';
import { ComplexIhtNet, ComplexOmpNet } from '../src/nets/complex.js';
import { init } from '../src/index.js';
import type { ComplexSignalSet } from '../src/data/fourier.js';
import type { ComplexMatrix } from '../src/js/complex/cmatrix.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    epochs: { type: 'string', default: '20' },
    nets: { type: 'string', default: 'omp,iht' },
    every: { type: 'string', default: '1' },
    'tau-start': { type: 'string' },
    'tau-epochs': { type: 'string', default: '50' },
    backend: { type: 'string', default: 'wasm' },
  },
});
await init();
const backend = values.backend as 'wasm' | 'js';
const seed = Number(values.seed);
const epochs = Number(values.epochs);
const every = Number(values.every);
const tauSchedule = values['tau-start'] ? { start: Number(values['tau-start']), epochs: Number(values['tau-epochs']) } : null;
const [n, s, K, sigma] = [256, 10, 20, 1e-3];

/** Validation MSE of a plain solver (complex fit, real part compared). */
function plainMse(A: ComplexMatrix, set: ComplexSignalSet, alg: 'omp' | 'iht'): number {
  const { Y, X } = set;
  const m = A.m;
  const N = Y.n;
  let mse = 0;
  for (let b = 0; b < N; b++) {
    const y = Y.data.slice(2 * b * m, 2 * (b + 1) * m);
    const r = alg === 'omp' ? complexOmpJs(A, y, { k: s, tol: 0 }) : complexIhtJs(A, y, { k: s, tol: 0, maxIter: 30, mu: 0.5 });
    for (let j = 0; j < n; j++) mse += (r.x[2 * j] - X.data[b * n + j]) ** 2 / N;
  }
  return mse;
}

for (const kind of values.nets!.split(',') as ('omp' | 'iht')[]) {
  const m = kind === 'omp' ? 20 : 36;
  const fam = structuredSparse({ n, s, K, m, matrix: 'fourier', sigma, seed });
  const train = fam.sample(1024, 2000 + seed);
  const val = fam.sample(512, 1000 + seed); // the validation set of scripts/complex-paper-baselines.ts
  const hits = (w: Float64Array) => {
    const top = Array.from({ length: n }, (_, j) => j).sort((a, b) => Math.abs(w[b]) - Math.abs(w[a]) || a - b).slice(0, K);
    return top.filter((j) => fam.hidden.includes(j)).length;
  };
  const net = kind === 'omp' ? new ComplexOmpNet(fam.A, { layers: s, tau: 1e-3, backend }) : new ComplexIhtNet(fam.A, { layers: 30, sparsity: s, eta: 0.5, tau: 1e-3, backend });
  const plain = plainMse(fam.A, val, kind);
  console.log(`\n${kind.toUpperCase()}-Net, seed ${seed}, m = ${m}: plain ${kind.toUpperCase()} validation MSE ${plain.toFixed(4)}; net at w = 1: soft ${net.evaluate(val).mse.toExponential(3)}, hard ${net.evaluate(val, { mode: 'hard' }).mse.toFixed(4)}`);
  const r = net.train(train, {
    valSet: val, epochs, batchSize: 64, optimizer: 'rmsprop', optimizerOptions: { rho: 0.99, eps: 1e-8 },
    lr: 1e-2, clipNorm: 1, lrSchedule: { every: 500, gamma: 0.5 }, tauSchedule, seed,
    epochMetrics: (w) => ({ hidden: hits(w) }),
    onEpoch: (e) => {
      if (e.epoch % every === 0 || e.epoch === e.epochs) {
        console.log(`epoch ${e.epoch}: ${e.seconds.toFixed(2)} s, train ${e.trainLoss.toExponential(3)}, val ${e.valLoss.toExponential(3)}, |g| ${e.gradNorm.toFixed(3)}, hidden in top-20 |w| ${e.metrics!.hidden}`);
      }
    },
  });
  const soft = net.evaluate(val).mse;
  const hard = net.evaluate(val, { mode: 'hard' }).mse;
  console.log(`${kind.toUpperCase()}-Net (${backend}), seed ${seed}: ${r.epochs} epochs in ${r.seconds.toFixed(1)} s (${r.epochsPerSecond.toFixed(3)} epochs/s, ${(r.seconds / r.epochs).toFixed(2)} s/epoch)`);
  console.log(`  validation MSE: plain ${kind.toUpperCase()} ${plain.toFixed(4)} | net (best epoch ${r.bestEpoch}) soft ${soft.toExponential(3)}, hard ${hard.toExponential(3)} | initial soft ${r.initialValLoss.toExponential(3)}`);
  console.log(`  hidden indices among the 20 largest |w|: ${hits(net.w)} of ${K}`);
}

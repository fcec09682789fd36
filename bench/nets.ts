// `npm run bench:nets`: one training epoch of OMP-Net at the real-DCT paper
// recipe (n = 256, m = 40 real DCT, 10 layers, tau = 1e-3, 1024 training
// signals in batches of 64, plus the 512-signal validation pass), WASM
// batched VJPs vs the pure-TS twin, and IHT-Net (m = 36, 30 layers) for
// scale; then one epoch of the complex OMP-Net at the authors' setting
// (ComplexOmpNet, partial Fourier A 20 x 256, real signals, `train --paper`),
// WASM kernels vs their JS twins (in this thread; the authors' code takes
// about 7 s an epoch, a batched PyTorch version 0.68 s on one thread).
// Each tinybench sample is a fresh net trained for one epoch; reported: the
// median of the epoch itself (the training loop's own clock: 16 mini-batch
// steps and the validation pass) and the median of the whole call (adds the
// set-up: A into WASM, the initial validation pass, starting worker threads).
// Medians (the machine is shared; single runs are noisy).
//
// options: --quick (fewer samples), --workers=N (also time N worker threads),
//          --out=PATH (JSON results; default bench/nets-results.json)
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { ComplexOmpNet, IhtNet, init, OmpNet, structuredSparse } from '../src/index.js';
import type { FourierStructuredSparse } from '../src/data/fourier.js';
import type { MatrixKind } from '../src/data/structured.js';
import { PRESETS, streamSeed } from '../src/nets/experiment.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const workersArg = args.find((a) => a.startsWith('--workers='));
const workers = workersArg ? Number(workersArg.slice(10)) : 0;
const out = args.find((a) => a.startsWith('--out='))?.slice(6) ?? fileURLToPath(new URL('./nets-results.json', import.meta.url));

await init();

interface Row { net: string; backend: string; workers: number; msPerEpoch: number; epochsPerSecond: number; msPerCall: number; samples: number }
const rows: Row[] = [];

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function time(label: string, fn: () => Promise<unknown>, iterations: number): Promise<{ ms: number; samples: number }> {
  const bench = new Bench({ time: 0, iterations, warmup: false, throws: true });
  bench.add(label, fn);
  await bench.run();
  const r = bench.tasks[0].result as unknown as { latency: { p50: number; samplesCount: number } };
  return { ms: r.latency.p50, samples: r.latency.samplesCount };
}

for (const kind of ['omp-net', 'iht-net'] as const) {
  const st = PRESETS['paper-dct'][kind];
  const fam = structuredSparse({ n: st.n, s: st.s, K: st.K, m: st.m, matrix: st.matrix as MatrixKind, sigma: st.sigma, seed: st.seed });
  const train = fam.sample(st.train, streamSeed(st.seed, 1));
  const valSet = fam.sample(st.val, streamSeed(st.seed, 2));
  const make = () => kind === 'omp-net'
    ? new OmpNet(fam.spec, { layers: st.layers, tau: st.tau })
    : new IhtNet(fam.spec, { layers: st.layers, sparsity: st.s, eta: st.eta, tau: st.tau });
  const configs: { backend: 'wasm' | 'js'; workers: number }[] = [{ backend: 'wasm', workers: 1 }];
  if (workers > 1) configs.push({ backend: 'wasm', workers });
  // the JS twin of IHT-Net (30 layers) takes minutes per epoch: OMP-Net only
  if (kind === 'omp-net') configs.push({ backend: 'js', workers: 1 });
  for (const c of configs) {
    const iters = c.backend === 'js' ? (quick ? 1 : 3) : (quick ? 3 : 7);
    const epochMs: number[] = [];
    const epoch = async () => {
      const net = make();
      const r = await net.train(train, { valSet, epochs: 1, batchSize: st.batchSize, optimizer: st.optimizer, lr: st.lr, clipNorm: st.clipNorm ?? Infinity, seed: 1, backend: c.backend, workers: c.workers });
      epochMs.push(r.history[0].seconds * 1000);
      net.dispose();
    };
    const r = await time(`${kind} ${c.backend} x${c.workers}`, epoch, iters);
    const ms = median(epochMs);
    rows.push({ net: kind, backend: c.backend, workers: c.workers, msPerEpoch: ms, epochsPerSecond: 1000 / ms, msPerCall: r.ms, samples: r.samples });
    console.log(`${kind.padEnd(8)} ${c.backend.padEnd(5)} workers ${c.workers}: ${(ms / 1000).toFixed(2)} s/epoch (${(1000 / ms).toFixed(2)} epochs/s; ${(r.ms / 1000).toFixed(2)} s per call with set-up; median of ${r.samples})`);
  }
}
// the complex OMP-Net of the authors' setting (PRESETS.paper: matrix 'fourier', m = 20), trained in this thread
{
  const st = PRESETS.paper['omp-net'];
  const fam = structuredSparse({ n: st.n, s: st.s, K: st.K, m: st.m, matrix: 'fourier', sigma: st.sigma, seed: st.seed }) as FourierStructuredSparse;
  const train = fam.sample(st.train, streamSeed(st.seed, 1));
  const valSet = fam.sample(st.val, streamSeed(st.seed, 2));
  for (const backend of ['wasm', 'js'] as const) {
    const iters = backend === 'js' ? (quick ? 1 : 3) : (quick ? 3 : 7);
    const epochMs: number[] = [];
    const epoch = async () => {
      const net = new ComplexOmpNet(fam.spec, { layers: st.layers, tau: st.tau, backend });
      const r = net.train(train, { valSet, epochs: 1, batchSize: st.batchSize, optimizer: st.optimizer, lr: st.lr, clipNorm: st.clipNorm ?? Infinity, seed: 1 });
      epochMs.push(r.history[0].seconds * 1000);
    };
    const r = await time(`complex-omp-net ${backend}`, epoch, iters);
    const ms = median(epochMs);
    rows.push({ net: 'complex-omp-net', backend, workers: 1, msPerEpoch: ms, epochsPerSecond: 1000 / ms, msPerCall: r.ms, samples: r.samples });
    console.log(`${'complex-omp-net'.padEnd(16)} ${backend.padEnd(5)} in-thread: ${(ms / 1000).toFixed(2)} s/epoch (${(1000 / ms).toFixed(2)} epochs/s; ${(r.ms / 1000).toFixed(2)} s per call with set-up; median of ${r.samples})`);
  }
}
const wasmC = rows.find((r) => r.net === 'complex-omp-net' && r.backend === 'wasm')!;
const jsC = rows.find((r) => r.net === 'complex-omp-net' && r.backend === 'js')!;
console.log(`complex OMP-Net epoch (authors' setting), WASM vs JS twin: ${(jsC.msPerEpoch / wasmC.msPerEpoch).toFixed(1)}x; vs the authors' ~7 s/epoch: ${(7000 / wasmC.msPerEpoch).toFixed(1)}x, vs batched PyTorch 0.68 s (one thread): ${(680 / wasmC.msPerEpoch).toFixed(1)}x`);
const wasmOmp = rows.find((r) => r.net === 'omp-net' && r.backend === 'wasm' && r.workers === 1)!;
const jsOmp = rows.find((r) => r.net === 'omp-net' && r.backend === 'js')!;
console.log(`OMP-Net epoch, WASM vs JS twin: ${(jsOmp.msPerEpoch / wasmOmp.msPerEpoch).toFixed(1)}x`);
const machine = { cpu: cpus()[0]?.model ?? '?', cores: cpus().length, node: process.version, load: loadavg().map((v) => +v.toFixed(2)), date: new Date().toISOString() };
writeFileSync(out, JSON.stringify({ machine, setting: "real rows: paper-dct (src/nets/experiment.ts PRESETS['paper-dct']); complex-omp-net rows: paper (PRESETS.paper, partial Fourier 20 x 256, in-thread); one epoch = 1024 training signals in batches of 64 + 512 validation forwards", rows }, null, 2));
console.log(`written ${out}`);

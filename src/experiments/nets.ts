// The report's OMP-Net and IHT-Net experiments: train each net on
// structured-sparse signals and show the loss curves, the relative errors
// against plain OMP / IHT, and the learned weights with the hidden set marked.
// Both modes run the complex nets of the paper (partial Fourier A, real
// signals): quick mode the `train --preset quick-fourier` preset (a few
// seconds), full mode the paper's setting (`train --paper`; see
// src/nets/experiment.ts).
import { PRESETS, runNetExperiment } from '../nets/experiment.js';
import type { Experiment, ExperimentContext, ExperimentOutput } from './types.js';

function netExperiment(kind: 'omp-net' | 'iht-net'): Experiment {
  const name = kind === 'omp-net' ? 'OMP-Net' : 'IHT-Net';
  const base = kind === 'omp-net' ? 'OMP' : 'IHT';
  return {
    name: kind,
    title: `${name}: learning a hidden support set ("Deep greedy unfolding")`,
    description: `${name} unrolls complex Soft-${base} over a fixed partial Fourier matrix (m random rows of the DFT, / sqrt(m)) and learns one real weight per index, shared by all layers, ` +
      `from real signals whose supports all lie inside a hidden set of K indices (the authors' setting). Training runs in WASM (batched VJPs, in this thread). ` +
      `Compared with plain complex ${base} (unit weights) and with ${base} given the ideal weights (1 on the hidden set). ` +
      `Quick mode: n = 64, s = 4, K = 8, m = ${kind === 'omp-net' ? 8 : 16} (sparse-pursuit train ${kind} --preset quick-fourier); full mode: the paper's Figure 3 setting (sparse-pursuit train ${kind} --paper; the real-DCT variant is --paper-dct).`,
    async run(ctx: ExperimentContext): Promise<ExperimentOutput> {
      const st = structuredClone(PRESETS[ctx.mode === 'full' ? 'paper' : 'quick-fourier'][kind]);
      st.seed = ctx.seed;
      const out = await runNetExperiment(st, {
        workers: ctx.workers,
        onEpoch: (e) => ctx.onProgress(e.epoch, e.epochs, `train ${e.trainLoss.toExponential(2)} val ${e.valLoss.toExponential(2)}`),
      });
      out.net.dispose();
      return { json: out.json, figures: out.figures, summary: out.summary };
    },
  };
}

export const ompNetExperiment = netExperiment('omp-net');
export const ihtNetExperiment = netExperiment('iht-net');

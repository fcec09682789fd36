// The report's OMP-Net and IHT-Net experiments: train each net on
// structured-sparse signals and show the loss curves, the relative errors
// against plain OMP / IHT, and the learned weights with the hidden set marked.
// Quick mode: the `train --quick` preset; full mode: the paper's setting
// (`train --paper`, see src/nets/experiment.ts).
import { PRESETS, runNetExperiment } from '../nets/experiment.js';
import type { Experiment, ExperimentContext, ExperimentOutput } from './types.js';

function netExperiment(kind: 'omp-net' | 'iht-net'): Experiment {
  const name = kind === 'omp-net' ? 'OMP-Net' : 'IHT-Net';
  const base = kind === 'omp-net' ? 'OMP' : 'IHT';
  return {
    name: kind,
    title: `${name}: learning a hidden support set ("Deep greedy unfolding")`,
    description: `${name} unrolls Soft-${base} over a fixed subsampled DCT and learns one weight per index, shared by all layers, ` +
      `from signals whose supports all lie inside a hidden set of K indices. Training runs in WASM (batched VJPs). ` +
      `Compared with plain ${base} (unit weights) and with ${base} given the ideal weights (1 on the hidden set). ` +
      `Quick mode: n = 128, s = 8, K = 16, m = 24; full mode: the paper's Figure 3 setting with a real DCT (sparse-pursuit train ${kind} --paper).`,
    async run(ctx: ExperimentContext): Promise<ExperimentOutput> {
      const st = structuredClone(PRESETS[ctx.mode === 'full' ? 'paper' : 'quick'][kind]);
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

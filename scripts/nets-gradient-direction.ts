// Where does the first gradient of IHT-Net / OMP-Net point, at each tau?
// At the paper setting (real DCT) and w = 1, computes the full-batch gradient
// dL/dw over the 1024 training signals and reports how many of the K hidden
// indices are among the K most negative entries (the ones a first step would
// raise most) and the mean entry on and off the hidden set.
//   npx tsx scripts/nets-gradient-direction.ts
import { IhtNet, init, OmpNet, structuredSparse } from '../src/index.js';
import { PRESETS, streamSeed } from '../src/nets/experiment.js';

await init();
for (const kind of ['iht-net', 'omp-net'] as const) {
  const st = PRESETS['paper-dct'][kind];
  const fam = structuredSparse({ n: st.n, s: st.s, K: st.K, m: st.m, matrix: 'dct', sigma: st.sigma, seed: st.seed });
  const train = fam.sample(st.train, streamSeed(st.seed, 1));
  const hidden = new Set(fam.hidden);
  for (const tau of [1e-3, 1e-2, 1e-1]) {
    const net = kind === 'omp-net' ? new OmpNet(fam.spec, { layers: st.layers, tau }) : new IhtNet(fam.spec, { layers: st.layers, sparsity: st.s, eta: st.eta, tau });
    const { loss, gw } = net.lossAndGradient(train);
    const order = Array.from(gw.keys()).sort((a, b) => gw[a] - gw[b]).slice(0, st.K);
    let on = 0;
    let off = 0;
    gw.forEach((g, j) => (hidden.has(j) ? (on += g) : (off += g)));
    console.log(`${kind} tau ${tau}: loss ${loss.toFixed(3)}, |g| ${Math.hypot(...gw).toExponential(2)}, hidden among the ${st.K} most negative: ${order.filter((j) => hidden.has(j)).length}, ` +
      `mean g on the hidden set ${(on / st.K).toExponential(2)}, elsewhere ${(off / (st.n - st.K)).toExponential(2)}`);
    net.dispose();
  }
}

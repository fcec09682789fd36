// Where does OMP-Net's gradient on the weights of indices outside the hidden
// set come from? At the paper setting (real DCT, m = 40, 10 layers, tau =
// 1e-3), splits the full-batch dL/dw over the 1024 training signals by the
// layer whose selection |w . A^T r_t| it enters through (JS twin), and
// reports per layer: the mean residual norm after the layer, the share of
// signals whose soft row is spread over more than 2 indices (1 / sum p^2 > 2),
// and how many indices outside the hidden set get a gradient above 1e-9
// there (pushed up / down). Then, per class of index (hidden; outside the set
// but picked by hard weighted OMP on some training signal; never picked), the
// median |dL/dw_j| over the 16 mini-batches of 64: what RMSprop divides by
// its running RMS (+ eps = 1e-8) and so turns into steps of similar size.
//   npx tsx scripts/nets-omp-layers.ts [--net FILE.net.json] [--epochs E] [--seed S]
// Without --net it first trains E epochs (default 150) with the preset.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { init, loadNet, OmpNet, softOmp, structuredSparse } from '../src/index.js';
import { softOmpJs, softOmpVjpJs } from '../src/js/softomp.js';
import { columns } from '../src/nets/core.js';
import { PRESETS, streamSeed } from '../src/nets/experiment.js';

const { values: a } = parseArgs({ options: { net: { type: 'string' }, epochs: { type: 'string' }, seed: { type: 'string' } } });
await init();
const st = { ...PRESETS['paper-dct']['omp-net'], seed: a.seed ? Number(a.seed) : 1 };
const fam = structuredSparse({ n: st.n, s: st.s, K: st.K, m: st.m, matrix: 'dct', sigma: st.sigma, seed: st.seed });
const train = fam.sample(st.train, streamSeed(st.seed, 1));
const hidden = new Set(fam.hidden);
let w: Float64Array;
if (a.net) {
  w = Float64Array.from(loadNet(readFileSync(a.net, 'utf8')).w);
} else {
  const epochs = a.epochs ? Number(a.epochs) : 150;
  const net = new OmpNet(fam.spec, { layers: st.layers, tau: st.tau });
  await net.train(train, { valSet: fam.sample(st.val, streamSeed(st.seed, 2)), epochs, batchSize: st.batchSize, optimizer: st.optimizer,
    lr: st.lr, lrSchedule: st.lrSchedule, clipNorm: st.clipNorm ?? Infinity, seed: st.seed, keepBest: false });
  w = Float64Array.from(net.w);
  net.dispose();
  console.log(`weights after ${epochs} epochs of the preset (last epoch)`);
}
const { n, layers: L, tau } = st;
const N = train.Y.n;
const perLayer = Array.from({ length: L }, () => new Float64Array(n));
const resid = new Float64Array(L);
const spread = new Float64Array(L);
const ran = new Float64Array(L);
let smallCoef = 0;
for (let b = 0; b < N; b++) {
  const y = train.Y.column(b);
  const x = train.X.column(b);
  const f = softOmpJs(fam.A, y, w, L, tau);
  const gx = Float64Array.from(f.x, (v, j) => (2 / N) * (v - x[j]));
  const parts: Float64Array[] = [];
  softOmpVjpJs(fam.A, y, w, L, tau, gx, parts);
  parts.forEach((g, t) => g.forEach((v, j) => (perLayer[t][j] += v)));
  f.tape.P.forEach((p, t) => {
    ran[t]++;
    resid[t] += Math.hypot(...f.tape.Rres[t]);
    if (1 / p.reduce((s, v) => s + v * v, 0) > 2) spread[t]++;
  });
  if (x.some((v) => v !== 0 && Math.abs(v) < 10 * tau)) smallCoef++;
}
const e = (v: number) => v.toExponential(1);
console.log(`seed ${st.seed}: ${(100 * smallCoef / N).toFixed(1)}% of the training signals have a nonzero below 10 tau = ${10 * tau}`);
console.log('layer  mean |r|  spread rows  |g| hidden  |g| other  other indices with |g| > 1e-9 (up / down)');
for (let t = 0; t < L; t++) {
  let gh = 0, go = 0, up = 0, down = 0;
  perLayer[t].forEach((g, j) => {
    if (hidden.has(j)) gh += Math.abs(g);
    else {
      go += Math.abs(g);
      if (g < -1e-9) up++;
      else if (g > 1e-9) down++;
    }
  });
  console.log(`${String(t + 1).padStart(5)}  ${e(resid[t] / ran[t]).padStart(7)}  ${(100 * spread[t] / ran[t]).toFixed(1).padStart(10)}%  ${e(gh).padStart(10)}  ${e(go).padStart(9)}  ${up} / ${down}`);
}
// mini-batch gradients (WASM) per class of index
const net = new OmpNet(fam.spec, { layers: L, tau, weights: w });
const picked = new Uint8Array(n);
for (let b = 0; b < N; b++) for (const j of softOmp(net.operator(), train.Y.column(b), { iterations: L, tau: 0, w }).selected) picked[j] = 1;
const G: Float64Array[] = [];
for (let i = 0; i < N / st.batchSize; i++) {
  const idx = Int32Array.from({ length: st.batchSize }, (_, k) => i * st.batchSize + k);
  G.push(net.lossAndGradient({ Y: columns(train.Y, idx), X: columns(train.X, idx) }).gw);
}
net.dispose();
const classes: Record<string, number[]> = { hidden: [], 'picked, not hidden': [], 'never picked': [] };
for (let j = 0; j < n; j++) {
  const c = hidden.has(j) ? 'hidden' : picked[j] ? 'picked, not hidden' : 'never picked';
  classes[c].push(G.reduce((s, g) => s + Math.abs(g[j]), 0) / G.length);
}
const med = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)];
for (const [c, v] of Object.entries(classes)) if (v.length) console.log(`${c}: ${v.length} indices, median mini-batch |dL/dw_j| ${e(med(v))}, ${v.filter((g) => g > 1e-8).length} above eps = 1e-8`);

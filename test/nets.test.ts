// OMP-Net and IHT-Net: gradients against finite differences, optimizer
// steps, saving and loading, training on a tiny problem, worker-count
// independence and resuming.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IhtNet, init, loadNet, Matrix, omp, OmpNet, Optimizer, readCheckpoint, structuredSparse, UnrolledNet,
} from '../src/index.js';
import { clipGradNorm, learningRate } from '../src/nets/optimizers.js';
import { fnv1a } from '../src/nets/net.js';
import { tauAt } from '../src/nets/train.js';
import { Rng } from '../src/core/random.js';
import { relDiff as relErr } from './helpers.js';

beforeAll(async () => {
  await init();
});

const dir = mkdtempSync(join(tmpdir(), 'sp-nets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small family and two sets; Gaussian A unless told. */
function small(o: { n?: number; m?: number; s?: number; K?: number; matrix?: 'dct' | 'gaussian'; seed?: number; N?: number } = {}) {
  const fam = structuredSparse({ n: o.n ?? 32, s: o.s ?? 2, K: o.K ?? 4, m: o.m ?? 12, matrix: o.matrix ?? 'gaussian', sigma: 1e-3, seed: o.seed ?? 1 });
  return { fam, train: fam.sample(o.N ?? 64, 100 + (o.seed ?? 1)), val: fam.sample(32, 200 + (o.seed ?? 1)) };
}

function nets(spec: ConstructorParameters<typeof OmpNet>[0], tau: number): UnrolledNet[] {
  return [new OmpNet(spec, { layers: 3, tau }), new IhtNet(spec, { layers: 6, sparsity: 3, eta: 0.5, tau })];
}

describe('gradient of the batch loss with respect to w', () => {
  it('matches central finite differences (both nets, uneven chunks 16 + 16 + 8, WASM and JS)', () => {
    const { fam, train } = small({ N: 40, seed: 3 });
    const rng = new Rng(5);
    for (const net of nets(fam.spec, 0.05)) {
      for (let j = 0; j < net.n; j++) net.w[j] = 0.6 + 0.8 * rng.uniform();
      for (const backend of ['wasm', 'js'] as const) {
        const { loss, gw } = net.lossAndGradient(train, { backend });
        expect(loss).toBeCloseTo(net.evaluate(train).mse, 12);
        const h = 1e-6;
        const w0 = net.w.slice();
        // the loss alone (forward passes) at w0 +- h e_j
        const lossAt = (j: number, d: number) => {
          net.w.set(w0);
          net.w[j] += d;
          const l = net.evaluate(train, { backend }).mse;
          net.w.set(w0);
          return l;
        };
        const fd = Float64Array.from(w0, (_, j) => (lossAt(j, h) - lossAt(j, -h)) / (2 * h));
        expect(Math.hypot(...gw)).toBeGreaterThan(1e-3);
        expect(relErr(gw, fd)).toBeLessThan(1e-5);
      }
      const a = net.lossAndGradient(train);
      const b = net.lossAndGradient(train, { backend: 'js' });
      expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-12);
      expect(relErr(a.gw, b.gw)).toBeLessThan(1e-9);
    }
  });
});

describe('optimizers', () => {
  it('first steps follow the update rules', () => {
    const g = [2, -0.5, 0];
    const w = new Float64Array([1, 1, 1]);
    new Optimizer('sgd', 3).step(w, g, 0.1);
    expect(Array.from(w)).toEqual([1 - 0.2, 1 + 0.05, 1]);
    const w2 = new Float64Array([1, 1, 1]);
    new Optimizer('rmsprop', 3).step(w2, g, 0.01); // v = 0.01 g^2: step = lr g / (0.1 |g| + eps)
    expect(w2[0]).toBeCloseTo(1 - 0.01 * 2 / (0.2 + 1e-8), 14);
    expect(w2[1]).toBeCloseTo(1 + 0.01 * 0.5 / (0.05 + 1e-8), 14);
    const w3 = new Float64Array([1, 1, 1]);
    new Optimizer('adam', 3).step(w3, g, 0.01); // bias-corrected: step = lr sign(g) (up to eps)
    expect(w3[0]).toBeCloseTo(0.99, 9);
    expect(w3[1]).toBeCloseTo(1.01, 9);
    expect(w3[2]).toBe(1);
    const w5 = new Float64Array([2, -1]);
    new Optimizer('sgd', 2, { weightDecay: 0.5 }).step(w5, [0, 1], 0.1); // w (1 - 0.05) - 0.1 g
    expect(w5[0]).toBeCloseTo(1.9, 15);
    expect(w5[1]).toBeCloseTo(-0.95 - 0.1, 15);
    expect(() => new Optimizer('adam', 2, { weightDecay: -1 })).toThrow(/weightDecay must be a finite number in \[0, /);
    const w4 = new Float64Array([0, 0]);
    const mom = new Optimizer('sgd', 2, { momentum: 0.5 });
    mom.step(w4, [1, 1], 1);
    mom.step(w4, [1, 1], 1);
    expect(Array.from(w4)).toEqual([-2.5, -2.5]);
  });

  it('state round-trips through JSON and continues identically', () => {
    const rng = new Rng(2);
    for (const name of ['rmsprop', 'adam', 'sgd'] as const) {
      const a = new Optimizer(name, 5, { momentum: 0.3 });
      const wa = rng.normals(5);
      for (let t = 0; t < 3; t++) a.step(wa, rng.normals(5), 0.1);
      const b = Optimizer.fromJSON(JSON.parse(JSON.stringify(a.toJSON())), 5);
      const wb = wa.slice();
      const g = rng.normals(5);
      a.step(wa, g, 0.1);
      b.step(wb, g, 0.1);
      expect(wb).toEqual(wa);
    }
    expect(() => Optimizer.fromJSON(new Optimizer('adam', 3).toJSON(), 4)).toThrow(/m must be 4 finite numbers/);
    expect(() => new Optimizer('lbfgs' as never, 3)).toThrow(/name must be one of 'rmsprop', 'adam', 'sgd'/);
  });

  it('clipping, step decay and the temperature continuation', () => {
    const g = new Float64Array([3, 4]);
    expect(clipGradNorm(g, 1)).toBe(5);
    expect(Math.hypot(...g)).toBeCloseTo(1, 15);
    const h = new Float64Array([0.3, 0.4]);
    clipGradNorm(h, 1);
    expect(Array.from(h)).toEqual([0.3, 0.4]);
    const ts = { start: 0.1, epochs: 50 };
    expect([0, 25, 49, 50, 900].map((e) => tauAt(1e-3, e, ts))).toEqual([0.1, 0.1 * 0.01 ** 0.5, 0.1 * 0.01 ** (49 / 50), 1e-3, 1e-3]);
    expect(tauAt(1e-3, 0, null)).toBe(1e-3);
    const sched = { every: 500, gamma: 0.5 };
    expect([0, 499, 500, 1000, 1499].map((e) => learningRate(1e-2, e, sched))).toEqual([1e-2, 1e-2, 5e-3, 2.5e-3, 2.5e-3]);
  });

  it('one step lowers the loss on a fixed batch (each optimizer, both nets)', async () => {
    const { fam, train } = small({ N: 48, seed: 4 });
    for (const name of ['rmsprop', 'adam', 'sgd'] as const) {
      for (const net of nets(fam.spec, 0.05)) {
        const before = net.lossAndGradient(train).loss;
        // one epoch with the whole set as the batch is exactly one step
        const r = await net.train(train, { epochs: 1, batchSize: 48, optimizer: name, lr: name === 'sgd' ? 1e-2 : 1e-3, keepBest: false });
        expect(r.history[0].trainLoss).toBeCloseTo(before, 12);
        const after = net.lossAndGradient(train).loss;
        expect(after).toBeLessThan(before);
      }
    }
  });
});

describe('predict', () => {
  it('hard mode with unit weights is plain OMP / IHT', () => {
    const { fam, val } = small({ m: 16, n: 40, seed: 6 });
    const ompNet = new OmpNet(fam.A, { layers: 3 });
    const ihtNet = new IhtNet(fam.A, { layers: 8, sparsity: 2, eta: 0.5 });
    for (let b = 0; b < 8; b++) {
      const y = val.Y.column(b);
      const ref = omp(fam.A, y, { k: 3 });
      expect(relErr(ompNet.predict(y, { mode: 'hard' }), ref.x)).toBeLessThan(1e-12);
      // IHT reference: x <- H_2(x + eta A^T (y - A x)), ties to the lower index
      let x = new Float64Array(40);
      for (let t = 0; t < 8; t++) {
        const r = Float64Array.from(y, (v, i) => v - x.reduce((a, xj, j) => a + fam.A.get(i, j) * xj, 0));
        const u = Float64Array.from(x, (xj, j) => xj + 0.5 * r.reduce((a, ri, i) => a + fam.A.get(i, j) * ri, 0));
        const keep = new Set(Array.from(u.keys()).sort((p, q) => Math.abs(u[q]) - Math.abs(u[p]) || p - q).slice(0, 2));
        x = Float64Array.from(u, (v, j) => (keep.has(j) ? v : 0));
      }
      expect(relErr(ihtNet.predict(y, { mode: 'hard' }), x)).toBeLessThan(1e-12);
    }
  });

  it('predictBatch equals predict per column; WASM equals JS', () => {
    const { fam, val } = small({ seed: 7 });
    for (const net of nets(fam.spec, 0.02)) {
      const X = net.predictBatch(val.Y);
      for (let b = 0; b < 5; b++) {
        expect(net.predict(val.Y.column(b))).toEqual(X.column(b).slice());
        expect(relErr(net.predict(val.Y.column(b), { backend: 'js' }), X.column(b))).toBeLessThan(1e-9);
      }
    }
  });
});

describe('toJSON / fromJSON', () => {
  it('round trip through JSON text gives identical predictions (soft and hard, described and embedded A)', async () => {
    for (const matrix of ['dct', 'gaussian'] as const) {
      const { fam, train, val } = small({ matrix, seed: 8 });
      for (const net of nets(fam.spec, 0.02)) {
        await net.train(train, { epochs: 3, batchSize: 16, seed: 1 });
        net.meta = { note: 'test' };
        const text = JSON.stringify(net.toJSON());
        expect(JSON.parse(text).matrix.kind).toBe(matrix === 'dct' ? 'dct' : 'dense');
        const back = net.kind === 'omp-net' ? OmpNet.fromJSON(text) : IhtNet.fromJSON(text);
        const any = loadNet(JSON.parse(text));
        expect(back.w).toEqual(net.w);
        expect(any.constructor).toBe(net.constructor);
        expect(back.meta).toEqual({ note: 'test' });
        for (const mode of ['soft', 'hard'] as const) {
          expect(back.predictBatch(val.Y, { mode }).data).toEqual(net.predictBatch(val.Y, { mode }).data);
          expect(any.predictBatch(val.Y, { mode }).data).toEqual(net.predictBatch(val.Y, { mode }).data);
        }
      }
    }
  });

  it('a mismatched file fails with a clear error', () => {
    const { fam } = small();
    const [o, i] = nets(fam.spec, 0.02);
    const j = o.toJSON();
    expect(() => IhtNet.fromJSON(j)).toThrow(/holds an 'omp-net', not an 'iht-net'/);
    expect(() => OmpNet.fromJSON(i.toJSON())).toThrow(/holds an 'iht-net', not an 'omp-net'/);
    expect(() => loadNet({ ...j, version: 2 })).toThrow(/format version 2 is not supported \(this build reads version 1\)/);
    expect(() => loadNet({ ...j, format: 'something' as never })).toThrow(/not a saved net/);
    expect(() => loadNet({ ...j, weights: [...j.weights.slice(1), 5] })).toThrow(/checksum mismatch/);
    expect(() => loadNet('{"format": ')).toThrow(/not JSON/);
    const short = new OmpNet(fam.spec, { layers: 3 }).toJSON();
    short.weights = short.weights.slice(1);
    const { checksum: _c, ...rest } = short;
    const resum = { ...rest, checksum: fnv1a(JSON.stringify([rest.kind, rest.matrix, rest.settings, rest.weights])) };
    expect(() => loadNet(resum)).toThrow(/weights must have length 32 \(the columns of A\), received length 31/);
  });
});

describe('bad arguments', () => {
  it('constructors, predict and train name the argument', async () => {
    const { fam, train } = small();
    expect(() => new OmpNet(fam.spec, { layers: 13 })).toThrow(/OmpNet: layers must be an integer in \[1, 12\], received 13/);
    expect(() => new OmpNet(fam.spec, { layers: 2, tau: 0 })).toThrow(/OmpNet: tau must be a finite number >= 1e-100, received 0/);
    expect(() => new OmpNet(fam.spec, { layers: 2, weights: [1, 2] })).toThrow(/weights must have length 32/);
    expect(() => new IhtNet(fam.spec, { layers: 2, sparsity: 33 })).toThrow(/IhtNet: sparsity must be an integer in \[1, 32\], received 33/);
    expect(() => new IhtNet(fam.spec, { layers: 2, sparsity: 2, eta: -1 })).toThrow(/eta must be a finite number/);
    expect(() => new OmpNet('A' as never, { layers: 2 })).toThrow(TypeError);
    const net = new OmpNet(fam.spec, { layers: 2 });
    expect(() => net.predict([1, 2, 3])).toThrow(/OmpNet.predict: y must have length 12 \(the rows of A\), received length 3/);
    expect(() => net.predict(train.Y.column(0), { mode: 'soft-ish' as never })).toThrow(/mode must be one of 'soft', 'hard'/);
    await expect(net.train(train, { batchSize: 0 })).rejects.toThrow(/train: batchSize must be an integer in \[1, 64\], received 0/);
    await expect(net.train(train, { optimizer: 'lbfgs' as never })).rejects.toThrow(/optimizer must be one of 'rmsprop', 'adam', 'sgd'/);
    await expect(net.train(train, { lr: -1 })).rejects.toThrow(/lr must be a finite number in \(0, /);
    await expect(net.train(train, { tauSchedule: { start: 1e-4, epochs: 5 } })).rejects.toThrow(/tauSchedule.start/);
    await expect(net.train({ Y: train.Y, X: new Matrix(31, 64) })).rejects.toThrow(/trainSet must be \{ Y: 12 x N, X: 32 x N \}/);
    await expect(net.train(train, { resume: true })).rejects.toThrow(/resume: true needs the checkpoint option/);
    // the sets' entries and scales are checked up front, named for the caller (found by fuzz-nets)
    const huge = new Matrix(train.Y.m, train.Y.n, train.Y.data.map((v, i) => (i === 12 * 3 ? 1e300 : v)));
    await expect(net.train({ Y: huge, X: train.X })).rejects.toThrow(/^train: trainSet\.Y\[:, 3\] \(signal 3\) must have its largest entry in/);
    const badX = new Matrix(32, 64, train.X.data.slice());
    badX.data[5] = NaN; // a Matrix refuses NaN when built, not when its data is written afterwards
    await expect(net.train(train, { valSet: { Y: train.Y, X: badX } })).rejects.toThrow(/^train: valSet\.X\[5, 0\] must be finite, received NaN/);
    expect(() => net.evaluate({ Y: huge, X: train.X })).toThrow(/^OmpNet\.evaluate: set\.Y\[:, 3\]/);
  });
});

describe('training', () => {
  it('a tiny problem (n = 32, K = 4) recovers its hidden set in the 4 largest weights', async () => {
    // Gaussian A, m = 8; temperature continuation 0.3 -> 0.01 (tau fixed at
    // 0.01 leaves most weights without gradient on a problem this small)
    const { fam, train, val } = small({ m: 8, N: 128, seed: 2 });
    const ompNet = new OmpNet(fam.spec, { layers: 2, tau: 0.01 });
    const ihtNet = new IhtNet(fam.spec, { layers: 10, sparsity: 2, eta: 0.5, tau: 0.01 });
    const hidden = Array.from(fam.hidden);
    for (const [net, epochs] of [[ompNet, 60], [ihtNet, 30]] as const) {
      const before = net.evaluate(val, { mode: 'hard' }).mse;
      const r = await net.train(train, { valSet: val, epochs, batchSize: 32, seed: 2, tauSchedule: { start: 0.3, epochs } });
      expect(Array.from(net.topWeights(4)).sort((a, b) => a - b)).toEqual(hidden);
      expect(r.bestValLoss).toBeLessThan(0.5 * r.initialValLoss);
      expect(net.evaluate(val, { mode: 'hard' }).mse).toBeLessThan(0.5 * before);
    }
  });

  it('the weights do not depend on the worker count', async () => {
    const { fam, train, val } = small({ seed: 9, N: 80 });
    const runs = [];
    for (const workers of [1, 3]) {
      const net = new IhtNet(fam.spec, { layers: 5, sparsity: 2, eta: 0.5, tau: 0.02 });
      const r = await net.train(train, { valSet: val, epochs: 3, batchSize: 40, seed: 4, workers });
      runs.push({ w: net.w, losses: r.history.map((h) => [h.trainLoss, h.valLoss]) });
    }
    expect(runs[1].w).toEqual(runs[0].w);
    expect(runs[1].losses).toEqual(runs[0].losses);
  });

  it('a run resumed from its checkpoint ends exactly like an uninterrupted one', async () => {
    const { fam, train, val } = small({ seed: 10, N: 96 });
    const opts = { valSet: val, batchSize: 32, seed: 7, optimizer: 'adam' as const, lrSchedule: { every: 2, gamma: 0.5 } };
    const full = new OmpNet(fam.spec, { layers: 3, tau: 0.02 });
    const rf = await full.train(train, { ...opts, epochs: 6 });
    const path = join(dir, 'ckpt.json');
    const part = new OmpNet(fam.spec, { layers: 3, tau: 0.02 });
    await part.train(train, { ...opts, epochs: 6, checkpoint: path, onEpoch: (e) => e.epoch < 3 });
    expect((await readCheckpoint(path))!.state.epoch).toBe(3);
    const fresh = new OmpNet(fam.spec, { layers: 3, tau: 0.02 });
    const rr = await fresh.train(train, { ...opts, epochs: 6, checkpoint: path, resume: true });
    expect(fresh.w).toEqual(full.w);
    expect(rr.bestEpoch).toBe(rf.bestEpoch);
    const strip = (s: typeof rf.state) => ({ ...s, seconds: 0, history: s.history.map((h) => ({ ...h, seconds: 0 })) });
    expect(strip(rr.state)).toEqual(strip(rf.state));
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved.state.epoch).toBe(6);
    expect(loadNet(saved.net).kind).toBe('omp-net');
    // a different setting refuses to resume
    await expect(new OmpNet(fam.spec, { layers: 3, tau: 0.02 }).train(train, { ...opts, lr: 0.5, epochs: 8, checkpoint: path, resume: true }))
      .rejects.toThrow(/cannot resume, a setting differs \(lr: the checkpoint has 0.01, this run 0.5\)/);
  });
});

// Complex OMP-Net and IHT-Net: a few epochs at a small partial Fourier
// setting lower the validation MSE and put weight on the hidden set; the
// kept checkpoint, lossAndGradient and the constructors' checks.
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../src/index.js';
import { structuredSparse } from '../src/data/structured.js';
import { complexSoftOmpBatchVjp } from '../src/complex/soft.js';
import { ComplexMatrix } from '../src/js/complex/cmatrix.js';
import { ComplexIhtNet, ComplexOmpNet } from '../src/nets/complex.js';

beforeAll(async () => {
  await init(); // backend 'wasm' is the default
});

const [n, K, s] = [64, 8, 3];

function family(seed: number, m: number) {
  const fam = structuredSparse({ n, s, K, m, matrix: 'fourier', sigma: 1e-3, seed });
  return { fam, train: fam.sample(128, seed + 10), val: fam.sample(64, seed + 20) };
}

const hits = (top: Int32Array, hidden: Int32Array) => Array.from(top).filter((j) => hidden.includes(j)).length;

describe('complex nets train', () => {
  // chance: K * K / n = 1 hidden index among the top K |w|
  for (const seed of [1, 2, 3]) {
    it(`ComplexOmpNet, seed ${seed}: 8 epochs lower the validation MSE, hidden indices among the top-K |w| above chance`, () => {
      const { fam, train, val } = family(seed, 10);
      const net = new ComplexOmpNet(fam.A, { layers: s });
      const r = net.train(train, { valSet: val, epochs: 8, batchSize: 16, lrSchedule: { every: 500, gamma: 0.5 } });
      expect(r.epochs).toBe(8);
      expect(r.bestValLoss).toBeLessThan(0.9 * r.initialValLoss);
      expect(net.evaluate(val).mse).toBe(r.bestValLoss); // the kept checkpoint
      expect(hits(net.topWeights(K), fam.hidden)).toBeGreaterThanOrEqual(2);
    });
    it(`ComplexIhtNet, seed ${seed}: the same`, () => {
      const { fam, train, val } = family(seed, 16);
      const net = new ComplexIhtNet(fam.A, { layers: 10, sparsity: s, eta: 0.5 });
      const r = net.train(train, { valSet: val, epochs: 8, batchSize: 16 });
      expect(r.bestValLoss).toBeLessThan(0.9 * r.initialValLoss);
      expect(net.evaluate(val).mse).toBe(r.bestValLoss);
      expect(hits(net.topWeights(K), fam.hidden)).toBeGreaterThanOrEqual(4);
    });
  }
});

describe('complex nets: pieces', () => {
  const { fam, train } = family(4, 10);
  it('lossAndGradient is the batch VJP; the spec builds the same A; predict is complex', () => {
    const net = new ComplexOmpNet(fam.spec, { layers: 3, tau: 0.01 });
    expect(Array.from(net.A.data)).toEqual(Array.from(fam.A.data));
    const g = net.lossAndGradient(train);
    const ref = complexSoftOmpBatchVjp(fam.A, train.Y, train.X, { iterations: 3, tau: 0.01 });
    expect(g.loss).toBe(ref.loss);
    expect(Array.from(g.gw)).toEqual(Array.from(ref.gw));
    const x = net.predict(train.Y.data.slice(0, 20), { mode: 'hard' });
    expect(x).toHaveLength(2 * n);
    expect(net.predictBatch(train.Y).n).toBe(128);
  });
  it('tauSchedule: training tau falls geometrically to the net\'s tau', () => {
    const net = new ComplexOmpNet(fam.A, { layers: 3, tau: 1e-3 });
    const r = net.train(train, { epochs: 3, batchSize: 64, tauSchedule: { start: 0.1, epochs: 2 } });
    expect(r.history.map((h) => h.tau)).toEqual([0.1, 0.1 * (1e-3 / 0.1) ** 0.5, 1e-3]);
    expect(() => net.train(train, { epochs: 1, tauSchedule: { start: 1e-4, epochs: 2 } })).toThrow(/^ComplexOmpNet\.train: tauSchedule\.start must be/);
  });
  it('argument checks name the class and argument', () => {
    expect(() => new ComplexOmpNet(fam.A, { layers: 11 })).toThrow(new RangeError('ComplexOmpNet: layers must be an integer in [1, 10], received 11'));
    expect(() => new ComplexIhtNet(fam.A, { layers: 3 } as never)).toThrow(/^ComplexIhtNet: sparsity must be an integer/);
    expect(() => new ComplexOmpNet({} as never, { layers: 3 })).toThrow(TypeError);
    expect(() => new ComplexOmpNet(fam.A, { layers: 3, weights: [1] })).toThrow(/^ComplexOmpNet: weights must have length 64/);
    const net = new ComplexOmpNet(fam.A, { layers: 3 });
    expect(() => net.train({ Y: new ComplexMatrix(9, 2), X: train.X } as never)).toThrow(/^ComplexOmpNet\.train: trainSet must be \{ Y: 10 x N, X: 64 x N \}/);
    expect(() => net.train(train, { epochs: 0 })).toThrow(/^ComplexOmpNet\.train: epochs must be an integer/);
    expect(() => net.predict(new Float64Array(10))).toThrow(/^ComplexOmpNet\.predict: y must have length 20/);
  });
});

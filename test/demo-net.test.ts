// The demo's trained-net panel without a browser (demo/ompnet.ts): the shipped
// example file, the problem drawn from a net's family (or a fresh one when the
// file does not store it), and the three recoveries. test/browser.test.ts runs
// the same through the page in Chromium.
import { readFileSync, statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeNet, hiddenSet, netProblem, readNet, runNet, topWeights } from '../demo/ompnet.js';
import { iht, IhtNet, init, omp, OmpNet, structuredSparse } from '../src/index.js';

const EXAMPLE = new URL('../demo/public/omp-net-small.json', import.meta.url);

beforeAll(async () => {
  await init();
});

describe('demo: the example net (demo/public/omp-net-small.json)', () => {
  it('is small, loads with loadNet and stores its training family', () => {
    expect(statSync(EXAMPLE).size).toBeLessThan(100_000);
    const net = readNet(readFileSync(EXAMPLE, 'utf8'));
    expect(net).toBeInstanceOf(OmpNet);
    expect(describeNet(net)).toBe('OMP-Net: n = 64, m = 16, 6 layers, τ = 0.001; A 16 x 64 (subsampled DCT)');
    expect(hiddenSet(net)).toHaveLength(8);
    // training moved the weights: most of the 8 largest are hidden indices
    expect(topWeights(net, 8).filter((t) => t.hidden).length).toBeGreaterThanOrEqual(5);
  });

  it('draws the signal from that family and runs hard, soft and plain OMP on the same y', () => {
    const net = readNet(readFileSync(EXAMPLE, 'utf8'));
    const p = netProblem(net, 2);
    expect(p.source).toBe('family');
    const st = net.meta.settings as { n: number; s: number; K: number; m: number; matrix: 'dct'; sigma: number; seed: number };
    const set = structuredSparse(st).sample(1, 2);
    expect(p.y).toEqual(set.Y.data);
    expect(p.x).toEqual(set.X.data);
    expect(p.support).toHaveLength(st.s);
    for (const j of p.support) expect(hiddenSet(net)).toContain(j);
    const r = runNet(net, p);
    expect(r.hard.x).toEqual(net.predict(p.y, { mode: 'hard' }));
    expect(r.soft.x).toEqual(net.predict(p.y));
    expect(r.plain.x).toEqual(omp(net.A, p.y, { k: 6 }).x);
    expect(r.soft.support).toHaveLength(st.s);
    // on this signal plain OMP picks a wrong atom; the learned weights do not
    expect(r.plain.relError).toBeGreaterThan(0.1);
    expect(r.hard.relError).toBeLessThan(1e-2);
    expect(r.soft.relError).toBeLessThan(1e-2);
  });
});

describe('demo: nets without their family', () => {
  const fam = structuredSparse({ n: 32, s: 2, K: 4, m: 12, seed: 3 });

  it('a net with no meta gets a fresh s-sparse signal on its own A, and says so', () => {
    const net = new OmpNet(fam.spec, { layers: 3 });
    const p = netProblem(net, 5);
    expect(p.source).toBe('fresh');
    expect(p.note).toContain('does not store its training family');
    expect(p.support).toHaveLength(3);
    let r2 = 0;
    for (let i = 0; i < 12; i++) {
      let v = 0;
      for (const j of p.support) v += net.A.get(i, j) * p.x[j];
      r2 = Math.max(r2, Math.abs(v - p.y[i]));
    }
    expect(r2).toBeLessThan(1e-15);
    expect(runNet(net, p).plain.name).toBe('OMP (k = 3)');
  });

  it('with w = 1 and unit-norm columns, hard mode picks what plain OMP picks', () => {
    // (OMP divides |a_j^T r| by ||a_j||, the net does not: on the subsampled DCT, whose columns are not unit-norm, they can differ)
    const g = structuredSparse({ n: 32, s: 2, K: 4, m: 12, matrix: 'gaussian', seed: 3 });
    const net = new OmpNet(g.spec, { layers: 3 });
    for (let seed = 0; seed < 5; seed++) {
      const r = runNet(net, netProblem(net, seed));
      expect(r.hard.support).toEqual(r.plain.support);
      r.hard.x!.forEach((v, j) => expect(v).toBeCloseTo(r.plain.x![j], 12));
    }
  });

  it('meta settings that do not rebuild the net\'s A are not trusted', () => {
    const net = new OmpNet(fam.spec, { layers: 3 });
    net.meta = { hidden: Array.from(fam.hidden), settings: { ...fam.settings, seed: 4 } };
    expect(netProblem(net, 1).source).toBe('fresh');
    net.meta = { hidden: Array.from(fam.hidden), settings: fam.settings };
    expect(netProblem(net, 1).source).toBe('family');
  });

  it('an IHT-Net runs beside IHT with its own s, step and layers; loadNet errors pass through', () => {
    const net = new IhtNet(fam.spec, { layers: 9, sparsity: 2, eta: 0.4 });
    const back = readNet(JSON.stringify(net.toJSON()));
    expect(back).toBeInstanceOf(IhtNet);
    expect(describeNet(back)).toBe('IHT-Net: n = 32, m = 12, 9 layers, τ = 0.001, s = 2, η = 0.4000; A 12 x 32 (subsampled DCT)');
    const p = netProblem(back, 1);
    expect(p.support).toHaveLength(2);
    const r = runNet(back, p);
    expect(r.plain.name).toBe('IHT (k = 2, 9 steps)');
    expect(r.plain.x).toEqual(iht(back.A, p.y, { k: 2, mu: 0.4, maxIter: 9 }).x);
    expect(r.hard.x).toEqual(back.predict(p.y, { mode: 'hard' }));
    expect(() => readNet(JSON.stringify({ ...net.toJSON(), version: 2 }))).toThrow('loadNet: format version 2 is not supported (this build reads version 1)');
    expect(() => readNet('{"format": "sparse-pursuit/omp-net", "version": 1}')).toThrow("loadNet: not a saved net: format must be 'sparse-pursuit/unrolled-net'");
  });
});

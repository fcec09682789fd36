// The report's nets section (src/experiments/nets.ts): quick mode runs the
// complex nets of the paper on a small partial Fourier problem (the
// quick-fourier preset) in a few seconds, with the JSON and figures of the
// real nets' experiment; the saved net in the JSON loads with loadComplexNet.
import { beforeAll, describe, expect, it } from 'vitest';
import { ComplexIhtNet, ComplexOmpNet, init, loadComplexNet } from '../src/index.js';
import { ihtNetExperiment, ompNetExperiment } from '../src/experiments/nets.js';
import { PRESETS } from '../src/nets/experiment.js';

beforeAll(async () => {
  await init();
});

describe('report: nets section (quick)', () => {
  for (const [e, kind, Net] of [[ompNetExperiment, 'omp-net', ComplexOmpNet], [ihtNetExperiment, 'iht-net', ComplexIhtNet]] as const) {
    it(`${kind}: complex family, small and fast, the experiment's JSON and three figures`, async () => {
      const t0 = performance.now();
      const seen: number[] = [];
      const out = await e.run({ mode: 'quick', seed: 2, workers: 2, onProgress: (i) => { seen.push(i); } });
      const secs = (performance.now() - t0) / 1000;
      expect(secs).toBeLessThan(20); // about 1 s alone; generous for a shared machine
      const j = out.json as Record<string, any>;
      const st = PRESETS['quick-fourier'][kind];
      expect(j.settings).toEqual({ ...st, seed: 2 });
      expect(j.settings.matrix).toBe('fourier');
      expect(Object.keys(j)).toEqual(['settings', 'hidden', 'curves', 'initialValLoss', 'bestEpoch', 'bestValLoss', 'final', 'relErrors', 'weights', 'timing', 'net']);
      expect(j.curves).toHaveLength(st.epochs);
      expect(Object.keys(j.curves[0]).sort()).toEqual(['epoch', 'gradNorm', 'hiddenInTop', 'lr', 'seconds', 'tau', 'trainLoss', 'valLoss']);
      expect(seen.at(-1)).toBe(st.epochs);
      expect(j.hidden).toHaveLength(st.K);
      expect(j.weights).toHaveLength(st.n);
      expect(Object.keys(j.final)).toEqual(['baseline', 'soft', 'hard', 'ideal', 'valMseRatioSoft', 'valMseRatioHard', 'hiddenInTop', 'topWeights']);
      expect(j.relErrors.baseline).toHaveLength(st.test);
      // it learns: better than plain OMP / IHT on the validation set (hard mode: the weighted solver)
      expect(j.final.valMseRatioHard).toBeGreaterThan(2);
      expect(out.figures.map((f) => f.file)).toEqual([`${kind}-loss.svg`, `${kind}-errors.svg`, `${kind}-weights.svg`]);
      for (const f of out.figures) {
        expect(f.svg).toMatch(/<svg/);
        expect(f.caption.length).toBeGreaterThan(10);
        expect(f.reading.length).toBeGreaterThan(10);
      }
      expect(out.figures[0].svg).toContain('complex partial Fourier');
      expect(out.summary).toMatch(/complex partial Fourier A (8|16) x 64/);
      const net = loadComplexNet(j.net);
      expect(net).toBeInstanceOf(Net);
      expect(Array.from(net.w)).toEqual(j.weights);
    });
  }
});

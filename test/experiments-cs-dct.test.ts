// The partial-DCT compressed-sensing experiment: registered, its JSON's
// shape, recovery where theory guarantees it, and its figure.
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../src/index.js';
import { EXPERIMENTS } from '../src/experiments/index.js';
import { CS_DCT_QUICK, CsRow, runCsDct } from '../src/experiments/cs-dct.js';

beforeAll(async () => {
  await init();
});

describe('cs-dct', () => {
  it('is registered, after deconvolution-large; the report runs it at n = 2^16', () => {
    const names = Object.keys(EXPERIMENTS);
    expect(names.indexOf('cs-dct')).toBe(names.indexOf('deconvolution-large') + 1);
    expect(CS_DCT_QUICK.n).toBe(2 ** 16);
  });

  it('JSON shape; at m / k >= 32 OMP and SEA recover the support exactly (noise-free, incoherent rows); the figure is a log-log SVG', async () => {
    const s = { n: 4096, undersampling: 8, ks: [4, 8, 16], seaMaxIter: 100 };
    const out = await runCsDct(s, { mode: 'quick', seed: 3, workers: 1, onProgress: () => {} });
    const j = out.json as { experiment: string; seed: number; m: number; rows: CsRow[] };
    expect(j.experiment).toBe('cs-dct');
    expect(j.seed).toBe(3);
    expect(j.m).toBe(512);
    expect(j.rows.map((r) => r.k)).toEqual([4, 8, 16]);
    for (const r of j.rows) {
      for (const run of [r.omp, r.sea, r.seaOmp]) {
        expect(run.ms).toBeGreaterThan(0);
        expect(run.exact).toBe(true);
        expect(run.relError).toBeLessThan(1e-10);
        // the operator and the workspace only: far below the dense A (8 m n bytes)
        expect(run.bytes).toBeLessThan((8 * j.m * s.n) / 4);
      }
      expect(r.omp.iterations).toBe(r.k);
      // warm-started from the exact OMP solution, SEA stops at its first iterate (an exact fit)
      expect(r.seaOmp.iterations).toBe(1);
      expect(r.seaOmp.status).toBe('converged');
    }
    expect(out.figures.map((f) => f.file)).toEqual(['cs-dct-time.svg']);
    expect(out.figures[0].svg).toContain('SEA from zero');
    expect(out.figures[0].reading).toMatch(/OMP recovered the support at k = 4, 8, 16/);
    expect(out.summary).toMatch(/n = 4096, m = 512/);
    expect(JSON.parse(JSON.stringify(out.json))).toEqual(out.json);
  });
});

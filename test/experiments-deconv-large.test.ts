// The large-n deconvolution experiment: its JSON's shape, the operator's
// results against the dense matrix's where both ran, and its figures.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Operator } from '../src/index.js';
import { EXPERIMENTS } from '../src/experiments/index.js';
import { DECONV_LARGE_QUICK, gaussianTaps, LargeRow, runDeconvolutionLarge } from '../src/experiments/deconvolution-large.js';
import { gaussianConvolution } from '../src/data/dictionaries.js';

beforeAll(async () => {
  await init();
});

describe('deconvolution-large', () => {
  it('is registered, after deconvolution', () => {
    const names = Object.keys(EXPERIMENTS);
    expect(names).toContain('deconvolution-large');
    expect(names.indexOf('deconvolution-large')).toBe(names.indexOf('deconvolution') + 1);
  });

  it('gaussianTaps is the filter of gaussianConvolution: the full operator equals the dense matrix column for column', () => {
    const n = 40;
    const D = gaussianConvolution(n, 3);
    const C = Operator.convolution(gaussianTaps(3), n, { mode: 'full' });
    expect([C.m, C.n]).toEqual([D.m, D.n]);
    for (const j of [0, 7, 39]) {
      const c = (C as unknown as { column(j: number): Float64Array }).column(j);
      for (let i = 0; i < D.m; i++) expect(Math.abs(c[i] - D.get(i, j))).toBeLessThan(1e-15);
    }
    C.dispose();
  });

  it('JSON shape; operator and dense supports equal where both ran; k grows with n; figures are log-log SVG', async () => {
    const s = { ...DECONV_LARGE_QUICK, ns: [600, 1200, 5000], denseMaxN: 1200, timeBudgetMs: 0, maxRepeats: 1 };
    const out = await runDeconvolutionLarge(s, { mode: 'quick', seed: 2, workers: 1, onProgress: () => {} });
    const j = out.json as { experiment: string; seed: number; mode: string; solver: string; taps: number; settings: typeof s; rows: LargeRow[] };
    expect(j.experiment).toBe('deconvolution-large');
    expect(j.seed).toBe(2);
    expect(j.solver).toBe('omp');
    expect(j.taps).toBe(25);
    expect(j.settings.ns).toEqual([600, 1200, 5000]);
    expect(j.rows.map((r) => [r.n, r.m, r.k])).toEqual([[600, 624, 3], [1200, 1224, 6], [5000, 5024, 25]]);
    for (const r of j.rows) {
      for (const run of [r.operator, r.dense].filter((v) => v !== null)) {
        expect(run!.ms).toBeGreaterThan(0);
        expect(run!.repeats).toBe(1);
        expect(run!.bytes).toBe(run!.operatorBytes + run!.workspaceBytes);
        expect(run!.support).toHaveLength(r.k);
        expect(run!.exact).toBe(true);
      }
      if (r.n <= 1200) {
        expect(r.dense).not.toBeNull();
        expect(r.sameSupport).toBe(true);
        expect(r.dense!.support).toEqual(r.operator.support);
        expect(r.maxDiff!).toBeLessThan(1e-10);
        // the dense matrix (8 m n) and its f32 screen copy dwarf the operator
        expect(r.dense!.operatorBytes).toBeGreaterThanOrEqual(8 * r.m * r.n);
        expect(r.operator.operatorBytes).toBeLessThan(r.dense!.operatorBytes / 20);
      } else {
        expect(r.dense).toBeNull();
        expect(r.sameSupport).toBeNull();
        expect(r.maxDiff).toBeNull();
      }
    }
    expect(out.figures.map((f) => f.file)).toEqual(['deconvolution-large-time.svg', 'deconvolution-large-bytes.svg']);
    for (const f of out.figures) {
      expect(f.svg).toContain('class="legend"');
      expect(f.svg).toContain('operator');
      expect(f.reading.length).toBeGreaterThan(20);
    }
    expect(out.figures[0].reading).toMatch(/supports are equal wherever both ran/);
    expect(out.summary).toMatch(/5000 +5024 +25/);
    // JSON round trip (what the report writes)
    expect(JSON.parse(JSON.stringify(out.json))).toEqual(out.json);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../src/index.js';
import { EXPERIMENTS } from '../src/experiments/index.js';
import { runDeconvolution } from '../src/experiments/deconvolution.js';
import { runPhaseTransition } from '../src/experiments/phase-transition.js';
import type { ExperimentContext } from '../src/experiments/types.js';

beforeAll(async () => {
  await init();
});

const ctx = (workers: number, seed = 3): ExperimentContext => ({ mode: 'quick', seed, workers, onProgress: () => {} });

describe('SEA experiments', () => {
  it('are registered for the CLI and the report', () => {
    expect(EXPERIMENTS['phase-transition']).toBeDefined();
    expect(EXPERIMENTS.deconvolution).toBeDefined();
  });

  it('phase-transition: same numbers with 1 and 2 workers; curves, JSON and plot', async () => {
    const s = { n: 24, deltas: [0.5, 1], rhos: [0.1, 0.3, 0.5], runs: 6, seaMaxIter: 100, solvers: ['omp', 'els', 'sea_0', 'sea_omp', 'nope'], threshold: 0.95 };
    const a = await runPhaseTransition(s, ctx(1));
    const b = await runPhaseTransition(s, ctx(2));
    const ja = a.json as { curves: Record<string, number[]>; cells: { successes: Record<string, number> }[]; skipped: string[]; seed: number };
    const jb = b.json as typeof ja;
    expect(jb.cells).toEqual(ja.cells);
    expect(jb.curves).toEqual(ja.curves);
    expect(ja.skipped).toEqual(['nope']);
    expect(ja.seed).toBe(3);
    expect(Object.keys(ja.curves)).toEqual(['omp', 'els', 'sea_0', 'sea_omp']);
    // at delta = 1 (square Gaussian A) rho = 0.1 (k = 2) is solved by every solver
    for (const c of Object.values(ja.curves)) expect(c[1]).toBeGreaterThanOrEqual(0.1);
    expect(ja.cells).toHaveLength(6);
    expect(a.figures[0].file).toBe('phase-transition.svg');
    expect(a.figures[0].svg).toContain('class="legend"');
    expect(a.figures[0].svg).toContain('SEA_OMP');
    expect(a.summary).toContain('skipped: nope');
    // another seed draws other problems
    const c = await runPhaseTransition(s, ctx(1, 4));
    expect((c.json as typeof ja).cells).not.toEqual(ja.cells);
  });

  it('deconvolution: same numbers with 1 and 2 workers; coherence about 0.97; SEA_OMP beats OMP', async () => {
    const s = { n: 40, sigma: 3, ks: [3, 5], runs: 8, seaMaxIter: 400, solvers: ['omp', 'sea_omp'] };
    const a = await runDeconvolution(s, ctx(1));
    const b = await runDeconvolution(s, ctx(2));
    const ja = a.json as { coherence: number; meanSupportDistance: Record<string, number[]>; supportDistances: unknown };
    const jb = b.json as typeof ja;
    expect(jb.supportDistances).toEqual(ja.supportDistances);
    expect(jb.meanSupportDistance).toEqual(ja.meanSupportDistance);
    expect(ja.coherence).toBeGreaterThan(0.97);
    expect(ja.coherence).toBeLessThan(0.975);
    const sum = (v: number[]) => v.reduce((p, q) => p + q, 0);
    expect(sum(ja.meanSupportDistance.sea_omp)).toBeLessThan(sum(ja.meanSupportDistance.omp));
    expect(a.figures[0].svg).toContain('class="series"');
    expect(a.summary).toMatch(/coherence mu\(A\) = 0\.97/);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../src/index.js';
import { EXPERIMENTS } from '../src/experiments/index.js';
import { render, runTauSweep, tauSweepSettings } from '../src/experiments/tau-sweep.js';

beforeAll(async () => {
  await init();
});

describe('experiment tau-sweep', () => {
  it('is registered and its full settings are the paper setting', () => {
    expect(EXPERIMENTS['tau-sweep']).toBeDefined();
    const st = tauSweepSettings('full', 1);
    expect([st.m, st.n, st.s, st.trials, st.ompIterations, st.ihtIterations, st.eta]).toEqual([200, 400, 15, 50, 15, 30, 0.6]);
    expect(st.taus.length).toBe(24);
    expect(st.taus[0]).toBe(1e-10);
    expect(st.taus[23]).toBeCloseTo(10 ** 1.5, 9);
    expect(st.sigmas).toEqual([1e-5, 1e-3, 1e-1]);
  });

  it('on a small instance: soft equals hard at tiny tau, departs at large tau, hard OMP is the package omp; figures render', () => {
    const st = {
      ...tauSweepSettings('quick', 3),
      m: 40, n: 80, s: 4, trials: 2, sigmas: [1e-3], taus: [1e-8, 1e-2, 1],
      ompIterations: 4, ihtIterations: 10, gapIterationsOmp: [1, 4], gapIterationsIht: [1, 10],
    };
    let calls = 0;
    const r = runTauSweep(st, () => calls++);
    expect(calls).toBe(2);
    const lv = r.levels[0];
    expect(lv.ompErr.length).toBe(2);
    expect(lv.hardVsPackageOmp).toBeLessThan(1e-12);
    expect(lv.hardVsPackageIht).toBeLessThan(1e-9);
    expect(Math.abs(lv.geo.softOmp[0] - lv.geo.omp) / lv.geo.omp).toBeLessThan(1e-9);
    expect(Math.abs(lv.geo.softIht[0] - lv.geo.iht) / lv.geo.iht).toBeLessThan(1e-9);
    expect(lv.geo.softOmp[2]).toBeGreaterThan(10 * lv.geo.omp);
    expect(lv.geo.softIht[2]).toBeGreaterThan(10 * lv.geo.iht);
    for (const g of [...lv.geo.gapOmp, ...lv.geo.gapIht]) {
      expect(g[0]).toBeLessThan(1e-12);
      expect(g[2]).toBeGreaterThan(g[0]);
    }
    const figs = render.figures(r);
    expect(figs.map((f) => f.file)).toEqual(['tau-sweep-omp.svg', 'tau-sweep-iht.svg', 'tau-sweep-gap.svg']);
    for (const f of figs) {
      expect(f.svg).toContain('class="legend"');
      expect(f.svg).not.toMatch(/NaN|Infinity/);
    }
    const text = render.summary(r);
    expect(text).toContain('paper');
    expect(JSON.parse(JSON.stringify(r)).levels[0].softOmpErr.length).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { runTrials, trialSeed } from '../src/parallel/parallel.js';

const MODULE = new URL('./fixtures/trials.ts', import.meta.url);

describe('runTrials', () => {
  it('gives identical results with 1 and 2 workers, in trial order, seeded by (seed, index)', async () => {
    const opts = { module: MODULE, fn: 'seaTrial', params: { m: 24, n: 48, k: 5 }, count: 24, seed: 42 };
    const progress: number[] = [];
    const one = await runTrials<unknown, { index: number; seed: number; residual: number; support: number[]; thread: number }>({ ...opts, workers: 1 });
    const two = await runTrials<unknown, { index: number; seed: number; residual: number; support: number[]; thread: number }>({ ...opts, workers: 2, chunk: 3, onProgress: (d) => progress.push(d) });
    const strip = (rs: typeof one) => rs.map(({ thread: _t, ...rest }) => rest);
    expect(strip(two)).toEqual(strip(one));
    expect(one.map((r) => r.index)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(one.map((r) => r.seed)).toEqual(Array.from({ length: 24 }, (_, i) => trialSeed(42, i)));
    // the two-worker run really used two worker threads, and reported progress up to the total
    expect(one.every((r) => r.thread === 0)).toBe(true);
    expect(new Set(two.map((r) => r.thread)).size).toBe(2);
    expect(progress[progress.length - 1]).toBe(24);
    // another master seed gives other problems
    const other = await runTrials<unknown, { residual: number }>({ ...opts, seed: 43, workers: 1 });
    expect(other.map((r) => r.residual)).not.toEqual(one.map((r) => r.residual));
  });

  it('propagates a failing trial and rejects bad arguments', async () => {
    await expect(runTrials({ module: MODULE, fn: 'failingTrial', params: null, count: 6, seed: 1, workers: 2, chunk: 1 })).rejects.toThrow(/trial 3 failed/);
    await expect(runTrials({ module: MODULE, fn: 'nope', params: null, count: 2, seed: 1, workers: 1 })).rejects.toThrow(/fn must name a function exported by .*, received 'nope' \(not exported\)/);
    await expect(runTrials({ module: MODULE, fn: 'seaTrial', params: null, count: 2, seed: 1, workers: 0 })).rejects.toThrow(RangeError);
    expect(trialSeed(1, 0)).not.toBe(trialSeed(1, 1));
    expect(trialSeed(1, 5)).not.toBe(trialSeed(2, 5));
  });
});

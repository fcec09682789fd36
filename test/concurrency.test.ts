// Concurrency: overlapping asynchronous work returns correct, ordered
// results. Two worker pools (runTrials over the package's worker layer) run at once next to a
// one-thread run and many interleaved async solves on the main thread; every
// result equals its sequential reference, in order.
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../src/index.js';
import { runTrials } from '../src/parallel/parallel.js';
import { gaussianProblem } from '../src/data/problems.js';
import { optionsFor, SOLVERS, SolverName } from '../src/solvers/registry.js';

const MODULE = new URL('./fixtures/trials.ts', import.meta.url);

beforeAll(async () => {
  await init();
});

type Trial = { index: number; seed: number; residual: number; support: number[]; thread: number };
const strip = (rs: Trial[]) => rs.map(({ thread: _t, ...rest }) => rest);
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('concurrency', () => {
  it('two worker pools and a one-thread run at once, with async solves interleaved on the main thread: all results correct and in order', async () => {
    const base = { module: MODULE, fn: 'seaTrial', params: { m: 20, n: 40, k: 4 }, count: 16 };
    const refA = await runTrials<unknown, Trial>({ ...base, seed: 7, workers: 1 });
    const refB = await runTrials<unknown, Trial>({ ...base, seed: 8, workers: 1 });
    const refC = await runTrials<unknown, Trial>({ ...base, seed: 9, workers: 1 });

    // the main-thread work: 60 async tasks, each solving between awaits
    const names = Object.keys(SOLVERS);
    const problems = Array.from({ length: 6 }, (_, i) => gaussianProblem({ m: 24, n: 60, k: 3, seed: 100 + i, sigma: 0.02 }));
    const job = (i: number) => () => SOLVERS[names[i % names.length]](problems[i % problems.length].A, problems[i % problems.length].y, optionsFor(names[i % names.length] as SolverName, 3, { maxIter: 40 }));
    const sequential = Array.from({ length: 60 }, (_, i) => job(i)());
    const interleaved = Array.from({ length: 60 }, async (_, i) => {
      await tick();
      const a = job(i)();
      await tick();
      const b = job(i)();
      return [a, b];
    });

    const [a, b, c, main] = await Promise.all([
      runTrials<unknown, Trial>({ ...base, seed: 7, workers: 2, chunk: 2 }),
      runTrials<unknown, Trial>({ ...base, seed: 8, workers: 2, chunk: 3 }),
      runTrials<unknown, Trial>({ ...base, seed: 9, workers: 1 }),
      Promise.all(interleaved),
    ]);
    expect(strip(a)).toEqual(strip(refA));
    expect(strip(b)).toEqual(strip(refB));
    expect(strip(c)).toEqual(strip(refC));
    expect(a.map((r) => r.index)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    // the pools really ran on worker threads
    expect(a.every((r) => r.thread !== 0) && b.every((r) => r.thread !== 0)).toBe(true);
    main.forEach(([x, y], i) => {
      expect(Array.from(x.x)).toEqual(Array.from(sequential[i].x));
      expect(Array.from(y.x)).toEqual(Array.from(sequential[i].x));
      expect(x.status).toBe(sequential[i].status);
    });
  });
});

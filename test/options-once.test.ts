// Every option is read once: what was checked is what runs. A getter that
// answers differently on later reads (here: a valid `out` first, a short one
// after) cannot slip past the checks.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, iht, ompBatch, omp, sea, softOmp, solveBatch } from '../src/index.js';
import { gaussianProblem, signalBlock } from '../src/data/problems.js';

beforeAll(async () => {
  await init();
});

const { A, y } = gaussianProblem({ m: 12, n: 24, k: 2, seed: 5 });

/** An options object whose every property counts its reads; `out` turns short after its first read. */
function counted(props: Record<string, unknown>) {
  const reads: Record<string, number> = {};
  const o: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(props)) {
    reads[key] = 0;
    Object.defineProperty(o, key, {
      enumerable: true,
      get: () => {
        reads[key]++;
        return key === 'out' && reads[key] > 1 ? new Float64Array(3) : v;
      },
    });
  }
  return { o, reads };
}

describe('options are read once', () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`omp with a changing out (${backend})`, () => {
      const out = new Float64Array(24);
      const { o, reads } = counted({ k: 2, out, tol: 0, backend });
      const r = omp(A, y, o as never);
      expect(r.x).toBe(out);
      expect(Object.values(reads).every((c) => c === 1)).toBe(true);
    });
  }

  it('iht, sea, ompBatch, solveBatch and softOmp read each option once', () => {
    const Y = signalBlock(A, 2, 3, 1);
    const runs: [string, Record<string, unknown>, (o: never) => unknown][] = [
      ['iht', { k: 2, mu: 0.5, maxIter: 20, x0: new Float64Array(24) }, (o) => iht(A, y, o)],
      ['sea', { k: 2, maxIter: 20, history: true, init: 'omp' }, (o) => sea(A, y, o)],
      ['ompBatch', { k: 2, precompute: false, onError: 'collect' }, (o) => ompBatch(A, Y, o)],
      ['solveBatch', { k: 2, maxIter: 5, onError: 'collect' }, (o) => solveBatch('htp', A, Y, o)],
      ['softOmp', { iterations: 2, tau: 0.1, history: true }, (o) => softOmp(A, y, o)],
    ];
    for (const [name, props, run] of runs) {
      const { o, reads } = counted(props);
      run(o as never);
      for (const [key, c] of Object.entries(reads)) expect(c, `${name}: ${key}`).toBe(1);
    }
  });
});

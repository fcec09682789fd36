// What the benchmarks share: tinybench medians and the seeded batch problems
// of bench:peers and bench:pool (so that both time the same signals).
import { Bench } from 'tinybench';
import { gaussianProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import type { Matrix } from '../src/core/matrix.js';

/** Median ms of fn (tinybench p50) over `timeMs`, with at least `iterations` runs after `warmupIterations`. */
export async function medianMs(fn: () => unknown, timeMs: number, iterations = 3, warmupIterations = 1): Promise<number> {
  const b = new Bench({ time: timeMs, iterations, warmupIterations, warmupTime: 0 });
  b.add('t', fn as () => Promise<void>);
  await b.run();
  const r = b.tasks[0].result as { state: string; latency?: { p50: number }; error?: Error };
  if (r.state !== 'completed' || !r.latency) throw new Error(`benchmark failed: ${r.error?.message ?? r.state}`);
  return r.latency.p50;
}

/**
 * The batch problem of bench:peers and bench:pool at (m, n, k): a Gaussian A
 * with unit-norm columns and p signals of k nonzeros in ±[1, 2], plus noise
 * sigma / sqrt(m) per entry; Y is m x p, column-major.
 */
export function batchProblem(m: number, n: number, k: number, p: number, sigma = 0.01): { A: Matrix; Y: Float64Array } {
  const { A } = gaussianProblem({ m, n, k, seed: 20_000 + m });
  const rng = new Rng(30_000 + m);
  const Y = new Float64Array(m * p);
  for (let j = 0; j < p; j++) {
    for (const c of rng.sample(n, k)) {
      const v = (rng.uniform() < 0.5 ? -1 : 1) * (1 + rng.uniform());
      for (let i = 0; i < m; i++) Y[j * m + i] += A.data[c * m + i] * v;
    }
    for (let i = 0; i < m; i++) Y[j * m + i] += (sigma * rng.normal()) / Math.sqrt(m);
  }
  return { A, Y };
}

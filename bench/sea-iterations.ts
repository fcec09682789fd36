// How many SEA iterations matter: `npx tsx bench/sea-iterations.ts`.
// Exact-recovery rates on Gaussian A (m = 64, n = 128, unit columns, N(0,1)
// nonzeros, no noise) at k = 20, and the mean support distance on the
// sigma = 3 Gaussian convolution dictionary (n = 100, k = 5), for OMP, ELS,
// OMPR and SEA_0 / SEA_OMP capped at several iteration counts (eta = 1/||A||^2).
import { els, init, omp, ompr, Operator, sea } from '../src/index.js';
import { gaussianConvolution } from '../src/data/dictionaries.js';
import { gaussianProblem, sparseProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';

const RUNS = 100;
const CAPS = [100, 500, 1000, 2000, 3000, 5000];

async function main(): Promise<void> {
  await init();
  const same = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).join() === Array.from(b).join();
  // Gaussian, exact recovery
  const g: Record<string, number> = {};
  const add = (key: string, v: number) => (g[key] = (g[key] ?? 0) + v / RUNS);
  for (let s = 0; s < RUNS; s++) {
    const p = gaussianProblem({ m: 64, n: 128, k: 20, seed: 100 + s });
    const op = Operator.dense(p.A);
    add('OMP', +same(omp(op, p.y, { k: 20 }).support, p.support));
    add('OMPR', +same(ompr(op, p.y, { k: 20 }).support, p.support));
    add('ELS', +same(els(op, p.y, { k: 20 }).support, p.support));
    for (const c of CAPS) {
      add(`SEA_0 @${c}`, +same(sea(op, p.y, { k: 20, maxIter: c }).support, p.support));
      add(`SEA_OMP @${c}`, +same(sea(op, p.y, { k: 20, maxIter: c, init: 'omp' }).support, p.support));
    }
    op.dispose();
  }
  console.log(`Gaussian 64 x 128, k = 20, ${RUNS} problems: exact recovery rate`);
  for (const [k, v] of Object.entries(g)) console.log(`  ${k.padEnd(16)} ${(100 * v).toFixed(0)}%`);
  // deconvolution, support distance
  const A = gaussianConvolution(100, 3);
  const op = Operator.dense(A);
  const d: Record<string, number> = {};
  const addD = (key: string, sup: Int32Array, truth: Set<number>) => {
    let hit = 0;
    for (const j of sup) if (truth.has(j)) hit++;
    d[key] = (d[key] ?? 0) + (5 - hit) / 5 / RUNS;
  };
  for (let s = 0; s < RUNS; s++) {
    const p = sparseProblem(A, 5, new Rng(500 + s), 0, 'bounded');
    const t = new Set(p.support);
    addD('OMP', omp(op, p.y, { k: 5 }).support, t);
    addD('OMPR', ompr(op, p.y, { k: 5 }).support, t);
    addD('ELS', els(op, p.y, { k: 5 }).support, t);
    for (const c of CAPS) {
      addD(`SEA_0 @${c}`, sea(op, p.y, { k: 5, maxIter: c }).support, t);
      addD(`SEA_OMP @${c}`, sea(op, p.y, { k: 5, maxIter: c, init: 'omp' }).support, t);
    }
  }
  op.dispose();
  console.log(`Gaussian convolution, sigma = 3, ${A.m} x ${A.n}, k = 5, ${RUNS} problems: mean support distance`);
  for (const [k, v] of Object.entries(d)) console.log(`  ${k.padEnd(16)} ${v.toFixed(3)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

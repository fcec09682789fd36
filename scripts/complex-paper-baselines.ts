// The plain baselines of the complex structured-sparsity experiment of
// "Deep greedy unfolding" (Figure 3), on the package's data and JS twins:
// validation MSE, mean over 512 signals of ||x_hat - x||^2 (x_hat's real
// part for a complex fit), for OMP (m = 20, k = 10 atoms) and IHT (m = 36,
// 30 iterations, step 0.5, from 0), each with the complex fit of the
// authors' baselines and with the real-x fit. Their figures: OMP 0.330,
// IHT 0.0504 (complex fits).
//   npx tsx scripts/complex-paper-baselines.ts [--seeds 1-5]
import { parseArgs } from 'node:util';
import { structuredSparse } from '../src/data/structured.js';
import { complexIhtJs } from '../src/js/complex/iht.js';
import { complexOmpJs } from '../src/js/complex/omp.js';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '1-5' } } });
const [lo, hi] = values.seeds!.split('-').map(Number);
const N = 512;
console.log('| seed | OMP m = 20 (complex fit) | OMP m = 20 (real x) | IHT m = 36 (complex fit) | IHT m = 36 (real x) |');
console.log('|---|---|---|---|---|');
for (let seed = lo; seed <= (hi ?? lo); seed++) {
  const cells: string[] = [];
  for (const [m, alg, realX] of [[20, 'omp', false], [20, 'omp', true], [36, 'iht', false], [36, 'iht', true]] as const) {
    const fam = structuredSparse({ n: 256, s: 10, K: 20, m, matrix: 'fourier', sigma: 1e-3, seed });
    const { Y, X } = fam.sample(N, 1000 + seed);
    let mse = 0;
    for (let b = 0; b < N; b++) {
      const y = Y.data.slice(2 * b * m, 2 * (b + 1) * m);
      const res = alg === 'omp' ? complexOmpJs(fam.A, y, { k: 10, tol: 0, realX }) : complexIhtJs(fam.A, y, { k: 10, tol: 0, maxIter: 30, mu: 0.5, realX });
      let e = 0;
      for (let j = 0; j < 256; j++) {
        const d = (realX ? res.x[j] : res.x[2 * j]) - X.data[b * 256 + j];
        e += d * d;
      }
      mse += e / N;
    }
    cells.push(mse.toFixed(4));
  }
  console.log(`| ${seed} | ${cells.join(' | ')} |`);
}

import { init, omp, Operator } from './src/index.js';
import { call } from './src/wasm.js';
import { gaussianProblem } from './src/problems.js';
await init();
for (const [m, n, k] of [[64, 256, 8], [256, 1024, 32], [256,1024,4], [1024, 4096, 64]]) {
  const p = gaussianProblem({ m, n, k, seed: 1 });
  const op = Operator.dense(p.A);
  const res: Record<string, number[]> = { screen: [], plain: [] };
  for (let rep = 0; rep < 5; rep++) for (const on of [1, 0]) {
    call('setOmpScreening', on);
    const reps = m === 1024 ? 5 : m === 256 ? 100 : 1000;
    for (let i = 0; i < 3; i++) omp(op, p.y, { k });
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) omp(op, p.y, { k });
    res[on ? 'screen' : 'plain'].push((performance.now() - t0) / reps);
  }
  const med = (a: number[]) => a.sort((x, y) => x - y)[2].toFixed(3);
  console.log(m, n, k, 'screen', med(res.screen), 'plain', med(res.plain));
}

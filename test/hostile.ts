// Problems built to stress OMP's f32 screen (assembly/screen.ts): exact
// ties, duplicate and nearly parallel columns, quantised entries, column
// scales far apart, every m mod 4 and n mod 8. Shared by test/omp-screen.test.ts
// and the relaxed-SIMD child (test/relaxed/child.ts).
import { Matrix } from '../src/core/matrix.js';
import { gaussianProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import type { SolveResult } from '../src/core/types.js';

/** Two results equal bit for bit. */
export function same(a: SolveResult, b: SolveResult): boolean {
  return a.status === b.status && a.iterations === b.iterations && Object.is(a.residualNorm, b.residualNorm)
    && a.x.length === b.x.length && a.x.every((v, i) => Object.is(v, b.x[i])) && a.support.join() === b.support.join();
}

/** A problem whose selection has many near and exact ties. */
export function hostile(t: number): { A: Matrix; y: Float64Array; k: number } {
  const rng = new Rng(7000 + t);
  const m = 4 + rng.int(70);
  const n = m + rng.int(200);
  const k = Math.min(4 + rng.int(14), m);
  const { A, y } = gaussianProblem({ m, n, k, seed: 8000 + t });
  const d = A.data;
  const kind = t % 5;
  if (kind === 0) {
    // duplicate columns (exact ties) and columns equal up to 1e-9 .. 1e-15 relative
    for (let c = 0; c < 8; c++) {
      const a = rng.int(n), b = rng.int(n), f = 1 + (c % 2 ? 0 : 10 ** -(9 + rng.int(7)));
      for (let i = 0; i < m; i++) d[b * m + i] = d[a * m + i] * f;
    }
  } else if (kind === 1) {
    // entries on a coarse grid: many equal correlations
    for (let i = 0; i < d.length; i++) d[i] = Math.round(d[i] * 2) / 2;
  } else if (kind === 2) {
    // columns scaled from 1e-6 to 1e6 (the score divides by the norm)
    for (let j = 0; j < n; j++) { const s = 10 ** (rng.uniform() * 12 - 6); for (let i = 0; i < m; i++) d[j * m + i] *= s; }
  } else if (kind === 3) {
    // y on a few columns exactly, so that residuals reach ~0 and scores tie near zero
    y.fill(0);
    for (let c = 0; c < 3; c++) { const j = rng.int(n); for (let i = 0; i < m; i++) y[i] += d[j * m + i]; }
  }
  return { A: new Matrix(m, n, d), y, k };
}


// Seeded test problems y = A x + e.
import { Matrix } from '../core/matrix.js';
import { Rng } from '../core/random.js';

/** A sparse recovery problem with its ground truth. */
export interface Problem {
  /** m x n sensing matrix. */
  A: Matrix;
  /** Ground truth, length n, k nonzeros. */
  x: Float64Array;
  /** Measurements y = A x + e, length m. */
  y: Float64Array;
  /** True support, ascending. */
  support: Int32Array;
}

/** Options of gaussianProblem. */
export interface GaussianProblemOptions {
  m: number;
  n: number;
  k: number;
  seed: number;
  /** Scale columns to unit norm (default true). */
  normalize?: boolean;
  /** Noise: e = sigma * N(0, 1) / sqrt(m) (default 0). */
  sigma?: number;
  /** Nonzero distribution: 'normal' N(0,1) (default) or 'bounded' uniform in [-2,-1] U [1,2]. */
  values?: 'normal' | 'bounded';
}

/** Gaussian A (i.i.d. N(0,1), optionally unit columns), k-sparse x. */
export function gaussianProblem(o: GaussianProblemOptions): Problem {
  const rng = new Rng(o.seed);
  const { m, n, k } = o;
  let A = new Matrix(m, n, rng.normals(m * n));
  if (o.normalize !== false) A = A.normalizeColumns();
  return sparseProblem(A, k, rng, o.sigma ?? 0, o.values ?? 'normal');
}

/** A k-sparse signal on a given A, with noise sigma * N(0,1)/sqrt(m). */
export function sparseProblem(A: Matrix, k: number, rng: Rng, sigma = 0, values: 'normal' | 'bounded' = 'normal'): Problem {
  const { m, n } = A;
  const support = rng.sample(n, k);
  const x = new Float64Array(n);
  for (const j of support) {
    if (values === 'normal') x[j] = rng.normal();
    else x[j] = (rng.uniform() < 0.5 ? -1 : 1) * (1 + rng.uniform());
  }
  const y = new Float64Array(m);
  for (const j of support) for (let i = 0; i < m; i++) y[i] += A.data[i + j * m] * x[j];
  if (sigma > 0) for (let i = 0; i < m; i++) y[i] += (sigma * rng.normal()) / Math.sqrt(m);
  return { A, x, y, support };
}

/**
 * p noisy k-sparse signals on one A (m x n), as a column-major m x p block:
 * column j = sum of k random columns of A times N(0, 1) values, plus
 * sigma * N(0, 1) per entry (not divided by sqrt(m), unlike sparseProblem).
 * For batch tests and benchmarks.
 */
export function signalBlock(A: Matrix, k: number, p: number, seed: number, sigma = 0.01): Float64Array {
  const { m, n, data } = A;
  const rng = new Rng(seed);
  const Y = new Float64Array(m * p);
  for (let j = 0; j < p; j++) {
    for (const c of rng.sample(n, k)) {
      const v = rng.normal();
      for (let i = 0; i < m; i++) Y[j * m + i] += data[c * m + i] * v;
    }
    for (let i = 0; i < m; i++) Y[j * m + i] += sigma * rng.normal();
  }
  return Y;
}

// Structured dictionaries for the experiments.
import { Matrix } from '../core/matrix.js';
import { checkInt, checkNumber } from '../core/errors.js';

/** Half-width of the sampled Gaussian filter, in units of sigma: beyond 4 sigma
 *  its values are below exp(-8) = 3e-4 of the peak (the usual truncation of
 *  sampled Gaussian kernels, e.g. scipy.ndimage's default truncate = 4). */
export const FILTER_HALF_WIDTH_SIGMAS = 4;

/**
 * The Gaussian convolution (blur) dictionary: column j is the Gaussian filter
 * exp(-d^2 / (2 sigma^2)), |d| <= h = ceil(4 sigma), centred at sample j,
 * scaled to unit norm. `full` convolution (default): m = n + 2h rows, so no
 * atom is cut at a border and every pair of neighbours has correlation about
 * exp(-1 / (4 sigma^2)) (0.973 for sigma = 3). `same`: m = n rows, atoms cut
 * at the borders (the two border pairs are then more coherent).
 *
 * @param n number of atoms (signal length), integer in [2, 32768]
 * @param sigma filter width in samples (finite, > 0)
 * @param mode 'full' (default) or 'same'
 * @returns m x n, unit-norm columns
 */
export function gaussianConvolution(n: number, sigma: number, mode: 'full' | 'same' = 'full'): Matrix {
  checkInt('gaussianConvolution', 'n', n, 2, 1 << 15);
  checkNumber('gaussianConvolution', 'sigma', sigma, 0, 1e4, { openLo: true });
  const h = Math.ceil(FILTER_HALF_WIDTH_SIGMAS * sigma);
  const off = mode === 'full' ? h : 0;
  const m = mode === 'full' ? n + 2 * h : n;
  const data = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    for (let d = -h; d <= h; d++) {
      const i = j + off + d;
      if (i >= 0 && i < m) data[i + j * m] = Math.exp(-(d * d) / (2 * sigma * sigma));
    }
  }
  return new Matrix(m, n, data).normalizeColumns();
}

/** Mutual coherence max_{i != j} |a_i^T a_j| / (||a_i|| ||a_j||) of A (m x n). */
export function coherence(A: Matrix): number {
  const { m, n, data } = A;
  const norms = A.colNorms();
  let mu = 0;
  for (let i = 0; i < n; i++) {
    if (norms[i] === 0) continue;
    for (let j = i + 1; j < n; j++) {
      if (norms[j] === 0) continue;
      let s = 0;
      for (let r = 0; r < m; r++) s += data[r + i * m] * data[r + j * m];
      mu = Math.max(mu, Math.abs(s) / (norms[i] * norms[j]));
    }
  }
  return mu;
}

// The partial Fourier matrix and the complex structured-sparse family of
// "Deep greedy unfolding" (Mohammad-Taheri, Colbrook & Brugiapaglia 2025,
// Figure 3): A = m sampled rows of the n-point DFT matrix, divided by sqrt(m);
// x real, s-sparse inside a hidden set of K indices, unit norm; complex noise.
import { checkInt, checkNumber, describe } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { Rng } from '../core/random.js';
import { ComplexMatrix } from '../js/complex/cmatrix.js';
import { unitSparse } from './structured.js';

/** Options of fourierMatrix. */
export interface FourierMatrixOptions {
  /** Divide by sqrt(m), so that every column has unit norm. Default true; false gives the plain DFT rows (entries of modulus 1). */
  scale?: boolean;
}

/**
 * Frequency indices as given (integers in [-(n-1), n-1], distinct modulo n),
 * checked, and reduced to [0, n).
 */
function checkFrequencies(fn: string, n: number, rows: unknown): Int32Array {
  if (!Array.isArray(rows) && !(ArrayBuffer.isView(rows) && !(rows instanceof DataView))) {
    throw new TypeError(`${fn}: rows must be an array of frequency indices (integers in [${-(n - 1)}, ${n - 1}], distinct modulo n = ${n}), received ${describe(rows)}`);
  }
  const a = rows as ArrayLike<unknown>;
  if (a.length === 0) throw new RangeError(`${fn}: rows must not be empty, received length 0`);
  if (a.length > n) throw new RangeError(`${fn}: rows must have at most n = ${n} entries (distinct frequencies modulo n), received length ${a.length}`);
  const out = new Int32Array(a.length);
  const seen = new Int32Array(n).fill(-1);
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    if (typeof k !== 'number' || !Number.isInteger(k) || k <= -n || k >= n) {
      const E = typeof k === 'number' ? RangeError : TypeError;
      throw new E(`${fn}: rows[${i}] must be an integer in [${-(n - 1)}, ${n - 1}], received ${describe(k)}`);
    }
    const r = k < 0 ? k + n : k;
    if (seen[r] >= 0) throw new RangeError(`${fn}: rows must be distinct modulo n = ${n}, received rows[${seen[r]}] = ${describe(a[seen[r]])} and rows[${i}] = ${k}`);
    seen[r] = i;
    out[i] = r;
  }
  return out;
}

/**
 * The m x n partial Fourier matrix: entry (i, j) = exp(-2 pi i rows[i] j / n)
 * (numpy's fft sign convention), divided by sqrt(m) unless `scale: false`.
 * rows are frequency indices; a negative index k stands for k + n (the same
 * row of the DFT). The angle is reduced exactly in integers,
 * (rows[i] j) mod n, before the cosine and sine, so entries do not depend on
 * rounding of large arguments, and with the scaling every column has norm 1
 * to rounding.
 *
 * @param n signal length (integer in [1, 2^20])
 * @param rows m frequency indices, integers in [-(n-1), n-1], distinct modulo n
 * @param options { scale }: see FourierMatrixOptions
 * @returns m x n ComplexMatrix (interleaved re/im, column-major)
 * @throws RangeError / TypeError naming fourierMatrix and the argument
 */
export function fourierMatrix(n: number, rows: ArrayLike<number>, options?: FourierMatrixOptions): ComplexMatrix {
  const fn = 'fourierMatrix';
  checkInt(fn, 'n', n, 1, 2 ** 20);
  const r = checkFrequencies(fn, n, rows);
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(`${fn}: options must be an object such as { scale }, received ${describe(options)}`);
  }
  const sc = options?.scale;
  if (sc !== undefined && typeof sc !== 'boolean') throw new TypeError(`${fn}: options.scale must be a boolean, received ${describe(sc)}`);
  const m = r.length;
  if (m * n > 2 ** 26) throw new RangeError(`${fn}: m*n must be at most ${2 ** 26} for a dense matrix, received ${m} x ${n}`);
  const c = sc === false ? 1 : 1 / Math.sqrt(m);
  const data = new Float64Array(2 * m * n);
  const w = (2 * Math.PI) / n;
  for (let i = 0; i < m; i++) {
    const k = r[i];
    for (let j = 0; j < n; j++) {
      const q = (k * j) % n; // exact: k, j < 2^20
      const t = 2 * (i + j * m);
      data[t] = c * Math.cos(w * q);
      data[t + 1] = -c * Math.sin(w * q);
    }
  }
  return new ComplexMatrix(m, n, data);
}

/** How a partial Fourier A was made: its frequency rows (as drawn, in [-n/2+1, n/2-1]) and scaling 1/sqrt(m). */
export interface FourierSpec {
  kind: 'fourier';
  m: number;
  n: number;
  rows: number[];
}

/** Options of the complex structured-sparse family (structuredSparse with matrix: 'fourier'). */
export interface FourierStructuredOptions {
  /** Signal length, even integer >= 4 (the paper: 256). */
  n: number;
  /** Nonzeros per signal, integer in [1, K] (the paper: 10). */
  s: number;
  /** Size of the hidden set, integer in [s, n] (the paper: 20). */
  K: number;
  /** Measurements, integer in [1, n - 1] (the paper: 20 for OMP-Net, 36 for IHT-Net). */
  m: number;
  matrix: 'fourier';
  /** Noise level sigma: e = sigma (g + i h) / sqrt(2m), g, h ~ N(0, I_m); finite, >= 0; default 0. */
  sigma?: number;
  /** Seed of the rows and the hidden set (integer >= 0). */
  seed: number;
}

/** A set of complex measurements and their real signals, one per column. */
export interface ComplexSignalSet {
  /** m x N complex measurements y_b = A x_b + e_b. */
  Y: ComplexMatrix;
  /** n x N real ground truth. */
  X: Matrix;
}

/** The complex structured-sparse family: one partial Fourier A, one hidden set, a seeded sampler. */
export interface FourierStructuredSparse {
  /** m x n partial Fourier matrix, unit-norm columns. */
  A: ComplexMatrix;
  spec: FourierSpec;
  /** The hidden K indices, ascending. */
  hidden: Int32Array;
  settings: { n: number; s: number; K: number; m: number; matrix: 'fourier'; sigma: number; seed: number };
  /**
   * N signals from seed `seed`: support = s of the K hidden indices
   * (uniform), values real N(0, 1), x scaled to ||x|| = 1; y = A x + e with
   * e = sigma (g + i h) / sqrt(2m). The same (N, seed) always gives the same
   * set, and a larger N from the same seed extends a smaller one.
   */
  sample(N: number, seed: number): ComplexSignalSet;
}

/**
 * The complex family of Figure 3 of "Deep greedy unfolding", drawn as the
 * authors' code draws it (with the package's generator in place of torch's):
 * the m rows are m distinct frequencies of -n/2+1 .. n/2-1, sorted (their
 * code indexes the rows -n/2+1 .. n/2 of the DFT by randperm(n - 1), so
 * frequency n/2 is never drawn); A = those rows / sqrt(m); the hidden set is
 * K of the n indices; x as in `sample`; the noise is torch's complex randn
 * (real and imaginary parts each N(0, 1/2)) times sigma / sqrt(m), so that
 * E|e_i|^2 = sigma^2 / m as in the real family.
 *
 * Prefer calling it through structuredSparse({ matrix: 'fourier', ... }).
 */
export function fourierStructuredSparse(o: FourierStructuredOptions, fn = 'structuredSparse'): FourierStructuredSparse {
  if (!o || typeof o !== 'object') throw new TypeError(`${fn}: options must be an object { n, s, K, m, seed, ... }, received ${describe(o)}`);
  const n = checkInt(fn, 'n', o.n, 4, 2 ** 20);
  if (n % 2 !== 0) throw new RangeError(`${fn}: n must be even with matrix 'fourier' (frequencies -n/2+1 .. n/2), received ${n}`);
  const K = checkInt(fn, 'K', o.K, 1, n);
  const s = checkInt(fn, 's', o.s, 1, K);
  const m = checkInt(fn, 'm', o.m, 1, n - 1);
  const seed = checkInt(fn, 'seed', o.seed, 0, 2 ** 32 - 1);
  const sigma = o.sigma === undefined ? 0 : checkNumber(fn, 'sigma', o.sigma, 0, Number.MAX_VALUE);
  const rng = new Rng(seed);
  const lo = -(n / 2) + 1;
  const rows = Array.from(rng.sample(n - 1, m), (i) => i + lo); // ascending
  const A = fourierMatrix(n, rows);
  const hidden = rng.sample(n, K);
  const sample = (N: number, sseed: number): ComplexSignalSet => {
    checkInt(`${fn}.sample`, 'N', N, 1, 2 ** 24);
    checkInt(`${fn}.sample`, 'seed', sseed, 0, 2 ** 32 - 1);
    const r = new Rng(sseed);
    const Y = new Float64Array(2 * m * N);
    const X = new Float64Array(n * N);
    const f = sigma / Math.sqrt(2 * m);
    for (let b = 0; b < N; b++) {
      const { pick, vals } = unitSparse(r, K, s);
      const yo = 2 * b * m;
      for (let i = 0; i < s; i++) {
        const j = hidden[pick[i]];
        const v = vals[i];
        X[b * n + j] = v;
        const ao = 2 * j * m;
        for (let t = 0; t < 2 * m; t++) Y[yo + t] += A.data[ao + t] * v;
      }
      if (sigma > 0) for (let t = 0; t < 2 * m; t++) Y[yo + t] += f * r.normal();
    }
    return { Y: new ComplexMatrix(m, N, Y), X: new Matrix(n, N, X) };
  };
  return {
    A, spec: { kind: 'fourier', m, n, rows }, hidden,
    settings: { n, s, K, m, matrix: 'fourier', sigma, seed }, sample,
  };
}

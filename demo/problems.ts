// The demo's three test problems, all seeded: y = A x + e with known x.
import { Matrix } from '../src/core/matrix.js';
import { gaussianProblem, Problem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';

export type ProblemKind = 'gaussian' | 'deconvolution' | 'structured';

export interface DemoSettings {
  kind: ProblemKind;
  m: number;
  n: number;
  k: number;
  /** Noise level: e = sigma N(0, I) / sqrt(m). */
  sigma: number;
  seed: number;
}

export const PROBLEM_NAMES: Record<ProblemKind, string> = {
  gaussian: 'Gaussian compressed sensing',
  deconvolution: 'Spike deconvolution',
  structured: 'Structured (block) sparsity',
};

/**
 * Pulse width of the deconvolution kernel, in grid steps: wide enough that
 * neighbouring atoms are strongly correlated (about 0.88 for adjacent ones,
 * exp(-1/8)), narrow enough that spikes 4 widths apart barely interact.
 */
const PULSE_WIDTH = 2;
/** Minimum spike separation for deconvolution, in pulse widths (see PULSE_WIDTH). */
const MIN_SEPARATION = 4;
/** Block length for structured sparsity. */
export const BLOCK = 4;

/** Adds k nonzeros at `support` with magnitudes in [1, 2] and random signs, then y = A x + noise. */
function withSignal(A: Matrix, support: number[], rng: Rng, sigma: number): Problem {
  const { m, n } = A;
  const x = new Float64Array(n);
  for (const j of support) x[j] = (rng.uniform() < 0.5 ? -1 : 1) * (1 + rng.uniform());
  const y = new Float64Array(m);
  for (const j of support) for (let i = 0; i < m; i++) y[i] += A.data[i + j * m] * x[j];
  if (sigma > 0) for (let i = 0; i < m; i++) y[i] += (sigma * rng.normal()) / Math.sqrt(m);
  return { A, x, y, support: Int32Array.from(support).sort() };
}

/** A: m samples of n Gaussian pulses (unit-norm columns) on [0, n); x: k spikes kept MIN_SEPARATION widths apart where possible. */
function deconvolution(s: DemoSettings): Problem {
  const rng = new Rng(s.seed);
  const { m, n, k } = s;
  const data = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      const t = ((i + 0.5) * n) / m - 0.5;
      data[i + j * m] = Math.exp(-0.5 * ((t - j) / PULSE_WIDTH) ** 2);
    }
  }
  const A = new Matrix(m, n, data).normalizeColumns();
  const gap = Math.min(MIN_SEPARATION * PULSE_WIDTH, Math.floor(n / (k + 1)));
  const support: number[] = [];
  for (let tries = 0; support.length < k && tries < 100 * k; tries++) {
    const j = rng.int(n);
    if (support.every((s2) => Math.abs(s2 - j) >= gap)) support.push(j);
  }
  for (let j = 0; support.length < k; j++) if (!support.includes(j)) support.push(j);
  return withSignal(A, support, rng, s.sigma);
}

/** Gaussian A (unit columns); x: ceil(k / BLOCK) blocks of BLOCK consecutive nonzeros, k in all. */
function structured(s: DemoSettings): Problem {
  const rng = new Rng(s.seed);
  const { m, n, k } = s;
  const A = new Matrix(m, n, rng.normals(m * n)).normalizeColumns();
  const blocks = Math.floor(n / BLOCK);
  const chosen = rng.sample(blocks, Math.min(blocks, Math.ceil(k / BLOCK)));
  const support: number[] = [];
  for (const b of chosen) for (let t = 0; t < BLOCK && support.length < k; t++) support.push(b * BLOCK + t);
  return withSignal(A, support, rng, s.sigma);
}

/** Builds the selected problem. */
export function makeProblem(s: DemoSettings): Problem {
  if (s.kind === 'deconvolution') return deconvolution(s);
  if (s.kind === 'structured') return structured(s);
  return gaussianProblem({ m: s.m, n: s.n, k: s.k, seed: s.seed, sigma: s.sigma, values: 'bounded' });
}

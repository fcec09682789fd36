// FISTA for the LASSO: its descriptor and public functions.
import { checkNumber } from '../core/errors.js';
import { ldexp } from '../core/matrix.js';
import { INFO_EXTRA } from '../core/kernels.js';
import { fistaJs } from '../js/fista.js';
import { matTVec } from '../js/linalg.js';
import { OperatorLike, Problem, publicResult, runSolver } from './solve.js';
import { defineSolver, X0 } from './descriptor.js';
import { BatchOf, BatchResult, BlockLike, runBatch } from './batch.js';
import type { SolveResult, WarmStartOptions } from '../core/types.js';

/** Default iteration cap of fista. */
export const FISTA_DEFAULT_MAX_ITER = 10_000;
/** Default tol of fista: duality gap <= 1e-6 ||y||^2 / 2. */
export const FISTA_DEFAULT_TOL = 1e-6;

/** Where the kernel's info vector holds the duality gap and the objective (after lambda at INFO_EXTRA): assembly/solvers/fista.ts. */
const INFO_GAP = 4;
const INFO_OBJECTIVE = 5;

/** Options of fista (no k: the support is the nonzeros of x). Give exactly one of `lambda` and `lambdaRatio`. */
export interface FistaOptions extends Omit<WarmStartOptions, 'k' | 'tol'> {
  /** The l1 weight lambda of 1/2 ||A x - y||^2 + lambda ||x||_1, finite and >= 0. */
  lambda?: number;
  /** lambda as a fraction of lambda_max = ||A^T y||_inf (above which x = 0 is the solution), in [0, 1]. */
  lambdaRatio?: number;
  /** Stop when the duality gap is <= tol ||y||^2 / 2 (the objective of x = 0): 'converged'. In [0, 1], default 1e-6. */
  tol?: number;
}

/** What fista returns: a SolveResult (support = the nonzeros of x) plus the LASSO's numbers. */
export interface FistaResult extends SolveResult {
  /** The lambda used (lambdaRatio * ||A^T y||_inf when lambdaRatio was given). */
  lambda: number;
  /** 1/2 ||A x - y||^2 + lambda ||x||_1 at x (at the last gap check). */
  objective: number;
  /** Duality gap at x, an upper bound on objective - optimum. */
  dualityGap: number;
}

/**
 * The kernel's parameter: lambda / ||A^T y||_inf, which the power-of-two
 * scaling of A and y leaves unchanged (both sides scale by 2^(ea + ey)).
 */
function lambdaRatio(p: Problem, o: FistaOptions): number {
  if ((o.lambda === undefined) === (o.lambdaRatio === undefined)) {
    throw new TypeError(`fista: give exactly one of lambda and lambdaRatio, received ${o.lambda === undefined ? 'neither' : 'both'}`);
  }
  if (o.lambda === undefined) return checkNumber('fista', 'lambdaRatio', o.lambdaRatio, 0, 1);
  const lambda = checkNumber('fista', 'lambda', o.lambda, 0, Number.MAX_VALUE);
  const { m, n, data } = p.matrix;
  const g = new Float64Array(n);
  matTVec(data, m, n, p.y, g);
  const max = ldexp(g.reduce((s, v) => Math.max(s, Math.abs(v)), 0), (p.ea ?? 0) + (p.ey ?? 0));
  return max > 0 ? lambda / max : 0;
}

/** The fista solver: kernel, JS twin, options and docs (see SolverDescriptor). */
export const fistaSolver = defineSolver<FistaOptions>({
  fn: 'fista',
  takesK: false,
  defaultTol: FISTA_DEFAULT_TOL,
  optionsHint: '{ lambda } or { lambdaRatio }',
  required: { lambdaRatio: 0.1 },
  defaultMaxIter: FISTA_DEFAULT_MAX_ITER,
  param: lambdaRatio,
  js: (p, ratio) => {
    const r = fistaJs(p.matrix, p.y, { ...p, ratio });
    return { ...r, info: Float64Array.of(r.residualNorm, r.iterations, r.support.length, r.lambda, r.dualityGap, r.objective) };
  },
  // lambda scales with A^T y (2^(ea + ey)), the objective and the gap with y^2; a given lambda is reported as given
  finish: (r, q, o) => {
    const info = r.info!;
    const ea = q.ea ?? 0;
    const ey = q.ey ?? 0;
    info[INFO_EXTRA] = o.lambda ?? ldexp(info[INFO_EXTRA], ea + ey);
    info[INFO_GAP] = ldexp(info[INFO_GAP], 2 * ey);
    info[INFO_OBJECTIVE] = ldexp(info[INFO_OBJECTIVE], 2 * ey);
  },
  summary: 'FISTA for the LASSO (Beck & Teboulle 2009): min 1/2 ||A x - y||^2 + lambda ||x||_1; support = nonzeros of x',
  maxIterDoc: '10000',
  options: [
    { name: 'lambda', type: 'number', default: '—', range: 'finite, >= 0 (this or lambdaRatio)', doc: 'the l1 weight' },
    { name: 'lambdaRatio', type: 'number', default: '—', range: 'in [0, 1] (this or lambda)', doc: 'lambda as a fraction of ||A^T y||_inf' },
    X0,
  ],
});

/**
 * FISTA (Beck & Teboulle 2009) for the LASSO, min 1/2 ||A x - y||^2 + lambda ||x||_1:
 * proximal gradient steps of size 1/L (L = 1.05 ||A||_2^2, the power iteration's
 * estimate with a margin) with Nesterov's momentum. The convex baseline of
 * scikit-learn's `Lasso(alpha = lambda / m, fit_intercept=False)` and PyLops' FISTA.
 *
 * Stops with 'converged' when the duality gap (dual point r min(1, lambda /
 * ||A^T r||_inf)) is <= tol ||y||^2 / 2, checked every 10 iterations; else
 * 'maxIter'. 'zeroMatrix' for an all-zero A (x = 0).
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `lambda` (>= 0) or `lambdaRatio` (in [0, 1], of ||A^T y||_inf), exactly one;
 *   `tol` (default 1e-6); `maxIter` (default 10000); `x0`; `backend`.
 * @returns x (n), support (ascending nonzeros of x), residualNorm ||y - A x||,
 *   iterations, status, lambda, objective, dualityGap.
 */
export function fista(A: OperatorLike, y: ArrayLike<number>, opts: FistaOptions): FistaResult {
  const r = runSolver(fistaSolver, A, y, opts);
  const info = r.info!;
  return { ...publicResult(r), lambda: info[INFO_EXTRA], objective: info[INFO_OBJECTIVE], dualityGap: info[INFO_GAP] };
}

/** fista on every column of Y (m x p); column j equals fista(A, Y[:, j]) bit for bit (without the LASSO's extra numbers). */
export function fistaBatch(A: OperatorLike, Y: BlockLike, opts: BatchOf<FistaOptions>): BatchResult {
  return runBatch(fistaSolver, fista, A, Y, opts);
}

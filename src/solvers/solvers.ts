// Public solver functions. Each is a thin wrapper around runSolver with its spec.
import { describe } from '../core/errors.js';
import { ldexp } from '../core/matrix.js';
import { ihtJs, nihtJs } from '../js/iht.js';
import { ompJs } from '../js/omp.js';
import { cosampJs, htpJs, spJs } from '../js/pursuit.js';
import { defaultStep, OperatorLike, publicResult, runSolver, SolverSpec, userStep } from './solve.js';
import type { SolveResult, SolverOptions, WarmStartOptions } from '../core/types.js';

/** Options of omp. */
export interface OmpOptions extends Omit<SolverOptions, 'k'> {
  /**
   * Atoms to choose at most, integer in [1, min(m, n)]. May be left out when
   * `tol` is given: it then defaults to min(m, n) and the solve stops on the
   * residual alone (as scikit-learn's `orthogonal_mp` with only `tol`).
   */
  k?: number;
  /**
   * Also return the solution path (scikit-learn's `return_path`): the
   * coefficients and residual norm after each atom. Default false.
   */
  path?: boolean;
}

/** OMP's solution path: after t = 1..iterations atoms. */
export interface OmpPath {
  /** The atoms in the order chosen (length = iterations). */
  atoms: Int32Array;
  /**
   * coefs[t - 1] (length t): the least-squares coefficients of atoms[0..t) after
   * t atoms, i.e. x after t steps is coefs[t - 1][i] at atoms[i] and zero elsewhere.
   */
  coefs: Float64Array[];
  /** ||y - A x|| after each atom (length = iterations; the last is residualNorm). */
  residualNorms: Float64Array;
}

/** What omp returns: a SolveResult, with `path` when asked for. */
export interface OmpResult extends SolveResult {
  path?: OmpPath;
}

/** Values of the path output at k: k residual norms, k atoms, k(k+1)/2 coefficients. */
const pathLength = (k: number) => 2 * k + (k * (k + 1)) / 2;

const ompSpec: SolverSpec<OmpOptions & SolverOptions> = {
  fn: 'omp',
  wasm: 'omp',
  defaultMaxIter: (_m, _n, k) => k,
  warmStart: false,
  kFromTol: true,
  params: () => [0, 0],
  extraOutput: (p, o) => (checkBool('omp', 'path', o.path) ? pathLength(p.k) : 0),
  extraWhole: true,
  // residual norms scale by 2^ey, coefficients by 2^(ey - ea), the atoms not at all
  unscaleExtra: (e, ea, ey) => {
    const k = (Math.sqrt(8 * e.length + 25) - 5) / 2; // inverse of pathLength
    for (let i = 0; i < k; i++) e[i] = ldexp(e[i], ey);
    for (let i = 2 * k; i < e.length; i++) e[i] = ldexp(e[i], ey - ea);
  },
  js: (p, _p1, _p2, extraLen) => ompJs(p.matrix, p.y, p.k, p.tol, extraLen),
};

/** A boolean option (undefined is false). */
function checkBool(fn: string, name: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new TypeError(`${fn}: ${name} must be true or false, received ${describe(v)}`);
  return v;
}

/**
 * Orthogonal Matching Pursuit.
 *
 * Each step picks the atom j maximising |a_j^T r| / ||a_j|| (on unit-norm
 * columns: scikit-learn's rule), never one already chosen nor a zero column,
 * then refits by least squares (incremental Householder QR).
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `k` (1..min(m,n)): atoms to choose, required unless `tol` is given
 *   (then min(m, n)); `tol` (default 0): stop once ||r|| <= tol ||y||; `path`
 *   (default false): also return the coefficients and residual norm after each
 *   atom, read off the same QR (the coefficients after t atoms solve the leading
 *   t x t triangle of R against the first t entries of Q^T y); `backend` ('wasm'
 *   default, or 'js'); `out`.
 * @returns x (n), support (ascending), residualNorm, iterations (= atoms chosen),
 *   status: 'converged' (k atoms, tol met, or residual orthogonal to every atom)
 *   or 'premature' (the next atom was linearly dependent on the chosen ones);
 *   `path` when asked for.
 */
export function omp(A: OperatorLike, y: ArrayLike<number>, opts: OmpOptions): OmpResult {
  const r = runSolver(ompSpec, A, y, opts);
  const out: OmpResult = publicResult(r);
  if (r.extraOut) {
    const e = r.extraOut;
    const k = (Math.sqrt(8 * e.length + 25) - 5) / 2;
    const t = r.iterations;
    out.path = {
      atoms: Int32Array.from(e.subarray(k, k + t)),
      coefs: Array.from({ length: t }, (_, s) => e.slice(2 * k + (s * (s + 1)) / 2, 2 * k + ((s + 1) * (s + 2)) / 2)),
      residualNorms: e.slice(0, t),
    };
  }
  return out;
}

// ------------------------------------------------------- greedy / thresholding

/** A step size: a finite number > 0. */
function checkStep(fn: string, v: unknown): number {
  const msg = `${fn}: mu must be a finite number > 0, received ${describe(v)}`;
  if (typeof v !== 'number') throw new TypeError(msg);
  if (!Number.isFinite(v) || !(v > 0)) throw new RangeError(msg);
  return v;
}

/**
 * Default iteration cap of IHT and NIHT. At mu = 1/||A||^2 IHT contracts by
 * about 1 - sigma_min(A_S)^2/||A||^2 per step on the final support (0.90 for a
 * unit-column Gaussian A with m = n/2, k = m/16), so meeting the 1e-12
 * fixed-point test takes a few hundred steps; 1000 leaves room for the support
 * search before that. NIHT usually needs far fewer.
 */
export const IHT_DEFAULT_MAX_ITER = 1000;
/**
 * Default iteration cap of HTP, CoSaMP and SP. Their supports settle in a
 * handful of passes on problems they can solve (Foucart's bound for HTP is
 * linear in k, in practice well under 20); 100 passes bound the cost when they
 * cycle (e.g. CoSaMP on noisy data, where its support may keep changing).
 */
export const PURSUIT_DEFAULT_MAX_ITER = 100;

/** Options of iht. */
export interface IhtOptions extends WarmStartOptions {
  /**
   * Step size, finite and > 0. Default 1/||A||_2^2 (power iteration, computed
   * once per matrix and cached on it), under which IHT converges; larger steps
   * may diverge.
   */
  mu?: number;
}

const ihtSpec: SolverSpec<IhtOptions> = {
  fn: 'iht',
  wasm: 'iht',
  defaultMaxIter: () => IHT_DEFAULT_MAX_ITER,
  warmStart: true,
  params: (p, o) => [o.mu === undefined ? defaultStep(p) : userStep(p, checkStep('iht', o.mu)), 0],
  js: (p, mu) => ihtJs(p.matrix, p.y, p.k, p.tol, p.maxIter, mu, p.x0),
};

/**
 * Iterative Hard Thresholding: x <- H_k(x + mu A^T (y - A x)), where H_k keeps
 * the k entries of largest magnitude (ties: lowest index).
 *
 * Stops with 'converged' once ||y - A x|| <= tol ||y||, or at a fixed point:
 * the support is unchanged and ||x_new - x|| <= 1e-12 ||x_new|| (about the
 * rounding noise of one step); otherwise 'maxIter'.
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `k` (required, integer in [1, min(m, n)]); `mu` (step, finite > 0,
 *   default 1/||A||_2^2); `x0` (warm start, length n, default 0); `tol` (in [0, 1],
 *   default 0); `maxIter` (integer >= 1, default 1000); `backend` ('wasm' or 'js');
 *   `out` (Float64Array(n) for x).
 * @returns x (n, exactly zero off the support), support (ascending nonzeros of x,
 *   at most k), residualNorm = ||y - A x||, iterations (steps taken), status
 *   ('converged' or 'maxIter').
 */
export function iht(A: OperatorLike, y: ArrayLike<number>, opts: IhtOptions): SolveResult {
  return publicResult(runSolver(ihtSpec, A, y, opts));
}

/** Options of niht. */
export interface NihtOptions extends WarmStartOptions {}

const nihtSpec: SolverSpec<NihtOptions> = {
  fn: 'niht',
  wasm: 'niht',
  defaultMaxIter: () => IHT_DEFAULT_MAX_ITER,
  warmStart: true,
  params: () => [0, 0],
  js: (p) => nihtJs(p.matrix, p.y, p.k, p.tol, p.maxIter, p.x0),
};

/**
 * Normalized Iterative Hard Thresholding (Blumensath & Davies 2010): IHT with
 * the step mu = ||g_G||^2 / ||A_G g_G||^2 chosen on the current support G
 * (g = A^T r). When the thresholded step changes the support it is accepted
 * only if mu <= (1 - c) ||x_new - x||^2 / ||A (x_new - x)||^2; otherwise mu is
 * halved (mu / (kappa (1 - c)) with c = 0.01, kappa = 2/(1 - c)) and the step
 * recomputed. The first support is the top k of A^T y (x0 zero or absent), or
 * the nonzeros among the k largest |x0_j|.
 *
 * Stops as iht does: 'converged' on tol or a fixed point, else 'maxIter'.
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `k` (required, integer in [1, min(m, n)]); `x0` (warm start, length n,
 *   default 0); `tol` (in [0, 1], default 0); `maxIter` (integer >= 1, default
 *   1000); `backend`; `out`.
 * @returns x (n), support (ascending nonzeros of x, at most k), residualNorm,
 *   iterations (steps taken), status ('converged' or 'maxIter').
 */
export function niht(A: OperatorLike, y: ArrayLike<number>, opts: NihtOptions): SolveResult {
  return publicResult(runSolver(nihtSpec, A, y, opts));
}

/** Options of htp. */
export interface HtpOptions extends WarmStartOptions {
  /** Step of the support proxy x + mu A^T r, finite and > 0. Default 1 (Foucart's HTP). */
  mu?: number;
}

const htpSpec: SolverSpec<HtpOptions> = {
  fn: 'htp',
  wasm: 'htp',
  defaultMaxIter: () => PURSUIT_DEFAULT_MAX_ITER,
  warmStart: true,
  params: (p, o) => [userStep(p, o.mu === undefined ? 1 : checkStep('htp', o.mu)), 0],
  js: (p, mu) => htpJs(p.matrix, p.y, p.k, p.tol, p.maxIter, mu, p.x0),
};

/**
 * Hard Thresholding Pursuit (Foucart 2011): the support S is the k largest
 * entries of x + mu A^T (y - A x); x is the least-squares fit on S
 * (incremental Householder QR).
 *
 * Stops with 'converged' when S repeats or ||y - A x|| <= tol ||y||; with
 * 'premature' when a column of S is linearly dependent on the others (it is
 * skipped in the fit, so x stays finite and its entry is 0); else 'maxIter'.
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `k` (required, integer in [1, min(m, n)]); `mu` (finite > 0, default 1);
 *   `x0` (warm start, length n, default 0); `tol` (in [0, 1], default 0); `maxIter`
 *   (integer >= 1, default 100); `backend`; `out`.
 * @returns x (n), support (ascending nonzeros of x, at most k), residualNorm,
 *   iterations (passes, including the one that saw S repeat), status.
 */
export function htp(A: OperatorLike, y: ArrayLike<number>, opts: HtpOptions): SolveResult {
  return publicResult(runSolver(htpSpec, A, y, opts));
}

/** Options of cosamp. */
export interface CosampOptions extends WarmStartOptions {}

const cosampSpec: SolverSpec<CosampOptions> = {
  fn: 'cosamp',
  wasm: 'cosamp',
  defaultMaxIter: () => PURSUIT_DEFAULT_MAX_ITER,
  warmStart: true,
  params: () => [0, 0],
  js: (p) => cosampJs(p.matrix, p.y, p.k, p.tol, p.maxIter, p.x0),
};

/**
 * CoSaMP (Needell & Tropp 2009): merge the largest entries of the proxy
 * A^T r with the current support T, fit by least squares on the merged set,
 * keep the k largest coefficients (x is those coefficients, not refitted),
 * update r = y - A x. The merged set has at most 3k columns and never more
 * than m: the proxy contributes its min(2k, m - |T|) largest entries. The
 * first iterate is H_k(x0) (default 0).
 *
 * Stops with 'converged' on tol or when the pruned support does not change;
 * 'premature' when a merged column is linearly dependent on the others
 * (skipped in the fit); else 'maxIter'.
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `k` (required, integer in [1, min(m, n)]); `x0` (length n, default 0);
 *   `tol` (in [0, 1], default 0); `maxIter` (integer >= 1, default 100); `backend`; `out`.
 * @returns x (n), support (ascending nonzeros of x, at most k), residualNorm,
 *   iterations (passes), status.
 */
export function cosamp(A: OperatorLike, y: ArrayLike<number>, opts: CosampOptions): SolveResult {
  return publicResult(runSolver(cosampSpec, A, y, opts));
}

/** Options of sp. */
export interface SpOptions extends WarmStartOptions {}

const spSpec: SolverSpec<SpOptions> = {
  fn: 'sp',
  wasm: 'sp',
  defaultMaxIter: () => PURSUIT_DEFAULT_MAX_ITER,
  warmStart: true,
  params: () => [0, 0],
  js: (p) => spJs(p.matrix, p.y, p.k, p.tol, p.maxIter, p.x0),
};

/**
 * Subspace Pursuit (Dai & Milenkovic 2009): expand the support T with the k
 * largest entries of A^T r (at most m columns in all: min(k, m - |T|) are
 * added), fit by least squares, keep the k largest coefficients, fit again on
 * them; accept the new iterate while the residual norm decreases. The first
 * support is the top k of A^T y (x0 zero or absent), or the nonzeros among the
 * k largest |x0_j|, fitted by least squares.
 *
 * Stops with 'converged' when the residual norm does not decrease (the
 * previous iterate is returned) or on tol; 'premature' when a column in a fit
 * is linearly dependent on the others (skipped); else 'maxIter'.
 *
 * @param A m x n (Matrix, rows as number[][], or a resident Operator)
 * @param y m measurements
 * @param opts `k` (required, integer in [1, min(m, n)]); `x0` (length n, default 0);
 *   `tol` (in [0, 1], default 0); `maxIter` (integer >= 1, default 100); `backend`; `out`.
 * @returns x (n), support (ascending nonzeros of x, at most k), residualNorm,
 *   iterations (passes after the first fit, including the one that stopped), status.
 */
export function sp(A: OperatorLike, y: ArrayLike<number>, opts: SpOptions): SolveResult {
  return publicResult(runSolver(spSpec, A, y, opts));
}

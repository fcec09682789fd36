// OMP: Orthogonal Matching Pursuit.
import { describe } from '../core/errors.js';
import { ldexp } from '../core/matrix.js';
import { ompJs } from '../js/omp.js';
import { ompOnOperator } from './omp-resident.js';
import { OperatorLike, publicResult, runSolver } from './solve.js';
import { defineSolver } from './descriptor.js';
import type { SolveResult, SolverOptions } from '../core/types.js';

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
/** The k of a path output of length len (inverse of pathLength). */
const pathK = (len: number) => (Math.sqrt(8 * len + 25) - 5) / 2;

/** A boolean option (undefined is false). */
function checkBool(fn: string, name: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new TypeError(`${fn}: ${name} must be true or false, received ${describe(v)}`);
  return v;
}

/** The omp solver: kernel, JS twin, options and docs (see SolverDescriptor). */
export const ompSolver = defineSolver<OmpOptions & SolverOptions>({
  fn: 'omp',
  defaultMaxIter: (_m, _n, k) => k,
  warmStart: false,
  kFromTol: true,
  extraOutput: (p, o) => (checkBool('omp', 'path', o.path) ? pathLength(p.k) : 0),
  extraWhole: true,
  // residual norms scale by 2^ey, coefficients by 2^(ey - ea), the atoms not at all
  unscaleExtra: (e, ea, ey) => {
    const k = pathK(e.length);
    for (let i = 0; i < k; i++) e[i] = ldexp(e[i], ey);
    for (let i = 2 * k; i < e.length; i++) e[i] = ldexp(e[i], ey - ea);
  },
  js: (p, _param, extraLen) => ompJs(p.matrix, p.y, { ...p, pathLen: extraLen }),
  // a resident operator's own path (f32 copy, Gram matrix) when no path output is asked for
  wasmRun: (p, extraLen) => (extraLen > 0 ? null : ompOnOperator(p)),
  summary: 'Orthogonal Matching Pursuit: greedy atom selection with least-squares refits (incremental QR)',
  maxIterDoc: 'k',
  options: [
    { name: 'path', type: 'boolean', default: 'false', range: 'true or false', doc: 'also return the atoms in order and the coefficients and residual norm after each atom' },
  ],
  leastSquares: true,
  batch: 'ompBatch',
});

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
  const r = runSolver(ompSolver, A, y, opts);
  const out: OmpResult = publicResult(r);
  if (r.extraOut) {
    const e = r.extraOut;
    const k = pathK(e.length);
    const t = r.iterations;
    out.path = {
      atoms: Int32Array.from(e.subarray(k, k + t)),
      coefs: Array.from({ length: t }, (_, s) => e.slice(2 * k + (s * (s + 1)) / 2, 2 * k + ((s + 1) * (s + 2)) / 2)),
      residualNorms: e.slice(0, t),
    };
  }
  return out;
}

// What one solver is, in one place: its kernel and JS twin (SolverSpec), its
// own options with their types, defaults, ranges and how they scale with A,
// and the documentation the API table, the CLI flags and the fuzz tests are
// generated from.
import { describe } from '../core/errors.js';
import type { SolverOptions } from '../core/types.js';
import type { SolverSpec } from './solve.js';

/** A solver-specific option (the common ones, k, tol, maxIter, backend and out, are the same for all). */
export interface OptionSpec {
  /** The option's name in the options object (and `--name` on the command line). */
  name: string;
  /**
   * 'step': a finite number > 0, scaled by 2^(2e) when A is rescaled by 2^e
   * internally (steps multiply A^T r); 'vector': a Float64Array or number[] of
   * length n (on the command line: a file); 'init': SEA's start ('zero', a
   * vector of length n, or a solver name); 'boolean'.
   */
  type: 'step' | 'vector' | 'init' | 'boolean';
  /** The default, as documented. */
  default: string;
  /** The valid values, as documented. */
  range: string;
  /** One line for the docs. */
  doc: string;
}

/** A solver: the common path's spec plus what docs, CLI and tests derive from. */
export interface SolverDescriptor<O extends SolverOptions = SolverOptions> extends SolverSpec<O> {
  /** One line for the API table. */
  summary: string;
  /** The default iteration cap, as documented (e.g. 'k', '1000', '11 k'). */
  maxIterDoc: string;
  /** Options beyond the common ones. */
  options: readonly OptionSpec[];
  /** Whether the returned x is the least-squares fit on its support. */
  leastSquares: boolean;
  /** The batch kernel: 'ompBatch' (Batch-OMP, from the Gram matrix or plain) or 'columns' (the solver's own kernel on each column, A resident once). */
  batch: 'ompBatch' | 'columns';
}

/** The warm start option of every solver that takes one. */
export const X0: OptionSpec = { name: 'x0', type: 'vector', default: 'zero', range: 'length n, finite', doc: 'warm start' };

/** A step size: a finite number > 0 (TypeError / RangeError naming fn and `mu`). */
export function checkStep(fn: string, v: unknown): number {
  const msg = `${fn}: mu must be a finite number > 0, received ${describe(v)}`;
  if (typeof v !== 'number') throw new TypeError(msg);
  if (!Number.isFinite(v) || !(v > 0)) throw new RangeError(msg);
  return v;
}

/**
 * Default move cap of OMPR and ELS: k additions to fill the support plus 10 k
 * swaps. A support change costs O(m n); on the Gaussian and blur problems of
 * the experiments the searches stop at a fixed point after fewer than 2 k moves.
 */
export const swapCap = (_m: number, _n: number, k: number) => 11 * k;


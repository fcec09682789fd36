// What one solver is, in one place: its kernel and JS twin (SolverSpec), its
// own options with their types, defaults, ranges and how they scale with A,
// and the documentation the API table, the CLI flags and the fuzz tests are
// generated from.
import { describe } from '../core/errors.js';
import type { SolverKernel, SolverSpec, SpecOptions } from './solve.js';

/** A solver-specific option (the common ones, k (unless the solver takes none), tol, maxIter, backend and out, are the same for all). */
export interface OptionSpec {
  /** The option's name in the options object (and `--name` on the command line). */
  name: string;
  /**
   * 'step': a finite number > 0, scaled by 2^(2e) when A is rescaled by 2^e
   * internally (steps multiply A^T r); 'vector': a Float64Array or number[] of
   * length n (on the command line: a file); 'init': SEA's start ('zero', a
   * vector of length n, or a solver name); 'boolean'; 'number': a finite
   * number the solver checks against `range` (not rescaled).
   */
  type: 'step' | 'vector' | 'init' | 'boolean' | 'number';
  /** The default, as documented. */
  default: string;
  /** The valid values, as documented. */
  range: string;
  /** One line for the docs. */
  doc: string;
}

/** A solver: the common path's spec plus what docs, CLI and tests derive from. */
export interface SolverDescriptor<O extends SpecOptions = SpecOptions> extends SolverSpec<O> {
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
  /**
   * Solver-specific options every call must give, with a typical value (e.g.
   * fista's `{ lambdaRatio: 0.1 }`); tests and benchmarks build their calls
   * from it (optionsFor in registry.ts). Absent: none beyond k.
   */
  required?: Readonly<Record<string, unknown>>;
}

/** What a solver file writes; defineSolver fills in the rest. */
export type SolverDefinition<O extends SpecOptions> =
  Pick<SolverDescriptor<O>, 'fn' | 'js' | 'summary' | 'maxIterDoc'>
  & Partial<Omit<SolverDescriptor<O>, 'defaultMaxIter'>>
  & { defaultMaxIter: number | SolverDescriptor<O>['defaultMaxIter'] };

/**
 * A descriptor from what differs per solver. Defaults: the kernel named as the
 * solver, a warm start `x0` (its only own option), no kernel parameter, x not
 * refitted by least squares, batches through the solver's own kernel column
 * by column; a number as defaultMaxIter is a fixed cap.
 */
export function defineSolver<O extends SpecOptions>(d: SolverDefinition<O>): SolverDescriptor<O> {
  const cap = d.defaultMaxIter;
  return {
    wasm: d.fn as SolverKernel,
    warmStart: true,
    options: [X0],
    leastSquares: false,
    batch: 'columns',
    ...d,
    defaultMaxIter: typeof cap === 'number' ? () => cap : cap,
  };
}

/** The smallest valid options of solver `d`: `{ k }` (unless it takes no k) plus its required options. */
export function baseOptions(d: Pick<SolverDescriptor, 'takesK' | 'required'>, k: number): Record<string, unknown> {
  return d.takesK === false ? { ...d.required } : { k, ...d.required };
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


// Every public solver by name, for the CLI, the report and the benchmarks.
import type { OperatorLike } from './solve.js';
import type { SolveResult, SolverOptions } from '../core/types.js';
import { omp } from './solvers.js';
import { cosamp, htp, iht, niht, sp } from './solvers.js';
import { els, ompr, sea } from './sea.js';

/** A solver as the CLI, report and benches call it. */
export type SolverFn = (A: OperatorLike, y: ArrayLike<number>, opts: SolverOptions) => SolveResult;

/** Solvers by name (insertion order is display order). */
export const SOLVERS: Record<string, SolverFn> = {
  omp,
  iht,
  niht,
  htp,
  cosamp,
  sp,
};
SOLVERS.ompr = ompr;
SOLVERS.els = els;
SOLVERS.sea = sea;

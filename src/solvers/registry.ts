// Every solver by name: the public functions (for the CLI, the report, the
// benchmarks and solveBatch) and their descriptors (for validation, docs, CLI
// flags and tests). Adding a solver: its file in src/solvers/ and one line in
// each list below (docs/architecture.md has the recipe).
import type { OperatorLike } from './solve.js';
import type { SolveResult, SolverOptions } from '../core/types.js';
import { baseOptions, SolverDescriptor } from './descriptor.js';
import { omp, ompSolver } from './omp.js';
import { iht, ihtSolver } from './iht.js';
import { niht, nihtSolver } from './niht.js';
import { htp, htpSolver } from './htp.js';
import { cosamp, cosampSolver } from './cosamp.js';
import { sp, spSolver } from './sp.js';
import { ompr, omprSolver } from './ompr.js';
import { els, elsSolver } from './els.js';
import { sea, seaSolver } from './sea.js';
import { fista, fistaSolver } from './fista.js';

/** A solver as the CLI, report and benches call it. */
export type SolverFn = (A: OperatorLike, y: ArrayLike<number>, opts: SolverOptions) => SolveResult;

/** The solvers (insertion order is display order). Only function declarations are read here, so import cycles are harmless. */
const TABLE = {
  omp: omp as SolverFn,
  iht: iht as SolverFn,
  niht: niht as SolverFn,
  htp: htp as SolverFn,
  cosamp: cosamp as SolverFn,
  sp: sp as SolverFn,
  ompr: ompr as SolverFn,
  els: els as SolverFn,
  sea: sea as SolverFn,
  fista: fista as unknown as SolverFn,
} satisfies Record<string, SolverFn>;

/** The name of a solver: 'omp', 'iht', ... */
export type SolverName = keyof typeof TABLE;

/** Solvers by name, for lookups by a name read at run time (check it with isSolverName). */
export const SOLVERS: Readonly<Record<string, SolverFn>> = TABLE;

/** The solver names, in display order. */
export const SOLVER_NAMES = Object.keys(TABLE) as SolverName[];

/** True when `name` names a solver. */
export function isSolverName(name: unknown): name is SolverName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SOLVERS, name);
}

/** The descriptor of solver `name`. */
export function descriptorOf(name: SolverName): SolverDescriptor {
  return solverDescriptors().find((s) => s.fn === name)!;
}

/** The smallest valid options of solver `name` at sparsity k (no k for a solver that takes none; its required options), plus `extra`. */
export function optionsFor(name: SolverName, k: number, extra: Record<string, unknown> = {}): SolverOptions & Record<string, unknown> {
  return { ...baseOptions(descriptorOf(name), k), ...extra } as unknown as SolverOptions & Record<string, unknown>;
}

/** Every solver's descriptor, in display order (built on first use: the solver modules may still be loading when this one is). */
export function solverDescriptors(): readonly SolverDescriptor[] {
  const all = [ompSolver, ihtSolver, nihtSolver, htpSolver, cosampSolver, spSolver, omprSolver, elsSolver, seaSolver, fistaSolver] as unknown as SolverDescriptor[];
  return all;
}

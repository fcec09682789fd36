// The solvers the SEA experiments compare, by name: every registered solver
// ('omp', 'iht', 'htp', 'els', 'ompr', ...) with its defaults, plus SEA
// variants 'sea_0' (X^0 = 0) and 'sea_<solver>' (warm-started by <solver>).
import type { OperatorLike } from '../solvers/solve.js';
import { SOLVERS } from '../solvers/registry.js';
import { sea } from '../solvers/sea.js';
import type { SolveResult } from '../core/types.js';

export interface Variant {
  /** Name in the JSON and tables, e.g. 'sea_omp'. */
  name: string;
  /** Legend label, e.g. 'SEA_OMP'. */
  label: string;
  solve(A: OperatorLike, y: Float64Array, k: number): SolveResult;
}

/** Legend label of a variant name. */
export function variantLabel(name: string): string {
  if (name === 'sea_0') return 'SEA_0';
  if (name.startsWith('sea_')) return `SEA_${name.slice(4).toUpperCase()}`;
  return name.toUpperCase();
}

/** True when the variant can run with the solvers registered in this build. */
export function variantAvailable(name: string): boolean {
  if (name === 'sea_0') return 'sea' in SOLVERS;
  if (name.startsWith('sea_')) return 'sea' in SOLVERS && name.slice(4) in SOLVERS && name.slice(4) !== 'sea';
  return name in SOLVERS;
}

/**
 * The variants `names` (each must be available), SEA variants capped at
 * `seaMaxIter` iterations.
 */
export function variants(names: readonly string[], seaMaxIter: number): Variant[] {
  return names.map((name) => {
    if (!variantAvailable(name)) throw new RangeError(`experiments: the solver variant must be one available in this build, received '${name}'`);
    const label = variantLabel(name);
    if (name.startsWith('sea_')) {
      const init = name === 'sea_0' ? 'zero' : name.slice(4);
      return { name, label, solve: (A, y, k) => sea(A, y, { k, init, maxIter: seaMaxIter }) };
    }
    const f = SOLVERS[name];
    return { name, label, solve: (A, y, k) => f(A, y, { k }) };
  });
}

/** Splits wanted names into those available here and those skipped. */
export function availableVariants(wanted: readonly string[]): { names: string[]; skipped: string[] } {
  return { names: wanted.filter(variantAvailable), skipped: wanted.filter((n) => !variantAvailable(n)) };
}

/** Formats rows of cells as an aligned plain-text table. */
export function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

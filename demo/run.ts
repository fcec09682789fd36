// Running a solver for the demo: timing, residual history, support check.
import type { Problem } from '../src/data/problems.js';
import { optionsFor, SOLVERS, type SolverName } from '../src/solvers/registry.js';
import type { Backend, SolveResult } from '../src/core/types.js';

export interface Timed {
  result: SolveResult;
  /** Mean milliseconds per solve. */
  ms: number;
  reps: number;
}

/** Minimum total time a timing runs for, so that ms-scale timer resolution does not dominate. */
const MIN_TIMING_MS = 30;
/** Repetition cap for very fast solves. */
const MAX_REPS = 500;

/** Solver `name` on problem p at sparsity k (its own valid options: no k for a solver that takes none), plus `extra`. */
export function runSolver(name: SolverName, p: Problem, k: number, backend: Backend, extra: Record<string, unknown> = {}): SolveResult {
  return SOLVERS[name](p.A, p.y, optionsFor(name, k, { backend, ...extra }));
}

/** Runs a solve repeatedly for at least MIN_TIMING_MS and reports the mean time per solve. */
export function timeSolve(name: SolverName, p: Problem, k: number, backend: Backend): Timed {
  let result = runSolver(name, p, k, backend); // warm-up (JIT, scratch buffers, cached norms)
  let reps = 0;
  const t0 = performance.now();
  do {
    result = runSolver(name, p, k, backend);
    reps++;
  } while (performance.now() - t0 < MIN_TIMING_MS && reps < MAX_REPS);
  return { result, ms: (performance.now() - t0) / reps, reps };
}

/** Most points a residual history shows (each point is one re-run). */
const HISTORY_POINTS = 60;

/**
 * ||y - A x_t|| after t iterations, t = 1..T (T = the full run's iteration
 * count): each point re-runs the solver from scratch with maxIter = t (solvers
 * start from zero, so this is exactly its t-th iterate). Solvers that ignore
 * maxIter (OMP: one atom per iteration) are re-run with k = t instead. At most
 * HISTORY_POINTS values of t, spread geometrically.
 */
export function residualHistory(name: SolverName, p: Problem, k: number, backend: Backend, full: SolveResult): { t: number[]; r: number[] } {
  const T = Math.max(1, full.iterations);
  const ts: number[] = [];
  if (T <= HISTORY_POINTS) for (let t = 1; t <= T; t++) ts.push(t);
  else {
    for (let i = 0; i < HISTORY_POINTS; i++) ts.push(Math.round(Math.exp((Math.log(T) * i) / (HISTORY_POINTS - 1))));
  }
  const uniq = [...new Set(ts)];
  const probe = runSolver(name, p, k, backend, { maxIter: 1 });
  const byK = probe.iterations > 1; // maxIter ignored: grow k instead
  const t: number[] = [0];
  const r: number[] = [Math.hypot(...p.y)];
  for (const s of uniq) {
    const res = byK ? runSolver(name, p, Math.min(s, k), backend) : runSolver(name, p, k, backend, { maxIter: s });
    t.push(s);
    r.push(res.residualNorm);
  }
  return { t, r };
}

/** ||a - b|| / ||b||. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-300));
}

/** Whether two supports are the same set. */
export function sameSupport(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const sa = Array.from(a).sort((u, v) => u - v).join();
  const sb = Array.from(b).sort((u, v) => u - v).join();
  return sa === sb;
}

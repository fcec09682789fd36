// The demo table: one random problem solved by every solver on both backends.
import { gaussianProblem } from '../data/problems.js';
import type { SolveResult } from '../core/types.js';
import { optionsFor, SOLVERS, SolverName } from '../solvers/registry.js';
import { boxPlot, PALETTE } from '../plot/svg.js';

/** One row of the demo table. */
export interface DemoRow {
  solver: string;
  backend: 'wasm' | 'js';
  supportFound: number;
  k: number;
  exact: boolean;
  relError: number;
  /** Median milliseconds per solve over the repetitions. */
  ms: number;
  status: string;
  /** Milliseconds of each timed repetition (for the report's box plot). */
  samples: number[];
}

/** Solves one seeded Gaussian problem with every registered solver, WASM and JS. */
export function demoTable(o: { m: number; n: number; k: number; seed: number; sigma?: number }): DemoRow[] {
  const p = gaussianProblem({ m: o.m, n: o.n, k: o.k, seed: o.seed, sigma: o.sigma ?? 0 });
  const truth = new Set(p.support);
  const xn = Math.hypot(...p.x);
  const rows: DemoRow[] = [];
  for (const [name, solve] of Object.entries(SOLVERS)) {
    for (const backend of ['wasm', 'js'] as const) {
      const opts = optionsFor(name as SolverName, o.k, { backend });
      solve(p.A, p.y, opts); // warm-up: first-call compilation, scratch buffers, cached norms
      const t0 = performance.now();
      let r: SolveResult | null = null;
      let reps = 0;
      const samples: number[] = [];
      do {
        const t1 = performance.now();
        r = solve(p.A, p.y, opts);
        samples.push(performance.now() - t1);
        reps++;
      } while (performance.now() - t0 < 20 && reps < 1000);
      // the median repetition: robust to garbage collection and JIT tier-up pauses
      const sorted = [...samples].sort((a, b) => a - b);
      const ms = sorted[Math.floor((sorted.length - 1) / 2)];
      let err = 0;
      for (let i = 0; i < p.x.length; i++) err += (r.x[i] - p.x[i]) ** 2;
      const found = Array.from(r.support).filter((j) => truth.has(j)).length;
      rows.push({
        solver: name,
        backend,
        supportFound: found,
        k: o.k,
        exact: found === o.k && r.support.length === o.k,
        relError: Math.sqrt(err) / xn,
        ms,
        status: r.status,
        samples,
      });
    }
  }
  return rows;
}

/** Formats demo rows as a plain-text table. */
export function formatDemo(rows: DemoRow[]): string {
  const head = ['solver', 'backend', 'support found', 'rel. error', 'median ms/solve', 'status'];
  const body = rows.map((r) => [r.solver, r.backend, `${r.supportFound}/${r.k}`, r.relError.toExponential(2), r.ms.toFixed(3), r.status]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/**
 * A box plot of the per-repetition times of every solver and backend (log scale):
 * the two backends of a solver side by side under one label, one legend entry per
 * backend, 900 px wide (the report scales it down on narrower pages).
 */
export function demoFigure(rows: DemoRow[], size: { m: number; n: number; k: number }): string {
  const colour = (b: string) => (b === 'wasm' ? PALETTE[0] : PALETTE[1]);
  return boxPlot({
    title: `time per solve, WASM vs JS (m=${size.m}, n=${size.n}, k=${size.k})`,
    yLabel: 'ms per solve',
    yLog: true,
    groups: rows.map((r) => ({ name: `${r.solver} ${r.backend}`, values: r.samples, color: colour(r.backend) })),
    // rows come in solver order, WASM then JS: name the solver once, under its first box
    tickLabel: (i) => (i > 0 && rows[i - 1].solver === rows[i].solver ? '' : rows[i].solver),
    legend: [...new Set(rows.map((r) => r.backend))].map((b) => ({ name: b === 'wasm' ? 'WASM' : 'JS', color: colour(b) })),
    width: 900,
  });
}

/** One line on the timing figure: the WASM/JS ratio of median times, over the solvers. */
export function demoReading(rows: DemoRow[]): string {
  const ratios: { solver: string; r: number }[] = [];
  for (const w of rows) {
    const j = rows.find((x) => x.solver === w.solver && x.backend === 'js');
    if (w.backend === 'wasm' && j && w.ms > 0) ratios.push({ solver: w.solver, r: j.ms / w.ms });
  }
  if (ratios.length === 0) return 'no solver ran on both backends.';
  ratios.sort((a, b) => a.r - b.r);
  const lo = ratios[0];
  const hi = ratios[ratios.length - 1];
  const faster = ratios.filter((x) => x.r > 1).length;
  const f = (v: number) => `${v.toFixed(1)}x`;
  return `WASM is faster than the JS twin for ${faster} of ${ratios.length} solvers (median time per solve, in this process): from ${f(lo.r)} (${lo.solver}) to ${f(hi.r)} (${hi.solver}).`;
}

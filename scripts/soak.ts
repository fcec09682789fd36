// Memory soak: many solves of mixed sizes and solvers on the WASM backend,
// with operators created and disposed in between. Checks that WASM memory
// (memory.buffer.byteLength) stops growing after the warm-up, that every
// buffer the facade allocates is freed (live bytes back to the baseline),
// and that the last solves give bit-for-bit the results of the first on the
// same inputs. `npm run soak` runs the full size (100 000 solves, 1000
// operator cycles); test/soak.test.ts a shortened one.
import { pathToFileURL } from 'node:url';
import { init, Matrix, memoryBytes, Operator } from '../src/index.js';
import { gaussianProblem } from '../src/data/problems.js';
import { optionsFor, SOLVERS, SolverName } from '../src/solvers/registry.js';
import { Rng } from '../src/core/random.js';
import type { SolveResult } from '../src/core/types.js';
import { liveBytes } from '../src/core/wasm.js';

export interface SoakOptions {
  /** Solves after the warm-up (default 100 000). */
  solves?: number;
  /** Operator create / solve / dispose cycles, spread over the solves (default 1000). */
  operatorCycles?: number;
  /** Seed of the problems and of the order (default 1). */
  seed?: number;
  /** Progress lines (default: none). */
  log?: (s: string) => void;
}

export interface SoakReport {
  solves: number;
  operatorCycles: number;
  /** WASM memory after the warm-up and at the end, in bytes. */
  memoryAfterWarmup: number;
  memoryAtEnd: number;
  /** Largest memory seen after the warm-up. */
  memoryMax: number;
  /** Live facade bytes (the resident operators and the scratch block) after the warm-up and at the end: equal, nothing leaks. */
  liveAfterWarmup: number;
  liveAtEnd: number;
  /** Solves whose result differed from the warm-up's on the same input (must be 0). */
  mismatches: number;
  /** Times the use of a disposed operator did not throw the documented error (must be 0). */
  useAfterDispose: number;
  seconds: number;
}

/** Problem sizes (m, n, k): tall-ish to wide, small to medium. */
const SIZES: [number, number, number][] = [[8, 16, 2], [24, 64, 4], [48, 96, 6], [40, 160, 5], [96, 256, 8], [128, 384, 10]];
/** Iteration caps that keep a solve within a few milliseconds (SEA's default 3000 would dominate). */
const CAPS: Record<string, number> = { iht: 200, niht: 100, sea: 60 };

function same(a: SolveResult, b: SolveResult): boolean {
  if (a.status !== b.status || a.iterations !== b.iterations || !Object.is(a.residualNorm, b.residualNorm)) return false;
  if (a.x.length !== b.x.length || a.support.length !== b.support.length) return false;
  for (let i = 0; i < a.x.length; i++) if (!Object.is(a.x[i], b.x[i])) return false;
  for (let i = 0; i < a.support.length; i++) if (a.support[i] !== b.support[i]) return false;
  return true;
}

/** Runs the soak; see SoakReport. Needs `await init()` (done here). */
export async function soak(o: SoakOptions = {}): Promise<SoakReport> {
  await init();
  const solves = o.solves ?? 100_000;
  const cycles = o.operatorCycles ?? 1000;
  const seed = o.seed ?? 1;
  const log = o.log ?? (() => {});
  const t0 = performance.now();
  const names = Object.keys(SOLVERS);
  const problems = SIZES.map(([m, n, k], i) => ({ ...gaussianProblem({ m, n, k, seed: seed * 1000 + i, sigma: i % 2 ? 0.05 : 0 }), k }));
  // resident operators for half of the calls (the other half copy A per call)
  const ops = problems.map((p) => Operator.dense(p.A));
  const combos: { p: number; s: string; resident: boolean }[] = [];
  problems.forEach((_, p) => names.forEach((s) => { combos.push({ p, s, resident: false }); combos.push({ p, s, resident: true }); }));
  const run = (c: { p: number; s: string; resident: boolean }) => {
    const P = problems[c.p];
    return SOLVERS[c.s](c.resident ? ops[c.p] : P.A, P.y, optionsFor(c.s as SolverName, P.k, { maxIter: CAPS[c.s] }));
  };

  // The steady state of a resident operator: OMP solves on it make the f32
  // copy of A at the first solve and the Gram matrix once they have paid for
  // it (src/solvers/omp-resident.ts), after which they run Batch-OMP from G.
  // Build G up front, so that the warm-up sees the memory and the results of
  // that steady state.
  for (const op of ops) op.gramPtr();
  // warm-up: every combination twice (the first pass sizes the scratch block and caches norms)
  const first = combos.map(run);
  combos.forEach(run);
  const cycle = (i: number) => {
    const P = problems[i % problems.length];
    const A = new Matrix(P.A.m, P.A.n, P.A.data.slice()); // a fresh matrix each time, as a user would make
    const op = Operator.dense(A);
    const s = names[i % names.length];
    const r = SOLVERS[s](op, P.y, optionsFor(s as SolverName, P.k, { maxIter: CAPS[s] }));
    op.dispose();
    let threw = false;
    try {
      SOLVERS.omp(op, P.y, { k: P.k });
    } catch (e) {
      threw = e instanceof Error && /A is a disposed Operator/.test(e.message);
    }
    return { r, threw };
  };
  cycle(0);
  const memoryAfterWarmup = memoryBytes();
  const liveAfterWarmup = liveBytes();
  let memoryMax = memoryAfterWarmup;
  log(`warm-up: ${2 * combos.length + 1} solves, WASM memory ${memoryAfterWarmup} bytes`);

  const rng = new Rng(seed);
  let mismatches = 0;
  let useAfterDispose = 0;
  const every = cycles > 0 ? Math.max(1, Math.floor(solves / cycles)) : Infinity;
  let done = 0;
  for (let t = 0; t < solves; t++) {
    const i = rng.int(combos.length);
    const r = run(combos[i]);
    // the last pass over the combinations, and a sample throughout, must repeat the warm-up bit for bit
    if (t >= solves - combos.length || t % 97 === 0) if (!same(r, first[i])) mismatches++;
    if (t % every === 0 && done < cycles) {
      const c = cycle(done++);
      if (!c.threw) useAfterDispose++;
    }
    if ((t & 1023) === 0) memoryMax = Math.max(memoryMax, memoryBytes());
    if (t % 20000 === 0 && t > 0) log(`${t} solves, ${done} operator cycles, WASM memory ${memoryBytes()} bytes`);
  }
  while (done < cycles) if (!cycle(done++).threw) useAfterDispose++;
  // the last solves of every combination, in order, equal the first
  combos.forEach((c, i) => { if (!same(run(c), first[i])) mismatches++; });
  memoryMax = Math.max(memoryMax, memoryBytes());
  const liveAtEnd = liveBytes();
  ops.forEach((op) => op.dispose());
  const report: SoakReport = {
    solves: solves + 3 * combos.length + 1,
    operatorCycles: done,
    memoryAfterWarmup,
    memoryAtEnd: memoryBytes(),
    memoryMax,
    liveAfterWarmup,
    liveAtEnd,
    mismatches,
    useAfterDispose,
    seconds: (performance.now() - t0) / 1000,
  };
  return report;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const solves = Number(process.env.SOAK_SOLVES ?? 100_000);
  const r = await soak({ solves, operatorCycles: 1000, log: (s) => console.log(s) });
  console.log(JSON.stringify(r, null, 2));
  const ok = r.memoryMax === r.memoryAfterWarmup && r.liveAtEnd === r.liveAfterWarmup && r.mismatches === 0 && r.useAfterDispose === 0;
  console.log(ok ? 'soak: ok (memory flat after warm-up, nothing leaked, results repeat)' : 'soak: FAILED');
  process.exit(ok ? 0 : 1);
}

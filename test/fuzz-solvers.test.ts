// Property-based fuzzing of every registered solver (fast-check, seeded): random
// shapes (1 x 1, tall, wide), scales from 1e-300 to 1e300, zero, duplicate and
// nearly parallel columns, NaN / +-Infinity / -0 / subnormals at random
// places, y = 0, k at and beyond its edges, tol / maxIter / step sizes at
// theirs. Each case runs on both backends. Properties:
// - either a RangeError/TypeError whose message starts with the solver's
//   name and names the argument (and the received value), or a result with
//   finite x, a support that explains x, a residualNorm equal to ||y - A x||,
//   iterations within the cap and a status that agrees with them;
// - never a WASM trap or another error class;
// - WASM and JS reject exactly the same inputs, with the same message;
// - y = 0 gives x = 0 with status 'converged'.
// `npm test` runs a bounded number of cases; `npm run fuzz` many more.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, Operator } from '../src/index.js';
import { SOLVERS, solverDescriptors } from '../src/solvers/registry.js';
import { baseOptions } from '../src/solvers/descriptor.js';
import { MAX_ITER_CAP } from '../src/solvers/solve.js';
import {
  attempt, buildMatrix, buildVector, count, errorProblems, FUZZ_SEED, matArb, MatRecipe, resultProblems, runs, SPECIALS,
  SpecialName, toRows, tried, trueResidual, vecArb, VecRecipe,
} from './fuzz/gen.js';

beforeAll(async () => {
  await init();
});

afterAll(() => {
  const total = [...tried.values()].reduce((a, b) => a + b, 0);
  console.log(`fuzz-solvers: ${total} cases (${[...tried].map(([k, v]) => `${k} ${v}`).join(', ')})`);
});

/** Arguments an error message may name. */
const ARGS = ['A', 'y', 'k', 'tol', 'maxIter', 'mu', 'eta', 'x0', 'init', 'options', 'history', 'out', 'backend'] as const;

// What each solver takes, from its descriptor (src/solvers/<name>.ts).
const DESCRIPTORS = solverDescriptors();
const DESC = Object.fromEntries(DESCRIPTORS.map((d) => [d.fn, d]));
/** Solvers with a step option, and its name. */
const STEP: Record<string, string> = Object.fromEntries(DESCRIPTORS.flatMap((d) => d.options.filter((o) => o.type === 'step').map((o) => [d.fn, o.name])));
/** Solvers whose every iterate, the first included, is a least-squares fit on its support (CoSaMP's pruned x is not refitted; IHT/NIHT take gradient steps). */
const LSQ_FIRST = new Set(DESCRIPTORS.filter((d) => d.leastSquares).map((d) => d.fn));
/** Solvers that take x0 (SEA takes its warm start as `init`). */
const WARM = new Set(DESCRIPTORS.filter((d) => d.options.some((o) => o.name === 'x0')).map((d) => d.fn));

type KChoice = 'one' | 'min' | 'mid' | 'zero' | 'over' | 'frac' | 'nan' | 'str' | 'missing';
interface OptRecipe {
  k: KChoice;
  tol: number | undefined | 'str';
  maxIter: number | undefined;
  step: number | undefined;
  x0: { kind: 'none' | 'zeros' | 'random' | 'short'; seed: number; scale: number; special: SpecialName | null };
  init: 'zero' | 'omp' | 'vector' | 'none';
  form: 'rows' | 'matrix' | 'operator' | 'disposed';
}

const optArb: fc.Arbitrary<OptRecipe> = fc.record({
  k: fc.constantFrom<KChoice>('one', 'one', 'min', 'min', 'mid', 'mid', 'mid', 'zero', 'over', 'frac', 'nan', 'str', 'missing'),
  tol: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(undefined, 0, -0, 1, 1e-300, 5e-324, 1e-8, 0.5) },
    { weight: 1, arbitrary: fc.constantFrom(-1e-300, 1 + 2 ** -52, NaN, Infinity, 'str' as const) },
  ),
  maxIter: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(undefined, undefined, 1, 2, 3, 7, 40) },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, NaN, MAX_ITER_CAP + 1) },
  ),
  step: fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: fc.constantFrom(5e-324, 1e-300, 1e-8, 0.5, 1, 3, 1e8, 1e300, Number.MAX_VALUE) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, -1, Infinity, NaN) },
  ),
  x0: fc.record({
    kind: fc.constantFrom('none', 'none', 'zeros', 'random', 'random', 'short') as fc.Arbitrary<OptRecipe['x0']['kind']>,
    seed: fc.nat(),
    scale: fc.constantFrom(0, 0, -300, -100, -8, 8, 100, 300),
    special: fc.option(fc.constantFrom(...(Object.keys(SPECIALS) as SpecialName[])), { freq: 4 }),
  }),
  init: fc.constantFrom('zero', 'omp', 'vector', 'none') as fc.Arbitrary<OptRecipe['init']>,
  form: fc.constantFrom('rows', 'rows', 'matrix', 'matrix', 'operator', 'disposed') as fc.Arbitrary<OptRecipe['form']>,
});

function kValue(c: KChoice, m: number, n: number, seed: number): unknown {
  const kmax = Math.min(m, n);
  switch (c) {
    case 'one': return 1;
    case 'min': return kmax;
    case 'mid': return 1 + (seed % kmax);
    case 'zero': return 0;
    case 'over': return kmax + 1;
    case 'frac': return 1.5;
    case 'nan': return NaN;
    case 'str': return '1';
    case 'missing': return undefined;
  }
}

function buildOptions(name: string, o: OptRecipe, m: number, n: number): Record<string, unknown> {
  const opts: Record<string, unknown> = { ...DESC[name].required };
  const k = DESC[name].takesK === false ? undefined : kValue(o.k, m, n, o.x0.seed);
  if (k !== undefined) opts.k = k;
  if (o.tol !== undefined) opts.tol = o.tol === 'str' ? '0.1' : o.tol;
  if (o.maxIter !== undefined) opts.maxIter = o.maxIter;
  if (STEP[name] && o.step !== undefined) opts[STEP[name]] = o.step;
  let x0: Float64Array | null = null;
  if (o.x0.kind !== 'none') {
    const len = o.x0.kind === 'short' ? Math.max(0, n - 1) : n;
    x0 = new Float64Array(len);
    if (o.x0.kind === 'random') x0 = buildVector({ kind: 'random', seed: o.x0.seed, scale: o.x0.scale, specials: [] }, new Float64Array(0), len, 0);
    if (o.x0.special && len > 0) x0[o.x0.seed % len] = SPECIALS[o.x0.special];
  }
  if (WARM.has(name) && x0) opts.x0 = x0;
  if (name === 'sea') {
    if (o.init === 'omp' || o.init === 'zero') opts.init = o.init;
    else if (o.init === 'vector' && x0) opts.init = x0;
    if (o.x0.seed % 3 === 0) opts.history = true;
  }
  return opts;
}

/** The iteration cap a result must respect. */
function capOf(name: string, opts: Record<string, unknown>, k: number, m: number, n: number): number {
  if (name === 'omp') return k;
  if (typeof opts.maxIter === 'number') return opts.maxIter;
  return DESC[name].defaultMaxIter(m, n, k);
}

function check(name: string, A: MatRecipe, Y: VecRecipe, O: OptRecipe): void {
  count(name);
  const solve = SOLVERS[name] as unknown as (A: unknown, y: unknown, o: unknown) => {
    x: Float64Array; support: Int32Array; residualNorm: number; iterations: number; status: string;
  };
  const a = buildMatrix(A);
  const y = buildVector(Y, a, A.m, A.n);
  const opts = buildOptions(name, O, A.m, A.n);
  let arg: unknown;
  let op: Operator | null = null;
  if (O.form === 'rows') arg = toRows(a, A.m, A.n);
  else {
    const made = attempt(() => new Matrix(A.m, A.n, a));
    if (!made.ok) {
      // the Matrix constructor is itself a public entry point
      const msg = (made.error as Error).message;
      expect(made.error instanceof RangeError, msg).toBe(true);
      expect(msg).toMatch(/^Matrix: entry \(\d+, \d+\) must be finite, received (NaN|-?Infinity)$/);
      return;
    }
    arg = made.value;
    if (O.form === 'operator' || O.form === 'disposed') {
      op = Operator.dense(made.value);
      arg = op;
      if (O.form === 'disposed') op.dispose();
    }
  }
  try {
    const w = attempt(() => solve(arg, y, opts));
    const j = attempt(() => solve(arg, y, { ...opts, backend: 'js' }));
    const where = `${name} ${A.m}x${A.n} opts ${JSON.stringify(opts, (_k, v) => (v instanceof Float64Array ? `F64[${v.length}]` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`;
    if (O.form === 'disposed') {
      // a disposed operator is refused on both backends, naming A
      for (const r of [w, j]) {
        expect(r.ok, where).toBe(false);
        if (!r.ok) expect((r.error as Error).message, where).toMatch(new RegExp(`^${name}: A is a disposed Operator`));
      }
      return;
    }
    expect(w.ok, `${where}: WASM ${w.ok ? 'accepted' : `rejected (${(w as { error: Error }).error.message})`}, JS ${j.ok ? 'accepted' : `rejected (${(j as { error: Error }).error.message})`}`).toBe(j.ok);
    if (!w.ok && !j.ok) {
      expect(errorProblems(w.error, name, ARGS), where).toEqual([]);
      expect(errorProblems(j.error, name, ARGS), where).toEqual([]);
      expect((w.error as Error).constructor, where).toBe((j.error as Error).constructor);
      expect((w.error as Error).message, where).toBe((j.error as Error).message);
      return;
    }
    if (w.ok && j.ok) {
      const k = DESC[name].takesK === false ? A.n : opts.k as number;
      const cap = capOf(name, opts, k, A.m, A.n);
      expect(resultProblems(w.value, a, A.m, A.n, y, k, cap), `${where} (wasm)`).toEqual([]);
      expect(resultProblems(j.value, a, A.m, A.n, y, k, cap), `${where} (js)`).toEqual([]);
      // every solver returns the best iterate it has seen, x = 0 included on a cold
      // start (CoSaMP's pruned x, IHT's and NIHT's gradient steps as well): never worse
      // than x = 0. A warm start need not be k-sparse, so x = 0 is no candidate there,
      // except for the solvers whose first iterate is already a least-squares fit.
      if ((opts.x0 === undefined && opts.init === undefined) || LSQ_FIRST.has(name)) {
        const ynorm = trueResidual(a, A.m, A.n, y, new Float64Array(A.n)).res;
        for (const r of [w.value, j.value]) expect(r.residualNorm, where).toBeLessThanOrEqual(ynorm * (1 + 1e-9));
      }
    }
  } finally {
    op?.dispose();
  }
}

describe.each(Object.keys(SOLVERS))('fuzz %s', (name) => {
  it('rejects bad input with a RangeError/TypeError naming the argument, or returns a finite, truthful result; WASM and JS agree', () => {
    fc.assert(fc.property(matArb(), vecArb(), optArb, (A, Y, O) => check(name, A, Y, O)), {
      seed: FUZZ_SEED + name.length * 7919 + name.charCodeAt(0),
      numRuns: runs(300),
    });
  });

  it('y = 0 (and y = -0) gives x = 0, converged, on both backends, whatever A and k', () => {
    fc.assert(fc.property(matArb(), fc.constantFrom('zero', 'negzero') as fc.Arbitrary<'zero' | 'negzero'>, fc.nat(), (A, kind, s) => {
      count(`${name}/y=0`);
      const a = buildMatrix(A);
      if (!a.every(Number.isFinite)) return; // (NaN, or a scale overflowing to Infinity: rejected, tested above)
      if (new Matrix(A.m, A.n, a).columnRangeIssue()) return; // columns 2^500 apart: rejected, tested above
      const y = buildVector({ kind, seed: s, scale: 0, specials: [] }, a, A.m, A.n);
      const k = 1 + (s % Math.min(A.m, A.n));
      for (const backend of ['wasm', 'js'] as const) {
        const r = SOLVERS[name](toRows(a, A.m, A.n), y, { ...baseOptions(DESC[name], k), backend } as never);
        expect(Array.from(r.x).every((v) => v === 0)).toBe(true);
        expect(r.status).toBe('converged');
        expect(r.residualNorm).toBe(0);
        expect(r.support.length).toBe(0);
      }
    }), { seed: FUZZ_SEED + 1 + name.charCodeAt(0), numRuns: runs(40) });
  });
});

// Property-based fuzzing of the batch forms (ompBatch on both paths,
// solveBatch for every registered solver), with the solver fuzz's
// generators: each column of Y is one of the fuzzer's right-hand sides
// (NaN, +-Infinity, -0, subnormals, 1e+-300, zero). Properties: with
// onError 'collect', the columns with a non-finite entry get status 'error'
// (and an entry in `errors` naming the column), every other column equals the
// single solve of that column (bit for bit, to rounding on Batch-OMP's Gram
// path) or is refused as the single solve is; with onError 'throw', the batch
// throws exactly when some column has a non-finite entry or the single solve
// of some column throws.
import type { SolverName } from '../src/solvers/registry.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, ompBatch, solveBatch } from '../src/index.js';
import { optionsFor, SOLVERS } from '../src/solvers/registry.js';
import { attempt, buildMatrix, buildVector, count, FUZZ_SEED, matArb, runs, toRows, tried, vecArb } from './fuzz/gen.js';

beforeAll(async () => {
  await init();
});

afterAll(() => {
  const total = [...tried.values()].reduce((a, b) => a + b, 0);
  console.log(`fuzz-batch: ${total} cases (${[...tried].map(([k, v]) => `${k} ${v}`).join(', ')})`);
});

const NAMES = Object.keys(SOLVERS);

describe('fuzz batch forms', () => {
  it('each column equals its single solve (or its refusal); non-finite columns are collected or thrown', () => {
    fc.assert(fc.property(matArb(), fc.array(vecArb(), { minLength: 1, maxLength: 4 }), fc.constantFrom(...NAMES, 'omp-gram', 'omp-plain'), fc.nat(), fc.boolean(),
      (A, Ys, solver, s, collect) => {
        count(`batch ${solver}`);
        const a = buildMatrix(A);
        if (!a.every(Number.isFinite)) return;
        const M = new Matrix(A.m, A.n, a);
        const cols = Ys.map((Y) => buildVector(Y, a, A.m, A.n));
        const Y = new Float64Array(A.m * cols.length);
        cols.forEach((c, j) => Y.set(c, j * A.m));
        const k = 1 + (s % Math.min(A.m, A.n));
        const name = solver.startsWith('omp-') ? 'omp' : solver;
        const opts: Record<string, unknown> = optionsFor(name as SolverName, k, { onError: collect ? 'collect' : 'throw' });
        if (name !== 'omp') opts.maxIter = 20;
        if (solver === 'omp-gram') opts.precompute = true;
        if (solver === 'omp-plain') opts.precompute = false;
        const single = cols.map((c) => attempt(() => SOLVERS[name](toRows(a, A.m, A.n), c, optionsFor(name as SolverName, k, name !== 'omp' ? { maxIter: 20 } : {}))));
        const batch = attempt(() => (name === 'omp' ? ompBatch(M, Y, opts as never) : solveBatch(name as SolverName, M, Y, opts as never)));
        const where = `${solver} ${A.m}x${A.n} k=${k} ${collect ? 'collect' : 'throw'}`;
        const nonFinite = cols.map((c) => !c.every(Number.isFinite));
        if (!batch.ok) {
          const e = batch.error as Error;
          expect(e instanceof RangeError || e instanceof TypeError, `${where}: ${e.constructor.name}: ${e.message}`).toBe(true);
          expect(e.message, where).toMatch(new RegExp(`^(ompBatch|solveBatch|${name}Batch|${name}): `));
          // a batch refuses only what a single solve of some column refuses (or a non-finite column, when throwing)
          expect(single.some((r) => !r.ok) || (!collect && nonFinite.some(Boolean)), `${where}: batch threw ${e.message} but every column solves`).toBe(true);
          return;
        }
        const r = batch.value;
        cols.forEach((_, j) => {
          if (nonFinite[j]) {
            expect(r.status[j], where).toBe('error');
            expect(r.errors.some((q) => q.index === j && q.message.includes(`signal ${j}`)), where).toBe(true);
            return;
          }
          const one = single[j];
          if (!one.ok) {
            // the batch must not quietly solve what the single solve refuses
            expect(r.status[j], `${where}: column ${j}: single refused (${(one.error as Error).message}), batch gave ${r.status[j]}`).toBe('error');
            return;
          }
          const x = r.X.subarray(j * A.n, (j + 1) * A.n);
          expect(x.every(Number.isFinite), `${where}: column ${j}`).toBe(true);
          if ((r as { precompute?: boolean }).precompute === true) {
            // Batch-OMP (Cholesky of G[S, S]) agrees with omp to rounding only
            expect(r.status[j], where).not.toBe('error');
          } else {
            expect(Array.from(x), `${where}: column ${j}`).toEqual(Array.from(one.value.x));
            expect(r.status[j], where).toBe(one.value.status);
          }
        });
      }), { seed: FUZZ_SEED + 71, numRuns: runs(300) });
  });
});

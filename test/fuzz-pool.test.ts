// Property-based fuzzing of the options a SolverPool call sends to its
// workers: plain data, or values structured clone refuses (functions,
// symbols, objects holding them, WeakMaps) under any key, nested or not.
// Property: a value that cannot reach a worker is refused up front with a
// TypeError naming the pool method and the option; every other call gives
// the single-thread result (or the single-thread refusal): bit for bit, OMP
// to rounding (a resident operator may switch to its Gram matrix).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, solveBatch } from '../src/index.js';
import type { SolverName } from '../src/index.js';
import { SolverPool } from '../src/parallel/pool.js';
import { Rng } from '../src/core/random.js';
import { count, FUZZ_SEED, runs, tried } from './fuzz/gen.js';

const m = 12;
const n = 30;
const A = new Matrix(m, n, new Rng(5).normals(m * n));
const Y = new Rng(6).normals(m * 2);

let pool: SolverPool;
beforeAll(async () => {
  await init();
  pool = await SolverPool.create({ workers: 1 });
});
afterAll(async () => {
  await pool.terminate();
  const total = [...tried.values()].reduce((a, b) => a + b, 0);
  console.log(`fuzz-pool: ${total} cases (${[...tried].map(([k, v]) => `${k} ${v}`).join(', ')})`);
});

type Kind = 'number' | 'string' | 'array' | 'object' | 'function' | 'symbol' | 'nestedFunction' | 'weakmap' | 'arrow';
const value = (kind: Kind): unknown => {
  switch (kind) {
    case 'number': return 0.5;
    case 'string': return 'tag';
    case 'array': return [1, 2, 3];
    case 'object': return { a: 1, b: 'x' };
    case 'function': return function onProgress() { return 1; };
    case 'arrow': return () => 2;
    case 'symbol': return Symbol('s');
    case 'nestedFunction': return { cb: { f: () => 1 } };
    case 'weakmap': return new WeakMap();
  }
};
const cloneable = (v: unknown): boolean => {
  try {
    structuredClone(v);
    return true;
  } catch {
    return false;
  }
};

describe('fuzz SolverPool options', () => {
  it('non-cloneable options are refused naming the method and option; the rest give the single-thread result', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom<SolverName>('omp', 'iht', 'htp', 'sp'),
      fc.constantFrom('onProgress', 'tag', 'meta', 'extra'),
      fc.constantFrom<Kind>('number', 'string', 'array', 'object', 'function', 'symbol', 'nestedFunction', 'weakmap', 'arrow'),
      fc.constantFrom('solveBatch', 'solve') as fc.Arbitrary<'solveBatch' | 'solve'>,
      async (solver, key, kind, method) => {
        count(`pool ${method}`);
        const v = value(kind);
        const opts = { k: 3, [key]: v } as { k: number };
        const where = `${method} ${solver} ${key}=${kind}`;
        const call = method === 'solveBatch' ? pool.solveBatch(solver, A, Y, opts) : pool.solve(solver, A, Y.subarray(0, m), opts);
        if (!cloneable(v)) {
          const e = await call.then(() => null, (err: unknown) => err);
          expect(e, `${where}: accepted`).toBeInstanceOf(TypeError);
          expect((e as Error).message, where).toMatch(new RegExp(`^SolverPool\\.${method}: option ${key} cannot be sent to a worker`));
          return;
        }
        const single = (() => {
          try {
            return { ok: true as const, r: solveBatch(solver, A, method === 'solve' ? Y.subarray(0, m) : Y, opts) };
          } catch (err) {
            return { ok: false as const, err: err as Error };
          }
        })();
        const got = await call.then((r) => ({ ok: true as const, r }), (err: unknown) => ({ ok: false as const, err: err as Error }));
        expect(got.ok, `${where}: pool ${got.ok ? 'accepted' : got.err.message}, single ${single.ok ? 'accepted' : single.err.message}`).toBe(single.ok);
        if (got.ok && single.ok) {
          const x = 'X' in got.r ? got.r.X : got.r.x;
          if (solver !== 'omp') expect(Array.from(x), where).toEqual(Array.from(single.r.X));
          else {
            // OMP on a pool's resident operator may take the Gram path once it pays (docs/builds.md): equal to rounding
            const scale = Math.max(...Array.from(single.r.X, Math.abs));
            x.forEach((v, i) => expect(Math.abs(v - single.r.X[i]), `${where}: x[${i}]`).toBeLessThanOrEqual(1e-12 * scale));
          }
        }
      },
    ), { seed: FUZZ_SEED + 71, numRuns: runs(40) });
  });
});

// Property-based fuzzing of the SoftSort operations and the differentiable
// solvers (softSort, softSortVjp, softOmp, softIht and their VJPs), on both
// backends, with the generators of the solver fuzz (test/fuzz/gen.ts): scores
// and problems with NaN / +-Infinity / -0 / subnormals / 1e+-300, tau and eta
// at and beyond their edges, iterations and k at theirs. Properties: a
// RangeError/TypeError naming the function and the argument, identical on
// both backends, or finite outputs (P row-stochastic with its peak at the
// sorted entry, x and every gradient finite, residualNorm = ||y - A x||).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, softIht, softIhtVjp, softOmp, softOmpVjp, softSort, softSortVjp, TAU_MIN } from '../src/index.js';
import { Rng } from '../src/core/random.js';
import {
  attempt, buildMatrix, buildVector, count, errorProblems, FUZZ_SEED, matArb, runs, SPECIALS, SpecialName, toRows, tried, trueResidual, vecArb,
} from './fuzz/gen.js';

beforeAll(async () => {
  await init();
});

afterAll(() => {
  const total = [...tried.values()].reduce((a, b) => a + b, 0);
  console.log(`fuzz-soft: ${total} cases (${[...tried].map(([k, v]) => `${k} ${v}`).join(', ')})`);
});

const SPECIAL_NAMES = Object.keys(SPECIALS) as SpecialName[];
const tauArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(TAU_MIN, 1e-50, 1e-8, 1e-3, 0.1, 1, 30, 1e8, 1e300, Number.MAX_VALUE) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0) },
  { weight: 1, arbitrary: fc.constantFrom(TAU_MIN / 2, 5e-324, -1, NaN, Infinity, '1' as unknown as number) },
);
const scoresArb = fc.record({
  n: fc.integer({ min: 1, max: 12 }),
  seed: fc.nat(),
  scale: fc.constantFrom(0, 0, -300, -20, 20, 300),
  ties: fc.boolean(),
  special: fc.option(fc.record({ i: fc.nat(), v: fc.constantFrom(...SPECIAL_NAMES) }), { freq: 3 }),
});

function scores(r: { n: number; seed: number; scale: number; ties: boolean; special: { i: number; v: SpecialName } | null }): Float64Array {
  const rng = new Rng(r.seed);
  const s = Float64Array.from({ length: r.n }, () => (r.ties ? rng.int(3) : rng.normal()) * Number(`1e${r.scale}`));
  if (r.special) s[r.special.i % r.n] = SPECIALS[r.special.v];
  return s;
}

const ARGS = ['s', 'tau', 'k', 'G', 'A', 'y', 'w', 'gx', 'iterations', 'eta', 'options', 'backend'];
const msgOf = (e: unknown) => (e as Error).message;

/** Both backends reject with the same error, or both return; returns the two results (or null). */
function agree<R>(fn: string, f: (backend: 'wasm' | 'js') => R, where: string): [R, R] | null {
  const w = attempt(() => f('wasm'));
  const j = attempt(() => f('js'));
  expect(w.ok, `${where}: WASM ${w.ok ? 'accepted' : `rejected (${msgOf((w as { error: unknown }).error)})`}, JS ${j.ok ? 'accepted' : `rejected (${msgOf((j as { error: unknown }).error)})`}`).toBe(j.ok);
  if (!w.ok || !j.ok) {
    const ew = (w as { error: unknown }).error;
    const ej = (j as { error: unknown }).error;
    expect(errorProblems(ew, fn, ARGS), where).toEqual([]);
    expect(msgOf(ew), where).toBe(msgOf(ej));
    return null;
  }
  return [w.value, j.value];
}

describe('fuzz softSort / softSortVjp', () => {
  it('P is k x n, finite, row-stochastic, peaked at the sorted entries; the VJP is finite; or both backends refuse alike', () => {
    fc.assert(fc.property(scoresArb, tauArb, fc.constantFrom(undefined, 1, 2, 'n', 0, 'n+1', 1.5), fc.nat(), (S, tau, kc, gseed) => {
      count('softSort');
      const s = scores(S);
      const n = s.length;
      const k = kc === 'n' ? n : kc === 'n+1' ? n + 1 : kc;
      const opts = k === undefined ? {} : { k: k as number };
      const where = `softSort n=${n} tau=${tau} k=${k} s=${Array.from(s).slice(0, 6)}`;
      const res = agree('softSort', (backend) => softSort(s, tau, { ...opts, backend }), where);
      if (!res) return;
      const kk = res[0].P.m;
      for (const { P, order } of res) {
        expect(P.n).toBe(n);
        expect(order.length).toBe(kk);
        for (let i = 0; i < kk; i++) {
          let sum = 0;
          for (let j = 0; j < n; j++) {
            const v = P.get(i, j);
            expect(Number.isFinite(v) && v >= 0 && v <= 1, `${where}: P(${i}, ${j}) = ${v}`).toBe(true);
            sum += v;
          }
          expect(Math.abs(sum - 1), where).toBeLessThanOrEqual(1e-12 * n);
          // row i peaks at the i-th largest entry (other entries may tie with it in rounding)
          for (let j = 0; j < n; j++) expect(P.get(i, order[i]) >= P.get(i, j), `${where}: P(${i}, ${j}) > P(${i}, order[${i}])`).toBe(true);
          if (i > 0) expect(s[order[i - 1]] >= s[order[i]], where).toBe(true);
        }
        expect(new Set(order).size).toBe(kk);
      }
      // the VJP with a random upstream gradient
      const rng = new Rng(gseed);
      const G = new Matrix(kk, n, rng.normals(kk * n));
      const vj = agree('softSortVjp', (backend) => softSortVjp(s, tau, G, { ...opts, backend }), where);
      if (vj) for (const r of vj) {
        expect(r.ds.every(Number.isFinite), `${where}: ds ${Array.from(r.ds)}`).toBe(true);
        expect(Number.isFinite(r.dtau), `${where}: dtau ${r.dtau}`).toBe(true);
      }
    }), { seed: FUZZ_SEED + 41, numRuns: runs(400) });
  });
});

describe('fuzz softOmp / softIht and their VJPs', () => {
  const itersArb = fc.constantFrom<unknown>(1, 1, 2, 3, 'min', 'min+1', 0, 1.5, undefined);
  const etaArb = fc.constantFrom<unknown>(undefined, undefined, 5e-324, 1e-8, 0.5, 3, 1e300, Number.MAX_VALUE, 0, -1, NaN, Infinity);
  const wArb = fc.option(fc.record({ seed: fc.nat(), special: fc.option(fc.record({ i: fc.nat(), v: fc.constantFrom(...SPECIAL_NAMES) }), { freq: 3 }), zeros: fc.boolean() }), { freq: 3 });
  for (const kind of ['omp', 'iht'] as const) {
    it(`soft${kind === 'omp' ? 'Omp' : 'Iht'}: finite x, truthful residual, finite gradients; or both backends refuse alike`, () => {
      fc.assert(fc.property(matArb(), vecArb(), tauArb, itersArb, etaArb, wArb, fc.nat(), (A, Y, tau, it0, eta, W, s) => {
        count(`soft-${kind}`);
        const a = buildMatrix(A);
        const y = buildVector(Y, a, A.m, A.n);
        const kmax = Math.min(A.m, A.n);
        const iterations = it0 === 'min' ? (kind === 'omp' ? kmax : 5) : it0 === 'min+1' ? (kind === 'omp' ? kmax + 1 : 6) : it0;
        let w: Float64Array | undefined;
        if (W) {
          w = W.zeros ? new Float64Array(A.n) : new Rng(W.seed).normals(A.n);
          if (W.special) w[W.special.i % A.n] = SPECIALS[W.special.v];
        }
        const opts: Record<string, unknown> = { tau, iterations };
        if (w) opts.w = w;
        if (kind === 'iht') {
          opts.k = 1 + (s % A.n);
          if (eta !== undefined) opts.eta = eta;
        }
        const rows = toRows(a, A.m, A.n);
        const fn = kind === 'omp' ? 'softOmp' : 'softIht';
        const solve = kind === 'omp' ? softOmp : softIht;
        const where = `${fn} ${A.m}x${A.n} ${JSON.stringify(opts, (_k, v) => (v instanceof Float64Array ? `F64[${v.length}]` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`;
        const res = agree(fn, (backend) => solve(rows, y, { ...opts, backend } as never), where);
        if (!res) return;
        for (const r of res) {
          expect(r.x.every(Number.isFinite), `${where}: x ${Array.from(r.x).slice(0, 5)}`).toBe(true);
          expect(['converged', 'premature', 'diverged', ...(kind === 'omp' ? ['degenerate'] : [])]).toContain(r.status);
          expect(r.iterations).toBeLessThanOrEqual(iterations as number);
          expect(Number.isFinite(r.residualNorm) && r.residualNorm >= 0, `${where}: residualNorm ${r.residualNorm}`).toBe(true);
          const { res: tr, scale } = trueResidual(a, A.m, A.n, y, r.x);
          expect(Math.abs(r.residualNorm - tr), `${where}: residualNorm ${r.residualNorm}, ||y - A x|| = ${tr}`).toBeLessThanOrEqual(1e-7 * scale + 1e-300);
        }
        const gx = new Rng(s + 1).normals(A.n);
        const vjp = kind === 'omp' ? softOmpVjp : softIhtVjp;
        const g = agree(`${fn}Vjp`, (backend) => vjp(rows, y, gx, { ...opts, backend } as never), where);
        if (g) for (const r of g) {
          const bad = [['x', r.x], ['gw', r.gw], ['gy', r.gy]].filter(([, v]) => !(v as Float64Array).every(Number.isFinite)).map(([k]) => k);
          expect(bad, `${where}: non-finite ${bad.join(', ')}`).toEqual([]);
          expect(Number.isFinite(r.gtau), `${where}: gtau ${r.gtau}`).toBe(true);
        }
      }), { seed: FUZZ_SEED + (kind === 'omp' ? 51 : 52), numRuns: runs(250) });
    });
  }
});

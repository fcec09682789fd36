// OMP's f32 screen (assembly/screen.ts) must pick exactly the atoms of the
// full f64 selection: results with the screen on equal those with it off bit
// for bit, on problems built to stress the bound (exact ties, duplicate and
// nearly parallel columns, quantised entries, column scales far apart, every
// m mod 4 and n mod 8), and the screen must actually have run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, omp, ompBatch, Operator } from '../src/index.js';
import { gaussianProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import { setOmpScreening, takeOmpScreenCounters } from '../src/solvers/solve.js';
import { hostile, same } from './hostile.js';

beforeAll(async () => {
  await init();
});
afterAll(() => setOmpScreening(true));


describe('omp: the f32 screen selects exactly what the f64 pass selects', () => {
  it('350 hostile problems: screen on == screen off, bit for bit; the screen ran and recomputed few candidates', () => {
    let screened = 0;
    let exact = 0;
    takeOmpScreenCounters();
    for (let t = 0; t < 350; t++) {
      const { A, y, k } = hostile(t);
      setOmpScreening(true);
      const a = omp(A, y, { k });
      const c = takeOmpScreenCounters();
      screened += c.screened;
      exact += c.exact;
      setOmpScreening(false);
      const b = omp(A, y, { k });
      expect(takeOmpScreenCounters().screened, 'off means off').toBe(0);
      expect(same(a, b), `problem ${t}: ${A.m} x ${A.n}, k = ${k}: ${a.support} vs ${b.support}`).toBe(true);
    }
    setOmpScreening(true);
    console.log(`omp-screen: ${screened} screened selections, ${(exact / screened).toFixed(2)} f64 recomputations each`);
    // most selections went through the screen, and on average few exact dot products were needed
    expect(screened).toBeGreaterThan(2000);
    expect(exact / screened).toBeLessThan(8);
  });

  it('resident operators and the plain batch path (one f32 copy for all signals) agree too', () => {
    const p = gaussianProblem({ m: 61, n: 203, k: 9, seed: 5 });
    const rng = new Rng(6);
    const Y = new Float64Array(61 * 12).map(() => rng.normal());
    const op = Operator.dense(p.A);
    setOmpScreening(true);
    const on = ompBatch(op, Y, { k: 9, precompute: false });
    const single = omp(op, Y.subarray(0, 61), { k: 9 });
    expect(takeOmpScreenCounters().screened).toBeGreaterThan(0);
    setOmpScreening(false);
    const off = ompBatch(op, Y, { k: 9, precompute: false });
    setOmpScreening(true);
    op.dispose();
    expect(Array.from(on.X).every((v, i) => Object.is(v, off.X[i]))).toBe(true);
    expect(on.iterations).toEqual(off.iterations);
    expect(Array.from(single.x).every((v, i) => Object.is(v, on.X[i]))).toBe(true);
  });

  it('k below the screen threshold, and tiny or huge scales give the same results either way', () => {
    const cases: { A: Matrix; y: Float64Array; k: number }[] = [];
    const g = gaussianProblem({ m: 40, n: 90, k: 6, seed: 11 });
    for (const s of [1e-280, 1e-30, 1, 1e30, 1e280]) cases.push({ A: new Matrix(40, 90, g.A.data.map((v) => v * s)), y: g.y.map((v) => v * s), k: 6 });
    cases.push({ A: g.A, y: g.y, k: 3 });
    for (const { A, y, k } of cases) {
      setOmpScreening(true);
      const a = omp(A, y, { k });
      setOmpScreening(false);
      const b = omp(A, y, { k });
      setOmpScreening(true);
      expect(same(a, b)).toBe(true);
    }
  });
});

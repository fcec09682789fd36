// Single OMP solves on a resident Operator: the f32 copy of A for the screen
// is made once and held (counted in op.bytes, freed by dispose()), and once
// the solves served would have paid for the Gram matrix (the flop rule of
// src/solvers/omp-resident.ts), single solves run Batch-OMP from G.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, omp, ompBatch, Operator } from '../src/index.js';
import { gaussianProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import { gramBytes, operatorBytes, screenCopyBytes } from '../src/core/operator.js';
import { liveBytes } from '../src/core/wasm.js';
import { ompCosts } from '../src/solvers/omp-cost.js';
import { takeOmpScreenCounters } from '../src/solvers/solve.js';
import { ompJs } from '../src/js/omp.js';
import { relDiff } from './helpers.js';

beforeAll(async () => {
  await init();
});

function signals(m: number, count: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => rng.normals(m));
}

describe('omp on a resident Operator', () => {
  it('keeps the f32 copy of A after the first solve: counted in op.bytes, no new allocation later, freed by dispose(); results equal omp(A) bit for bit', () => {
    const { A } = gaussianProblem({ m: 96, n: 400, k: 8, seed: 1 });
    const op = Operator.dense(A);
    expect(op.bytes).toBe(operatorBytes(96, 400));
    const ys = signals(96, 3, 2);
    takeOmpScreenCounters();
    const first = omp(op, ys[0], { k: 8 });
    expect(op.bytes).toBe(operatorBytes(96, 400) + screenCopyBytes(96, 400));
    const held = liveBytes();
    const results = ys.map((y) => omp(op, y, { k: 8 }));
    expect(liveBytes()).toBe(held); // the copy is not made again
    expect(takeOmpScreenCounters().screened).toBeGreaterThan(0); // and the screen read it
    for (const [i, y] of ys.entries()) {
      const r = results[i];
      const plain = omp(A, y, { k: 8 });
      expect(r.x.every((v, i) => Object.is(v, plain.x[i]))).toBe(true);
      expect(Array.from(r.support)).toEqual(Array.from(plain.support));
      expect(r.status).toBe(plain.status);
    }
    expect(first.support.length).toBe(8);
    expect(op.hasGram).toBe(false);
    const live = liveBytes();
    const bytes = op.bytes;
    op.dispose();
    expect(op.bytes).toBe(0);
    expect(live - liveBytes()).toBe(bytes); // the copy was freed with A
    expect(bytes).toBe(operatorBytes(96, 400) + screenCopyBytes(96, 400));
  });

  it('builds G once the solves served would have paid for it (the flop rule), then solves from G; results equal the plain path to rounding', () => {
    const [m, n, k] = [64, 128, 16];
    const { A } = gaussianProblem({ m, n, k, seed: 3 });
    const c = ompCosts(m, n, k);
    const after = Math.ceil(c.gramOnce / (c.plainPerSignal - c.gramPerSignal)); // the solve at which G has paid for itself
    expect(after).toBeGreaterThan(1);
    const op = Operator.dense(A);
    const ys = signals(m, after + 3, 4);
    let gramBits = 0;
    ys.forEach((y, i) => {
      const r = omp(op, y, { k });
      expect(op.hasGram, `after solve ${i + 1}`).toBe(i + 1 >= after);
      const plain = omp(A, y, { k });
      const twin = ompJs(A, y, { k, tol: 0 });
      expect(Array.from(r.support)).toEqual(Array.from(plain.support));
      expect(r.status).toBe(plain.status);
      expect(relDiff(r.x, plain.x)).toBeLessThan(1e-12);
      expect(relDiff(r.x, twin.x)).toBeLessThan(1e-9);
      expect(Math.abs(r.residualNorm - plain.residualNorm)).toBeLessThanOrEqual(1e-12 * Math.hypot(...y));
      if (i + 1 >= after && r.x.some((v, j) => !Object.is(v, plain.x[j]))) gramBits++;
    });
    expect(gramBits, 'the Gram path (a Cholesky factor, not QR) ran: its bits differ from the plain path').toBeGreaterThan(0);
    expect(op.bytes).toBe(operatorBytes(m, n) + screenCopyBytes(m, n) + gramBytes(n));
    op.dispose();
  });

  it('an operator that already holds G (from ompBatch) solves single signals from it at once; tol is honoured on that path', () => {
    const [m, n, k] = [50, 90, 10];
    const { A, y } = gaussianProblem({ m, n, k, seed: 5, sigma: 0.01 });
    const op = Operator.dense(A);
    ompBatch(op, new Matrix(m, 1, y), { k, precompute: true });
    expect(op.hasGram).toBe(true);
    for (const tol of [0, 0.2]) {
      const r = omp(op, y, { k, tol });
      const plain = omp(A, y, { k, tol });
      expect(Array.from(r.support)).toEqual(Array.from(plain.support));
      expect(r.iterations).toBe(plain.iterations);
      expect(relDiff(r.x, plain.x)).toBeLessThan(1e-12);
      if (tol === 0) expect(r.x.some((v, j) => !Object.is(v, plain.x[j])), 'the Gram path ran').toBe(true);
    }
    op.dispose();
  });

  it('an operator serving few solves, or one whose G would not fit GRAM_AUTO_MAX_BYTES, never builds G', () => {
    const [m, n, k] = [40, 4100, 4]; // G of 4100^2 doubles = 134 MB > 128 MiB
    const { A } = gaussianProblem({ m, n, k, seed: 6 });
    const op = Operator.dense(A);
    const c = ompCosts(m, n, k);
    const enough = Math.ceil(c.gramOnce / (c.plainPerSignal - c.gramPerSignal));
    expect(enough).toBeGreaterThan(1);
    for (const y of signals(m, 2, 7)) omp(op, y, { k });
    expect(op.hasGram).toBe(false);
    op.ompSaved = c.gramOnce; // as if it had served enough: G would still not fit
    omp(op, signals(m, 1, 8)[0], { k });
    expect(op.hasGram).toBe(false);
    op.dispose();
  });
});

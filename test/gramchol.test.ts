// The updatable Cholesky factor of a Gram matrix (assembly/gramchol.ts), the
// operators' inner products opGramOn and sparse residual opResidualOn on a
// convolution, and topK's two selection paths (heap and quickselect).
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, Operator } from '../src/index.js';
import { Rng } from '../src/core/random.js';
import { randomOps } from './helpers.js';
import { alloc, allocF64, free, i32View, readF64, readI32, wasm } from '../src/core/wasm.js';

beforeAll(async () => {
  await init();
});

/** The columns of an operator as a dense m x n matrix (column-major), one column call each. */
function denseOf(op: Operator): Float64Array {
  const { m, n } = op;
  const D = new Float64Array(m * n);
  for (let j = 0; j < n; j++) D.set(op.column(j), j * m);
  return D;
}

function dotCols(D: Float64Array, m: number, i: number, j: number): number {
  let s = 0;
  for (let r = 0; r < m; r++) s += D[i * m + r] * D[j * m + r];
  return s;
}

/** Replays ops on the handle; returns the factor (t x t, row-major), the atoms and a solve of L L^T z = b. */
function replay(handle: number, m: number, n: number, kmax: number, ops: Int32Array, b?: Float64Array) {
  const pOps = alloc(4 * ops.length);
  i32View(pOps, ops.length).set(ops);
  const pL = alloc(8 * kmax * kmax), pC = alloc(4 * kmax);
  const pW = alloc(wasm().gramCholReplayWorkspace(n, kmax));
  try {
    const t = wasm().gramCholReplay(handle, m, n, kmax, pOps, ops.length, pL, pC, pW);
    const Lfull = readF64(pL, kmax * kmax);
    const L = new Float64Array(t * t);
    for (let i = 0; i < t; i++) for (let j = 0; j <= i; j++) L[i * t + j] = Lfull[i * kmax + j]; // the lower triangle (the rest is not kept)
    let z: Float64Array | null = null;
    if (b && t > 0) {
      const pb = allocF64(b.subarray(0, t)), pz = alloc(8 * t);
      wasm().gramCholReplaySolve(pW, pb, pz);
      z = readF64(pz, t);
      free(pb); free(pz);
    }
    return { t, L, atoms: t > 0 ? Array.from(readI32(pC, t)) : [], z };
  } finally {
    for (const p of [pOps, pL, pC, pW]) free(p);
  }
}

const OPERATORS: Array<[string, (rng: Rng) => Operator]> = [
  ['dense Gaussian 30 x 50', (rng) => Operator.dense(new Matrix(30, 50, Float64Array.from({ length: 1500 }, () => rng.normal())))],
  ["convolution 'same' (7 taps)", (rng) => Operator.convolution(Float64Array.from({ length: 7 }, () => rng.normal()), 50, { mode: 'same' })],
  ["convolution 'full' (6 taps)", (rng) => Operator.convolution(Float64Array.from({ length: 6 }, () => rng.normal()), 50, { mode: 'full' })],
  ["convolution 'circular' (9 taps)", (rng) => Operator.convolution(Float64Array.from({ length: 9 }, () => rng.normal()), 50, { mode: 'circular' })],
  ["convolution 'circular', filter longer than n (70 taps)", (rng) => Operator.convolution(Float64Array.from({ length: 70 }, () => rng.normal()), 50, { mode: 'circular' })],
  ["convolution 'same' by FFT (80 taps)", (rng) => Operator.convolution(Float64Array.from({ length: 80 }, () => rng.normal()), 50, { mode: 'same' })],
  ['normalized convolution', (rng) => Operator.normalized(Operator.convolution(Float64Array.from({ length: 5 }, () => rng.normal()), 50, { mode: 'full' }))],
  ['partial DCT', (rng) => Operator.partialDct(64, rng.sample(64, 30))],
];

describe('opGramOn: inner products of a column with a set of columns', () => {
  for (const [name, make] of OPERATORS) {
    it(`equals the dense columns' dot products: ${name}`, () => {
      const rng = new Rng(11);
      const op = make(rng);
      const { m, n } = op;
      const D = denseOf(op);
      const set = Int32Array.from(rng.sample(n, 20));
      const pSet = alloc(4 * set.length);
      i32View(pSet, set.length).set(set);
      const pOut = alloc(8 * set.length), pWork = alloc(8 * n);
      try {
        for (const j of [0, 1, n - 1, set[3], rng.int(n)]) {
          const d = wasm().opGramOn(op.ptr, m, n, j, pSet, set.length, pOut, pWork);
          const out = readF64(pOut, set.length);
          const scale = dotCols(D, m, j, j);
          expect(Math.abs(d - scale)).toBeLessThanOrEqual(1e-13 * scale);
          set.forEach((a, i) => expect(Math.abs(out[i] - dotCols(D, m, a, j))).toBeLessThanOrEqual(1e-13 * scale));
        }
      } finally {
        free(pSet); free(pOut); free(pWork);
        op.dispose();
      }
    });
  }
});

describe('opResidualOn on a convolution (its columns, not an application)', () => {
  for (const [name, make] of OPERATORS.filter(([nm]) => nm.includes('onvolution'))) {
    it(`y - A x for x on a support: ${name}`, () => {
      const rng = new Rng(5);
      const op = make(rng);
      const { m, n } = op;
      const D = denseOf(op);
      const set = Int32Array.from(rng.sample(n, 4));
      const x = new Float64Array(n);
      for (const j of set) x[j] = rng.normal();
      const y = Float64Array.from({ length: m }, () => rng.normal());
      const pSet = alloc(4 * set.length);
      i32View(pSet, set.length).set(set);
      const px = allocF64(x), py = allocF64(y), pr = alloc(8 * m);
      try {
        wasm().opResidualOn(op.ptr, m, n, py, px, pSet, set.length, pr);
        const r = readF64(pr, m);
        for (let i = 0; i < m; i++) {
          let e = y[i];
          for (const j of set) e -= D[j * m + i] * x[j];
          expect(Math.abs(r[i] - e)).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(e)));
        }
      } finally {
        for (const p of [pSet, px, py, pr]) free(p);
        op.dispose();
      }
    });
  }
});

describe('gramCholReplay: the updatable Cholesky factor', () => {
  for (const [name, make] of OPERATORS) {
    it(`after random appends and deletes, L L^T (L: the lower triangle) is the Gram matrix of the atoms kept, with a positive diagonal: ${name}`, () => {
      const rng = new Rng(23);
      const op = make(rng);
      const { m, n } = op;
      const D = denseOf(op);
      const kmax = Math.min(12, m - 2);
      const { ops, atoms } = randomOps(rng, n, kmax, 60, 0.6);
      const b = Float64Array.from({ length: kmax }, () => rng.normal());
      const { t, L, atoms: got, z } = replay(op.ptr, m, n, kmax, ops, b);
      expect(got).toEqual(atoms);
      expect(t).toBe(atoms.length);
      let gmax = 0;
      for (let i = 0; i < t; i++) gmax = Math.max(gmax, dotCols(D, m, atoms[i], atoms[i]));
      for (let i = 0; i < t; i++) {
        expect(L[i * t + i]).toBeGreaterThan(0);
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let l = 0; l <= j; l++) s += L[i * t + l] * L[j * t + l];
          expect(Math.abs(s - dotCols(D, m, atoms[i], atoms[j]))).toBeLessThanOrEqual(1e-12 * gmax);
        }
      }
      // the solve: G z = b
      for (let i = 0; i < t; i++) {
        let s = 0;
        for (let j = 0; j < t; j++) s += dotCols(D, m, atoms[i], atoms[j]) * z![j];
        expect(Math.abs(s - b[i])).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(b[i])));
      }
      op.dispose();
    });
  }

  it('refuses an atom in the span of the others (a repeated column), and an invalid delete', () => {
    const rng = new Rng(3);
    const M = new Matrix(10, 6, Float64Array.from({ length: 60 }, () => rng.normal()));
    M.data.copyWithin(5 * 10, 1 * 10, 2 * 10); // column 5 = column 1
    const op = Operator.dense(M);
    expect(replay(op.ptr, 10, 6, 4, Int32Array.from([0, 1, 2])).t).toBe(3);
    expect(replay(op.ptr, 10, 6, 4, Int32Array.from([0, 1, 5])).t).toBe(-3);
    expect(replay(op.ptr, 10, 6, 4, Int32Array.from([0, -2])).t).toBe(-2);
    expect(replay(op.ptr, 10, 6, 2, Int32Array.from([0, 1, 2])).t).toBe(-3); // full
    op.dispose();
  });
});

describe('topK: the heap (k <= n / 16) and quickselect paths select the same set', () => {
  /** The k first by |v| descending, ties lowest index, ascending. */
  function reference(v: Float64Array, k: number): number[] {
    return Array.from(v.keys()).sort((a, b) => Math.abs(v[b]) - Math.abs(v[a]) || a - b).slice(0, k).sort((a, b) => a - b);
  }
  const cases: Array<[string, (rng: Rng, n: number) => Float64Array]> = [
    ['Gaussian', (rng, n) => Float64Array.from({ length: n }, () => rng.normal())],
    ['many ties (values in {-2..2})', (rng, n) => Float64Array.from({ length: n }, () => rng.int(5) - 2)],
    ['increasing magnitudes (every entry enters the heap)', (_, n) => Float64Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * i)],
    ['decreasing magnitudes', (_, n) => Float64Array.from({ length: n }, (_, i) => n - i)],
    ['all equal', (_, n) => new Float64Array(n).fill(-3)],
  ];
  for (const [name, gen] of cases) {
    it(name, () => {
      const rng = new Rng(7);
      for (const n of [1, 2, 17, 64, 1001, 4096]) {
        const v = gen(rng, n);
        for (const k of new Set([1, 2, 3, Math.floor(n / 16), Math.floor(n / 16) + 1, Math.floor(n / 2), n - 1, n].filter((q) => q >= 1 && q <= n))) {
          const pv = allocF64(v), pOut = alloc(4 * k), pIdx = alloc(4 * n), pFl = alloc(n);
          try {
            wasm().topK(pv, n, k, pOut, pIdx, pFl);
            expect(Array.from(readI32(pOut, k)), `n ${n}, k ${k}`).toEqual(reference(v, k));
          } finally {
            for (const p of [pv, pOut, pIdx, pFl]) free(p);
          }
        }
      }
    });
  }
});

describe("SEA's Gram path against its QR path (the same problem as a dense matrix)", () => {
  it('300 exploring iterations on a noisy deconvolution: the same residual at every iterate to 1e-9, the same best support and x', async () => {
    const { sea } = await import('../src/index.js');
    const rng = new Rng(8);
    const n = 300;
    const h = Float64Array.from({ length: 15 }, (_, i) => Math.exp(-((i - 7) ** 2) / 8));
    const conv = Operator.convolution(h, n, { mode: 'same' });
    const op = Operator.normalized(conv);
    const dense = new Matrix(op.m, n, denseOf(op));
    const x = new Float64Array(n);
    for (const j of rng.sample(n, 12)) x[j] = rng.normal() >= 0 ? 1 : -1;
    const y = op.apply(x);
    for (let i = 0; i < y.length; i++) y[i] += 0.05 * rng.normal();
    const opts = { k: 12, maxIter: 300, history: true };
    const a = sea(op, y, opts);
    const b = sea(dense, y, opts);
    expect(a.iterations).toBe(300);
    expect(b.iterations).toBe(300);
    // the support changed along the way (the test exercises appends, deletes and residual updates)
    const changes = a.history!.filter((v, i) => i > 0 && v !== a.history![i - 1]).length;
    expect(changes).toBeGreaterThan(20);
    for (let i = 0; i < 300; i++) expect(Math.abs(a.history![i] - b.history![i])).toBeLessThanOrEqual(1e-9 * b.history![i]);
    expect(Array.from(a.support)).toEqual(Array.from(b.support));
    for (let j = 0; j < n; j++) expect(Math.abs(a.x[j] - b.x[j])).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(b.x[j])));
    op.dispose();
    conv.dispose();
  });
});

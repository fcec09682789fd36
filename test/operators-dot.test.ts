// Structured operators (src/core/operator.ts, assembly/operator.ts) against
// independent references: the dot test <A x, r> = <x, A^T r>, and every face
// of the operator (matrix.data, apply, adjoint, column, colNorms) against the
// dense matrix built here by explicit sums (the DCT from dctMatrix, the
// convolution from its definition, normalized from Matrix.normalizeColumns).
// Also the arguments each factory refuses, and disposed operators.
import { beforeAll, describe, expect, it } from 'vitest';
import { dctMatrix, init, Matrix, Operator } from '../src/index.js';
import { gaussianConvolution } from '../src/data/dictionaries.js';
import { Rng } from '../src/core/random.js';
import { relDiff } from './helpers.js';

beforeAll(async () => {
  await init();
});

/** The methods a structured operator has on top of Operator. */
type Structured = Operator & {
  apply(x: ArrayLike<number>): Float64Array;
  adjoint(r: ArrayLike<number>): Float64Array;
  column(j: number): Float64Array;
  colNorms(): Float64Array;
};
const S = (op: Operator) => op as Structured;

const TOL = 1e-12;

function randn(rng: Rng, len: number): Float64Array {
  const v = new Float64Array(len);
  for (let i = 0; i < len; i++) v[i] = rng.normal();
  return v;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

const norm = (a: ArrayLike<number>) => Math.sqrt(dot(a, a));

/** Distinct random rows of [0, n), m of them, in random order. */
function randomRows(rng: Rng, n: number, m: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p.slice(0, m);
}

/** y = A x, A dense m x n column-major. */
function matvec(A: Matrix, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(A.m);
  for (let j = 0; j < A.n; j++) for (let i = 0; i < A.m; i++) y[i] += A.data[i + j * A.m] * x[j];
  return y;
}

/** A^T r. */
function matvecT(A: Matrix, r: ArrayLike<number>): Float64Array {
  const x = new Float64Array(A.n);
  for (let j = 0; j < A.n; j++) {
    let s = 0;
    for (let i = 0; i < A.m; i++) s += A.data[i + j * A.m] * r[i];
    x[j] = s;
  }
  return x;
}

/** The convolution matrix from its definition: A[i, j] = sum of h[l] over the taps l that put x_j at output i. */
function convMatrix(h: ArrayLike<number>, n: number, mode: 'full' | 'same' | 'circular'): Matrix {
  const L = h.length;
  const m = mode === 'full' ? n + L - 1 : n;
  const off = mode === 'same' ? Math.floor((L - 1) / 2) : 0;
  const data = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < L; l++) {
      // full output index j + l; 'same' keeps full rows off .. off + n - 1; circular folds mod n
      let i = j + l;
      if (mode === 'same') i -= off;
      if (mode === 'circular') i %= n;
      if (i >= 0 && i < m) data[i + j * m] += h[l];
    }
  }
  return new Matrix(m, n, data);
}

/** The dot test, relative to the sizes of both sides (a 1e-12 bound on |<Ax,r> - <x,A^T r>| / (||Ax|| ||r|| + ||x|| ||A^T r||)). */
function dotTest(op: Operator, seed: number, trials = 3): void {
  const o = S(op);
  const rng = new Rng(seed);
  for (let t = 0; t < trials; t++) {
    const x = randn(rng, op.n);
    const r = randn(rng, op.m);
    const Ax = o.apply(x);
    const ATr = o.adjoint(r);
    expect(Ax.length).toBe(op.m);
    expect(ATr.length).toBe(op.n);
    const lhs = dot(Ax, r);
    const rhs = dot(x, ATr);
    const scale = norm(Ax) * norm(r) + norm(x) * norm(ATr);
    expect(scale).toBeGreaterThan(0);
    expect(Math.abs(lhs - rhs) / scale, `${op.kind} m=${op.m} n=${op.n} trial ${t}`).toBeLessThan(TOL);
  }
}

/** Every face of `op` against the dense matrix D: matrix.data, apply, adjoint, column, colNorms, entries to 1e-12 relative. */
function matchesDense(op: Operator, D: Matrix, seed: number): void {
  const o = S(op);
  expect(op.m).toBe(D.m);
  expect(op.n).toBe(D.n);
  const what = `${op.kind} m=${op.m} n=${op.n}`;
  expect(op.matrix.data.length).toBe(D.m * D.n);
  expect(relDiff(op.matrix.data, D.data), `${what}: matrix.data`).toBeLessThan(TOL);
  const rng = new Rng(seed);
  for (let t = 0; t < 2; t++) {
    const x = randn(rng, D.n);
    const r = randn(rng, D.m);
    expect(relDiff(o.apply(x), matvec(D, x)), `${what}: apply`).toBeLessThan(TOL);
    expect(relDiff(o.adjoint(r), matvecT(D, r)), `${what}: adjoint`).toBeLessThan(TOL);
  }
  // a sparse x (what the solvers apply most)
  const xs = new Float64Array(D.n);
  xs[Math.floor(rng.uniform() * D.n)] = 1.5;
  xs[D.n - 1] = -0.25;
  expect(relDiff(o.apply(xs), matvec(D, xs)), `${what}: apply sparse`).toBeLessThan(TOL);
  const cols = new Set([0, D.n - 1, Math.floor(D.n / 2), Math.floor(rng.uniform() * D.n)]);
  for (const j of cols) {
    const ref = D.data.subarray(j * D.m, (j + 1) * D.m);
    const c = o.column(j);
    expect(c.length).toBe(D.m);
    if (norm(ref) === 0) expect(norm(c)).toBe(0);
    else expect(relDiff(c, ref), `${what}: column ${j}`).toBeLessThan(TOL);
  }
  const refNorms = Float64Array.from({ length: D.n }, (_, j) => norm(D.data.subarray(j * D.m, (j + 1) * D.m)));
  expect(relDiff(o.colNorms(), refNorms), `${what}: colNorms`).toBeLessThan(TOL);
  expect(relDiff(op.matrix.colNorms(), refNorms), `${what}: matrix.colNorms`).toBeLessThan(TOL);
  // ||A||_2 between its bounds: max column norm <= ||A||_2 <= Frobenius norm
  expect(op.spectralNorm()).toBeGreaterThan(0);
  expect(op.spectralNorm()).toBeLessThanOrEqual(Math.sqrt(refNorms.reduce((a, v) => a + v * v, 0)) * (1 + 1e-12));
  expect(op.spectralNorm()).toBeGreaterThanOrEqual(Math.max(...refNorms) * (1 - 1e-9));
  // and at least ||A v|| / ||v|| for v = A^T A w (a good Rayleigh vector), to the power iteration's rtol
  const w = randn(rng, D.n);
  const v = matvecT(D, matvec(D, matvecT(D, matvec(D, w))));
  if (norm(v) > 0) expect(op.spectralNorm()).toBeGreaterThanOrEqual((norm(matvec(D, v)) / norm(v)) * (1 - 1e-5));
}

// the partial DCT sizes: powers of two, 1000, 3^5 * 2, and tiny ones
const DCT_CASES: Array<{ n: number; m: number }> = [
  { n: 1, m: 1 }, { n: 2, m: 1 }, { n: 2, m: 2 }, { n: 3, m: 2 }, { n: 3, m: 3 }, { n: 5, m: 3 },
  { n: 16, m: 7 }, { n: 64, m: 64 }, { n: 256, m: 40 }, { n: 1000, m: 130 }, { n: 486, m: 60 }, { n: 97, m: 30 },
];

describe('Operator.partialDct', () => {
  for (const { n, m } of DCT_CASES) {
    for (const scale of [true, false]) {
      it(`n = ${n}, m = ${m}, scale ${scale}: dot test and equal to dctMatrix`, () => {
        const rng = new Rng(1000 + n * 7 + m);
        const rows = randomRows(rng, n, m);
        const op = Operator.partialDct(n, rows, { scale });
        try {
          expect(op.kind).toBe('partialDct');
          expect(op.structured).toBe(true);
          expect(op.m).toBe(m);
          expect(op.n).toBe(n);
          dotTest(op, n + m);
          let D = dctMatrix(n, rows);
          if (!scale) D = new Matrix(m, n, D.data.map((v) => v / Math.sqrt(n / m)));
          matchesDense(op, D, 3 * n + m);
          if (scale) {
            // scaled rows of an orthogonal matrix: A A^T = (n/m) I, so ||A||_2 = sqrt(n/m), and every column has norm <= sqrt(n/m) * sqrt(m/n)*... = its own
            expect(Math.abs(op.spectralNorm() - Math.sqrt(n / m))).toBeLessThan(1e-9 * Math.sqrt(n / m));
          } else {
            expect(Math.abs(op.spectralNorm() - 1)).toBeLessThan(1e-9);
          }
        } finally {
          op.dispose();
        }
      });
    }
  }

  it('default scale is sqrt(n/m) (equal to dctMatrix); rows in any order, row 0 and row n-1 included', () => {
    const n = 128;
    const rows = [127, 0, 64, 1, 3, 100];
    const op = Operator.partialDct(n, rows);
    try {
      matchesDense(op, dctMatrix(n, rows), 5);
    } finally {
      op.dispose();
    }
  });
});

const MODES = ['full', 'same', 'circular'] as const;
const METHODS = ['auto', 'direct', 'fft'] as const;

describe('Operator.convolution', () => {
  // short filters (direct by default) and long ones (FFT by default), L > n included (circular folds)
  const CASES: Array<{ n: number; L: number }> = [
    { n: 1, L: 1 }, { n: 1, L: 3 }, { n: 5, L: 2 }, { n: 40, L: 3 }, { n: 64, L: 7 }, { n: 100, L: 64 }, { n: 257, L: 101 },
    { n: 30, L: 45 }, { n: 128, L: 128 },
  ];
  for (const { n, L } of CASES) {
    for (const mode of MODES) {
      for (const method of METHODS) {
        it(`n = ${n}, L = ${L}, mode '${mode}', method '${method}': dot test and equal to the explicit sums`, () => {
          const rng = new Rng(7 * n + 13 * L + MODES.indexOf(mode) * 3 + METHODS.indexOf(method));
          const h = randn(rng, L);
          const op = Operator.convolution(h, n, { mode, method });
          try {
            expect(op.kind).toBe('convolution');
            expect(op.m).toBe(mode === 'full' ? n + L - 1 : n);
            dotTest(op, n * L);
            matchesDense(op, convMatrix(h, n, mode), n + L);
            if (mode === 'circular') {
              // a circulant: ||A||_2 = max over frequencies f of |sum_l h_l e^{-2 pi i f l / n}|
              let sigma = 0;
              for (let f = 0; f < n; f++) {
                let re = 0, im = 0;
                for (let l = 0; l < L; l++) {
                  re += h[l] * Math.cos((2 * Math.PI * ((f * l) % n)) / n);
                  im -= h[l] * Math.sin((2 * Math.PI * ((f * l) % n)) / n);
                }
                sigma = Math.max(sigma, Math.hypot(re, im));
              }
              // (an estimate: 100 power steps to rtol 1e-6 stop up to 0.15% short where the top two |H(f)| are close)
              expect(Math.abs(op.spectralNorm() - sigma) / sigma).toBeLessThan(1e-2);
            }
          } finally {
            op.dispose();
          }
        });
      }
    }
  }

  it('default mode is full; number[] filters', () => {
    const h = [1, -2, 0.5];
    const op = Operator.convolution(h, 10);
    try {
      expect(op.m).toBe(12);
      matchesDense(op, convMatrix(h, 10, 'full'), 1);
    } finally {
      op.dispose();
    }
  });

  it('normalized Gaussian convolution equals gaussianConvolution (full and same)', () => {
    for (const [n, sigma] of [[64, 1.5], [200, 3], [50, 0.7]] as const) {
      for (const mode of ['full', 'same'] as const) {
        const hw = Math.ceil(4 * sigma);
        const g = Float64Array.from({ length: 2 * hw + 1 }, (_, i) => Math.exp(-((i - hw) ** 2) / (2 * sigma * sigma)));
        const G = gaussianConvolution(n, sigma, mode);
        expect(G.m).toBe(mode === 'full' ? n + 2 * hw : n); // hw as gaussianConvolution computes it
        const conv = Operator.convolution(g, n, { mode });
        const op = Operator.normalized(conv);
        try {
          dotTest(op, n);
          matchesDense(op, G, n);
          // and the raw convolution is G with the norms put back
          const norms = S(conv).colNorms();
          const raw = new Matrix(G.m, n, G.data.map((v, i) => v * norms[Math.floor(i / G.m)]));
          matchesDense(conv, raw, n + 1);
        } finally {
          op.dispose();
          conv.dispose();
        }
      }
    }
  });

  it('fft and direct give the same operator', () => {
    const rng = new Rng(5);
    for (const mode of MODES) {
      const h = randn(rng, 33);
      const a = S(Operator.convolution(h, 90, { mode, method: 'fft' }));
      const b = S(Operator.convolution(h, 90, { mode, method: 'direct' }));
      try {
        const x = randn(rng, 90);
        expect(relDiff(a.apply(x), b.apply(x))).toBeLessThan(TOL);
        const r = randn(rng, a.m);
        expect(relDiff(a.adjoint(r), b.adjoint(r))).toBeLessThan(TOL);
      } finally {
        a.dispose();
        b.dispose();
      }
    }
  });
});

describe('Operator.normalized', () => {
  it('over a dense operator: equals normalizeColumns; a zero column stays zero', () => {
    const rng = new Rng(21);
    const m = 17, n = 30;
    const data = randn(rng, m * n);
    for (let i = 0; i < m; i++) data[i + 4 * m] = 0; // column 4 is zero
    for (let i = 0; i < m; i++) data[i + 9 * m] *= 1e3;
    const A = new Matrix(m, n, data);
    const inner = Operator.dense(A);
    const op = Operator.normalized(inner);
    try {
      expect(op.kind).toBe('normalized');
      dotTest(op, 1);
      const ref = new Matrix(m, n, Float64Array.from(A.data)).normalizeColumns();
      matchesDense(op, ref, 2);
      const nr = S(op).colNorms();
      nr.forEach((v, j) => expect(Math.abs(v - (j === 4 ? 0 : 1))).toBeLessThan(1e-14));
    } finally {
      op.dispose();
      inner.dispose();
    }
  });

  it('over a partialDct (scaled and unscaled) and over a convolution in every mode', () => {
    const rng = new Rng(22);
    const inners: Array<[Operator, Matrix]> = [];
    const rows = randomRows(rng, 200, 37);
    inners.push([Operator.partialDct(200, rows), dctMatrix(200, rows)]);
    inners.push([Operator.partialDct(200, rows, { scale: false }), new Matrix(37, 200, dctMatrix(200, rows).data.map((v) => v / Math.sqrt(200 / 37)))]);
    for (const mode of MODES) {
      const h = randn(rng, 9);
      inners.push([Operator.convolution(h, 60, { mode, method: 'direct' }), convMatrix(h, 60, mode)]);
      const h2 = randn(rng, 80);
      inners.push([Operator.convolution(h2, 70, { mode, method: 'fft' }), convMatrix(h2, 70, mode)]);
    }
    for (const [inner, D] of inners) {
      const op = Operator.normalized(inner);
      try {
        dotTest(op, D.m);
        matchesDense(op, new Matrix(D.m, D.n, Float64Array.from(D.data)).normalizeColumns(), D.n);
        // the inner operator still works after the normalized one used its buffers
        const x = randn(rng, D.n);
        expect(relDiff(S(inner).apply(x), matvec(D, x))).toBeLessThan(TOL);
      } finally {
        op.dispose();
        expect(inner.disposed).toBe(false); // disposing the normalized one leaves the inner alive
        inner.dispose();
      }
    }
  });

  it('normalized of a normalized operator is the same operator; of a fromFunctions operator too', () => {
    const rng = new Rng(23);
    const h = randn(rng, 5);
    const conv = Operator.convolution(h, 40, { mode: 'same' });
    const a = Operator.normalized(conv);
    const b = Operator.normalized(a);
    const D = convMatrix(h, 40, 'same').normalizeColumns();
    const f = Operator.fromFunctions({ m: D.m, n: D.n, apply: (x) => matvec(convMatrix(h, 40, 'same'), x), adjoint: (r) => matvecT(convMatrix(h, 40, 'same'), r) });
    const c = Operator.normalized(f);
    try {
      matchesDense(b, D, 1);
      dotTest(b, 2);
      matchesDense(c, D, 3);
      dotTest(c, 4);
    } finally {
      for (const o of [c, f, b, a, conv]) o.dispose();
    }
  });
});

describe('Operator.fromFunctions', () => {
  function wrap(A: Matrix, withColumn: boolean): Operator {
    return Operator.fromFunctions({
      m: A.m, n: A.n,
      apply: (x) => matvec(A, x),
      adjoint: (r) => Array.from(matvecT(A, r)), // a number[] is accepted too
      ...(withColumn ? { column: (j: number) => A.data.slice(j * A.m, (j + 1) * A.m) } : {}),
    });
  }

  for (const [m, n] of [[1, 1], [3, 1], [1, 4], [12, 31], [40, 25]] as const) {
    for (const withColumn of [false, true]) {
      it(`wrapping a dense ${m} x ${n} matrix (column ${withColumn ? 'given' : 'from apply'}): dot test, equal to it`, () => {
        const rng = new Rng(m * 100 + n);
        const A = new Matrix(m, n, randn(rng, m * n));
        const op = wrap(A, withColumn);
        try {
          expect(op.kind).toBe('functions');
          dotTest(op, m + n);
          matchesDense(op, A, m * n);
        } finally {
          op.dispose();
        }
      });
    }
  }
});

describe('bad arguments', () => {
  it('partialDct: rows out of range, repeated, empty, not integers; n < 1, non-integer n; bad options', () => {
    expect(() => Operator.partialDct(8, [0, 8])).toThrow(/Operator\.partialDct.*rows\[1\].*\[0, 7\].*received 8/);
    expect(() => Operator.partialDct(8, [-1])).toThrow(/Operator\.partialDct.*rows\[0\].*received -1/);
    expect(() => Operator.partialDct(8, [1.5])).toThrow(/Operator\.partialDct.*rows\[0\].*received 1\.5/);
    expect(() => Operator.partialDct(8, [NaN])).toThrow(/Operator\.partialDct.*rows\[0\]/);
    expect(() => Operator.partialDct(8, [2, 3, 2])).toThrow(/Operator\.partialDct.*rows must be distinct, received 2 twice/);
    expect(() => Operator.partialDct(8, [])).toThrow(RangeError);
    expect(() => Operator.partialDct(8, [])).toThrow(/Operator\.partialDct.*rows must not be empty/);
    expect(() => Operator.partialDct(4, [0, 1, 2, 3, 0])).toThrow(/Operator\.partialDct.*rows/);
    expect(() => Operator.partialDct(8, null as unknown as number[])).toThrow(TypeError);
    expect(() => Operator.partialDct(8, null as unknown as number[])).toThrow(/Operator\.partialDct.*rows/);
    expect(() => Operator.partialDct(0, [0])).toThrow(RangeError);
    expect(() => Operator.partialDct(0, [0])).toThrow(/Operator\.partialDct.*n.*received 0/);
    expect(() => Operator.partialDct(-4, [0])).toThrow(/Operator\.partialDct.*n.*received -4/);
    expect(() => Operator.partialDct(8.5, [0])).toThrow(/Operator\.partialDct.*n.*received 8\.5/);
    expect(() => Operator.partialDct(NaN, [0])).toThrow(/Operator\.partialDct.*n.*received NaN/);
    expect(() => Operator.partialDct('8' as unknown as number, [0])).toThrow(TypeError);
    expect(() => Operator.partialDct(8, [0], { scale: 1 as unknown as boolean })).toThrow(/Operator\.partialDct.*options\.scale.*boolean/);
    expect(() => Operator.partialDct(8, [0], 'x' as never)).toThrow(/Operator\.partialDct.*options/);
  });

  it('convolution: empty h, NaN or Infinity in h, non-numbers, n < 1, non-integer n, bad mode and method', () => {
    expect(() => Operator.convolution([], 8)).toThrow(RangeError);
    expect(() => Operator.convolution([], 8)).toThrow(/Operator\.convolution.*h must not be empty/);
    expect(() => Operator.convolution([1, NaN], 8)).toThrow(RangeError);
    expect(() => Operator.convolution([1, NaN], 8)).toThrow(/Operator\.convolution.*h\[1\].*finite.*NaN/);
    expect(() => Operator.convolution(new Float64Array([Infinity]), 8)).toThrow(/Operator\.convolution.*h\[0\].*Infinity/);
    expect(() => Operator.convolution([1, '2' as unknown as number], 8)).toThrow(TypeError);
    expect(() => Operator.convolution([1, '2' as unknown as number], 8)).toThrow(/Operator\.convolution.*h\[1\]/);
    expect(() => Operator.convolution(null as unknown as number[], 8)).toThrow(/Operator\.convolution.*h/);
    expect(() => Operator.convolution([1e200, 1], 8)).toThrow(/Operator\.convolution.*h\[0\]/);
    expect(() => Operator.convolution([1], 0)).toThrow(RangeError);
    expect(() => Operator.convolution([1], 0)).toThrow(/Operator\.convolution.*n.*received 0/);
    expect(() => Operator.convolution([1], -3)).toThrow(/Operator\.convolution.*n.*received -3/);
    expect(() => Operator.convolution([1], 2.5)).toThrow(/Operator\.convolution.*n.*received 2\.5/);
    expect(() => Operator.convolution([1], 8, { mode: 'valid' as never })).toThrow(/Operator\.convolution.*options\.mode.*received "valid"/);
    expect(() => Operator.convolution([1], 8, { mode: 'valid' as never })).toThrow(RangeError);
    expect(() => Operator.convolution([1], 8, { method: 'slow' as never })).toThrow(/Operator\.convolution.*options\.method/);
    expect(() => Operator.convolution([1], 8, 5 as never)).toThrow(/Operator\.convolution.*options/);
  });

  it('normalized: not an Operator, a disposed one; an operator whose inner one was disposed', () => {
    expect(() => Operator.normalized({} as Operator)).toThrow(TypeError);
    expect(() => Operator.normalized({} as Operator)).toThrow(/Operator\.normalized.*op must be an Operator/);
    expect(() => Operator.normalized(null as unknown as Operator)).toThrow(/Operator\.normalized.*op/);
    expect(() => Operator.normalized(new Matrix(2, 2, [1, 0, 0, 1]) as unknown as Operator)).toThrow(/Operator\.normalized.*op must be an Operator/);
    const d = Operator.partialDct(16, [1, 2, 3]);
    d.dispose();
    expect(() => Operator.normalized(d)).toThrow(TypeError);
    expect(() => Operator.normalized(d)).toThrow(/Operator\.normalized.*disposed/);
    const dense = Operator.dense(new Matrix(2, 3, [1, 2, 3, 4, 5, 6]));
    dense.dispose();
    expect(() => Operator.normalized(dense)).toThrow(/Operator\.normalized.*disposed/);

    const inner = Operator.convolution([1, 2, 1], 20);
    const op = S(Operator.normalized(inner));
    expect(op.apply(new Float64Array(20).fill(1)).length).toBe(22);
    inner.dispose();
    expect(() => op.apply(new Float64Array(20))).toThrow(TypeError);
    expect(() => op.apply(new Float64Array(20))).toThrow(/Operator\.normalized.*disposed/);
    expect(() => op.adjoint(new Float64Array(22))).toThrow(/Operator\.normalized.*disposed/);
    expect(() => op.column(0)).toThrow(/Operator\.normalized.*disposed/);
    expect(() => op.colNorms()).toThrow(/Operator\.normalized.*disposed/);
    expect(() => op.spectralNorm()).toThrow(/Operator\.normalized.*disposed/);
    expect(() => op.matrix.data).toThrow(/Operator\.normalized.*disposed/);
    op.dispose();

    // two levels: the innermost operator disposed under a live normalized one
    const conv = Operator.convolution([1, 2, 1], 30, { mode: 'same' });
    const mid = Operator.normalized(conv);
    const outer = S(Operator.normalized(mid));
    conv.dispose();
    expect(mid.disposed).toBe(false);
    expect(() => outer.apply(new Float64Array(30).fill(1))).toThrow(TypeError);
    expect(() => outer.apply(new Float64Array(30).fill(1))).toThrow(/Operator\.normalized.*disposed/);
    expect(() => outer.adjoint(new Float64Array(30))).toThrow(/Operator\.normalized.*disposed/);
    expect(() => outer.column(3)).toThrow(/Operator\.normalized.*disposed/);
    expect(() => Operator.normalized(mid)).toThrow(/Operator\.normalized.*disposed/);
    outer.dispose();
    mid.dispose();
  });

  it('fromFunctions: spec, m, n, apply, adjoint, column checked at construction', () => {
    const ok = { m: 2, n: 3, apply: () => [0, 0], adjoint: () => [0, 0, 0] };
    expect(() => Operator.fromFunctions(null as never)).toThrow(/Operator\.fromFunctions.*spec/);
    expect(() => Operator.fromFunctions({ ...ok, m: 0 })).toThrow(RangeError);
    expect(() => Operator.fromFunctions({ ...ok, m: 0 })).toThrow(/Operator\.fromFunctions.*m.*received 0/);
    expect(() => Operator.fromFunctions({ ...ok, n: 1.5 })).toThrow(/Operator\.fromFunctions.*n.*received 1\.5/);
    expect(() => Operator.fromFunctions({ ...ok, m: NaN })).toThrow(/Operator\.fromFunctions.*m/);
    expect(() => Operator.fromFunctions({ m: 2, n: 3, adjoint: ok.adjoint } as never)).toThrow(TypeError);
    expect(() => Operator.fromFunctions({ m: 2, n: 3, adjoint: ok.adjoint } as never)).toThrow(/Operator\.fromFunctions.*apply must be a function/);
    expect(() => Operator.fromFunctions({ m: 2, n: 3, apply: ok.apply } as never)).toThrow(/Operator\.fromFunctions.*adjoint must be a function/);
    expect(() => Operator.fromFunctions({ ...ok, column: 3 } as never)).toThrow(/Operator\.fromFunctions.*column must be a function/);
    // the column norms come from apply(e_j) at construction: a bad apply shows there
    expect(() => Operator.fromFunctions({ ...ok, apply: () => [0, 0, 0] })).toThrow(RangeError);
    expect(() => Operator.fromFunctions({ ...ok, apply: () => [0, 0, 0] })).toThrow(/Operator\.fromFunctions.*apply must return 2 numbers, received length 3/);
    expect(() => Operator.fromFunctions({ ...ok, apply: () => [0, NaN] })).toThrow(/Operator\.fromFunctions.*apply must return finite numbers.*NaN.*index 1/);
    expect(() => Operator.fromFunctions({ ...ok, apply: () => 7 as never })).toThrow(TypeError);
    expect(() => Operator.fromFunctions({ ...ok, apply: () => 7 as never })).toThrow(/Operator\.fromFunctions.*apply must return an array/);
    expect(() => Operator.fromFunctions({ ...ok, column: () => [1] })).toThrow(/Operator\.fromFunctions.*column must return 2 numbers, received length 1/);
    // a throwing user function: its own error, and the module still works afterwards
    expect(() => Operator.fromFunctions({ ...ok, apply: () => { throw new Error('user bug'); } })).toThrow(/user bug/);
    const op = S(Operator.partialDct(8, [0, 1]));
    expect(op.apply(new Float64Array(8).fill(1)).length).toBe(2);
    op.dispose();
  });

  it('structured apply, adjoint and column check their arguments and refuse a disposed operator', () => {
    const op = S(Operator.partialDct(8, [0, 3, 5]));
    expect(() => op.apply(new Float64Array(7))).toThrow(/Operator\.partialDct\.apply.*length 8.*received length 7/);
    expect(() => op.adjoint([1, 2])).toThrow(/Operator\.partialDct\.adjoint.*length 3/);
    expect(() => op.apply([1, 2, 3, 4, 5, 6, 7, NaN])).toThrow(/Operator\.partialDct\.apply: x\[7\] must be a finite number, received NaN/);
    expect(() => op.column(8)).toThrow(/Operator\.partialDct\.column.*j.*received 8/);
    expect(() => op.column(-1)).toThrow(RangeError);
    op.dispose();
    expect(op.disposed).toBe(true);
    op.dispose(); // idempotent
    for (const f of [() => op.apply(new Float64Array(8)), () => op.adjoint(new Float64Array(3)), () => op.column(0), () => op.colNorms(), () => op.spectralNorm()]) {
      expect(f).toThrow(TypeError);
      expect(f).toThrow(/disposed/);
    }
  });
});

// The partial DCT and convolution operators (WASM: src/core/transforms.ts;
// JS twin: src/js/transforms.ts): the dot test, equality with the dense
// matrices of the package (dctMatrix, gaussianConvolution) and with explicit
// sums, WASM == JS, and the argument errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { dctMatrix, init, Matrix } from '../src/index.js';
import { gaussianConvolution, FILTER_HALF_WIDTH_SIGMAS } from '../src/data/dictionaries.js';
import { Convolution, PartialDct, type ConvolutionMode, type LinearTransform } from '../src/core/transforms.js';
import { JsConvolution, JsPartialDct } from '../src/js/transforms.js';
import { Rng } from '../src/core/random.js';
import { relDiff } from './helpers.js';

const rng = new Rng(18);
const vec = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng.normal());
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * <A x, r> = <x, A^T r> to 1e-12 relative to ||A x|| ||r|| (the scale of the
 * inner product by Cauchy-Schwarz), on three random pairs. Relative to the
 * inner product itself the check would fail on exact arithmetic's rounding
 * alone: for random r it is about ||A x|| ||r|| / sqrt(m), so its summation
 * error alone grows like sqrt(m) eps (1.7e-12 seen at m = 1e5).
 */
function dotTest(op: LinearTransform, label: string): void {
  for (let t = 0; t < 3; t++) {
    const x = vec(op.n), r = vec(op.m);
    const Ax = op.apply(x);
    const lhs = dot(Ax, r), rhs = dot(x, op.adjoint(r));
    const scale = Math.sqrt(dot(Ax, Ax) * dot(r, r));
    expect(Math.abs(lhs - rhs) / Math.max(scale, 1e-300), label).toBeLessThan(1e-12);
  }
}

/** max |a_i - b_i| (0 when equal entry for entry). */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** apply, adjoint, column norms equal those of the dense matrix D (m x n). */
function matchesDense(op: LinearTransform, D: Matrix, label: string, tol = 1e-12): void {
  expect([op.m, op.n], label).toEqual([D.m, D.n]);
  const x = vec(op.n), r = vec(op.m);
  const Dx = new Float64Array(D.m), Dtr = new Float64Array(D.n);
  for (let j = 0; j < D.n; j++) {
    for (let i = 0; i < D.m; i++) {
      Dx[i] += D.data[i + j * D.m] * x[j];
      Dtr[j] += D.data[i + j * D.m] * r[i];
    }
  }
  expect(relDiff(op.apply(x), Dx), `${label}: A x`).toBeLessThan(tol);
  expect(relDiff(op.adjoint(r), Dtr), `${label}: A^T r`).toBeLessThan(tol);
  expect(relDiff(op.colNorms(), D.colNorms()), `${label}: column norms`).toBeLessThan(tol);
}

/** The sampled Gaussian filter of gaussianConvolution, unit norm. */
function gaussianFilter(sigma: number): Float64Array {
  const w = Math.ceil(FILTER_HALF_WIDTH_SIGMAS * sigma);
  const h = Float64Array.from({ length: 2 * w + 1 }, (_, t) => Math.exp(-((t - w) ** 2) / (2 * sigma * sigma)));
  const s = Math.hypot(...h);
  return h.map((v) => v / s);
}

/** Explicit sums: A[i, j] of the convolution in each mode. */
function convEntry(h: ArrayLike<number>, n: number, mode: ConvolutionMode, i: number, j: number): number {
  const L = h.length;
  if (mode === 'circular') {
    let s = 0;
    for (let t = 0; t < L; t++) if ((j + t) % n === i) s += h[t];
    return s;
  }
  const t = i + (mode === 'same' ? Math.floor((L - 1) / 2) : 0) - j;
  return t >= 0 && t < L ? h[t] : 0;
}

beforeAll(async () => {
  await init();
});

describe('PartialDct', () => {
  const cases: Array<[number, number]> = [[1, 1], [2, 1], [7, 3], [16, 16], [64, 16], [100, 37], [127, 40], [360, 90], [1024, 256]];
  const pick = (n: number, m: number): number[] => Array.from(rng.sample(n, m));

  it('equals dctMatrix(n, rows) column for column, and dense() equals it (WASM and JS)', () => {
    for (const [n, m] of cases) {
      const rows = pick(n, m);
      const D = dctMatrix(n, rows);
      for (const op of [new PartialDct(n, rows), new JsPartialDct(n, rows)]) {
        const label = `${op.constructor.name} n = ${n}, m = ${m}`;
        for (let j = 0; j < n; j++) expect(relDiff(op.column(j), D.column(j)), `${label} column ${j}`).toBeLessThan(1e-12);
        expect(relDiff(op.dense().data, D.data), label).toBeLessThan(1e-12);
        matchesDense(op, D, label);
        if (op instanceof PartialDct) op.dispose();
      }
    }
  });

  it('scale: false gives the plain rows of the orthonormal DCT-II', () => {
    const n = 50, rows = [3, 0, 49, 17];
    const op = new PartialDct(n, rows, { scale: false });
    const D = dctMatrix(n, rows);
    const s = Math.sqrt(n / rows.length);
    expect(relDiff(op.dense().data, D.data.map((v) => v / s))).toBeLessThan(1e-12);
    matchesDense(op, new Matrix(D.m, D.n, D.data.map((v) => v / s)), 'unscaled');
    op.dispose();
  });

  it('passes the dot test; WASM == JS twin (apply, adjoint, norms) at large n', () => {
    for (const [n, m] of [...cases, [4096, 1024], [10000, 1250], [65536, 8192]] as Array<[number, number]>) {
      const rows = pick(n, m);
      const w = new PartialDct(n, rows), j = new JsPartialDct(n, rows);
      dotTest(w, `WASM n = ${n}`);
      dotTest(j, `JS n = ${n}`);
      const x = vec(n), r = vec(m);
      expect(relDiff(w.apply(x), j.apply(x)), `apply n = ${n}`).toBeLessThan(1e-12);
      expect(relDiff(w.adjoint(r), j.adjoint(r)), `adjoint n = ${n}`).toBeLessThan(1e-12);
      expect(relDiff(w.colNorms(), j.colNorms()), `norms n = ${n}`).toBeLessThan(1e-12);
      w.dispose();
    }
  });

  it('with all n rows it is orthogonal: adjoint(apply(x)) = x', () => {
    for (const n of [5, 64, 1000, 4097]) {
      const all = Array.from({ length: n }, (_, k) => n - 1 - k);
      const op = new PartialDct(n, all, { scale: false });
      const x = vec(n);
      expect(relDiff(op.adjoint(op.apply(x)), x), `n = ${n}`).toBeLessThan(1e-13);
      op.dispose();
    }
  });

  it('refuses bad arguments with a RangeError / TypeError naming the argument', () => {
    for (const C of [PartialDct, JsPartialDct]) {
      const name = C.name;
      expect(() => new C(0, [0])).toThrow(new RegExp(`${name}: n must be an integer in \\[1, `));
      expect(() => new C(0, [0])).toThrow(RangeError);
      expect(() => new C(8, [])).toThrow(new RegExp(`${name}: rows must not be empty`));
      expect(() => new C(8, [1, 8])).toThrow(new RegExp(`${name}: rows\\[1\\] must be an integer in \\[0, 7\\], received 8`));
      expect(() => new C(8, [-1])).toThrow(RangeError);
      expect(() => new C(8, [2, 3, 2])).toThrow(new RegExp(`${name}: rows must be distinct, received 2 twice`));
      expect(() => new C(8, [1.5])).toThrow(RangeError);
      expect(() => new C(8, 'abc' as never)).toThrow(TypeError);
      expect(() => new C(8, [1], { scale: 'yes' } as never)).toThrow(new RegExp(`${name}: options.scale must be a boolean`));
      const op = new C(8, [1, 2]);
      expect(() => op.apply(new Float64Array(7))).toThrow(/apply: x must have length 8/);
      expect(() => op.adjoint([1, NaN])).toThrow(/adjoint: r\[1\] must be finite/);
      expect(() => op.column(8)).toThrow(/column: j must be an integer in \[0, 7\]/);
      if (op instanceof PartialDct) op.dispose();
    }
  });
});

describe('Convolution', () => {
  const modes: ConvolutionMode[] = ['full', 'same', 'circular'];

  it('equals the explicit sums in every mode, by both methods and in JS, for filters of any length', () => {
    for (const mode of modes) {
      for (const n of [1, 2, 5, 16, 33, 100]) {
        for (const L of [1, 2, 3, 4, 7, 50, 64, 150]) {
          const h = vec(L);
          const m = mode === 'full' ? n + L - 1 : n;
          const D = new Matrix(m, n, Float64Array.from({ length: m * n }, (_, q) => convEntry(h, n, mode, q % m, Math.floor(q / m))));
          const ops: LinearTransform[] = [
            new Convolution(h, n, { mode, method: 'direct' }),
            new Convolution(h, n, { mode, method: 'fft' }),
            new JsConvolution(h, n, { mode }),
          ];
          for (const op of ops) {
            const label = `${op.constructor.name} ${mode} n = ${n}, L = ${L}${op instanceof Convolution ? ` ${op.method}` : ''}`;
            expect(maxAbsDiff(op.dense().data, D.data), label).toBe(0);
            matchesDense(op, D, label);
            dotTest(op, label);
            if (op instanceof Convolution) op.dispose();
          }
        }
      }
    }
  });

  it("a Gaussian filter equals gaussianConvolution: 'full' column for column, 'same' after unit-norm columns", () => {
    for (const [n, sigma] of [[50, 1], [200, 3], [64, 0.7], [300, 10]] as Array<[number, number]>) {
      const h = gaussianFilter(sigma);
      for (const method of ['direct', 'fft'] as const) {
        const full = new Convolution(h, n, { mode: 'full', method });
        const G = gaussianConvolution(n, sigma, 'full');
        expect([full.m, full.n]).toEqual([G.m, G.n]);
        for (let j = 0; j < n; j++) expect(relDiff(full.column(j), G.column(j)), `full n = ${n} sigma = ${sigma} column ${j}`).toBeLessThan(1e-12);
        matchesDense(full, G, `full ${method} n = ${n}`);
        const same = new Convolution(h, n, { mode: 'same', method });
        const S = gaussianConvolution(n, sigma, 'same');
        const norms = same.colNorms();
        const Sd = same.dense();
        for (let j = 0; j < n; j++) {
          const col = Sd.column(j).map((v) => v / norms[j]);
          expect(relDiff(col, S.column(j)), `same n = ${n} sigma = ${sigma} column ${j}`).toBeLessThan(1e-12);
        }
        full.dispose();
        same.dispose();
      }
    }
  });

  it('passes the dot test; WASM == JS twin at large n, both methods', () => {
    for (const mode of modes) {
      for (const [n, L] of [[4096, 9], [4096, 301], [10007, 64], [100000, 25], [20000, 1001]] as Array<[number, number]>) {
        const h = vec(L);
        const js = new JsConvolution(h, n, { mode });
        const x = vec(n), r = vec(js.m);
        const jy = js.apply(x), jz = js.adjoint(r);
        for (const method of ['direct', 'fft'] as const) {
          const op = new Convolution(h, n, { mode, method });
          dotTest(op, `${mode} ${method} n = ${n} L = ${L}`);
          expect(relDiff(op.apply(x), jy), `${mode} ${method} apply n = ${n} L = ${L}`).toBeLessThan(1e-12);
          expect(relDiff(op.adjoint(r), jz), `${mode} ${method} adjoint n = ${n} L = ${L}`).toBeLessThan(1e-12);
          op.dispose();
        }
      }
    }
  });

  it("method 'auto' takes direct sums for short filters and the FFT for long ones", () => {
    const short = new Convolution(vec(5), 1000), long = new Convolution(vec(500), 1000);
    expect(short.method).toBe('direct');
    expect(long.method).toBe('fft');
    short.dispose();
    long.dispose();
  });

  it('refuses bad arguments with a RangeError / TypeError naming the argument', () => {
    for (const C of [Convolution, JsConvolution]) {
      const name = C.name;
      expect(() => new C([], 10)).toThrow(new RegExp(`${name}: h must not be empty`));
      expect(() => new C([], 10)).toThrow(RangeError);
      expect(() => new C([1, 2], 0)).toThrow(new RegExp(`${name}: n must be an integer in \\[1, `));
      expect(() => new C([1, 2], 0)).toThrow(RangeError);
      expect(() => new C([1, Infinity], 4)).toThrow(new RegExp(`${name}: h\\[1\\] must be finite`));
      expect(() => new C('x' as never, 4)).toThrow(TypeError);
      expect(() => new C([1], 4, { mode: 'valid' } as never)).toThrow(new RegExp(`${name}: options.mode must be one of 'full', 'same', 'circular'`));
      expect(() => new C([1], 4, { method: 'fast' } as never)).toThrow(new RegExp(`${name}: options.method must be one of`));
      const op = new C([1, 2, 3], 4);
      expect(() => op.apply([1, 2, 3])).toThrow(/apply: x must have length 4/);
      expect(() => op.adjoint(new Float64Array(4))).toThrow(/adjoint: r must have length 6/);
      expect(() => op.column(-1)).toThrow(/column: j must be an integer in \[0, 3\]/);
      if (op instanceof Convolution) op.dispose();
    }
  });
});

// Complex HTP, SP and CoSaMP (src/complex/pursuit.ts; kernels
// assembly/complex/{htp,sp,cosamp}.ts; twins src/js/complex/{htp,sp,cosamp}.ts):
// WASM = JS twin to 1e-9 (same supports, statuses, iterations) on complex
// Gaussian and partial Fourier problems (matrix and operator), complex and
// real x, cold and warm starts; the real htp / sp / cosamp on real data;
// exact recovery; argument errors; and the scalar and debug builds giving the
// SIMD build's bits.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ComplexMatrix, complexCosamp, complexHtp, complexSp, cosamp, fourierMatrix, htp, init, Matrix, Operator, sp } from '../src/index.js';
import type { ComplexSolveResult } from '../src/index.js';
import { Rng } from '../src/core/random.js';
import { cmatVec } from '../src/js/complex/cmatrix.js';
import { INFO_LEN } from '../src/core/kernels.js';
import { cosampJs, htpJs, spJs } from '../src/js/pursuit.js';
import { complexHtpJs } from '../src/js/complex/htp.js';
import { complexSpJs } from '../src/js/complex/sp.js';
import { complexCosampJs } from '../src/js/complex/cosamp.js';

beforeAll(async () => {
  await init();
});

type Solver = typeof complexHtp | typeof complexSp | typeof complexCosamp;
const SOLVERS: [string, Solver][] = [['complexHtp', complexHtp], ['complexSp', complexSp], ['complexCosamp', complexCosamp]];

/** Complex Gaussian A with E|a_ij|^2 = 1/m (columns near unit norm, so HTP's default mu = 1 fits), s-sparse x, y = A x + noise. */
function gaussian(seed: number, m: number, n: number, s: number, realX: boolean, sigma = 0.01) {
  const rng = new Rng(seed);
  const a = rng.normals(2 * m * n);
  const c = 1 / Math.sqrt(2 * m);
  for (let t = 0; t < a.length; t++) a[t] *= c;
  const A = new ComplexMatrix(m, n, a);
  return { A, rows: null, ...measure(A, rng, s, realX, sigma) };
}

/** Partial Fourier A (m random frequencies of n, unit columns), s-sparse x, y = A x + noise. */
function fourier(seed: number, m: number, n: number, s: number, realX: boolean, sigma = 1e-3) {
  const rng = new Rng(seed);
  const rows = Array.from(rng.sample(n - 1, m), (k) => k - (n / 2 - 1));
  const A = fourierMatrix(n, rows);
  return { A, rows, ...measure(A, rng, s, realX, sigma) };
}

function measure(A: ComplexMatrix, rng: Rng, s: number, realX: boolean, sigma: number) {
  const { m, n } = A;
  const x = new Float64Array(2 * n);
  for (const j of rng.sample(n, s)) {
    x[2 * j] = rng.normal();
    if (!realX) x[2 * j + 1] = rng.normal();
  }
  const y = new Float64Array(2 * m);
  cmatVec(A.data, m, n, x, y);
  for (let t = 0; t < 2 * m; t++) y[t] += sigma * rng.normal();
  return { x, y };
}

function expectSame(w: ComplexSolveResult, j: ComplexSolveResult, tol = 1e-9, what = '') {
  expect(Array.from(w.support), what).toEqual(Array.from(j.support));
  expect(w.status, what).toBe(j.status);
  expect(w.iterations, what).toBe(j.iterations);
  expect(w.x.length, what).toBe(j.x.length);
  const scale = Math.max(1, ...Array.from(j.x, Math.abs));
  let d = 0;
  for (let t = 0; t < j.x.length; t++) d = Math.max(d, Math.abs(w.x[t] - j.x[t]));
  expect(d, what).toBeLessThanOrEqual(tol * scale);
  expect(Math.abs(w.residualNorm - j.residualNorm), what).toBeLessThanOrEqual(tol * Math.max(1, j.residualNorm));
}

/** A warm start near the truth: x perturbed, 2n doubles (n with realX). */
function warm(x: Float64Array, realX: boolean, seed: number): Float64Array {
  const rng = new Rng(seed);
  const n = x.length >> 1;
  const out = new Float64Array(realX ? n : 2 * n);
  for (let j = 0; j < n; j++) {
    if (realX) out[j] = x[2 * j] + 0.3 * rng.normal();
    else {
      out[2 * j] = x[2 * j] + 0.3 * rng.normal();
      out[2 * j + 1] = x[2 * j + 1] + 0.3 * rng.normal();
    }
  }
  return out;
}

describe('complex HTP / SP / CoSaMP: WASM == JS twin', () => {
  const cases: [string, number, number, number, number, number][] = [
    // kind, seed, m, n, s, k
    ['gaussian', 1, 20, 50, 4, 6],
    ['gaussian', 2, 40, 100, 8, 10],
    ['gaussian', 3, 33, 77, 5, 5],
    ['gaussian', 4, 64, 256, 10, 12],
    ['gaussian', 9, 12, 30, 4, 5], // 3k > m: the merged sets are capped at m
    ['fourier', 5, 24, 64, 4, 6],
    ['fourier', 6, 36, 128, 6, 6],
    ['fourier', 7, 60, 256, 10, 10],
    ['fourier', 8, 21, 64, 3, 8],
  ];
  for (const [kind, seed, m, n, s, k] of cases) {
    for (const realX of [false, true]) {
      it(`${kind} ${m}x${n} s=${s} k=${k} realX=${realX} (seed ${seed})`, () => {
        const { A, y, x } = kind === 'gaussian' ? gaussian(seed, m, n, s, realX) : fourier(seed, m, n, s, realX);
        const x0 = warm(x, realX, seed + 100);
        for (const [name, f] of SOLVERS) {
          const mus = name === 'complexHtp' ? [undefined, 0.7] : [undefined];
          for (const mu of mus) {
            for (const tol of [0, 1e-3]) {
              for (const start of [undefined, x0]) {
                const o = { k, tol, realX, maxIter: 60, ...(mu === undefined ? {} : { mu }), ...(start ? { x0: start } : {}) };
                const what = `${name} tol=${tol} mu=${mu} warm=${start !== undefined}`;
                expectSame(f(A, y, { ...o, backend: 'wasm' }), f(A, y, { ...o, backend: 'js' }), 1e-9, what);
              }
            }
          }
        }
      });
    }
  }

  it('the partial Fourier operator gives what the dense fourierMatrix gives, on both backends', () => {
    for (const [seed, m, n, s, k] of [[11, 24, 64, 4, 6], [12, 40, 256, 8, 8], [13, 30, 97, 5, 5]]) {
      for (const realX of [false, true]) {
        const rng = new Rng(seed);
        const rows = Array.from(rng.sample(n, m));
        const op = Operator.partialFourier(n, rows);
        try {
          const D = fourierMatrix(n, rows);
          const { y } = measure(D, rng, s, realX, 1e-3);
          for (const [name, f] of SOLVERS) {
            const o = { k, realX, maxIter: 50 };
            const dense = f(D, y, { ...o, backend: 'wasm' });
            expectSame(f(op, y, { ...o, backend: 'wasm' }), dense, 1e-9, `${name} operator wasm n=${n} realX=${realX}`);
            expectSame(f(op, y, { ...o, backend: 'js' }), dense, 1e-9, `${name} operator js n=${n} realX=${realX}`);
          }
        } finally {
          op.dispose();
        }
      }
    }
  });
});

describe('zero imaginary parts reproduce the real htp, sp, cosamp', () => {
  function realProblem(seed: number, m: number, n: number, s: number, sigma: number) {
    const rng = new Rng(seed);
    const data = rng.normals(m * n);
    for (let t = 0; t < data.length; t++) data[t] /= Math.sqrt(m);
    const x = new Float64Array(n);
    for (const j of rng.sample(n, s)) x[j] = rng.normal();
    const y = new Float64Array(m);
    for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) y[i] += data[i + j * m] * x[j];
    for (let i = 0; i < m; i++) y[i] += sigma * rng.normal();
    const yc = new Float64Array(2 * m);
    for (let i = 0; i < m; i++) yc[2 * i] = y[i];
    return { R: new Matrix(m, n, data), C: ComplexMatrix.fromReal(m, n, data), y, yc, x };
  }
  it('the JS twins reproduce htpJs, spJs, cosampJs bit for bit (with and without realX, cold and warm)', () => {
    for (const [seed, m, n, s, k, sigma] of [[25, 30, 80, 5, 6, 0.05], [26, 16, 40, 4, 6, 0.1], [27, 40, 100, 6, 6, 0]]) {
      const { R, C, y, yc, x } = realProblem(seed, m, n, s, sigma);
      const x0r = Float64Array.from(x, (v, j) => v + 0.2 * Math.cos(j * seed));
      const x0c = new Float64Array(2 * n);
      for (let j = 0; j < n; j++) x0c[2 * j] = x0r[j];
      const twins = [
        [(o: { x0: Float64Array | null }) => htpJs(R, y, { k, tol: 0, maxIter: 60, mu: 1, ...o }), (o: { x0: Float64Array | null; realX: boolean }) => complexHtpJs(C, yc, { k, tol: 0, maxIter: 60, mu: 1, ...o })],
        [(o: { x0: Float64Array | null }) => spJs(R, y, { k, tol: 0, maxIter: 60, ...o }), (o: { x0: Float64Array | null; realX: boolean }) => complexSpJs(C, yc, { k, tol: 0, maxIter: 60, ...o })],
        [(o: { x0: Float64Array | null }) => cosampJs(R, y, { k, tol: 0, maxIter: 60, ...o }), (o: { x0: Float64Array | null; realX: boolean }) => complexCosampJs(C, yc, { k, tol: 0, maxIter: 60, ...o })],
      ] as const;
      for (const [real, cplx] of twins) {
        for (const start of [false, true]) {
          const ref = real({ x0: start ? x0r : null });
          for (const realX of [false, true]) {
            const got = cplx({ x0: start ? (realX ? x0r : x0c) : null, realX });
            expect([Array.from(got.support), got.status, got.iterations, got.residualNorm]).toEqual([Array.from(ref.support), ref.status, ref.iterations, ref.residualNorm]);
            expect(Array.from({ length: n }, (_, j) => (realX ? got.x[j] : got.x[2 * j]))).toEqual(Array.from(ref.x));
          }
        }
      }
    }
  });

  const pairs = [['complexHtp', complexHtp, htp], ['complexSp', complexSp, sp], ['complexCosamp', complexCosamp, cosamp]] as const;
  for (const [seed, m, n, s, k, sigma] of [[21, 30, 80, 5, 6, 0.05], [22, 50, 120, 8, 8, 0], [23, 16, 40, 4, 6, 0.1], [24, 64, 200, 10, 12, 0.01]]) {
    it(`m=${m} n=${n} k=${k} sigma=${sigma} (seed ${seed})`, () => {
      const { R, C, y, yc, x } = realProblem(seed, m, n, s, sigma);
      const x0r = Float64Array.from(x, (v, j) => v + 0.2 * Math.sin(j + seed));
      const x0c = new Float64Array(2 * n);
      for (let j = 0; j < n; j++) x0c[2 * j] = x0r[j];
      for (const [name, cf, rf] of pairs) {
        for (const backend of ['wasm', 'js'] as const) {
          for (const start of [false, true]) {
            const ref = rf(R, y, { k, backend, maxIter: 60, ...(start ? { x0: x0r } : {}) });
            for (const realX of [false, true]) {
              const got = cf(C, yc, { k, backend, realX, maxIter: 60, ...(start ? { x0: realX ? x0r : x0c } : {}) });
              const what = `${name} ${backend} realX=${realX} warm=${start}`;
              expect(Array.from(got.support), what).toEqual(Array.from(ref.support));
              expect(got.status, what).toBe(ref.status);
              expect(got.iterations, what).toBe(ref.iterations);
              for (let j = 0; j < n; j++) {
                expect(Math.abs((realX ? got.x[j] : got.x[2 * j]) - ref.x[j]), what).toBeLessThanOrEqual(1e-9);
                if (!realX) expect(Math.abs(got.x[2 * j + 1]), what).toBe(0); // +0 or -0
              }
              expect(Math.abs(got.residualNorm - ref.residualNorm), what).toBeLessThanOrEqual(1e-9);
            }
          }
        }
      }
    });
  }
});

describe('exact recovery', () => {
  it('a well-conditioned complex sparse problem: complex Gaussian, complex x, noiseless', () => {
    const { A, y, x } = gaussian(31, 80, 200, 8, false, 0);
    for (const [name, f] of SOLVERS) {
      for (const backend of ['wasm', 'js'] as const) {
        const r = f(A, y, { k: 8, backend, tol: 1e-12 });
        expect(r.status, `${name} ${backend}`).toBe('converged');
        expect(r.residualNorm).toBeLessThanOrEqual(1e-10);
        for (let t = 0; t < x.length; t++) expect(Math.abs(r.x[t] - x[t]), `${name} ${backend}`).toBeLessThanOrEqual(1e-9);
      }
    }
  });

  it('partial Fourier sampling of a real sparse signal (realX), on the operator and the matrix', () => {
    const n = 512;
    const rng = new Rng(32);
    const rows = Array.from(rng.sample(n, 96));
    const op = Operator.partialFourier(n, rows);
    try {
      const D = fourierMatrix(n, rows);
      const { x, y } = measure(D, rng, 10, true, 0);
      for (const [name, f] of SOLVERS) {
        for (const A of [op, D]) {
          const r = f(A, y, { k: 10, realX: true, tol: 1e-12 });
          expect(r.status, name).toBe('converged');
          expect(r.x.length).toBe(n);
          for (let j = 0; j < n; j++) expect(Math.abs(r.x[j] - x[2 * j]), name).toBeLessThanOrEqual(1e-9);
        }
      }
    } finally {
      op.dispose();
    }
  });

  it('y = 0 gives x = 0 (converged); an all-zero A gives x = 0 (zeroMatrix), on both backends', () => {
    const { A } = gaussian(33, 10, 20, 2, false);
    for (const [name, f] of SOLVERS) {
      for (const backend of ['wasm', 'js'] as const) {
        for (const realX of [false, true]) {
          const z = f(A, new Float64Array(20), { k: 3, backend, realX });
          expect([z.status, z.iterations, z.support.length, z.x.length], name).toEqual(['converged', 0, 0, realX ? 20 : 40]);
          const zm = f(new ComplexMatrix(10, 20), Float64Array.from({ length: 20 }, (_, t) => t + 1), { k: 3, backend, realX });
          expect(zm.status, name).toBe('zeroMatrix');
          expect(zm.x.every((v) => v === 0)).toBe(true);
        }
      }
    }
  });
});

describe('argument errors', () => {
  const { A, y } = gaussian(41, 6, 10, 2, false);
  for (const [name, f] of SOLVERS) {
    it(name, () => {
      const yNaN = Float64Array.from(y);
      yNaN[5] = NaN;
      expect(() => f(A, yNaN, { k: 2 })).toThrow(new RangeError(`${name}: y[5] (the imaginary part of element 2) must be finite, received NaN`));
      const yNaNre = Float64Array.from(y);
      yNaNre[4] = NaN;
      expect(() => f(A, yNaNre, { k: 2 })).toThrow(`${name}: y[4] (the real part of element 2) must be finite, received NaN`);
      expect(() => f(A, y.subarray(0, 10), { k: 2 })).toThrow(RangeError);
      expect(() => f(A, y.subarray(0, 10), { k: 2 })).toThrow(`${name}: y must have length 12`);
      expect(() => f(A, y, { k: 7 })).toThrow(new RangeError(`${name}: k must be an integer in [1, 6], received 7`));
      expect(() => f(A, y, { k: 0 })).toThrow(RangeError);
      expect(() => f(A, y, {} as { k: number })).toThrow(TypeError);
      expect(() => f(A, y, undefined as unknown as { k: number })).toThrow(new RegExp(`^${name}: options must be an object`));
      expect(() => f({ m: 6, n: 10 } as unknown as ComplexMatrix, y, { k: 2 })).toThrow(new RegExp(`^${name}: A must be a ComplexMatrix`));
      expect(() => f(A, y, { k: 2, tol: 2 })).toThrow(new RegExp(`^${name}: tol must be`));
      expect(() => f(A, y, { k: 2, maxIter: 0 })).toThrow(new RegExp(`^${name}: maxIter must be an integer`));
      expect(() => f(A, y, { k: 2, realX: 1 as unknown as boolean })).toThrow(new TypeError(`${name}: realX must be true or false, received 1`));
      expect(() => f(A, y, { k: 2, backend: 'gpu' as 'js' })).toThrow(new RegExp(`^${name}: backend must be one of`));
      const x0 = new Float64Array(20);
      x0[3] = NaN;
      expect(() => f(A, y, { k: 2, x0 })).toThrow(new RangeError(`${name}: x0[3] (the imaginary part of element 1) must be finite, received NaN`));
      expect(() => f(A, y, { k: 2, x0: new Float64Array(20), realX: true })).toThrow(new RangeError(`${name}: x0 must have length 10 (n real values, with realX), received length 20`));
      expect(() => f(A, y, { k: 2, x0: new Float64Array(10) })).toThrow(`${name}: x0 must have length 20`);
      const bad = new ComplexMatrix(6, 10, A.data);
      bad.data[7] = Infinity;
      expect(() => f(bad, y, { k: 2 })).toThrow(new RangeError(`${name}: A.data[7] (the imaginary part of element 3) must be finite, received Infinity`));
      if (name === 'complexHtp') {
        expect(() => f(A, y, { k: 2, mu: 0 } as object as { k: number })).toThrow(new RegExp(`^${name}: mu must be a finite number in \\(0`));
        expect(() => f(A, y, { k: 2, mu: NaN } as object as { k: number })).toThrow(RangeError);
      } else {
        expect(() => f(A, y, { k: 2, mu: 1 } as object as { k: number })).toThrow(new TypeError(`${name}: mu must be undefined (${name} takes no mu), received 1`));
      }
      const op = Operator.partialFourier(16, [1, 2, 3]);
      op.dispose();
      expect(() => f(op, new Float64Array(6), { k: 1 })).toThrow(new RegExp(`^${name}: A is disposed`));
    });
  }
});

// The kernels called directly on the SIMD, scalar and debug builds (the debug build checks the workspace guards).
interface Raw {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(p: number): void;
  [kernel: string]: ((...a: number[]) => number) | WebAssembly.Memory | ((...a: number[]) => void);
}

async function load(file: string): Promise<Raw> {
  const mod = await WebAssembly.compile(readFileSync(new URL(`../build/${file}`, import.meta.url)));
  const inst = await WebAssembly.instantiate(mod, { env: { abort: () => { throw new Error('abort'); }, opHost: () => { throw new Error('opHost'); } } });
  return inst.exports as unknown as Raw;
}

function put(k: Raw, data: ArrayLike<number>): number {
  const p = k.alloc(Math.max(16, data.length * 8)) >>> 0;
  new Float64Array(k.memory.buffer, p, data.length).set(data);
  return p;
}

function runRaw(k: Raw, name: string, A: ComplexMatrix, y: Float64Array, kk: number, maxIter: number, mu: number, x0: Float64Array | null, realX: number) {
  const { m, n } = A;
  const pA = put(k, A.data), pN = put(k, A.colNorms()), pY = put(k, y), p0 = x0 ? put(k, x0) : 0;
  const px = k.alloc(16 * n) >>> 0, ps = k.alloc(4 * kk + 16) >>> 0, pi = k.alloc(8 * INFO_LEN) >>> 0;
  const pw = k.alloc((k[`${name}Workspace64`] as (m: number, n: number, k: number) => number)(m, n, kk)) >>> 0;
  const code = (k[name] as (...a: number[]) => number)(pA, m, n, pN, pY, kk, maxIter, 0, mu, p0, px, ps, pi, pw, realX);
  const out = { code, info: new Float64Array(k.memory.buffer, pi, INFO_LEN).slice(), x: new Float64Array(k.memory.buffer, px, 2 * n).slice() };
  for (const p of [pA, pN, pY, px, ps, pi, pw]) k.free(p);
  if (p0) k.free(p0);
  return out;
}

describe('scalar and debug builds', () => {
  let simd: Raw, scalar: Raw, debug: Raw;
  beforeAll(async () => {
    [simd, scalar, debug] = await Promise.all([load('release.wasm'), load('scalar.wasm'), load('debug.wasm')]);
  });

  it('complexHtp, complexSp, complexCosamp: the scalar and debug builds give the SIMD build\'s bits', () => {
    for (const [seed, m, n, s, k] of [[51, 20, 50, 4, 6], [52, 33, 77, 5, 5], [53, 12, 30, 4, 5]]) {
      for (const realX of [0, 1]) {
        const { A, y, x } = gaussian(seed, m, n, s, realX === 1, 0.05);
        for (const x0 of [null, warm(x, realX === 1, seed)]) {
          for (const [name, mu] of [['complexHtp', 1], ['complexSp', 0], ['complexCosamp', 0]] as const) {
            const [a, b, c] = [simd, scalar, debug].map((bk) => runRaw(bk, name, A, y, k, 40, mu, x0, realX));
            for (const o of [b, c]) {
              expect(o.code).toBe(a.code);
              expect(Array.from(o.info)).toEqual(Array.from(a.info));
              expect(Array.from(o.x)).toEqual(Array.from(a.x));
            }
          }
        }
      }
    }
  });
});

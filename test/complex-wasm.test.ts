// The complex WASM kernels (assembly/complex) through the facade
// (src/complex/solve.ts): equal to the JS twins (src/js/complex) to 1e-9 with
// the same supports, statuses and iterations; OMP against the NumPy reference;
// the real solvers reproduced on real data; argument errors; and the scalar and
// debug builds agreeing with the SIMD build bit for bit.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ComplexMatrix, complexIht, complexNiht, complexOmp, fourierMatrix, iht, init, Matrix, niht, omp } from '../src/index.js';
import type { ComplexSolveResult } from '../src/index.js';
import { Rng } from '../src/core/random.js';
import { cmatHVec, cmatVec } from '../src/js/complex/cmatrix.js';
import { INFO_LEN } from '../src/core/kernels.js';

beforeAll(async () => {
  await init();
});

type Solver = typeof complexOmp | typeof complexIht | typeof complexNiht;
const SOLVERS: [string, Solver][] = [['complexOmp', complexOmp], ['complexIht', complexIht], ['complexNiht', complexNiht]];

/** Complex Gaussian A (columns not normalised), s-sparse x (complex, or real when realX), y = A x + noise. */
function gaussian(seed: number, m: number, n: number, s: number, realX: boolean, sigma = 0.01) {
  const rng = new Rng(seed);
  const A = new ComplexMatrix(m, n, rng.normals(2 * m * n));
  return { A, y: measure(A, rng, s, realX, sigma) };
}

/** Partial Fourier A (m random frequencies of n), s-sparse x, y = A x + noise. */
function fourier(seed: number, m: number, n: number, s: number, realX: boolean, sigma = 1e-3) {
  const rng = new Rng(seed);
  const rows = Array.from(rng.sample(n - 1, m), (k) => k - (n / 2 - 1));
  const A = fourierMatrix(n, rows);
  return { A, y: measure(A, rng, s, realX, sigma) };
}

function measure(A: ComplexMatrix, rng: Rng, s: number, realX: boolean, sigma: number): Float64Array {
  const { m, n } = A;
  const x = new Float64Array(2 * n);
  for (const j of rng.sample(n, s)) {
    x[2 * j] = rng.normal();
    if (!realX) x[2 * j + 1] = rng.normal();
  }
  const y = new Float64Array(2 * m);
  cmatVec(A.data, m, n, x, y);
  for (let t = 0; t < 2 * m; t++) y[t] += sigma * rng.normal();
  return y;
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

describe('complex WASM == JS twin', () => {
  const cases: [string, number, number, number, number, number][] = [
    // kind flag 0 gaussian / 1 fourier, seed, m, n, s, k
    ['gaussian', 1, 20, 50, 4, 6],
    ['gaussian', 2, 40, 100, 8, 10],
    ['gaussian', 3, 33, 77, 5, 5],
    ['gaussian', 4, 64, 256, 10, 10],
    ['fourier', 5, 24, 64, 4, 6],
    ['fourier', 6, 36, 128, 6, 6],
    ['fourier', 7, 60, 256, 10, 10],
    ['fourier', 8, 21, 64, 3, 5],
  ];
  for (const [kind, seed, m, n, s, k] of cases) {
    for (const realX of [false, true]) {
      it(`${kind} ${m}x${n} s=${s} k=${k} realX=${realX} (seed ${seed})`, () => {
        const { A, y } = kind === 'gaussian' ? gaussian(seed, m, n, s, realX) : fourier(seed, m, n, s, realX);
        for (const [name, f] of SOLVERS) {
          for (const tol of [0, 1e-3]) {
            const o = name === 'complexOmp' ? { k, tol, realX } : { k, tol, realX, maxIter: 300 };
            expectSame(f(A, y, { ...o, backend: 'wasm' }), f(A, y, { ...o, backend: 'js' }), 1e-9, `${name} tol=${tol}`);
          }
        }
      });
    }
  }

  it('IHT with a given step, a warm start, and a step that diverges', () => {
    for (const realX of [false, true]) {
      const { A, y } = gaussian(11, 30, 80, 4, realX);
      const n = A.n;
      const x0 = new Float64Array(realX ? n : 2 * n);
      for (let t = 0; t < x0.length; t += 7) x0[t] = 0.1 * (t % 3) - 0.05;
      for (const mu of [1e-3, 0.01]) {
        const o = { k: 6, mu, maxIter: 200, realX };
        expectSame(complexIht(A, y, { ...o, backend: 'wasm' }), complexIht(A, y, { ...o, backend: 'js' }));
        expectSame(complexIht(A, y, { ...o, x0, backend: 'wasm' }), complexIht(A, y, { ...o, x0, backend: 'js' }));
      }
      const big = { k: 6, mu: 1e100, maxIter: 50, realX };
      const w = complexIht(A, y, { ...big, backend: 'wasm' });
      expect(w.status).toBe('diverged');
      expectSame(w, complexIht(A, y, { ...big, backend: 'js' }));
      const o = { k: 6, maxIter: 100, realX, x0 };
      expectSame(complexNiht(A, y, { ...o, backend: 'wasm' }), complexNiht(A, y, { ...o, backend: 'js' }));
    }
  });

  it('exact recovery: OMP and NIHT converge to x on a noiseless problem, in both modes', () => {
    for (const realX of [false, true]) {
      const { A, y } = fourier(21, 48, 128, 5, realX, 0);
      for (const f of [complexOmp, complexNiht]) {
        const r = f(A, y, { k: 5, tol: 1e-10, realX });
        expect(r.status).toBe('converged');
        expect(r.residualNorm).toBeLessThan(1e-9);
        expect(r.x.length).toBe(realX ? 128 : 256);
      }
    }
  });

  it('y = 0 and an all-zero A: x = 0, converged / zeroMatrix, on both backends', () => {
    const A = new ComplexMatrix(4, 6);
    const y = Float64Array.from([1, 0, 0, 2, 0, 0, 0, 0]);
    for (const [, f] of SOLVERS) {
      for (const backend of ['wasm', 'js'] as const) {
        const z = f(A, y, { k: 2, backend });
        expect(z.status).toBe('zeroMatrix');
        expect(z.residualNorm).toBeCloseTo(Math.sqrt(5), 14);
        expect(Array.from(z.x)).toEqual(new Array(12).fill(0));
        const B = fourierMatrix(6, [0, 1, 2, 3]);
        const c = f(B, new Float64Array(8), { k: 2, backend, realX: true });
        expect([c.status, c.residualNorm, c.iterations, c.support.length, c.x.length]).toEqual(['converged', 0, 0, 0, 6]);
      }
    }
  });
});

interface FixtureProblem {
  name: string; m: number; n: number; k: number; real_x: boolean; A: string; y: string; support: number[]; coef: string; residual_norm: number;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/complex_omp.json', import.meta.url), 'utf8')) as { problems: FixtureProblem[] };

function f64(b64: string): Float64Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float64Array(buf.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = buf.readDoubleLE(8 * i);
  return out;
}

describe('complexOmp (WASM) against the NumPy reference', () => {
  for (const p of fixture.problems) {
    it(p.name, () => {
      const A = new ComplexMatrix(p.m, p.n, f64(p.A));
      const res = complexOmp(A, f64(p.y), { k: p.k, realX: p.real_x });
      expect(Array.from(res.support)).toEqual(p.support);
      expect(res.iterations).toBe(p.k);
      const coef = f64(p.coef);
      const scale = Math.max(1, ...Array.from(coef, Math.abs));
      const got: number[] = [];
      for (const j of p.support) {
        if (p.real_x) got.push(res.x[j]);
        else got.push(res.x[2 * j], res.x[2 * j + 1]);
      }
      for (let t = 0; t < coef.length; t++) expect(Math.abs(got[t] - coef[t])).toBeLessThanOrEqual(1e-10 * scale);
      expect(Math.abs(res.residualNorm - p.residual_norm)).toBeLessThanOrEqual(1e-10 * Math.max(1, p.residual_norm));
    });
  }
});

describe('real data (imaginary parts zero) reproduces the real solvers', () => {
  function realProblem(seed: number, m: number, n: number, s: number) {
    const rng = new Rng(seed);
    const data = rng.normals(m * n);
    const x = new Float64Array(n);
    for (const j of rng.sample(n, s)) x[j] = rng.normal();
    const y = new Float64Array(m);
    for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) y[i] += data[i + j * m] * x[j];
    for (let i = 0; i < m; i++) y[i] += 0.01 * rng.normal();
    const yc = new Float64Array(2 * m);
    y.forEach((v, i) => (yc[2 * i] = v));
    return { R: new Matrix(m, n, data), C: ComplexMatrix.fromReal(m, n, data), y, yc };
  }

  for (const [seed, m, n, s, k] of [[1, 20, 50, 4, 6], [2, 40, 100, 8, 8], [3, 64, 256, 10, 10], [4, 31, 90, 5, 5]]) {
    it(`${m}x${n} k=${k} (seed ${seed})`, () => {
      const { R, C, y, yc } = realProblem(seed, m, n, s);
      const mu = 0.5 / R.spectralNorm() ** 2;
      const pairs: [ComplexSolveResult, { x: Float64Array; support: Int32Array; status: string }][] = [];
      for (const backend of ['wasm', 'js'] as const) {
        pairs.push([complexOmp(C, yc, { k, backend }), omp(R, y, { k })]);
        pairs.push([complexIht(C, yc, { k, mu, maxIter: 2000, backend }), iht(R, y, { k, mu, maxIter: 2000 })]);
        pairs.push([complexNiht(C, yc, { k, maxIter: 500, backend }), niht(R, y, { k, maxIter: 500 })]);
        pairs.push([complexOmp(C, yc, { k, realX: true, backend }), omp(R, y, { k })]);
        pairs.push([complexIht(C, yc, { k, mu, maxIter: 2000, realX: true, backend }), iht(R, y, { k, mu, maxIter: 2000 })]);
      }
      for (const [c, r] of pairs) {
        expect(Array.from(c.support)).toEqual(Array.from(r.support));
        expect(c.status).toBe(r.status);
        const complexX = c.x.length === 2 * n;
        const scale = Math.max(1, ...Array.from(r.x, Math.abs));
        for (let j = 0; j < n; j++) {
          expect(Math.abs((complexX ? c.x[2 * j] : c.x[j]) - r.x[j])).toBeLessThanOrEqual(1e-9 * scale);
          if (complexX) expect(Math.abs(c.x[2 * j + 1])).toBe(0); // +0 or -0
        }
      }
    });
  }
});

describe('argument errors, before any kernel runs', () => {
  const A = fourierMatrix(16, [0, 1, 2, 3, 5, 8]);
  const y = new Float64Array(12).fill(0.5);
  for (const [name, f] of SOLVERS) {
    it(name, () => {
      const bad = (v: Float64Array, t: number, e: number) => { const c = Float64Array.from(v); c[t] = e; return c; };
      expect(() => f(A, bad(y, 4, NaN), { k: 2 })).toThrow(new RangeError(`${name}: y[4] (the real part of element 2) must be finite, received NaN`));
      expect(() => f(A, bad(y, 5, NaN), { k: 2 })).toThrow(new RangeError(`${name}: y[5] (the imaginary part of element 2) must be finite, received NaN`));
      expect(() => f(A, bad(y, 1, Infinity), { k: 2 })).toThrow(/imaginary part of element 0\) must be finite, received Infinity/);
      expect(() => f(A, y.subarray(0, 10), { k: 2 })).toThrow(new RangeError(`${name}: y must have length 12 (6 complex values, interleaved re, im), received length 10`));
      expect(() => f(A, 'y' as unknown as Float64Array, { k: 2 })).toThrow(TypeError);
      const B = new ComplexMatrix(6, 16, A.data);
      B.data[7] = NaN;
      expect(() => f(B, y, { k: 2 })).toThrow(new RangeError(`${name}: A.data[7] (the imaginary part of element 3) must be finite, received NaN`));
      expect(() => f({ m: 6, n: 16, data: A.data } as unknown as ComplexMatrix, y, { k: 2 })).toThrow(new RegExp(`^${name}: A must be a ComplexMatrix`));
      expect(() => f(A, y, { k: 0 })).toThrow(new RangeError(`${name}: k must be an integer in [1, 6], received 0`));
      expect(() => f(A, y, { k: 7 })).toThrow(new RangeError(`${name}: k must be an integer in [1, 6], received 7`));
      expect(() => f(A, y, { k: 2.5 })).toThrow(RangeError);
      expect(() => f(A, y, {} as { k: number })).toThrow(new TypeError(`${name}: k must be an integer in [1, 6], received undefined`));
      expect(() => f(A, y, undefined as unknown as { k: number })).toThrow(new RegExp(`^${name}: options must be an object`));
      expect(() => f(A, y, { k: 2, tol: 2 })).toThrow(new RangeError(`${name}: tol must be a finite number in [0, 1], received 2`));
      expect(() => f(A, y, { k: 2, realX: 1 as unknown as boolean })).toThrow(new TypeError(`${name}: realX must be true or false, received 1`));
      expect(() => f(A, y, { k: 2, backend: 'gpu' as 'js' })).toThrow(new RangeError(`${name}: backend must be one of 'wasm', 'js', received "gpu"`));
    });
  }

  it('options of one solver only', () => {
    expect(() => complexOmp(A, y, { k: 2, maxIter: 3 } as { k: number })).toThrow(new TypeError('complexOmp: maxIter must be undefined (complexOmp takes no maxIter), received 3'));
    expect(() => complexNiht(A, y, { k: 2, mu: 1 } as { k: number })).toThrow(new TypeError('complexNiht: mu must be undefined (complexNiht chooses its own step), received 1'));
    expect(() => complexIht(A, y, { k: 2, mu: 0 })).toThrow(new RangeError('complexIht: mu must be a finite number in (0, 1.7976931348623157e+308], received 0'));
    expect(() => complexIht(A, y, { k: 2, mu: NaN })).toThrow(RangeError);
    expect(() => complexIht(A, y, { k: 2, maxIter: 0 })).toThrow(/complexIht: maxIter must be an integer in \[1, /);
    expect(() => complexIht(A, y, { k: 2, x0: new Float64Array(16) })).toThrow(new RangeError('complexIht: x0 must have length 32 (16 complex values, interleaved re, im), received length 16'));
    expect(() => complexIht(A, y, { k: 2, realX: true, x0: new Float64Array(32) })).toThrow(new RangeError('complexIht: x0 must have length 16 (n real values, with realX), received length 32'));
    expect(() => complexNiht(A, y, { k: 2, realX: true, x0: [NaN, ...new Array(15).fill(0)] })).toThrow(new RangeError('complexNiht: x0[0] must be finite, received NaN'));
  });
});

// The module's own kernels, called directly on the SIMD build, the scalar build and the debug build (workspace guards).
interface Raw {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(p: number): void;
  cgemvH(A: number, m: number, n: number, r: number, out: number): void;
  cgemvN(A: number, m: number, n: number, x: number, out: number): void;
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

/** Runs a complex solver kernel on build k; returns status, info and x (all 2n doubles). */
function runRaw(k: Raw, name: string, A: ComplexMatrix, y: Float64Array, kk: number, maxIter: number, mu: number, realX: number) {
  const { m, n } = A;
  const pA = put(k, A.data), pN = put(k, A.colNorms()), pY = put(k, y);
  const px = k.alloc(16 * n) >>> 0, ps = k.alloc(4 * kk + 16) >>> 0, pi = k.alloc(8 * INFO_LEN) >>> 0;
  const wsBytes = (k[`${name}Workspace64`] as (m: number, n: number, k: number) => number)(m, n, kk);
  const pw = k.alloc(wsBytes) >>> 0;
  const code = (k[name] as (...a: number[]) => number)(pA, m, n, pN, pY, kk, maxIter, 0, mu, 0, px, ps, pi, pw, realX);
  const out = { code, info: new Float64Array(k.memory.buffer, pi, INFO_LEN).slice(), x: new Float64Array(k.memory.buffer, px, 2 * n).slice() };
  for (const p of [pA, pN, pY, px, ps, pi, pw]) k.free(p);
  return out;
}

describe('scalar and debug builds', () => {
  let simd: Raw, scalar: Raw, debug: Raw;
  beforeAll(async () => {
    [simd, scalar, debug] = await Promise.all([load('release.wasm'), load('scalar.wasm'), load('debug.wasm')]);
  });

  it('cgemvH and cgemvN: the same bits on every build, and A^H r, A x to rounding of plain loops', () => {
    const rng = new Rng(31);
    for (const [m, n] of [[7, 9], [16, 33], [5, 4], [1, 3]]) {
      const A = rng.normals(2 * m * n), r = rng.normals(2 * m), x = rng.normals(2 * n);
      x.fill(0, 0, 8); // a zero block of four columns is skipped
      const outs = [simd, scalar, debug].map((k) => {
        const pA = put(k, A), pr = put(k, r), px = put(k, x), o1 = k.alloc(16 * n) >>> 0, o2 = k.alloc(16 * m) >>> 0;
        k.cgemvH(pA, m, n, pr, o1);
        k.cgemvN(pA, m, n, px, o2);
        const res = [new Float64Array(k.memory.buffer, o1, 2 * n).slice(), new Float64Array(k.memory.buffer, o2, 2 * m).slice()];
        for (const p of [pA, pr, px, o1, o2]) k.free(p);
        return res;
      });
      for (const o of outs.slice(1)) {
        expect(Array.from(o[0])).toEqual(Array.from(outs[0][0]));
        expect(Array.from(o[1])).toEqual(Array.from(outs[0][1]));
      }
      const h = new Float64Array(2 * n), v = new Float64Array(2 * m);
      cmatHVec(A, m, n, r, h);
      cmatVec(A, m, n, x, v);
      for (let t = 0; t < 2 * n; t++) expect(Math.abs(outs[0][0][t] - h[t])).toBeLessThan(1e-12);
      expect(Array.from(outs[0][1])).toEqual(Array.from(v)); // A x in the twin's order, bit for bit
    }
  });

  it('complexOmp, complexIht, complexNiht: the scalar and debug builds give the SIMD build\'s bits', () => {
    for (const [seed, m, n, s, k] of [[41, 20, 50, 4, 6], [42, 33, 77, 5, 5]]) {
      for (const realX of [0, 1]) {
        const { A, y } = gaussian(seed, m, n, s, realX === 1);
        for (const [name, maxIter, mu] of [['complexOmp', k, 0], ['complexIht', 150, 0.5 / (4 * m)], ['complexNiht', 150, 0]] as const) {
          const [a, b, c] = [simd, scalar, debug].map((bk) => runRaw(bk, name, A, y, k, maxIter, mu, realX));
          for (const o of [b, c]) {
            expect(o.code).toBe(a.code);
            expect(Array.from(o.info)).toEqual(Array.from(a.info));
            expect(Array.from(o.x)).toEqual(Array.from(a.x));
          }
        }
      }
    }
  });
});

// Complex OMPR, ELS, SEA and FISTA (src/complex/swap.ts, kernels in
// assembly/complex/, twins in src/js/complex/): WASM = JS twin to 1e-9 (same
// supports, statuses, iterations), the partial Fourier operator = its dense
// matrix, the real solvers reproduced on real data, exact recovery, the
// LASSO's optimality conditions, the complex updatable QR, argument errors,
// and the scalar and debug builds agreeing with the SIMD build bit for bit.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ComplexMatrix, complexEls, complexFista, complexOmpr, complexSea, els, fista, fourierMatrix, init, Matrix, Operator, ompr, sea } from '../src/index.js';
import { Rng } from '../src/core/random.js';
import { INFO_LEN } from '../src/core/kernels.js';
import { cmatHVec, cmatVec } from '../src/js/complex/cmatrix.js';
import { ComplexUpdatableQR } from '../src/js/complex/qrupdate.js';
import { complexSpectralNorm } from '../src/complex/solve.js';

beforeAll(async () => {
  await init();
});

interface Res { x: Float64Array; support: Int32Array; residualNorm: number; iterations: number; status: string }

function gaussian(seed: number, m: number, n: number, s: number, realX: boolean, sigma = 0.01) {
  const rng = new Rng(seed);
  const A = new ComplexMatrix(m, n, rng.normals(2 * m * n));
  return { A, ...measure(A, rng, s, realX, sigma) };
}

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
  return { y, x, x0: rng.normals(realX ? n : 2 * n) };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let t = 0; t < b.length; t++) d = Math.max(d, Math.abs(a[t] - b[t]));
  return d;
}

function expectSame(w: Res, j: Res, what: string, tol = 1e-9) {
  expect(Array.from(w.support), what).toEqual(Array.from(j.support));
  expect(w.status, what).toBe(j.status);
  expect(w.iterations, what).toBe(j.iterations);
  expect(w.x.length, what).toBe(j.x.length);
  const scale = Math.max(1, ...Array.from(j.x, Math.abs));
  expect(maxDiff(w.x, j.x), what).toBeLessThanOrEqual(tol * scale);
  expect(Math.abs(w.residualNorm - j.residualNorm), what).toBeLessThanOrEqual(tol * Math.max(1, j.residualNorm));
}

type Run = (A: ComplexMatrix | ReturnType<typeof Operator.partialFourier>, y: Float64Array, o: Record<string, unknown>) => Res;
const SOLVERS: [string, Run, (k: number, x0: Float64Array) => Record<string, unknown>[]][] = [
  ['complexOmpr', complexOmpr as unknown as Run, (k, x0) => [{ k }, { k, x0 }, { k, tol: 1e-3, maxIter: 4 }]],
  ['complexEls', complexEls as unknown as Run, (k, x0) => [{ k }, { k, x0 }, { k, maxIter: 3 }]],
  ['complexSea', complexSea as unknown as Run, (k, x0) => [{ k, maxIter: 150 }, { k, maxIter: 60, init: x0 }, { k, maxIter: 100, tol: 0.02 }]],
  ['complexFista', complexFista as unknown as Run, (_k, x0) => [{ lambdaRatio: 0.05 }, { lambdaRatio: 0.2, x0, maxIter: 95 }, { lambda: 0.3, tol: 1e-9 }]],
];

describe('complex swap solvers: WASM == JS twin', () => {
  const cases: [string, number, number, number, number, number][] = [
    ['gaussian', 1, 20, 50, 4, 6],
    ['gaussian', 2, 40, 100, 8, 10],
    ['gaussian', 3, 33, 77, 5, 5],
    ['gaussian', 4, 30, 120, 9, 9],
    ['fourier', 5, 24, 64, 4, 6],
    ['fourier', 6, 36, 128, 6, 6],
    ['fourier', 7, 20, 256, 10, 10],
  ];
  let swaps = 0;
  for (const [kind, seed, m, n, s, k] of cases) {
    for (const realX of [false, true]) {
      it(`${kind} ${m}x${n} s=${s} k=${k} realX=${realX} (seed ${seed})`, () => {
        const { A, y, x0 } = kind === 'gaussian' ? gaussian(seed, m, n, s, realX) : fourier(seed, m, n, s, realX);
        for (const [name, f, opts] of SOLVERS) {
          for (const o of opts(k, x0)) {
            const w = f(A, y, { ...o, realX, backend: 'wasm' });
            const j = f(A, y, { ...o, realX, backend: 'js' });
            expectSame(w, j, `${name} ${JSON.stringify(Object.keys(o))}`);
            if ((name === 'complexOmpr' || name === 'complexEls') && o.x0 && j.iterations > 0) swaps++; // from k atoms every move is a swap
          }
        }
      });
    }
  }
  it('the warm-started OMPR and ELS runs above make swaps', () => {
    expect(swaps).toBeGreaterThan(5);
  });
});

describe('partial Fourier operator', () => {
  for (const realX of [false, true]) {
    it(`each solver gives on Operator.partialFourier what it gives on fourierMatrix (realX=${realX}, both backends)`, () => {
      for (const [seed, m, n, s] of [[11, 24, 64, 4], [12, 40, 256, 8]]) {
        const { A, rows, y, x0 } = fourier(seed, m, n, s, realX);
        const op = Operator.partialFourier(n, rows);
        try {
          for (const [name, f, opts] of SOLVERS) {
            for (const o of opts(s + 1, x0)) {
              const dense = f(A, y, { ...o, realX, backend: 'wasm' });
              expectSame(f(op, y, { ...o, realX, backend: 'wasm' }), dense, `${name} wasm`);
              expectSame(f(op, y, { ...o, realX, backend: 'js' }), dense, `${name} js`);
            }
          }
        } finally {
          op.dispose();
        }
      }
    });
  }
});

describe('zero imaginary parts reproduce the real solvers', () => {
  for (const seed of [21, 22, 23]) {
    it(`ompr, els, sea, fista on real data (seed ${seed})`, () => {
      const rng = new Rng(seed);
      const m = 30, n = 80, k = 7;
      const re = rng.normals(m * n);
      const R = new Matrix(m, n, re);
      const A = ComplexMatrix.fromReal(m, n, re);
      const xt = new Float64Array(n);
      for (const j of rng.sample(n, 6)) xt[j] = rng.normal();
      const y = new Float64Array(m);
      for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) y[i] += re[i + j * m] * xt[j];
      for (let i = 0; i < m; i++) y[i] += 0.05 * rng.normal();
      const yc = new Float64Array(2 * m);
      for (let i = 0; i < m; i++) yc[2 * i] = y[i];
      const x0 = rng.normals(n);
      const x0c = new Float64Array(2 * n);
      for (let j = 0; j < n; j++) x0c[2 * j] = x0[j];
      const pairs: [string, (backend: 'wasm' | 'js') => Res, (backend: 'wasm' | 'js') => Res][] = [
        ['ompr', (backend) => ompr(R, y, { k, backend }), (backend) => complexOmpr(A, yc, { k, backend })],
        ['ompr x0', (backend) => ompr(R, y, { k, x0, backend }), (backend) => complexOmpr(A, yc, { k, x0: x0c, backend })],
        ['els', (backend) => els(R, y, { k, backend }), (backend) => complexEls(A, yc, { k, backend })],
        ['els x0', (backend) => els(R, y, { k, x0, backend }), (backend) => complexEls(A, yc, { k, x0: x0c, backend })],
        ['sea', (backend) => sea(R, y, { k, maxIter: 200, backend }), (backend) => complexSea(A, yc, { k, maxIter: 200, backend })],
        ['sea init', (backend) => sea(R, y, { k, maxIter: 100, init: x0, eta: 0.01, backend }), (backend) => complexSea(A, yc, { k, maxIter: 100, init: x0c, eta: 0.01, backend })],
        ['fista', (backend) => fista(R, y, { lambdaRatio: 0.1, backend }), (backend) => complexFista(A, yc, { lambdaRatio: 0.1, backend })],
        ['fista lambda', (backend) => fista(R, y, { lambda: 0.5, tol: 1e-9, backend }), (backend) => complexFista(A, yc, { lambda: 0.5, tol: 1e-9, backend })],
      ];
      for (const [name, real, cplx] of pairs) {
        for (const backend of ['wasm', 'js'] as const) {
          const r = real(backend), c = cplx(backend);
          const what = `${name} ${backend}`;
          expect(Array.from(c.support), what).toEqual(Array.from(r.support));
          expect(c.status, what).toBe(r.status);
          expect(c.iterations, what).toBe(r.iterations);
          for (let j = 0; j < n; j++) {
            expect(Math.abs(c.x[2 * j] - r.x[j]), what).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(r.x[j])));
            expect(c.x[2 * j + 1], what).toBe(0);
          }
          expect(Math.abs(c.residualNorm - r.residualNorm), what).toBeLessThanOrEqual(1e-9);
        }
      }
    });
  }
});

describe('exact recovery', () => {
  it('noiseless complex Gaussian, m = 64, n = 128, s = 5: OMPR, ELS and SEA find x exactly (both backends, complex and real x)', () => {
    for (const seed of [31, 32, 33]) {
      for (const realX of [false, true]) {
        const { A, y, x } = gaussian(seed, 64, 128, 5, realX, 0);
        const truth = realX ? Float64Array.from({ length: 128 }, (_, j) => x[2 * j]) : x;
        for (const backend of ['wasm', 'js'] as const) {
          for (const [name, r] of [
            ['complexOmpr', complexOmpr(A, y, { k: 5, realX, backend })],
            ['complexEls', complexEls(A, y, { k: 5, realX, backend })],
            ['complexSea', complexSea(A, y, { k: 5, realX, backend })],
          ] as const) {
            expect(r.status, name).toBe('converged');
            expect(r.residualNorm, name).toBeLessThan(1e-10);
            expect(maxDiff(r.x, truth), name).toBeLessThan(1e-10);
          }
        }
      }
    }
  });

  it('partial Fourier, noiseless, n = 256, m = 64, s = 6 (real x): OMPR and ELS recover x', () => {
    const { rows, y, x } = fourier(34, 64, 256, 6, true, 0);
    const op = Operator.partialFourier(256, rows);
    try {
      for (const f of [complexOmpr, complexEls]) {
        const r = f(op, y, { k: 6, realX: true });
        expect(r.residualNorm).toBeLessThan(1e-10);
        expect(maxDiff(r.x, Float64Array.from({ length: 256 }, (_, j) => x[2 * j]))).toBeLessThan(1e-10);
      }
    } finally {
      op.dispose();
    }
  });

  it('complexFista: the LASSO optimality conditions (A^H r = lambda x_j / |x_j| on the support, |A^H r|_j <= lambda off it) and the gap bound', () => {
    for (const realX of [false, true]) {
      const { A, y } = gaussian(35, 40, 90, 6, realX, 0.05);
      for (const backend of ['wasm', 'js'] as const) {
        const r = complexFista(A, y, { lambdaRatio: 0.1, tol: 1e-12, maxIter: 100000, realX, backend });
        expect(r.status).toBe('converged');
        expect(r.dualityGap).toBeLessThanOrEqual(1e-12 * 0.5 * cnorm(y) ** 2);
        const { m, n } = A;
        const x = new Float64Array(2 * n);
        for (let j = 0; j < n; j++) {
          x[2 * j] = realX ? r.x[j] : r.x[2 * j];
          x[2 * j + 1] = realX ? 0 : r.x[2 * j + 1];
        }
        const res = new Float64Array(2 * m);
        cmatVec(A.data, m, n, x, res);
        for (let i = 0; i < 2 * m; i++) res[i] = y[i] - res[i];
        const g = new Float64Array(2 * n);
        cmatHVec(A.data, m, n, res, g);
        if (realX) for (let j = 0; j < n; j++) g[2 * j + 1] = 0;
        const lam = r.lambda;
        const onSupport = new Set(Array.from(r.support));
        expect(r.support.length).toBeGreaterThan(0);
        for (let j = 0; j < n; j++) {
          if (onSupport.has(j)) {
            const a = Math.hypot(x[2 * j], x[2 * j + 1]);
            expect(Math.abs(g[2 * j] - lam * x[2 * j] / a)).toBeLessThan(1e-4 * lam);
            expect(Math.abs(g[2 * j + 1] - lam * x[2 * j + 1] / a)).toBeLessThan(1e-4 * lam);
          } else expect(Math.hypot(g[2 * j], g[2 * j + 1])).toBeLessThanOrEqual(lam * (1 + 1e-6));
        }
      }
    }
  });
});

function cnorm(v: Float64Array): number {
  return Math.hypot(...Array.from(v));
}

describe('complex updatable QR (src/js/complex/qrupdate.ts)', () => {
  it('appends and deletes keep A_S = Q R, Q^H Q = I and a real positive diagonal', () => {
    const rng = new Rng(41);
    const m = 12, n = 20;
    const A = new ComplexMatrix(m, n, rng.normals(2 * m * n));
    const qr = new ComplexUpdatableQR(m, 8, false);
    const ops = [3, 7, 1, 15, 9, -2, 4, -1, 11, 0, -5, 18, 2];
    for (const op of ops) {
      if (op >= 0) expect(qr.append(A.column(op), A.colNorms()[op], op)).toBe('ok');
      else qr.remove(-op - 1);
      const t = qr.t;
      for (let a = 0; a < t; a++) {
        expect(qr.r[a][2 * a]).toBeGreaterThan(0);
        expect(qr.r[a][2 * a + 1]).toBe(0);
        for (let b = 0; b < t; b++) {
          let sr = 0, si = 0;
          for (let i = 0; i < m; i++) {
            const ur = qr.q[a][2 * i], ui = qr.q[a][2 * i + 1], vr = qr.q[b][2 * i], vi = qr.q[b][2 * i + 1];
            sr += ur * vr + ui * vi;
            si += ur * vi - ui * vr;
          }
          expect(Math.abs(sr - (a === b ? 1 : 0))).toBeLessThan(1e-13);
          expect(Math.abs(si)).toBeLessThan(1e-13);
        }
        // column a of A_S = sum_l q_l R[l, a]
        const col = A.column(qr.atoms[a]);
        for (let i = 0; i < m; i++) {
          let sr = 0, si = 0;
          for (let l = 0; l <= a; l++) {
            const rr = qr.r[a][2 * l], ri = qr.r[a][2 * l + 1], qr_ = qr.q[l][2 * i], qi = qr.q[l][2 * i + 1];
            sr += qr_ * rr - qi * ri;
            si += qr_ * ri + qi * rr;
          }
          expect(Math.abs(sr - col[2 * i])).toBeLessThan(1e-12);
          expect(Math.abs(si - col[2 * i + 1])).toBeLessThan(1e-12);
        }
      }
    }
    // a dependent column is refused
    const t = qr.t;
    const dep = new Float64Array(2 * m);
    for (let i = 0; i < 2 * m; i++) dep[i] = qr.q[0][i] * 2 - qr.q[1][i];
    expect(qr.append(dep, cnorm(dep), 99)).toBe('dependent');
    expect(qr.t).toBe(t);
  });
});

describe('argument errors', () => {
  const rng = new Rng(51);
  const A = new ComplexMatrix(6, 10, rng.normals(120));
  const y = rng.normals(12);
  it('name the function and the argument, before anything runs', () => {
    expect(() => complexOmpr(A, y, { k: 0 })).toThrow(new RangeError('complexOmpr: k must be an integer in [1, 6], received 0'));
    expect(() => complexEls(A, y, { k: 7 })).toThrow(RangeError);
    expect(() => complexEls(A, y, { k: 2, eta: 1 } as never)).toThrow(/^complexEls: eta must be undefined \(complexEls takes no eta\)/);
    expect(() => complexSea(A, y, { k: 2, x0: y } as never)).toThrow(/^complexSea: x0 must be undefined/);
    expect(() => complexSea(A, y, { k: 2, init: 'omp' as never })).toThrow(/^complexSea: init must be 'zero' or a vector/);
    expect(() => complexSea(A, y, { k: 2, history: 1 as never })).toThrow(TypeError);
    expect(() => complexOmpr(A, y, { k: 2, eta: 0 })).toThrow(/^complexOmpr: eta must be a finite number in \(0, /);
    expect(() => complexFista(A, y, {})).toThrow(new TypeError('complexFista: give exactly one of lambda and lambdaRatio, received neither'));
    expect(() => complexFista(A, y, { lambda: 1, lambdaRatio: 0.1 })).toThrow(/received both/);
    expect(() => complexFista(A, y, { lambdaRatio: 2 })).toThrow(/^complexFista: lambdaRatio must be a finite number in \[0, 1\]/);
    expect(() => complexFista(A, y, { lambdaRatio: 0.1, k: 3 } as never)).toThrow(/^complexFista: k must be undefined/);
    expect(() => complexOmpr(A, y.subarray(0, 11), { k: 2 })).toThrow(/^complexOmpr: y must have length 12/);
    const bad = Float64Array.from(y);
    bad[5] = NaN;
    expect(() => complexSea(A, bad, { k: 2 })).toThrow(new RangeError('complexSea: y[5] (the imaginary part of element 2) must be finite, received NaN'));
    bad[5] = 0;
    bad[4] = Infinity;
    expect(() => complexFista(A, bad, { lambdaRatio: 0.1 })).toThrow(/^complexFista: y\[4\] \(the real part of element 2\) must be finite/);
    expect(() => complexOmpr(A, y, { k: 2, x0: new Float64Array(10), realX: true })).not.toThrow();
    expect(() => complexOmpr(A, y, { k: 2, x0: new Float64Array(20), realX: true })).toThrow(/^complexOmpr: x0 must have length 10 \(n real values, with realX\)/);
    expect(() => complexEls(A, y, { k: 2, x0: [1, NaN, ...new Array(18).fill(0)] })).toThrow(/^complexEls: x0\[1\] \(the imaginary part of element 0\) must be finite, received NaN/);
    expect(() => complexEls(A, y, { k: 2, realX: 'yes' as never })).toThrow(new TypeError('complexEls: realX must be true or false, received "yes"'));
    expect(() => complexOmpr(new Matrix(6, 10) as never, y, { k: 2 })).toThrow(/^complexOmpr: A must be a ComplexMatrix/);
    expect(() => complexFista(A, y, { lambdaRatio: 0.1, backend: 'gpu' as never })).toThrow(/^complexFista: backend must be one of/);
  });

  it('y = 0 gives x = 0 (converged), an all-zero A zeroMatrix, on both backends', () => {
    const Z = new ComplexMatrix(6, 10);
    for (const backend of ['wasm', 'js'] as const) {
      for (const realX of [false, true]) {
        for (const [f, o] of [[complexOmpr, { k: 2 }], [complexEls, { k: 2 }], [complexSea, { k: 2 }], [complexFista, { lambdaRatio: 0.1 }]] as const) {
          const a = (f as unknown as Run)(A, new Float64Array(12), { ...o, backend, realX });
          expect(a.status).toBe('converged');
          expect(Array.from(a.x)).toEqual(new Array(realX ? 10 : 20).fill(0));
          const b = (f as unknown as Run)(Z, y, { ...o, backend, realX });
          expect(b.status).toBe('zeroMatrix');
          expect(b.residualNorm).toBeCloseTo(cnorm(y), 12);
          expect(b.x.length).toBe(realX ? 10 : 20);
        }
      }
    }
  });
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

function runRaw(k: Raw, name: string, A: ComplexMatrix, y: Float64Array, kk: number, maxIter: number, p1: number, realX: number, last: number) {
  const { m, n } = A;
  const pA = put(k, A.data), pN = put(k, A.colNorms()), pY = put(k, y);
  const cap = name === 'complexFista' ? n : kk;
  const px = k.alloc(16 * n) >>> 0, ps = k.alloc(4 * cap + 16) >>> 0, pi = k.alloc(8 * INFO_LEN) >>> 0;
  const wsName = name === 'complexSea' || name === 'complexFista' ? `${name}WorkspaceBytes` : `${name}Workspace64`;
  const pw = k.alloc((k[wsName] as (m: number, n: number, k: number) => number)(m, n, cap)) >>> 0;
  const ph = name === 'complexSea' ? k.alloc(8 * maxIter) >>> 0 : 0;
  const extra = name === 'complexSea' ? [ph] : name === 'complexFista' ? [last] : [];
  const code = (k[name] as (...a: number[]) => number)(pA, m, n, pN, pY, cap, maxIter, 0, p1, 0, px, ps, pi, pw, realX, ...extra);
  const out = { code, info: new Float64Array(k.memory.buffer, pi, INFO_LEN).slice(), x: new Float64Array(k.memory.buffer, px, 2 * n).slice() };
  for (const p of [pA, pN, pY, px, ps, pi, pw]) k.free(p);
  if (ph) k.free(ph);
  return out;
}

describe('scalar and debug builds', () => {
  let simd: Raw, scalar: Raw, debug: Raw;
  beforeAll(async () => {
    [simd, scalar, debug] = await Promise.all([load('release.wasm'), load('scalar.wasm'), load('debug.wasm')]);
  });

  it('complexOmpr, complexEls, complexSea, complexFista: the scalar and debug builds give the SIMD build\'s bits', () => {
    for (const [seed, m, n, s, k] of [[61, 20, 50, 4, 6], [62, 33, 77, 5, 5]]) {
      for (const realX of [0, 1]) {
        const { A, y } = gaussian(seed, m, n, s, realX === 1);
        const sigma = complexSpectralNorm(A);
        for (const [name, maxIter, p1] of [['complexOmpr', 11 * k, 1 / (2 * m)], ['complexEls', 11 * k, 0], ['complexSea', 120, 0.5 / (4 * m)], ['complexFista', 200, 0.05]] as const) {
          const [a, b, c] = [simd, scalar, debug].map((bk) => runRaw(bk, name, A, y, k, maxIter, p1, realX, sigma));
          for (const o of [b, c]) {
            expect(o.code, name).toBe(a.code);
            expect(Array.from(o.info), name).toEqual(Array.from(a.info));
            expect(Array.from(o.x), name).toEqual(Array.from(a.x));
          }
        }
      }
    }
  });
});

// Operator.partialFourier (src/complex/operator.ts, assembly/complex/coperator.ts):
// equal to fourierMatrix column for column (radix and Bluestein lengths), A x
// and A^H r equal to the dense products, the dot test, the complex solvers
// giving on the operator what they give on the dense matrix (both backends),
// exact recovery at n = 2^16, argument errors, and the scalar and debug
// builds (the debug build's workspace guards) on the operator's kernels.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ComplexMatrix, complexIht, complexNiht, complexOmp, complexSpectralNorm, fourierMatrix, init, Operator, PartialFourierOperator } from '../src/index.js';
import type { ComplexSolveResult } from '../src/index.js';
import { Rng } from '../src/core/random.js';
import { cmatHVec, cmatVec } from '../src/js/complex/cmatrix.js';
import { INFO_ITERATIONS, INFO_LEN, INFO_NNZ, INFO_RESIDUAL } from '../src/core/kernels.js';

beforeAll(async () => {
  await init();
});

/** The paper's frequencies -n/2+1 .. n/2 (n = 256: k = -127 .. 128), m of them at random, sorted. */
function paperRows(rng: Rng, n: number, m: number): number[] {
  return Array.from(rng.sample(n, m), (i) => i - (n / 2 - 1));
}

/** fourierMatrix's matrix for the operator's scale: its default is 1/sqrt(m), { scale: false } is 1, other scales multiply the latter. */
function dense(n: number, rows: ArrayLike<number>, scale: number | 'unit'): ComplexMatrix {
  if (scale === 'unit') return fourierMatrix(n, rows);
  const D = fourierMatrix(n, rows, { scale: false });
  if (scale !== 1) for (let t = 0; t < D.data.length; t++) D.data[t] *= scale;
  return D;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let t = 0; t < a.length; t++) d = Math.max(d, Math.abs(a[t] - b[t]));
  return d;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < v.length; t++) s += v[t] * v[t];
  return Math.sqrt(s);
}

/** <u, v> = sum conj(u_i) v_i, as [re, im]. */
function cdot(u: ArrayLike<number>, v: ArrayLike<number>): [number, number] {
  let re = 0, im = 0;
  for (let t = 0; t < u.length; t += 2) {
    re += u[t] * v[t] + u[t + 1] * v[t + 1];
    im += u[t] * v[t + 1] - u[t + 1] * v[t];
  }
  return [re, im];
}

const CASES: { name: string; n: number; rows: (rng: Rng) => number[] }[] = [
  { name: 'n = 256, 20 of the paper\'s k = -127..128', n: 256, rows: (r) => paperRows(r, 256, 20) },
  { name: 'n = 256, 36 of the paper\'s k = -127..128', n: 256, rows: (r) => paperRows(r, 256, 36) },
  { name: 'n = 256, all of k = -127..128', n: 256, rows: () => Array.from({ length: 256 }, (_, i) => i - 127) },
  { name: 'n = 1000 (radix 2, 5)', n: 1000, rows: (r) => Array.from(r.sample(1000, 90)) },
  { name: 'n = 97 (Bluestein)', n: 97, rows: (r) => Array.from(r.sample(97, 30), (i) => i - 48) },
];

describe('Operator.partialFourier equals fourierMatrix', () => {
  for (const c of CASES) {
    for (const scale of ['unit', 1, 2.5] as const) {
      it(`${c.name}, scale ${scale}: columns, norms, A x, A^H r, the dot test`, () => {
        const rng = new Rng(c.n + 7);
        const rows = c.rows(rng);
        const op = Operator.partialFourier(c.n, rows, { scale });
        try {
          const D = dense(c.n, rows, scale);
          const { m, n } = D;
          expect(op).toBeInstanceOf(PartialFourierOperator);
          expect([op.m, op.n, op.kind]).toEqual([m, n, 'partialFourier']);
          const s = scale === 'unit' ? 1 / Math.sqrt(m) : scale;
          expect(op.scale).toBe(s);
          expect(Array.from(op.rows)).toEqual(rows.map((k) => (k < 0 ? k + n : k)));
          for (let j = 0; j < n; j++) expect(maxAbsDiff(op.column(j), D.column(j)), `column ${j}`).toBeLessThanOrEqual(2e-16 * s);
          const dn = D.colNorms();
          const on = op.colNorms();
          for (let j = 0; j < n; j++) expect(Math.abs(on[j] - dn[j])).toBeLessThanOrEqual(1e-15 * dn[j]);
          expect(Math.abs(op.spectralNorm() - complexSpectralNorm(D))).toBeLessThanOrEqual(1e-9 * op.spectralNorm());
          for (let trial = 0; trial < 3; trial++) {
            const x = rng.normals(2 * n), r = rng.normals(2 * m);
            const ax = new Float64Array(2 * m), ahr = new Float64Array(2 * n);
            cmatVec(D.data, m, n, x, ax);
            cmatHVec(D.data, m, n, r, ahr);
            const Ax = op.apply(x), AHr = op.adjoint(r);
            expect(maxAbsDiff(Ax, ax)).toBeLessThanOrEqual(1e-13 * norm(ax));
            expect(maxAbsDiff(AHr, ahr)).toBeLessThanOrEqual(1e-13 * norm(ahr));
            // <A x, r> = <x, A^H r>
            const [a, b] = [cdot(Ax, r), cdot(x, AHr)];
            const tol = 1e-12 * norm(Ax) * norm(r);
            expect(Math.abs(a[0] - b[0])).toBeLessThanOrEqual(tol);
            expect(Math.abs(a[1] - b[1])).toBeLessThanOrEqual(tol);
          }
          // a real x (n doubles) is the complex x with zero imaginary parts; a real r likewise
          const xr = rng.normals(n);
          const xc = new Float64Array(2 * n);
          for (let j = 0; j < n; j++) xc[2 * j] = xr[j];
          expect(Array.from(op.apply(xr))).toEqual(Array.from(op.apply(xc)));
          const rr = rng.normals(m);
          const rc = new Float64Array(2 * m);
          for (let i = 0; i < m; i++) rc[2 * i] = rr[i];
          expect(Array.from(op.adjoint(rr))).toEqual(Array.from(op.adjoint(rc)));
        } finally {
          op.dispose();
        }
      });
    }
  }

  it('rows in [-n, n): -n is row 0, negative k is row k + n', () => {
    const op = Operator.partialFourier(8, [-8, -1, 3]);
    try {
      expect(Array.from(op.rows)).toEqual([0, 7, 3]);
      // the default scale is 1/sqrt(m), fourierMatrix's default
      const D = fourierMatrix(8, [0, 7, 3]);
      for (let j = 0; j < 8; j++) expect(maxAbsDiff(op.column(j), D.column(j))).toBeLessThanOrEqual(2e-16);
    } finally {
      op.dispose();
    }
  });

  it('dispose frees it; using it afterwards throws', () => {
    const op = Operator.partialFourier(16, [1, 2, 3]);
    expect(op.bytes).toBeGreaterThan(0);
    op.dispose();
    op.dispose();
    expect(op.disposed).toBe(true);
    expect(op.bytes).toBe(0);
    expect(() => op.apply(new Float64Array(32))).toThrow(/Operator.partialFourier.apply: this operator is disposed/);
    expect(() => complexOmp(op, new Float64Array(6), { k: 1 })).toThrow(new TypeError('complexOmp: A is disposed: expected a live operator (create a new one with Operator.partialFourier), received one whose dispose() was called'));
  });
});

/** s-sparse x (complex, or real when realX) and y = A x + noise (complex, sigma / sqrt(2m) per part). */
function problem(rng: Rng, D: ComplexMatrix, s: number, realX: boolean, sigma: number) {
  const { m, n } = D;
  const x = new Float64Array(2 * n);
  for (const j of rng.sample(n, s)) {
    x[2 * j] = rng.normal();
    if (!realX) x[2 * j + 1] = rng.normal();
  }
  const y = new Float64Array(2 * m);
  cmatVec(D.data, m, n, x, y);
  for (let t = 0; t < 2 * m; t++) y[t] += (sigma / Math.sqrt(2 * m)) * rng.normal();
  return { x, y };
}

function expectSame(a: ComplexSolveResult, b: ComplexSolveResult, what: string, tol = 1e-9) {
  expect(Array.from(a.support), what).toEqual(Array.from(b.support));
  expect(a.status, what).toBe(b.status);
  expect(a.iterations, what).toBe(b.iterations);
  const scale = Math.max(1, ...Array.from(b.x, Math.abs));
  expect(maxAbsDiff(a.x, b.x), what).toBeLessThanOrEqual(tol * scale);
  expect(Math.abs(a.residualNorm - b.residualNorm), what).toBeLessThanOrEqual(tol * Math.max(1, b.residualNorm));
}

describe('the complex solvers on the operator', () => {
  const SOLVERS = [['complexOmp', complexOmp], ['complexIht', complexIht], ['complexNiht', complexNiht]] as const;
  const PROBLEMS = [
    { n: 256, m: 36, s: 6, rows: (r: Rng) => paperRows(r, 256, 36) },
    { n: 256, m: 64, s: 10, rows: (r: Rng) => paperRows(r, 256, 64) },
    { n: 97, m: 40, s: 5, rows: (r: Rng) => Array.from(r.sample(97, 40)) },
    { n: 1000, m: 120, s: 8, rows: (r: Rng) => Array.from(r.sample(1000, 120)) },
  ];
  for (const [name, solver] of SOLVERS) {
    it(`${name}: the same support, status, iterations and x (1e-9) as on fourierMatrix, both backends`, () => {
      let seed = 100;
      for (const p of PROBLEMS) {
        for (const scale of ['unit', 1] as const) {
          for (const realX of [false, true]) {
            for (const sigma of [0, 1e-3]) {
              const rng = new Rng(seed++);
              const rows = p.rows(rng);
              const D = dense(p.n, rows, scale);
              const { y } = problem(rng, D, p.s, realX, sigma);
              const op = Operator.partialFourier(p.n, rows, { scale });
              try {
                const opts = { k: p.s, realX, ...(name === 'complexOmp' ? {} : { maxIter: 200 }) };
                const what = `${name} n = ${p.n} m = ${p.m} scale ${scale} realX ${realX} sigma ${sigma}`;
                const onDense = solver(D, y, opts);
                const onOp = solver(op, y, opts);
                expectSame(onOp, onDense, what);
                // the JS twin runs on the operator's assembled matrix, fourierMatrix's entries bit for bit; IHT's default step
                // differs by rounding (1/||A||^2 exact on the operator, by power iteration on the matrix)
                expectSame(solver(op, y, { ...opts, backend: 'js' }), solver(D, y, { ...opts, backend: 'js' }), `${what} (js)`, name === 'complexIht' ? 1e-12 : 0);
                expectSame(onOp, solver(op, y, { ...opts, backend: 'js' }), `${what} (wasm vs js)`);
              } finally {
                op.dispose();
              }
            }
          }
        }
      }
    });
  }

  it('warm starts and an explicit step take the same path on the operator', () => {
    const rng = new Rng(5);
    const rows = paperRows(rng, 256, 48);
    const D = dense(256, rows, 'unit');
    const { x, y } = problem(rng, D, 6, false, 1e-3);
    const op = Operator.partialFourier(256, rows, { scale: 'unit' });
    try {
      const x0 = x.map((v) => v * 0.9);
      expectSame(complexIht(op, y, { k: 6, x0, mu: 0.3 }), complexIht(D, y, { k: 6, x0, mu: 0.3 }), 'iht warm');
      expectSame(complexNiht(op, y, { k: 6, x0 }), complexNiht(D, y, { k: 6, x0 }), 'niht warm');
    } finally {
      op.dispose();
    }
  });

  it('n = 2^16, m = 2^12: complexOmp recovers a 40-sparse complex x exactly, by the FFT', () => {
    const n = 2 ** 16, m = 2 ** 12, s = 40;
    const rng = new Rng(2024);
    const rows = Array.from(rng.sample(n, m), (k) => k - n / 2); // in [-n/2, n/2)
    const op = Operator.partialFourier(n, rows, { scale: 'unit' });
    try {
      const x = new Float64Array(2 * n);
      const support = Array.from(rng.sample(n, s));
      for (const j of support) {
        x[2 * j] = rng.normal() + Math.sign(rng.normal());
        x[2 * j + 1] = rng.normal();
      }
      const y = op.apply(x);
      const t0 = performance.now();
      const r = complexOmp(op, y, { k: s });
      const ms = performance.now() - t0;
      expect(Array.from(r.support)).toEqual(support);
      expect(maxAbsDiff(r.x, x)).toBeLessThan(1e-10);
      expect(r.residualNorm).toBeLessThan(1e-10 * norm(y));
      expect(r.status).toBe('converged');
      expect(ms).toBeLessThan(5000);
      // the JS backend would need the dense 2^12 x 2^16 matrix: refused, naming the way out
      expect(() => complexOmp(op, y, { k: s, backend: 'js' })).toThrow(/complexOmp: backend 'js' runs on the dense matrix of A.*use backend 'wasm'/);
    } finally {
      op.dispose();
    }
  });
});

describe('Operator.partialFourier: argument errors', () => {
  const fn = 'Operator.partialFourier';
  it('n', () => {
    expect(() => Operator.partialFourier(0, [0])).toThrow(new RangeError(`${fn}: n must be an integer in [1, 67108864], received 0`));
    expect(() => Operator.partialFourier(-3, [0])).toThrow(RangeError);
    expect(() => Operator.partialFourier(2.5, [0])).toThrow(/Operator.partialFourier: n must be an integer/);
    expect(() => Operator.partialFourier('8' as unknown as number, [0])).toThrow(TypeError);
    expect(() => Operator.partialFourier(2 ** 27, [0])).toThrow(RangeError);
  });

  it('rows', () => {
    expect(() => Operator.partialFourier(8, [])).toThrow(new RangeError(`${fn}: rows must not be empty, received length 0`));
    expect(() => Operator.partialFourier(8, [1, 8])).toThrow(new RangeError(`${fn}: rows[1] must be an integer in [-8, 7], received 8`));
    expect(() => Operator.partialFourier(8, [-9])).toThrow(new RangeError(`${fn}: rows[0] must be an integer in [-8, 7], received -9`));
    expect(() => Operator.partialFourier(8, [1.5])).toThrow(new RangeError(`${fn}: rows[0] must be an integer in [-8, 7], received 1.5`));
    expect(() => Operator.partialFourier(8, [NaN])).toThrow(/rows\[0\] must be an integer in \[-8, 7\]/);
    expect(() => Operator.partialFourier(8, ['3'] as unknown as number[])).toThrow(TypeError);
    expect(() => Operator.partialFourier(8, [3, -5])).toThrow(new RangeError(`${fn}: rows must be distinct modulo n = 8, received rows[0] = 3 and rows[1] = -5`));
    expect(() => Operator.partialFourier(8, [2, 2])).toThrow(/rows must be distinct modulo n = 8/);
    expect(() => Operator.partialFourier(8, [0, -8])).toThrow(/rows must be distinct modulo n = 8/);
    expect(() => Operator.partialFourier(2, [0, 1, -1])).toThrow(new RangeError(`${fn}: rows must have at most n = 2 entries (distinct frequencies modulo n), received length 3`));
    expect(() => Operator.partialFourier(8, 3 as unknown as number[])).toThrow(new TypeError(`${fn}: rows must be an array of frequency indices (integers in [-8, 7], distinct modulo n = 8), received 3`));
  });

  it('scale and options', () => {
    for (const bad of [0, -1, NaN, Infinity, -Infinity]) {
      expect(() => Operator.partialFourier(8, [1], { scale: bad })).toThrow(RangeError);
      expect(() => Operator.partialFourier(8, [1], { scale: bad })).toThrow(/Operator.partialFourier: options.scale must be/);
    }
    expect(() => Operator.partialFourier(8, [1], { scale: 2 ** -500 })).toThrow(new RangeError(`${fn}: options.scale must be in [2^-400, 2^400] (the complex solvers do not rescale operators), received ${2 ** -500}`));
    expect(() => Operator.partialFourier(8, [1], { scale: 'Unit' as 'unit' })).toThrow(new TypeError(`${fn}: options.scale must be 'unit' or a positive number, received "Unit"`));
    expect(() => Operator.partialFourier(8, [1], { scale: true as unknown as number })).toThrow(TypeError);
    expect(() => Operator.partialFourier(8, [1], 5 as unknown as object)).toThrow(new TypeError(`${fn}: options must be an object such as { scale }, received 5`));
  });

  it('apply, adjoint, column', () => {
    const op = Operator.partialFourier(8, [1, 2]);
    try {
      expect(() => op.apply(new Float64Array(5))).toThrow(new RangeError('Operator.partialFourier.apply: x must have length 16 (8 complex values, interleaved re, im) or 8 (real values), received length 5'));
      expect(() => op.apply([NaN, 0, 0, 0, 0, 0, 0, 0])).toThrow(new RangeError('Operator.partialFourier.apply: x[0] must be finite, received NaN'));
      expect(() => op.adjoint(new Float64Array(3))).toThrow(/Operator.partialFourier.adjoint: r must have length 4/);
      expect(() => op.adjoint('ab' as unknown as number[])).toThrow(TypeError);
      expect(() => op.column(8)).toThrow(new RangeError('Operator.partialFourier.column: j must be an integer in [0, 7], received 8'));
    } finally {
      op.dispose();
    }
  });
});

// The kernels on the operator called directly on the SIMD, scalar and debug builds (the debug build checks the workspace guards).
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

function call(k: Raw, name: string, ...a: number[]): number {
  return (k[name] as (...a: number[]) => number)(...a) >>> 0;
}

function runRawOnOperator(k: Raw, name: string, n: number, rows: number[], scale: number, y: Float64Array, kk: number, maxIter: number, mu: number, realX: number) {
  const m = rows.length;
  const blocks = [call(k, 'copHeaderBytes'), call(k, 'fftPlanBytes', n), call(k, 'pfWorkBytes', n), 4 * m, 16 * m, 16 * n, 8 * n].map((b) => k.alloc(Math.max(16, b)) >>> 0);
  const [h, plan, work, rp, col, xs, norms] = blocks;
  new Int32Array(k.memory.buffer, rp, m).set(rows);
  const A = call(k, 'copInitPartialFourier', h, n, plan, rp, m, scale, work, col, xs);
  expect(A & 1).toBe(1);
  call(k, 'copColNorms', A, m, n, norms);
  const pY = k.alloc(16 * m) >>> 0;
  new Float64Array(k.memory.buffer, pY, 2 * m).set(y);
  const px = k.alloc(16 * n) >>> 0, ps = k.alloc(4 * kk + 16) >>> 0, pi = k.alloc(8 * INFO_LEN) >>> 0;
  const pw = k.alloc((k[`${name}Workspace64`] as (m: number, n: number, k: number) => number)(m, n, kk)) >>> 0;
  const code = (k[name] as (...a: number[]) => number)(A, m, n, norms, pY, kk, maxIter, 0, mu, 0, px, ps, pi, pw, realX);
  const out = { code, info: new Float64Array(k.memory.buffer, pi, INFO_LEN).slice(), x: new Float64Array(k.memory.buffer, px, 2 * n).slice() };
  for (const p of [...blocks, pY, px, ps, pi, pw]) k.free(p);
  return out;
}

describe('scalar and debug builds on the operator', () => {
  let builds: Raw[];
  beforeAll(async () => {
    builds = await Promise.all([load('release.wasm'), load('scalar.wasm'), load('debug.wasm')]);
  });

  it('complexOmp, complexIht, complexNiht: the same statuses, iterations and supports, x to 1e-12', () => {
    for (const [seed, n, m, s] of [[61, 256, 36, 5], [62, 97, 30, 4]]) {
      for (const realX of [0, 1]) {
        const rng = new Rng(seed);
        const rows = Array.from(rng.sample(n, m));
        const D = dense(n, rows, 'unit');
        const { y } = problem(rng, D, s, realX === 1, 1e-3);
        for (const [name, maxIter, mu] of [['complexOmp', s, 0], ['complexIht', 100, 0.5], ['complexNiht', 100, 0]] as const) {
          const [a, ...rest] = builds.map((b) => runRawOnOperator(b, name, n, rows, 1 / Math.sqrt(m), y, s, maxIter, mu, realX));
          for (const o of rest) {
            expect(o.code).toBe(a.code);
            expect(o.info[INFO_ITERATIONS]).toBe(a.info[INFO_ITERATIONS]);
            expect(o.info[INFO_NNZ]).toBe(a.info[INFO_NNZ]);
            expect(Math.abs(o.info[INFO_RESIDUAL] - a.info[INFO_RESIDUAL])).toBeLessThanOrEqual(1e-12 * Math.max(1, a.info[INFO_RESIDUAL]));
            expect(maxAbsDiff(o.x, a.x)).toBeLessThanOrEqual(1e-12);
          }
        }
      }
    }
  });
});

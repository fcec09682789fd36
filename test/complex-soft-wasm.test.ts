// The complex soft WASM kernels (assembly/complex/softomp.ts, softiht.ts)
// through the facade (src/complex/soft.ts, backend 'wasm'): equal to the JS
// twins (src/js/complex) to 1e-9 at both paper nets' settings and on several
// seeds (forward, VJPs, batch forward and batch VJP); with zero imaginary
// parts, the real WASM soft ops (src/soft/soft.ts); a partial Fourier
// operator handle gives the dense matrix's results; and the scalar build
// (build/scalar.wasm) agrees with the SIMD build bit for bit.
//
// One exception to 1e-9, measured rather than assumed: at the IHT-Net
// setting (30 layers) with the paper's tau = 1e-3, the twin's own gradients
// move by up to ~1e-8 (relative) when y moves by one ulp, so no
// implementation that rounds differently can match them to 1e-9. There the
// gradients are held to 4 times the twin's own one-ulp spread (and x and the
// loss still to 1e-9).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, Operator, softIht, softIhtBatchVjp, softIhtVjp, softOmp, softOmpBatchVjp, softOmpVjp } from '../src/index.js';
import {
  complexSoftIht, complexSoftIhtBatch, complexSoftIhtBatchVjp, complexSoftIhtVjp,
  complexSoftOmp, complexSoftOmpBatch, complexSoftOmpBatchVjp, complexSoftOmpVjp,
} from '../src/complex/soft.js';
import { structuredSparse } from '../src/data/structured.js';
import { fourierMatrix } from '../src/data/fourier.js';
import { ComplexMatrix } from '../src/js/complex/cmatrix.js';
import { Rng } from '../src/core/random.js';
import { wasm, alloc, free, f64View, i32View } from '../src/core/wasm.js';
import { INFO_LEN } from '../src/core/kernels.js';

beforeAll(async () => {
  await init();
});

/** ||a - b|| / max(||b||, 1e-300). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    s += b[i] ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(s), 1e-300);
}

const relNum = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

const weights = (n: number, seed: number) => {
  const r = new Rng(seed);
  return Float64Array.from({ length: n }, () => 0.5 + r.uniform());
};

const col = (Y: ComplexMatrix, b: number) => Y.data.slice(2 * b * Y.m, 2 * (b + 1) * Y.m);

/** The paper's settings: n = 256, s = 10 of K = 20, partial Fourier; OMP-Net m = 20, 10 layers; IHT-Net m = 36, 30 layers, eta 0.5. */
const NETS = [
  { kind: 'omp' as const, m: 20, opts: { iterations: 10 } },
  { kind: 'iht' as const, m: 36, opts: { k: 10, iterations: 30, eta: 0.5 } },
];

function paperData(seed: number, m: number, N: number) {
  const fam = structuredSparse({ n: 256, s: 10, K: 20, m, matrix: 'fourier', sigma: 1e-3, seed });
  return { A: fam.A, set: fam.sample(N, 100 + seed) };
}

/** Y with every entry moved by at most one ulp (a fixed pattern of -2..2 half-ulps). */
function ulpNudge(Y: ComplexMatrix): ComplexMatrix {
  return new ComplexMatrix(Y.m, Y.n, Y.data.map((v, i) => v * (1 + (((i * 7919) % 5) - 2) * 2 ** -53)));
}

describe('complex soft WASM = JS twin at the paper nets\' settings', () => {
  for (const net of NETS) {
    const f = net.kind === 'omp' ? complexSoftOmp : complexSoftIht;
    const fv = net.kind === 'omp' ? complexSoftOmpVjp : complexSoftIhtVjp;
    const fb = net.kind === 'omp' ? complexSoftOmpBatch : complexSoftIhtBatch;
    const fbv = net.kind === 'omp' ? complexSoftOmpBatchVjp : complexSoftIhtBatchVjp;
    for (const tau of [0, 1e-3, 0.05]) {
      it(`${net.kind}: forward, VJP, batch and batch VJP at tau = ${tau}, seeds 1..3`, () => {
        for (const seed of [1, 2, 3]) {
          const { A, set } = paperData(seed, net.m, 12);
          const w = weights(256, seed);
          const o = { ...net.opts, tau, w } as never;
          const y = col(set.Y, 0);
          const a = f(A, y, { ...(o as object), history: true, backend: 'wasm' } as never);
          const b = f(A, y, { ...(o as object), history: true, backend: 'js' } as never);
          expect(relErr(a.x, b.x)).toBeLessThan(1e-9);
          expect(relNum(a.residualNorm, b.residualNorm)).toBeLessThan(1e-9);
          expect(a.status).toBe(b.status);
          expect(a.iterations).toBe(b.iterations);
          expect(Array.from(a.selected)).toEqual(Array.from(b.selected));
          a.history!.forEach((h, t) => expect(relErr(h, b.history![t])).toBeLessThan(1e-9));

          const gx = new Rng(seed + 7).normals(512);
          const va = fv(A, y, gx, { ...(o as object), backend: 'wasm' } as never);
          const vb = fv(A, y, gx, { ...(o as object), backend: 'js' } as never);
          expect(relErr(va.x, vb.x)).toBeLessThan(1e-9);
          expect(va.status).toBe(vb.status);

          const ba = fb(A, set.Y, { ...(o as object), backend: 'wasm' } as never);
          const bb = fb(A, set.Y, { ...(o as object), backend: 'js' } as never);
          expect(relErr(ba.X.data, bb.X.data)).toBeLessThan(1e-9);
          expect(relErr(ba.residualNorms, bb.residualNorms)).toBeLessThan(1e-9);
          expect(ba.status).toEqual(bb.status);

          const ga = fbv(A, set.Y, set.X, { ...(o as object), gradY: true, backend: 'wasm' } as never);
          const gb = fbv(A, set.Y, set.X, { ...(o as object), gradY: true, backend: 'js' } as never);
          expect(relNum(ga.loss, gb.loss)).toBeLessThan(1e-9);
          expect(relErr(ga.X.data, gb.X.data)).toBeLessThan(1e-9);
          expect(ga.status).toEqual(gb.status);

          // gradients: 1e-9, or (IHT-Net at tau = 1e-3) 4 times the twin's own one-ulp spread
          let tol = 1e-9;
          if (net.kind === 'iht' && tau === 1e-3) {
            const gn = fbv(A, ulpNudge(set.Y), set.X, { ...(o as object), gradY: true, backend: 'js' } as never);
            const spread = Math.max(relErr(gn.gw, gb.gw), relNum(gn.gtau, gb.gtau), relErr(gn.gY!.data, gb.gY!.data));
            tol = Math.max(1e-9, 4 * spread);
            expect(tol).toBeLessThan(1e-6);
          }
          if (tau === 0) expect(va.gw.every((v) => v === 0) && vb.gw.every((v) => v === 0)).toBe(true);
          else expect(relErr(va.gw, vb.gw)).toBeLessThan(tol);
          expect(relErr(va.gy, vb.gy)).toBeLessThan(tol);
          if (tau > 0) expect(relNum(va.gtau, vb.gtau)).toBeLessThan(tol);
          else expect(va.gtau).toBe(0);
          if (tau > 0) expect(relErr(ga.gw, gb.gw)).toBeLessThan(tol);
          if (tau > 0) expect(relNum(ga.gtau, gb.gtau)).toBeLessThan(tol);
          expect(relErr(ga.gY!.data, gb.gY!.data)).toBeLessThan(tol);
        }
      });
    }
  }
});

describe('zero imaginary parts: the real WASM soft ops', () => {
  /** Real Gaussian A (m x n), y = A x + noise for a k-sparse x, the targets X. */
  function realData(seed: number, m: number, n: number, k: number, N: number) {
    const rng = new Rng(seed);
    const A = new Matrix(m, n, rng.normals(m * n).map((v) => v / Math.sqrt(m)));
    const X = new Matrix(n, N);
    const Y = new Matrix(m, N);
    for (let b = 0; b < N; b++) {
      for (const j of rng.sample(n, k)) X.data[b * n + j] = rng.normal();
      for (let i = 0; i < m; i++) {
        let s = 0.01 * rng.normal();
        for (let j = 0; j < n; j++) s += A.data[i + j * m] * X.data[b * n + j];
        Y.data[b * m + i] = s;
      }
    }
    const Ac = ComplexMatrix.fromReal(m, n, A.data);
    const Yc = ComplexMatrix.fromReal(m, N, Y.data);
    return { A, X, Y, Ac, Yc };
  }

  const re = (z: ArrayLike<number>) => Float64Array.from({ length: z.length / 2 }, (_, j) => z[2 * j]);
  const im = (z: ArrayLike<number>) => Float64Array.from({ length: z.length / 2 }, (_, j) => z[2 * j + 1]);

  for (const kind of ['omp', 'iht'] as const) {
    it(`${kind}: forward, VJP and batch VJP on real data, seeds 1..3, tau in {0, 0.01, 0.1}`, () => {
      for (const seed of [1, 2, 3]) {
        const [m, n, N] = [24, 64, 6];
        const { A, X, Y, Ac, Yc } = realData(seed, m, n, 4, N);
        const w = weights(n, seed + 10);
        for (const tau of [0, 0.01, 0.1]) {
          const o = kind === 'omp' ? { iterations: 6, tau, w } : { k: 5, iterations: 12, eta: 0.4, tau, w };
          const y = Y.data.slice(0, m);
          const yc = col(Yc, 0);
          const r = kind === 'omp' ? softOmp(A, y, o as never) : softIht(A, y, o as never);
          const c = kind === 'omp' ? complexSoftOmp(Ac, yc, o as never) : complexSoftIht(Ac, yc, o as never);
          expect(relErr(re(c.x), r.x)).toBeLessThan(1e-9);
          expect(im(c.x).every((v) => v === 0)).toBe(true);
          expect(relNum(c.residualNorm, r.residualNorm)).toBeLessThan(1e-9);
          expect(c.status).toBe(r.status);
          expect(Array.from(c.selected)).toEqual(Array.from(r.selected));

          const gx = new Rng(seed + 3).normals(n);
          const gxc = new Float64Array(2 * n);
          gx.forEach((v, j) => { gxc[2 * j] = v; });
          const rv = kind === 'omp' ? softOmpVjp(A, y, gx, o as never) : softIhtVjp(A, y, gx, o as never);
          const cv = kind === 'omp' ? complexSoftOmpVjp(Ac, yc, gxc, o as never) : complexSoftIhtVjp(Ac, yc, gxc, o as never);
          expect(relErr(cv.gw, rv.gw)).toBeLessThan(tau === 0 ? 1e-300 : 1e-9);
          expect(relErr(re(cv.gy), rv.gy)).toBeLessThan(1e-9);
          expect(relNum(cv.gtau, rv.gtau)).toBeLessThan(tau === 0 ? Infinity : 1e-9);

          const rb = kind === 'omp' ? softOmpBatchVjp(A, Y, X, { ...o, gradY: true } as never) : softIhtBatchVjp(A, Y, X, { ...o, gradY: true } as never);
          const cb = kind === 'omp' ? complexSoftOmpBatchVjp(Ac, Yc, X, { ...o, gradY: true } as never) : complexSoftIhtBatchVjp(Ac, Yc, X, { ...o, gradY: true } as never);
          expect(relNum(cb.loss, rb.loss)).toBeLessThan(1e-9);
          expect(relErr(cb.gw, rb.gw)).toBeLessThan(tau === 0 ? 1e-300 : 1e-9);
          if (tau > 0) expect(relNum(cb.gtau, rb.gtau)).toBeLessThan(1e-9);
          expect(relErr(re(cb.gY!.data), rb.gY!.data)).toBeLessThan(1e-9);
        }
      }
    });
  }
});

describe('a partial Fourier operator handle', () => {
  it('gives the dense matrix\'s x and gradients (kernels called on op.ptr)', () => {
    const n = 128;
    const rows = Array.from(new Rng(4).sample(n, 24), (k) => k - n / 2);
    const D = fourierMatrix(n, rows);
    const op = Operator.partialFourier(n, rows, { scale: 'unit' });
    try {
      const m = rows.length;
      const fam = new Rng(9);
      const Y = new ComplexMatrix(m, 3, fam.normals(2 * m * 3));
      const Xt = new Matrix(n, 3, fam.normals(3 * n));
      const w = weights(n, 5);
      const dense = {
        omp: complexSoftOmpBatchVjp(D, Y, Xt, { iterations: 8, tau: 0.01, w, gradY: true }),
        iht: complexSoftIhtBatchVjp(D, Y, Xt, { k: 6, iterations: 10, eta: 0.5, tau: 0.01, w, gradY: true }),
      };
      const k = wasm();
      for (const kind of ['omp', 'iht'] as const) {
        const L = kind === 'omp' ? 8 : 10;
        const wsb = kind === 'omp' ? k.complexSoftOmpWorkspace64(m, n, L) : k.complexSoftIhtWorkspace64(m, n, 6, L);
        const sizes = [2 * m * 3, n * 3, n, 2 * n * 3, n, 2 * m * 3, 2];
        const ptrs = sizes.map((s) => alloc(8 * s));
        const st = alloc(4 * 3);
        const ws = alloc(wsb);
        try {
          const [pY, pXt, pw, pX, pgw, pgY, pout] = ptrs;
          f64View(pY, 2 * m * 3).set(Y.data);
          f64View(pXt, 3 * n).set(Xt.data);
          f64View(pw, n).set(w);
          if (kind === 'omp') k.complexSoftOmpBatchVjp(op.ptr, m, n, pY, pXt, 3, pw, L, 0.01, pX, pgw, pgY, pout, st, ws);
          else k.complexSoftIhtBatchVjp(op.ptr, m, n, pY, pXt, 3, pw, 6, L, 0.5, 0.01, pX, pgw, pgY, pout, st, ws);
          const ref = dense[kind];
          expect(relErr(f64View(pX, 2 * n * 3), ref.X.data)).toBeLessThan(1e-9);
          expect(relErr(f64View(pgw, n), ref.gw)).toBeLessThan(1e-9);
          expect(relErr(f64View(pgY, 2 * m * 3), ref.gY!.data)).toBeLessThan(1e-9);
          expect(relNum(f64View(pout, 2)[0], ref.loss)).toBeLessThan(1e-9);
          expect(relNum(f64View(pout, 2)[1], ref.gtau)).toBeLessThan(1e-9);
          expect(Array.from(i32View(st, 3))).toEqual([0, 0, 0]);
        } finally {
          for (const p of [...ptrs, st, ws]) free(p);
        }
      }
    } finally {
      op.dispose();
    }
  });
});

describe('scalar build = SIMD build', () => {
  interface Raw {
    memory: WebAssembly.Memory;
    alloc(bytes: number): number;
    simdBuild(): number;
    [name: string]: ((...a: number[]) => number) | WebAssembly.Memory;
  }
  async function load(path: string): Promise<Raw> {
    const mod = await WebAssembly.compile(readFileSync(new URL(`../build/${path}`, import.meta.url)));
    const inst = await WebAssembly.instantiate(mod, { env: { abort: () => { throw new Error('abort'); }, opHost: () => { throw new Error('opHost'); } } });
    return inst.exports as unknown as Raw;
  }

  /** Runs a batch VJP and a history forward in one instance; returns every output. */
  function run(K: Raw, kind: 'omp' | 'iht', A: ComplexMatrix, Y: ComplexMatrix, Xt: Matrix, w: Float64Array, tau: number): Float64Array[] {
    const { m, n } = A;
    const N = Y.n;
    const L = kind === 'omp' ? 10 : 30;
    const call = (name: string, ...a: number[]) => (K[name] as (...a: number[]) => number)(...a);
    const put = (v: ArrayLike<number>) => {
      const p = K.alloc(8 * v.length);
      new Float64Array(K.memory.buffer, p, v.length).set(v);
      return p;
    };
    const pA = put(A.data), pY = put(Y.data), pXt = put(Xt.data), pw = put(w);
    const pX = K.alloc(16 * n * N), pgw = K.alloc(8 * n), pgY = K.alloc(16 * m * N), pout = K.alloc(16), st = K.alloc(4 * N);
    const ws = K.alloc(kind === 'omp' ? call('complexSoftOmpWorkspace64', m, n, L) : call('complexSoftIhtWorkspace64', m, n, 10, L));
    const px = K.alloc(16 * n), ph = K.alloc(16 * n * L), sel = K.alloc(4 * L), info = K.alloc(8 * INFO_LEN);
    if (kind === 'omp') {
      call('complexSoftOmpBatchVjp', pA, m, n, pY, pXt, N, pw, L, tau, pX, pgw, pgY, pout, st, ws);
      call('complexSoftOmp', pA, m, n, pY, pw, L, tau, px, sel, ph, info, ws);
    } else {
      call('complexSoftIhtBatchVjp', pA, m, n, pY, pXt, N, pw, 10, L, 0.5, tau, pX, pgw, pgY, pout, st, ws);
      call('complexSoftIht', pA, m, n, pY, pw, 10, L, 0.5, tau, px, sel, ph, info, ws);
    }
    const view = (p: number, len: number) => new Float64Array(K.memory.buffer, p, len).slice();
    return [view(pX, 2 * n * N), view(pgw, n), view(pgY, 2 * m * N), view(pout, 2), view(ph, 2 * n * L), view(info, 3)];
  }

  it('complex Soft-OMP / Soft-IHT batch VJP and history forward, bit for bit', async () => {
    const simd = await load('release.wasm');
    const scalar = await load('scalar.wasm');
    expect(simd.simdBuild()).toBe(1);
    expect(scalar.simdBuild()).toBe(0);
    for (const net of NETS) {
      const { A, set } = paperData(2, net.m, 8);
      const w = weights(256, 2);
      for (const tau of [0, 1e-3]) {
        const a = run(simd, net.kind, A, set.Y, set.X, w, tau);
        const b = run(scalar, net.kind, A, set.Y, set.X, w, tau);
        a.forEach((v, i) => expect(Array.from(b[i]), `${net.kind} tau ${tau} output ${i}`).toEqual(Array.from(v)));
      }
    }
  });
});

// Every Soft-OMP / Soft-IHT gradient against central finite differences.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  init, Matrix, softIht, softIhtBatch, softIhtBatchVjp, softIhtVjp, softOmp, softOmpBatch, softOmpBatchVjp, softOmpVjp,
} from '../src/index.js';
import { gaussianProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import { softOmpVjpJs } from '../src/js/softomp.js';
import { relDiff as relErr } from './helpers.js';

beforeAll(async () => {
  await init();
});

function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** Central differences of f at v along every coordinate, step h. */
function fdGrad(f: (v: Float64Array) => number, v: Float64Array, h: number): Float64Array {
  return Float64Array.from(v, (_, j) => {
    const a = v.slice();
    const b = v.slice();
    a[j] += h;
    b[j] -= h;
    return (f(a) - f(b)) / (2 * h);
  });
}

type Kind = 'omp' | 'iht';
const M = 20;
const N = 40;

function solve(kind: Kind, A: Matrix, y: Float64Array, w: Float64Array, tau: number, backend: 'wasm' | 'js'): Float64Array {
  return kind === 'omp'
    ? softOmp(A, y, { iterations: 4, tau, w, backend }).x
    : softIht(A, y, { k: 4, iterations: 8, eta: 0.4, tau, w, backend }).x;
}

function vjp(kind: Kind, A: Matrix, y: Float64Array, gx: Float64Array, w: Float64Array, tau: number, backend: 'wasm' | 'js') {
  return kind === 'omp'
    ? softOmpVjp(A, y, gx, { iterations: 4, tau, w, backend })
    : softIhtVjp(A, y, gx, { k: 4, iterations: 8, eta: 0.4, tau, w, backend });
}

describe('Soft-OMP / Soft-IHT VJPs against central finite differences', () => {
  const worst: Record<string, number> = {};
  const note = (key: string, e: number) => (worst[key] = Math.max(worst[key] ?? 0, e));

  for (const kind of ['omp', 'iht'] as const) {
    for (const backend of ['wasm', 'js'] as const) {
      it(`${kind} (${backend}): dL/dw, dL/dy, dL/dtau at tau = 1e-1, 1e-2, 1e-3 (rel. error < 1e-5)`, () => {
        const rng = new Rng(kind === 'omp' ? 61 : 62);
        [1e-1, 1e-2, 1e-3].forEach((tau, ti) => {
          const p = gaussianProblem({ m: M, n: N, k: 4, seed: 1000 + 10 * ti + (kind === 'omp' ? 0 : 5), sigma: 0.05 });
          const w = Float64Array.from({ length: N }, () => 0.5 + rng.uniform());
          const gx = rng.normals(N);
          const L = (x: Float64Array) => x.reduce((a, v, j) => a + v * gx[j], 0);
          // (a) data scaled to 10 tau, so the soft rows are genuinely soft and
          // dL/dw is not negligibly small (at unit scale and tau = 1e-3 it
          // underflows to ~1e-28 and a check would be vacuous)
          const sc = 10 * tau;
          const y = p.y.map((v) => v * sc);
          const g = vjp(kind, p.A, y, gx, w, tau, backend);
          expect(norm(g.gw)).toBeGreaterThan(1e-3 * sc);
          const fw = fdGrad((ww) => L(solve(kind, p.A, y, ww, tau, backend)), w, 1e-6);
          const fy = fdGrad((yy) => L(solve(kind, p.A, yy, w, tau, backend)), y, 1e-6 * sc);
          const ft = (L(solve(kind, p.A, y, w, tau * (1 + 1e-5), backend)) - L(solve(kind, p.A, y, w, tau * (1 - 1e-5), backend))) / (2e-5 * tau);
          const ew = relErr(g.gw, fw);
          const ey = relErr(g.gy, fy);
          const et = Math.abs(g.gtau - ft) / Math.abs(ft);
          note(`${kind} w`, ew);
          note(`${kind} y`, ey);
          note(`${kind} tau`, et);
          expect(ew).toBeLessThan(1e-5);
          expect(ey).toBeLessThan(1e-5);
          expect(et).toBeLessThan(1e-5);
          // (b) the unscaled data: dL/dy is O(1) at every tau
          const g1 = vjp(kind, p.A, p.y, gx, w, tau, backend);
          const fy1 = fdGrad((yy) => L(solve(kind, p.A, yy, w, tau, backend)), p.y, 1e-6);
          const ey1 = relErr(g1.gy, fy1);
          note(`${kind} y (unit scale)`, ey1);
          expect(ey1).toBeLessThan(1e-5);
        });
      });
    }

    it(`${kind}: the hard version (tau = 0) has dL/dw = 0 and the fixed-support dL/dy`, () => {
      const rng = new Rng(71);
      const p = gaussianProblem({ m: M, n: N, k: 4, seed: 1100, sigma: 0.05 });
      const w = Float64Array.from({ length: N }, () => 0.5 + rng.uniform());
      const gx = rng.normals(N);
      const L = (x: Float64Array) => x.reduce((a, v, j) => a + v * gx[j], 0);
      for (const backend of ['wasm', 'js'] as const) {
        const g = vjp(kind, p.A, p.y, gx, w, 0, backend);
        expect(norm(g.gw)).toBe(0);
        expect(g.gtau).toBe(0);
        const fy = fdGrad((yy) => L(solve(kind, p.A, yy, w, 0, backend)), p.y, 1e-6);
        expect(relErr(g.gy, fy)).toBeLessThan(1e-6);
      }
    });

    it(`${kind}: WASM VJP equals JS VJP`, () => {
      const rng = new Rng(81);
      for (let trial = 0; trial < 5; trial++) {
        const p = gaussianProblem({ m: 25, n: 50, k: 5, seed: 1200 + trial, sigma: 0.02 });
        const w = Float64Array.from({ length: 50 }, () => 0.5 + rng.uniform());
        const gx = rng.normals(50);
        const tau = [1e-3, 1e-2, 0.1, 1, 3][trial];
        const opt = { tau, w };
        const a = kind === 'omp' ? softOmpVjp(p.A, p.y, gx, { ...opt, iterations: 5 }) : softIhtVjp(p.A, p.y, gx, { ...opt, k: 5, iterations: 10, eta: 0.5 });
        const b = kind === 'omp'
          ? softOmpVjp(p.A, p.y, gx, { ...opt, iterations: 5, backend: 'js' })
          : softIhtVjp(p.A, p.y, gx, { ...opt, k: 5, iterations: 10, eta: 0.5, backend: 'js' });
        expect(relErr(a.x, b.x)).toBeLessThan(1e-9);
        expect(relErr(a.gy, b.gy)).toBeLessThan(1e-9);
        if (norm(b.gw) > 1e-12) expect(relErr(a.gw, b.gw)).toBeLessThan(1e-9);
        expect(Math.abs(a.gtau - b.gtau)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b.gtau)));
      }
    });
  }

  for (const kind of ['omp', 'iht'] as const) {
    it(`${kind}: dL/dA against central finite differences (tau = 0, 1e-1, 1e-2; WASM and JS)`, () => {
      const rng = new Rng(kind === 'omp' ? 91 : 92);
      const m = 8;
      const n = 16;
      for (const tau of [0, 1e-1, 1e-2]) {
        const p = gaussianProblem({ m, n, k: 3, seed: 1800 + Math.round(tau * 1000), sigma: 0.05 });
        const sc = tau === 0 ? 1 : 10 * tau;
        const y = p.y.map((v) => v * sc);
        const w = Float64Array.from({ length: n }, () => 0.5 + rng.uniform());
        const gx = rng.normals(n);
        const run = (A: Matrix, backend: 'wasm' | 'js') => kind === 'omp'
          ? softOmp(A, y, { iterations: 3, tau, w, backend }).x
          : softIht(A, y, { k: 3, iterations: 5, eta: 0.4, tau, w, backend }).x;
        for (const backend of ['wasm', 'js'] as const) {
          const g = kind === 'omp'
            ? softOmpVjp(p.A, y, gx, { iterations: 3, tau, w, backend, gradA: true })
            : softIhtVjp(p.A, y, gx, { k: 3, iterations: 5, eta: 0.4, tau, w, backend, gradA: true });
          expect(g.gA!.m).toBe(m);
          expect(g.gA!.n).toBe(n);
          const fd = fdGrad((a) => run(new Matrix(m, n, a), backend).reduce((s, v, j) => s + v * gx[j], 0), p.A.data, 1e-6);
          const e = relErr(g.gA!.data, fd);
          note(`${kind} A`, e);
          expect(e).toBeLessThan(1e-5);
        }
      }
    });
  }

  it('prints the worst errors', () => {
    console.log('worst relative error vs central FD: ' + Object.entries(worst).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', '));
    expect(Object.keys(worst).length).toBeGreaterThan(0);
  });
});

describe('batched forms', () => {
  const B = 5;
  function batchData(seed: number) {
    const rng = new Rng(seed);
    const A = gaussianProblem({ m: M, n: N, k: 4, seed }).A;
    const Y = new Matrix(M, B);
    const Xt = new Matrix(N, B);
    for (let b = 0; b < B; b++) {
      const p = gaussianProblem({ m: M, n: N, k: 4, seed: seed + 1 + b, sigma: 0.02 });
      // same A for every sample: rebuild y from A and this x
      for (let i = 0; i < M; i++) {
        let s = 0;
        for (let j = 0; j < N; j++) s += A.get(i, j) * p.x[j];
        Y.data[i + b * M] = s + 0.01 * rng.normal();
      }
      Xt.data.set(p.x, b * N);
    }
    const w = Float64Array.from({ length: N }, () => 0.5 + rng.uniform());
    return { A, Y, Xt, w };
  }
  const cols = (X: Matrix) => Array.from({ length: X.n }, (_, b) => X.data.slice(b * X.m, (b + 1) * X.m));

  for (const kind of ['omp', 'iht'] as const) {
    const opts = (tau: number, w: Float64Array) => (kind === 'omp' ? { iterations: 4, tau, w } : { k: 4, iterations: 8, eta: 0.4, tau, w });

    it(`${kind}: batch forward equals per-sample solves; batch VJP equals the sum of per-sample VJPs`, () => {
      const { A, Y, Xt, w } = batchData(kind === 'omp' ? 1300 : 1400);
      for (const backend of ['wasm', 'js'] as const) {
        const o = { ...opts(0.05, w), backend } as never;
        const fb = kind === 'omp' ? softOmpBatch(A, Y, o) : softIhtBatch(A, cols(Y), o);
        const vb = kind === 'omp' ? softOmpBatchVjp(A, Y, Xt, { ...(o as object), gradY: true, gradA: true } as never) : softIhtBatchVjp(A, cols(Y), cols(Xt), { ...(o as object), gradY: true, gradA: true } as never);
        const gA = new Float64Array(M * N);
        let loss = 0;
        const gw = new Float64Array(N);
        let gtau = 0;
        for (let b = 0; b < B; b++) {
          const y = Y.data.slice(b * M, (b + 1) * M);
          const xt = Xt.data.slice(b * N, (b + 1) * N);
          const single = kind === 'omp' ? softOmp(A, y, o) : softIht(A, y, o);
          expect(relErr(fb.X.data.slice(b * N, (b + 1) * N), single.x)).toBeLessThan(1e-15);
          expect(fb.status[b]).toBe(single.status);
          expect(fb.residualNorms[b]).toBeCloseTo(single.residualNorm, 12);
          const gx = Float64Array.from(single.x, (v, j) => (2 * (v - xt[j])) / B);
          loss += single.x.reduce((a, v, j) => a + (v - xt[j]) ** 2, 0) / B;
          const g = kind === 'omp' ? softOmpVjp(A, y, gx, { ...(o as object), gradA: true } as never) : softIhtVjp(A, y, gx, { ...(o as object), gradA: true } as never);
          for (let j = 0; j < N; j++) gw[j] += g.gw[j];
          for (let i = 0; i < M * N; i++) gA[i] += g.gA!.data[i];
          gtau += g.gtau;
          expect(relErr(vb.gY!.data.slice(b * M, (b + 1) * M), g.gy)).toBeLessThan(1e-12);
        }
        expect(vb.loss).toBeCloseTo(loss, 14);
        expect(relErr(vb.gw, gw)).toBeLessThan(1e-12);
        expect(relErr(vb.gA!.data, gA)).toBeLessThan(1e-12);
        expect(vb.gtau).toBeCloseTo(gtau, 10);
        expect(relErr(vb.X.data, fb.X.data)).toBeLessThan(1e-15);
      }
    });

    it(`${kind}: the batch loss gradient matches central finite differences (w and tau, tau = 1e-2)`, () => {
      const { A, Y, Xt, w } = batchData(kind === 'omp' ? 1500 : 1600);
      const tau = 1e-2;
      const run = (ww: Float64Array, t: number) => (kind === 'omp' ? softOmpBatchVjp(A, Y, Xt, opts(t, ww)) : softIhtBatchVjp(A, Y, Xt, { ...opts(t, ww), k: 4 }));
      const g = run(w, tau);
      const fw = fdGrad((ww) => run(ww, tau).loss, w, 1e-6);
      expect(relErr(g.gw, fw)).toBeLessThan(1e-5);
      const ft = (run(w, tau * (1 + 1e-5)).loss - run(w, tau * (1 - 1e-5)).loss) / (2e-5 * tau);
      expect(Math.abs(g.gtau - ft) / Math.abs(ft)).toBeLessThan(1e-5);
    });
  }

  it('rejects mismatched batches', () => {
    const { A, Y, Xt, w } = batchData(1700);
    expect(() => softOmpBatchVjp(A, Y, new Matrix(N, B + 1), { iterations: 2, tau: 0.1, w })).toThrow(/xTarget must have as many samples as Y \(5\), received 6/);
    expect(() => softOmpBatch(A, new Matrix(M + 1, B), { iterations: 2, tau: 0.1 })).toThrow(/Y must have 20 rows/);
    expect(() => softIhtBatch(A, [], { k: 2, iterations: 2, tau: 0.1 })).toThrow(/Y must not be empty/);
    expect(() => softIhtBatchVjp(A, Y, [new Float64Array(N - 1)], { k: 2, iterations: 2, tau: 0.1 })).toThrow(/xTarget\[0\] must have length 40/);
    expect(() => softIhtBatch(A, 'Y' as never, { k: 2, iterations: 2, tau: 0.1 })).toThrow(TypeError);
    void Xt;
  });
});

describe('Soft-OMP gradient split by layer (JS twin diagnostic)', () => {
  it('the per-iteration parts of dL/dw sum to dL/dw, and an iteration far from every tie adds almost nothing off its pick', () => {
    const p = gaussianProblem({ m: 20, n: 40, k: 3, seed: 77, sigma: 0.01 });
    const w = Float64Array.from(new Rng(78).normals(40), (v) => 1 + 0.2 * v);
    const gx = Float64Array.from(new Rng(79).normals(40));
    for (const tau of [1e-3, 0.1]) {
      const parts: Float64Array[] = [];
      const r = softOmpVjpJs(p.A, p.y, w, 5, tau, gx, parts);
      expect(parts.length).toBe(r.iterations);
      const sum = new Float64Array(40);
      for (const g of parts) g.forEach((v, j) => (sum[j] += v));
      for (let j = 0; j < 40; j++) expect(Math.abs(sum[j] - r.gw[j])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(r.gw[j])));
      // the same gradient as without the split
      expect(Array.from(softOmpVjpJs(p.A, p.y, w, 5, tau, gx).gw)).toEqual(Array.from(r.gw));
    }
    // at a small tau the first row is one-hot to within exp(-gap / tau): its part is concentrated on the pick
    const parts: Float64Array[] = [];
    const r = softOmpVjpJs(p.A, p.y, w, 5, 1e-4, gx, parts);
    const first = parts[0];
    const pick = r.selected[0];
    let off = 0;
    first.forEach((v, j) => { if (j !== pick) off = Math.max(off, Math.abs(v)); });
    expect(off).toBeLessThan(1e-6 * Math.max(Math.abs(first[pick]), 1e-300) + 1e-12);
  });
});

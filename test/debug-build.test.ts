// The debug build (asconfig target "debug": assertions on, no optimisation)
// puts a guard after every piece a kernel carves from its workspace and
// checks the guards before the kernel returns (assembly/workspace.ts): a
// kernel that writes past one of its pieces aborts, and the call throws. This
// file loads that build and runs every solver, batch form and soft op on a
// few problems chosen to reach the workspace edges (k near m, k = min(m, n),
// warm starts), and checks that the results match the JS twins.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sp from '../src/index.js';
import { Matrix, init } from '../src/index.js';
import { wasm } from '../src/core/wasm.js';
import { Rng } from '../src/core/random.js';
import { relDiff } from './helpers.js';

const DEBUG_WASM = new URL('../build/debug.wasm', import.meta.url);
const SOLVERS = ['omp', 'iht', 'niht', 'htp', 'cosamp', 'sp', 'sea', 'ompr', 'els'] as const;

beforeAll(async () => {
  await init({ wasm: DEBUG_WASM });
});


function times(A: Matrix, x: Float64Array): Float64Array {
  const y = new Float64Array(A.m);
  for (let j = 0; j < A.n; j++) for (let i = 0; i < A.m; i++) y[i] += A.data[j * A.m + i] * x[j];
  return y;
}

// (m, n, k): a tall case, k = m (the whole workspace in use), 3k = m with
// n >> m (CoSaMP's merged set capped at m), and a small case with k = min(m, n).
// Where k >= m every support of k atoms fits y exactly, so the solution is
// not unique and the two backends may pick different ones: there only the
// residuals are compared.
const SHAPES: Array<[number, number, number]> = [[30, 20, 6], [12, 40, 12], [9, 60, 3], [5, 7, 5]];

describe('debug build: guarded workspaces', () => {
  it('is the module loaded, and its guards catch a write past a piece (the release build compiles them out)', async () => {
    const ex = wasm() as unknown as { wsGuardSelfTest(ws: number): void; alloc(b: number): number };
    const ws = ex.alloc(256);
    expect(() => ex.wsGuardSelfTest(ws)).toThrow(/WASM abort/);
    const rel = await WebAssembly.instantiate(readFileSync(new URL('../build/release.wasm', import.meta.url)),
      { env: { abort: () => { throw new Error('abort'); }, opHost: () => { throw new Error('opHost'); } } });
    const rex = rel.instance.exports as unknown as { wsGuardSelfTest(ws: number): void; alloc(b: number): number };
    expect(() => rex.wsGuardSelfTest(rex.alloc(256))).not.toThrow();
  });

  it('every solver, cold and warm started, runs within its carve and matches its JS twin', () => {
    let runs = 0;
    SHAPES.forEach(([m, n, k], s) => {
      const rng = new Rng(70 + s);
      const A = new Matrix(m, n, rng.normals(m * n));
      const xt = new Float64Array(n);
      for (let i = 0; i < k; i++) xt[rng.int(n)] = 1 + rng.normal() ** 2;
      const y = times(A, xt).map((v) => v + 0.01 * rng.normal());
      const x0 = rng.normals(n);
      for (const name of SOLVERS) {
        for (const warm of [false, true]) {
          if (warm && name === 'omp') continue;
          const o: Record<string, unknown> = { k, maxIter: 60 };
          if (warm) Object.assign(o, name === 'sea' ? { init: x0 } : { x0 });
          const fn = (sp as unknown as Record<string, (A: Matrix, y: Float64Array, o: object) => sp.SolveResult>)[name];
          const a = fn(A, y, { ...o, backend: 'wasm' });
          const b = fn(A, y, { ...o, backend: 'js' });
          expect(a.status, `${name} ${m}x${n} k=${k} warm=${warm}`).toBe(b.status);
          if (k < m) expect(relDiff(a.x, b.x), `${name} ${m}x${n} k=${k} warm=${warm}`).toBeLessThan(1e-8);
          expect(Math.abs(a.residualNorm - b.residualNorm)).toBeLessThanOrEqual(1e-8 * (1 + b.residualNorm));
          runs++;
        }
      }
    });
    expect(runs).toBe(SHAPES.length * (2 * SOLVERS.length - 1));
    // FISTA (its own ABI)
    for (const [m, n] of SHAPES) {
      const rng = new Rng(m + 3 * n);
      const A = new Matrix(m, n, rng.normals(m * n));
      const y = rng.normals(m);
      const a = sp.fista(A, y, { lambdaRatio: 0.2, tol: 1e-10 });
      const b = sp.fista(A, y, { lambdaRatio: 0.2, tol: 1e-10, backend: 'js' });
      expect(a.status).toBe(b.status);
      expect(relDiff(a.x, b.x)).toBeLessThan(1e-8);
    }
  });

  it('batch forms (Batch-OMP with and without the Gram matrix, the common batch) run within their carves', () => {
    for (const [m, n, k] of SHAPES) {
      const rng = new Rng(m * n + k);
      const A = new Matrix(m, n, rng.normals(m * n));
      const Y = new Matrix(m, 4, rng.normals(m * 4));
      const g = sp.ompBatch(A, Y, { k, precompute: true });
      const p = sp.ompBatch(A, Y, { k, precompute: false });
      for (let c = 0; c < 4; c++) {
        const one = sp.omp(A, Y.column(c), { k, backend: 'js' });
        expect(relDiff(batchX(g, c, n), one.x)).toBeLessThan(1e-8);
        expect(relDiff(batchX(p, c, n), one.x)).toBeLessThan(1e-8);
      }
      for (const name of ['iht', 'htp', 'cosamp', 'sp', 'ompr', 'els'] as const) {
        const r = sp.solveBatch(name, A, Y, { k, maxIter: 30 });
        expect(r.status.every((st: string) => st !== 'error')).toBe(true);
      }
    }
  });

  it('soft ops (forward, VJP, batched) run within their carves', () => {
    for (const [m, n, k] of SHAPES) {
      const rng = new Rng(5 * m + n);
      const A = new Matrix(m, n, rng.normals(m * n));
      const Y = new Matrix(m, 3, rng.normals(m * 3));
      const y = Y.column(0);
      const L = Math.min(m, n, k);
      const w = rng.normals(n).map((v) => 0.5 + Math.abs(v));
      const gx = rng.normals(n);
      const Xt = new Matrix(n, 3, rng.normals(n * 3));
      for (const tau of [0, 0.1]) {
        const o = { iterations: L, tau, w };
        const io = { iterations: 4, k, tau, w };
        expect(relDiff(sp.softOmp(A, y, o).x, sp.softOmp(A, y, { ...o, backend: 'js' }).x)).toBeLessThan(1e-8);
        expect(relDiff(sp.softIht(A, y, io).x, sp.softIht(A, y, { ...io, backend: 'js' }).x)).toBeLessThan(1e-8);
        expect(relDiff(sp.softOmpVjp(A, y, gx, o).gw!, sp.softOmpVjp(A, y, gx, { ...o, backend: 'js' }).gw!)).toBeLessThan(1e-6);
        expect(relDiff(sp.softIhtVjp(A, y, gx, io).gw!, sp.softIhtVjp(A, y, gx, { ...io, backend: 'js' }).gw!)).toBeLessThan(1e-6);
        expect(sp.softOmpBatch(A, Y, o).X.n).toBe(3);
        expect(sp.softIhtBatch(A, Y, io).X.n).toBe(3);
        expect(Number.isFinite(sp.softOmpBatchVjp(A, Y, Xt, o).loss)).toBe(true);
        expect(Number.isFinite(sp.softIhtBatchVjp(A, Y, Xt, io).loss)).toBe(true);
      }
    }
  });
});

function batchX(r: { X: Float64Array }, c: number, n: number): Float64Array {
  return r.X.slice(c * n, (c + 1) * n);
}

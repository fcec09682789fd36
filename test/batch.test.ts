import { beforeAll, describe, expect, it } from 'vitest';
import { batchColumn, init, Matrix, omp, ompBatch, ompBatchPlan, Operator, solveBatch, GRAM_AUTO_MAX_BYTES } from '../src/index.js';
import { iht, niht, htp, cosamp, sp, ihtBatch, nihtBatch, htpBatch, cosampBatch, spBatch } from '../src/index.js';
import { ompr, els, sea, omprBatch, elsBatch, seaBatch } from '../src/index.js';
import { ompSolver } from '../src/solvers/omp.js';
import { runBatch } from '../src/solvers/batch.js';
import { gaussianProblem, signalBlock } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import { alloc, wasm, free, readF64, f64View, setMemoryLimit, MAX_MEMORY_BYTES } from '../src/core/wasm.js';

beforeAll(async () => {
  await init();
});

const signals = signalBlock;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

const col = (Y: Float64Array, m: number, j: number) => Y.subarray(j * m, (j + 1) * m);

describe('ompBatch', () => {
  it('plain path equals omp column by column, bit for bit (Matrix and Operator)', () => {
    for (const [m, n, k, p, normalize] of [[64, 256, 8, 30, true], [40, 30, 12, 20, false], [128, 512, 20, 10, true]] as const) {
      const { A } = gaussianProblem({ m, n, k, seed: m + n, normalize });
      const Y = signals(A, k, p, 7);
      const op = Operator.dense(A);
      for (const target of [A, op]) {
        const b = ompBatch(target, Y, { k, precompute: false });
        expect(b.precompute).toBe(false);
        for (let j = 0; j < p; j++) {
          const s = omp(A, col(Y, m, j), { k });
          const c = batchColumn(b, j);
          expect(Array.from(c.x)).toEqual(Array.from(s.x));
          expect(Array.from(c.support)).toEqual(Array.from(s.support));
          expect(c.residualNorm).toBe(s.residualNorm);
          expect(c.iterations).toBe(s.iterations);
          expect(c.status).toBe(s.status);
        }
      }
      op.dispose();
    }
  });

  it('Gram path (Batch-OMP) equals the plain path to 1e-10 on 6 shapes, with and without tol', () => {
    const shapes = [[64, 256, 8], [100, 60, 20], [256, 1024, 32], [30, 200, 10], [50, 50, 50], [80, 160, 1]] as const;
    let tolStops = 0;
    for (const [m, n, k] of shapes) {
      for (const normalize of [true, false]) {
        const { A } = gaussianProblem({ m, n, k, seed: 11 * m + n, normalize });
        const Y = signals(A, Math.max(1, k - 2), 12, m + n, 0.05);
        const op = Operator.dense(A);
        for (const tol of [0, 0.2]) {
          const g = ompBatch(op, Y, { k, tol, precompute: true });
          const pl = ompBatch(op, Y, { k, tol, precompute: false });
          expect(g.precompute).toBe(true);
          for (let j = 0; j < 12; j++) {
            const ynorm = Math.hypot(...col(Y, m, j));
            expect(Array.from(g.support[j])).toEqual(Array.from(pl.support[j]));
            expect(g.status[j]).toBe(pl.status[j]);
            expect(g.iterations[j]).toBe(pl.iterations[j]);
            const xs = pl.X.subarray(j * n, (j + 1) * n);
            const xnorm = Math.max(1, Math.hypot(...xs));
            expect(maxAbsDiff(g.X.subarray(j * n, (j + 1) * n), xs)).toBeLessThan(1e-10 * xnorm);
            expect(Math.abs(g.residualNorm[j] - pl.residualNorm[j])).toBeLessThan(1e-10 * ynorm);
            if (tol > 0 && g.iterations[j] < k && g.status[j] === 'converged') {
              expect(g.residualNorm[j]).toBeLessThanOrEqual(tol * ynorm);
              tolStops++;
            }
          }
        }
        op.dispose();
      }
    }
    expect(tolStops).toBeGreaterThan(50);
  });

  it('WASM Batch-OMP equals the JS twin to 1e-9, and the JS Gram path equals the JS plain path', () => {
    for (let s = 0; s < 10; s++) {
      const rng = new Rng(500 + s);
      const m = 20 + rng.int(60);
      const n = 10 + rng.int(120);
      const k = 1 + rng.int(Math.min(m, n));
      const { A } = gaussianProblem({ m, n, k, seed: 600 + s, normalize: s % 2 === 0 });
      const Y = signals(A, Math.max(1, k >> 1), 5, 700 + s, 0.1);
      const tol = s % 3 === 0 ? 0.3 : 0;
      const w = ompBatch(A, Y, { k, tol, precompute: true });
      const j = ompBatch(A, Y, { k, tol, precompute: true, backend: 'js' });
      const jp = ompBatch(A, Y, { k, tol, precompute: false, backend: 'js' });
      for (let c = 0; c < 5; c++) {
        expect(Array.from(w.support[c])).toEqual(Array.from(j.support[c]));
        expect(Array.from(jp.support[c])).toEqual(Array.from(j.support[c]));
        expect(w.status[c]).toBe(j.status[c]);
        expect(jp.status[c]).toBe(j.status[c]);
        expect(w.iterations[c]).toBe(j.iterations[c]);
        expect(jp.iterations[c]).toBe(j.iterations[c]);
        const xs = j.X.subarray(c * n, (c + 1) * n);
        const scale = Math.max(1, Math.hypot(...xs));
        expect(maxAbsDiff(w.X.subarray(c * n, (c + 1) * n), xs)).toBeLessThan(1e-9 * scale);
        expect(maxAbsDiff(jp.X.subarray(c * n, (c + 1) * n), xs)).toBeLessThan(1e-9 * scale);
        expect(Math.abs(w.residualNorm[c] - j.residualNorm[c])).toBeLessThan(1e-9 * Math.max(1, j.residualNorm[c]));
      }
    }
  });

  it('recovers the exact support of noiseless signals on the Gram path (m=128, n=256, k=8)', () => {
    const { A } = gaussianProblem({ m: 128, n: 256, k: 8, seed: 3 });
    const rng = new Rng(4);
    const p = 40;
    const Y = new Float64Array(128 * p);
    const truth: number[][] = [];
    for (let j = 0; j < p; j++) {
      const S = Array.from(rng.sample(256, 8));
      truth.push(S);
      for (const c of S) {
        const v = (rng.uniform() < 0.5 ? -1 : 1) * (1 + rng.uniform());
        for (let i = 0; i < 128; i++) Y[j * 128 + i] += A.data[c * 128 + i] * v;
      }
    }
    const g = ompBatch(A, Y, { k: 8, precompute: true });
    for (let j = 0; j < p; j++) {
      expect(Array.from(g.support[j])).toEqual(truth[j]);
      expect(g.residualNorm[j]).toBeLessThan(1e-10);
      expect(g.status[j]).toBe('converged');
    }
  });

  it('reports premature on dependent columns on the Gram path, like the plain path', () => {
    const rng = new Rng(11);
    const m = 10;
    const base = rng.normals(m * 2);
    // columns [c0, c1, c0, c1]: after two atoms the rest are in their span
    const B = new Matrix(m, 4, Float64Array.from([...base, ...base]));
    const y = Float64Array.from({ length: m }, (_, i) => base[i] + 2 * base[m + i] + 0.01 * Math.sin(i));
    for (const precompute of [true, false]) {
      for (const backend of ['wasm', 'js'] as const) {
        const r = ompBatch(B, y, { k: 4, precompute, backend });
        expect(r.status[0]).toBe('premature');
        expect(r.support[0].length).toBe(2);
        expect(r.X.every(Number.isFinite)).toBe(true);
      }
    }
  });

  it('computes G = A^T A once per operator, equal to the naive product, and split column ranges give the same bits', () => {
    const { A } = gaussianProblem({ m: 37, n: 53, k: 3, seed: 9, normalize: false });
    const { m, n, data } = A;
    const op = Operator.dense(A);
    expect(op.hasGram).toBe(false);
    const g1 = op.gramPtr();
    expect(op.gramPtr()).toBe(g1);
    expect(op.hasGram).toBe(true);
    const G = readF64(g1, n * n);
    let err = 0;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let r = 0; r < m; r++) s += data[i * m + r] * data[j * m + r];
        err = Math.max(err, Math.abs(s - G[i + j * n]));
        expect(G[i + j * n]).toBe(G[j + i * n]);
      }
    }
    expect(err).toBeLessThan(1e-12);
    // three uneven column ranges, then the mirror: identical to the one-piece G
    const g2 = alloc(8 * n * n);
    for (const [j0, j1] of [[0, 13], [13, 14], [14, n]]) wasm().gramUpper(op.ptr, m, n, j0, j1, g2);
    wasm().gramMirror(g2, n);
    expect(Array.from(readF64(g2, n * n))).toEqual(Array.from(G));
    free(g2);
    op.disposeGram();
    expect(op.hasGram).toBe(false);
    op.gramPtr();
    op.dispose();
    expect(op.hasGram).toBe(false);
    expect(() => op.gramPtr()).toThrow(/disposed/);
  });

  it('gramMirrorCols copies the upper part of each column range onto the lower triangle, whatever the split (odd sizes, tile edges)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
    for (const n of [1, 2, 7, 8, 9, 16, 24, 33, 64, 70]) {
      const src = Float64Array.from({ length: n * n }, rnd);
      const want = src.slice();
      for (let j = 0; j < n; j++) for (let i = 0; i < j; i++) want[j + i * n] = src[i + j * n];
      const cutsList = [[0, n], [0, Math.floor(n / 3), n], [0, Math.min(n, 13), Math.min(n, 14), n], [0, 4 * Math.floor(n / 8), n]];
      for (const cuts of cutsList) {
        const g = alloc(8 * n * n);
        f64View(g, n * n).set(src);
        // the ranges in reverse order: each is independent of the others
        for (let q = cuts.length - 2; q >= 0; q--) wasm().gramMirrorCols(g, n, cuts[q], cuts[q + 1]);
        expect(Array.from(readF64(g, n * n))).toEqual(Array.from(want));
        free(g);
      }
      const g = alloc(8 * n * n);
      f64View(g, n * n).set(src);
      wasm().gramMirror(g, n);
      expect(Array.from(readF64(g, n * n))).toEqual(Array.from(want));
      free(g);
    }
  });

  it("chooses the path by the cost model for 'auto' and obeys a forced choice", () => {
    expect(ompBatchPlan(256, 1024, 32, 1, false).precompute).toBe(false);
    expect(ompBatchPlan(256, 1024, 32, 100, false).precompute).toBe(true);
    expect(ompBatchPlan(256, 1024, 32, 2, true).precompute).toBe(true); // G already held
    expect(ompBatchPlan(1024, 4096, 64, 100, false).precompute).toBe(true); // 128 MiB: just within the rule
    expect(8 * 4097 * 4097).toBeGreaterThan(GRAM_AUTO_MAX_BYTES);
    expect(ompBatchPlan(1024, 4097, 64, 10_000, false).precompute).toBe(false); // memory rule
    const { A } = gaussianProblem({ m: 64, n: 256, k: 8, seed: 1 });
    const Y = signals(A, 8, 3, 1);
    expect(ompBatch(A, Y, { k: 8 }).precompute).toBe(false);
    expect(ompBatch(A, signals(A, 8, 100, 1), { k: 8 }).precompute).toBe(true);
    expect(ompBatch(A, Y, { k: 8, precompute: true }).precompute).toBe(true);
    const big = new Matrix(1, 11586);
    expect(() => ompBatch(big, new Float64Array(1), { k: 1, precompute: true })).toThrow(/precompute: true needs a Gram matrix of 8 n\^2 = 1073883168 bytes/);
    expect(ompBatch(big, new Float64Array(1), { k: 1 }).precompute).toBe(false);
  });

  it('sizes its chunks of signals by the memory limit: a resident 16 MB operator and 300 signals under a 48 MiB limit', () => {
    // a fixed 32 MiB of signals per call (about 200 columns of 160 KB here) on top of the operator would exceed the limit
    const m = 100;
    const n = 20000;
    const { A } = gaussianProblem({ m, n, k: 2, seed: 4 });
    const Y = signals(A, 2, 300, 5);
    const op = Operator.dense(A);
    setMemoryLimit(48 * 2 ** 20);
    try {
      const r = ompBatch(op, Y, { k: 2, precompute: false });
      for (const j of [0, 177, 299]) {
        const one = omp(op, Y.subarray(j * m, (j + 1) * m), { k: 2 });
        expect(Array.from(r.X.subarray(j * n, (j + 1) * n))).toEqual(Array.from(one.x));
        expect(r.status[j]).toBe(one.status);
      }
      // a refusal names the function called, not an internal one: a second, temporary copy of a 40 MB A does not fit
      const big = new Matrix(250, n, new Float64Array(250 * n).fill(1));
      expect(() => ompBatch(big, new Float64Array(250).fill(1), { k: 1, precompute: false })).toThrow(/^ompBatch: A \(250 x 20000\) needs \d+ bytes of WASM memory/);
    } finally {
      setMemoryLimit(MAX_MEMORY_BYTES);
      op.dispose();
    }
  });

  it("'auto' falls back to the plain path when G would not fit the memory limit; a forced Gram path says how many bytes it needs", () => {
    const { A } = gaussianProblem({ m: 10, n: 1500, k: 5, seed: 2 });
    const Y = signals(A, 5, 400, 3);
    expect(ompBatchPlan(10, 1500, 5, 400, false).precompute).toBe(true); // by flops alone
    setMemoryLimit(1 << 24); // 16 MiB; G would take 18 MB
    try {
      const r = ompBatch(A, Y, { k: 5 });
      expect(r.precompute).toBe(false);
      expect(r.status.every((q) => q !== 'error')).toBe(true);
      expect(() => ompBatch(A, Y, { k: 5, precompute: true })).toThrow(/^ompBatch: the Gram matrix A\^T A \(1500 x 1500\) needs 18000000 bytes of WASM memory/);
    } finally {
      setMemoryLimit(MAX_MEMORY_BYTES);
    }
    expect(ompBatch(A, Y, { k: 5 }).precompute).toBe(true);
  });

  it('checks its arguments before any WASM call, naming the argument', () => {
    const { A } = gaussianProblem({ m: 16, n: 32, k: 2, seed: 1 });
    const Y = signals(A, 2, 3, 1);
    expect(() => ompBatch(A, new Float64Array(17), { k: 2 })).toThrow(/ompBatch: Y must have a length that is a positive multiple of 16 .* received length 17/);
    expect(() => ompBatch(A, new Matrix(15, 2), { k: 2 })).toThrow(/ompBatch: Y must have 16 rows/);
    expect(() => ompBatch(A, [1, 2] as unknown as Float64Array, { k: 2 })).toThrow(TypeError);
    expect(() => ompBatch(A, Y, { k: 17 })).toThrow(/ompBatch: k must be an integer in \[1, 16\], received 17/);
    expect(() => ompBatch(A, Y, { k: 2, precompute: 'yes' as never })).toThrow(/precompute must be 'auto', true or false, received "yes"/);
    expect(() => ompBatch(A, Y, { k: 2, onError: 'skip' as never })).toThrow(/onError must be one of 'throw', 'collect', received "skip"/);
    expect(() => ompBatch(A, Y, { k: 2, out: new Float64Array(32) } as never)).toThrow(/out is not supported/);
    expect(() => solveBatch('nope' as never, A, Y, { k: 2 })).toThrow(/solveBatch: solver must be one of 'omp'.*received "nope"/);
  });

  it('a signal with NaN throws naming its column, or with onError collect is reported by index while the others are solved', () => {
    const { A } = gaussianProblem({ m: 16, n: 32, k: 2, seed: 1 });
    const Y = signals(A, 2, 5, 1);
    Y[3 * 16 + 4] = NaN;
    Y[1 * 16 + 0] = Infinity;
    expect(() => ompBatch(A, Y, { k: 2 })).toThrow(/ompBatch: Y\[0, 1\] \(row 0 of signal 1\) must be finite, received Infinity/);
    for (const precompute of [true, false]) {
      const r = ompBatch(A, Y, { k: 2, onError: 'collect', precompute });
      expect(r.errors.map((e) => e.index)).toEqual([1, 3]);
      expect(r.errors[1].message).toMatch(/Y\[4, 3\] \(row 4 of signal 3\) must be finite, received NaN/);
      expect(r.status[1]).toBe('error');
      expect(r.status[3]).toBe('error');
      expect(() => batchColumn(r, 3)).toThrow(/column 3 has no solution/);
      for (const j of [0, 2, 4]) {
        const s = omp(A, col(Y, 16, j), { k: 2 });
        expect(maxAbsDiff(batchColumn(r, j).x, s.x)).toBeLessThan(1e-12);
      }
    }
  });

  it('solveBatch / runBatch run a solver per column bit for bit on one resident copy', () => {
    const { A } = gaussianProblem({ m: 48, n: 96, k: 5, seed: 21 });
    const Y = signals(A, 5, 6, 22);
    const r = runBatch(ompSolver, omp, A, Y, { k: 5 });
    const s = solveBatch('omp', A, Y, { k: 5, precompute: false });
    for (let j = 0; j < 6; j++) {
      const one = omp(A, col(Y, 48, j), { k: 5 });
      expect(Array.from(batchColumn(r, j).x)).toEqual(Array.from(one.x));
      expect(Array.from(batchColumn(s, j).x)).toEqual(Array.from(one.x));
      expect(r.status[j]).toBe(one.status);
    }
    expect(() => runBatch(ompSolver, omp, A, Y, { k: 0 })).toThrow(/ompBatch: k must be an integer in \[1, 48\], received 0/);
  });

  it('every solver has a Batch form equal to its single solve bit for bit, with one warm start or one per column', () => {
    const { A } = gaussianProblem({ m: 40, n: 90, k: 4, seed: 31 });
    const Y = signals(A, 4, 5, 32);
    const rng = new Rng(33);
    const X0 = new Float64Array(90 * 5);
    for (let j = 0; j < 5; j++) for (const c of rng.sample(90, 4)) X0[j * 90 + c] = rng.normal();
    const forms = [
      ['iht', iht, ihtBatch, { maxIter: 200 }],
      ['niht', niht, nihtBatch, {}],
      ['htp', htp, htpBatch, {}],
      ['cosamp', cosamp, cosampBatch, {}],
      ['sp', sp, spBatch, {}],
    ] as const;
    const op = Operator.dense(A);
    for (const [name, single, batch, extra] of forms) {
      for (const warm of ['none', 'x0', 'X0'] as const) {
        const opts = { k: 4, ...extra, ...(warm === 'x0' ? { x0: X0.subarray(0, 90) } : warm === 'X0' ? { X0 } : {}) };
        const viaMatrix = (batch as (a: unknown, y: unknown, o: unknown) => ReturnType<typeof ihtBatch>)(A, Y, opts);
        const viaOp = solveBatch(name, op, Y, opts);
        for (let j = 0; j < 5; j++) {
          const x0 = warm === 'x0' ? X0.subarray(0, 90) : warm === 'X0' ? X0.subarray(j * 90, (j + 1) * 90) : undefined;
          const one = (single as (a: unknown, y: unknown, o: unknown) => ReturnType<typeof iht>)(A, col(Y, 40, j), { k: 4, ...extra, ...(x0 ? { x0 } : {}) });
          for (const b of [viaMatrix, viaOp]) {
            const c = batchColumn(b, j);
            expect(Array.from(c.x)).toEqual(Array.from(one.x));
            expect(Array.from(c.support)).toEqual(Array.from(one.support));
            expect(c.iterations).toBe(one.iterations);
            expect(c.status).toBe(one.status);
            expect(c.residualNorm).toBe(one.residualNorm);
          }
        }
      }
    }
    // solvers without x0 (ompr and els take their start otherwise, sea its init)
    for (const [name, single, batch] of [['ompr', ompr, omprBatch], ['els', els, elsBatch], ['sea', sea, seaBatch]] as const) {
      const b = (batch as (a: unknown, y: unknown, o: unknown) => ReturnType<typeof ihtBatch>)(op, Y, { k: 4 });
      const g = solveBatch(name, A, Y, { k: 4 });
      for (let j = 0; j < 5; j++) {
        const one = (single as (a: unknown, y: unknown, o: unknown) => ReturnType<typeof iht>)(A, col(Y, 40, j), { k: 4 });
        for (const r of [b, g]) {
          expect(Array.from(batchColumn(r, j).x)).toEqual(Array.from(one.x));
          expect(r.status[j]).toBe(one.status);
          expect(r.iterations[j]).toBe(one.iterations);
        }
      }
    }
    op.dispose();
    expect(() => nihtBatch(A, Y, { k: 4, X0: new Float64Array(90 * 4) })).toThrow(/nihtBatch: X0 must have 5 columns \(one per signal\), received 4/);
    expect(() => nihtBatch(A, Y, { k: 4, X0, x0: X0.subarray(0, 90) })).toThrow(/give x0 .* or X0 .*, not both/);
    expect(() => ompBatch(A, Y, { k: 4, X0 } as never)).toThrow(/ompBatch: X0 is not supported by OMP \(it takes no warm start\), received a Float64Array of length 450/);
    expect(() => ihtBatch(A, Y, { k: 4, mu: -1 })).toThrow(/iht: mu must be/);
  });
});

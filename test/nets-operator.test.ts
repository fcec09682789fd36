// OMP-Net and IHT-Net on structured operators: the same predictions as on
// the dense matrix, training independent of the worker count (the workers
// rebuild the operator from its spec), saving and loading bit for bit,
// gradients against finite differences, hostile saved specs, and operators
// that cannot be described.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dctMatrix, IhtNet, init, loadNet, Matrix, matrixFromSpec, Operator, OmpNet, structuredSparse, UnrolledNet } from '../src/index.js';
import type { MatrixSpec } from '../src/index.js';
import { fnv1a, MAX_NET_MATRIX_ENTRIES, type NetJSON } from '../src/nets/net.js';
import { Rng } from '../src/core/random.js';
import { relDiff as relErr } from './helpers.js';

beforeAll(async () => {
  await init();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A structured-sparse family on a subsampled DCT, its row indices, and two sets. */
function family(o: { n: number; m: number; seed: number; N?: number }) {
  const fam = structuredSparse({ n: o.n, m: o.m, s: 3, K: 6, matrix: 'dct', sigma: 1e-3, seed: o.seed });
  const rows = (fam.spec as Extract<MatrixSpec, { kind: 'dct' }>).rows;
  return { fam, rows, train: fam.sample(o.N ?? 64, 100 + o.seed), val: fam.sample(32, 200 + o.seed) };
}

/** An OmpNet and an IhtNet on A (explicit eta: the same on the operator and on the matrix), with the same non-uniform weights. */
function netsOn(A: Matrix | Operator | MatrixSpec, n: number, tau: number, seed = 3): UnrolledNet[] {
  const rng = new Rng(seed);
  const weights = Float64Array.from({ length: n }, () => 0.6 + 0.8 * rng.uniform());
  return [new OmpNet(A, { layers: 4, tau, weights }), new IhtNet(A, { layers: 6, sparsity: 3, eta: 0.3, tau, weights })];
}

/** A saved net with `edit` applied to a copy and the checksum recomputed, so that only the edited field can be refused. */
function resealed(j: NetJSON, edit: (c: Omit<NetJSON, 'matrix'> & { matrix: Record<string, unknown> }) => void): NetJSON {
  const c = JSON.parse(JSON.stringify(j));
  edit(c);
  c.checksum = fnv1a(JSON.stringify([c.kind, c.matrix, c.settings, c.weights]));
  return c;
}

describe('nets on Operator.partialDct', () => {
  it('predict as on the dense dctMatrix (soft and hard, WASM and JS), on the structured operator', () => {
    const { rows, val } = family({ n: 96, m: 32, seed: 1 });
    const op = Operator.partialDct(96, rows);
    const dense = dctMatrix(96, rows);
    const onOp = netsOn(op, 96, 0.02);
    const onDense = netsOn(dense, 96, 0.02);
    op.dispose(); // the nets keep the spec and rebuild their own operator
    for (let i = 0; i < 2; i++) {
      const a = onOp[i];
      const b = onDense[i];
      expect(a.structured).toBe(true);
      expect(b.structured).toBe(false);
      expect(a.spec.kind).toBe('operator');
      expect(a.operator().kind).toBe('partialDct');
      for (const mode of ['soft', 'hard'] as const) {
        const ref = b.predictBatch(val.Y, { mode });
        expect(Math.hypot(...ref.data)).toBeGreaterThan(1);
        for (const backend of ['wasm', 'js'] as const) {
          expect(relErr(a.predictBatch(val.Y, { mode, backend }).data, ref.data)).toBeLessThan(1e-9);
        }
      }
      // the same loss and gradient as on the matrix
      const ga = a.lossAndGradient(val);
      const gb = b.lossAndGradient(val);
      expect(Math.abs(ga.loss - gb.loss)).toBeLessThan(1e-9 * gb.loss);
      expect(relErr(ga.gw, gb.gw)).toBeLessThan(1e-7);
      a.dispose();
      // usable again after dispose (the operator is rebuilt from the spec)
      expect(relErr(a.predictBatch(val.Y).data, b.predictBatch(val.Y).data)).toBeLessThan(1e-9);
      a.dispose();
    }
    // IhtNet's default step 1 / ||A||_2^2 from the operator's spectral norm
    const iht = new IhtNet(Operator.partialDct(96, rows), { layers: 2, sparsity: 3 });
    const ihtDense = new IhtNet(dense, { layers: 2, sparsity: 3 });
    expect(Math.abs(iht.eta - ihtDense.eta)).toBeLessThan(1e-8 * ihtDense.eta);
  });

  it('a dense Operator is taken as its matrix', () => {
    const { fam, val } = family({ n: 64, m: 24, seed: 2 });
    const op = Operator.dense(fam.A);
    const [a] = netsOn(op, 64, 0.02);
    const [b] = netsOn(fam.A, 64, 0.02);
    expect(a.structured).toBe(false);
    expect(a.spec.kind).toBe('dense');
    expect(a.predictBatch(val.Y).data).toEqual(b.predictBatch(val.Y).data);
    op.dispose();
  });

  it('training gives the same weights in this thread and on 2 workers', async () => {
    const { rows, train, val } = family({ n: 64, m: 24, seed: 4, N: 64 });
    for (const kind of ['omp-net', 'iht-net'] as const) {
      const runs = [];
      for (const workers of [1, 2]) {
        const op = Operator.partialDct(64, rows);
        const net = kind === 'omp-net' ? new OmpNet(op, { layers: 3, tau: 0.05 }) : new IhtNet(op, { layers: 5, sparsity: 3, eta: 0.3, tau: 0.05 });
        op.dispose();
        const r = await net.train(train, { valSet: val, epochs: 3, batchSize: 32, seed: 5, workers });
        expect(r.state.settings.net.matrix).toMatch(/^operator:[0-9a-f]{8}$/);
        runs.push({ w: net.w, losses: r.history.map((h) => [h.trainLoss, h.valLoss]) });
        net.dispose();
      }
      // training moved the weights, identically
      expect(runs[0].w.some((v) => v !== 1)).toBe(true);
      expect(runs[1].w).toEqual(runs[0].w);
      expect(runs[1].losses).toEqual(runs[0].losses);
    }
  });

  it('the gradient of the loss with respect to w matches central finite differences (WASM and JS)', () => {
    const { rows, train } = family({ n: 64, m: 24, seed: 6, N: 40 });
    for (const net of netsOn(Operator.partialDct(64, rows), 64, 0.05, 7)) {
      for (const backend of ['wasm', 'js'] as const) {
        const { loss, gw } = net.lossAndGradient(train, { backend });
        expect(loss).toBeCloseTo(net.evaluate(train, { backend }).mse, 12);
        const h = 1e-6;
        const w0 = net.w.slice();
        const lossAt = (j: number, d: number) => {
          net.w.set(w0);
          net.w[j] += d;
          const l = net.evaluate(train, { backend }).mse;
          net.w.set(w0);
          return l;
        };
        const fd = Float64Array.from(w0, (_, j) => (lossAt(j, h) - lossAt(j, -h)) / (2 * h));
        expect(Math.hypot(...gw)).toBeGreaterThan(1e-3);
        expect(relErr(gw, fd)).toBeLessThan(1e-5);
      }
      net.dispose();
    }
  });
});

describe('saving nets on operators', () => {
  it('toJSON -> loadNet predicts bit for bit (partialDct, convolution, normalized over dense and over a DCT)', async () => {
    const { rows, train: train0, val: val0 } = family({ n: 64, m: 24, seed: 8 });
    const train = { X: train0.X }, val = { X: val0.X };
    const rng = new Rng(9);
    const G = new Matrix(24, 64, rng.normals(24 * 64));
    const h = Array.from(rng.normals(41), (v) => v / 8); // mode 'same': 64 rows
    const makers: [string, () => Operator, number][] = [
      ['partialDct', () => Operator.partialDct(64, rows), 24],
      ['normalized', () => Operator.normalized(Operator.partialDct(64, rows, { scale: false })), 24],
      ['normalized', () => Operator.normalized(Operator.dense(G)), 24],
      ['convolution', () => Operator.convolution(h, 64, { mode: 'same' }), 64],
    ];
    for (const [kind, make, m] of makers) {
      const op = make();
      expect(op.kind).toBe(kind);
      // the family's signals, measured by this operator
      const measure = (X: Matrix) => {
        const D = op.matrix;
        const Y = new Float64Array(m * X.n);
        for (let b = 0; b < X.n; b++) for (let j = 0; j < 64; j++) for (let i = 0; i < m; i++) Y[i + b * m] += D.data[i + j * m] * X.data[j + b * 64];
        return new Matrix(m, X.n, Y);
      };
      const set = { train: { Y: measure(train.X), X: train.X }, val: { Y: measure(val.X), X: val.X } };
      for (const net of [new OmpNet(op, { layers: 3, tau: 0.05 }), new IhtNet(op, { layers: 4, sparsity: 3, tau: 0.05 })]) {
        await net.train(set.train, { epochs: 2, batchSize: 32, seed: 1 });
        expect(net.w.some((v) => v !== 1)).toBe(true);
        const text = JSON.stringify(net.toJSON());
        const saved = JSON.parse(text);
        expect(saved.matrix.kind).toBe('operator');
        expect(saved.matrix.operator.kind).toBe(kind);
        const back = loadNet(text);
        expect(back.constructor).toBe(net.constructor);
        expect(back.structured).toBe(true);
        expect(back.w).toEqual(net.w);
        expect(JSON.stringify(back.toJSON())).toBe(text);
        for (const mode of ['soft', 'hard'] as const) {
          expect(back.predictBatch(set.val.Y, { mode }).data).toEqual(net.predictBatch(set.val.Y, { mode }).data);
        }
        back.dispose();
        net.dispose();
      }
      op.dispose();
    }
    // a partial DCT is saved by its rows, not its entries
    const small = JSON.stringify(new OmpNet(Operator.partialDct(64, rows), { layers: 2 }).toJSON().matrix);
    expect(small.length).toBeLessThan(300);
  });

  it('matrixFromSpec of an operator spec is the dense matrix, and frees the operator', () => {
    const { rows } = family({ n: 64, m: 24, seed: 10 });
    const spec = new OmpNet(Operator.partialDct(64, rows), { layers: 2 }).spec;
    const dispose = vi.spyOn(Operator.prototype, 'dispose');
    const M = matrixFromSpec(spec);
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(M).toBeInstanceOf(Matrix);
    expect(M.m).toBe(24);
    expect(M.n).toBe(64);
    expect(relErr(M.data, dctMatrix(64, rows).data)).toBeLessThan(1e-13);
    expect(() => matrixFromSpec({ kind: 'operator', m: 24, n: 64, operator: { kind: 'partialDct', n: 64, rows: [1, 2], scale: true } }))
      .toThrow(/^matrixFromSpec: matrix\.operator\.rows must be an array of 24 \(matrix\.m\)/);
  });

  it('a hostile saved operator spec is refused, naming loadNet and the field, before anything is built', () => {
    const { rows } = family({ n: 64, m: 24, seed: 11 });
    const good = new OmpNet(Operator.partialDct(64, rows), { layers: 3 }).toJSON();
    const conv = new OmpNet(Operator.convolution([0.5, 1, -0.25], 64, { mode: 'full', method: 'direct' }), { layers: 3 }).toJSON();
    expect(loadNet(good).n).toBe(64); // the base files load
    expect(loadNet(conv).m).toBe(66);
    const built = [
      vi.spyOn(Operator, 'partialDct'), vi.spyOn(Operator, 'convolution'), vi.spyOn(Operator, 'dense'), vi.spyOn(Operator, 'normalized'),
    ];
    const cases: [NetJSON, RegExp][] = [
      // huge sizes
      [resealed(good, (c) => { c.matrix.n = 2 ** 30; }), /^loadNet: matrix\.n must be an integer in \[1, 1048576\], received 1073741824/],
      [resealed(good, (c) => { c.matrix.m = 2 ** 12; c.matrix.n = 2 ** 20; }), new RegExp(`^loadNet: the matrix of a saved net must have at most ${MAX_NET_MATRIX_ENTRIES} entries`)],
      [resealed(good, (c) => { (c.matrix.operator as Record<string, unknown>).n = 2 ** 30; }), /^loadNet: matrix\.operator\.n must be an integer in \[1, 1048576\], received 1073741824/],
      [resealed(good, (c) => { (c.matrix.operator as Record<string, unknown>).n = 128; }), /^loadNet: matrix\.operator\.n must equal matrix\.n = 64, received 128/],
      [resealed(good, (c) => { c.matrix.m = 1.5; }), /^loadNet: matrix\.m must be an integer/],
      // rows
      [resealed(good, (c) => { (c.matrix.operator as { rows: number[] }).rows[3] = 64; }), /^loadNet: matrix\.operator\.rows\[3\] must be an integer in \[0, 63\], received 64/],
      [resealed(good, (c) => { (c.matrix.operator as { rows: number[] }).rows[5] = -1; }), /^loadNet: matrix\.operator\.rows\[5\] must be an integer in \[0, 63\], received -1/],
      [resealed(good, (c) => { const r = (c.matrix.operator as { rows: number[] }).rows; r[1] = r[0]; }), /^loadNet: matrix\.operator\.rows must be distinct/],
      [resealed(good, (c) => { (c.matrix.operator as { rows: number[] }).rows = new Array(100000).fill(0); }), /^loadNet: matrix\.operator\.rows must be an array of 24 \(matrix\.m\) distinct integers in \[0, 63\], received length 100000/],
      [resealed(good, (c) => { (c.matrix.operator as { rows: unknown }).rows = 'all'; }), /^loadNet: matrix\.operator\.rows must be an array/],
      [resealed(good, (c) => { (c.matrix.operator as { scale: unknown }).scale = 'yes'; }), /^loadNet: matrix\.operator\.scale must be a boolean/],
      // taps
      [resealed(conv, (c) => { (c.matrix.operator as { h: unknown[] }).h[1] = null; }), /^loadNet: matrix\.operator\.h\[1\] must be a number, received null/], // a NaN tap as JSON text
      [{ ...conv, matrix: { ...conv.matrix, operator: { ...(conv.matrix as { operator: object }).operator, h: [0.5, NaN, -0.25] } } } as NetJSON, /^loadNet: matrix\.operator\.h\[1\] must be finite, received NaN/],
      [resealed(conv, (c) => { (c.matrix.operator as { h: number[] }).h[2] = 1e300; }), /^loadNet: matrix\.operator\.h\[2\] must be 0 or of magnitude in/],
      [resealed(conv, (c) => { (c.matrix.operator as { h: number[] }).h = new Array(2 ** 20 + 1).fill(0); }), /^loadNet: matrix\.operator\.h must have 1 to 1048576 taps, received length 1048577/],
      [resealed(conv, (c) => { (c.matrix.operator as { h: number[] }).h = [1, 2]; }), /^loadNet: matrix\.operator \(mode 'full', n = 64, 2 taps\) has 65 rows, but matrix\.m = 66/],
      [resealed(conv, (c) => { (c.matrix.operator as { mode: string }).mode = 'valid'; }), /^loadNet: matrix\.operator\.mode must be one of 'full', 'same', 'circular', received "valid"/],
      // kinds
      [resealed(good, (c) => { (c.matrix.operator as { kind: string }).kind = 'functions'; }), /^loadNet: matrix\.operator\.kind must be one of 'partialDct', 'convolution', 'normalized', received "functions"/],
      [resealed(good, (c) => { c.matrix.kind = 'sparse'; }), /^loadNet: matrix\.kind must be one of 'dct', 'dense', 'operator', received "sparse"/],
      [resealed(good, (c) => { c.matrix.operator = null; }), /^loadNet: matrix\.operator must be an operator spec/],
      [resealed(good, (c) => {
        let o: object = c.matrix.operator as object;
        for (let i = 0; i < 5; i++) o = { kind: 'normalized', inner: o };
        c.matrix.operator = o;
      }), /^loadNet: matrix\.operator\.inner\.inner\.inner\.inner nests Operator\.normalized more than 4 deep/],
      [resealed(good, (c) => { c.matrix.operator = { kind: 'normalized', inner: { kind: 'dense', m: 24, n: 64, data: new Array(24 * 64 - 1).fill(1) } }; }),
        /^loadNet: matrix\.operator\.inner\.data must be an array of m\*n = 1536 numbers, received length 1535/],
      [resealed(good, (c) => { c.matrix.operator = { kind: 'normalized', inner: { kind: 'dense', m: 24, n: 65, data: [] } }; }),
        /^loadNet: matrix\.operator\.inner must be 24 x 64/],
    ];
    for (const [j, re] of cases) {
      expect(() => loadNet(j)).toThrow(re);
      expect(() => loadNet(JSON.stringify(j))).toThrow(/^loadNet: /);
    }
    for (const spy of built) expect(spy).not.toHaveBeenCalled();
  });

  it('Operator.fromFunctions (alone or normalized) and disposed operators are refused', () => {
    const A = dctMatrix(32, [0, 3, 5, 7, 11, 13, 17, 19]);
    const f = Operator.fromFunctions({
      m: 8, n: 32,
      apply: (x) => Float64Array.from({ length: 8 }, (_, i) => x.reduce((s, v, j) => s + A.get(i, j) * v, 0)),
      adjoint: (r) => Float64Array.from({ length: 32 }, (_, j) => r.reduce((s, v, i) => s + A.get(i, j) * v, 0)),
    });
    expect(() => new OmpNet(f, { layers: 2 })).toThrow(TypeError);
    expect(() => new OmpNet(f, { layers: 2 })).toThrow(/^OmpNet: A must be an Operator that can be described .* received an Operator\.fromFunctions operator: its functions cannot be saved or sent to training workers/);
    expect(() => new IhtNet(f, { layers: 2, sparsity: 2 })).toThrow(/^IhtNet: .*Operator\.fromFunctions operator: its functions cannot be saved/);
    const nf = Operator.normalized(f);
    expect(() => new OmpNet(nf, { layers: 2 })).toThrow(/^OmpNet: .*received a 'normalized' operator over Operator\.fromFunctions/);
    nf.dispose();
    f.dispose();
    const d = Operator.partialDct(32, [1, 2, 3]);
    d.dispose();
    expect(() => new OmpNet(d, { layers: 2 })).toThrow(/^OmpNet: A is a disposed Operator/);
  });
});

// Saving complex nets: toJSON / loadComplexNet round trip (bit for bit
// predictions, both kinds, Fourier spec and dense A), and the untrusted-file
// discipline of loadNet (format, version, kind, declared sizes before
// allocating, checksum; errors naming the loader and the field).
import { beforeAll, describe, expect, it } from 'vitest';
import { ComplexIhtNet, ComplexMatrix, ComplexOmpNet, init, loadComplexNet, loadNet, MAX_NET_MATRIX_ENTRIES, OmpNet, structuredSparse } from '../src/index.js';
import { fnv1a } from '../src/nets/net.js';
import type { FourierStructuredSparse } from '../src/data/fourier.js';

beforeAll(async () => {
  await init();
});

const fam = structuredSparse({ n: 32, s: 3, K: 6, m: 10, matrix: 'fourier', sigma: 1e-3, seed: 4 }) as FourierStructuredSparse;
const set = fam.sample(8, 5);

/** Weights no one would type: training-like values with full mantissas. */
function scramble(w: Float64Array, seed: number): void {
  for (let j = 0; j < w.length; j++) w[j] = 1 + Math.sin(seed * 1000 + j * 7.3) * 0.37;
}

/** Recomputes the checksum after an edit (a forged file, to reach the checks after it). */
function reseal(j: Record<string, unknown>): Record<string, unknown> {
  j.checksum = fnv1a(JSON.stringify([j.kind, j.matrix, j.settings, j.weights]));
  return j;
}

describe('complex nets: toJSON / loadComplexNet', () => {
  it('round trip: both kinds, Fourier spec and dense A, soft and hard, both backends: predictions bit for bit', () => {
    const nets = [
      new ComplexOmpNet(fam.spec, { layers: 3, tau: 0.01 }),
      new ComplexIhtNet(fam.spec, { layers: 5, sparsity: 3, tau: 0.02 }), // eta from ||A||: saved as computed
      new ComplexOmpNet(fam.A, { layers: 2 }),
      new ComplexIhtNet(fam.A, { layers: 4, sparsity: 2, eta: 0.5, backend: 'js' }),
    ];
    nets.forEach((net, i) => {
      scramble(net.w, i);
      net.meta = { note: `net ${i}` };
      const text = JSON.stringify(net.toJSON());
      const back = loadComplexNet(text, { backend: net.backend });
      expect(back.constructor).toBe(net.constructor);
      expect(back.kind).toBe(net.kind);
      expect(JSON.stringify(back.toJSON())).toBe(text);
      expect(back.meta).toEqual({ note: `net ${i}` });
      expect(Array.from(back.A.data)).toEqual(Array.from(net.A.data));
      expect(back.w).toEqual(net.w);
      if (net instanceof ComplexIhtNet) expect((back as ComplexIhtNet).eta).toBe(net.eta);
      for (const mode of ['soft', 'hard'] as const) {
        expect(Array.from(back.predictBatch(set.Y, { mode }).data)).toEqual(Array.from(net.predictBatch(set.Y, { mode }).data));
      }
      expect(Array.from(back.predict(set.Y.data.slice(0, 20)))).toEqual(Array.from(net.predict(set.Y.data.slice(0, 20))));
    });
    // the Fourier A is saved by its rows, not its entries
    expect(nets[0].toJSON().matrix).toEqual({ kind: 'fourier', m: 10, n: 32, rows: fam.spec.rows });
    expect(nets[2].toJSON().matrix).toMatchObject({ kind: 'complex-dense', m: 10, n: 32 });
    // fromJSON: kind checked; an object works as well as its text
    expect(ComplexOmpNet.fromJSON(nets[0].toJSON())).toBeInstanceOf(ComplexOmpNet);
    expect(ComplexIhtNet.fromJSON(JSON.stringify(nets[1].toJSON()))).toBeInstanceOf(ComplexIhtNet);
    expect(() => ComplexIhtNet.fromJSON(nets[0].toJSON())).toThrow(/^ComplexIhtNet\.fromJSON: the file holds a 'complex-omp-net', not a 'complex-iht-net'/);
    // a backend given to the loader is the restored net's
    expect(loadComplexNet(nets[0].toJSON(), { backend: 'js' }).backend).toBe('js');
  });

  it('loadNet and loadComplexNet point at each other', () => {
    const c = new ComplexOmpNet(fam.spec, { layers: 2 }).toJSON();
    expect(() => loadNet(c as never)).toThrow(/^loadNet: the file holds a 'complex-omp-net' \(a complex net\): load it with loadComplexNet/);
    const real = structuredSparse({ n: 16, s: 2, K: 4, m: 6, seed: 1 });
    const r = new OmpNet(real.spec, { layers: 2 }).toJSON();
    expect(() => loadComplexNet(r as never)).toThrow(/^loadComplexNet: the file holds a real 'omp-net', not a complex net: load it with loadNet/);
  });

  it('refuses untrusted files naming the loader and the field, sizes before allocating, checksum', () => {
    const good = new ComplexIhtNet(fam.spec, { layers: 3, sparsity: 2, eta: 0.5 }).toJSON() as unknown as Record<string, unknown>;
    const edit = (f: (j: Record<string, any>) => void, seal = true) => {
      const j = structuredClone(good) as Record<string, any>;
      f(j);
      return seal ? reseal(j) : j;
    };
    const bad: [unknown, RegExp][] = [
      ['{not json', /^loadComplexNet: the text is not JSON/],
      [42, /^loadComplexNet: expected a saved complex net/],
      [edit((j) => { j.format = 'x'; }), /^loadComplexNet: not a saved net: format must be 'sparse-pursuit\/unrolled-net', received "x"/],
      [edit((j) => { j.version = 2; }), /^loadComplexNet: format version 2 is not supported/],
      [edit((j) => { j.kind = 'lista'; }), /^loadComplexNet: kind must be one of/],
      [edit((j) => { j.settings = null; }), /^loadComplexNet: settings must be an object/],
      [edit((j) => { j.weights = 'ones'; }), /^loadComplexNet: weights must be an array/],
      [edit((j) => { j.matrix = 7; }), /^loadComplexNet: matrix must be a complex matrix spec/],
      [edit((j) => { j.matrix.kind = 'dct'; }), /^loadComplexNet: matrix.kind must be one of/],
      [edit((j) => { j.matrix.m = 2.5; }), /^loadComplexNet: matrix.m must be an integer/],
      [edit((j) => { j.matrix.n = 2 ** 30; }), /^loadComplexNet: matrix.n must be an integer in \[1, 1048576\]/],
      // a huge declared size is refused on the numbers alone (nothing of that size is built)
      [edit((j) => { j.matrix.m = 2 ** 13; j.matrix.n = 2 ** 12; }), new RegExp(`^loadComplexNet: the matrix of a saved net must have at most ${MAX_NET_MATRIX_ENTRIES} entries`)],
      [edit((j) => { j.matrix.rows = 'all'; }), /^loadComplexNet: matrix.rows must be an array of 10 frequency indices/],
      [edit((j) => { j.matrix.rows = j.matrix.rows.slice(1); }), /^loadComplexNet: matrix.rows must have length matrix.m = 10, received length 9/],
      [edit((j) => { j.weights = j.weights.slice(1); }), /^loadComplexNet: weights must have length 32 \(matrix.n, the columns of A\), received length 31/],
      [edit((j) => { j.weights[3] = 2; }, false), /^loadComplexNet: checksum mismatch/],
      // past the checksum (a forged file): the constructors' checks, named as the loader's
      [edit((j) => { j.matrix.rows[1] = j.matrix.rows[0]; }), /^loadComplexNet: the saved net: rows must be distinct modulo n = 32/],
      [edit((j) => { j.matrix.rows[0] = 999; }), /^loadComplexNet: the saved net: rows\[0\] must be an integer in \[-31, 31\]/],
      [edit((j) => { j.settings.layers = 0; }), /^loadComplexNet: the saved net: layers must be an integer/],
      [edit((j) => { j.settings.sparsity = 99; }), /^loadComplexNet: the saved net: sparsity must be an integer in \[1, 32\]/],
      [edit((j) => { j.settings.eta = -1; }), /^loadComplexNet: the saved net: eta must be/],
      [edit((j) => { j.settings.tau = 'hot'; }), /^loadComplexNet: the saved net: tau must be a finite number/],
      [edit((j) => { j.weights[0] = 'x'; }), /^loadComplexNet: the saved net: weights\[0\] must be a number/],
    ];
    for (const [input, msg] of bad) expect(() => loadComplexNet(input as never), JSON.stringify(msg.source)).toThrow(msg);
    const dense = new ComplexOmpNet(fam.A, { layers: 2 }).toJSON() as unknown as Record<string, any>;
    const d1 = structuredClone(dense);
    d1.matrix.data = d1.matrix.data.slice(2);
    expect(() => loadComplexNet(reseal(d1) as never)).toThrow(/^loadComplexNet: matrix.data must have length 2 m n = 640, received length 638/);
    const d2 = structuredClone(dense);
    d2.matrix.data[5] = null;
    expect(() => loadComplexNet(reseal(d2) as never)).toThrow(/^loadComplexNet: the saved net: matrix.data\[5\] must be a number/);
    // JSON writes -0 as 0: the dense A lists its negative zeros (here there are some: sin(0) negated)
    expect(dense.matrix.negativeZeros.length).toBeGreaterThan(0);
    const d3 = structuredClone(dense);
    d3.matrix.negativeZeros = [640];
    expect(() => loadComplexNet(reseal(d3) as never)).toThrow(/^loadComplexNet: matrix.negativeZeros\[0\] must be an integer in \[0, 639\]/);
    // deep nesting is refused before anything recurses into it
    let deep: unknown = 0;
    for (let i = 0; i < 10000; i++) deep = [deep];
    expect(() => loadComplexNet({ ...good, meta: { deep } } as never)).toThrow(/^loadComplexNet: the saved net is nested more than 64 deep/);
    // and the given name is the one errors carry
    expect(() => loadComplexNet(edit((j) => { j.version = 9; }) as never, undefined, 'myLoader')).toThrow(/^myLoader: format version 9/);
  });
});

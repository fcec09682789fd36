import { beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix, softSort, softSortVjp } from '../src/index.js';
import { Rng } from '../src/core/random.js';
import { relDiff as relErr } from './helpers.js';

beforeAll(async () => {
  await init();
});

const BACKENDS = ['wasm', 'js'] as const;

function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** Row i of a k x n column-major Matrix. */
function row(P: Matrix, i: number): number[] {
  return Array.from({ length: P.n }, (_, j) => P.get(i, j));
}

describe('softSort forward', () => {
  it('matches the formula on a hand-computed 3-vector', () => {
    // s = [0, 2, 1], tau = 1: sorted = [2, 1, 0]; row i = softmax(-|sorted_i - s|)
    const e1 = Math.exp(-1);
    const e2 = Math.exp(-2);
    const expected = [
      [e2, 1, e1].map((v) => v / (1 + e1 + e2)),
      [e1, e1, 1].map((v) => v / (1 + 2 * e1)),
      [1, e2, e1].map((v) => v / (1 + e1 + e2)),
    ];
    for (const backend of BACKENDS) {
      const { P, order } = softSort([0, 2, 1], 1, { backend });
      expect(Array.from(order)).toEqual([1, 2, 0]);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(P.get(i, j)).toBeCloseTo(expected[i][j], 15);
    }
  });

  it('is row-stochastic and WASM equals JS for tau from 1e-12 to 1e3 and k in {1, 5, n}', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 6; trial++) {
      const n = 5 + rng.int(60);
      const s = Float64Array.from(rng.normals(n), (v) => v * 10 ** (rng.int(7) - 3));
      for (const tau of [1e-12, 1e-6, 1e-2, 1, 1e3]) {
        for (const k of [1, 5, n]) {
          const w = softSort(s, tau, { k });
          const j = softSort(s, tau, { k, backend: 'js' });
          expect(w.P.m).toBe(k);
          expect(w.P.n).toBe(n);
          expect(Array.from(w.order)).toEqual(Array.from(j.order));
          expect(relErr(w.P.data, j.P.data)).toBeLessThan(1e-12);
          for (let i = 0; i < k; i++) {
            const r = row(w.P, i);
            expect(r.every((v) => v >= 0 && v <= 1)).toBe(true);
            expect(Math.abs(r.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
          }
        }
      }
    }
  });

  it('rows tend to the hard permutation as tau -> 0', () => {
    const rng = new Rng(5);
    const n = 12;
    // distinct values with gaps >= 0.05
    const s = Float64Array.from(rng.sample(1000, n), (v) => v * 0.05);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [s[i], s[j]] = [s[j], s[i]];
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[b] - s[a]);
    let prev = Infinity;
    for (const tau of [1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-8, 1e-12]) {
      const { P } = softSort(s, tau);
      let dist = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dist = Math.max(dist, Math.abs(P.get(i, j) - (j === order[i] ? 1 : 0)));
      expect(dist).toBeLessThanOrEqual(prev);
      prev = dist;
      if (tau <= 1e-3) expect(dist).toBeLessThan(1e-20);
    }
  });

  it('handles ties: tied rows are equal and split their mass evenly in the limit', () => {
    for (const backend of BACKENDS) {
      const { P, order } = softSort([1, 3, 3, 0, 3], 1e-9, { backend });
      expect(Array.from(order)).toEqual([1, 2, 4, 0, 3]);
      for (const i of [0, 1, 2]) {
        const r = row(P, i);
        for (const j of [1, 2, 4]) expect(r[j]).toBeCloseTo(1 / 3, 14);
        expect(r[0]).toBe(0);
        expect(r[3]).toBe(0);
      }
      expect(row(P, 3)[0]).toBe(1);
      expect(row(P, 4)[3]).toBe(1);
      const g = softSortVjp([1, 3, 3, 0, 3], 1e-9, new Matrix(5, 5, new Float64Array(25).fill(0.5)), { backend });
      expect(allFinite(g.ds)).toBe(true);
      expect(Number.isFinite(g.dtau)).toBe(true);
    }
  });

  it('is finite for widely spread scores at extreme tau (forward and VJP)', () => {
    const rng = new Rng(9);
    const s = Float64Array.from(rng.normals(40), (v, i) => v * 10 ** ((i % 13) - 6));
    const G = rng.normals(40 * 40);
    for (const backend of BACKENDS) {
      for (const tau of [1e-12, 1e-9, 1e-6, 1e-3, 1, 1e2, 1e3]) {
        const { P } = softSort(s, tau, { backend });
        expect(allFinite(P.data)).toBe(true);
        const g = softSortVjp(s, tau, G, { backend });
        expect(allFinite(g.ds)).toBe(true);
        expect(Number.isFinite(g.dtau)).toBe(true);
      }
    }
  });

  it('rejects bad arguments before any WASM call', () => {
    expect(() => softSort([1, 2], 0)).toThrow(RangeError);
    expect(() => softSort([1, 2], -1)).toThrow(/tau must be a finite number >= 1e-100, received -1/);
    expect(() => softSort([1, 2], NaN)).toThrow(RangeError);
    expect(() => softSort([1, 2], Infinity)).toThrow(RangeError);
    expect(() => softSort([1, 2], 1e-200)).toThrow(RangeError);
    expect(() => softSort([1, 2], '1' as unknown as number)).toThrow(TypeError);
    expect(() => softSort([], 1)).toThrow(/s must not be empty/);
    expect(() => softSort([1, NaN], 1)).toThrow(/s\[1\] must be finite/);
    expect(() => softSort([1, 2], 1, { k: 3 })).toThrow(/k must be an integer in \[1, 2\], received 3/);
    expect(() => softSort([1, 2], 1, { k: 0 })).toThrow(RangeError);
    expect(() => softSortVjp([1, 2], 1, new Matrix(1, 2), { k: 2 })).toThrow(/G must be 2 x 2/);
    expect(() => softSortVjp([1, 2], 1, new Float64Array(3))).toThrow(/G must have length 4/);
    expect(() => softSortVjp([1, 2], 1, [[1, 2], [3, Infinity]])).toThrow(/softSortVjp: G: entry \(1, 1\) must be finite/);
  });
});

describe('softSortVjp', () => {
  it('matches central finite differences for ds and dtau (tau = 1e-1, 1e-2, 1e-3; rel. error < 1e-5)', () => {
    const rng = new Rng(21);
    const worst = { ds: 0, dtau: 0 };
    for (const backend of BACKENDS) {
      for (const tau of [1e-1, 1e-2, 1e-3]) {
        for (const k of [1, 4, 9]) {
          const n = 9;
          // scores spread over a few tau, so the rows are genuinely soft (at
          // unit spread and tau = 1e-3 every gradient underflows to 0 and the
          // check would be vacuous)
          const s = Float64Array.from(rng.normals(n), (v) => 3 * tau * v);
          const G = rng.normals(k * n);
          const loss = (ss: Float64Array, t: number) => {
            const P = softSort(ss, t, { k, backend }).P.data;
            let a = 0;
            for (let i = 0; i < P.length; i++) a += P[i] * G[i];
            return a;
          };
          const g = softSortVjp(s, tau, G, { k, backend });
          const h = 1e-6 * tau;
          const fd = Float64Array.from(s, (_, j) => {
            const a = s.slice();
            const b = s.slice();
            a[j] += h;
            b[j] -= h;
            return (loss(a, tau) - loss(b, tau)) / (2 * h);
          });
          const fdTau = (loss(s, tau * (1 + 1e-6)) - loss(s, tau * (1 - 1e-6))) / (2e-6 * tau);
          const eds = relErr(g.ds, fd);
          const etau = Math.abs(g.dtau - fdTau) / Math.abs(fdTau);
          worst.ds = Math.max(worst.ds, eds);
          worst.dtau = Math.max(worst.dtau, etau);
          expect(eds).toBeLessThan(1e-5);
          expect(etau).toBeLessThan(1e-5);
        }
      }
    }
    console.log(`softSortVjp vs central FD: worst relative error ds ${worst.ds.toExponential(1)}, dtau ${worst.dtau.toExponential(1)}`);
  });

  it('WASM equals JS', () => {
    const rng = new Rng(22);
    for (let trial = 0; trial < 10; trial++) {
      const n = 3 + rng.int(50);
      const k = 1 + rng.int(n);
      const s = rng.normals(n);
      const G = rng.normals(k * n);
      const tau = 10 ** (-3 + 4 * rng.uniform());
      const a = softSortVjp(s, tau, G, { k });
      const b = softSortVjp(s, tau, G, { k, backend: 'js' });
      expect(relErr(a.ds, b.ds)).toBeLessThan(1e-9);
      expect(Math.abs(a.dtau - b.dtau)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b.dtau)));
    }
  });
});

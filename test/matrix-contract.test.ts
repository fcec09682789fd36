// The Matrix contract: entries checked at construction and re-checked (finite,
// buffer attached) by every function that takes the matrix, naming that function.
import { beforeAll, describe, expect, it } from 'vitest';
import { cosamp, iht, init, Matrix, ompBatch, omp, Operator, solveBatch, softOmp } from '../src/index.js';

beforeAll(async () => {
  await init();
});

const A0 = () => Matrix.fromRows([[1, 0, 2, 1], [0, 1, 1, -1], [1, 1, 0, 2]]);
const y = [1, 2, 3];

describe('construction', () => {
  it.each([
    [['1', 2, 3], /^Matrix: entry \(0, 0\) \(data\[0\]\) must be a number, received "1"$/],
    [[1, null, 3], /^Matrix: entry \(0, 1\) \(data\[1\]\) must be a number, received null$/],
    [[1, 2, true], /^Matrix: entry \(0, 2\) \(data\[2\]\) must be a number, received boolean$/],
  ])('refuses a non-number entry in an array (%j), as fromRows does', (data, re) => {
    expect(() => new Matrix(1, 3, data as number[])).toThrow(TypeError);
    expect(() => new Matrix(1, 3, data as number[])).toThrow(re);
  });

  it('refuses a DataView or a BigInt64Array as data', () => {
    expect(() => new Matrix(1, 1, new DataView(new ArrayBuffer(8)) as never)).toThrow(/^Matrix: data must be a Float64Array/);
    expect(() => new Matrix(1, 1, new BigInt64Array(1) as never)).toThrow(/^Matrix: data must be a Float64Array/);
  });

  it('refuses a detached Float64Array by name', () => {
    const d = new Float64Array(4);
    structuredClone(d.buffer, { transfer: [d.buffer] });
    expect(() => new Matrix(2, 2, d)).toThrow(/^Matrix: data must have length m\*n = 4, received length 0 \(its buffer is detached\)$/);
  });
});

describe('re-checked at every call', () => {
  it('checkIntact finds a non-finite entry at every position, in the unrolled body and in the tail', () => {
    for (const [m, n] of [[3, 3], [2, 4], [1, 7], [5, 1]]) {
      for (let at = 0; at < m * n; at++) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const M = new Matrix(m, n, Float64Array.from({ length: m * n }, (_, i) => i + 1));
          expect(() => M.checkIntact('f', 'A')).not.toThrow();
          M.data[at] = bad;
          expect(() => M.checkIntact('f', 'A')).toThrow(new RangeError(`f: A: entry (${at % m}, ${Math.floor(at / m)}) must be finite, received ${bad} (written into data after the Matrix was made)`));
        }
      }
    }
  });

  it('a NaN written into A.data after construction is refused by the function called, before WASM, on both backends', () => {
    const A = A0();
    A.data[7] = NaN; // entry (1, 2)
    for (const backend of ['wasm', 'js'] as const) {
      expect(() => omp(A, y, { k: 2, backend })).toThrow(new RangeError('omp: A: entry (1, 2) must be finite, received NaN (written into data after the Matrix was made)'));
      expect(() => cosamp(A, y, { k: 2, backend })).toThrow(/^cosamp: A: entry \(1, 2\) must be finite, received NaN/);
    }
    expect(() => Operator.dense(A)).toThrow(/^Operator\.dense: A: entry \(1, 2\) must be finite, received NaN/);
    expect(() => ompBatch(A, new Matrix(3, 1, y), { k: 2 })).toThrow(/^ompBatch: A: entry \(1, 2\) must be finite/);
    expect(() => solveBatch('iht', A, new Matrix(3, 1, y), { k: 2 })).toThrow(/: A: entry \(1, 2\) must be finite/);
    A.data[7] = Infinity;
    expect(() => iht(A, y, { k: 2 })).toThrow(/^iht: A: entry \(1, 2\) must be finite, received Infinity/);
  });

  it('a detached buffer is refused with a TypeError naming the function, not a raw TypedArray error or "norm NaN"', () => {
    const A = A0();
    structuredClone(A.data.buffer, { transfer: [A.data.buffer] });
    for (const backend of ['wasm', 'js'] as const) {
      expect(() => omp(A, y, { k: 2, backend })).toThrow(new TypeError('omp: A is a Matrix whose data buffer has been detached (transferred or resized): expected 12 entries, received 0'));
    }
    expect(() => Operator.dense(A)).toThrow(/^Operator\.dense: A is a Matrix whose data buffer has been detached/);
    expect(() => softOmp(A, y, { iterations: 2, tau: 0.1 })).toThrow(/^softOmp: A is a Matrix whose data buffer has been detached/);
  });

  it('an intact matrix still solves (same answer on both backends)', () => {
    const A = A0();
    const w = omp(A, y, { k: 2 });
    const j = omp(A, y, { k: 2, backend: 'js' });
    expect(Array.from(w.support).sort()).toEqual(Array.from(j.support).sort());
    for (let i = 0; i < 4; i++) expect(w.x[i]).toBeCloseTo(j.x[i], 12);
  });
});

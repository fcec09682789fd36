// The strict .npy parser on hand-made headers, and the writer round trip.
import { describe, expect, it } from 'vitest';
import { InputError, parseNpy, toNpy } from '../src/io/npy.js';

function file(header: string, data: number[] = [], version = 1): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  const h = header + ' '.repeat(63 - ((pre + header.length) % 64)) + '\n';
  const buf = new Uint8Array(pre + h.length + data.length * 8);
  buf.set([0x93, 78, 85, 77, 80, 89, version, 0]);
  const dv = new DataView(buf.buffer);
  if (version === 1) dv.setUint16(8, h.length, true);
  else dv.setUint32(8, h.length, true);
  buf.set(new TextEncoder().encode(h), pre);
  data.forEach((v, i) => dv.setFloat64(pre + h.length + 8 * i, v, true));
  return buf;
}

describe('parseNpy', () => {
  it('reads C and Fortran order into column-major data', () => {
    const c = parseNpy(file("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", [1, 2, 3, 4, 5, 6]), 'c.npy');
    expect([c.rows, c.cols, c.ndim]).toEqual([2, 3, 2]);
    expect(Array.from(c.data)).toEqual([1, 4, 2, 5, 3, 6]);
    const f = parseNpy(file("{'fortran_order': True, 'shape': (2, 3), 'descr': '<f8'}", [1, 4, 2, 5, 3, 6], 3), 'f.npy');
    expect(Array.from(f.data)).toEqual([1, 4, 2, 5, 3, 6]);
    const v = parseNpy(file("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", [7, 8, 9], 2), 'v.npy');
    expect([v.ndim, v.rows, v.cols]).toEqual([1, 3, 1]);
  });
  const bad: [string, Uint8Array, RegExp][] = [
    ['3-D arrays', file("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 2), }", [1, 2]), /x\.npy: a 3-D array of shape \(1, 1, 2\) is not supported/],
    ['0-D arrays', file("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", [1]), /x\.npy: a 0-D array/],
    ['empty arrays', file("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }"), /x\.npy: the array of shape \(0, 3\) is empty/],
    ['trailing bytes', file("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", [1, 2]), /x\.npy: 8 unexpected bytes after/],
    ['a missing key', file("{'descr': '<f8', 'shape': (1,), }", [1]), /x\.npy: malformed \.npy header \(missing fortran_order\)/],
    ['a duplicate key', file("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", [1]), /duplicate key 'descr'/],
    ['an unknown key', file("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", [1]), /unexpected entry/],
    ['a one-tuple without comma', file("{'descr': '<f8', 'fortran_order': False, 'shape': (1), }", [1]), /trailing comma/],
    ['a negative dimension', file("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", [1]), /not a non-negative integer/],
    ['complex dtype', file("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", [1, 2]), /unsupported dtype '<c16'/],
    ['version 4.0', (() => { const f = file("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", [1]); f[6] = 4; return f; })(), /unsupported \.npy version 4\.0/],
    ['a huge shape', file("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", [1]), /claims shape \(4294967296, 4294967296\)/],
  ];
  it.each(bad)('rejects %s naming the file', (_w, bytes, re) => {
    expect(() => parseNpy(bytes, 'x.npy')).toThrow(InputError);
    expect(() => parseNpy(bytes, 'x.npy')).toThrow(re);
  });
  it('toNpy writes what parseNpy reads, with the data 64-byte aligned', () => {
    const t = { ndim: 2 as const, rows: 3, cols: 2, data: Float64Array.from([1, 2, 3, -4.5, 1e-300, Math.PI]) };
    const b = toNpy(t);
    expect((b.length - 48) % 64).toBe(0);
    expect(parseNpy(b, 'r.npy')).toEqual(t);
    const v = { ndim: 1 as const, rows: 2, cols: 1, data: Float64Array.from([0.1, 0.2]) };
    expect(parseNpy(toNpy(v), 'v.npy')).toEqual(v);
  });
});

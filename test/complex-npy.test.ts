// Complex .npy (complex128, complex64): files written by NumPy
// (scripts/make_complex_omp_fixture.py), round trips, and errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, parseNpy, toNpy, type Table } from '../src/io/npy.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/complex_omp.json', import.meta.url), 'utf8')) as {
  npy: Record<string, { shape: number[]; descr: string; fortran_order: boolean; values: [number, number][] }>;
};
const bytesOf = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

describe('complex .npy', () => {
  it('reads the files NumPy wrote (C and Fortran order, little and big endian, complex128 and complex64)', () => {
    expect(Object.keys(fixture.npy).sort()).toEqual(['complex128_be_fortran_3x2.npy', 'complex128_c_2x3.npy', 'complex64_4.npy']);
    for (const [name, ref] of Object.entries(fixture.npy)) {
      const t = parseNpy(bytesOf(name), name, { complex: true });
      expect(t.complex).toBe(true);
      const [rows, cols] = ref.shape.length === 1 ? [ref.shape[0], 1] : ref.shape;
      expect([t.ndim, t.rows, t.cols]).toEqual([ref.shape.length, rows, cols]);
      expect(t.data.length).toBe(2 * rows * cols);
      // ref.values: C order of the logical array; t.data: column-major interleaved
      ref.values.forEach(([re, im], c) => {
        const i = Math.floor(c / cols);
        const j = c % cols;
        expect(t.data[2 * (i + j * rows)]).toBe(re);
        expect(t.data[2 * (i + j * rows) + 1]).toBe(im);
      });
    }
  });

  it('writes complex128 and complex64 byte for byte as NumPy does', () => {
    const a = bytesOf('complex128_c_2x3.npy');
    expect(Array.from(toNpy(parseNpy(a, 'a', { complex: true })))).toEqual(Array.from(a));
    const b = bytesOf('complex64_4.npy');
    expect(Array.from(toNpy(parseNpy(b, 'b', { complex: true }), { dtype: 'complex64' }))).toEqual(Array.from(b));
  });

  it('round trips: complex128 exactly, complex64 to float32 rounding of each part', () => {
    const data = Float64Array.from([Math.PI, -Math.E, 1e-310, -0, 1e300, 0.1, 2, -3, 5e-324, 7, 1 / 3, -1 / 7]);
    const t: Table = { ndim: 2, rows: 2, cols: 3, data, complex: true };
    const back = parseNpy(toNpy(t), 't', { complex: true });
    expect([back.rows, back.cols, back.ndim]).toEqual([2, 3, 2]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
    const v: Table = { ndim: 1, rows: 3, cols: 1, data: Float64Array.from([0.1, 0.2, -1e10, 3, 1 / 3, 0]), complex: true };
    const back32 = parseNpy(toNpy(v, { dtype: 'complex64' }), 'v', { complex: true });
    expect(back32.ndim).toBe(1);
    expect(Array.from(back32.data)).toEqual(Array.from(v.data, Math.fround));
  });

  it('a real file read as complex has zero imaginary parts; real tables are still written as float64', () => {
    const real: Table = { ndim: 2, rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) };
    const bytes = toNpy(real);
    expect(new TextDecoder().decode(bytes.subarray(10, 30))).toContain("'<f8'");
    const c = parseNpy(bytes, 'r', { complex: true });
    expect(Array.from(c.data)).toEqual([1, 0, 2, 0, 3, 0, 4, 0]);
    expect(parseNpy(bytes, 'r').complex).toBeUndefined();
  });

  it('a complex file where a real array is expected, or a truncated complex file, is an InputError naming the file', () => {
    const a = bytesOf('complex128_c_2x3.npy');
    expect(() => parseNpy(a, 'a.npy')).toThrow(InputError);
    expect(() => parseNpy(a, 'a.npy')).toThrow(/^a\.npy: unsupported dtype '<c16' here: a complex array where a real one is expected/);
    expect(() => parseNpy(a.subarray(0, a.length - 8), 'a.npy', { complex: true })).toThrow(/a\.npy: truncated \.npy data: the header claims shape \(2, 3\) of <c16 \(96 bytes\)/);
    const b = bytesOf('complex64_4.npy');
    expect(() => parseNpy(b.subarray(0, b.length - 4), 'b.npy', { complex: true })).toThrow(/truncated/);
  });
});

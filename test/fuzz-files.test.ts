// Property-based fuzzing of the CLI's file readers (.npy, .csv, .json):
// valid files round-trip; truncated, bit-flipped, spliced and random files
// either parse to a well-formed table or throw an InputError whose message
// starts with the file name; never another exception (a RangeError from a
// DataView, a TypeError, an out-of-memory from a huge claimed shape) and never
// a hang. A few corrupted files also go through the real CLI (exit code 1,
// one line on stderr naming the file, nothing written).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTable, InputError, parseCsv, parseJson, parseNpy, readTable, Table, toNpy } from '../src/io/files.js';
import { count, FUZZ_SEED, runs, tried } from './fuzz/gen.js';

afterAll(() => {
  const total = [...tried.values()].reduce((a, b) => a + b, 0);
  console.log(`fuzz-files: ${total} cases (${[...tried].map(([k, v]) => `${k} ${v}`).join(', ')})`);
});

const FILE = 'in.npy';

/** A random finite table (numbers of every magnitude, -0 and subnormals included). */
const tableArb: fc.Arbitrary<Table> = fc.record({
  ndim: fc.constantFrom(1, 2) as fc.Arbitrary<1 | 2>,
  rows: fc.integer({ min: 1, max: 7 }),
  cols: fc.integer({ min: 1, max: 7 }),
}).chain(({ ndim, rows, cols }) => {
  const c = ndim === 1 ? 1 : cols;
  return fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: rows * c, maxLength: rows * c })
    .map((v) => ({ ndim, rows, cols: c, data: Float64Array.from(v) }));
});

/** What a successful parse must look like. */
function wellFormed(t: Table): void {
  expect([1, 2]).toContain(t.ndim);
  expect(Number.isInteger(t.rows) && t.rows >= 1).toBe(true);
  expect(Number.isInteger(t.cols) && t.cols >= 1).toBe(true);
  if (t.ndim === 1) expect(t.cols).toBe(1);
  expect(t.data).toBeInstanceOf(Float64Array);
  expect(t.data.length).toBe(t.rows * t.cols);
}

/** Parses and checks: a well-formed table, or an InputError naming the file. */
function parseOrInputError(parse: () => Table, file: string): 'ok' | 'rejected' {
  try {
    wellFormed(parse());
    return 'ok';
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`expected an InputError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    expect(e.message.startsWith(`${file}: `), e.message).toBe(true);
    expect(e.message).not.toMatch(/\n/);
    return 'rejected';
  }
}

/** Mutations of a valid file. */
type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; len: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 9 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 9 }) }),
);

function mutate(b: Uint8Array, muts: Mutation[]): Uint8Array {
  let out = b.slice();
  for (const m of muts) {
    const at = out.length === 0 ? 0 : m.at % (out.length + (m.kind === 'insert' ? 1 : 0));
    switch (m.kind) {
      case 'truncate': out = out.slice(0, at); break;
      case 'flip': if (out.length) out[at] ^= 1 << m.bit; break;
      case 'set': if (out.length) out[at] = m.byte; break;
      case 'insert': out = Uint8Array.from([...out.slice(0, at), ...m.bytes, ...out.slice(at)]); break;
      case 'delete': out = Uint8Array.from([...out.slice(0, at), ...out.slice(at + m.len)]); break;
    }
  }
  return out;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

describe('fuzz .npy', () => {
  it('round-trips every table the writer makes', () => {
    fc.assert(fc.property(tableArb, (t) => {
      count('npy round trip');
      const back = parseNpy(toNpy(t), FILE);
      expect(back.ndim).toBe(t.ndim);
      expect([back.rows, back.cols]).toEqual([t.rows, t.cols]);
      expect(Array.from(back.data).map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(Array.from(t.data).map((v) => Object.is(v, -0) ? '-0' : v));
    }), { seed: FUZZ_SEED + 11, numRuns: runs(200) });
  });

  it('truncated, bit-flipped, spliced files: a table or an InputError naming the file, nothing else', () => {
    fc.assert(fc.property(tableArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (t, muts) => {
      count('npy mutated');
      const bytes = mutate(toNpy(t), muts);
      parseOrInputError(() => parseNpy(bytes, FILE), FILE);
    }), { seed: FUZZ_SEED + 12, numRuns: runs(600) });
  });

  it('every truncation of a file is rejected (none is a valid file)', () => {
    fc.assert(fc.property(tableArb, (t) => {
      const b = toNpy(t);
      for (let len = 0; len < b.length; len += 1 + (len >> 3)) {
        count('npy truncated');
        expect(parseOrInputError(() => parseNpy(b.subarray(0, len), FILE), FILE)).toBe('rejected');
      }
    }), { seed: FUZZ_SEED + 13, numRuns: runs(40) });
  });

  it('headers with a random dict (huge and odd shapes, other dtypes, junk): a table or an InputError, without allocating what a lying header claims', () => {
    const dimArb = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom(2 ** 31, 2 ** 53, 1e20, 4294967297));
    const headerArb = fc.record({
      descr: fc.constantFrom('<f8', '>f8', '<f4', '>f4', '|f8', '=f8', '<i8', '<f2', '<c16', 'O', "<f8'", ''),
      fortran: fc.constantFrom('True', 'False', 'true', '1', ''),
      shape: fc.array(dimArb, { maxLength: 3 }).map((d) => `(${d.join(', ')}${d.length === 1 ? ',' : ''})`),
      junk: fc.option(fc.string({ maxLength: 12 }), { freq: 3 }),
      version: fc.constantFrom(1, 2, 3, 4),
      dataBytes: fc.integer({ min: 0, max: 64 }),
    });
    fc.assert(fc.property(headerArb, (h) => {
      count('npy header');
      let text = `{'descr': '${h.descr}', 'fortran_order': ${h.fortran}, 'shape': ${h.shape}, ${h.junk ?? ''}}`;
      const pre = h.version === 1 ? 10 : 12;
      text += ' '.repeat(63 - ((pre + text.length) % 64)) + '\n';
      const head = enc.encode(text);
      const b = new Uint8Array(pre + head.length + h.dataBytes);
      b.set([0x93, 78, 85, 77, 80, 89, h.version, 0]);
      const dv = new DataView(b.buffer);
      if (h.version === 1) dv.setUint16(8, head.length, true);
      else dv.setUint32(8, head.length, true);
      b.set(head, pre);
      parseOrInputError(() => parseNpy(b, FILE), FILE);
    }), { seed: FUZZ_SEED + 14, numRuns: runs(500) });
  });

  it('random bytes, with and without the magic string', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (b, magic) => {
      count('npy random');
      const bytes = magic ? Uint8Array.from([0x93, 78, 85, 77, 80, 89, 1, 0, ...b]) : b;
      parseOrInputError(() => parseNpy(bytes, FILE), FILE);
    }), { seed: FUZZ_SEED + 15, numRuns: runs(300) });
  });
});

describe('fuzz .csv and .json', () => {
  it('round-trip every table the writer makes (shortest decimal form)', () => {
    fc.assert(fc.property(tableArb, (t) => {
      count('csv/json round trip');
      const csv = parseCsv(encodeTable(t, '.csv') as string, 'in.csv');
      const json = parseJson(encodeTable(t, '.json') as string, 'in.json');
      for (const back of [csv, json]) {
        expect(back.rows).toBe(t.rows);
        expect(back.cols).toBe(t.cols);
        // -0 prints as "0" in both formats: compare as numbers
        expect(Array.from(back.data)).toEqual(Array.from(t.data).map((v) => (v === 0 ? 0 : v)));
      }
      expect(json.ndim).toBe(t.ndim);
    }), { seed: FUZZ_SEED + 21, numRuns: runs(200) });
  });

  it('truncated, bit-flipped, spliced text: a table or an InputError naming the file', () => {
    fc.assert(fc.property(tableArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), fc.boolean(), (t, muts, asJson) => {
      count(asJson ? 'json mutated' : 'csv mutated');
      const file = asJson ? 'in.json' : 'in.csv';
      const bytes = mutate(enc.encode(encodeTable(t, asJson ? '.json' : '.csv') as string), muts);
      const text = dec.decode(bytes);
      parseOrInputError(() => (asJson ? parseJson : parseCsv)(text, file), file);
    }), { seed: FUZZ_SEED + 22, numRuns: runs(600) });
  });

  it('arbitrary text and JSON values', () => {
    const jsonish = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 60 }),
      fc.array(fc.array(fc.oneof(fc.double(), fc.string({ maxLength: 3 }), fc.constant(null)), { maxLength: 4 }), { maxLength: 4 }).map((v) => JSON.stringify(v)),
    );
    fc.assert(fc.property(jsonish, (text) => {
      count('text');
      parseOrInputError(() => parseJson(text, 'in.json'), 'in.json');
      parseOrInputError(() => parseCsv(text, 'in.csv'), 'in.csv');
    }), { seed: FUZZ_SEED + 23, numRuns: runs(400) });
  });
});

describe('readTable and the CLI on corrupted files', () => {
  const DIR = resolve(__dirname, '../test-output/fuzz-files');
  beforeAll(() => {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
  });

  it('readTable rejects every non-finite entry a mutated .npy may hold (NaN, Infinity), naming file and entry', () => {
    fc.assert(fc.property(tableArb, fc.array(mutationArb, { minLength: 1, maxLength: 2 }), (t, muts) => {
      count('readTable');
      const path = join(DIR, 'in.npy');
      writeFileSync(path, mutate(toNpy(t), muts));
      if (parseOrInputError(() => readTable(path), path) === 'ok') {
        expect(readTable(path).data.every(Number.isFinite)).toBe(true);
      }
    }), { seed: FUZZ_SEED + 31, numRuns: runs(100) });
  });

  it('sparse-pursuit solve: exit 1, one line naming the file, no output file (5 corrupted inputs)', async () => {
    const run = promisify(execFile);
    const CLI = resolve(__dirname, '../dist/cli.js');
    const A: Table = { ndim: 2, rows: 4, cols: 6, data: Float64Array.from({ length: 24 }, (_, i) => Math.sin(i + 1)) };
    const y: Table = { ndim: 1, rows: 4, cols: 1, data: Float64Array.from([1, 2, 3, 4]) };
    writeFileSync(join(DIR, 'y.npy'), toNpy(y));
    const good = toNpy(A);
    const cases: [string, Uint8Array][] = [
      ['truncated.npy', good.subarray(0, good.length - 3)],
      ['flipped-magic.npy', mutate(good, [{ kind: 'flip', at: 1, bit: 0 }])],
      ['header-shape.npy', mutate(good, [{ kind: 'set', at: good.indexOf(0x34), byte: 0x39 }])], // shape (4, 6) -> (9, 6)
      // cut inside the second row (a CSV cut at a line end is a valid shorter file)
      ['truncated.csv', enc.encode((encodeTable(A, '.csv') as string).replace(/\n([^,]*,[^,]*),[\s\S]*$/, '\n$1'))],
      ['truncated.json', enc.encode((encodeTable(A, '.json') as string).slice(0, 40))],
    ];
    for (const [name, bytes] of cases) {
      writeFileSync(join(DIR, name), bytes);
      const out = join(DIR, `x-${name}.npy`);
      let code = 0;
      let stderr = '';
      try {
        await run(process.execPath, [CLI, 'solve', '--matrix', name, '--y', 'y.npy', '--solver', 'omp', '-k', '2', '--out', out], { cwd: DIR });
      } catch (e) {
        code = (e as { code: number }).code;
        stderr = (e as { stderr: string }).stderr;
      }
      expect(code, name).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr, name).toMatch(new RegExp(`^sparse-pursuit solve: ${name.replace('.', '\\.')}: `));
      expect(existsSync(out)).toBe(false);
    }
  });
});

// Reading and writing numeric tables for the CLI: .npy (./npy.ts), .csv
// (csv-parse, which handles quoting, CRLF, byte-order marks and comments) and
// .json (nested arrays). Every error is an InputError whose message starts
// with the file name.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { writeFileAtomicSync } from './atomic.js';
import { jsonDepth, preview } from './depth.js';
import { parse as parseCsvText } from 'csv-parse/sync';
import { InputError, MAX_ENTRIES, NPY_HEAD_BYTES, parseNpy, readNpyHeader, Table, toNpy } from './npy.js';

export { InputError, parseNpy, toNpy } from './npy.js';
export type { Table } from './npy.js';

/** File extensions the CLI reads and writes. */
export const FORMATS = ['.npy', '.csv', '.json'] as const;
export type Format = (typeof FORMATS)[number];

/** The format of a path by its extension, or null. */
export function formatOf(path: string): Format | null {
  const e = extname(path).toLowerCase();
  return (FORMATS as readonly string[]).includes(e) ? (e as Format) : null;
}

/** A decimal number as written in CSV/JSON text (no hex, no 'Infinity', no 'NaN'). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function tableFromRows(rows: number[][], ndim: 1 | 2): Table {
  const r = rows.length;
  const c = rows[0].length;
  const data = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[i + j * r] = rows[i][j];
  return { ndim, rows: r, cols: c, data };
}

/** Parses CSV text: one table row per line, numbers only; '#' starts a comment line. */
export function parseCsv(text: string, file: string): Table {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsvText(text, { comment: '#', skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: true }) as never;
  } catch (e) {
    throw new InputError(`${file}: malformed CSV: ${(e as Error).message.split('\n')[0]}`);
  }
  if (records.length === 0) throw new InputError(`${file}: expected at least one row of numbers, received an empty CSV file`);
  const width = records[0].record.length;
  const rows: number[][] = [];
  for (const { record, info } of records) {
    if (record.length !== width) {
      throw new InputError(`${file}: line ${info.lines} has ${record.length} values, the first row has ${width}`);
    }
    rows.push(record.map((cell, j) => {
      if (!NUMBER.test(cell)) throw new InputError(`${file}: line ${info.lines}, column ${j + 1}: ${JSON.stringify(cell.slice(0, 30))} is not a finite number`);
      return Number(cell);
    }));
    if (rows.length * width > MAX_ENTRIES) throw new InputError(`${file}: expected at most ${MAX_ENTRIES} entries, received more (${rows.length} rows of ${width} so far)`);
  }
  return tableFromRows(rows, 2);
}

/** Parses JSON: an array of numbers (a vector) or an array of equal-length arrays of numbers (rows). */
export function parseJson(text: string, file: string): Table {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw new InputError(`${file}: JSON nested too deeply to read (${(e as Error).message})`);
    // V8 quotes the offending text, newlines included: keep the message on one line
    throw new InputError(`${file}: malformed JSON: ${(e as Error).message.replace(/\s*\n\s*/g, ' ')}`);
  }
  // a table is at most 2 deep; anything deeper is refused before it is walked
  if (jsonDepth(v, 2) > 2) throw new InputError(`${file}: expected an array of numbers or an array of rows (arrays of numbers), received arrays nested more than 2 deep`);
  const what = `${file}: expected an array of numbers or an array of rows (arrays of numbers)`;
  if (!Array.isArray(v) || v.length === 0) throw new InputError(`${what}, received ${Array.isArray(v) ? 'an empty array' : typeof v}`);
  const num = (x: unknown, where: string): number => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new InputError(`${file}: ${where} must be a finite number, received ${preview(x)}`);
    return x;
  };
  if (!Array.isArray(v[0])) return tableFromRows(v.map((x, i) => [num(x, `entry [${i}]`)]), 1);
  const width = (v[0] as unknown[]).length;
  if (width === 0) throw new InputError(`${what}, received an empty first row`);
  const rows = v.map((row, i) => {
    if (!Array.isArray(row)) throw new InputError(`${file}: row [${i}] must be an array, received ${preview(row)}`);
    if (row.length !== width) throw new InputError(`${file}: row [${i}] has ${row.length} values, row [0] has ${width}`);
    return row.map((x, j) => num(x, `entry [${i}][${j}]`));
  });
  return tableFromRows(rows, 2);
}

/** A memory budget for a table read from a file: at most `bytes` bytes as float64, for the reason `why`. */
export interface TableBudget {
  bytes: number;
  /** Ends the refusal message, e.g. "the WASM memory available (see setMemoryLimit)". */
  why: string;
}

const cannotRead = (path: string, e: unknown) => {
  const code = (e as { code?: string }).code;
  return new InputError(`${path}: cannot read the file (${code === 'ENOENT' ? 'no such file' : code ?? (e as Error).message})`);
};

/**
 * Checks a .npy file's header (read alone, without the data) against the
 * entry limit and `budget`, so a file too large to use is refused in
 * milliseconds instead of after being read.
 */
function checkNpyHead(path: string, budget?: TableBudget, complex = false): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw cannotRead(path, e);
  }
  const head = new Uint8Array(NPY_HEAD_BYTES);
  let got: number;
  try {
    got = readSync(fd, head, 0, head.length, 0);
  } catch (e) {
    throw cannotRead(path, e);
  } finally {
    closeSync(fd);
  }
  const { count, shapeText, cplxFile } = readNpyHeader(head.subarray(0, got), path, { complex });
  const need = count * (cplxFile ? 16 : 8);
  if (count > MAX_ENTRIES) throw new InputError(`${path}: the array of shape ${shapeText} has ${count} entries, more than the ${MAX_ENTRIES} a table can hold`);
  if (budget && need > budget.bytes) {
    throw new InputError(`${path}: the array of shape ${shapeText} needs ${need} bytes as ${cplxFile ? 'complex128' : 'float64'}, more than the ${budget.bytes} bytes of ${budget.why}; refused before reading`);
  }
  return cplxFile;
}

/**
 * Reads a table from a .npy, .csv or .json file. A .npy may hold NaN or
 * infinities: they are rejected here, naming the entry. A .npy whose header
 * declares more than `budget.bytes` bytes of float64 (or more than
 * MAX_ENTRIES entries) is refused from its header, before the data is read.
 * With `opts.complex`, a complex64/complex128 .npy is read as a complex table
 * (`complex: true`, interleaved re/im); every other file is read as real.
 * Without it a complex file is refused.
 * @throws InputError naming the file
 */
export function readTable(path: string, budget?: TableBudget, opts: { complex?: boolean } = {}): Table {
  const fmt = formatOf(path);
  if (!fmt) throw new InputError(`${path}: unknown file type '${extname(path)}' (expected ${FORMATS.join(', ')})`);
  const cplx = fmt === '.npy' && checkNpyHead(path, budget, opts.complex === true);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw cannotRead(path, e);
  }
  const t = fmt === '.npy' ? parseNpy(bytes, path, { complex: cplx }) : (fmt === '.csv' ? parseCsv : parseJson)(new TextDecoder().decode(bytes), path);
  for (let p = 0; p < t.data.length; p++) {
    if (!Number.isFinite(t.data[p]) && t.complex) {
      const i = (p >> 1) % t.rows;
      const j = ((p >> 1) - i) / t.rows;
      throw new InputError(`${path}: entry ${t.ndim === 1 ? `[${i}]` : `(${i}, ${j})`} has ${p & 1 ? 'imaginary' : 'real'} part ${t.data[p]} (every entry must be finite)`);
    }
    if (!Number.isFinite(t.data[p])) {
      const i = p % t.rows;
      const j = (p - i) / t.rows;
      throw new InputError(`${path}: entry ${t.ndim === 1 ? `[${i}]` : `(${i}, ${j})`} is ${t.data[p]} (every entry must be finite)`);
    }
  }
  return t;
}

/** Encodes a table in the format of `path`'s extension. */
export function encodeTable(t: Table, fmt: Format): Uint8Array | string {
  if (fmt === '.npy') return toNpy(t);
  const row = (i: number) => Array.from({ length: t.cols }, (_, j) => t.data[i + j * t.rows]);
  if (fmt === '.json') {
    return JSON.stringify(t.ndim === 1 ? Array.from(t.data) : Array.from({ length: t.rows }, (_, i) => row(i))) + '\n';
  }
  // CSV: shortest round-tripping decimal form of each double
  return Array.from({ length: t.rows }, (_, i) => row(i).map(String).join(',')).join('\n') + '\n';
}

/**
 * Writes a table to `path` (format by extension) atomically (see
 * ./atomic.ts: an exclusive, unpredictably named temporary file beside it,
 * then renamed), so a failure never leaves a partial file and a symlink
 * planted beside it is never written through.
 */
export function writeTable(path: string, t: Table): void {
  const fmt = formatOf(path);
  if (!fmt) throw new InputError(`${path}: unknown file type '${extname(path)}' (expected ${FORMATS.join(', ')})`);
  const bytes = encodeTable(t, fmt);
  try {
    writeFileAtomicSync(path, bytes);
  } catch (e) {
    throw new InputError(`${path}: cannot write the file (${(e as { code?: string }).code ?? (e as Error).message})`);
  }
}

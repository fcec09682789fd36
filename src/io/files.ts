// Reading and writing numeric tables for the CLI: .npy (./npy.ts), .csv
// (csv-parse, which handles quoting, CRLF, byte-order marks and comments) and
// .json (nested arrays). Every error is an InputError whose message starts
// with the file name.
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { parse as parseCsvText } from 'csv-parse/sync';
import { InputError, MAX_ENTRIES, parseNpy, Table, toNpy } from './npy.js';

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
  if (records.length === 0) throw new InputError(`${file}: the CSV file holds no numbers`);
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
    if (rows.length * width > MAX_ENTRIES) throw new InputError(`${file}: more than ${MAX_ENTRIES} entries`);
  }
  return tableFromRows(rows, 2);
}

/** Parses JSON: an array of numbers (a vector) or an array of equal-length arrays of numbers (rows). */
export function parseJson(text: string, file: string): Table {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: malformed JSON: ${(e as Error).message}`);
  }
  const what = `${file}: expected an array of numbers or an array of rows (arrays of numbers)`;
  if (!Array.isArray(v) || v.length === 0) throw new InputError(`${what}, received ${Array.isArray(v) ? 'an empty array' : typeof v}`);
  const num = (x: unknown, where: string): number => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new InputError(`${file}: ${where} must be a finite number, received ${JSON.stringify(x)?.slice(0, 30)}`);
    return x;
  };
  if (!Array.isArray(v[0])) return tableFromRows(v.map((x, i) => [num(x, `entry [${i}]`)]), 1);
  const width = (v[0] as unknown[]).length;
  if (width === 0) throw new InputError(`${what}, received an empty first row`);
  const rows = v.map((row, i) => {
    if (!Array.isArray(row)) throw new InputError(`${file}: row [${i}] must be an array, received ${JSON.stringify(row)?.slice(0, 30)}`);
    if (row.length !== width) throw new InputError(`${file}: row [${i}] has ${row.length} values, row [0] has ${width}`);
    return row.map((x, j) => num(x, `entry [${i}][${j}]`));
  });
  return tableFromRows(rows, 2);
}

/**
 * Reads a table from a .npy, .csv or .json file. A .npy may hold NaN or
 * infinities: they are rejected here, naming the entry.
 * @throws InputError naming the file
 */
export function readTable(path: string): Table {
  const fmt = formatOf(path);
  if (!fmt) throw new InputError(`${path}: unknown file type '${extname(path)}' (expected ${FORMATS.join(', ')})`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new InputError(`${path}: cannot read the file (${code === 'ENOENT' ? 'no such file' : code ?? (e as Error).message})`);
  }
  const t = fmt === '.npy' ? parseNpy(bytes, path) : (fmt === '.csv' ? parseCsv : parseJson)(new TextDecoder().decode(bytes), path);
  for (let p = 0; p < t.data.length; p++) {
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
 * Writes a table to `path` (format by extension) atomically: into a temporary
 * file beside it, then renamed, so a failure never leaves a partial file.
 */
export function writeTable(path: string, t: Table): void {
  const fmt = formatOf(path);
  if (!fmt) throw new InputError(`${path}: unknown file type '${extname(path)}' (expected ${FORMATS.join(', ')})`);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, encodeTable(t, fmt));
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw new InputError(`${path}: cannot write the file (${(e as { code?: string }).code ?? (e as Error).message})`);
  }
}

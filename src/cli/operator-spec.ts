// `solve --operator SPEC`: a structured operator in place of --matrix.
//
//   dct:n=N,rows=FILE[,scale=true|false]       Operator.partialDct(N, rows of FILE, { scale })
//   dct:n=N,rows=random:m=M[,seed=S]           M distinct rows drawn by the package's seeded
//                                              generator (new Rng(S).sample(N, M), ascending; S default 1)
//   conv:h=FILE,n=N[,mode=full|same|circular][,method=auto|direct|fft]
//                                              Operator.convolution(h of FILE, N, { mode, method })
//
// A malformed spec (unknown kind or key, a missing or repeated key, a value
// outside its range) is a usage error naming --operator (exit 2); a file
// that cannot be read or does not fit the spec (rows not distinct integers in
// [0, N), an empty filter) is bad data naming the file (exit 1).
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError, readTable } from '../io/files.js';
import { Operator } from '../core/operator.js';
import { MAX_TRANSFORM_LENGTH } from '../core/transforms.js';
import { Rng } from '../core/random.js';
import { intArg, UsageError } from './args.js';

/** What --operator names, checked, before any file is read. */
export type OperatorSpec =
  | { kind: 'dct'; n: number; rows: { file: string } | { random: { m: number; seed: number } }; scale: boolean }
  | { kind: 'conv'; n: number; h: string; mode: 'full' | 'same' | 'circular'; method: 'auto' | 'direct' | 'fft' };

export const OPERATOR_SPEC_USAGE = `dct:n=N,rows=FILE[,scale=true|false] (rows: m distinct
                       integers in [0, N), .npy/.csv/.json), dct:n=N,rows=random:m=M[,seed=S], or
                       conv:h=FILE,n=N[,mode=full|same|circular][,method=auto|direct|fft]`;

const KEYS = { dct: ['n', 'rows', 'scale', 'm', 'seed'], conv: ['h', 'n', 'mode', 'method'] } as const;

/** Parses the text of --operator (UsageError naming the flag on any fault). */
export function parseOperatorSpec(text: string): OperatorSpec {
  const bad = (why: string): UsageError => new UsageError(`solve: --operator: ${why}, received ${JSON.stringify(text)} (expected ${OPERATOR_SPEC_USAGE.replace(/\s+/g, ' ')})`);
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  if (kind !== 'dct' && kind !== 'conv') throw bad(`unknown operator kind ${JSON.stringify(kind)} (known: dct, conv)`);
  const kv = new Map<string, string>();
  let random = false;
  const tokens = colon < 0 || colon === text.length - 1 ? [] : text.slice(colon + 1).split(',');
  for (let tok of tokens) {
    // rows=random:m=M: the generator's keys follow as m=M and seed=S
    if (kind === 'dct' && tok.startsWith('rows=random:')) {
      if (kv.has('rows')) throw bad('rows is given twice');
      kv.set('rows', 'random');
      random = true;
      tok = tok.slice('rows=random:'.length);
    }
    const eq = tok.indexOf('=');
    if (eq <= 0) throw bad(`expected key=value, received ${JSON.stringify(tok)}`);
    const key = tok.slice(0, eq), val = tok.slice(eq + 1);
    if (!(KEYS[kind] as readonly string[]).includes(key)) throw bad(`unknown key ${JSON.stringify(key)} for ${kind} (keys: ${KEYS[kind].join(', ')})`);
    if (kv.has(key)) throw bad(`${key} is given twice`);
    if (val === '') throw bad(`${key} has no value`);
    kv.set(key, val);
  }
  const need = (key: string): string => {
    const v = kv.get(key);
    if (v === undefined) throw bad(`${kind} needs ${key}=`);
    return v;
  };
  const int = (key: string, lo: number, hi: number): number => {
    try {
      return intArg(key, need(key), lo, hi, true);
    } catch (e) {
      throw bad((e as Error).message.replace(/, received .*$/, ''));
    }
  };
  const n = int('n', 1, MAX_TRANSFORM_LENGTH);
  if (kind === 'dct') {
    if ((kv.has('m') || kv.has('seed')) && !random) throw bad('m and seed go with rows=random:m=M[,seed=S]');
    const scaleText = kv.get('scale') ?? 'true';
    if (scaleText !== 'true' && scaleText !== 'false') throw bad(`scale must be true or false, not ${JSON.stringify(scaleText)}`);
    const rowsText = need('rows');
    const rows = random ? { random: { m: int('m', 1, n), seed: kv.has('seed') ? int('seed', 0, 2 ** 32 - 1) : 1 } } : { file: rowsText };
    return { kind, n, rows, scale: scaleText === 'true' };
  }
  const mode = kv.get('mode') ?? 'full';
  if (mode !== 'full' && mode !== 'same' && mode !== 'circular') throw bad(`mode must be full, same or circular, not ${JSON.stringify(mode)}`);
  const method = kv.get('method') ?? 'auto';
  if (method !== 'auto' && method !== 'direct' && method !== 'fft') throw bad(`method must be auto, direct or fft, not ${JSON.stringify(method)}`);
  return { kind, n, h: need('h'), mode, method };
}

/**
 * The entries of an integer .npy vector (numpy's default dtype for row
 * indices: int64; any of i1..i8, u1..u8, either byte order), or null when the
 * file is not an integer .npy (readTable then reads it, or names its fault).
 * The package's own .npy reader takes float32 / float64 only.
 */
function intNpy(path: string): Float64Array | null {
  if (extname(path).toLowerCase() !== '.npy') return null;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  if (bytes.length < 12 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = bytes[6] === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = (bytes[6] === 1 ? 10 : 12) + hlen;
  const head = new TextDecoder('latin1').decode(bytes.subarray(bytes[6] === 1 ? 10 : 12, start));
  const d = /['"]descr['"]\s*:\s*['"]([<>|=])([iu])([1248])['"]/.exec(head);
  const sh = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(head);
  if (!d || !sh) return null;
  const shape = sh[1].split(',').map((x) => x.trim()).filter((x) => x !== '').map((x) => Number(x.replace(/L$/, '')));
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0 || shape.length > 2 || shape.some((x) => !Number.isSafeInteger(x) || x < 0)) throw new InputError(`${path}: an integer array of shape (${shape.join(', ')}) is not a vector (1-D, or one row or column)`);
  if (shape.length === 2 && shape[0] !== 1 && shape[1] !== 1) throw new InputError(`${path}: an integer array of shape (${shape.join(', ')}) is not a vector (1-D, or one row or column)`);
  const size = Number(d[3]), little = d[1] !== '>', signed = d[2] === 'i';
  if (bytes.length - start !== count * size) throw new InputError(`${path}: the .npy data holds ${bytes.length - start} bytes, the header claims ${count} entries of ${size} bytes`);
  const out = new Float64Array(count);
  for (let i = 0, p = start; i < count; i++, p += size) {
    out[i] = size === 1 ? (signed ? dv.getInt8(p) : dv.getUint8(p))
      : size === 2 ? (signed ? dv.getInt16(p, little) : dv.getUint16(p, little))
        : size === 4 ? (signed ? dv.getInt32(p, little) : dv.getUint32(p, little))
          : Number(signed ? dv.getBigInt64(p, little) : dv.getBigUint64(p, little));
  }
  return out;
}

/** A 1-D vector from a file (1-D, or one row, or one column; .npy also of integers), else an InputError naming the file and `what`. */
function vectorFile(path: string, what: string): Float64Array {
  const ints = intNpy(path);
  if (ints) return ints;
  const t = readTable(path);
  if (t.ndim === 2 && t.rows !== 1 && t.cols !== 1) throw new InputError(`${path}: ${what} must be a vector (1-D, or one row or column), received shape ${t.rows} x ${t.cols}`);
  return t.data;
}

/** The rows of a dct spec: from the file (checked: distinct integers in [0, n)) or drawn. */
export function specRows(spec: Extract<OperatorSpec, { kind: 'dct' }>): Int32Array {
  if ('random' in spec.rows) return new Rng(spec.rows.random.seed).sample(spec.n, spec.rows.random.m);
  const file = spec.rows.file;
  const v = vectorFile(file, 'the rows of --operator dct');
  if (v.length === 0) throw new InputError(`${file}: the rows of --operator dct must not be empty, received 0 entries`);
  if (v.length > spec.n) throw new InputError(`${file}: the rows of --operator dct must be at most n = ${spec.n} distinct integers, received ${v.length} entries`);
  const seen = new Uint8Array(spec.n);
  const rows = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const r = v[i];
    if (!Number.isInteger(r) || r < 0 || r >= spec.n) throw new InputError(`${file}: entry [${i}] must be an integer in [0, ${spec.n - 1}] (a row of the ${spec.n}-point DCT), received ${r}`);
    if (seen[r]) throw new InputError(`${file}: the rows of --operator dct must be distinct, received ${r} twice`);
    seen[r] = 1;
    rows[i] = r;
  }
  return rows;
}

/** Builds the operator (requires init()); files are read here. */
export function buildOperator(spec: OperatorSpec): Operator {
  if (spec.kind === 'dct') return Operator.partialDct(spec.n, specRows(spec), { scale: spec.scale });
  const h = vectorFile(spec.h, 'the filter of --operator conv');
  if (h.length === 0) throw new InputError(`${spec.h}: the filter of --operator conv must not be empty, received 0 taps`);
  return Operator.convolution(h, spec.n, { mode: spec.mode, method: spec.method });
}

/** A one-line description of the operator a spec names (for the CLI's summary line). */
export function describeSpec(spec: OperatorSpec): string {
  return spec.kind === 'dct'
    ? `partial DCT (n = ${spec.n}${'random' in spec.rows ? `, ${spec.rows.random.m} random rows, seed ${spec.rows.random.seed}` : `, rows from ${spec.rows.file}`}${spec.scale ? '' : ', unscaled'})`
    : `convolution (n = ${spec.n}, h from ${spec.h}, mode ${spec.mode}, method ${spec.method})`;
}

// A small strict reader and writer for NumPy's .npy format (versions 1.0,
// 2.0 and 3.0; float64 and float32, and on request complex128 and complex64;
// either byte order, C or Fortran order;
// 1-D and 2-D arrays). Written by hand rather than taken from npm because the
// CLI needs every malformed file to fail with a precise one-line message
// (truncated data, a header claiming a huge shape, an unsupported dtype)
// before anything large is allocated; the format itself is a fixed magic
// string, a length and a Python-literal dict.
//
// Format facts (NumPy's "NEP 1" format description): magic "\x93NUMPY",
// major and minor version bytes, a little-endian header length (u16 for 1.0,
// u32 for 2.0 and 3.0), then an ASCII (3.0: UTF-8) dict with the keys
// 'descr', 'fortran_order' and 'shape', padded with spaces and ending in a
// newline; the raw data follows.

/** A dense 1-D or 2-D array of doubles, stored column-major (entry (i, j) at data[i + j*rows]). */
export interface Table {
  /** 1 for a vector (rows = length, cols = 1), 2 for a matrix. */
  ndim: 1 | 2;
  rows: number;
  cols: number;
  /** Column-major entries, length rows*cols; when `complex`, 2 rows*cols doubles, interleaved re/im (entry (i, j) at 2(i + j*rows)). */
  data: Float64Array;
  /** True for complex data (read with { complex: true }, written as complex128 or complex64). */
  complex?: boolean;
}

/** A malformed or unsupported input file; the message starts with the file name. */
export class InputError extends Error {}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** Largest header NumPy itself will read without allow-large-header (numpy.lib.format, _MAX_HEADER_SIZE). */
const MAX_HEADER_LEN = 10000;
/** Largest number of entries accepted: a Float64Array (and Matrix) index limit, 2^31 - 1. */
export const MAX_ENTRIES = 2 ** 31 - 1;

export interface NpyHeader {
  descr: string;
  fortran: boolean;
  shape: number[];
}

/** Splits a Python dict/tuple body on top-level commas. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0 && !quote) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter((p, i, a) => p !== '' || i < a.length - 1);
}

function parseHeader(text: string, file: string): NpyHeader {
  const bad = (why: string) => new InputError(`${file}: malformed .npy header (${why}): ${JSON.stringify(text.trim().slice(0, 120))}`);
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) throw bad('not a dict');
  const items = splitTop(t.slice(1, -1));
  const seen: Partial<NpyHeader> = {};
  for (const item of items) {
    const m = /^(['"])(descr|fortran_order|shape)\1\s*:\s*([\s\S]*)$/.exec(item);
    if (!m) throw bad(`unexpected entry ${JSON.stringify(item.slice(0, 40))}`);
    const [, , key, value] = m;
    if (key in seen || (key === 'fortran_order' && seen.fortran !== undefined)) throw bad(`duplicate key '${key}'`);
    if (key === 'descr') {
      const d = /^(['"])([^'"]*)\1$/.exec(value);
      if (!d) throw bad('descr is not a string');
      seen.descr = d[2];
    } else if (key === 'fortran_order') {
      if (value !== 'True' && value !== 'False') throw bad('fortran_order is not True or False');
      seen.fortran = value === 'True';
    } else {
      const s = /^\(([\s\S]*)\)$/.exec(value);
      if (!s) throw bad('shape is not a tuple');
      const dims = splitTop(s[1]);
      const shape: number[] = [];
      for (const d of dims) {
        if (!/^\d+L?$/.test(d)) throw bad(`shape entry ${JSON.stringify(d)} is not a non-negative integer`);
        shape.push(Number(d.replace('L', '')));
      }
      if (dims.length === 1 && !/,\s*$/.test(s[1])) throw bad('a one-element shape tuple needs a trailing comma');
      seen.shape = shape;
    }
  }
  if (seen.descr === undefined || seen.fortran === undefined || seen.shape === undefined) {
    throw bad(`missing ${['descr', 'fortran_order', 'shape'].filter((k, i) => [seen.descr, seen.fortran, seen.shape][i] === undefined).join(', ')}`);
  }
  return seen as NpyHeader;
}

/**
 * Parses a .npy file.
 *
 * @param bytes the whole file
 * @param file its name, for messages
 * @returns a Table (column-major float64), whatever the file's order and dtype
 * @throws InputError naming the file: bad magic or version, truncated header
 *   or data, trailing bytes, dtype other than float32/float64 (and, with
 *   `opts.complex`, complex64/complex128: the result is then complex, real
 *   files included, imaginary parts 0), 0-D or >2-D
 *   arrays, empty arrays, or a shape whose size disagrees with the data.
 */
export function parseNpy(bytes: Uint8Array, file: string, opts: { complex?: boolean } = {}): Table {
  const { h, start, count, size, part, cplxFile, little, shapeText } = readNpyHeader(bytes, file, opts);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataBytes = bytes.length - start;
  if (count > MAX_ENTRIES || count * size > dataBytes) {
    throw new InputError(`${file}: truncated .npy data: the header claims shape ${shapeText} of ${h.descr} (${count * size} bytes), the file holds ${dataBytes} bytes of data`);
  }
  if (count * size < dataBytes) {
    throw new InputError(`${file}: ${dataBytes - count * size} unexpected bytes after the ${shapeText} ${h.descr} data`);
  }
  const rows = h.shape[0];
  const cols = h.shape.length === 2 ? h.shape[1] : 1;
  const cplx = opts.complex === true;
  const data = new Float64Array(cplx ? 2 * count : count);
  let off = start;
  const get = (o: number) => (part === 8 ? dv.getFloat64(o, little) : dv.getFloat32(o, little));
  // Walk the file in its own order and place each entry column-major.
  for (let t = 0; t < count; t++, off += size) {
    let i: number;
    let j: number;
    if (h.fortran || cols === 1) {
      i = t % rows;
      j = (t - i) / rows;
    } else {
      j = t % cols;
      i = (t - j) / cols;
    }
    if (!cplx) data[i + j * rows] = get(off);
    else {
      data[2 * (i + j * rows)] = get(off);
      if (cplxFile) data[2 * (i + j * rows) + 1] = get(off + part);
    }
  }
  const t: Table = { ndim: h.shape.length as 1 | 2, rows, cols, data };
  if (cplx) t.complex = true;
  return t;
}

/** Bytes that always hold a .npy file's whole header (magic, version, a u32 length, MAX_HEADER_LEN). */
export const NPY_HEAD_BYTES = 12 + MAX_HEADER_LEN;

/**
 * Reads and checks a .npy header from the start of a file (at least
 * NPY_HEAD_BYTES of it, or the whole file when shorter), without the data.
 * @param opts `complex`: complex64/complex128 files are accepted (refused otherwise)
 * @returns the header, the data offset `start`, the entry `count`, the dtype
 *   `size` (bytes per entry), `part` (bytes per real number), whether the file
 *   is complex, the byte order, and the shape as Python writes it
 * @throws InputError naming the file, as parseNpy
 */
export function readNpyHeader(bytes: Uint8Array, file: string, opts: { complex?: boolean } = {}): { h: NpyHeader; start: number; count: number; size: number; part: number; cplxFile: boolean; little: boolean; shapeText: string } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new InputError(`${file}: not a .npy file: expected the \\x93NUMPY magic string, received ${bytes.length < 6 ? `a file of ${bytes.length} bytes` : `bytes ${Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ')}`}`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (![1, 2, 3].includes(major) || minor !== 0) throw new InputError(`${file}: unsupported .npy version ${major}.${minor} (1.0, 2.0 or 3.0 expected)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new InputError(`${file}: truncated .npy file (${bytes.length} bytes, the header length is missing)`);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = 8 + lenBytes;
  if (hlen > MAX_HEADER_LEN) throw new InputError(`${file}: .npy header length ${hlen} exceeds ${MAX_HEADER_LEN} bytes`);
  if (bytes.length < start + hlen) {
    throw new InputError(`${file}: truncated .npy file (header says ${hlen} header bytes, the file has ${bytes.length - start})`);
  }
  const headerBytes = bytes.subarray(start, start + hlen);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  if (!text.endsWith('\n')) throw new InputError(`${file}: malformed .npy header: expected it to end with a newline, received ${JSON.stringify(text.slice(-12))}`);
  const h = parseHeader(text, file);
  const dm = /^([<>|=])(f4|f8|c8|c16)$/.exec(h.descr);
  const cplxFile = dm !== null && dm[2][0] === 'c';
  if (!dm || (cplxFile && !opts.complex)) {
    throw new InputError(`${file}: unsupported dtype '${h.descr}' ${cplxFile ? 'here: a complex array where a real one is expected' : `(float64 '<f8' or float32 '<f4'${opts.complex ? ", complex128 '<c16' or complex64 '<c8'" : ''} expected)`}`);
  }
  const little = dm[1] !== '>';
  const size = Number(dm[2].slice(1)); // bytes per entry
  const part = cplxFile ? size / 2 : size; // bytes per real number
  if (h.shape.length === 0 || h.shape.length > 2) {
    throw new InputError(`${file}: a ${h.shape.length}-D array of shape (${h.shape.join(', ')}) is not supported (1-D or 2-D expected)`);
  }
  const count = h.shape.reduce((a, b) => a * b, 1);
  const shapeText = `(${h.shape.join(', ')}${h.shape.length === 1 ? ',' : ''})`;
  if (count === 0) throw new InputError(`${file}: the array of shape ${shapeText} is empty`);
  return { h, start: start + hlen, count, size, part, cplxFile, little, shapeText };
}

/**
 * Encodes a table as a .npy file (version 1.0, little-endian float64, C order;
 * a 1-D table is written with shape (rows,)). The header is padded so the data
 * starts at a multiple of 64 bytes, as NumPy does. A complex table is written
 * as complex128 ('<c16'), or complex64 ('<c8', each part rounded to float32)
 * with `{ dtype: 'complex64' }`.
 */
export function toNpy(t: Table, opts: { dtype?: 'complex128' | 'complex64' } = {}): Uint8Array {
  const shape = t.ndim === 1 ? `(${t.rows},)` : `(${t.rows}, ${t.cols})`;
  const c64 = t.complex === true && opts.dtype === 'complex64';
  const descr = t.complex ? (c64 ? '<c8' : '<c16') : '<f8';
  const part = c64 ? 4 : 8; // bytes per real number
  const per = t.complex ? 2 : 1; // real numbers per entry
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + t.rows * t.cols * per * part);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  dv.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  let off = 10 + header.length;
  for (let i = 0; i < t.rows; i++) {
    for (let j = 0; j < t.cols; j++) {
      for (let c = 0; c < per; c++, off += part) {
        const v = t.data[per * (i + j * t.rows) + c];
        if (c64) dv.setFloat32(off, v, true);
        else dv.setFloat64(off, v, true);
      }
    }
  }
  return out;
}

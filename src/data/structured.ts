// Structured-sparse data for learned solvers (OMP-Net, IHT-Net): every
// signal's support lies inside one hidden set of K indices, as in the
// experiments of "Deep greedy unfolding" (Mohammad-Taheri, Colbrook &
// Brugiapaglia 2025). Also the two sensing matrices those experiments use
// here: a Gaussian matrix with unit-norm columns and a subsampled real DCT.
import { checkEnum, checkInt, checkNumber, describe } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { operatorFromSpec, STRUCTURED_SAFE_EXP, type StructuredSpec } from '../core/operator.js';
import { Rng } from '../core/random.js';
import { fourierStructuredSparse, type FourierStructuredOptions, type FourierStructuredSparse } from './fourier.js';

/** Which sensing matrix: 'dct' (subsampled orthonormal DCT-II) or 'gaussian' (i.i.d. N(0,1), unit-norm columns). */
export type MatrixKind = 'dct' | 'gaussian';

/**
 * How A was made, enough to rebuild it exactly: a subsampled DCT by its row
 * indices, a structured Operator (partial DCT, convolution, normalized) by its
 * StructuredSpec (Operator.prototype.spec; a dense matrix inside
 * Operator.normalized as `data: number[]`), anything else by its entries (see
 * matrixFromSpec).
 */
export type MatrixSpec =
  | { kind: 'dct'; m: number; n: number; rows: number[] }
  | { kind: 'dense'; m: number; n: number; data: number[] }
  | { kind: 'operator'; m: number; n: number; operator: StructuredSpec };

/** Largest m, n, rows.length and h.length in a matrix spec (the limit of matrixFromSpec's m and n). */
const MAX_SPEC_LENGTH = 2 ** 20;

/** Most Operator.normalized levels nested in an operator spec. */
export const MAX_OPERATOR_SPEC_NESTING = 4;

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * Checks an operator spec from an untrusted source (a saved net, a worker
 * message) against the m x n it declares, without building anything: kinds,
 * integer sizes, the lengths of rows / h (checked before their entries are
 * read), their entries (rows distinct integers in [0, n), taps finite and
 * within the kernels' range of scales), and the shape each kind implies.
 * Returns a fresh, JSON-safe copy (arrays as number[]).
 *
 * @param fn the function to name in errors
 * @param field the spec's name in errors (e.g. 'matrix.operator')
 */
export function checkOperatorSpec(fn: string, field: string, spec: unknown, m: number, n: number, depth = 0): StructuredSpec {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new TypeError(`${fn}: ${field} must be an operator spec { kind: 'partialDct' | 'convolution' | 'normalized', ... }, received ${describe(spec)}`);
  }
  const s = spec as Record<string, unknown>;
  const kind = checkEnum(fn, `${field}.kind`, s.kind, ['partialDct', 'convolution', 'normalized'] as const);
  if (kind === 'normalized') {
    if (depth >= MAX_OPERATOR_SPEC_NESTING) throw new RangeError(`${fn}: ${field} nests Operator.normalized more than ${MAX_OPERATOR_SPEC_NESTING} deep`);
    const inner = s.inner as Record<string, unknown> | null | undefined;
    if (inner && typeof inner === 'object' && inner.kind === 'dense') {
      const f = `${field}.inner`;
      if (inner.m !== m || inner.n !== n) throw new RangeError(`${fn}: ${f} must be ${m} x ${n} (matrix.m x matrix.n), received ${describe(inner.m)} x ${describe(inner.n)}`);
      const data = inner.data;
      if (!isArrayLike(data)) throw new TypeError(`${fn}: ${f}.data must be an array of m*n = ${m * n} numbers, received ${describe(data)}`);
      if (data.length !== m * n) throw new RangeError(`${fn}: ${f}.data must be an array of m*n = ${m * n} numbers, received length ${data.length}`);
      const out = new Array<number>(m * n);
      for (let i = 0; i < m * n; i++) {
        const v = data[i];
        if (typeof v !== 'number') throw new TypeError(`${fn}: ${f}.data[${i}] must be a number, received ${describe(v)}`);
        if (!Number.isFinite(v)) throw new RangeError(`${fn}: ${f}.data[${i}] must be finite, received ${v}`);
        out[i] = v;
      }
      // a saved spec holds number[]; operatorFromSpec copies either into WASM memory
      return { kind: 'normalized', inner: { kind: 'dense', m, n, data: out as unknown as Float64Array } };
    }
    return { kind: 'normalized', inner: checkOperatorSpec(fn, `${field}.inner`, inner, m, n, depth + 1) };
  }
  const sn = checkInt(fn, `${field}.n`, s.n, 1, MAX_SPEC_LENGTH);
  if (sn !== n) throw new RangeError(`${fn}: ${field}.n must equal matrix.n = ${n}, received ${sn}`);
  if (kind === 'partialDct') {
    const rows = s.rows;
    if (!isArrayLike(rows)) throw new TypeError(`${fn}: ${field}.rows must be an array of ${m} distinct integers in [0, ${n - 1}], received ${describe(rows)}`);
    if (rows.length !== m) throw new RangeError(`${fn}: ${field}.rows must be an array of ${m} (matrix.m) distinct integers in [0, ${n - 1}], received length ${rows.length}`);
    const seen = new Uint8Array(n);
    const out = new Array<number>(m);
    for (let i = 0; i < m; i++) {
      const k = rows[i];
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= n) {
        const E = typeof k === 'number' ? RangeError : TypeError;
        throw new E(`${fn}: ${field}.rows[${i}] must be an integer in [0, ${n - 1}], received ${describe(k)}`);
      }
      if (seen[k]) throw new RangeError(`${fn}: ${field}.rows must be distinct, received ${k} twice`);
      seen[k] = 1;
      out[i] = k;
    }
    if (typeof s.scale !== 'boolean') throw new TypeError(`${fn}: ${field}.scale must be a boolean, received ${describe(s.scale)}`);
    return { kind: 'partialDct', n, rows: out, scale: s.scale };
  }
  const h = s.h;
  if (!isArrayLike(h)) throw new TypeError(`${fn}: ${field}.h must be an array of filter taps, received ${describe(h)}`);
  if (h.length < 1 || h.length > MAX_SPEC_LENGTH) throw new RangeError(`${fn}: ${field}.h must have 1 to ${MAX_SPEC_LENGTH} taps, received length ${h.length}`);
  const mode = checkEnum(fn, `${field}.mode`, s.mode, ['full', 'same', 'circular'] as const);
  const method = checkEnum(fn, `${field}.method`, s.method, ['fft', 'direct'] as const);
  const rowsOf = mode === 'full' ? n + h.length - 1 : n;
  if (rowsOf !== m) throw new RangeError(`${fn}: ${field} (mode '${mode}', n = ${n}, ${h.length} taps) has ${rowsOf} rows, but matrix.m = ${m}`);
  const taps = new Array<number>(h.length);
  for (let i = 0; i < h.length; i++) {
    const v = h[i];
    if (typeof v !== 'number') throw new TypeError(`${fn}: ${field}.h[${i}] must be a number, received ${describe(v)}`);
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: ${field}.h[${i}] must be finite, received ${v}`);
    if (v !== 0 && Math.abs(Math.log2(Math.abs(v))) > STRUCTURED_SAFE_EXP) {
      throw new RangeError(`${fn}: ${field}.h[${i}] must be 0 or of magnitude in [2^-${STRUCTURED_SAFE_EXP}, 2^${STRUCTURED_SAFE_EXP}], received ${v}`);
    }
    taps[i] = v;
  }
  return { kind: 'convolution', n, h: taps, mode, method };
}

/**
 * The m x n subsampled real DCT: rows `rows` (m distinct indices in [0, n))
 * of the orthonormal n x n DCT-II, C[k, j] = c_k cos(pi k (2j + 1) / (2n)) with
 * c_0 = sqrt(1/n) and c_k = sqrt(2/n), scaled by sqrt(n/m) so that the columns
 * have unit norm on average (and A^T A = I in expectation over the rows).
 * The angle is reduced exactly in integers before the cosine, so the entries
 * do not depend on rounding of large arguments.
 *
 * @param n signal length (integer >= 1)
 * @param rows m distinct row indices in [0, n)
 * @returns m x n Matrix
 */
export function dctMatrix(n: number, rows: ArrayLike<number>): Matrix {
  const fn = 'dctMatrix';
  checkInt(fn, 'n', n, 1, 2 ** 20);
  const m = rows.length;
  if (m === 0) throw new RangeError(`${fn}: rows must not be empty, received length 0`);
  const seen = new Set<number>();
  for (let i = 0; i < m; i++) {
    const k = rows[i];
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= n) {
      throw new RangeError(`${fn}: rows[${i}] must be an integer in [0, ${n - 1}], received ${describe(k)}`);
    }
    if (seen.has(k)) throw new RangeError(`${fn}: rows must be distinct, received ${k} twice`);
    seen.add(k);
  }
  const data = new Float64Array(m * n);
  const scale = Math.sqrt(n / m);
  const period = 4 * n; // cos(pi q / (2n)) has period 4n in the integer q
  for (let i = 0; i < m; i++) {
    const k = rows[i];
    const c = (k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n)) * scale;
    for (let j = 0; j < n; j++) {
      const q = (k * (2 * j + 1)) % period;
      data[i + j * m] = c * Math.cos((Math.PI * q) / (2 * n));
    }
  }
  return new Matrix(m, n, data);
}

/** m x n Gaussian matrix, i.i.d. N(0, 1) entries drawn column by column from rng, columns scaled to unit norm. */
export function gaussianMatrix(m: number, n: number, rng: Rng): Matrix {
  checkInt('gaussianMatrix', 'm', m, 1, 2 ** 20);
  checkInt('gaussianMatrix', 'n', n, 1, 2 ** 20);
  return new Matrix(m, n, rng.normals(m * n)).normalizeColumns();
}

/**
 * Rebuilds a matrix from its spec (a DCT from its rows, a dense matrix from
 * its entries, an 'operator' spec as the dense matrix of the operator it
 * describes: needs `await init()`), checking shapes.
 */
export function matrixFromSpec(spec: MatrixSpec, fn = 'matrixFromSpec'): Matrix {
  if (!spec || typeof spec !== 'object') throw new TypeError(`${fn}: matrix must be an object { kind, m, n, ... }, received ${describe(spec)}`);
  const kind = checkEnum(fn, 'matrix.kind', (spec as { kind: unknown }).kind, ['dct', 'dense', 'operator'] as const);
  const m = checkInt(fn, 'matrix.m', spec.m, 1, MAX_SPEC_LENGTH);
  const n = checkInt(fn, 'matrix.n', spec.n, 1, MAX_SPEC_LENGTH);
  if (kind === 'operator') {
    const op = operatorFromSpec(checkOperatorSpec(fn, 'matrix.operator', (spec as { operator: unknown }).operator, m, n));
    try {
      return new Matrix(m, n, op.matrix.data);
    } finally {
      op.dispose();
    }
  }
  if (kind === 'dct') {
    const rows = (spec as { rows: unknown }).rows;
    if (!Array.isArray(rows) || rows.length !== m) throw new RangeError(`${fn}: matrix.rows must be an array of ${m} row indices, received ${describe(rows)}`);
    return dctMatrix(n, rows);
  }
  const data = (spec as { data: unknown }).data;
  if (!Array.isArray(data) || data.length !== m * n) throw new RangeError(`${fn}: matrix.data must be an array of m*n = ${m * n} numbers, received ${describe(data)}`);
  return new Matrix(m, n, data as number[]);
}

/** A spec embedding A's entries (column-major; JSON numbers round-trip f64 exactly). */
export function denseSpec(A: Matrix): MatrixSpec {
  return { kind: 'dense', m: A.m, n: A.n, data: Array.from(A.data) };
}

/** A set of signals and their measurements, one per column. */
export interface SignalSet {
  /** m x N measurements y_b = A x_b + e_b. */
  Y: Matrix;
  /** n x N ground truth. */
  X: Matrix;
}

/** Options of structuredSparse. */
export interface StructuredSparseOptions {
  /** Signal length, integer >= 2. */
  n: number;
  /** Nonzeros per signal, integer in [1, K]. */
  s: number;
  /** Size of the hidden set, integer in [s, n]. */
  K: number;
  /** Measurements, integer in [1, n]. */
  m: number;
  /** 'dct' (default) or 'gaussian', or a given m x n Matrix. */
  matrix?: MatrixKind | Matrix;
  /** Noise level: e = sigma N(0, I_m) / sqrt(m). Finite, >= 0; default 0. */
  sigma?: number;
  /** Seed of A and the hidden set (integer >= 0). Signals have their own seeds (see `sample`). */
  seed: number;
}

/** A structured-sparse problem family: one A, one hidden set, and a seeded sampler of signals. */
export interface StructuredSparse {
  /** m x n sensing matrix. */
  A: Matrix;
  /** How to rebuild A (for saved nets). */
  spec: MatrixSpec;
  /** The hidden K indices, ascending. */
  hidden: Int32Array;
  /** The settings, as given (with defaults filled in). */
  settings: { n: number; s: number; K: number; m: number; matrix: MatrixKind | 'given'; sigma: number; seed: number };
  /**
   * N signals drawn from seed `seed`: support = s of the K hidden indices
   * (uniform), nonzeros N(0, 1), then x scaled to ||x||_2 = 1; y = A x + e.
   * The same (N, seed) always gives the same set; a set of N' > N signals from
   * the same seed starts with the N of the smaller one.
   */
  sample(N: number, seed: number): SignalSet;
}

/**
 * One signal's draw: s positions among the K hidden indices (as indices into
 * the hidden set) and their values, N(0, 1) scaled to unit norm. Shared by
 * every family so that the same seed gives the same supports and values.
 */
export function unitSparse(r: Rng, K: number, s: number): { pick: ArrayLike<number>; vals: Float64Array } {
  const pick = r.sample(K, s);
  const vals = r.normals(s);
  let nrm = 0;
  for (let i = 0; i < s; i++) nrm += vals[i] * vals[i];
  nrm = Math.sqrt(nrm);
  for (let i = 0; i < s; i++) vals[i] = vals[i] / nrm;
  return { pick, vals };
}

/**
 * A structured-sparse problem family (Figure 3 of "Deep greedy unfolding"):
 * a hidden set of K of the n indices, every signal's support drawn inside it.
 *
 * @example
 * const fam = structuredSparse({ n: 256, s: 10, K: 20, m: 40, matrix: 'dct', sigma: 1e-3, seed: 1 });
 * const train = fam.sample(1024, 2), val = fam.sample(512, 3);
 */
export function structuredSparse(o: FourierStructuredOptions): FourierStructuredSparse;
export function structuredSparse(o: StructuredSparseOptions): StructuredSparse;
export function structuredSparse(o: StructuredSparseOptions | FourierStructuredOptions): StructuredSparse | FourierStructuredSparse {
  const fn = 'structuredSparse';
  if (o && typeof o === 'object' && o.matrix === 'fourier') return fourierStructuredSparse(o as FourierStructuredOptions, fn);
  o = o as StructuredSparseOptions;
  if (!o || typeof o !== 'object') throw new TypeError(`${fn}: options must be an object { n, s, K, m, seed, ... }, received ${describe(o)}`);
  const n = checkInt(fn, 'n', o.n, 2, 2 ** 20);
  const K = checkInt(fn, 'K', o.K, 1, n);
  const s = checkInt(fn, 's', o.s, 1, K);
  const m = checkInt(fn, 'm', o.m, 1, n);
  const seed = checkInt(fn, 'seed', o.seed, 0, 2 ** 32 - 1);
  const sigma = o.sigma === undefined ? 0 : checkNumber(fn, 'sigma', o.sigma, 0, Number.MAX_VALUE);
  const rng = new Rng(seed);
  let A: Matrix;
  let spec: MatrixSpec;
  let kind: MatrixKind | 'given';
  if (o.matrix instanceof Matrix) {
    if (o.matrix.m !== m || o.matrix.n !== n) throw new RangeError(`${fn}: matrix must be ${m} x ${n} (m x n), received ${o.matrix.m} x ${o.matrix.n}`);
    A = o.matrix;
    spec = denseSpec(A);
    kind = 'given';
  } else {
    kind = o.matrix === undefined ? 'dct' : checkEnum(fn, 'matrix', o.matrix, ['dct', 'gaussian'] as const);
    if (kind === 'dct') {
      const rows = Array.from(rng.sample(n, m));
      A = dctMatrix(n, rows);
      spec = { kind: 'dct', m, n, rows };
    } else {
      A = gaussianMatrix(m, n, rng);
      spec = denseSpec(A);
    }
  }
  const hidden = rng.sample(n, K);
  const sample = (N: number, sseed: number): SignalSet => {
    checkInt(`${fn}.sample`, 'N', N, 1, 2 ** 24);
    checkInt(`${fn}.sample`, 'seed', sseed, 0, 2 ** 32 - 1);
    const r = new Rng(sseed);
    const Y = new Float64Array(m * N);
    const X = new Float64Array(n * N);
    for (let b = 0; b < N; b++) {
      const { pick, vals } = unitSparse(r, K, s);
      const xo = b * n;
      const yo = b * m;
      for (let i = 0; i < s; i++) {
        const j = hidden[pick[i]];
        const v = vals[i];
        X[xo + j] = v;
        for (let r2 = 0; r2 < m; r2++) Y[yo + r2] += A.data[r2 + j * m] * v;
      }
      if (sigma > 0) {
        const f = sigma / Math.sqrt(m);
        for (let r2 = 0; r2 < m; r2++) Y[yo + r2] += f * r.normal();
      }
    }
    return { Y: new Matrix(m, N, Y), X: new Matrix(n, N, X) };
  };
  return { A, spec, hidden, settings: { n, s, K, m, matrix: kind, sigma, seed }, sample };
}

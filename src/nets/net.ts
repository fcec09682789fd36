// OMP-Net and IHT-Net ("Deep greedy unfolding", Mohammad-Taheri, Colbrook &
// Brugiapaglia 2025): L unrolled iterations of Soft-OMP or Soft-IHT over a
// fixed A, with one trainable weight per index (w in R^n, shared by every
// layer) in the selection rule |w . A^T r| (OMP) or |w . u| (IHT). Training
// learns which indices the data's supports favour; at tau = 0 the net is the
// weighted hard OMP / IHT with the learned weights.
import { checkEnum, checkInt, checkNumber, describe, toVector } from '../core/errors.js';
import { checkOperatorSpec, denseSpec, matrixFromSpec, MatrixSpec, SignalSet } from '../data/structured.js';
import { Matrix } from '../core/matrix.js';
import { checkSignalSet } from './sets.js';
import { Operator, operatorFromSpec, type StructuredSpec } from '../core/operator.js';
import { TAU_MIN } from '../soft/soft.js';
import type { Backend } from '../core/types.js';
import { combineChunks, forward, gradChunks, chunkGrad, columns, NetConfig, squaredErrors } from './core.js';
import { train, TrainOptions, TrainResult } from './train.js';
import { memoryLimit } from '../core/wasm.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../io/depth.js';

/** Identifies the JSON files of saved nets. */
export const NET_FORMAT = 'sparse-pursuit/unrolled-net';
/** Version of the saved-net format this build writes and reads. */
export const NET_FORMAT_VERSION = 1;

/** How predict() selects: 'soft' (SoftSort at the net's tau, as trained) or 'hard' (tau = 0: weighted OMP / IHT). */
export type PredictMode = 'soft' | 'hard';

/** Options of predict / predictBatch / evaluate. */
export interface PredictOptions {
  /** 'soft' (default) or 'hard'. */
  mode?: PredictMode;
  /** 'wasm' (default) or 'js'. */
  backend?: Backend;
}

/** A saved net (toJSON / fromJSON). */
export interface NetJSON {
  format: typeof NET_FORMAT;
  version: number;
  kind: 'omp-net' | 'iht-net';
  /** A, described (subsampled DCT: its rows; structured Operator: its spec) or embedded (column-major entries). */
  matrix: MatrixSpec;
  settings: { layers: number; tau: number; sparsity?: number; eta?: number };
  /** w, length n. */
  weights: number[];
  /** FNV-1a (32-bit, hex) of kind, matrix, settings and weights as serialised: catches edited or truncated files. */
  checksum: string;
  /** Free-form information (training summary, hidden set, ...); not checked. */
  meta?: Record<string, unknown>;
}

/** Evaluation of a net on a signal set. */
export interface Evaluation {
  /** Mean over the set of ||x_hat - x||^2 (the training loss). */
  mse: number;
  /** Per signal ||x_hat - x|| / ||x||. */
  relErrors: Float64Array;
  /** Median of relErrors. */
  medianRelError: number;
}

/** 32-bit FNV-1a of a string, as 8 hex digits. */
export function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function checksumOf(j: Pick<NetJSON, 'kind' | 'matrix' | 'settings' | 'weights'>): string {
  return fnv1a(JSON.stringify([j.kind, j.matrix, j.settings, j.weights]));
}

/** A net's A: a dense matrix, or a structured operator kept as its spec (`op`, JSON-safe). */
interface ResolvedA {
  m: number;
  n: number;
  /** The dense matrix (null for a structured operator). */
  A: Matrix | null;
  /** The structured operator's spec (null for a dense matrix). */
  op: StructuredSpec | null;
  /** How A is saved. */
  spec: MatrixSpec;
}

/** Largest m and n of a net's matrix (as matrixFromSpec). */
const MAX_NET_DIM = 2 ** 20;

/** An 'operator' matrix spec, checked (untrusted: a file, a user) and copied. */
function operatorSpecOf(fn: string, spec: { m?: unknown; n?: unknown; operator?: unknown }): ResolvedA {
  const m = checkInt(fn, 'matrix.m', spec.m, 1, MAX_NET_DIM);
  const n = checkInt(fn, 'matrix.n', spec.n, 1, MAX_NET_DIM);
  const op = checkOperatorSpec(fn, 'matrix.operator', spec.operator, m, n);
  return { m, n, A: null, op, spec: { kind: 'operator', m, n, operator: op } };
}

/**
 * A given as a Matrix, a matrix spec (see structuredSparse's `spec`) or an
 * Operator: a dense one as its matrix, a structured one by its spec (the net
 * rebuilds it; functions cannot be saved or sent to workers).
 */
function resolveA(fn: string, A: unknown): ResolvedA {
  if (A instanceof Matrix) return { m: A.m, n: A.n, A, op: null, spec: denseSpec(A) };
  if (A instanceof Operator) {
    if (A.disposed) throw new TypeError(`${fn}: A is a disposed Operator: expected a live Operator, received one whose dispose() was called`);
    if (!A.structured) return { m: A.m, n: A.n, A: A.matrix, op: null, spec: denseSpec(A.matrix) };
    const s = A.spec();
    if (s === null) {
      throw new TypeError(`${fn}: A must be an Operator that can be described (dense, partialDct, convolution, or normalized over one of these), received ${A.kind === 'functions' ? 'an Operator.fromFunctions operator' : `a '${A.kind}' operator over Operator.fromFunctions`}: its functions cannot be saved or sent to training workers (use Operator.dense(A.matrix) or a structured operator)`);
    }
    return operatorSpecOf(fn, { m: A.m, n: A.n, operator: s });
  }
  if (A && typeof A === 'object' && 'kind' in A) {
    const spec = A as MatrixSpec;
    if (spec.kind === 'operator') return operatorSpecOf(fn, spec);
    const M = matrixFromSpec(spec, fn);
    return { m: M.m, n: M.n, A: M, op: null, spec: spec.kind === 'dct' ? { kind: 'dct', m: spec.m, n: spec.n, rows: Array.from(spec.rows) } : spec };
  }
  throw new TypeError(`${fn}: A must be a Matrix, an Operator or a matrix spec ({ kind: 'dct' | 'dense' | 'operator', m, n, ... }), received ${describe(A)}`);
}

function checkTau(fn: string, tau: unknown): number {
  if (typeof tau !== 'number') throw new TypeError(`${fn}: tau must be a finite number >= ${TAU_MIN}, received ${describe(tau)}`);
  if (!Number.isFinite(tau) || tau < TAU_MIN) throw new RangeError(`${fn}: tau must be a finite number >= ${TAU_MIN}, received ${describe(tau)}`);
  return tau;
}

/**
 * Runs body; a RangeError/TypeError it throws from the functions underneath
 * (softOmpBatch, softIhtBatch, ...) is rethrown as `fn`'s own, with `renames`
 * applied (e.g. a batch's 'Y[0]' becomes predict's 'y').
 */
function asCaller<T>(fn: string, body: () => T, renames: [RegExp, string][] = []): T {
  try {
    return body();
  } catch (e) {
    if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
    let msg = e.message.replace(/^[A-Za-z.]+: /, '');
    for (const [re, to] of renames) msg = msg.replace(re, to);
    const E = e instanceof RangeError ? RangeError : TypeError;
    throw new E(`${fn}: ${msg}`);
  }
}

/** What OmpNet and IhtNet share: A, w, tau, prediction, evaluation, training and saving. */
export abstract class UnrolledNet {
  abstract readonly kind: 'omp-net' | 'iht-net';
  /** How A is saved. */
  readonly spec: MatrixSpec;
  /** m, the measurements per signal. */
  readonly m: number;
  /** n, the signal length. */
  readonly n: number;
  /** Unrolled iterations L. */
  readonly layers: number;
  /** SoftSort temperature of soft mode (training and predict's default). */
  tau: number;
  /** The trainable weights, length n (initially all ones). Replace entries freely; keep them finite. */
  readonly w: Float64Array;
  /** Free-form information saved with the net (e.g. its training summary). */
  meta: Record<string, unknown> = {};
  private _op: Operator | null = null;
  /** The dense A (null on a structured operator). */
  private readonly dense: Matrix | null;
  /** The structured operator's spec (null on a dense A). */
  private readonly opSpec: StructuredSpec | null;

  protected constructor(fn: string, A: unknown, layers: number, maxLayers: (m: number, n: number) => number, tau: unknown, weights: unknown) {
    const r = resolveA(fn, A);
    this.dense = r.A;
    this.opSpec = r.op;
    this.spec = r.spec;
    this.m = r.m;
    this.n = r.n;
    this.layers = checkInt(fn, 'layers', layers, 1, maxLayers(r.m, r.n));
    this.tau = checkTau(fn, tau);
    this.w = weights === undefined ? new Float64Array(r.n).fill(1) : Float64Array.from(toVector(fn, 'weights', weights));
    if (this.w.length !== r.n) throw new RangeError(`${fn}: weights must have length ${r.n} (the columns of A), received length ${this.w.length}`);
  }

  /**
   * The m x n sensing matrix (do not modify): the Matrix given, or for a net
   * on a structured operator the matrix of the net's operator (an
   * OperatorMatrix: entries assembled on first use of `data`, as the JS
   * backend needs; it belongs to the operator that dispose() frees).
   */
  get A(): Matrix {
    return this.dense ?? this.operator().matrix;
  }

  /** True when the net runs on a structured operator (saved and sent to workers as its spec). */
  get structured(): boolean {
    return this.opSpec !== null;
  }

  /** @internal What rebuilds A in a training worker: the dense matrix, or the structured operator's spec. */
  source(): Matrix | StructuredSpec {
    return this.dense ?? this.opSpec!;
  }

  /** @internal The settings that fix the computation. */
  abstract config(): NetConfig;

  /** @internal A resident in WASM memory (made on first use, a structured one rebuilt from its spec; freed by dispose()). */
  operator(): Operator {
    if (!this._op || this._op.disposed) this._op = this.dense ? Operator.dense(this.dense) : operatorFromSpec(this.opSpec!);
    return this._op;
  }

  /** Frees the resident copy of A, or the structured operator (the net stays usable; it is made again when needed). */
  dispose(): void {
    this._op?.dispose();
    this._op = null;
  }

  private modeTau(fn: string, o: PredictOptions | undefined): { tau: number; backend: Backend } {
    const mode = o?.mode === undefined ? 'soft' : checkEnum(fn, 'mode', o.mode, ['soft', 'hard'] as const);
    const backend = o?.backend === undefined ? 'wasm' : checkEnum(fn, 'backend', o.backend, ['wasm', 'js'] as const);
    return { tau: mode === 'soft' ? this.tau : 0, backend };
  }

  /**
   * The estimate x_hat (length n) for measurements y (length m).
   * @param opts mode 'soft' (default: SoftSort at tau) or 'hard' (weighted OMP / IHT), backend
   */
  predict(y: ArrayLike<number>, opts?: PredictOptions): Float64Array {
    const fn = `${this.constructor.name}.predict`;
    const { backend } = this.modeTau(fn, opts); // checks opts (mode, tau) before anything runs
    const yv = toVector(fn, 'y', y);
    if (yv.length !== this.m) throw new RangeError(`${fn}: y must have length ${this.m} (the rows of A), received length ${yv.length}`);
    return asCaller(fn, () => this.predictBatch(new Matrix(this.m, 1, yv), { mode: opts?.mode, backend }).data.slice(), [[/^\S+\.predictBatch: /, ''], [/\bY\[(:, )?0\]( \(signal 0\))?/g, 'y']]);
  }

  /**
   * Estimates for many measurement vectors: Y is m x N (one per column) or an
   * array of N vectors of length m; returns n x N.
   */
  predictBatch(Y: Matrix | ArrayLike<number>[], opts?: PredictOptions): Matrix {
    const fn = `${this.constructor.name}.predictBatch`;
    const { tau, backend } = this.modeTau(fn, opts);
    let Ym: Matrix;
    if (Y instanceof Matrix) {
      Y.checkIntact(fn, 'Y');
      Ym = Y;
    } else if (Array.isArray(Y) && Y.length > 0) Ym = Matrix.fromColumns(Y.map((v, b) => toVector(fn, `Y[${b}]`, v)));
    else throw new TypeError(`${fn}: Y must be a Matrix (m x N) or a non-empty array of vectors, received ${describe(Y)}`);
    if (Ym.m !== this.m) throw new RangeError(`${fn}: Y must have ${this.m} rows (the rows of A), received ${Ym.m} x ${Ym.n}`);
    return asCaller(fn, () => forward(this.config(), backend === 'wasm' ? this.operator() : this.A, Ym, this.w, tau, backend));
  }

  /** MSE (mean ||x_hat - x||^2, the training loss) and relative errors on a signal set. */
  evaluate(set: SignalSet, opts?: PredictOptions): Evaluation {
    const fn = `${this.constructor.name}.evaluate`;
    checkSignalSet(fn, 'set', set, this.m, this.n);
    const sq = squaredErrors(this.predictBatch(set.Y, opts), set.X);
    const N = sq.length;
    const rel = new Float64Array(N);
    let mse = 0;
    for (let b = 0; b < N; b++) {
      mse += sq[b];
      let nx = 0;
      for (let j = b * this.n; j < (b + 1) * this.n; j++) nx += set.X.data[j] ** 2;
      rel[b] = nx > 0 ? Math.sqrt(sq[b] / nx) : Math.sqrt(sq[b]);
    }
    const sorted = Float64Array.from(rel).sort();
    const median = N % 2 ? sorted[(N - 1) / 2] : (sorted[N / 2 - 1] + sorted[N / 2]) / 2;
    return { mse: mse / N, relErrors: rel, medianRelError: median };
  }

  /**
   * The training loss on a batch, (1/N) sum_b ||x_hat_b - x_b||^2 in soft mode,
   * and its gradient with respect to w (summed over the batch in WASM, in
   * chunks combined in a fixed order: exactly what train() uses).
   * @param set signals (Y m x N, X n x N)
   * @param opts `w` (default this.w), `tau` (default this.tau), `backend`
   */
  lossAndGradient(set: SignalSet, opts: { w?: ArrayLike<number>; tau?: number; backend?: Backend } = {}): { loss: number; gw: Float64Array } {
    const fn = `${this.constructor.name}.lossAndGradient`;
    checkSignalSet(fn, 'set', set, this.m, this.n);
    const w = opts.w === undefined ? this.w : toVector(fn, 'w', opts.w, this.n);
    const tau = opts.tau === undefined ? this.tau : checkTau(fn, opts.tau);
    const backend = opts.backend === undefined ? 'wasm' : checkEnum(fn, 'backend', opts.backend, ['wasm', 'js'] as const);
    const op = backend === 'wasm' ? this.operator() : this.A;
    const all = Int32Array.from({ length: set.Y.n }, (_, i) => i);
    const parts = gradChunks(all).map((idx) => ({ ...chunkGrad(this.config(), op, columns(set.Y, idx), columns(set.X, idx), w, tau, backend), count: idx.length }));
    return combineChunks(parts, this.n);
  }

  /** Indices of the `count` largest |w_j| (largest first; ties: lower index first). */
  topWeights(count: number): Int32Array {
    checkInt(`${this.constructor.name}.topWeights`, 'count', count, 1, this.n);
    return Int32Array.from(Array.from({ length: this.n }, (_, j) => j)
      .sort((a, b) => Math.abs(this.w[b]) - Math.abs(this.w[a]) || a - b).slice(0, count));
  }

  /**
   * Trains w on `trainSet` (see TrainOptions; loss: mean ||x_hat - x||^2 over
   * each mini-batch). Keeps the checkpoint with the lowest validation loss.
   */
  train(trainSet: SignalSet, opts: TrainOptions = {}): Promise<TrainResult> {
    return train(this, trainSet, opts);
  }

  protected abstract settingsJSON(): NetJSON['settings'];

  /** The net as a JSON-safe object (A described or embedded, weights, settings, format version, checksum). */
  toJSON(): NetJSON {
    const base = { kind: this.kind, matrix: this.spec, settings: this.settingsJSON(), weights: Array.from(this.w) };
    const out: NetJSON = { format: NET_FORMAT, version: NET_FORMAT_VERSION, ...base, checksum: checksumOf(base) };
    if (Object.keys(this.meta).length) out.meta = this.meta;
    return out;
  }
}

/** Options of new OmpNet. */
export interface OmpNetOptions {
  /** Unrolled iterations (one atom each), integer in [1, min(m, n)]. Required. */
  layers: number;
  /** SoftSort temperature, finite, >= 1e-100. Default 1e-3 (the paper's). */
  tau?: number;
  /** Initial weights (length n); default all ones. */
  weights?: ArrayLike<number>;
}

/**
 * OMP-Net: `layers` iterations of Soft-OMP, selecting by a SoftSort row of
 * |w . A^T r|, with trainable w.
 *
 * @example
 * const fam = structuredSparse({ n: 256, s: 10, K: 20, m: 40, sigma: 1e-3, seed: 1 });
 * const net = new OmpNet(fam.spec, { layers: 10 });
 * await net.train(fam.sample(1024, 2), { valSet: fam.sample(512, 3), epochs: 200 });
 * const xHat = net.predict(y);                    // soft, tau = 1e-3
 * const xHard = net.predict(y, { mode: 'hard' }); // weighted OMP
 */
export class OmpNet extends UnrolledNet {
  readonly kind = 'omp-net' as const;

  /**
   * @param A m x n Matrix, a matrix spec (e.g. structuredSparse(...).spec, saved compactly), or an
   *   Operator: dense, or structured with a spec (partialDct, convolution, normalized; the net keeps
   *   the spec and rebuilds the operator); Operator.fromFunctions is refused (functions cannot be saved)
   * @param opts layers (required), tau, weights
   */
  constructor(A: Matrix | MatrixSpec | Operator, opts: OmpNetOptions) {
    const fn = 'OmpNet';
    if (!opts || typeof opts !== 'object') throw new TypeError(`${fn}: options must be an object { layers, tau?, weights? }, received ${describe(opts)}`);
    super(fn, A, opts.layers, (m, n) => Math.min(m, n), opts.tau ?? 1e-3, opts.weights);
  }

  config(): NetConfig {
    return { kind: 'omp-net', layers: this.layers, sparsity: 1, eta: 0 };
  }

  protected settingsJSON(): NetJSON['settings'] {
    return { layers: this.layers, tau: this.tau };
  }

  /** Restores a net saved by toJSON() (an object or its JSON text). */
  static fromJSON(json: string | NetJSON): OmpNet {
    const net = loadNet(json, 'OmpNet.fromJSON');
    if (!(net instanceof OmpNet)) throw new RangeError(`OmpNet.fromJSON: the file holds an '${net.kind}', not an 'omp-net' (use IhtNet.fromJSON or loadNet)`);
    return net;
  }
}

/** Options of new IhtNet. */
export interface IhtNetOptions {
  /** Unrolled iterations, integer in [1, 10^6]. Required. */
  layers: number;
  /** Sparsity s kept per iteration, integer in [1, n]. Required. */
  sparsity: number;
  /** Step eta, finite, > 0. Default 1 / ||A||_2^2. */
  eta?: number;
  /** SoftSort temperature, finite, >= 1e-100. Default 1e-3 (the paper's). */
  tau?: number;
  /** Initial weights (length n); default all ones. */
  weights?: ArrayLike<number>;
}

/**
 * IHT-Net: `layers` iterations of Soft-IHT, u = x + eta A^T (y - A x),
 * x = (column sums of softSort(|w . u|, tau, s rows)) . u, with trainable w.
 */
export class IhtNet extends UnrolledNet {
  readonly kind = 'iht-net' as const;
  /** s, entries kept per iteration. */
  readonly sparsity: number;
  /** The step. */
  readonly eta: number;

  /**
   * @param A m x n Matrix, matrix spec, or Operator that can be described (see OmpNet)
   * @param opts layers and sparsity (required), eta, tau, weights
   */
  constructor(A: Matrix | MatrixSpec | Operator, opts: IhtNetOptions) {
    const fn = 'IhtNet';
    if (!opts || typeof opts !== 'object') throw new TypeError(`${fn}: options must be an object { layers, sparsity, eta?, tau?, weights? }, received ${describe(opts)}`);
    super(fn, A, opts.layers, () => 1e6, opts.tau ?? 1e-3, opts.weights);
    this.sparsity = checkInt(fn, 'sparsity', opts.sparsity, 1, this.n);
    if (opts.eta === undefined) {
      const s = this.A.spectralNorm();
      this.eta = s > 0 ? 1 / (s * s) : 1;
    } else {
      this.eta = checkNumber(fn, 'eta', opts.eta, 0, Number.MAX_VALUE, { openLo: true });
    }
  }

  config(): NetConfig {
    return { kind: 'iht-net', layers: this.layers, sparsity: this.sparsity, eta: this.eta };
  }

  protected settingsJSON(): NetJSON['settings'] {
    return { layers: this.layers, tau: this.tau, sparsity: this.sparsity, eta: this.eta };
  }

  /** Restores a net saved by toJSON() (an object or its JSON text). */
  static fromJSON(json: string | NetJSON): IhtNet {
    const net = loadNet(json, 'IhtNet.fromJSON');
    if (!(net instanceof IhtNet)) throw new RangeError(`IhtNet.fromJSON: the file holds an '${net.kind}', not an 'iht-net' (use OmpNet.fromJSON or loadNet)`);
    return net;
  }
}

/**
 * Most entries (m n) of the matrix of a net that loadNet builds: 2^24, a
 * 128 MiB float64 matrix (e.g. m = 4096 rows of a DCT of length n = 4096),
 * far above the nets this package trains, far below what would hang a
 * browser tab. A subsampled DCT is saved by its row indices alone, so without
 * this limit a file of a few megabytes could declare a matrix of gigabytes.
 */
export const MAX_NET_MATRIX_ENTRIES = 2 ** 24;

/**
 * Refuses, before anything is built, a saved net whose declared matrix is
 * larger than MAX_NET_MATRIX_ENTRIES entries or than the memory limit
 * (setMemoryLimit; the WASM backend copies the matrix there).
 */
function checkNetSize(fn: string, spec: { m?: unknown; n?: unknown }): void {
  const m = checkInt(fn, 'matrix.m', spec.m, 1, 2 ** 20);
  const n = checkInt(fn, 'matrix.n', spec.n, 1, 2 ** 20);
  if (m * n > MAX_NET_MATRIX_ENTRIES) {
    throw new RangeError(`${fn}: the matrix of a saved net must have at most ${MAX_NET_MATRIX_ENTRIES} entries (MAX_NET_MATRIX_ENTRIES), received m = ${m}, n = ${n} (${m * n} entries, ${8 * m * n} bytes)`);
  }
  if (8 * m * n > memoryLimit()) {
    throw new RangeError(`${fn}: the matrix of the saved net (m = ${m}, n = ${n}) needs ${8 * m * n} bytes, more than the memory limit of ${memoryLimit()} bytes (setMemoryLimit)`);
  }
}

/**
 * Restores any saved net (OmpNet or IhtNet, by its `kind`). The input is
 * untrusted: its nesting depth, format, checksum and the declared size of its
 * matrix (at most MAX_NET_MATRIX_ENTRIES entries and within the memory limit)
 * are checked before anything is allocated. Fails with a
 * RangeError / TypeError naming the problem when the object is not a saved
 * net, has another format version, or does not match its checksum.
 */
export function loadNet(json: string | NetJSON, fn = 'loadNet'): OmpNet | IhtNet {
  let j: NetJSON;
  if (typeof json === 'string') {
    try {
      j = JSON.parse(json) as NetJSON;
    } catch (e) {
      throw new TypeError(`${fn}: the text is not JSON (${(e as Error).message})`);
    }
  } else j = json;
  if (!j || typeof j !== 'object') throw new TypeError(`${fn}: expected a saved net (an object with format '${NET_FORMAT}'), received ${describe(j)}`);
  // walked without recursion, before anything (the checksum's JSON.stringify) recurses into it
  if (jsonDepth(j) > MAX_JSON_DEPTH) throw new RangeError(`${fn}: the saved net is nested more than ${MAX_JSON_DEPTH} deep: not a saved net`);
  if (j.format !== NET_FORMAT) throw new TypeError(`${fn}: not a saved net: format must be '${NET_FORMAT}', received ${describe(j.format)}`);
  if (j.version !== NET_FORMAT_VERSION) {
    throw new RangeError(`${fn}: format version ${describe(j.version)} is not supported (this build reads version ${NET_FORMAT_VERSION})`);
  }
  if ((j.kind as string) === 'complex-omp-net' || (j.kind as string) === 'complex-iht-net') {
    throw new RangeError(`${fn}: the file holds a '${j.kind}' (a complex net): load it with loadComplexNet`);
  }
  const kind = checkEnum(fn, 'kind', j.kind, ['omp-net', 'iht-net'] as const);
  if (!j.settings || typeof j.settings !== 'object') throw new TypeError(`${fn}: settings must be an object, received ${describe(j.settings)}`);
  if (!Array.isArray(j.weights)) throw new TypeError(`${fn}: weights must be an array of numbers, received ${describe(j.weights)}`);
  const spec = j.matrix;
  if (!spec || typeof spec !== 'object') throw new TypeError(`${fn}: matrix must be a matrix spec, received ${describe(spec)}`);
  checkEnum(fn, 'matrix.kind', (spec as { kind: unknown }).kind, ['dct', 'dense', 'operator'] as const);
  checkNetSize(fn, spec);
  // an operator spec is checked whole (kinds, sizes, rows / taps) before the checksum and before anything is built
  if (spec.kind === 'operator') operatorSpecOf(fn, spec);
  const sum = checksumOf(j);
  if (j.checksum !== sum) throw new RangeError(`${fn}: checksum mismatch (file says ${describe(j.checksum)}, contents give '${sum}'): the file was edited or damaged`);
  if (!Array.isArray(j.weights) || j.weights.length !== spec.n) {
    throw new RangeError(`${fn}: weights must have length ${spec.n} (the columns of A), received length ${j.weights.length}`);
  }
  const s = j.settings;
  // the file's settings are checked by the constructors; their refusals name the function the user called
  const net = asCaller(fn, () => kind === 'omp-net'
    ? new OmpNet(spec, { layers: s.layers, tau: s.tau, weights: j.weights })
    : new IhtNet(spec, { layers: s.layers, sparsity: s.sparsity as number, eta: s.eta as number, tau: s.tau, weights: j.weights }), [[/^/, 'the saved net: ']]);
  if (j.meta && typeof j.meta === 'object') net.meta = j.meta;
  return net;
}


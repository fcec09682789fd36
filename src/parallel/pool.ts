// A pool of workers for batches and for single signals: Node worker_threads
// or browser Web Workers behind one interface (workers.ts). Each worker runs
// its own WASM instance of the very module the main thread loaded (the
// compiled WebAssembly.Module is posted to it) and holds its own resident
// copy of each matrix, sent once, and of its Gram matrix for Batch-OMP.
//
// The Gram matrix G = A^T A lives only in the workers: each worker computes
// a column range of G's upper triangle in place, in its own WASM memory,
// sends it packed (column j: rows 0..j, about 4 n^2 / workers bytes) and
// receives the ranges the others computed, handed on by the main thread
// without a copy when one worker needs them (transferred), then mirrors. A
// worker that took no part (busy then, or started later) builds G whole
// when it needs it.
//
// With `sharedMemory: true` (off by default, see PoolOptions.sharedMemory), A
// lives in a SharedArrayBuffer the main thread fills once: each worker copies
// it into its own WASM memory from the shared bytes (no structured clone
// of megabytes on the main thread per worker), and each batch passes its
// signals and takes its X through shared buffers the pool reuses. The main
// thread's copy of A is then a shared one (8 m n bytes, counted as before).
// Without it, A travels as an ordinary (cloned) buffer: a worker keeps a
// shared buffer it no longer uses until its own garbage collector runs (a
// worker allocates little, so that comes late), whereas a cloned buffer is
// freed at once (pool-handler.ts release()); with shared memory what a
// worker may hold on to that way is the main thread's one copy of a dropped
// matrix, not one per worker.
//
// Resident copies are bounded: a matrix's copies (main thread and workers)
// are dropped when the caller's Matrix is garbage-collected, right after the
// call for rows given as number[][] (nothing else can name them again), and
// least recently used first whenever the copies exceed `residentBytes`.
//
// Results do not depend on the number of workers or on how the columns are
// split: every column is solved by the same kernel on the same data, and the
// Gram matrix, computed in column ranges by several workers, is bit for bit
// the one-piece one (assembly/gram.ts).
//
// Why not piscina / tinypool: both are Node-only, and the pool must also run
// on Web Workers; the scheduling here (contiguous chunks, per-worker resident
// state, retry of a crashed chunk column by column, grouping of single
// solves) is the part that is specific to this package and would sit on top
// of either anyway.
import {
  BatchResult, BlockLike, emptyBatch, ompBatchPlan, OmpBatchOptions, OmpBatchResult, prepareBatch, screenColumns,
  GRAM_MAX_BYTES, BatchColumnError, SolveBatchOptions, toWarmStarts, BatchArgs,
} from '../solvers/batch.js';
import { checkInt, checkNumber, describe, toVector } from '../core/errors.js';
import { Matrix, type MatrixFacts } from '../core/matrix.js';
import { gramBytes, Operator, OperatorMatrix, operatorBytes, type StructuredSpec } from '../core/operator.js';
import { descriptorOf, SOLVERS, SolverName } from '../solvers/registry.js';
import { resolveMatrix, type OperatorLike } from '../solvers/solve.js';
import { STATUS_NAMES, type SolveResult } from '../core/types.js';
import type { WasmModule } from '../core/types.js';
import { backendInfo, init, nodeBuiltin, wasmModule } from '../core/wasm.js';
import type { BuildName } from '../core/wasm.js';
import { Channel, errorFrom, isNode, sourceAt, type WorkerSource } from './workers.js';
import {
  emptyComplexBatch, prepareComplexBatch, type ComplexBatchResult, type ComplexBlockLike, type ComplexSolveBatchOptions, type ComplexSolverName,
} from '../complex/batch.js';
import { complexSpecOf, PartialFourierOperator, type ComplexOperatorSpec } from '../complex/operator.js';
import type { ComplexA, ComplexSolveResult } from '../complex/solve.js';
import { checkComplexVector, ComplexMatrix } from '../js/complex/cmatrix.js';

// ------------------------------------------------------------- protocol

/** @internal Messages to a worker. Every one is answered by a 'done', 'stats', 'result' or 'fail' with its seq. */
export type ToWorker =
  | { t: 'init'; seq: number; module?: WasmModule; simd?: boolean }
  | { t: 'matrix'; seq: number; id: number; m: number; n: number; data: Float64Array; facts: MatrixFacts }
  | { t: 'operator'; seq: number; id: number; spec: StructuredSpec }
  | { t: 'drop'; seq: number; id: number }
  | { t: 'gramPart'; seq: number; id: number; j0: number; j1: number; pack: boolean }
  | { t: 'gramFill'; seq: number; id: number; parts: GramPart[] }
  | { t: 'gramLoad'; seq: number; id: number }
  | { t: 'stats'; seq: number }
  | { t: 'batch'; seq: number; id: number; solver: string; Y: Float64Array; index: number[]; opts: Record<string, unknown>; precompute?: boolean; out?: Float64Array }
  | { t: 'complexBatch'; seq: number; solver: string; A: ComplexOperatorSpec; Y: Float64Array; X0?: Float64Array; opts: Record<string, unknown> };

/** @internal Columns [j0, j1) of the upper triangle of a Gram matrix, packed (column j: rows 0..j). */
export interface GramPart {
  j0: number;
  j1: number;
  part: Float64Array;
}

/** @internal A solved chunk. */
export interface BatchReply {
  t: 'result';
  seq: number;
  X: Float64Array;
  supports: Int32Array;
  lens: Int32Array;
  residualNorm: Float64Array;
  iterations: Int32Array;
  status: Int8Array;
  errors: BatchColumnError[];
  precompute?: boolean;
}

/** @internal Messages from a worker (failures are `{ t: 'fail' }`, handled by the channel). */
export type FromWorker =
  | { t: 'done'; seq: number; build?: BuildName; part?: Float64Array }
  | { t: 'stats'; seq: number; matrices: number; bytes: number }
  | BatchReply;

/** The production worker: the literal `new Worker(new URL(...))` lets bundlers find and bundle the entry. */
const POOL_WORKER: WorkerSource = {
  node: () => {
    // a variable, not a literal, and webpackIgnore: bundlers must not take this Node branch for an asset or a worker
    const entry = import.meta.url.endsWith('.ts') ? './pool-worker.ts' : './pool-worker.js';
    return new URL(/* webpackIgnore: true */ entry, import.meta.url);
  },
  browser: () => new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module' }),
};

// ------------------------------------------------------------- pool

/** Options of SolverPool.create. */
export interface PoolOptions {
  /** Worker count, integer in [1, 64]. Default: the cores available (os.availableParallelism() or navigator.hardwareConcurrency), at most 8. */
  workers?: number;
  /**
   * Which build the workers run: undefined (default) = the module the main
   * thread loaded with init() (same build, same results); true / false = the
   * SIMD / scalar build loaded by each worker itself.
   */
  simd?: boolean;
  /** The worker script (browsers, bundlers, tests): default `new URL('./pool-worker.js', import.meta.url)`. */
  workerUrl?: string | URL;
  /**
   * Byte budget of the resident copies the pool keeps of the matrices it was
   * given (and of their Gram matrices, which only the workers hold), on the
   * main thread and in each worker: 8 (m n + n) per matrix, 8 n^2 per Gram
   * matrix (counted on the main thread too, as the workers' share). Beyond it the
   * least recently used copies not in use are dropped (a later call sends
   * them again). Default DEFAULT_RESIDENT_BYTES (256 MiB); a number >= 0.
   */
  residentBytes?: number;
  /**
   * `solve()`: how long (ms) the first request for an operator waits for
   * others to group with. Default DEFAULT_BATCH_WINDOW_MS (1); a number in [0, 1000].
   */
  batchWindowMs?: number;
  /**
   * `solve()`: most requests per group; a full group is sent at once.
   * 1 turns grouping off. Default DEFAULT_MAX_BATCH (64); an integer in [1, 65536].
   */
  maxBatch?: number;
  /**
   * Pass matrices, signals and results through SharedArrayBuffers: the
   * main thread copies A once into shared memory instead of cloning it for
   * each worker, and each batch passes Y and takes X through shared buffers
   * the pool reuses. (The Gram matrix does not travel whole either way: the
   * workers build it together and pass each other its column ranges.) Needs
   * SharedArrayBuffer (Node; browsers only when cross-origin isolated).
   * Default false: a worker frees a shared buffer only at its own garbage
   * collection, which in a worker comes late, so a process that gives the
   * pool a fresh matrix per call grows by a shared copy of each matrix
   * (scripts/pool-soak.ts: 1.2 GB over 300 batches of fresh 512 x 2048
   * matrices when Gram matrices were shared too, against flat with cloned
   * copies). Use it for operators that stay resident. Results are the same
   * either way.
   */
  sharedMemory?: boolean;
}

/** SharedArrayBuffer is there and usable (browsers: cross-origin isolated). */
export function sharedMemoryAvailable(): boolean {
  const g = globalThis as unknown as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean };
  return typeof g.SharedArrayBuffer === 'function' && g.crossOriginIsolated !== false;
}

/** A Float64Array of n zeros over a SharedArrayBuffer. */
function sharedF64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * 8));
}

/**
 * Default `residentBytes`: 256 MiB holds, for instance, four 2048 x 4096
 * matrices or a 4096 x 4096 matrix with its Gram matrix, while the copies a
 * process keeps for operators its caller has stopped using stay bounded.
 */
export const DEFAULT_RESIDENT_BYTES = 256 * 2 ** 20;
/**
 * Default `batchWindowMs`: a lone request waits at most 1 ms, about one plain
 * OMP solve at 256 x 1024 (k = 32) and well under an HTTP round trip, while
 * under load the requests of that millisecond go out as one Batch-OMP call.
 */
export const DEFAULT_BATCH_WINDOW_MS = 1;
/**
 * Default `maxBatch`: 64 signals of 256 x 1024 (k = 32) are about 17 ms of
 * Batch-OMP on one core, so a request never waits behind more than a few
 * tens of milliseconds of others', while a group is large enough that the
 * per-message cost (a few tens of microseconds) is negligible.
 */
export const DEFAULT_MAX_BATCH = 64;

// Chunks per worker in a batch: more chunks even out uneven columns (OMP
// stops early on some, and a worker may get less CPU than another), fewer
// save messages. Up to CHUNKS_PER_WORKER (then the chunk still running when
// the others are done is at most a quarter of a worker's share), but never
// chunks of fewer than CHUNK_MIN_COLUMNS columns while a worker can have 2:
// each chunk costs about 0.3 ms of CPU in messages and wake-ups (bench:pool
// at (256, 1024, 32), 100 signals on 2 workers: process CPU 32.2 ms a batch
// with 2 chunks, 34.1 with 8), which a small batch feels. Groups of single
// solves are small: one chunk per worker.
const CHUNKS_PER_WORKER = 4;
const CHUNK_MIN_COLUMNS = 32;
// Chunks a worker holds at once: it has its next chunk queued while it
// solves the current one, so it never waits for the main thread between
// chunks. When every core runs a worker the main thread gets a core only
// by preempting one, and a round trip between chunks cost about 1 ms at
// (256, 1024, 32) on a 2-core Intel Xeon (bench:pool, warm path: 2 workers
// over 1 went from 1.61 with one chunk at a time to 1.73-1.89 over 6 runs).
const PIPELINE_DEPTH = 2;
// Batch buffers kept for reuse (shared memory): a few, as many batches run at
// once as callers start; 16 MiB holds Y and X of 1000 signals at 1024 x 1024.
const KEEP_BUFFERS = 4;
const KEEP_BUFFER_BYTES = 16 * 2 ** 20;
// Columns per Gram-split piece are rounded to this: the 4-column blocks of
// assembly/gram.ts (GRAM_JB).
const GRAM_SPLIT_ALIGN = 4;

/**
 * Sizes of the chunks of `p` columns for `workers` workers: the equal cut
 * into min(p, workers * chunksPerWorker) contiguous chunks (sizes differ by
 * at most one). Each worker takes PIPELINE_DEPTH of them at first (half its
 * share with 4 chunks per worker) and one more whenever one is done.
 */
export function chunkSizes(p: number, workers: number, chunksPerWorker: number): number[] {
  const most = Math.max(1, Math.min(p, Math.max(1, workers) * chunksPerWorker));
  return Array.from({ length: most }, (_, c) => Math.floor(((c + 1) * p) / most) - Math.floor((c * p) / most));
}

/** Columns `cols` of a column-major block of `width` doubles a column, side by side in a new array. */
function gather(src: Float64Array, width: number, cols: number[]): Float64Array {
  const out = new Float64Array(width * cols.length);
  cols.forEach((j, i) => out.set(src.subarray(j * width, (j + 1) * width), i * width));
  return out;
}

class PoolWorker {
  ch!: Channel<ToWorker, FromWorker>;
  busy = false;
  /** Started and initialised: only such a worker takes tasks, and only such a worker is replaced when it dies. */
  ready = false;
  build: BuildName = 'simd';
  /** Matrix ids this worker holds, and those whose Gram matrix it holds. */
  readonly matrices = new Set<number>();
  readonly grams = new Set<number>();
  /** Matrix ids on their way to this worker: the load, settled once the worker holds it. */
  readonly loads = new Map<number, Promise<void>>();

  get dead(): boolean {
    return this.ch?.dead ?? false;
  }

  async start(src: WorkerSource, initMsg: Omit<Extract<ToWorker, { t: 'init' }>, 'seq'>, onDeath: (w: PoolWorker) => void): Promise<void> {
    this.ch = await Channel.open<ToWorker, FromWorker>(src, () => onDeath(this));
    const r = await this.request({ ...initMsg, seq: 0 } as ToWorker);
    if (r.t === 'done' && r.build) this.build = r.build;
    this.ready = true;
  }

  /** Stops the worker; every pending request rejects with `e` (browsers send no event for a terminated worker). */
  kill(e: Error): void {
    this.ch?.kill(e);
  }

  async request(msg: ToWorker, transfer?: Transferable[]): Promise<FromWorker> {
    try {
      return await this.ch.request(msg, transfer);
    } catch (e) {
      const er = e as Error;
      if (this.dead && !(er instanceof TypeError || er instanceof RangeError)) throw new Error(`sparse-pursuit pool: a worker failed: ${er.message}`);
      throw er;
    }
  }
}

/** Per matrix: its id, its data as the workers get it, and the Gram matrix once computed. No reference to the caller's Matrix. */
interface MatrixEntry {
  id: number;
  m: number;
  n: number;
  /** A (a shared copy with sharedMemory, else the caller's Matrix data); empty for a structured operator. */
  data: Float64Array;
  /** What the caller's Matrix computed of itself (norms, max |a_ij|), sent with A so that no worker reads A to find them again. */
  facts: MatrixFacts | null;
  /** A structured operator as the workers rebuild it (operatorFromSpec), with the WASM bytes it takes; null for a matrix. */
  spec: { spec: StructuredSpec; bytes: number } | null;
  /** The Gram matrix is built in the workers that took part (the others build it themselves when they need it). */
  gram: Promise<void> | null;
  /** The Gram matrix is computed (counted in bytes: the workers hold it). */
  gramDone: boolean;
  /** Calls using it now: never dropped while > 0. */
  pins: number;
  /** Dropped: a later call with the same Matrix makes a new entry. */
  dropped: boolean;
  /** Signals served by solve() (the precompute rule counts them). */
  served: number;
}

/**
 * Where G's columns are cut into `workers` ranges of about equal work
 * (column j costs j + 1 dot products: the triangle's area splits evenly),
 * rounded to GRAM_SPLIT_ALIGN: ascending cuts from 0 to n, one more than
 * the ranges (at most `workers`, some possibly empty).
 */
export function gramCuts(n: number, workers: number): number[] {
  const parts = Math.max(1, Math.min(workers, Math.floor(n / GRAM_SPLIT_ALIGN)));
  const cuts = [0];
  for (let q = 1; q < parts; q++) {
    const c = Math.round((n * Math.sqrt(q / parts)) / GRAM_SPLIT_ALIGN) * GRAM_SPLIT_ALIGN;
    cuts.push(Math.min(n, Math.max(cuts[q - 1], c)));
  }
  cuts.push(n);
  return cuts;
}

function entryBytes(e: MatrixEntry): number {
  if (e.spec) return e.spec.bytes;
  return operatorBytes(e.m, e.n) + (e.gramDone ? gramBytes(e.n) : 0);
}

/**
 * How the pool sends A: null for a matrix (its entries), the spec of a
 * structured operator (the workers rebuild it; no dense matrix travels).
 * An Operator.fromFunctions is refused: its functions cannot reach a worker.
 */
function poolSpec(fn: string, matrix: Matrix): { spec: StructuredSpec; bytes: number } | null {
  if (!(matrix instanceof OperatorMatrix)) return null;
  const op = matrix.operatorOf;
  const spec = op.spec();
  if (spec === null) {
    throw new TypeError(`${fn}: A must be a matrix or an operator the workers can rebuild (partialDct, convolution, normalized), received a ${op.kind} operator: its functions cannot be sent to a worker`);
  }
  return { spec, bytes: op.bytes };
}

function defaultWorkers(): number {
  const g = globalThis as unknown as { navigator?: { hardwareConcurrency?: number } };
  const hc = g.navigator?.hardwareConcurrency;
  return Math.max(1, Math.min(8, hc ?? 2));
}

/**
 * Options that cannot travel to a worker (functions, symbols, objects the
 * structured clone refuses) are refused here, before any work, instead of
 * failing every column in the workers.
 */
function checkCloneable(fn: string, opts: Record<string, unknown>): void {
  for (const key of Object.keys(opts)) {
    const v = opts[key];
    const t = typeof v;
    let why = '';
    if (t === 'function' || t === 'symbol') why = `a ${t}`;
    else if (t === 'object' && v !== null && !ArrayBuffer.isView(v)) {
      try {
        structuredClone(v);
      } catch (e) {
        why = `not cloneable (${(e as Error).message})`;
      }
    }
    if (why) {
      throw new TypeError(`${fn}: option ${key} cannot be sent to a worker: options of pool calls must be plain data (numbers, strings, booleans, arrays), received ${why}; call the single-thread form for callbacks`);
    }
  }
}

/** A canonical string of plain options: equal options give equal keys. */
function optionsKey(o: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(o).sort().map((k) => {
    const v = o[k];
    return [k, ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v];
  }));
}

/** Requests for one (solver, operator, options) waiting to go out together. */
interface Group {
  solver: string;
  matrix: Matrix;
  entry: MatrixEntry;
  opts: Record<string, unknown>;
  warm: boolean;
  ys: Float64Array[];
  x0s: Float64Array[];
  waiters: Array<{ resolve(r: SolveResult): void; reject(e: Error): void }>;
  timer: ReturnType<typeof setTimeout> | null;
}

/** What the pool holds resident, from `pool.resident()`. */
export interface PoolResident {
  /** Matrices with a copy on the main thread, and their bytes (matrix and Gram matrix, as residentBytes counts them). */
  matrices: number;
  bytes: number;
  /** The same, as each live worker reports it. */
  workers: Array<{ matrices: number; bytes: number }>;
}

/**
 * A pool of workers that solves batches in parallel. Create it with
 * `await SolverPool.create({ workers })`, then `await pool.ompBatch(A, Y,
 * opts)` or `await pool.solveBatch('iht', A, Y, opts)`, or one signal at a
 * time with `await pool.solve('omp', A, y, opts)` (concurrent requests for the
 * same operator are grouped into one batch call); `await pool.terminate()` at
 * the end. Results equal the single-thread `ompBatch` / `solveBatch` bit for
 * bit, in column order, whatever the number of workers.
 *
 * Errors: bad arguments throw (reject) as in the single-thread forms; a
 * signal that fails in a worker (the worker throws or dies) is reported by
 * its index in `errors` with status 'error' while every other column is
 * solved. A dead worker is replaced; a chunk it was solving is retried one
 * column at a time so that only the failing column is lost.
 */
export class SolverPool {
  private workers: PoolWorker[] = [];
  private readonly entries = new WeakMap<Matrix, MatrixEntry>();
  /** Live entries, least recently used first. */
  private readonly live = new Map<number, MatrixEntry>();
  private readonly gone = new FinalizationRegistry<number>((id) => this.dropId(id));
  private readonly groups = new Map<string, Group>();
  private nextId = 1;
  private closed = false;
  private waiting: Array<{ resolve(w: PoolWorker): void; reject(e: Error): void }> = [];
  /** Shared buffers for the Y and X of batches, reused (one per batch in flight). */
  private freeBuffers: Float64Array[] = [];

  private constructor(
    private readonly src: WorkerSource,
    private readonly initMsg: Omit<Extract<ToWorker, { t: 'init' }>, 'seq'>,
    private readonly budget: number,
    private readonly windowMs: number,
    private readonly maxBatch: number,
    private readonly shared: boolean,
  ) {}

  /** Starts the workers (and loads the WASM module on the main thread if init() was not called). */
  static async create(options: PoolOptions = {}): Promise<SolverPool> {
    const fn = 'SolverPool.create';
    if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object, received ${describe(options)}`);
    let count: number;
    if (options.workers === undefined) {
      if (isNode()) {
        const os = await nodeBuiltin<typeof import('node:os')>('node:os');
        count = Math.max(1, Math.min(8, os.availableParallelism ? os.availableParallelism() : os.cpus().length));
      } else count = defaultWorkers();
    } else count = checkInt(fn, 'workers', options.workers, 1, 64);
    if (options.simd !== undefined && typeof options.simd !== 'boolean') {
      throw new TypeError(`${fn}: simd must be a boolean or undefined, received ${describe(options.simd)}`);
    }
    const url = options.workerUrl;
    if (url !== undefined && typeof url !== 'string' && !(url instanceof URL)) {
      throw new TypeError(`${fn}: workerUrl must be a string or URL, received ${describe(url)}`);
    }
    const budget = options.residentBytes === undefined ? DEFAULT_RESIDENT_BYTES : checkNumber(fn, 'residentBytes', options.residentBytes, 0, Number.MAX_SAFE_INTEGER);
    const windowMs = options.batchWindowMs === undefined ? DEFAULT_BATCH_WINDOW_MS : checkNumber(fn, 'batchWindowMs', options.batchWindowMs, 0, 1000);
    const maxBatch = options.maxBatch === undefined ? DEFAULT_MAX_BATCH : checkInt(fn, 'maxBatch', options.maxBatch, 1, 65536);
    if (options.sharedMemory !== undefined && typeof options.sharedMemory !== 'boolean') {
      throw new TypeError(`${fn}: sharedMemory must be a boolean or undefined, received ${describe(options.sharedMemory)}`);
    }
    if (options.sharedMemory === true && !sharedMemoryAvailable()) {
      throw new RangeError(`${fn}: sharedMemory: true needs SharedArrayBuffer (browsers: a cross-origin isolated page)`);
    }
    const shared = options.sharedMemory ?? false;
    let initMsg: Omit<Extract<ToWorker, { t: 'init' }>, 'seq'>;
    if (options.simd === undefined) {
      await init();
      initMsg = { t: 'init', module: wasmModule() };
    } else initMsg = { t: 'init', simd: options.simd };
    const pool = new SolverPool(url === undefined ? POOL_WORKER : sourceAt(url), initMsg, budget, windowMs, maxBatch, shared);
    try {
      await Promise.all(Array.from({ length: count }, () => pool.addWorker()));
    } catch (e) {
      await pool.terminate();
      throw e;
    }
    return pool;
  }

  private async addWorker(): Promise<PoolWorker> {
    const w = new PoolWorker();
    this.workers.push(w);
    await w.start(this.src, this.initMsg, (dead) => this.replace(dead));
    return w;
  }

  private replace(dead: PoolWorker): void {
    const i = this.workers.indexOf(dead);
    if (i >= 0) this.workers.splice(i, 1);
    if (this.closed || !dead.ready) {
      this.wake();
      return;
    }
    // the replacement gets matrices and Gram matrices on demand
    this.addWorker().then(() => this.wake(), () => this.wake());
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /** The build the workers run ('relaxed', 'simd' or 'scalar', as reported by each worker's module). */
  get build(): BuildName {
    return this.workers[0]?.build ?? backendInfo().build;
  }

  /**
   * Hands idle workers to waiting tasks, first come first served (a task
   * that waited longest gets the next free worker, so no request starves
   * behind later ones); rejects them all once the pool is closed or empty.
   */
  private wake(): void {
    while (this.waiting.length > 0) {
      if (this.closed || this.workers.length === 0) {
        const e = new Error(this.closed ? 'sparse-pursuit pool: the pool was terminated' : 'sparse-pursuit pool: no worker is left (every worker failed to start)');
        for (const t of this.waiting.splice(0)) t.reject(e);
        return;
      }
      const w = this.workers.find((q) => !q.busy && !q.dead && q.ready);
      if (!w) return;
      w.busy = true;
      this.waiting.shift()!.resolve(w);
    }
  }

  /** Waits for an idle live worker and marks it busy. */
  private acquire(): Promise<PoolWorker> {
    return new Promise<PoolWorker>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.wake();
    });
  }

  private idle(w: PoolWorker): void {
    w.busy = false;
    this.wake();
  }

  // ----------------------------------------------------------- resident copies

  /**
   * The entry of `matrix`, pinned (unpin() when the call is done). `owned`:
   * the caller holds this Matrix (it may come again); otherwise the entry is
   * dropped at unpin.
   */
  private pin(matrix: Matrix, owned: boolean, spec: { spec: StructuredSpec; bytes: number } | null): MatrixEntry {
    let e = owned ? this.entries.get(matrix) : undefined;
    if (!e || e.dropped) {
      let data = spec ? new Float64Array(0) : matrix.data;
      if (this.shared && !spec) {
        data = sharedF64(data.length);
        data.set(matrix.data);
      }
      let facts: MatrixFacts | null = null;
      if (!spec) {
        // computed once per Matrix (the batch's column screen needs them too)
        matrix.colNorms();
        matrix.maxAbs();
        matrix.columnRangeIssue();
        facts = matrix.facts();
      }
      e = { id: this.nextId++, m: matrix.m, n: matrix.n, data, facts, spec, gram: null, gramDone: false, pins: 0, dropped: false, served: 0 };
      if (owned) {
        this.entries.set(matrix, e);
        this.gone.register(matrix, e.id);
      }
    }
    this.live.delete(e.id);
    this.live.set(e.id, e);
    e.pins++;
    if (!owned) e.served = -1; // marks a one-call entry
    this.trim();
    return e;
  }

  private unpin(e: MatrixEntry): void {
    e.pins--;
    if (e.served === -1 && e.pins === 0) this.drop(e);
    else this.trim();
  }

  /** Drops least recently used entries not in use while the resident bytes exceed the budget. */
  private trim(): void {
    let total = 0;
    for (const e of this.live.values()) total += entryBytes(e);
    for (const e of this.live.values()) {
      if (total <= this.budget) break;
      if (e.pins > 0) continue;
      total -= entryBytes(e);
      this.drop(e);
    }
  }

  private dropId(id: number): void {
    const e = this.live.get(id);
    if (e && e.pins === 0) this.drop(e);
    else if (e) e.served = -1; // in use: dropped at unpin
  }

  /** Forgets an entry here and in every worker that holds it. */
  private drop(e: MatrixEntry): void {
    if (e.dropped) return;
    e.dropped = true;
    this.live.delete(e.id);
    e.data = new Float64Array(0);
    e.facts = null;
    e.gram = null;
    for (const w of this.workers) {
      if (w.dead || !(w.matrices.has(e.id) || w.loads.has(e.id))) continue; // a drop follows a load on its way
      w.matrices.delete(e.id);
      w.loads.delete(e.id);
      w.grams.delete(e.id);
      w.request({ t: 'drop', seq: 0, id: e.id }).catch(() => undefined);
    }
  }

  /**
   * What the pool holds resident: its own copies and, asked now, each
   * worker's. For monitoring a long-running process; bounded by
   * `residentBytes` apart from the matrices of calls in progress.
   */
  async resident(): Promise<PoolResident> {
    let bytes = 0;
    for (const e of this.live.values()) bytes += entryBytes(e);
    const workers = await Promise.all(this.workers.filter((w) => w.ready && !w.dead).map(async (w) => {
      const r = await w.request({ t: 'stats', seq: 0 });
      return r.t === 'stats' ? { matrices: r.matrices, bytes: r.bytes } : { matrices: 0, bytes: 0 };
    }));
    return { matrices: this.live.size, bytes, workers };
  }

  /** Sends A to `w` (a worker answers in order: whatever is sent to it next finds A there). */
  private load(w: PoolWorker, e: MatrixEntry): Promise<void> {
    let p = w.loads.get(e.id);
    if (p) return p;
    p = w.request(e.spec ? { t: 'operator', seq: 0, id: e.id, spec: e.spec.spec }
      : { t: 'matrix', seq: 0, id: e.id, m: e.m, n: e.n, data: e.data, facts: e.facts ?? { norms: null, maxAbs: null, rangeIssue: undefined } })
      .then(() => {
        if (w.loads.get(e.id) === p) {
          w.loads.delete(e.id);
          if (!e.dropped) w.matrices.add(e.id);
        }
      }, (err: unknown) => {
        if (w.loads.get(e.id) === p) w.loads.delete(e.id);
        throw err;
      });
    w.loads.set(e.id, p);
    return p;
  }

  /**
   * Sends A at once to every worker that lacks it, busy or not, when a call
   * will give each of them columns: its copy is then on its way while this
   * thread screens the signals and plans the call.
   */
  private preload(e: MatrixEntry, columns: number): void {
    if (columns < this.workers.length) return;
    for (const w of this.workers) {
      if (w.ready && !w.dead && !w.matrices.has(e.id)) this.load(w, e).catch(() => undefined); // reported by the request that needs it
    }
  }

  /**
   * Sends `msg` to `w`, preceded by A when `w` does not hold it yet: both go
   * out at once (a worker answers in order), so sending A costs no round
   * trip of its own; a failure to load A is the error reported.
   */
  private async requestWith(w: PoolWorker, e: MatrixEntry, msg: ToWorker, transfer?: Transferable[]): Promise<FromWorker> {
    if (w.matrices.has(e.id)) return w.request(msg, transfer);
    const load = this.load(w, e);
    const reply = w.request(msg, transfer);
    try {
      await load;
    } catch (err) {
      reply.catch(() => undefined);
      throw err;
    }
    return reply;
  }

  /**
   * G = A^T A, built once per matrix by the workers together and held only by
   * them: each computes column ranges of G's upper triangle in place, then
   * gets the ranges the others computed (packed triangles, handed on without
   * a copy on this thread when one worker needs them) and mirrors.
   */
  private gram(e: MatrixEntry): Promise<void> {
    if (!e.gram) {
      const g = this.computeGram(e);
      e.gram = g;
      g.then(() => {
        if (e.gram === g) {
          e.gramDone = true;
          this.trim();
        }
      }, () => {
        if (e.gram === g) e.gram = null;
      });
    }
    return e.gram;
  }

  private async computeGram(e: MatrixEntry): Promise<void> {
    const cuts = gramCuts(e.n, this.workers.length);
    // one range: the worker that computes it holds all of G at once, and sends nothing back
    const pack = cuts.filter((c, q) => q > 0 && c > cuts[q - 1]).length > 1;
    const parts: GramPart[] = [];
    const built = new Map<PoolWorker, Set<number>>();
    await Promise.all(cuts.slice(0, -1).map(async (j0, q) => {
      const j1 = cuts[q + 1];
      if (j1 <= j0) return;
      const w = await this.acquire();
      try {
        const r = await this.requestWith(w, e, { t: 'gramPart', seq: 0, id: e.id, j0, j1, pack });
        if (r.t !== 'done' || (pack && !r.part)) throw new Error('sparse-pursuit pool: a worker sent no Gram part');
        parts[q] = { j0, j1, part: r.part ?? new Float64Array(0) };
        if (!built.has(w)) built.set(w, new Set());
        built.get(w)!.add(q);
      } finally {
        this.idle(w);
      }
    }));
    this.fillGram(e, parts, built);
  }

  /**
   * Sends each worker that built part of G the parts it lacks: cloned for
   * all but the last worker that needs a part, which gets it transferred.
   * The worker counts as holding G at once (its next tasks queue behind the
   * fill); should the fill fail there, a batch on the Gram path builds G
   * whole in that worker (the same bits). A worker that built every part
   * holds G already (it installs G once its columns cover it) and is sent
   * nothing.
   */
  private fillGram(e: MatrixEntry, parts: GramPart[], built: Map<PoolWorker, Set<number>>): void {
    const last = new Map<number, PoolWorker>();
    for (const [w, own] of built) parts.forEach((_, q) => { if (!own.has(q)) last.set(q, w); });
    for (const [w, own] of built) {
      const lack = parts.map((_, q) => q).filter((q) => parts[q] && !own.has(q));
      const transfer = lack.filter((q) => last.get(q) === w).map((q) => parts[q].part.buffer);
      if (e.dropped || w.dead) continue;
      w.grams.add(e.id);
      if (lack.length === 0) continue;
      w.request({ t: 'gramFill', seq: 0, id: e.id, parts: lack.map((q) => parts[q]) }, transfer).catch(() => w.grams.delete(e.id));
    }
  }

  private async ensureGram(w: PoolWorker, e: MatrixEntry): Promise<void> {
    if (w.grams.has(e.id)) return;
    await this.gram(e);
    if (w.grams.has(e.id)) return;
    await this.requestWith(w, e, { t: 'gramLoad', seq: 0, id: e.id });
    w.grams.add(e.id);
  }

  // ----------------------------------------------------------- batches

  /**
   * ompBatch on the pool: OMP on every column of Y (m x p). Same options and
   * result as `ompBatch` (the precompute choice is made here for the whole
   * batch; the Gram matrix is computed once per matrix by the workers
   * together and kept while the matrix stays resident).
   */
  async ompBatch(A: OperatorLike, Y: BlockLike, opts: OmpBatchOptions): Promise<OmpBatchResult> {
    return (await this.batch('SolverPool.ompBatch', 'omp', A, Y, opts as SolveBatchOptions)) as OmpBatchResult;
  }

  /** solveBatch on the pool: any registered solver on every column of Y (m x p). */
  async solveBatch(solver: string, A: OperatorLike, Y: BlockLike, opts: SolveBatchOptions): Promise<BatchResult> {
    const fn = 'SolverPool.solveBatch';
    checkSolver(fn, solver);
    return this.batch(fn, solver, A, Y, opts);
  }

  private async batch(fn: string, solver: string, A: OperatorLike, Y: BlockLike, opts: SolveBatchOptions): Promise<BatchResult> {
    if (this.closed) throw new Error(`${fn}: the pool was terminated`);
    const a = prepareBatch(fn, A, Y, opts, descriptorOf(solver as SolverName));
    const owned = A instanceof Matrix || A instanceof Operator;
    const { onError: _o, precompute: _p, X0: _x, ...rest } = opts as OmpBatchOptions & Record<string, unknown>;
    checkCloneable(fn, rest);
    const X0 = toWarmStarts(fn, opts.X0, a.matrix.n, a.p, opts.x0);
    if (solver === 'omp') {
      for (const w of ['x0', 'X0'] as const) {
        const v = (opts as Record<string, unknown>)[w];
        if (v !== undefined) throw new TypeError(`${fn}: ${w} is not supported by OMP (it takes no warm start), received ${describe(v)}`);
      }
    }
    const e = this.pin(a.matrix, owned, poolSpec(fn, a.matrix));
    try {
      const perWorker = Math.min(CHUNKS_PER_WORKER, Math.max(2, Math.floor(a.p / (this.workers.length * CHUNK_MIN_COLUMNS))));
      return await this.run(a, solver, e, rest, X0, (opts as OmpBatchOptions).precompute, 0, perWorker);
    } finally {
      this.unpin(e);
    }
  }

  /**
   * Solves the good columns of a checked batch on the workers. `served`:
   * signals the operator served before (solve()), counted by the precompute
   * rule.
   */
  private async run(
    a: BatchArgs, solver: string, e: MatrixEntry, rest: Record<string, unknown>, X0: Float64Array | null,
    pre: unknown, served: number, chunksPerWorker: number,
  ): Promise<BatchResult> {
    const { fn, matrix, k } = a;
    if (a.backend !== 'wasm') throw new RangeError(`${fn}: backend must be 'wasm' in a pool, received '${a.backend}'`);
    const { m, n } = matrix;
    this.preload(e, a.p);
    const { good, errors } = screenColumns(fn, a.data, m, a.p, a.onError, matrix);
    let precompute: boolean | undefined;
    if (solver === 'omp') {
      if (X0) throw new TypeError(`${fn}: x0 / X0 are not supported by OMP (it takes no warm start)`);
      const p0 = pre ?? 'auto';
      if (p0 !== 'auto' && typeof p0 !== 'boolean') throw new TypeError(`${fn}: precompute must be 'auto', true or false, received ${describe(p0)}`);
      if (p0 === true && gramBytes(n) > GRAM_MAX_BYTES) {
        throw new RangeError(`${fn}: precompute: true needs a Gram matrix of 8 n^2 = ${gramBytes(n)} bytes, above GRAM_MAX_BYTES = ${GRAM_MAX_BYTES}; use precompute: false or 'auto'`);
      }
      if (e.spec && p0 === true) {
        throw new TypeError(`${fn}: precompute: true needs the Gram matrix of a dense A: expected a Matrix or Operator.dense, received a ${e.spec.spec.kind} operator (use precompute: false or 'auto')`);
      }
      // a structured operator has no Gram matrix: its OMP solves run the plain path, column by column
      precompute = e.spec ? false : p0 === 'auto' ? ompBatchPlan(m, n, k, served + good.length, e.gram !== null).precompute : p0;
    }
    if (precompute && good.length > 0) await this.gram(e); // before any chunk holds a worker
    const res = emptyBatch(n, a.p);
    if (precompute !== undefined) (res as OmpBatchResult).precompute = precompute;
    res.errors = errors;
    if (good.length === 0) return res;
    // shared memory: the good columns of Y, then their X, in one reused buffer
    const g = good.length;
    const buf = this.shared ? this.takeBuffer((m + n) * g) : null;
    if (buf) good.forEach((j, i) => buf.set(a.data.subarray(j * m, (j + 1) * m), i * m));
    try {
      await this.runChunks(fn, res, n, good, chunksPerWorker, async (w, lo, hi, cols) => {
        if (precompute) await this.ensureGram(w, e);
        const Yc = buf ? buf.subarray(lo * m, hi * m) : gather(a.data, m, cols);
        const out = buf ? buf.subarray(m * g + lo * n, m * g + hi * n) : undefined;
        const chunkOpts = X0 ? { ...rest, X0: gather(X0, n, cols) } : rest;
        const reply = await this.requestWith(
          w, e, { t: 'batch', seq: 0, id: e.id, solver, Y: Yc, index: cols, opts: chunkOpts, precompute, out },
          buf ? [] : [Yc.buffer],
        );
        return { reply, X: out ?? (reply.t === 'result' ? reply.X : new Float64Array(0)) };
      });
    } finally {
      if (buf) this.giveBuffer(buf);
    }
    return res;
  }

  /**
   * Solves columns `good` of a batch on the workers, in contiguous chunks
   * (chunkSizes), into `res` (whose `errors` hold the screen's; X has `width`
   * doubles a column). `send` sends the chunk of positions [lo, hi) of `good`
   * (columns `cols`) to worker `w` and returns its reply and X.
   *
   * Each worker taken holds up to PIPELINE_DEPTH chunks at once (a worker
   * answers in order), and takes the next one as each is done; it takes no
   * more once another task waits for a worker, and is handed on when its
   * chunks are done (the rest of the batch waits its turn). A worker starting
   * on the batch takes a second chunk only if enough are left for the
   * workers still to come, so that the first round is spread over them all.
   *
   * A TypeError or RangeError (bad options: the same for every column) is
   * thrown once every chunk sent has settled, and stops further chunks; a
   * chunk lost with its worker is retried one column at a time, so that only
   * a failing column is lost; any other failure is an error of each column of
   * its chunk. A chunk lost while it was only queued behind the one its
   * worker was solving is sent again as it was.
   */
  private async runChunks(
    fn: string, res: BatchResult, width: number, good: number[], chunksPerWorker: number,
    send: (w: PoolWorker, lo: number, hi: number, cols: number[]) => Promise<{ reply: FromWorker; X: Float64Array }>,
  ): Promise<void> {
    const queue: Array<[number, number]> = [];
    let at = 0;
    for (const size of chunkSizes(good.length, this.workers.length, chunksPerWorker)) {
      queue.push([at, at + size]);
      at += size;
    }
    const failures: BatchColumnError[] = [];
    let fatal: Error | null = null;
    let closed = false;
    const store = (cols: number[], reply: FromWorker, Xc: Float64Array): void => {
      if (reply.t !== 'result') return;
      let o = 0;
      cols.forEach((j, i) => {
        const len = reply.lens[i];
        res.X.set(Xc.subarray(i * width, (i + 1) * width), j * width);
        res.support[j] = reply.supports.slice(o, o + len);
        o += len;
        res.residualNorm[j] = reply.residualNorm[i];
        res.iterations[j] = reply.iterations[i];
        const s = reply.status[i];
        res.status[j] = s < 0 ? 'error' : STATUS_NAMES[s];
      });
      for (const er of reply.errors) failures.push({ ...er, index: cols[er.index] });
    };
    // a chunk's outcome; never rejects (failures are recorded). `sent`: the
    // chunks sent to `w` in this round, in order, less those that came back:
    // when `w` dies, the first of them is the one it was solving, and the
    // others were only queued behind it
    const runChunk = async (w: PoolWorker, lo: number, hi: number, sent: object[]): Promise<void> => {
      const cols = good.slice(lo, hi);
      const token = {};
      sent.push(token);
      try {
        const { reply, X } = await send(w, lo, hi, cols);
        sent.splice(sent.indexOf(token), 1);
        store(cols, reply, X);
      } catch (err) {
        const er = err as Error;
        const running = sent[0] === token; // failed chunks stay in `sent`: the others see they were behind one
        if (this.closed) closed = true;
        else if (er instanceof TypeError || er instanceof RangeError) fatal ??= er; // bad options: the same for every column
        else if (w.dead && !running) queue.push([lo, hi]); // lost while queued: sent again as it was
        else if (w.dead && cols.length > 1) {
          // retried one column at a time, so that only a failing column is lost
          for (let i = lo; i < hi; i++) queue.push([i, i + 1]);
        } else for (const j of cols) failures.push({ index: j, name: er.name, message: er.message });
      }
    };
    let toStart = Math.min(this.workers.length, queue.length);
    const drive = async (): Promise<void> => {
      let first = true;
      while (queue.length > 0 && !fatal && !closed) {
        const w = await this.acquire();
        if (first) {
          first = false;
          toStart--;
        }
        const flying = new Set<Promise<void>>();
        const sent: object[] = [];
        let posted = 0;
        for (;;) {
          // the first chunk of the round in any case; more only while no other task waits
          while (
            queue.length > 0 && !fatal && !closed && !w.dead && flying.size < PIPELINE_DEPTH
            && (posted === 0 || (this.waiting.length === 0 && queue.length > toStart))
          ) {
            posted++;
            const [lo, hi] = queue.shift()!;
            const c: Promise<void> = runChunk(w, lo, hi, sent).then(() => void flying.delete(c));
            flying.add(c);
          }
          if (flying.size === 0) break;
          await Promise.race(flying);
        }
        this.idle(w);
      }
    };
    try {
      await Promise.all(Array.from({ length: toStart }, drive));
    } catch (e) {
      // acquire() rejects when the pool is terminated or left without workers
      if (this.closed) throw new Error(`${fn}: the pool was terminated`);
      throw e;
    }
    if (closed) throw new Error(`${fn}: the pool was terminated`);
    if (fatal) throw fatal;
    res.errors = [...res.errors, ...failures].sort((x, y) => x.index - y.index);
    for (const er of failures) res.status[er.index] = 'error';
  }

  /** A shared buffer of at least `len` f64 for one batch (reused: giveBuffer() when every chunk has settled). */
  private takeBuffer(len: number): Float64Array {
    const i = this.freeBuffers.findIndex((b) => b.length >= len);
    if (i >= 0) return this.freeBuffers.splice(i, 1)[0].subarray(0, len);
    return sharedF64(len);
  }

  /** Keeps a batch buffer for the next batches: at most KEEP_BUFFERS of at most KEEP_BUFFER_BYTES each. */
  private giveBuffer(b: Float64Array): void {
    const whole = new Float64Array(b.buffer);
    if (this.closed || whole.byteLength > KEEP_BUFFER_BYTES) return;
    this.freeBuffers.push(whole);
    if (this.freeBuffers.length > KEEP_BUFFERS) this.freeBuffers.sort((x, y) => y.length - x.length).pop();
  }

  // ----------------------------------------------------------- complex batches

  /**
   * complexSolveBatch on the pool: complex solver `name` ('omp', 'iht', ...)
   * on every column of Y, split into one contiguous chunk of columns per
   * worker; each worker runs complexSolveBatch on its chunk, so column j is
   * bit for bit the in-thread complexSolveBatch's (and the single solve's).
   * Same arguments, options (`X0` split by column, `onError` across chunks)
   * and result. A travels with each chunk (a ComplexMatrix as its entries, a
   * partial Fourier operator as its spec, rebuilt in the worker): once per
   * worker per call; nothing of it stays resident.
   *
   * The batch's own arguments are checked here before any worker is asked;
   * the solver's options (k, tol, ...) are checked by the solver in the
   * workers, and a bad one rejects the call with the solver's own error, as
   * it throws in-thread.
   */
  async complexSolveBatch(name: ComplexSolverName, A: ComplexA, Y: ComplexBlockLike, opts: ComplexSolveBatchOptions): Promise<ComplexBatchResult> {
    return this.complexBatch('SolverPool.complexSolveBatch', name, A, Y, opts);
  }

  /**
   * One complex signal on the pool: the column of a one-column
   * complexSolveBatch, sent to a worker at once (no grouping). x, support,
   * residualNorm, iterations and status equal complexSolver(A, y, opts)'s bit
   * for bit; `x0` (or SEA's `init`) is the warm start, X0 is not taken.
   */
  async complexSolve(name: ComplexSolverName, A: ComplexA, y: ArrayLike<number>, opts: ComplexSolveBatchOptions): Promise<ComplexSolveResult> {
    const fn = 'SolverPool.complexSolve';
    const X0 = (opts as { X0?: unknown } | null | undefined)?.X0;
    if (X0 !== undefined) throw new TypeError(`${fn}: X0 is for batches; pass one warm start as x0, received ${describe(X0)}`);
    // y checked against A's rows when A is one (a bad A is refused by the batch checks)
    const yv = A instanceof ComplexMatrix || A instanceof PartialFourierOperator ? checkComplexVector(fn, 'y', y, A.m) : new Float64Array(0);
    const r = await this.complexBatch(fn, name, A, yv, opts);
    if (r.status[0] === 'error') {
      const er = r.errors[0];
      throw errorFrom(er?.name ?? 'Error', er?.message ?? `${fn}: the signal could not be solved`);
    }
    return { x: r.X, support: r.support[0], residualNorm: r.residualNorm[0], iterations: r.iterations[0], status: r.status[0] as ComplexSolveResult['status'] };
  }

  private async complexBatch(fn: string, name: unknown, A: unknown, Y: unknown, opts: unknown): Promise<ComplexBatchResult> {
    if (this.closed) throw new Error(`${fn}: the pool was terminated`);
    const a = prepareComplexBatch(fn, name, A, Y, opts);
    checkCloneable(fn, a.solverOpts);
    const spec = complexSpecOf(a.A);
    const { m, width, X0 } = a;
    const res = emptyComplexBatch(a.n, a.p, a.realX, a.errors);
    if (a.good.length === 0) return res;
    await this.runChunks(fn, res, width, a.good, 1, async (w, _lo, _hi, cols) => {
      const Yc = gather(a.data, 2 * m, cols);
      const X0c = X0 ? gather(X0, width, cols) : undefined;
      const reply = await w.request(
        { t: 'complexBatch', seq: 0, solver: a.name, A: spec, Y: Yc, X0: X0c, opts: a.solverOpts },
        X0c ? [Yc.buffer, X0c.buffer] : [Yc.buffer],
      );
      return { reply, X: reply.t === 'result' ? reply.X : new Float64Array(0) };
    });
    return res;
  }

  // ----------------------------------------------------------- single signals

  /**
   * One signal on the pool: a Promise of the result of `solver` on (A, y),
   * as the single-thread function returns it. Requests that arrive within
   * `batchWindowMs` for the same operator (the same Matrix or Operator
   * object; rows given as number[][] are never grouped), the same solver and
   * equal options go to the workers as one batch call of at most `maxBatch`
   * signals; each request gets its own column.
   *
   * Results: bit for bit those of the single-thread batch form of the same
   * solver on that one signal, which for every solver but OMP's Gram path
   * equals the single solve (`iht(A, y, opts)` etc.) bit for bit. OMP takes
   * the Gram (Batch-OMP) path once the operator's Gram matrix exists or the
   * signals it has served make it pay for itself (`ompBatchPlan` with the
   * count of signals served so far); there it equals `omp` to rounding
   * (about 1e-13 relative). `precompute: false` keeps OMP on the plain path,
   * bit for bit `omp`.
   *
   * @param solver a registered solver name ('omp', 'iht', ...)
   * @param A the operator: a Matrix or resident Operator the caller keeps, or rows (number[][])
   * @param y the signal, length m
   * @param opts the solver's options (plain data only), plus `precompute` for OMP
   */
  async solve(solver: string, A: OperatorLike, y: ArrayLike<number>, opts: SolveBatchOptions): Promise<SolveResult> {
    const fn = 'SolverPool.solve';
    checkSolver(fn, solver);
    if (this.closed) throw new Error(`${fn}: the pool was terminated`);
    const { matrix } = resolveMatrix(fn, A);
    const yv = toVector(fn, 'y', y, matrix.m);
    const { x0, onError: _o, X0, ...rest } = (opts ?? {}) as SolveBatchOptions & { x0?: unknown };
    if (X0 !== undefined) throw new TypeError(`${fn}: X0 is for batches; pass one warm start as x0, received ${describe(X0)}`);
    if (solver === 'omp' && x0 !== undefined) throw new TypeError(`${fn}: x0 is not supported by OMP (it takes no warm start), received ${describe(x0)}`);
    const x0v = x0 === undefined ? null : toVector(fn, 'x0', x0, matrix.n);
    // the batch checks (k, tol, maxIter, backend, the signal's scale) on this one signal, now
    const a = prepareBatch(fn, A, yv, rest, descriptorOf(solver as SolverName));
    screenColumns(fn, a.data, matrix.m, 1, 'throw', matrix);
    if (a.backend !== 'wasm') throw new RangeError(`${fn}: backend must be 'wasm' in a pool, received '${a.backend}'`);
    checkCloneable(fn, rest);
    const owned = A instanceof Matrix || A instanceof Operator;
    const e = this.pin(matrix, owned, poolSpec(fn, matrix));
    const key = `${solver}|${e.id}|${x0v ? 1 : 0}|${optionsKey(rest)}`;
    let g = this.groups.get(key);
    if (!g) {
      g = { solver, matrix, entry: e, opts: rest, warm: x0v !== null, ys: [], x0s: [], waiters: [], timer: null };
      this.groups.set(key, g);
    } else this.unpin(e); // the group holds one pin
    g.ys.push(yv === y ? yv.slice() : yv);
    if (x0v) g.x0s.push(x0v === x0 ? x0v.slice() : x0v);
    const done = new Promise<SolveResult>((resolve, reject) => g!.waiters.push({ resolve, reject }));
    if (g.ys.length >= this.maxBatch) this.flush(key, g);
    else if (!g.timer) {
      const grp = g;
      g.timer = setTimeout(() => this.flush(key, grp), this.windowMs);
    }
    return done;
  }

  /** Sends a group of single solves as one batch and settles each request with its column. */
  private flush(key: string, g: Group): void {
    if (this.groups.get(key) === g) this.groups.delete(key);
    if (g.timer) clearTimeout(g.timer);
    g.timer = null;
    const { m, n } = g.matrix;
    const p = g.ys.length;
    const Y = new Float64Array(m * p);
    g.ys.forEach((y, j) => Y.set(y, j * m));
    let X0: Float64Array | null = null;
    if (g.warm) {
      X0 = new Float64Array(n * p);
      g.x0s.forEach((x, j) => X0!.set(x, j * n));
    }
    const fn = 'SolverPool.solve';
    const e = g.entry;
    const served = Math.max(0, e.served);
    const { precompute, ...rest } = g.opts as Record<string, unknown> & { precompute?: unknown };
    const work = (async () => {
      const a = prepareBatch(fn, g.matrix, Y, { ...rest, onError: 'collect' }, descriptorOf(g.solver as SolverName));
      return this.run(a, g.solver, e, rest, X0, precompute, served, 1);
    })();
    if (e.served >= 0) e.served += p;
    work.then((r) => {
      g.waiters.forEach((wt, j) => {
        if (r.status[j] === 'error') {
          const er = r.errors.find((q) => q.index === j);
          wt.reject(errorFrom(er?.name ?? 'Error', er?.message ?? `${fn}: the signal could not be solved`));
        } else {
          wt.resolve({ x: r.X.slice(j * n, (j + 1) * n), support: r.support[j], residualNorm: r.residualNorm[j], iterations: r.iterations[j], status: r.status[j] as SolveResult['status'] });
        }
      });
    }, (err: unknown) => {
      for (const wt of g.waiters) wt.reject(err as Error);
    }).finally(() => this.unpin(e));
  }

  /** Drops the pool's copies of A (and of its Gram matrix), here and in the workers. The pool still accepts A later (it is sent again). */
  async release(A: OperatorLike): Promise<void> {
    if (this.closed) return;
    const matrix = A instanceof Operator ? A.matrix : A;
    if (!(matrix instanceof Matrix)) return;
    const e = this.entries.get(matrix);
    if (!e) return;
    this.entries.delete(matrix);
    this.gone.unregister(matrix);
    if (e.pins === 0) this.drop(e);
    else e.served = -1;
  }

  /** Stops every worker; pending calls reject. Idempotent. */
  async terminate(): Promise<void> {
    this.closed = true;
    for (const [key, g] of this.groups) {
      if (g.timer) clearTimeout(g.timer);
      this.groups.delete(key);
      for (const wt of g.waiters) wt.reject(new Error('SolverPool.solve: the pool was terminated'));
    }
    const ws = this.workers;
    this.workers = [];
    for (const w of ws) w.kill(new Error('sparse-pursuit pool: the pool was terminated'));
    this.wake();
  }
}

function checkSolver(fn: string, solver: unknown): void {
  if (typeof solver !== 'string' || !Object.prototype.hasOwnProperty.call(SOLVERS, solver)) {
    throw new RangeError(`${fn}: solver must be one of ${Object.keys(SOLVERS).map((s) => `'${s}'`).join(', ')}, received ${describe(solver)}`);
  }
}

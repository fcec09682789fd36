// A pool of workers for batches: Node worker_threads or browser Web Workers
// behind one interface. Each worker runs its own WASM instance of the very
// module the main thread loaded (the compiled WebAssembly.Module is posted to
// it) and holds its own resident copy of each matrix (and of its Gram matrix
// for Batch-OMP); A and G travel once through a SharedArrayBuffer where the
// platform has one, else as one copy per worker.
//
// Results do not depend on the number of workers or on how the columns are
// split: every column is solved by the same kernel on the same data, and the
// Gram matrix, computed in column ranges by several workers, is bit for bit
// the one-piece one (assembly/gram.ts).
//
// Why not piscina / tinypool: both are Node-only, and the pool must also run
// on Web Workers; the scheduling here (contiguous chunks, per-worker resident
// state, retry of a crashed chunk column by column) is the part that is
// specific to this package and would sit on top of either anyway.
import {
  BatchResult, BlockLike, emptyBatch, ompBatchPlan, OmpBatchOptions, OmpBatchResult, prepareBatch, screenColumns,
  GRAM_MAX_BYTES, BatchColumnError, SolveBatchOptions, toWarmStarts,
} from '../solvers/batch.js';
import { checkInt, describe } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { gramBytes } from '../core/operator.js';
import { SOLVERS } from '../solvers/registry.js';
import type { OperatorLike } from '../solvers/solve.js';
import { STATUS_NAMES } from '../core/types.js';
import type { WasmModule } from '../core/types.js';
import { backendInfo, init, nodeBuiltin, wasmModule } from '../core/wasm.js';

// ------------------------------------------------------------- protocol

/** @internal Messages to a worker. Every one is answered by a 'done', 'result' or 'fail' with its seq. */
export type ToWorker =
  | { t: 'init'; seq: number; module?: WasmModule; simd?: boolean }
  | { t: 'matrix'; seq: number; id: number; m: number; n: number; data: Float64Array }
  | { t: 'drop'; seq: number; id: number }
  | { t: 'gramPart'; seq: number; id: number; j0: number; j1: number; out?: Float64Array }
  | { t: 'gramLoad'; seq: number; id: number; G: Float64Array }
  | { t: 'batch'; seq: number; id: number; solver: string; Y: Float64Array; index: number[]; opts: Record<string, unknown>; precompute?: boolean };

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

/** @internal Messages from a worker. */
export type FromWorker =
  | { t: 'done'; seq: number; build?: 'simd' | 'scalar'; part?: Float64Array }
  | BatchReply
  | { t: 'fail'; seq: number; name: string; message: string };

/** One worker, whatever the platform. */
interface Endpoint {
  post(msg: ToWorker, transfer?: Transferable[]): void;
  /** Called with every message, and once with an Error when the worker dies or throws outside a task. */
  listen(onMessage: (m: FromWorker) => void, onFailure: (e: Error) => void): void;
  terminate(): void;
}

function isNode(): boolean {
  const g = globalThis as unknown as { process?: { versions?: { node?: string } } };
  return !!g.process?.versions?.node;
}

/** Bootstrap for running the worker from TypeScript sources (vitest, tsx): registers tsx in the worker first. */
function tsBootstrap(entry: string): string {
  return `
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const path = require('node:path');
const req = createRequire(${JSON.stringify(entry)});
const pkgPath = req.resolve('tsx/package.json');
const api = req(pkgPath).exports['./esm/api'].import.default;
import(pathToFileURL(path.join(path.dirname(pkgPath), api)).href).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

async function spawnNode(url?: string | URL): Promise<Endpoint> {
  const { Worker } = await nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads');
  let w: InstanceType<typeof Worker>;
  if (url !== undefined) w = new Worker(url instanceof URL ? url : new URL(url));
  else if (import.meta.url.endsWith('.ts')) {
    const entry = new URL(/* @vite-ignore */ './pool-worker.ts', import.meta.url);
    w = new Worker(tsBootstrap(entry.href), { eval: true });
  }
  else {
    // not written as `new Worker(new URL(...))`: bundlers would take this Node branch for a browser worker
    const entry = new URL('./pool-worker.js', import.meta.url);
    w = new Worker(entry);
  }
  return {
    post: (msg, transfer) => w.postMessage(msg, (transfer ?? []) as never),
    listen(onMessage, onFailure) {
      let failed = false;
      const fail = (e: Error) => {
        if (!failed) {
          failed = true;
          onFailure(e);
        }
      };
      w.on('message', onMessage);
      w.on('error', (e) => fail(e instanceof Error ? e : new Error(String(e))));
      w.on('exit', (code) => fail(new Error(`the worker exited (code ${code})`)));
    },
    terminate: () => void w.terminate(),
  };
}

function spawnBrowser(url?: string | URL): Endpoint {
  const w = url !== undefined
    ? new Worker(url, { type: 'module' })
    : new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module' });
  return {
    post: (msg, transfer) => w.postMessage(msg, transfer ?? []),
    listen(onMessage, onFailure) {
      w.addEventListener('message', (e) => onMessage(e.data as FromWorker));
      w.addEventListener('error', (e) => onFailure(new Error(e.message || 'the worker raised an error')));
      w.addEventListener('messageerror', () => onFailure(new Error('a message from the worker could not be read')));
    },
    terminate: () => w.terminate(),
  };
}

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
  /** The worker script (browsers, bundlers): default `new URL('./pool-worker.js', import.meta.url)`. */
  workerUrl?: string | URL;
}

// Chunks per worker in a batch: more chunks even out uneven columns (OMP
// stops early on some, and a worker may get less CPU than another), fewer
// save messages; with 4 the chunk still running when the others are done is
// at most a quarter of a worker's share, for 8 round trips per batch on 2
// workers.
const CHUNKS_PER_WORKER = 4;
// Columns per Gram-split piece are rounded to this: the 4-column blocks of
// assembly/gram.ts (GRAM_JB).
const GRAM_SPLIT_ALIGN = 4;

interface Pending {
  resolve(m: FromWorker): void;
  reject(e: Error): void;
}

class PoolWorker {
  ep!: Endpoint;
  busy = false;
  dead = false;
  /** Started and initialised: only such a worker takes tasks, and only such a worker is replaced when it dies. */
  ready = false;
  build: 'simd' | 'scalar' = 'simd';
  /** Matrix ids this worker holds, and those whose Gram matrix it holds. */
  readonly matrices = new Set<number>();
  readonly grams = new Set<number>();
  private pending = new Map<number, Pending>();
  private seq = 0;

  async start(spawn: () => Promise<Endpoint>, initMsg: Omit<Extract<ToWorker, { t: 'init' }>, 'seq'>, onDeath: (w: PoolWorker) => void): Promise<void> {
    this.ep = await spawn();
    this.ep.listen(
      (m) => {
        const p = this.pending.get(m.seq);
        if (!p) return;
        this.pending.delete(m.seq);
        if (m.t === 'fail') {
          const E = m.name === 'TypeError' ? TypeError : m.name === 'RangeError' ? RangeError : Error;
          p.reject(new E(m.message));
        } else p.resolve(m);
      },
      (e) => {
        this.dead = true;
        const err = new Error(`sparse-pursuit pool: a worker failed: ${e.message}`);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        this.ep.terminate();
        onDeath(this);
      },
    );
    const r = await this.request({ ...initMsg, seq: 0 } as ToWorker);
    if (r.t === 'done' && r.build) this.build = r.build;
    this.ready = true;
  }

  /** Stops the worker; every pending request rejects with `e` (browsers send no event for a terminated worker). */
  kill(e: Error): void {
    this.dead = true;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.ep?.terminate();
  }

  request(msg: ToWorker, transfer?: Transferable[]): Promise<FromWorker> {
    if (this.dead) return Promise.reject(new Error('sparse-pursuit pool: the worker is gone'));
    const seq = ++this.seq;
    msg.seq = seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.ep.post(msg, transfer);
    });
  }
}

/** Per matrix: its id, its data as the workers get it, and the Gram matrix once computed. */
interface MatrixEntry {
  id: number;
  matrix: Matrix;
  data: Float64Array;
  gram: Promise<Float64Array> | null;
}

function shareable(data: Float64Array): Float64Array {
  const coi = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (typeof SharedArrayBuffer === 'undefined' || coi === false) return data;
  const s = new Float64Array(new SharedArrayBuffer(data.byteLength));
  s.set(data);
  return s;
}

function defaultWorkers(): number {
  const g = globalThis as unknown as { navigator?: { hardwareConcurrency?: number } };
  const hc = g.navigator?.hardwareConcurrency;
  return Math.max(1, Math.min(8, hc ?? 2));
}

/**
 * A pool of workers that solves batches in parallel. Create it with
 * `await SolverPool.create({ workers })`, then `await pool.ompBatch(A, Y,
 * opts)` or `await pool.solveBatch('iht', A, Y, opts)`; `await
 * pool.terminate()` at the end. Results equal the single-thread `ompBatch` /
 * `solveBatch` bit for bit, in column order, whatever the number of workers.
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
  private readonly live = new Map<number, MatrixEntry>();
  private nextId = 1;
  private closed = false;
  private waiting: Array<() => void> = [];

  private constructor(
    private readonly spawn: () => Promise<Endpoint>,
    private readonly initMsg: Omit<Extract<ToWorker, { t: 'init' }>, 'seq'>,
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
    let initMsg: Omit<Extract<ToWorker, { t: 'init' }>, 'seq'>;
    if (options.simd === undefined) {
      await init();
      initMsg = { t: 'init', module: wasmModule() };
    } else initMsg = { t: 'init', simd: options.simd };
    const spawn = isNode() ? () => spawnNode(url) : async () => spawnBrowser(url);
    const pool = new SolverPool(spawn, initMsg);
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
    await w.start(this.spawn, this.initMsg, (dead) => this.replace(dead));
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

  /** The build the workers run ('simd' or 'scalar', as reported by each worker's module). */
  get build(): 'simd' | 'scalar' {
    return this.workers[0]?.build ?? backendInfo().build;
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = [];
    for (const f of w) f();
  }

  /** Waits for an idle live worker and marks it busy. */
  private async acquire(): Promise<PoolWorker> {
    for (;;) {
      if (this.closed) throw new Error('sparse-pursuit pool: the pool was terminated');
      if (this.workers.length === 0) throw new Error('sparse-pursuit pool: no worker is left (every worker failed to start)');
      const w = this.workers.find((q) => !q.busy && !q.dead && q.ready);
      if (w) {
        w.busy = true;
        return w;
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  private idle(w: PoolWorker): void {
    w.busy = false;
    this.wake();
  }

  private entry(matrix: Matrix): MatrixEntry {
    let e = this.entries.get(matrix);
    if (!e) {
      e = { id: this.nextId++, matrix, data: shareable(matrix.data), gram: null };
      this.entries.set(matrix, e);
      this.live.set(e.id, e);
    }
    return e;
  }

  private async ensureMatrix(w: PoolWorker, e: MatrixEntry): Promise<void> {
    if (w.matrices.has(e.id)) return;
    await w.request({ t: 'matrix', seq: 0, id: e.id, m: e.matrix.m, n: e.matrix.n, data: e.data });
    w.matrices.add(e.id);
  }

  /** G = A^T A, computed once per matrix by the workers together (column ranges of equal work). */
  private gram(e: MatrixEntry): Promise<Float64Array> {
    if (!e.gram) {
      e.gram = this.computeGram(e);
      e.gram.catch(() => {
        e.gram = null;
      });
    }
    return e.gram;
  }

  private async computeGram(e: MatrixEntry): Promise<Float64Array> {
    const n = e.matrix.n;
    const G = shareable(new Float64Array(n * n));
    const shared = typeof SharedArrayBuffer !== 'undefined' && G.buffer instanceof SharedArrayBuffer;
    const parts = Math.max(1, Math.min(this.workers.length, Math.floor(n / GRAM_SPLIT_ALIGN)));
    // column j costs about j + 1 dot products: cut where the triangle's area splits evenly
    const cuts = [0];
    for (let q = 1; q < parts; q++) {
      const c = Math.round((n * Math.sqrt(q / parts)) / GRAM_SPLIT_ALIGN) * GRAM_SPLIT_ALIGN;
      cuts.push(Math.min(n, Math.max(cuts[q - 1], c)));
    }
    cuts.push(n);
    await Promise.all(cuts.slice(0, -1).map(async (j0, q) => {
      const j1 = cuts[q + 1];
      if (j1 <= j0) return;
      const w = await this.acquire();
      try {
        await this.ensureMatrix(w, e);
        const r = await w.request({ t: 'gramPart', seq: 0, id: e.id, j0, j1, out: shared ? G : undefined });
        if (!shared && r.t === 'done' && r.part) G.set(r.part, n * j0);
      } finally {
        this.idle(w);
      }
    }));
    return G;
  }

  private async ensureGram(w: PoolWorker, e: MatrixEntry): Promise<void> {
    if (w.grams.has(e.id)) return;
    const G = await this.gram(e);
    await this.ensureMatrix(w, e);
    await w.request({ t: 'gramLoad', seq: 0, id: e.id, G });
    w.grams.add(e.id);
  }

  /**
   * ompBatch on the pool: OMP on every column of Y (m x p). Same options and
   * result as `ompBatch` (the precompute choice is made here for the whole
   * batch; the Gram matrix is computed once per matrix by the workers
   * together and kept until `release(A)` or `terminate()`).
   */
  async ompBatch(A: OperatorLike, Y: BlockLike, opts: OmpBatchOptions): Promise<OmpBatchResult> {
    return (await this.run('SolverPool.ompBatch', 'omp', A, Y, opts as SolveBatchOptions)) as OmpBatchResult;
  }

  /** solveBatch on the pool: any registered solver on every column of Y (m x p). */
  async solveBatch(solver: string, A: OperatorLike, Y: BlockLike, opts: SolveBatchOptions): Promise<BatchResult> {
    if (typeof solver !== 'string' || !Object.prototype.hasOwnProperty.call(SOLVERS, solver)) {
      throw new RangeError(`SolverPool.solveBatch: solver must be one of ${Object.keys(SOLVERS).map((s) => `'${s}'`).join(', ')}, received ${describe(solver)}`);
    }
    return this.run(`SolverPool.solveBatch`, solver, A, Y, opts);
  }

  private async run(fn: string, solver: string, A: OperatorLike, Y: BlockLike, opts: SolveBatchOptions): Promise<BatchResult> {
    if (this.closed) throw new Error(`${fn}: the pool was terminated`);
    const a = prepareBatch(fn, A, Y, opts);
    if (a.backend !== 'wasm') throw new RangeError(`${fn}: backend must be 'wasm' in a pool, received '${a.backend}'`);
    const { matrix, k } = a;
    const { m, n } = matrix;
    const { good, errors } = screenColumns(fn, a.data, m, a.p, a.onError, matrix);
    const X0 = toWarmStarts(fn, opts.X0, n, a.p, opts.x0);
    const e = this.entry(matrix);
    let precompute: boolean | undefined;
    if (solver === 'omp') {
      for (const w of ['x0', 'X0'] as const) {
        const v = (opts as unknown as Record<string, unknown>)[w];
        if (v !== undefined) throw new TypeError(`${fn}: ${w} is not supported by OMP (it takes no warm start), received ${describe(v)}`);
      }
      const pre = (opts as OmpBatchOptions).precompute ?? 'auto';
      if (pre !== 'auto' && typeof pre !== 'boolean') throw new TypeError(`${fn}: precompute must be 'auto', true or false, received ${describe(pre)}`);
      if (pre === true && gramBytes(n) > GRAM_MAX_BYTES) {
        throw new RangeError(`${fn}: precompute: true needs a Gram matrix of 8 n^2 = ${gramBytes(n)} bytes, above GRAM_MAX_BYTES = ${GRAM_MAX_BYTES}; use precompute: false or 'auto'`);
      }
      precompute = pre === 'auto' ? ompBatchPlan(m, n, k, good.length, e.gram !== null).precompute : pre;
    }
    if (precompute && good.length > 0) await this.gram(e); // before any chunk holds a worker
    const res = emptyBatch(n, a.p);
    if (precompute !== undefined) (res as OmpBatchResult).precompute = precompute;
    res.errors = errors;
    if (good.length === 0) return res;
    const { onError: _o, precompute: _p, X0: _x, ...rest } = opts as OmpBatchOptions & Record<string, unknown>;
    // contiguous chunks of the good columns
    const nChunks = Math.min(good.length, Math.max(1, this.workers.length) * CHUNKS_PER_WORKER);
    const queue: number[][] = [];
    for (let c = 0; c < nChunks; c++) {
      const lo = Math.floor((c * good.length) / nChunks);
      const hi = Math.floor(((c + 1) * good.length) / nChunks);
      if (hi > lo) queue.push(good.slice(lo, hi));
    }
    const failures: BatchColumnError[] = [];
    let fatal: Error | null = null;
    const runChunk = async (cols: number[]): Promise<void> => {
      const w = await this.acquire();
      let reply: FromWorker;
      try {
        await this.ensureMatrix(w, e);
        if (precompute) await this.ensureGram(w, e);
        const Yc = new Float64Array(m * cols.length);
        cols.forEach((j, i) => Yc.set(a.data.subarray(j * m, (j + 1) * m), i * m));
        let chunkOpts: Record<string, unknown> = rest;
        if (X0) {
          const X0c = new Float64Array(n * cols.length);
          cols.forEach((j, i) => X0c.set(X0.subarray(j * n, (j + 1) * n), i * n));
          chunkOpts = { ...rest, X0: X0c };
        }
        reply = await w.request(
          { t: 'batch', seq: 0, id: e.id, solver, Y: Yc, index: cols, opts: chunkOpts, precompute },
          [Yc.buffer],
        );
      } catch (err) {
        this.idle(w);
        const er = err as Error;
        if (this.closed) throw new Error(`${fn}: the pool was terminated`);
        if (er instanceof TypeError || er instanceof RangeError) {
          fatal ??= er; // bad options: the same for every column
          return;
        }
        if (w.dead && cols.length > 1) {
          // retry one column at a time, so that only a failing column is lost
          await Promise.all(cols.map((j) => runChunk([j])));
          return;
        }
        for (const j of cols) failures.push({ index: j, name: er.name, message: er.message });
        return;
      }
      this.idle(w);
      if (reply.t !== 'result') return;
      let o = 0;
      cols.forEach((j, i) => {
        const len = reply.lens[i];
        res.X.set(reply.X.subarray(i * n, (i + 1) * n), j * n);
        res.support[j] = reply.supports.slice(o, o + len);
        o += len;
        res.residualNorm[j] = reply.residualNorm[i];
        res.iterations[j] = reply.iterations[i];
        const s = reply.status[i];
        res.status[j] = s < 0 ? 'error' : STATUS_NAMES[s];
      });
      for (const er of reply.errors) failures.push({ ...er, index: cols[er.index] });
    };
    await Promise.all(queue.map((cols) => runChunk(cols)));
    if (fatal) throw fatal;
    res.errors = [...errors, ...failures].sort((x, y) => x.index - y.index);
    for (const er of failures) res.status[er.index] = 'error';
    return res;
  }

  /** Drops the workers' copies of A (and of its Gram matrix). The pool still accepts A later (it is sent again). */
  async release(A: OperatorLike): Promise<void> {
    if (this.closed) return;
    const matrix = (A as { matrix?: Matrix }).matrix instanceof Matrix ? (A as { matrix: Matrix }).matrix : A;
    if (!(matrix instanceof Matrix)) return;
    const e = this.entries.get(matrix);
    if (!e) return;
    this.entries.delete(matrix);
    this.live.delete(e.id);
    await Promise.all(this.workers.filter((w) => !w.dead && w.matrices.has(e.id)).map(async (w) => {
      w.matrices.delete(e.id);
      w.grams.delete(e.id);
      await w.request({ t: 'drop', seq: 0, id: e.id }).catch(() => undefined);
    }));
  }

  /** Stops every worker; pending calls reject. Idempotent. */
  async terminate(): Promise<void> {
    this.closed = true;
    const ws = this.workers;
    this.workers = [];
    for (const w of ws) w.kill(new Error('sparse-pursuit pool: the pool was terminated'));
    this.wake();
  }
}

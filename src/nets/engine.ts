// Where a training run's numbers are computed: in this thread, or split over
// worker threads. Either way the work is cut into the same fixed chunks and
// the chunk results are combined in the same order (core.ts), so the
// weights a run produces do not depend on the worker count.
import type { SignalSet } from '../data/structured.js';
import { Matrix } from '../core/matrix.js';
import { Operator, operatorFromSpec, type StructuredSpec } from '../core/operator.js';
import type { Backend } from '../core/types.js';
import { Channel, type WorkerSource } from '../parallel/workers.js';
import { chunkGrad, columnRange, columns, combineChunks, EVAL_CHUNK, forward, gradChunks, NetConfig, squaredErrors } from './core.js';

/** The computations a training loop needs. */
export interface Engine {
  /** Mean loss over the batch (sample indices into the training set) and its gradient with respect to w. */
  grad(batch: Int32Array, w: Float64Array, tau: number): Promise<{ loss: number; gw: Float64Array }>;
  /** Per-sample squared errors ||x_hat_b - x_b||^2 over a whole set. */
  sse(set: 'train' | 'val', w: Float64Array, tau: number): Promise<Float64Array>;
  /** Frees threads and WASM memory. */
  close(): Promise<void>;
}

/** Everything an engine needs to know. */
export interface EngineSetup {
  cfg: NetConfig;
  /** A: the dense matrix, or a structured operator's spec (rebuilt in every thread). */
  source: Matrix | StructuredSpec;
  /** Columns of A. */
  n: number;
  train: SignalSet;
  val: SignalSet | null;
  backend: Backend;
}

function evalRanges(N: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < N; s += EVAL_CHUNK) out.push([s, Math.min(N, s + EVAL_CHUNK)]);
  return out;
}

/** The computing side, one per thread: holds A resident (a dense copy, or the operator rebuilt from its spec) and the data sets. */
export class LocalWorkerState {
  readonly op: Operator;
  constructor(readonly cfg: NetConfig, source: Matrix | StructuredSpec, readonly sets: Record<'train' | 'val', SignalSet | null>, readonly backend: Backend) {
    this.op = source instanceof Matrix ? Operator.dense(source) : operatorFromSpec(source);
  }

  grad(idx: Int32Array, w: Float64Array, tau: number): { loss: number; gw: Float64Array } {
    const t = this.sets.train!;
    return chunkGrad(this.cfg, this.op, columns(t.Y, idx), columns(t.X, idx), w, tau, this.backend);
  }

  sse(set: 'train' | 'val', start: number, end: number, w: Float64Array, tau: number): Float64Array {
    const s = this.sets[set];
    if (!s) throw new Error(`engine: no ${set} set`);
    const Xh = forward(this.cfg, this.op, columnRange(s.Y, start, end), w, tau, this.backend);
    return squaredErrors(Xh, columnRange(s.X, start, end));
  }

  dispose(): void {
    this.op.dispose();
  }
}

/** Runs everything in this thread. */
export function localEngine(s: EngineSetup): Engine {
  const st = new LocalWorkerState(s.cfg, s.source, { train: s.train, val: s.val }, s.backend);
  const n = s.n;
  return {
    async grad(batch, w, tau) {
      const parts = gradChunks(batch).map((idx) => ({ ...st.grad(idx, w, tau), count: idx.length }));
      return combineChunks(parts, n);
    },
    async sse(set, w, tau) {
      const N = (set === 'train' ? s.train : s.val!).Y.n;
      const out = new Float64Array(N);
      for (const [a, b] of evalRanges(N)) out.set(st.sse(set, a, b, w, tau), a);
      return out;
    },
    async close() {
      st.dispose();
    },
  };
}

/** Messages to a worker (each answered by the reply of the same seq, or a failure). */
export type WorkerRequest =
  | { t: 'init'; seq: number; cfg: NetConfig; m: number; n: number;
      /** A's entries (column-major), or null when `op` describes it. */
      A: Float64Array | null;
      /** A structured operator's spec (operatorFromSpec rebuilds it), or null for a dense A. */
      op: StructuredSpec | null;
      train: { Y: Float64Array; X: Float64Array; N: number };
      val: { Y: Float64Array; X: Float64Array; N: number } | null; backend: Backend }
  | { t: 'grad'; seq: number; idx: Int32Array; w: Float64Array; tau: number }
  | { t: 'sse'; seq: number; set: 'train' | 'val'; start: number; end: number; w: Float64Array; tau: number };

/** Messages from a worker. */
export type WorkerReply =
  | { t: 'ready'; seq: number }
  | { t: 'grad'; seq: number; loss: number; gw: Float64Array }
  | { t: 'sse'; seq: number; errors: Float64Array };

/** The training worker: Node only (worker.ts), from dist/ as .js or from the sources as .ts. */
const TRAIN_WORKER: WorkerSource = {
  node: () => {
    // a variable, not a literal: bundlers must not take this Node-only entry for an asset
    const entry = import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js';
    return new URL(/* webpackIgnore: true */ entry, import.meta.url);
  },
};

/**
 * Runs the chunks on `workers` worker threads (each with its own WASM
 * instance, A resident, and a copy of the data sets), handing out chunks as
 * threads become free and combining results in chunk order.
 */
export async function poolEngine(s: EngineSetup, workers: number): Promise<Engine> {
  const threads: Channel<WorkerRequest, WorkerReply>[] = [];
  let failure: Error | null = null;
  const pack = (set: SignalSet) => ({ Y: set.Y.data, X: set.X.data, N: set.Y.n });
  const dense = s.source instanceof Matrix ? s.source : null;
  const init: WorkerRequest = {
    t: 'init', seq: 0, cfg: s.cfg, m: s.train.Y.m, n: s.n, A: dense ? dense.data : null, op: dense ? null : s.source as StructuredSpec,
    train: pack(s.train), val: s.val ? pack(s.val) : null, backend: s.backend,
  };
  try {
    await Promise.all(Array.from({ length: workers }, async () => {
      const ch = await Channel.open<WorkerRequest, WorkerReply>(TRAIN_WORKER, (e) => {
        failure ??= e;
      });
      threads.push(ch);
      try {
        await ch.request({ ...init });
      } catch (e) {
        throw new Error(`training worker failed to start: ${(e as Error).message}`);
      }
    }));
  } catch (e) {
    for (const t of threads) t.kill(e as Error);
    throw e;
  }

  /** Runs the requests, each on the next free thread; results in request order. */
  async function runAll(reqs: WorkerRequest[]): Promise<WorkerReply[]> {
    if (failure) throw failure;
    const out: WorkerReply[] = new Array(reqs.length);
    let next = 0;
    await Promise.all(threads.map(async (ch) => {
      while (next < reqs.length) {
        const i = next++;
        out[i] = await ch.request(reqs[i]);
      }
    }));
    return out;
  }

  const n = s.n;
  return {
    async grad(batch, w, tau) {
      const chunks = gradChunks(batch);
      const replies = await runAll(chunks.map((idx) => ({ t: 'grad', seq: 0, idx: idx.slice(), w, tau })));
      return combineChunks(replies.map((r, i) => {
        const g = r as Extract<WorkerReply, { t: 'grad' }>;
        return { loss: g.loss, gw: g.gw, count: chunks[i].length };
      }), n);
    },
    async sse(set, w, tau) {
      const N = (set === 'train' ? s.train : s.val!).Y.n;
      const ranges = evalRanges(N);
      const replies = await runAll(ranges.map(([start, end]) => ({ t: 'sse', seq: 0, set, start, end, w, tau })));
      const out = new Float64Array(N);
      replies.forEach((r, i) => out.set((r as Extract<WorkerReply, { t: 'sse' }>).errors, ranges[i][0]));
      return out;
    },
    async close() {
      for (const t of threads) t.kill(new Error('training engine closed'));
    },
  };
}

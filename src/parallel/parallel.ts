// Seeded trials mapped over Node worker threads, with results that do not
// depend on the worker count.
//
// A trial is a pure function of (params, trial index, trial seed): the seed is
// derived from (master seed, trial index) by trialSeed, and results are
// returned in trial order, so 1 worker and 8 workers give the same numbers.
// Trial functions live in ordinary modules (the experiments'), exported by
// name; each worker imports the module once and initialises the WASM once.
//
// Threads come from the package's worker layer (workers.ts), the one
// SolverPool and the training engine use: start-up (also from the .ts
// sources), numbered requests, error propagation. Tasks go to whichever
// thread is free. workers = 1 runs in-process, without threads.
import { availableParallelism } from 'node:os';
import { init } from '../core/wasm.js';
import { mix32 } from '../core/random.js';
import { Channel, type WorkerSource } from './workers.js';

/** What a trial function receives besides the shared params. */
export interface TrialContext {
  /** Trial index, 0..count-1. */
  index: number;
  /** Seed of this trial: trialSeed(master seed, index). */
  seed: number;
}

/** A trial: deterministic in (params, ctx); params and result must be structured-cloneable. */
export type TrialFn<P, R> = (params: P, ctx: TrialContext) => R | Promise<R>;

export interface RunTrialsOptions<P> {
  /** URL of the module exporting the trial function (usually `import.meta.url` of the caller). */
  module: string | URL;
  /** Export name of the trial function in that module. */
  fn: string;
  /** Parameters shared by every trial (structured-cloneable). */
  params: P;
  /** Number of trials (integer >= 0). */
  count: number;
  /** Master seed (integer >= 0). */
  seed: number;
  /** Worker threads (integer >= 1); 1 runs in this thread. Capped at count. */
  workers: number;
  /** Trials per task sent to a worker (default: about count / (8 workers), at least 1). */
  chunk?: number;
  /** Called after every finished chunk with trials done and the total. */
  onProgress?(done: number, total: number): void;
}

/**
 * Seed of trial `index` under master seed `seed`: a splitmix32-style mix of
 * both, so neighbouring trials get unrelated seeds. Integer in [0, 2^32).
 */
export function trialSeed(seed: number, index: number): number {
  return mix32((Math.imul(seed >>> 0, 0x9e3779b9) + Math.imul(index >>> 0, 0x85ebca6b) + 0x6a09e667) >>> 0);
}

/** One unit of work for a worker. */
export interface TrialTask {
  module: string;
  fn: string;
  params: unknown;
  seed: number;
  start: number;
  end: number;
}

const modules = new Map<string, Record<string, unknown>>();

/** Runs trials start..end-1 of a task in this thread (used by the worker entry and by workers = 1). */
export async function runTask(task: TrialTask): Promise<unknown[]> {
  let mod = modules.get(task.module);
  if (!mod) {
    mod = (await import(task.module)) as Record<string, unknown>;
    modules.set(task.module, mod);
  }
  const f = mod[task.fn];
  if (typeof f !== 'function') throw new TypeError(`runTrials: fn must name a function exported by ${task.module}, received '${task.fn}' (${typeof f === 'undefined' ? 'not exported' : `a ${typeof f}`})`);
  const out: unknown[] = [];
  for (let i = task.start; i < task.end; i++) out.push(await (f as TrialFn<unknown, unknown>)(task.params, { index: i, seed: trialSeed(task.seed, i) }));
  return out;
}

/** Messages of the trials' workers. */
export interface TrialRequest {
  seq: number;
  task: TrialTask;
}
export interface TrialReply {
  seq: number;
  out: unknown[];
}

/** The trials' worker: Node only; dist/parallel/parallel-worker.js, or the .ts source under vitest/tsx. */
const TRIAL_WORKER: WorkerSource = {
  node: () => {
    const entry = import.meta.url.endsWith('.ts') ? './parallel-worker.ts' : './parallel-worker.js';
    return new URL(/* webpackIgnore: true */ entry, import.meta.url);
  },
};

/** Default worker count: the machine's parallelism. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Runs `count` seeded trials of `fn` (exported by `module`), over `workers`
 * threads, and returns their results in trial order.
 */
export async function runTrials<P, R>(o: RunTrialsOptions<P>): Promise<R[]> {
  const { count } = o;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`runTrials: count must be an integer >= 0, received ${count}`);
  if (!Number.isInteger(o.workers) || o.workers < 1) throw new RangeError(`runTrials: workers must be an integer >= 1, received ${o.workers}`);
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new RangeError(`runTrials: seed must be an integer >= 0, received ${o.seed}`);
  const module = String(o.module);
  const workers = Math.min(o.workers, Math.max(1, count));
  const chunk = o.chunk ?? Math.max(1, Math.ceil(count / (8 * workers)));
  const tasks: TrialTask[] = [];
  for (let s = 0; s < count; s += chunk) tasks.push({ module, fn: o.fn, params: o.params, seed: o.seed, start: s, end: Math.min(count, s + chunk) });
  const results: R[] = new Array(count);
  let done = 0;
  const finish = (t: TrialTask, rs: unknown[]) => {
    for (let i = 0; i < rs.length; i++) results[t.start + i] = rs[i] as R;
    done += rs.length;
    o.onProgress?.(done, count);
  };
  if (workers === 1) {
    await init();
    for (const t of tasks) finish(t, await runTask(t));
    return results;
  }
  const threads: Channel<TrialRequest, TrialReply>[] = [];
  try {
    for (let i = 0; i < workers; i++) threads.push(await Channel.open<TrialRequest, TrialReply>(TRIAL_WORKER));
    let next = 0;
    await Promise.all(threads.map(async (ch) => {
      while (next < tasks.length) {
        const t = tasks[next++];
        finish(t, (await ch.request({ seq: 0, task: t })).out);
      }
    }));
  } finally {
    for (const ch of threads) ch.kill(new Error('runTrials: done'));
  }
  return results;
}

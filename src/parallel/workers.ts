// The package's one worker layer: starting a worker (Node worker_threads or
// a browser module Web Worker), a request/reply channel to it, and the
// worker-side loop that answers requests. SolverPool (pool.ts), runTrials
// (parallel.ts) and the nets' training engine (nets/engine.ts) all sit on it.
//
// Protocol: every request carries a `seq`; the worker answers each one, in
// the order received, with a message of the same `seq`: a reply of the
// caller's own shape, or `{ t: 'fail', name, message }` when the handler
// threw (rejected with an Error of the same class on the caller's side).
// A worker that dies or throws outside a handler rejects every pending
// request and is reported once to the channel's owner.
//
// Running from the TypeScript sources (vitest, tsx): Node 20 does not pass
// loader hooks on to worker threads, so a `.ts` entry is started through a
// small eval'd bootstrap that registers tsx's loader in the worker first.
// The shipped files are .js and never reach that branch.
//
// No top-level await anywhere on the worker side: bundlers build workers as
// classic scripts (Vite's default worker format is 'iife').
import { nodeBuiltin } from '../core/wasm.js';

/** Messages that start with a sequence number. */
export interface Seq {
  seq: number;
}

/** A worker's failure answer to request `seq`. */
export interface FailReply {
  t: 'fail';
  seq: number;
  name: string;
  message: string;
}

/** One worker, whatever the platform. */
export interface Endpoint {
  post(msg: unknown, transfer?: Transferable[]): void;
  /** Called with every message, and once with an Error when the worker dies or throws outside a task. */
  listen(onMessage: (m: unknown) => void, onFailure: (e: Error) => void): void;
  terminate(): void;
}

/** True under Node (worker_threads), false in browsers (Web Workers). */
export function isNode(): boolean {
  const g = globalThis as unknown as { process?: { versions?: { node?: string } } };
  return !!g.process?.versions?.node;
}

/** Bootstrap for running a worker entry from TypeScript sources: registers tsx in the worker, then imports the entry. */
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

/** Node: a worker thread on `entry` (.js as is, .ts through the tsx bootstrap). */
async function spawnNode(entry: string | URL): Promise<Endpoint> {
  const { Worker } = await nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads');
  const href = String(entry);
  const w = /\.(c|m)?ts$/.test(new URL(href).pathname) ? new Worker(tsBootstrap(href), { eval: true }) : new Worker(new URL(href));
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

/** Browser: wraps a module Web Worker. */
function wrapBrowser(w: Worker): Endpoint {
  return {
    post: (msg, transfer) => w.postMessage(msg, transfer ?? []),
    listen(onMessage, onFailure) {
      w.addEventListener('message', (e) => onMessage(e.data));
      w.addEventListener('error', (e) => onFailure(new Error(e.message || 'the worker raised an error')));
      w.addEventListener('messageerror', () => onFailure(new Error('a message from the worker could not be read')));
    },
    terminate: () => w.terminate(),
  };
}

/** Where a worker comes from. */
export interface WorkerSource {
  /** The entry file under Node: a .js URL, or a .ts one when running from sources. */
  node: () => string | URL;
  /**
   * The Web Worker in browsers. Callers write `new Worker(new URL('./x.js',
   * import.meta.url), { type: 'module' })` literally here so that bundlers
   * find and bundle the entry; absent for Node-only workers.
   */
  browser?: () => Worker;
}

/** Starts one worker on the platform at hand. */
export async function spawnWorker(src: WorkerSource): Promise<Endpoint> {
  if (isNode()) return spawnNode(src.node());
  if (!src.browser) throw new Error('sparse-pursuit: this worker runs under Node only');
  return wrapBrowser(src.browser());
}

/** A worker source for a caller-given URL (SolverPool's workerUrl option). */
export function sourceAt(url: string | URL): WorkerSource {
  return { node: () => url, browser: () => new Worker(url, { type: 'module' }) };
}

/** The Error class named by a failure reply (TypeError and RangeError keep their class). */
export function errorFrom(name: string, message: string): Error {
  const E = name === 'TypeError' ? TypeError : name === 'RangeError' ? RangeError : Error;
  const e = new E(message);
  if (E === Error && name && name !== 'Error') e.name = name;
  return e;
}

/**
 * The caller's side of one worker: numbered requests, each answered by a
 * Promise of the reply; a worker failure rejects every pending request.
 */
export class Channel<Req extends Seq, Rep extends Seq> {
  dead = false;
  private readonly pending = new Map<number, { resolve(m: Rep): void; reject(e: Error): void }>();
  private seq = 0;

  private constructor(private readonly ep: Endpoint) {}

  /** Starts a worker; `onDeath` is called once if it dies or throws outside a request, with the reason. */
  static async open<Req extends Seq, Rep extends Seq>(src: WorkerSource, onDeath?: (e: Error) => void): Promise<Channel<Req, Rep>> {
    const ch = new Channel<Req, Rep>(await spawnWorker(src));
    ch.ep.listen(
      (raw) => {
        const m = raw as Rep | FailReply;
        const p = ch.pending.get(m.seq);
        if (!p) return;
        ch.pending.delete(m.seq);
        if ((m as FailReply).t === 'fail') p.reject(errorFrom((m as FailReply).name, (m as FailReply).message));
        else p.resolve(m as Rep);
      },
      (e) => {
        ch.kill(e);
        onDeath?.(e);
      },
    );
    return ch;
  }

  /** Sends `msg` (its seq is set here) and resolves with the worker's reply. */
  request(msg: Req, transfer?: Transferable[]): Promise<Rep> {
    if (this.dead) return Promise.reject(new Error('sparse-pursuit: the worker is gone'));
    const seq = ++this.seq;
    msg.seq = seq;
    return new Promise<Rep>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      try {
        this.ep.post(msg, transfer);
      } catch (e) {
        this.pending.delete(seq);
        reject(e as Error);
      }
    });
  }

  /** Stops the worker; pending requests reject with `e`. */
  kill(e: Error): void {
    this.dead = true;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.ep.terminate();
  }
}

/** The worker's side: post a reply (with buffers to transfer). */
export type Reply<Rep> = (msg: Rep, transfer?: Transferable[]) => void;

interface Port {
  post(msg: unknown, transfer?: Transferable[]): void;
  listen(cb: (msg: unknown) => void): void;
}

function browserPort(): Port {
  const self = globalThis as unknown as { postMessage(m: unknown, t?: Transferable[]): void; addEventListener(t: string, cb: (e: MessageEvent) => void): void };
  return {
    post: (msg, transfer) => self.postMessage(msg, transfer ?? []),
    listen: (cb) => self.addEventListener('message', (e) => cb(e.data)),
  };
}

async function nodePort(): Promise<Port> {
  const { parentPort } = await nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads');
  if (!parentPort) throw new Error('sparse-pursuit: a worker entry was loaded outside a worker thread');
  return {
    post: (msg, transfer) => parentPort.postMessage(msg, (transfer ?? []) as never),
    listen: (cb) => parentPort.on('message', cb),
  };
}

/**
 * Worker entry loop: answers each request with `handle`, one at a time in
 * arrival order; a handler that throws answers `{ t: 'fail' }`. Node queues
 * messages on the parent port until the listener is attached, so the
 * asynchronous port lookup loses nothing.
 */
export function serve<Req extends Seq, Rep>(handle: (msg: Req, reply: Reply<Rep>) => void | Promise<void>): void {
  const start = (p: Port) => {
    let chain: Promise<void> = Promise.resolve();
    p.listen((raw) => {
      const msg = raw as Req;
      chain = chain.then(() => handle(msg, (r, t) => p.post(r, t))).catch((e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        const fail: FailReply = { t: 'fail', seq: msg.seq, name: err.name, message: err.message };
        p.post(fail);
      });
    });
  };
  if (isNode()) {
    nodePort().then(start, (e: unknown) => {
      setTimeout(() => {
        throw e;
      }, 0);
    });
  } else start(browserPort());
}

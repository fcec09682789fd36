// The worker side of SolverPool (src/parallel/pool.ts): one WASM instance per worker,
// one resident Operator per matrix the pool sent, batch tasks answered in
// the order they arrive. Runs under Node worker_threads and as a browser
// module Web Worker.
import type { SolverName } from '../solvers/registry.js';
import { ompBatch, solveBatch, BatchResult, OmpBatchOptions } from '../solvers/batch.js';
import { Matrix } from '../core/matrix.js';
import { Operator } from '../core/operator.js';
import { STATUS_NAMES } from '../core/types.js';
import { backendInfo, wasm, init, nodeBuiltin } from '../core/wasm.js';
import { runKernel } from '../core/marshal.js';
import type { FromWorker, ToWorker, BatchReply } from './pool.js';

interface Port {
  post(msg: FromWorker, transfer?: Transferable[]): void;
  listen(cb: (msg: ToWorker) => void): void;
}

async function port(): Promise<Port> {
  const g = globalThis as unknown as { process?: { versions?: { node?: string } } };
  if (g.process?.versions?.node) {
    const { parentPort } = await nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads');
    if (!parentPort) throw new Error('sparse-pursuit pool worker: not started as a worker thread');
    return {
      post: (msg, transfer) => parentPort.postMessage(msg, (transfer ?? []) as never),
      listen: (cb) => parentPort.on('message', cb),
    };
  }
  const self = globalThis as unknown as { postMessage(m: unknown, t?: Transferable[]): void; addEventListener(t: string, cb: (e: MessageEvent) => void): void };
  return {
    post: (msg, transfer) => self.postMessage(msg, transfer ?? []),
    listen: (cb) => self.addEventListener('message', (e) => cb(e.data as ToWorker)),
  };
}

const ops = new Map<number, Operator>();

function operator(id: number): Operator {
  const op = ops.get(id);
  if (!op) throw new Error(`sparse-pursuit pool worker: matrix ${id} was not sent to this worker`);
  return op;
}

/** Status names to small codes for the transfer (index into STATUS_NAMES; -1 for 'error'). */
function packResult(seq: number, r: BatchResult, precompute: boolean | undefined): { reply: BatchReply; transfer: Transferable[] } {
  const lens = new Int32Array(r.p);
  let total = 0;
  for (let j = 0; j < r.p; j++) total += (lens[j] = r.support[j].length);
  const supports = new Int32Array(total);
  let o = 0;
  for (let j = 0; j < r.p; j++) {
    supports.set(r.support[j], o);
    o += lens[j];
  }
  const status = Int8Array.from(r.status, (s) => (s === 'error' ? -1 : STATUS_NAMES.indexOf(s)));
  const reply: BatchReply = {
    t: 'result', seq, X: r.X, supports, lens, residualNorm: r.residualNorm, iterations: r.iterations, status,
    errors: r.errors, precompute,
  };
  return { reply, transfer: [r.X.buffer, supports.buffer, lens.buffer, r.residualNorm.buffer, r.iterations.buffer, status.buffer] as Transferable[] };
}

async function handle(msg: ToWorker, p: Port): Promise<void> {
  switch (msg.t) {
    case 'init': {
      await init(msg.module ? { wasm: msg.module } : { simd: msg.simd });
      p.post({ t: 'done', seq: msg.seq, build: backendInfo().build });
      return;
    }
    case 'matrix': {
      ops.get(msg.id)?.dispose();
      // the Matrix wraps the (possibly shared) data without copying; Operator.dense copies it into this worker's WASM memory
      ops.set(msg.id, Operator.dense(new Matrix(msg.m, msg.n, msg.data)));
      p.post({ t: 'done', seq: msg.seq });
      return;
    }
    case 'drop': {
      ops.get(msg.id)?.dispose();
      ops.delete(msg.id);
      p.post({ t: 'done', seq: msg.seq });
      return;
    }
    case 'gramPart': {
      // columns [j0, j1) of the upper triangle of G, computed into a block of
      // (j1 - j0) columns addressed as if it were the whole G
      const op = operator(msg.id);
      const { n } = op;
      const cols = msg.j1 - msg.j0;
      // the kernel addresses the block as if it were the whole G (its pointer less 8 n j0)
      const part = runKernel({ fn: 'SolverPool', what: `columns ${msg.j0}..${msg.j1} of the Gram matrix (${n} x ${n})`, received: `n = ${n}`, bufs: { G: { out: n * cols } } },
        (io) => {
          wasm().gramUpper(op.ptr, op.m, n, msg.j0, msg.j1, io.ptr.G - 8 * n * msg.j0);
          return io.f64('G');
        });
      if (msg.out) {
        msg.out.set(part, n * msg.j0);
        p.post({ t: 'done', seq: msg.seq });
      } else {
        p.post({ t: 'done', seq: msg.seq, part }, [part.buffer]);
      }
      return;
    }
    case 'gramLoad': {
      const op = operator(msg.id);
      op.setGram(msg.G);
      wasm().gramMirror(op.gramPtr(), op.n);
      p.post({ t: 'done', seq: msg.seq });
      return;
    }
    case 'batch': {
      const op = operator(msg.id);
      const crashAt = (msg.opts as { __poolTestCrashAt?: number }).__poolTestCrashAt;
      if (crashAt !== undefined && msg.index.includes(crashAt)) {
        // test hook: an uncaught exception outside any handler, as a bug or an abort would raise
        setTimeout(() => {
          throw new Error(`pool test hook: crash on column ${crashAt}`);
        }, 0);
        return;
      }
      const { __poolTestCrashAt: _c, ...opts } = msg.opts as Record<string, unknown>;
      const r = msg.solver === 'omp'
        ? ompBatch(op, msg.Y, { ...(opts as unknown as OmpBatchOptions), precompute: msg.precompute, onError: 'collect' })
        : solveBatch(msg.solver as SolverName, op, msg.Y, { ...(opts as { k: number }), onError: 'collect' });
      const { reply, transfer } = packResult(msg.seq, r, msg.precompute);
      p.post(reply, transfer);
      return;
    }
  }
}

const p = await port();
let chain: Promise<void> = Promise.resolve();
p.listen((msg) => {
  chain = chain.then(() => handle(msg, p)).catch((e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    p.post({ t: 'fail', seq: msg.seq, name: err.name, message: err.message });
  });
});

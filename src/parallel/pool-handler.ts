// The worker side of SolverPool (src/parallel/pool.ts): one WASM instance per worker,
// one resident Operator per matrix the pool sent (until the pool drops it),
// batch tasks answered in the order they arrive. The entry file that serves
// it is pool-worker.ts; runs under Node worker_threads and as a browser
// module Web Worker.
import { ompBatch, solveBatch, BatchResult, OmpBatchOptions } from '../solvers/batch.js';
import { Matrix } from '../core/matrix.js';
import { gramBytes, Operator, operatorBytes } from '../core/operator.js';
import { STATUS_NAMES } from '../core/types.js';
import { backendInfo, wasm, init } from '../core/wasm.js';
import { runKernel } from '../core/marshal.js';
import type { SolverName } from '../solvers/registry.js';
import type { FromWorker, ToWorker, BatchReply } from './pool.js';
import type { Reply } from './workers.js';

const ops = new Map<number, Operator>();

/**
 * Frees a buffer this worker no longer needs now rather than at its next
 * garbage collection, which in a worker that allocates little comes late
 * (a worker held tens of MB of dropped matrices): the buffer is transferred
 * into a message on a channel that is then closed, which detaches it and
 * discards its memory with the message.
 */
function release(a: Float64Array): void {
  if (typeof MessageChannel === 'undefined' || a.buffer.byteLength === 0) return;
  const { port1, port2 } = new MessageChannel();
  try {
    port1.postMessage(null, [a.buffer]);
  } catch {
    // not transferable (shared, or a view into WASM memory): left to the collector
  }
  port1.close();
  port2.close();
}

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

/** Bytes this worker holds for resident matrices and their Gram matrices. */
function residentBytes(): number {
  let b = 0;
  for (const op of ops.values()) b += operatorBytes(op.m, op.n) + (op.hasGram ? gramBytes(op.n) : 0);
  return b;
}

/** Answers one request of the pool (the worker entry serves this). */
export async function handlePoolMessage(msg: ToWorker, reply: Reply<FromWorker>): Promise<void> {
  const p = { post: reply };
  switch (msg.t) {
    case 'init': {
      await init(msg.module ? { wasm: msg.module } : { simd: msg.simd });
      p.post({ t: 'done', seq: msg.seq, build: backendInfo().build });
      return;
    }
    case 'matrix': {
      ops.get(msg.id)?.dispose();
      // the Matrix wraps the received copy; Operator.dense copies it into this worker's WASM memory
      ops.set(msg.id, Operator.dense(new Matrix(msg.m, msg.n, msg.data)));
      p.post({ t: 'done', seq: msg.seq });
      return;
    }
    case 'drop': {
      const op = ops.get(msg.id);
      if (op) {
        op.dispose();
        ops.delete(msg.id);
        release(op.matrix.data);
      }
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
        // shared G: this worker's columns straight into it
        msg.out.set(part, n * msg.j0);
        p.post({ t: 'done', seq: msg.seq });
      } else p.post({ t: 'done', seq: msg.seq, part }, [part.buffer]);
      return;
    }
    case 'gramLoad': {
      const op = operator(msg.id);
      op.setGram(msg.G);
      wasm().gramMirror(op.gramPtr(), op.n);
      release(msg.G); // copied into WASM memory
      p.post({ t: 'done', seq: msg.seq });
      return;
    }
    case 'stats': {
      p.post({ t: 'stats', seq: msg.seq, matrices: ops.size, bytes: residentBytes() });
      return;
    }
    case 'batch': {
      const op = operator(msg.id);
      const opts = msg.opts;
      const r = msg.solver === 'omp'
        ? ompBatch(op, msg.Y, { ...(opts as unknown as OmpBatchOptions), precompute: msg.precompute, onError: 'collect' })
        : solveBatch(msg.solver as SolverName, op, msg.Y, { ...(opts as { k: number }), onError: 'collect' });
      if (msg.out) {
        // shared X: written here, not sent back
        msg.out.set(r.X);
        r.X = new Float64Array(0);
      }
      const { reply, transfer } = packResult(msg.seq, r, msg.precompute);
      p.post(reply, transfer);
      return;
    }
  }
}

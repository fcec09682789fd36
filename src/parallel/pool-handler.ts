// The worker side of SolverPool (src/parallel/pool.ts): one WASM instance per worker,
// one resident Operator per matrix the pool sent (until the pool drops it),
// batch tasks answered in the order they arrive. The entry file that serves
// it is pool-worker.ts; runs under Node worker_threads and as a browser
// module Web Worker.
import { ompBatch, solveBatch, BatchResult, OmpBatchOptions } from '../solvers/batch.js';
import { Matrix } from '../core/matrix.js';
import { gramBytes, Operator, operatorBytes, operatorFromSpec } from '../core/operator.js';
import { STATUS_NAMES } from '../core/types.js';
import { alloc, backendInfo, checkMemory, f64View, free, wasm, init } from '../core/wasm.js';
import type { SolverName } from '../solvers/registry.js';
import type { FromWorker, ToWorker, BatchReply } from './pool.js';
import type { Reply } from './workers.js';
import { complexSolveBatch, type ComplexSolverName } from '../complex/batch.js';
import { complexOperatorFromSpec, PartialFourierOperator } from '../complex/operator.js';

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

/** A Gram matrix being built here: its WASM block (n x n) and which of its columns are complete (both triangles). */
interface Building {
  ptr: number;
  done: Uint8Array;
  filled: number;
}

/** Gram matrices being built (matrix id -> block), until every column is complete. */
const building = new Map<number, Building>();

/** The Gram matrix of `id` being built here, allocated on first use. */
function buildingGram(id: number, op: Operator): Building {
  let b = building.get(id);
  if (b === undefined) {
    checkMemory('SolverPool', `the Gram matrix A^T A (${op.n} x ${op.n})`, { G: gramBytes(op.n) }, `n = ${op.n}`);
    b = { ptr: alloc(gramBytes(op.n)), done: new Uint8Array(op.n), filled: 0 };
    building.set(id, b);
  }
  return b;
}

/** Columns [j0, j1) of G are complete; once all are, G is installed on the operator. */
function gramColumnsDone(id: number, op: Operator, b: Building, j0: number, j1: number): void {
  for (let j = j0; j < j1; j++) {
    if (b.done[j] === 0) {
      b.done[j] = 1;
      b.filled++;
    }
  }
  if (b.filled === op.n) {
    building.delete(id);
    op.adoptGram(b.ptr);
  }
}

function dropBuilding(id: number): void {
  const b = building.get(id);
  if (b !== undefined) {
    building.delete(id);
    free(b.ptr);
  }
}

/** Columns [j0, j1) of G's upper triangle (column j: rows 0..j), packed one after the other. */
function packUpper(ptr: number, n: number, j0: number, j1: number): Float64Array {
  const G = f64View(ptr, n * n);
  const out = new Float64Array(upperLength(j0, j1));
  let o = 0;
  for (let j = j0; j < j1; j++) {
    out.set(G.subarray(j * n, j * n + j + 1), o);
    o += j + 1;
  }
  return out;
}

/** The inverse of packUpper: the packed columns into G's upper triangle. */
function unpackUpper(part: Float64Array, ptr: number, n: number, j0: number, j1: number): void {
  if (part.length !== upperLength(j0, j1)) throw new RangeError(`sparse-pursuit pool worker: a Gram part of columns ${j0}..${j1} must have ${upperLength(j0, j1)} entries, received ${part.length}`);
  const G = f64View(ptr, n * n);
  let o = 0;
  for (let j = j0; j < j1; j++) {
    G.set(part.subarray(o, o + j + 1), j * n);
    o += j + 1;
  }
}

/** Entries of columns [j0, j1) of an upper triangle (column j has j + 1). */
function upperLength(j0: number, j1: number): number {
  return (j1 * (j1 + 1) - j0 * (j0 + 1)) / 2;
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
  for (const [id, op] of ops) b += (op.structured ? op.bytes : operatorBytes(op.m, op.n)) + (op.hasGram ? gramBytes(op.n) : 0) + (building.has(id) ? gramBytes(op.n) : 0);
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
      dropBuilding(msg.id);
      ops.get(msg.id)?.dispose();
      // the Matrix wraps the received copy; the Operator copies it into this worker's WASM memory
      // checked on the main thread (construction and this call): no pass over the entries here, and
      // the column norms and max |a_ij| the main thread computed come with them (the same values)
      ops.set(msg.id, Operator.ofChecked('SolverPool', Matrix.checkedCopy(msg.m, msg.n, msg.data, msg.facts)));
      p.post({ t: 'done', seq: msg.seq });
      return;
    }
    case 'operator': {
      dropBuilding(msg.id);
      ops.get(msg.id)?.dispose();
      // a structured operator, rebuilt from its spec: the same kernels on the same plan as the caller's
      ops.set(msg.id, operatorFromSpec(msg.spec));
      p.post({ t: 'done', seq: msg.seq });
      return;
    }
    case 'drop': {
      dropBuilding(msg.id);
      const op = ops.get(msg.id);
      if (op) {
        op.dispose();
        ops.delete(msg.id);
        if (!op.structured) release(op.matrix.data); // a structured operator's matrix has no entries here
      }
      p.post({ t: 'done', seq: msg.seq });
      return;
    }
    case 'gramPart': {
      // columns [j0, j1) of the upper triangle of G, computed in place into
      // this worker's Gram matrix in the making; the reply carries them packed
      // (column j: rows 0..j) for the other workers (with `pack`), and is sent
      // before these columns are mirrored here, which overlaps the mirror with
      // the trip of the parts
      const op = operator(msg.id);
      const b = buildingGram(msg.id, op);
      wasm().gramUpper(op.ptr, op.m, op.n, msg.j0, msg.j1, b.ptr);
      if (msg.pack) {
        const part = packUpper(b.ptr, op.n, msg.j0, msg.j1);
        p.post({ t: 'done', seq: msg.seq, part }, [part.buffer]);
      } else p.post({ t: 'done', seq: msg.seq });
      wasm().gramMirrorCols(b.ptr, op.n, msg.j0, msg.j1);
      gramColumnsDone(msg.id, op, b, msg.j0, msg.j1);
      return;
    }
    case 'gramFill': {
      // the columns the other workers computed: G is complete, mirrored and installed
      const op = operator(msg.id);
      const b = building.get(msg.id);
      if (b === undefined) throw new Error(`sparse-pursuit pool worker: no Gram matrix of matrix ${msg.id} is being built here`);
      try {
        for (const q of msg.parts) {
          unpackUpper(q.part, b.ptr, op.n, q.j0, q.j1);
          wasm().gramMirrorCols(b.ptr, op.n, q.j0, q.j1);
        }
        for (const q of msg.parts) gramColumnsDone(msg.id, op, b, q.j0, q.j1);
        if (building.has(msg.id)) throw new Error(`sparse-pursuit pool worker: the Gram parts of matrix ${msg.id} leave ${op.n - b.filled} of its ${op.n} columns missing`);
      } catch (e) {
        dropBuilding(msg.id); // a batch on the Gram path builds G whole here instead
        throw e;
      }
      for (const q of msg.parts) release(q.part);
      p.post({ t: 'done', seq: msg.seq });
      return;
    }
    case 'gramLoad': {
      // a worker that took no part: the whole G here (the same bits, assembly/gram.ts)
      const op = operator(msg.id);
      dropBuilding(msg.id);
      op.disposeGram();
      op.gramPtr('SolverPool');
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
    case 'complexBatch': {
      // A rebuilt for this chunk (a ComplexMatrix copy, or a partial Fourier operator on the same plan), then dropped
      const A = complexOperatorFromSpec(msg.A);
      try {
        const warm = msg.X0 ? { X0: msg.X0 } : {};
        const r = complexSolveBatch(msg.solver as ComplexSolverName, A, msg.Y, { ...msg.opts, ...warm, onError: 'collect' });
        const { reply, transfer } = packResult(msg.seq, r, undefined);
        p.post(reply, transfer);
      } finally {
        if (A instanceof PartialFourierOperator) A.dispose();
      }
      return;
    }
  }
}

// The one marshaller: every kernel call of the facade goes through runKernel,
// which lays out the call's buffers once (the same layout sizes the block and
// carves it), refuses a call that cannot fit in WASM memory before anything is
// allocated (naming the function the user called), makes A resident for the
// call when it is not already, writes the inputs, runs the kernel, copies the
// outputs out, decodes the status, and frees what it made.
import type { Ptr } from './kernels.js';
import type { Matrix } from './matrix.js';
import { Operator, operatorParts } from './operator.js';
import { decodeStatus } from './status.js';
import type { Status } from './types.js';
import { Carver, checkMemory, checkNotInHost, f64View, i32View, makeRoom, scratch, scratchGrowth } from './wasm.js';

/**
 * One buffer of a kernel call:
 * - `{ f64: data }`: an input, written before the call (`f64: null`: absent, pointer 0);
 * - `{ out: len }` / `{ outI32: len }`: an output of len f64 / int32 values;
 * - `{ bytes }`: workspace, neither written nor read;
 * - `null`: absent (the kernel receives pointer 0).
 */
export type Buf =
  | { f64: ArrayLike<number> | null }
  | { out: number }
  | { outI32: number }
  | { bytes: number }
  | null;

/** What runKernel needs to know about a call. */
export interface KernelCall<B extends Record<string, Buf>> {
  /** The public function the user called (named in every refusal and error). */
  fn: string;
  /** What needs the memory, for refusals (e.g. `A (20 x 40) with k = 3`). */
  what: string;
  /** The arguments, for refusals (e.g. `m = 20, n = 40, k = 3`). */
  received: string;
  /** Name of the call's own buffers in refusals. Default 'vectors and workspace'. */
  label?: string;
  /** A, resident for the call: an Operator, or a Matrix copied in for the call (and counted in the memory check). */
  A?: { matrix: Matrix; op: Operator | null };
  /** The buffers, in the order they are laid out. */
  bufs: B;
}

/** The call as the kernel body sees it (call its methods on it: they are not bound). */
export interface KernelIO<B extends Record<string, Buf>> {
  /** The resident A (when the call has one). */
  op: Operator;
  /** Byte address of every buffer (0 for an absent one). */
  ptr: { [K in keyof B]: Ptr };
  /** A copy of f64 buffer `name` (its first `len` values; default: all of it). */
  f64(name: keyof B, len?: number): Float64Array;
  /** A copy of int32 buffer `name`. */
  i32(name: keyof B, len?: number): Int32Array;
  /** A view of f64 buffer `name`, valid until the next allocation (use at once). */
  view(name: keyof B): Float64Array;
  /** A view of int32 buffer `name` (same lifetime as view). */
  viewI32(name: keyof B): Int32Array;
  /** The status named by kernel code `code` (an unknown code throws, naming fn). */
  status<S extends Status = Status>(code: number, allowed?: readonly S[]): S;
}

function bufBytes(b: Buf): number {
  if (b === null) return 0;
  if ('f64' in b) return b.f64 === null ? 0 : b.f64.length * 8;
  if ('out' in b) return b.out * 8;
  if ('outI32' in b) return b.outI32 * 4;
  return b.bytes;
}

function bufLength(b: Buf): number {
  if (b === null) return 0;
  if ('f64' in b) return b.f64 === null ? 0 : b.f64.length;
  if ('out' in b) return b.out;
  if ('outI32' in b) return b.outI32;
  return b.bytes / 8;
}

/**
 * Runs `body` with A resident: `A.op` itself, or a temporary copy of
 * `A.matrix`, refused before copying when it does not fit (RangeError naming
 * `call.fn`, with `extra` bytes the caller will also need) and freed afterwards.
 */
export function withOperator<T>(call: { fn: string; what?: string; received?: string }, A: { matrix: Matrix; op: Operator | null },
                                body: (op: Operator) => T, extra: Record<string, number> = {}): T {
  if (A.op) return body(A.op);
  const { m, n } = A.matrix;
  const parts = { ...operatorParts(m, n), ...extra };
  makeRoom(Object.values(parts).reduce((a, b) => a + b, 0));
  checkMemory(call.fn, call.what ?? `A (${m} x ${n})`, parts, call.received ?? `m = ${m}, n = ${n}`);
  const op = Operator.dense(A.matrix);
  try {
    return body(op);
  } finally {
    op.dispose();
  }
}

/** The buffers of one kernel call as the body sees them (a class: nothing is made per call but the object and its addresses). */
class CallIO<B extends Record<string, Buf>> implements KernelIO<B> {
  constructor(readonly op: Operator, readonly ptr: { [K in keyof B]: Ptr }, private readonly call: KernelCall<B>) {}

  private len(name: keyof B): number {
    return bufLength(this.call.bufs[name]);
  }

  // copies by new + set: cheaper than slice() on a view of WASM memory (no species lookup)
  f64(name: keyof B, n = this.len(name)): Float64Array {
    const out = new Float64Array(n);
    out.set(f64View(this.ptr[name], n));
    return out;
  }

  i32(name: keyof B, n = this.len(name)): Int32Array {
    const out = new Int32Array(n);
    out.set(i32View(this.ptr[name], n));
    return out;
  }

  view(name: keyof B): Float64Array {
    return f64View(this.ptr[name], this.len(name));
  }

  viewI32(name: keyof B): Int32Array {
    return i32View(this.ptr[name], this.len(name));
  }

  status<S extends Status = Status>(code: number, allowed?: readonly S[]): S {
    return decodeStatus(this.call.fn, code, allowed);
  }
}

/** Carves the laid-out buffers from the scratch block (`total` bytes), writes the inputs and runs `body`. */
function runCarved<B extends Record<string, Buf>, R>(call: KernelCall<B>, off: Record<keyof B, number>, total: number, op: Operator,
                                                     body: (io: KernelIO<B>) => R): R {
  const base = scratch(total);
  const ptr = {} as { [K in keyof B]: Ptr };
  for (const name in call.bufs) {
    ptr[name] = off[name] < 0 ? 0 : base + off[name];
    const b = call.bufs[name];
    if (b !== null && 'f64' in b && b.f64 !== null) f64View(ptr[name], b.f64.length).set(b.f64);
  }
  return body(new CallIO(op, ptr, call));
}

/**
 * Lays out `call.bufs` in the scratch block, checks memory (with the copy of
 * A when one is needed), writes the inputs and runs `body`, which calls the
 * kernel with `io.ptr` and reads its outputs through `io`.
 */
export function runKernel<B extends Record<string, Buf>, R>(call: KernelCall<B>, body: (io: KernelIO<B>) => R): R {
  checkNotInHost(call.fn);
  const c = new Carver();
  const off = {} as Record<keyof B, number>;
  for (const name in call.bufs) {
    const b = call.bufs[name];
    off[name] = b === null || ('f64' in b && b.f64 === null) ? -1 : c.take(bufBytes(b));
  }
  const parts: Record<string, number> = {};
  let need = 0;
  if (call.A !== undefined && call.A.op === null) {
    Object.assign(parts, operatorParts(call.A.matrix.m, call.A.matrix.n));
    for (const v of Object.values(parts)) need += v;
  }
  makeRoom(need + scratchGrowth(c.total));
  parts[call.label ?? 'vectors and workspace'] = scratchGrowth(c.total); // after makeRoom, which may have freed the scratch block
  checkMemory(call.fn, call.what, parts, call.received);
  if (call.A === undefined) return runCarved(call, off, c.total, null as unknown as Operator, body);
  if (call.A.op) return runCarved(call, off, c.total, call.A.op, body);
  const op = Operator.dense(call.A.matrix);
  try {
    return runCarved(call, off, c.total, op, body);
  } finally {
    op.dispose();
  }
}

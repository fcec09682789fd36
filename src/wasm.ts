// The only file that touches the WebAssembly instance and `memory.buffer`.
//
// Memory model:
// - The facade owns every buffer a kernel sees: `alloc`/`free` over the AS
//   heap (TLSF). Kernels take pointers and sizes and allocate nothing.
// - Any allocation may grow memory, and growing memory detaches every old
//   view. So views are built fresh by `f64View`/`i32View` right where they are
//   used and never kept across an `alloc`.
// - Per-call buffers (y, x, support, info, solver workspace) come from one
//   grow-only scratch block: after warm-up a solve allocates nothing.
import { instantiate } from '@assemblyscript/loader';

/** The raw ABI exported by build/*.wasm (pointers are byte offsets). */
export interface WasmExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  dot(x: number, y: number, n: number): number;
  axpy(a: number, x: number, y: number, n: number): void;
  nrm2(x: number, n: number): number;
  gemvT(A: number, m: number, n: number, r: number, out: number): void;
  gemvN(A: number, m: number, n: number, x: number, out: number): void;
  colNorms(A: number, m: number, n: number, norms: number): void;
  spectralNorm(A: number, m: number, n: number, maxIter: number, rtol: number, v: number, u: number): number;
  argmaxAbs(v: number, scale: number, mask: number, n: number): number;
  topK(v: number, n: number, k: number, out: number, idx: number, flags: number): void;
  hardThreshold(x: number, n: number, k: number, support: number, idx: number, flags: number): void;
  [name: string]: unknown;
}

/** Where the WASM bytes come from. */
export type WasmSource = string | URL | Response | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

export interface InitOptions {
  /**
   * The module to load: a URL, a fetch Response, raw bytes or a compiled module.
   * Default: the package's own build/release.wasm (SIMD) or, where the engine
   * lacks WebAssembly SIMD or `simd: false` is given, build/scalar.wasm.
   * When only `wasm` is given it is loaded as is, whatever `simd` says.
   */
  wasm?: WasmSource;
  /** The scalar build to load instead of `wasm` when SIMD is off (see `simd`). Default: the package's build/scalar.wasm. */
  scalarWasm?: WasmSource;
  /**
   * true: the SIMD build; false: the scalar build (no v128 anywhere); default:
   * SIMD where `simdSupported()` says the engine has it, scalar otherwise.
   */
  simd?: boolean;
}

/** Which build runs, and what the engine offers (see backendInfo()). */
export interface BackendInfo {
  /** 'simd' (build/release.wasm) or 'scalar' (build/scalar.wasm), read from the loaded module itself. */
  build: 'simd' | 'scalar';
  /** Whether this engine validates WebAssembly SIMD (the probe in simdSupported()). */
  simdSupported: boolean;
}

let ex: WasmExports | null = null;
let loading: Promise<void> | null = null;
let loadedModule: WebAssembly.Module | null = null;

// The smallest module using a SIMD opcode: one function `() -> v128` whose
// body is `i32.const 0; i8x16.splat`. Engines without SIMD reject the v128
// type, so WebAssembly.validate() answers the feature question without
// compiling anything real.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b,       // type section: () -> v128
  0x03, 0x02, 0x01, 0x00,                         // function section: one function of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b, // code: i32.const 0, i8x16.splat, end
]);

/** True when this engine supports WebAssembly SIMD (fixed-width 128-bit). */
export function simdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** The build init() loads for `simd` (undefined: auto) on an engine where SIMD is `supported`. */
export function chooseBuild(simd: boolean | undefined, supported: boolean): 'simd' | 'scalar' {
  if (simd === undefined) return supported ? 'simd' : 'scalar';
  if (simd && !supported) {
    throw new RangeError('init: simd must be false or undefined on this engine (it does not support WebAssembly SIMD), received true');
  }
  return simd ? 'simd' : 'scalar';
}

/** True once init() has completed. */
export function isReady(): boolean {
  return ex !== null;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && !!(process as { versions?: { node?: string } }).versions?.node;
}

async function defaultBytes(build: 'simd' | 'scalar' = 'simd'): Promise<ArrayBuffer | Response> {
  const url = build === 'simd' ? new URL('../build/release.wasm', import.meta.url) : new URL('../build/scalar.wasm', import.meta.url);
  if (isNode() && url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    const buf = await readFile(url);
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  }
  return fetch(url);
}

async function resolveSource(src: WasmSource | undefined, build: 'simd' | 'scalar' = 'simd'): Promise<ArrayBuffer | Response | WebAssembly.Module | ArrayBufferView> {
  if (src === undefined) return defaultBytes(build);
  if (typeof src === 'string' || src instanceof URL) {
    const url = src instanceof URL ? src : new URL(src, isNode() ? `file://${process.cwd()}/` : globalThis.location?.href);
    if (isNode() && url.protocol === 'file:') {
      const { readFile } = await import('node:fs/promises');
      const buf = await readFile(url);
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    }
    return fetch(url);
  }
  return src;
}

class WasmAbort extends Error {}

/**
 * Loads and instantiates the WASM module once. Idempotent: later calls
 * return at once (options are ignored once loaded). Picks the SIMD or the
 * scalar build (see InitOptions.simd); backendInfo() tells which one runs.
 */
export async function init(options: InitOptions = {}): Promise<void> {
  if (ex) return;
  if (!loading) {
    if (options.simd !== undefined && typeof options.simd !== 'boolean') {
      throw new TypeError(`init: simd must be a boolean or undefined, received ${typeof options.simd}`);
    }
    loading = (async () => {
      const build = options.wasm !== undefined && options.scalarWasm === undefined
        ? 'simd'
        : chooseBuild(options.simd, simdSupported());
      const src = await resolveSource(build === 'simd' ? options.wasm : options.scalarWasm, build);
      const imports = {
        env: {
          abort(_msg: number, _file: number, line: number, col: number): void {
            throw new WasmAbort(`sparse-pursuit: WASM abort (out of memory?) at ${line}:${col}`);
          },
        },
      };
      const mod = await instantiate<Record<string, unknown>>(src as never, imports);
      loadedModule = mod.module;
      ex = mod.exports as unknown as WasmExports;
    })();
    try {
      await loading;
    } catch (e) {
      loading = null;
      throw e;
    }
  } else {
    await loading;
  }
}

/** The instance's exports; throws if init() has not completed. */
export function wasm(): WasmExports {
  if (!ex) throw new Error('sparse-pursuit: the WASM backend is not loaded; call `await init()` first (or pass backend: "js")');
  return ex;
}

/** Which build runs ('simd' or 'scalar', read from the module) and whether the engine has SIMD. Requires init(). */
export function backendInfo(): BackendInfo {
  const f = wasm().simdBuild;
  return { build: typeof f === 'function' && (f as () => number)() === 1 ? 'simd' : 'scalar', simdSupported: simdSupported() };
}

/** @internal The compiled module init() loaded (the worker pool instantiates it again in each worker). */
export function wasmModule(): WebAssembly.Module {
  wasm();
  return loadedModule as WebAssembly.Module;
}

/** A fresh Float64Array view on [ptr, ptr + 8 len). Do not keep it across any call that may allocate. */
export function f64View(ptr: number, len: number): Float64Array {
  return new Float64Array(wasm().memory.buffer, ptr, len);
}

/** A fresh Int32Array view on [ptr, ptr + 4 len). Same lifetime rule as f64View. */
export function i32View(ptr: number, len: number): Int32Array {
  return new Int32Array(wasm().memory.buffer, ptr, len);
}

/** Current size of the WASM linear memory in bytes. */
export function memoryBytes(): number {
  return wasm().memory.buffer.byteLength;
}

/** Largest linear memory the module may grow to (wasm32: 4 GiB). */
export const MAX_MEMORY_BYTES = 65536 * 65536;

/** Allocates `bytes` bytes in WASM memory; throws RangeError when memory cannot grow. */
export function alloc(bytes: number): number {
  const need = Math.max(16, Math.ceil(bytes));
  if (need > MAX_MEMORY_BYTES) {
    throw new RangeError(`sparse-pursuit: a buffer of ${need} bytes exceeds the ${MAX_MEMORY_BYTES}-byte WASM memory`);
  }
  try {
    return wasm().alloc(need);
  } catch (e) {
    if (e instanceof WasmAbort || e instanceof RangeError) {
      throw new RangeError(`sparse-pursuit: could not allocate ${need} bytes of WASM memory (now ${memoryBytes()} bytes)`);
    }
    throw e;
  }
}

/** Frees a block from alloc. */
export function free(ptr: number): void {
  if (ptr) wasm().free(ptr);
}

/** Allocates and fills a f64 buffer with `data`. */
export function allocF64(data: ArrayLike<number>): number {
  const p = alloc(data.length * 8);
  f64View(p, data.length).set(data);
  return p;
}

/** Copies `data` into WASM memory at ptr. */
export function writeF64(ptr: number, data: ArrayLike<number>): void {
  f64View(ptr, data.length).set(data);
}

/** Copies len doubles out of WASM memory into `out` (or a new array). */
export function readF64(ptr: number, len: number, out?: Float64Array): Float64Array {
  const dst = out ?? new Float64Array(len);
  dst.set(f64View(ptr, len));
  return dst;
}

/** Copies len int32 out of WASM memory. */
export function readI32(ptr: number, len: number): Int32Array {
  return i32View(ptr, len).slice();
}

// ---------------------------------------------------------------- scratch

let scratchPtr = 0;
let scratchBytes = 0;

/**
 * A grow-only scratch block of at least `bytes` bytes, reused by every call.
 * Calling it may allocate (and so detach views); nothing may hold a scratch
 * pointer across another facade call.
 */
export function scratch(bytes: number): number {
  if (bytes > scratchBytes) {
    if (scratchPtr) free(scratchPtr);
    scratchPtr = 0;
    scratchBytes = 0;
    // grow geometrically so a sequence of slightly larger calls reallocates rarely
    const size = Math.max(bytes, Math.min(MAX_MEMORY_BYTES, Math.ceil(bytes * 1.25)), 65536);
    scratchPtr = alloc(size);
    scratchBytes = size;
  }
  return scratchPtr;
}

/** Carves 16-byte aligned pieces out of a block: the TS mirror of assembly/workspace.ts. */
export class Carver {
  private off = 0;
  /** Reserves `bytes`; returns its offset from the block start. */
  take(bytes: number): number {
    const o = this.off;
    this.off += Math.ceil(bytes / 16) * 16;
    return o;
  }
  /** Total bytes reserved. */
  get total(): number {
    return this.off;
  }
}

/** Calls an exported kernel by name. */
export function call(name: string, ...args: number[]): number {
  const f = wasm()[name];
  if (typeof f !== 'function') throw new Error(`sparse-pursuit: the WASM module has no export '${name}' (stale build/?)`);
  return (f as (...a: number[]) => number)(...args);
}

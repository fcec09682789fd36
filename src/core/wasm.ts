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
import { instantiate, instantiateStreaming } from '@assemblyscript/loader';
import { describe } from './errors.js';
import type { WasmMemory, WasmModule } from './types.js';
import { KERNEL_NAMES, Kernels, USIZE_RESULTS } from './kernels.js';

/**
 * The module's exports as the facade sees them: the memory and every kernel,
 * typed from the AssemblyScript declarations (src/core/kernels.ts, generated
 * at build time), with every usize result read unsigned.
 */
export type WasmExports = Kernels & { memory: WasmMemory };

/**
 * The typed exports of a loaded module: a kernel missing from it is an error
 * here, not at its first call; usize results (pointers, byte counts) are
 * converted with `>>> 0`, so addresses above 2 GiB stay positive.
 */
function bindExports(e: Record<string, unknown>): WasmExports {
  const missing = KERNEL_NAMES.filter((name) => typeof e[name] !== 'function');
  if (missing.length > 0) {
    throw new TypeError(`init: wasm must be a build of this version of sparse-pursuit (exporting every kernel of src/core/kernels.ts), received a module without ${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ` and ${missing.length - 4} more` : ''}`);
  }
  const out: Record<string, unknown> = { memory: e.memory };
  for (const name of KERNEL_NAMES) {
    const f = e[name] as (...a: number[]) => number;
    out[name] = USIZE_RESULTS.has(name) ? (...a: number[]) => f(...a) >>> 0 : f;
  }
  return out as unknown as WasmExports;
}

/**
 * Where the WASM module comes from:
 * - a URL or string: fetched in browsers (streaming compile when the server
 *   sends `application/wasm`); in Node a `file:` URL or a plain path (relative
 *   to the working directory) is read from disk, `http(s):` is fetched;
 * - a `Response` (or a promise of one, e.g. `fetch(url)`);
 * - the bytes (`ArrayBuffer` or any typed array / `DataView` over them);
 * - a compiled `WebAssembly.Module`, for hosts whose content security policy
 *   forbids compiling at run time (compile where it is allowed, then pass the
 *   module, e.g. to a Web Worker through postMessage).
 */
export type WasmSource = string | URL | Response | PromiseLike<Response> | ArrayBuffer | ArrayBufferView | WasmModule;

/**
 * The three builds of the kernels (docs/builds.md): 'relaxed'
 * (build/relaxed.wasm, SIMD with fused multiply-adds), 'simd'
 * (build/release.wasm) and 'scalar' (build/scalar.wasm, no v128). 'simd' and
 * 'scalar' give the same bits; 'relaxed' agrees with them to rounding.
 */
export type BuildName = 'simd' | 'scalar' | 'relaxed';

export interface InitOptions {
  /**
   * The module to load (see WasmSource). Default: the package's own build
   * chosen by `build` (build/relaxed.wasm, build/release.wasm or
   * build/scalar.wasm), found next to this file. When `wasm` is given without
   * `scalarWasm`, `relaxedWasm` and `build`, it is loaded as is, whatever
   * `simd` says; otherwise it is the 'simd' build's source.
   */
  wasm?: WasmSource;
  /** The scalar build's source, when that build is chosen (see `build`). Default: the package's build/scalar.wasm. */
  scalarWasm?: WasmSource;
  /** The relaxed-SIMD build's source, when that build is chosen (see `build`). Default: the package's build/relaxed.wasm. */
  relaxedWasm?: WasmSource;
  /**
   * Which build to load. Default 'auto': 'relaxed' where the engine has
   * relaxed SIMD (relaxedSimdSupported()), else 'simd' where it has SIMD
   * (simdSupported()), else 'scalar'. A build the engine cannot run is refused
   * with a RangeError.
   */
  build?: BuildName | 'auto';
  /**
   * The older switch, kept: true means build 'simd', false build 'scalar';
   * undefined leaves the choice to `build`. Giving both is allowed only when they agree.
   */
  simd?: boolean;
}

/** Which build runs, and what the engine offers (see backendInfo()). */
export interface BackendInfo {
  /** The build loaded ('relaxed', 'simd' or 'scalar'), read from the loaded module itself. */
  build: BuildName;
  /** Whether this engine validates WebAssembly SIMD (the probe in simdSupported()). */
  simdSupported: boolean;
  /** Whether this engine validates relaxed SIMD (the probe in relaxedSimdSupported()). */
  relaxedSimdSupported: boolean;
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

// The smallest module using a relaxed-SIMD opcode: `() -> v128` whose body
// makes three zero vectors (i32.const 0; i8x16.splat) and combines them with
// f64x2.relaxed_madd (0xfd 0x107, LEB128 0x87 0x02). Engines without relaxed
// SIMD (Node 20 without --experimental-wasm-relaxed-simd) reject the opcode.
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b,       // type section: () -> v128
  0x03, 0x02, 0x01, 0x00,                         // function section: one function of type 0
  0x0a, 0x13, 0x01, 0x11, 0x00,                   // code section, one body of 17 bytes, no locals
  0x41, 0x00, 0xfd, 0x0f, 0x41, 0x00, 0xfd, 0x0f, 0x41, 0x00, 0xfd, 0x0f, // three i8x16.splat of 0
  0xfd, 0x87, 0x02, 0x0b,                         // f64x2.relaxed_madd, end
]);

/** True when this engine supports WebAssembly relaxed SIMD (and so can run build/relaxed.wasm). */
export function relaxedSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

const BUILDS: readonly BuildName[] = ['relaxed', 'simd', 'scalar'];

/**
 * The build init() loads for `simd` (undefined: no preference) and `build`
 * (undefined or 'auto': the best the engine runs) on an engine where SIMD is
 * `supported` and relaxed SIMD `relaxedSupported`. Throws on a build the
 * engine cannot run, or on `simd` and `build` that disagree.
 */
export function chooseBuild(simd: boolean | undefined, supported: boolean, build?: BuildName | 'auto', relaxedSupported = false): BuildName {
  if (build !== undefined && build !== 'auto' && !BUILDS.includes(build)) {
    throw new TypeError(`init: build must be 'auto', 'relaxed', 'simd' or 'scalar', received ${describe(build)}`);
  }
  if (build !== undefined && build !== 'auto' && simd !== undefined && simd !== (build !== 'scalar')) {
    throw new RangeError(`init: simd and build disagree (simd: ${simd} asks for ${simd ? "a SIMD build" : "'scalar'"}): give one of them, received build '${build}' and simd ${simd}`);
  }
  if (simd === true && !supported) {
    throw new RangeError('init: simd must be false or undefined on this engine (it does not support WebAssembly SIMD), received true');
  }
  if (build === 'relaxed' && !relaxedSupported) {
    throw new RangeError(`init: build must be 'simd', 'scalar' or 'auto' on this engine (it does not support WebAssembly relaxed SIMD${supported ? '' : ' nor SIMD'}), received 'relaxed'`);
  }
  if (build === 'simd' && !supported) {
    throw new RangeError("init: build must be 'scalar' or 'auto' on this engine (it does not support WebAssembly SIMD), received 'simd'");
  }
  if (build !== undefined && build !== 'auto') return build;
  if (simd !== undefined) return simd ? 'simd' : 'scalar';
  return relaxedSupported && supported ? 'relaxed' : supported ? 'simd' : 'scalar';
}

/** True once init() has completed. */
export function isReady(): boolean {
  return ex !== null;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && !!(process as { versions?: { node?: string } }).versions?.node;
}

// Node built-ins are reached without any static `import`, so that bundlers
// building for the browser never see (nor try to polyfill) them:
// process.getBuiltinModule (Node >= 20.16), else a dynamic import of a
// computed specifier that bundlers are told to leave alone.
/** @internal (also used by the worker pool) */
export async function nodeBuiltin<T>(name: string): Promise<T> {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof get === 'function') return get(name) as T;
  const spec = name;
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ spec)) as T;
}

async function readFileUrl(url: URL): Promise<Uint8Array> {
  const fs = await nodeBuiltin<{ readFile(p: URL): Promise<Uint8Array> }>('node:fs/promises');
  try {
    return await fs.readFile(url);
  } catch (e) {
    throw new Error(`init: cannot read the WASM file ${decodeURIComponent(url.pathname)}: ${(e as Error).message}`);
  }
}

/** A string source as a URL: in Node a plain path is a file path (relative to the working directory). */
async function toUrl(s: string): Promise<URL> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(s) && !/^[a-z]:[\\/]/i.test(s)) return new URL(s);
  if (isNode()) {
    const url = await nodeBuiltin<{ pathToFileURL(p: string): URL }>('node:url');
    return url.pathToFileURL(s);
  }
  const base = (globalThis as { document?: { baseURI?: string } }).document?.baseURI ?? globalThis.location?.href;
  return new URL(s, base);
}

function isResponse(v: unknown): v is Response {
  return typeof Response !== 'undefined' && v instanceof Response;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

type Instantiated = { exports: Record<string, unknown>; module: WebAssembly.Module };

/** Instantiates from a fetch Response: streaming when the MIME type allows it, else from its bytes. */
async function fromResponse(res: Response, imports: WebAssembly.Imports): Promise<Instantiated> {
  if (!res.ok) throw new Error(`init: fetching the WASM module ${res.url || ''} failed: HTTP ${res.status} ${res.statusText}`.replace('  ', ' '));
  const type = res.headers.get('content-type') ?? '';
  if (typeof WebAssembly.instantiateStreaming === 'function' && /^application\/wasm\b/i.test(type)) {
    return instantiateStreaming(res, imports);
  }
  // Streaming compilation insists on `application/wasm`; servers that send
  // something else (file://, misconfigured hosts) still work through the bytes.
  return instantiate(await res.arrayBuffer(), imports);
}

async function fromUrl(url: URL, imports: WebAssembly.Imports): Promise<Instantiated> {
  if (url.protocol === 'file:' && isNode()) return instantiate(await readFileUrl(url) as never, imports);
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`init: cannot fetch the WASM module ${url.href}: ${(e as Error).message}`);
  }
  return fromResponse(res, imports);
}

async function load(src: WasmSource | undefined, imports: WebAssembly.Imports, build: BuildName = 'simd'): Promise<Instantiated> {
  // Keep these `new URL(literal, import.meta.url)` forms: bundlers (Vite,
  // webpack 5, Parcel, esbuild with its plugin) recognise them and ship the files.
  if (src === undefined) {
    if (build === 'relaxed') return fromUrl(new URL('../../build/relaxed.wasm', import.meta.url), imports);
    return build === 'simd'
      ? fromUrl(new URL('../../build/release.wasm', import.meta.url), imports)
      : fromUrl(new URL('../../build/scalar.wasm', import.meta.url), imports);
  }
  if (typeof src === 'string') return fromUrl(await toUrl(src), imports);
  if (src instanceof URL) return fromUrl(src, imports);
  if (isResponse(src)) return fromResponse(src, imports);
  if (src instanceof WebAssembly.Module) return instantiate(src as never, imports);
  if (src instanceof ArrayBuffer || ArrayBuffer.isView(src)) {
    const bytes = src instanceof ArrayBuffer ? new Uint8Array(src) : new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
    return instantiate(bytes as never, imports);
  }
  if (isThenable(src)) {
    const res = await src;
    if (isResponse(res)) return fromResponse(res, imports);
    throw new TypeError(`init: a promise passed as wasm must resolve to a Response, received ${describe(res)}`);
  }
  throw new TypeError(`init: wasm must be a URL, string, Response, ArrayBuffer, typed array or WebAssembly.Module, received ${describe(src)}`);
}

class WasmAbort extends Error {}

/**
 * Loads and instantiates the WASM module once. Idempotent: later calls
 * return at once (options are ignored once loaded); concurrent calls share
 * one load; a failed load can be retried.
 *
 * @param options `build` ('auto' default, 'relaxed', 'simd', 'scalar') or
 *   the older `simd` boolean: which build; `wasm`, `scalarWasm`,
 *   `relaxedWasm`: where each comes from (default: the package's build/
 *   files, next to this file; see InitOptions); backendInfo() tells which one runs.
 */
export async function init(options: InitOptions = {}): Promise<void> {
  if (ex) return;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`init: options must be an object such as { wasm }, received ${describe(options)}`);
  }
  if (!loading) {
    if (options.simd !== undefined && typeof options.simd !== 'boolean') {
      throw new TypeError(`init: simd must be a boolean or undefined, received ${describe(options.simd)}`);
    }
    loading = (async () => {
      const imports = kernelImports();
      const asIs = options.wasm !== undefined && options.scalarWasm === undefined && options.relaxedWasm === undefined
        && (options.build === undefined || options.build === 'auto');
      const build = asIs ? 'simd' : chooseBuild(options.simd, simdSupported(), options.build, relaxedSimdSupported());
      const sources = { simd: options.wasm, scalar: options.scalarWasm, relaxed: options.relaxedWasm };
      const mod = await load(sources[build], imports, build);
      const e = mod.exports;
      if (!(e.memory instanceof WebAssembly.Memory) || typeof e.alloc !== 'function') {
        throw new TypeError(`init: wasm must be a sparse-pursuit build (exporting memory and alloc), received a module exporting ${Object.keys(e).slice(0, 6).join(', ') || 'nothing'}`);
      }
      ex = bindExports(e);
      loadedModule = mod.module;
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

/**
 * A user's operator in JavaScript (Operator.fromFunctions), as the kernels
 * call it through the `env.opHost` import: `apply` (what 0: out (m) = A inp
 * (n)), `adjoint` (1: out (n) = A^T inp (m)), `column` (2: out (m) = column
 * inp). Each writes its m or n results into `out`.
 */
export interface HostOperator {
  readonly m: number;
  readonly n: number;
  run(what: number, inp: Float64Array | number, out: Float64Array): void;
}

const hostOperators = new Map<number, HostOperator>();
/** Host operator calls in progress: a kernel call started from one would overwrite the buffers of the call that is waiting for it. */
let hostDepth = 0;

/** @internal Throws when called from inside an Operator.fromFunctions callback (see runKernel). */
export function checkNotInHost(fn: string): void {
  if (hostDepth > 0) throw new Error(`${fn}: called from inside an Operator.fromFunctions callback, which must not call sparse-pursuit (a solve is running and its buffers are in use)`);
}
let nextHostId = 1;

/** @internal Registers a host operator for the kernels; returns its id (unregisterHostOperator frees it). */
export function registerHostOperator(op: HostOperator): number {
  const id = nextHostId++;
  hostOperators.set(id, op);
  return id;
}

/** @internal Forgets a host operator. */
export function unregisterHostOperator(id: number): void {
  hostOperators.delete(id);
}

/** env.opHost: runs host operator `id` on WASM memory (inp, out are byte addresses, or inp is a column index). */
function opHost(id: number, what: number, inp: number, out: number): void {
  const op = hostOperators.get(id);
  if (op === undefined) throw new TypeError(`sparse-pursuit: the kernel called host operator ${id}, which is not registered (a disposed Operator.fromFunctions?)`);
  const outLen = what === 1 ? op.n : op.m;
  // the user's function may not touch WASM memory, but views are rebuilt after it anyway
  const input = what === 2 ? inp : f64View(inp >>> 0, what === 0 ? op.n : op.m).slice();
  const res = new Float64Array(outLen);
  hostDepth++;
  try {
    op.run(what, input, res);
  } finally {
    hostDepth--;
  }
  f64View(out >>> 0, outLen).set(res);
}

/** The imports every build of the module takes: `env.abort` and `env.opHost`. Tests that instantiate a build by hand use them too. */
export function kernelImports(): { env: { abort(msg: number, file: number, line: number, col: number): void; opHost(id: number, what: number, inp: number, out: number): void } } {
  return {
    env: {
      abort(_msg: number, _file: number, line: number, col: number): void {
        throw new WasmAbort(`sparse-pursuit: WASM abort (out of memory?) at ${line}:${col}`);
      },
      opHost,
    },
  };
}

/** The instance's typed exports (kernels and memory); throws if init() has not completed. */
export function wasm(): WasmExports {
  if (!ex) throw new Error('sparse-pursuit: the WASM backend is not loaded; call `await init()` first (or pass backend: "js")');
  return ex;
}

/** Which build runs ('relaxed', 'simd' or 'scalar', read from the module) and what the engine supports. Requires init(). */
export function backendInfo(): BackendInfo {
  const e = wasm();
  // a module from an older release may lack buildKind: its simdBuild tells SIMD from scalar
  const kind = typeof e.buildKind === 'function' ? e.buildKind() : e.simdBuild();
  return { build: kind === 2 ? 'relaxed' : kind === 1 ? 'simd' : 'scalar', simdSupported: simdSupported(), relaxedSimdSupported: relaxedSimdSupported() };
}

/** @internal The compiled module init() loaded (the worker pool instantiates it again in each worker). */
export function wasmModule(): WasmModule {
  wasm();
  return loadedModule as WasmModule;
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

/** Largest linear memory the module may grow to (wasm32: 4 GiB; asconfig.json maximumMemory = 65536 pages of 64 KiB). */
export const MAX_MEMORY_BYTES = 65536 * 65536;

/**
 * Bytes of the limit set aside for what the facade does not allocate itself:
 * the module's static data and the allocator's own structures and per-block
 * headers (a few KiB in practice; 1 MiB leaves ample room).
 */
export const RESERVED_BYTES = 1 << 20;

let limit = MAX_MEMORY_BYTES;
/** Live blocks from alloc: pointer -> bytes. */
const live = new Map<number, number>();
let liveTotal = 0;

/**
 * Sets the most WASM memory the package may use, in bytes (an integer in
 * [16 MiB, 4 GiB]; default 4 GiB, the wasm32 maximum). Calls whose buffers
 * would take more are refused up front with a RangeError saying how much they
 * need (see checkMemory). Useful to keep a browser tab or a worker within a budget.
 */
export function setMemoryLimit(bytes: number): void {
  const lo = 1 << 24;
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < lo || bytes > MAX_MEMORY_BYTES) {
    const E = typeof bytes === 'number' ? RangeError : TypeError;
    throw new E(`setMemoryLimit: bytes must be an integer in [${lo}, ${MAX_MEMORY_BYTES}], received ${describe(bytes)}`);
  }
  limit = bytes;
}

/** The memory limit in bytes (see setMemoryLimit). */
export function memoryLimit(): number {
  return limit;
}

/** Bytes held by live blocks of alloc (operators, the scratch block, ...). */
export function liveBytes(): number {
  return liveTotal;
}

/** Bytes a new allocation may still take: the limit less what is live and RESERVED_BYTES. */
export function availableBytes(): number {
  return Math.max(0, limit - RESERVED_BYTES - liveTotal);
}

/**
 * Refuses, before anything is allocated, a call whose new WASM buffers
 * (`parts`: name -> bytes) would not fit: RangeError `${fn}: ${what} needs N
 * bytes of WASM memory (part a + part b ...), expected at most M ...,
 * received ${received}`.
 */
export function checkMemory(fn: string, what: string, parts: Record<string, number>, received: string): void {
  let need = 0;
  for (const v of Object.values(parts)) need += v;
  const avail = availableBytes();
  if (need > avail) {
    const list = Object.entries(parts).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(' + ');
    throw new RangeError(`${fn}: ${what} needs ${need} bytes of WASM memory (${list}), expected at most ${avail} (the ${limit}-byte limit less ${liveTotal + RESERVED_BYTES} in use or reserved), received ${received}`);
  }
}

/** Allocates `bytes` bytes in WASM memory; throws RangeError when they would exceed the limit or memory cannot grow. */
export function alloc(bytes: number): number {
  const need = Math.max(16, Math.ceil(bytes));
  checkMemory('sparse-pursuit', 'a buffer', { buffer: need }, `a request for ${need} bytes`);
  let p: number;
  const cannot = (why: string) => new RangeError(`sparse-pursuit: could not allocate ${need} bytes of WASM memory: ${why} (memory is ${memoryBytes()} bytes, ${liveTotal} of them live)`);
  try {
    p = wasm().alloc(need) >>> 0; // an address above 2 GiB arrives as a negative i32
  } catch (e) {
    if (e instanceof WasmAbort || e instanceof RangeError) throw cannot('the engine refused to grow memory');
    throw e;
  }
  // blocks of 32 MiB or more (assembly/mem.ts) come back as 0 when no contiguous range is left
  if (p === 0) throw cannot(`no contiguous free range of that size is left in the ${MAX_MEMORY_BYTES}-byte address space, or the engine refused to grow memory`);
  live.set(p, need);
  liveTotal += need;
  return p;
}

/** Frees a block from alloc. */
export function free(ptr: number): void {
  if (!ptr) return;
  wasm().free(ptr);
  const b = live.get(ptr);
  if (b !== undefined) {
    live.delete(ptr);
    liveTotal -= b;
  }
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
 * Scratch blocks of this size or more are allocated at the size asked for,
 * without the 1.25x margin of smaller ones: they come from the large-block
 * path of assembly/mem.ts (LARGE_MIN = 32 MiB, whole pages), which extends a
 * block at the top of memory in place and reuses freed ranges, so a slightly
 * larger next call costs little; and at these sizes the margin is memory the
 * solve never touches (12 MiB of the 55 MiB workspace of OMP on a partial DCT
 * with n = 2^18, m = 2^15, k = 200, which lifted its peak from about 80 to 96 MiB).
 */
const SCRATCH_EXACT_MIN = 32 * 2 ** 20;

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
    // grow geometrically so a sequence of slightly larger calls reallocates
    // rarely, but never by more than the memory limit leaves; a block of
    // SCRATCH_EXACT_MIN bytes or more is taken at its size (see there)
    const size = bytes >= SCRATCH_EXACT_MIN ? bytes
      : Math.max(bytes, Math.min(availableBytes(), Math.max(Math.ceil(bytes * 1.25), 65536)));
    scratchPtr = alloc(size);
    scratchBytes = size;
  }
  return scratchPtr;
}

/**
 * Frees the scratch block when a request of `bytes` new bytes would not fit
 * the memory limit otherwise (it is reallocated at the size the next call
 * needs): a block grown under a larger limit, or by a larger call, never
 * blocks a call that fits on its own. Nothing is freed for a request that
 * would not fit either way (it is refused with everything left as it was).
 */
export function makeRoom(bytes: number): void {
  const avail = availableBytes();
  if (bytes > avail && bytes <= avail + scratchBytes && scratchPtr) {
    free(scratchPtr);
    scratchPtr = 0;
    scratchBytes = 0;
  }
}

/** Bytes of the scratch block held now (a call needing at most this many allocates nothing). */
export function scratchHeld(): number {
  return scratchBytes;
}

/** Bytes scratch(bytes) would newly take from the memory limit (0 when the current block is large enough). */
export function scratchGrowth(bytes: number): number {
  return bytes > scratchBytes ? bytes - scratchBytes : 0;
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

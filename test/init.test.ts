// init() in Node from every kind of source. Each case loads a fresh copy of
// src/core/wasm.ts (vi.resetModules), since init() is once per module instance.
import { createServer, Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const WASM_PATH = resolve(__dirname, '../build/release.wasm');
const bytes = readFileSync(WASM_PATH);

type WasmModule = typeof import('../src/core/wasm.js');

async function fresh(): Promise<WasmModule> {
  vi.resetModules();
  return import('../src/core/wasm.js');
}

/** Loads, then checks the module computes: dot([1,2,3],[4,5,6]) = 32. */
async function loadsAndRuns(src: unknown): Promise<void> {
  const w = await fresh();
  expect(w.isReady()).toBe(false);
  await w.init(src === undefined ? {} : { wasm: src as never });
  expect(w.isReady()).toBe(true);
  const a = w.allocF64([1, 2, 3]);
  const b = w.allocF64([4, 5, 6]);
  expect(w.wasm().dot(a, b, 3)).toBe(32);
  w.free(a);
  w.free(b);
}

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/release.wasm') {
      res.writeHead(200, { 'content-type': 'application/wasm' });
      res.end(bytes);
    } else if (req.url === '/octet.wasm') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(bytes);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('init in Node', () => {
  it('defaults to the package build (new URL(..., import.meta.url))', () => loadsAndRuns(undefined));
  it('takes a plain path relative to the working directory', () => loadsAndRuns(relative(process.cwd(), WASM_PATH)));
  it('takes an absolute path', () => loadsAndRuns(WASM_PATH));
  it('takes a file: URL object and a file: URL string', async () => {
    await loadsAndRuns(pathToFileURL(WASM_PATH));
    await loadsAndRuns(pathToFileURL(WASM_PATH).href);
  });
  it('takes an http URL (streaming with application/wasm, bytes otherwise)', async () => {
    await loadsAndRuns(new URL('/release.wasm', base));
    await loadsAndRuns(`${base}/octet.wasm`);
  });
  it('takes a Response and a promise of one', async () => {
    await loadsAndRuns(new Response(bytes, { headers: { 'content-type': 'application/wasm' } }));
    await loadsAndRuns(new Response(bytes));
    await loadsAndRuns(fetch(`${base}/release.wasm`));
  });
  it('takes an ArrayBuffer, a Uint8Array at an offset, and a DataView', async () => {
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    await loadsAndRuns(ab);
    const padded = new Uint8Array(bytes.length + 16);
    padded.set(bytes, 16);
    await loadsAndRuns(padded.subarray(16));
    await loadsAndRuns(new DataView(ab));
  });
  it('takes a compiled WebAssembly.Module', async () => {
    await loadsAndRuns(await WebAssembly.compile(bytes));
  });
  it('shares one load between concurrent calls and ignores options once loaded', async () => {
    const w = await fresh();
    await Promise.all([w.init(), w.init(), w.init({ wasm: 'nonexistent.wasm' })]);
    expect(w.isReady()).toBe(true);
    await w.init({ wasm: 42 as never });
  });
  it('rejects bad sources with a message naming the source, and can then be retried', async () => {
    const w = await fresh();
    await expect(w.init({ wasm: 42 as never })).rejects.toThrow(/init: wasm must be .* received 42/);
    await expect(w.init({ wasm: Promise.resolve('x') as never })).rejects.toThrow(/must resolve to a Response, received "x"/);
    await expect(w.init({ wasm: 'no/such/file.wasm' })).rejects.toThrow(/cannot read the WASM file .*no\/such\/file\.wasm/);
    await expect(w.init({ wasm: `${base}/missing.wasm` })).rejects.toThrow(/missing\.wasm failed: HTTP 404/);
    await expect(w.init({ wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]) })).rejects.toThrow(/wasm must be a sparse-pursuit build \(exporting memory and alloc\), received a module exporting/);
    await expect(w.init(null as never)).rejects.toThrow(/init: options must be an object/);
    expect(w.isReady()).toBe(false);
    await w.init({ wasm: bytes });
    expect(w.isReady()).toBe(true);
  });
});

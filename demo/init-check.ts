// Loads the package as an app would (import from 'sparse-pursuit') and calls
// init() with the source kind named in the query string, then solves a tiny
// problem. The browser test visits this page once per kind.
import { init, Matrix, omp } from 'sparse-pursuit';
import wasmUrl from 'sparse-pursuit/release.wasm?url';

/** The source, boxed so that a promise is passed to init() as a promise. */
async function source(kind: string): Promise<{ value: unknown }> {
  const url = new URL(wasmUrl, location.href);
  switch (kind) {
    case 'default': return { value: undefined };
    case 'url': return { value: url };
    case 'string': return { value: wasmUrl };
    case 'response': return { value: await fetch(url) };
    case 'promise': return { value: fetch(url) };
    case 'bytes': return { value: new Uint8Array(await (await fetch(url)).arrayBuffer()) };
    case 'module': return { value: await WebAssembly.compileStreaming(fetch(url)) };
    default: throw new Error(`unknown kind ${kind}`);
  }
}

async function run(): Promise<void> {
  const kind = new URLSearchParams(location.search).get('src') ?? 'default';
  const src = (await source(kind)).value;
  const t0 = performance.now();
  await init(src === undefined ? {} : { wasm: src as never });
  const ms = performance.now() - t0;
  const A = Matrix.fromRows([[1, 0, 0.5, 0], [0, 1, 0.5, 0], [0, 0, 1, 1]]);
  const r = omp(A, [0, 3, 0], { k: 1 });
  document.getElementById('result')!.textContent = JSON.stringify({ ok: true, kind, support: Array.from(r.support), x: Array.from(r.x), ms });
}

run().catch((e) => {
  document.getElementById('result')!.textContent = JSON.stringify({ ok: false, error: String(e) });
});

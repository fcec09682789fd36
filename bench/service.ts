// `npm run bench:service`: requests/s and latency of examples/service/server.ts
// under load, in one run, for four ways of solving a request:
//   inline  - omp() in the server's thread on the resident Operator, one request at a time
//   plain   - omp() in the server's thread on the plain Matrix (copied into WASM memory each call)
//   single  - SolverPool.solve with grouping off (maxBatch 1): one batch call per request
//   grouped - SolverPool.solve with its default grouping (Batch-OMP on the resident Gram matrix)
// Each server runs in its own process on 127.0.0.1; this process is the load
// generator: `concurrency` keep-alive connections, each sending its next
// request when the previous answer arrives, for a warm-up and then a fixed
// measured time (bounded: about 3 x (start-up + warm-up + duration)).
// A hand-written generator rather than autocannon: it needs a few lines on
// node:http, records every latency (exact percentiles) and adds no dependency.
//
//   npx tsx bench/service.ts [--m 256] [--n 1024] [--k 32] [--workers 2] [--concurrency 32] [--seconds 5] [--warmup 1]
import { spawn, ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seededMatrix } from '../examples/service/server.js';

const { values } = parseArgs({
  options: {
    m: { type: 'string', default: '256' },
    n: { type: 'string', default: '1024' },
    k: { type: 'string', default: '32' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
  },
});
const m = Number(values.m);
const n = Number(values.n);
const k = Number(values.k);
const concurrency = Number(values.concurrency);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const SERVER = fileURLToPath(new URL('../examples/service/server.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
// distinct signals y = A x (x k-sparse) cycled through by the clients
const SIGNALS = 256;

function bodies(): string[] {
  const A = seededMatrix(m, n, 1); // the operator the server builds (same seed)
  let s = 12345;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: SIGNALS }, () => {
    const y = new Float64Array(m);
    for (let t = 0; t < k; t++) {
      const j = Math.floor(rnd() * n);
      const v = rnd() * 2 - 1;
      for (let i = 0; i < m; i++) y[i] += A.data[j * m + i] * v;
    }
    return JSON.stringify({ y: Array.from(y), k });
  });
}

async function startServer(mode: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [TSX, SERVER, '--port', '0', '--m', String(m), '--n', String(n), '--k', String(k), '--workers', String(values.workers), '--mode', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const hit = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (hit) resolve(hit[1]);
    });
    child.once('exit', (code) => reject(new Error(`the ${mode} server exited (code ${code}) before listening`)));
  });
  return { child, url };
}

function post(agent: Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/solve`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Row {
  mode: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(mode: string, url: string, all: string[]): Promise<Row> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const lat: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const measureFrom = t0 + warmup * 1000;
  const end = measureFrom + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const body = all[next++ % all.length];
      const s = performance.now();
      const code = await post(agent, url, body);
      const e = performance.now();
      if (s >= measureFrom && e <= end) {
        if (code === 200) lat.push(e - s);
        else errors++;
      }
    }
  }));
  agent.destroy();
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  return { mode, requests: lat.length, perSecond: lat.length / seconds, p50: q(0.5), p99: q(0.99), errors };
}

const all = bodies();
const rows: Row[] = [];
for (const mode of ['inline', 'plain', 'single', 'grouped']) {
  const { child, url } = await startServer(mode);
  try {
    rows.push(await load(mode, url, all));
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
console.log(`service bench: ${m} x ${n}, k = ${k}, ${values.workers} workers, concurrency ${concurrency}, ${seconds} s measured after ${warmup} s; CPU ${cpus()[0]?.model ?? '?'} (${cpus().length} logical)`);
console.log('| mode | requests/s | p50 ms | p99 ms | non-200 |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.mode} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`);
const [inline, plain, , grouped] = rows;
for (const base of [plain, inline]) {
  console.log(`grouped / ${base.mode}: ${(grouped.perSecond / base.perSecond).toFixed(2)}x requests/s; p99 ${(grouped.p99 / base.p99).toFixed(2)} of ${base.mode}`);
}

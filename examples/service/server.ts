// A sparse-recovery service over HTTP: one resident operator A, a SolverPool,
// JSON in and out. Concurrent requests are grouped by the pool into batch
// calls (Batch-OMP with A's Gram matrix for OMP).
//
//   npx tsx examples/service/server.ts [--port 8080] [--m 256] [--n 1024] [--workers 2] [--mode grouped|single|inline|plain]
//
//   POST /solve  {"y": [m numbers], "k": 32, "solver": "omp"}   (k and solver optional)
//     200 {"support": [...], "values": [...], "residualNorm": r, "iterations": i, "status": "converged"}
//     400 {"error": "message"}  on bad input (bad JSON, a wrong length, a non-finite value, k out of range, ...)
//   GET  /health  {"m", "n", "mode", "workers"}
//
// The operator here is a seeded random matrix with unit-norm columns; a
// real service would load its own (e.g. readNpy) once at start-up.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cosamp, htp, iht, init, Matrix, niht, omp, Operator, SolverPool, sp, type SolveResult } from 'sparse-pursuit';

/** The solvers this service offers, for in-process solves (modes 'inline' and 'plain'). */
const INLINE: Record<string, (A: Operator | Matrix, y: number[], o: { k: number }) => SolveResult> = { omp, iht, niht, htp, cosamp, sp };
const SOLVERS = Object.keys(INLINE);

/** A seeded m x n matrix with unit-norm columns (uniform entries from a small LCG: enough for a demonstration). */
export function seededMatrix(m: number, n: number, seed: number): Matrix {
  let s = seed >>> 0;
  const data = new Float64Array(m * n);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  return new Matrix(m, n, data).normalizeColumns();
}

/**
 * How requests are solved: in this thread one at a time on the resident
 * Operator ('inline') or on the plain Matrix, copied into WASM memory by every
 * call ('plain': what a service that never made an Operator does), or on a
 * pool with or without grouping.
 */
export type ServiceMode = 'inline' | 'plain' | 'single' | 'grouped';

export interface ServiceOptions {
  m: number;
  n: number;
  /** Seed of the operator. */
  seed?: number;
  mode: ServiceMode;
  /** Pool workers (modes 'single' and 'grouped'). */
  workers?: number;
  /** Default k when a request gives none. */
  k?: number;
}

/** Largest request body accepted: an m-vector as JSON text is about 25 bytes a value. */
const MAX_BODY_BYTES = 1 << 20;

class BadRequest extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequest(`the body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A running service: its HTTP server and what it holds. */
export interface Service {
  server: Server;
  /** http://127.0.0.1:port */
  url: string;
  close(): Promise<void>;
}

/** Starts the service on 127.0.0.1 (`port` 0: any free port). */
export async function startService(o: ServiceOptions, port = 0): Promise<Service> {
  await init();
  const { m, n, mode } = o;
  const defaultK = o.k ?? Math.min(32, m, n);
  const A = seededMatrix(m, n, o.seed ?? 1);
  const op = Operator.dense(A);
  const inProcess = mode === 'inline' || mode === 'plain';
  const pool = inProcess ? null : await SolverPool.create({ workers: o.workers ?? 2, ...(mode === 'single' ? { maxBatch: 1 } : {}) });

  async function solve(body: unknown): Promise<unknown> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('the body must be a JSON object such as {"y": [...], "k": 32}');
    const { y, k = defaultK, solver = 'omp' } = body as { y?: unknown; k?: unknown; solver?: unknown };
    if (typeof solver !== 'string' || !SOLVERS.includes(solver)) {
      throw new BadRequest(`solver must be one of ${SOLVERS.join(', ')}, received ${JSON.stringify(solver)}`);
    }
    if (!Array.isArray(y)) throw new BadRequest(`y must be an array of ${m} numbers`);
    // the solvers check the rest (length, finite values, k) and name what is wrong
    const r = pool ? await pool.solve(solver, op, y, { k: k as number }) : INLINE[solver](mode === 'plain' ? A : op, y as number[], { k: k as number });
    const values = Array.from(r.support, (i) => r.x[i]);
    return { support: Array.from(r.support), values, residualNorm: r.residualNorm, iterations: r.iterations, status: r.status };
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      send(res, 200, { m, n, mode, workers: pool?.size ?? 0 });
      return;
    }
    if (req.method !== 'POST' || path !== '/solve') {
      send(res, 404, { error: 'POST /solve or GET /health' });
      return;
    }
    readBody(req)
      .then((text) => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (e) {
          throw new BadRequest(`the body is not JSON: ${(e as Error).message}`);
        }
        return solve(body);
      })
      .then((out) => send(res, 200, out))
      .catch((e: unknown) => {
        const bad = e instanceof BadRequest || e instanceof TypeError || e instanceof RangeError;
        send(res, bad ? 400 : 500, { error: (e as Error).message });
      });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : port}`;
  return {
    server,
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool?.terminate();
      op.dispose();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      m: { type: 'string', default: '256' },
      n: { type: 'string', default: '1024' },
      k: { type: 'string', default: '32' },
      workers: { type: 'string', default: '2' },
      mode: { type: 'string', default: 'grouped' },
    },
  });
  const mode = values.mode as ServiceMode;
  if (!['inline', 'plain', 'single', 'grouped'].includes(mode)) {
    console.error(`server: --mode must be inline, plain, single or grouped, received ${values.mode}`);
    process.exit(2);
  }
  const s = await startService({ m: Number(values.m), n: Number(values.n), k: Number(values.k), workers: Number(values.workers), mode }, Number(values.port));
  // one line on stdout with the address: bench/service.ts reads it
  console.log(`listening ${s.url}`);
  const stop = () => void s.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// The example service (examples/service/server.ts) on 127.0.0.1: 200 with the
// solution on good input, equal to omp() on the same operator; 400 with the
// message on bad input. Runs on the built package (dist/), as a user's
// service would import it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, omp } from 'sparse-pursuit'; // the built package, as the service imports it
import { seededMatrix, startService, type Service } from '../examples/service/server.js';

const m = 30;
const n = 80;
let svc: Service;
beforeAll(async () => {
  await init();
  svc = await startService({ m, n, mode: 'grouped', workers: 1, k: 3 });
});
afterAll(async () => {
  await svc?.close();
});

async function post(body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${svc.url}/solve`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

describe('example service', () => {
  it('answers 200 with the OMP solution (support and values) for good input, several requests at once', async () => {
    const A = seededMatrix(m, n, 1);
    const ys = [0, 1, 2, 3].map((t) => Array.from({ length: m }, (_, i) => A.get(i, 5 + t) * 2 - A.get(i, 40 + t) + 0.5 * A.get(i, 70 - t)));
    const rs = await Promise.all(ys.map((y) => post(JSON.stringify({ y, k: 3 }))));
    rs.forEach((r, t) => {
      expect(r.status).toBe(200);
      const ref = omp(A, ys[t], { k: 3 });
      expect(r.json.support).toEqual(Array.from(ref.support));
      expect(r.json.values).toEqual(Array.from(ref.support, (i) => ref.x[i]));
      expect(r.json.residualNorm).toBe(ref.residualNorm);
      expect(r.json.status).toBe(ref.status);
    });
    expect((await post(JSON.stringify({ y: ys[0], solver: 'sp' }))).status).toBe(200);
    const h = await fetch(`${svc.url}/health`);
    expect(await h.json()).toEqual({ m, n, mode: 'grouped', workers: 1 });
  });

  it('answers 400 with the message for bad input', async () => {
    const y = Array.from({ length: m }, (_, i) => i);
    const cases: Array<[string, RegExp]> = [
      ['{"y": [1, 2', /^the body is not JSON/],
      ['[1, 2]', /^the body must be a JSON object/],
      [JSON.stringify({ k: 3 }), /^y must be an array of 30 numbers/],
      [JSON.stringify({ y: y.slice(1) }), /^SolverPool\.solve: y must have length 30/],
      [JSON.stringify({ y: [...y.slice(1), 'x'] }), /^SolverPool\.solve: y\[29\] must be a number/],
      [JSON.stringify({ y, k: 0 }), /^SolverPool\.solve: k must be an integer in \[1, 30\], received 0/],
      [JSON.stringify({ y, solver: 'lasso' }), /^solver must be one of omp, iht, niht, htp, cosamp, sp/],
    ];
    for (const [body, msg] of cases) {
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(String(r.json.error)).toMatch(msg);
    }
    // the service keeps serving
    expect((await post(JSON.stringify({ y }))).status).toBe(200);
  });
});

describe('example service, in process', () => {
  it.each(['inline', 'plain'] as const)("mode '%s' answers as omp() on the matrix, and 400 with the solver's message on bad input", async (mode) => {
    const s = await startService({ m, n, mode, k: 3 });
    try {
      const A = seededMatrix(m, n, 1);
      const y = Array.from({ length: m }, (_, i) => A.get(i, 7) - 3 * A.get(i, 61));
      const r = await fetch(`${s.url}/solve`, { method: 'POST', body: JSON.stringify({ y, k: 2 }) });
      expect(r.status).toBe(200);
      const ref = omp(A, y, { k: 2 });
      const got = (await r.json()) as { support: number[]; values: number[] };
      expect(got.support).toEqual(Array.from(ref.support));
      expect(got.values).toEqual(Array.from(ref.support, (i) => ref.x[i]));
      const bad = await fetch(`${s.url}/solve`, { method: 'POST', body: JSON.stringify({ y, k: 0 }) });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/^omp: k must be an integer in \[1, 30\], received 0/);
      expect(await (await fetch(`${s.url}/health`)).json()).toEqual({ m, n, mode, workers: 0 });
    } finally {
      await s.close();
    }
  });
});

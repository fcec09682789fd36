// SEA, OMPR and ELS speed, WASM vs JS: `npx tsx bench/sea.ts [--quick]`.
//
// - SEA: iterations per second (SEA runs a fixed number of iterations on a
//   noisy problem, so no stopping rule ends it early), and the time of a
//   default solve (SEA_DEFAULT_MAX_ITER iterations) derived from it.
// - OMPR and ELS: ms per solve with their defaults (cold start).
// At the three (m, n, k) sizes of the core benchmark, on seeded Gaussian
// problems with unit-norm columns and noise sigma = 0.05. WASM runs on a
// resident Operator. Medians of tinybench samples (the machine is shared).
// Writes a Markdown table to stdout and bench/sea-results.json.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { els, init, ompr, Operator, sea, SEA_DEFAULT_MAX_ITER } from '../src/index.js';
import { gaussianProblem } from '../src/data/problems.js';

const SIZES: ReadonlyArray<readonly [number, number, number]> = [
  [64, 256, 8],
  [256, 1024, 32],
  [1024, 4096, 64],
];
/** SEA iterations per timed solve, per size: enough for a stable per-iteration time. */
const SEA_ITERS = [2000, 300, 30];
const SEED = 20240601;

async function median(fn: () => void, timeMs: number): Promise<{ ms: number; samples: number }> {
  const b = new Bench({ time: timeMs, iterations: 3, warmupIterations: 1 });
  b.add('x', fn);
  await b.run();
  const t = b.tasks[0].result as unknown as { latency?: { p50?: number; samplesCount?: number }; period?: number };
  const ms = t.latency?.p50 ?? t.period ?? NaN;
  return { ms, samples: t.latency?.samplesCount ?? 0 };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const timeMs = quick ? 300 : 1500;
  await init();
  const rows: Record<string, unknown>[] = [];
  const lines = ['| solver | (m, n, k) | WASM | JS | JS / WASM |', '| --- | --- | --- | --- | --- |'];
  for (const [si, [m, n, k]] of SIZES.entries()) {
    if (quick && si === 2) break;
    const p = gaussianProblem({ m, n, k, seed: SEED, sigma: 0.05 });
    const op = Operator.dense(p.A);
    op.spectralNorm();
    try {
      const it = SEA_ITERS[si];
      const w = await median(() => { sea(op, p.y, { k, maxIter: it }); }, timeMs);
      const j = await median(() => { sea(p.A, p.y, { k, maxIter: it, backend: 'js' }); }, timeMs);
      const wIps = (1000 * it) / w.ms;
      const jIps = (1000 * it) / j.ms;
      rows.push({ solver: 'sea', m, n, k, iterations: it, wasmItersPerSec: wIps, jsItersPerSec: jIps, wasmMsPerDefaultSolve: (SEA_DEFAULT_MAX_ITER / wIps) * 1000, jsMsPerDefaultSolve: (SEA_DEFAULT_MAX_ITER / jIps) * 1000 });
      lines.push(`| sea (iterations/s) | (${m}, ${n}, ${k}) | ${Math.round(wIps)} | ${Math.round(jIps)} | ${(wIps / jIps).toFixed(1)} |`);
      lines.push(`| sea (ms per ${SEA_DEFAULT_MAX_ITER}-iteration solve) | (${m}, ${n}, ${k}) | ${((SEA_DEFAULT_MAX_ITER / wIps) * 1000).toFixed(1)} | ${((SEA_DEFAULT_MAX_ITER / jIps) * 1000).toFixed(1)} | ${(wIps / jIps).toFixed(1)} |`);
      for (const [name, f] of [['ompr', ompr], ['els', els]] as const) {
        const r = f(op, p.y, { k });
        const a = await median(() => { f(op, p.y, { k }); }, timeMs);
        const b = await median(() => { f(p.A, p.y, { k, backend: 'js' }); }, timeMs);
        rows.push({ solver: name, m, n, k, moves: r.iterations, wasmMs: a.ms, jsMs: b.ms });
        lines.push(`| ${name} (ms per solve, ${r.iterations} moves) | (${m}, ${n}, ${k}) | ${a.ms.toFixed(2)} | ${b.ms.toFixed(2)} | ${(b.ms / a.ms).toFixed(1)} |`);
      }
      console.error(`done (${m}, ${n}, ${k})`);
    } finally {
      op.dispose();
    }
  }
  console.log(lines.join('\n'));
  const out = fileURLToPath(new URL('./sea-results.json', import.meta.url));
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), cpu: cpus()[0]?.model, node: process.version, loadavg: loadavg(), seed: SEED, rows }, null, 2));
  console.error(`written ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// The demo page: solve one problem on both backends, compare every solver, run
// a phase-transition grid in a Web Worker, and run a loaded OMP-Net.
import { init, memoryBytes } from '../src/wasm.js';
import { SOLVERS } from '../src/registry.js';
import { heatMap, lineChart } from '../src/plot/svg.js';
import type { Problem } from '../src/problems.js';
import type { Backend } from '../src/types.js';
import { DemoSettings, makeProblem, PROBLEM_NAMES, ProblemKind } from './problems.js';
import { relError, residualHistory, sameSupport, timeSolve, Timed } from './run.js';
import { OmpNet, parseOmpNet, runOmpNet } from './ompnet.js';
import type { PhaseMessage, PhaseRequest } from './worker.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const out = (id: string, text: string) => {
  $(id).textContent = text;
};
const fmtSupport = (s: ArrayLike<number>) => `[${Array.from(s).join(', ')}]`;
const fmtMs = (ms: number) => (ms < 0.1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(ms < 10 ? 3 : 1)} ms`);

// The WASM file as Vite ships it; compiled once here for the worker.
const WASM_URL = new URL('../build/release.wasm', import.meta.url);

function fillSelect(sel: HTMLSelectElement, entries: [string, string][]): void {
  sel.replaceChildren(...entries.map(([value, label]) => new Option(label, value)));
}

/** Largest m*n the page accepts, so that a solve on the JS backend stays interactive (32 MiB of doubles). */
const MAX_ENTRIES = 4 * 1024 * 1024;

/** The form's settings, checked; throws a RangeError naming the field. */
function settings(): DemoSettings {
  const int = (id: string, lo: number, hi: number) => {
    const v = Number(($(id) as HTMLInputElement).value);
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${id} must be an integer in [${lo}, ${hi}], received ${($(id) as HTMLInputElement).value || 'nothing'}`);
    return v;
  };
  const m = int('m', 2, 4096);
  const n = int('n', 2, 8192);
  if (m * n > MAX_ENTRIES) throw new RangeError(`m x n must be at most ${MAX_ENTRIES} entries, received ${m} x ${n}`);
  const k = int('k', 1, Math.min(m, n));
  const sigma = Number(($('sigma') as HTMLInputElement).value);
  if (!Number.isFinite(sigma) || sigma < 0) throw new RangeError(`noise σ must be a finite number >= 0, received ${($('sigma') as HTMLInputElement).value}`);
  return { kind: ($('problem') as HTMLSelectElement).value as ProblemKind, m, n, k, sigma, seed: int('seed', 0, 2 ** 32 - 1) };
}

function showError(e: unknown): void {
  out('message', e instanceof Error ? e.message : String(e));
}

/** Lets the page repaint before a blocking computation. */
const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

let current: Problem | null = null;

function plotSignals(p: Problem, xw: Float64Array, xj: Float64Array, solver: string): void {
  const idx = Array.from({ length: p.x.length }, (_, i) => i);
  $('signal-plot').innerHTML = lineChart({
    title: `true and recovered x (${solver})`,
    xLabel: 'index j',
    yLabel: 'x_j',
    width: 560,
    height: 320,
    series: [
      { name: 'true x', x: idx, y: p.x, markers: false },
      { name: 'WASM', x: idx, y: xw, markers: false, dash: true },
      { name: 'JS', x: idx, y: xj, markers: false, dash: true },
    ],
  });
}

function plotResiduals(h: { t: number[]; r: number[] }[], solver: string): void {
  const floor = 1e-16;
  $('residual-plot').innerHTML = lineChart({
    title: `residual history (${solver})`,
    xLabel: 'iteration t',
    yLabel: '||y - A x_t||',
    yLog: true,
    width: 560,
    height: 320,
    series: [
      { name: 'WASM', x: h[0].t, y: h[0].r.map((v) => Math.max(v, floor)) },
      { name: 'JS', x: h[1].t, y: h[1].r.map((v) => Math.max(v, floor)), dash: true, markers: false },
    ],
  });
}

function timingRow(name: string, w: Timed, j: Timed, p: Problem): void {
  const body = ($('timings') as HTMLTableElement).tBodies[0];
  let row = body.querySelector<HTMLTableRowElement>(`tr[data-solver="${name}"]`);
  if (!row) {
    row = body.insertRow();
    row.dataset.solver = name;
  }
  const ok = sameSupport(w.result.support, p.support);
  row.className = ok ? 'ok' : 'miss';
  row.replaceChildren(...[name, w.ms.toFixed(3), j.ms.toFixed(3), (j.ms / w.ms).toFixed(1) + '×',
    ok ? 'exact' : `${Array.from(w.result.support).filter((s) => p.support.includes(s)).length}/${p.support.length}`,
    relError(w.result.x, p.x).toExponential(2), w.result.status].map((t) => {
    const td = document.createElement('td');
    td.textContent = t;
    return td;
  }));
}

/** Solves the current settings' problem with one solver on both backends and shows everything. */
async function runOne(): Promise<void> {
  out('message', '');
  for (const id of ['support-wasm', 'support-js', 'time-wasm', 'time-js', 'speedup', 'error']) out(id, '');
  await nextFrame();
  const s = settings();
  const name = ($('solver') as HTMLSelectElement).value;
  const solve = SOLVERS[name];
  const p = makeProblem(s);
  current = p;
  out('support-true', fmtSupport(p.support));
  const w = timeSolve(solve, p, s.k, 'wasm');
  const j = timeSolve(solve, p, s.k, 'js');
  out('support-wasm', fmtSupport(w.result.support));
  out('support-js', fmtSupport(j.result.support));
  out('error', `${relError(w.result.x, p.x).toExponential(2)} (${w.result.status}, ${w.result.iterations} iterations)`);
  plotSignals(p, w.result.x, j.result.x, name);
  plotResiduals((['wasm', 'js'] as Backend[]).map((b) => residualHistory(solve, p, s.k, b, b === 'wasm' ? w.result : j.result)), name);
  timingRow(name, w, j, p);
  // timings last: the end-to-end test waits for them
  out('time-js', fmtMs(j.ms));
  out('speedup', `(WASM ${(j.ms / w.ms).toFixed(1)}× faster)`);
  out('time-wasm', fmtMs(w.ms));
}

async function runAll(): Promise<void> {
  out('message', '');
  const s = settings();
  const p = makeProblem(s);
  current = p;
  out('support-true', fmtSupport(p.support));
  for (const [name, solve] of Object.entries(SOLVERS)) {
    out('message', `timing ${name}…`);
    await nextFrame();
    timingRow(name, timeSolve(solve, p, s.k, 'wasm'), timeSolve(solve, p, s.k, 'js'), p);
  }
  out('message', '');
}

// ------------------------------------------------------------ phase transition

let worker: Worker | null = null;
let compiled: Promise<WebAssembly.Module> | null = null;

function compileForWorker(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compileStreaming(fetch(WASM_URL)).catch(async () => WebAssembly.compile(await (await fetch(WASM_URL)).arrayBuffer()));
  return compiled;
}

function stopPhase(): void {
  worker?.terminate();
  worker = null;
  ($('phase-start') as HTMLButtonElement).disabled = false;
  ($('phase-stop') as HTMLButtonElement).disabled = true;
}

async function startPhase(): Promise<void> {
  stopPhase();
  const num = (id: string) => {
    const el = $(id) as HTMLInputElement;
    const v = Number(el.value);
    if (!Number.isInteger(v) || v < Number(el.min) || v > Number(el.max)) throw new RangeError(`${id} must be an integer in [${el.min}, ${el.max}], received ${el.value || 'nothing'}`);
    return v;
  };
  const g = num('phase-grid');
  // delta, rho in (0, 1]: cell centres of a g x g grid
  const centres = Array.from({ length: g }, (_, i) => Number(((i + 0.5) / g).toFixed(4)));
  const req: PhaseRequest = {
    module: await compileForWorker(),
    solver: ($('phase-solver') as HTMLSelectElement).value,
    backend: ($('phase-backend') as HTMLSelectElement).value as Backend,
    n: num('phase-n'),
    deltas: centres,
    rhos: centres,
    trials: num('phase-trials'),
    seed: settings().seed,
  };
  const z = centres.map(() => centres.map(() => NaN));
  const bar = $('phase-progress') as HTMLProgressElement;
  bar.max = g * g;
  bar.value = 0;
  const draw = () => {
    $('phase-map').innerHTML = heatMap({
      title: `${req.solver} (${req.backend}), n = ${req.n}, ${req.trials} trials per cell`,
      xLabel: 'δ = m / n',
      yLabel: 'ρ = k / m',
      xs: centres,
      ys: centres,
      z,
      zLabel: 'recovered',
      width: 560,
      height: 420,
    });
  };
  draw();
  out('phase-text', `0 / ${g * g} cells`);
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  ($('phase-start') as HTMLButtonElement).disabled = true;
  ($('phase-stop') as HTMLButtonElement).disabled = false;
  worker.onmessage = (ev: MessageEvent<PhaseMessage>) => {
    const msg = ev.data;
    if (msg.type === 'cell') {
      z[msg.iy][msg.ix] = msg.rate;
      bar.value = msg.done;
      out('phase-text', `${msg.done} / ${msg.total} cells`);
      draw();
    } else if (msg.type === 'done') {
      out('phase-text', `${g * g} / ${g * g} cells, done in ${(msg.ms / 1000).toFixed(1)} s`);
      stopPhase();
    } else {
      out('phase-text', `error: ${msg.message}`);
      stopPhase();
    }
  };
  worker.onerror = (e) => {
    out('phase-text', `worker error: ${e.message}`);
    stopPhase();
  };
  worker.postMessage(req);
}

// ------------------------------------------------------------------- OMP-Net

function exampleNet(p: Problem, k: number): string {
  const rows = p.A.toRows();
  return JSON.stringify({ format: 'sparse-pursuit/omp-net', version: 1, m: p.A.m, n: p.A.n, k, W: rows, A: rows });
}

async function runNet(file: File): Promise<void> {
  for (const id of ['ompnet-info', 'ompnet-true', 'ompnet-support', 'ompnet-time']) out(id, '');
  let net: OmpNet;
  try {
    net = parseOmpNet(await file.text());
  } catch (e) {
    out('ompnet-info', (e as Error).message);
    return;
  }
  const s = settings();
  let p: Problem;
  if (net.A) {
    p = makeProblem({ ...s, kind: 'gaussian', m: net.m, n: net.n, k: net.k });
    // same seeded x and noise as a Gaussian problem, on the net's own A
    const y = new Float64Array(net.m);
    for (const j of p.support) for (let i = 0; i < net.m; i++) y[i] += net.A.data[i + j * net.m] * p.x[j];
    p = { A: net.A, x: p.x, y, support: p.support };
  } else if (current && current.A.m === net.m && current.A.n === net.n) {
    p = current;
  } else {
    out('ompnet-info', `this net is for m = ${net.m}, n = ${net.n} and has no A of its own: run a problem of that size first`);
    return;
  }
  out('ompnet-info', `${file.name}: m = ${net.m}, n = ${net.n}, k = ${net.k}${net.A ? ', with its own A' : ''}`);
  out('ompnet-true', fmtSupport(p.support));
  const t0 = performance.now();
  const r = runOmpNet(net, p.A, p.y);
  const ms = performance.now() - t0;
  out('ompnet-time', `${fmtMs(ms)}, ${relError(r.x, p.x).toExponential(2)}`);
  out('ompnet-support', fmtSupport(r.support));
}

// ---------------------------------------------------------------------- wiring

async function main(): Promise<void> {
  fillSelect($('problem'), Object.entries(PROBLEM_NAMES));
  const solvers = Object.keys(SOLVERS).map((s) => [s, s] as [string, string]);
  fillSelect($('solver'), solvers);
  fillSelect($('phase-solver'), solvers);
  $('settings').addEventListener('submit', (e) => {
    e.preventDefault();
    runOne().catch(showError);
  });
  $('run-all').addEventListener('click', () => runAll().catch(showError));
  $('phase-settings').addEventListener('submit', (e) => {
    e.preventDefault();
    startPhase().catch((err) => out('phase-text', (err as Error).message));
  });
  $('phase-stop').addEventListener('click', () => {
    stopPhase();
    out('phase-text', `${$('phase-text').textContent} (stopped)`);
  });
  $('ompnet-file').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) runNet(f).catch((err) => out('ompnet-info', (err as Error).message));
  });
  $('ompnet-example').addEventListener('click', (e) => {
    const a = e.currentTarget as HTMLAnchorElement;
    const s = settings();
    try {
      a.href = URL.createObjectURL(new Blob([exampleNet(current ?? makeProblem(s), s.k)], { type: 'application/json' }));
    } catch (err) {
      e.preventDefault();
      showError(err);
    }
  });
  try {
    await init();
  } catch (e) {
    out('wasm-status', `WebAssembly failed to load: ${(e as Error).message}`);
    return;
  }
  out('wasm-status', `WebAssembly ready (${(memoryBytes() / 1048576).toFixed(0)} MiB linear memory).`);
  for (const id of ['run', 'run-all', 'phase-start']) ($(id) as HTMLButtonElement).disabled = false;
  document.body.dataset.ready = 'true';
}

main().catch(showError);

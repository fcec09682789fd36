// The demo page: solve one problem on both backends, compare every solver, run
// a phase-transition grid in a Web Worker, and run a trained OMP-Net / IHT-Net.
import { init, memoryBytes } from '../src/core/wasm.js';
import { SOLVER_NAMES, type SolverName } from '../src/solvers/registry.js';
import { barChart, heatMap, lineChart } from '../src/plot/svg.js';
import type { Problem } from '../src/data/problems.js';
import type { Backend } from '../src/core/types.js';
import { DemoSettings, makeProblem, PROBLEM_NAMES, ProblemKind } from './problems.js';
import { relError, residualHistory, sameSupport, timeSolve, Timed } from './run.js';
import { baseName, describeNet, DemoNet, hiddenSet, netName, netProblem, readNet, runNet, topWeights } from './ompnet.js';
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
  const name = ($('solver') as HTMLSelectElement).value as SolverName;
  const p = makeProblem(s);
  out('support-true', fmtSupport(p.support));
  const w = timeSolve(name, p, s.k, 'wasm');
  const j = timeSolve(name, p, s.k, 'js');
  out('support-wasm', fmtSupport(w.result.support));
  out('support-js', fmtSupport(j.result.support));
  out('error', `${relError(w.result.x, p.x).toExponential(2)} (${w.result.status}, ${w.result.iterations} iterations)`);
  plotSignals(p, w.result.x, j.result.x, name);
  plotResiduals((['wasm', 'js'] as Backend[]).map((b) => residualHistory(name, p, s.k, b, b === 'wasm' ? w.result : j.result)), name);
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
  out('support-true', fmtSupport(p.support));
  for (const name of SOLVER_NAMES) {
    out('message', `timing ${name}…`);
    await nextFrame();
    timingRow(name, timeSolve(name, p, s.k, 'wasm'), timeSolve(name, p, s.k, 'js'), p);
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

// ------------------------------------------------------- OMP-Net / IHT-Net

/** The example net shipped in demo/public/ (scripts/demo-example.ts writes it). */
const EXAMPLE_NET = 'omp-net-small.json';
/** How many of the largest weights are listed (or K, the hidden set's size, when the file stores it). */
const TOP_WEIGHTS = 10;

const NET_OUTPUTS = ['ompnet-error', 'ompnet-info', 'ompnet-weights', 'ompnet-problem', 'ompnet-true', 'ompnet-json'];

function clearNet(): void {
  for (const id of NET_OUTPUTS) out(id, '');
  ($('ompnet-results') as HTMLTableElement).tBodies[0].replaceChildren();
  $('ompnet-plot').replaceChildren();
  $('ompnet-weights-plot').replaceChildren();
}

/** The seed field, checked (the rest of the form is not needed here). */
function seedValue(): number {
  const raw = ($('seed') as HTMLInputElement).value;
  const v = Number(raw);
  if (raw === '' || !Number.isInteger(v) || v < 0 || v > 2 ** 32 - 1) throw new RangeError(`seed must be an integer in [0, ${2 ** 32 - 1}], received ${raw || 'nothing'}`);
  return v;
}

/** Loads a saved net from its JSON text and shows it and its recoveries; every failure becomes a message on the page. */
async function showNet(name: string, text: string): Promise<void> {
  clearNet();
  let net: DemoNet;
  try {
    net = readNet(text);
  } catch (e) {
    out('ompnet-error', `${name}: ${(e as Error).message}`);
    return;
  }
  try {
    await nextFrame();
    out('ompnet-info', `${name}: ${describeNet(net)}`);
    const hidden = hiddenSet(net);
    const top = topWeights(net, hidden?.length ?? TOP_WEIGHTS);
    out('ompnet-weights', top.map((t) => `${t.index}${t.hidden ? '*' : ''} (${t.w.toPrecision(3)})`).join(', ') +
      (hidden ? ` — * in the hidden set (${top.filter((t) => t.hidden).length} of the ${hidden.length} largest)` : ''));
    $('ompnet-weights-plot').innerHTML = barChart({
      title: `${netName(net)} learned weights`, xLabel: 'index j', yLabel: 'w_j', values: net.w, width: 560, height: 320,
      highlight: hidden ?? [], labels: ['index', hidden ? 'hidden index' : '(hidden set not stored)'],
    });
    const p = netProblem(net, seedValue());
    out('ompnet-problem', p.note);
    out('ompnet-true', fmtSupport(p.support));
    const r = runNet(net, p);
    const body = ($('ompnet-results') as HTMLTableElement).tBodies[0];
    for (const rec of [r.plain, r.hard, r.soft]) {
      const row = body.insertRow();
      row.className = rec.error ? 'miss' : '';
      for (const t of [rec.name, rec.error ? `failed: ${rec.error}` : fmtSupport(rec.support), rec.error ? '' : rec.relError.toExponential(2), rec.ms.toFixed(2)]) {
        row.insertCell().textContent = t;
      }
    }
    const idx = Array.from({ length: net.n }, (_, i) => i);
    const series = [{ name: 'true x', x: idx, y: p.x, markers: false }];
    for (const [label, rec] of [[baseName(net), r.plain], [`${netName(net)} hard`, r.hard], [`${netName(net)} soft`, r.soft]] as const) {
      if (rec.x) series.push({ name: label, x: idx, y: rec.x, markers: false, dash: true } as (typeof series)[0]);
    }
    $('ompnet-plot').innerHTML = lineChart({ title: `true and recovered x (${netName(net)})`, xLabel: 'index j', yLabel: 'x_j', width: 560, height: 320, series });
    const arr = (v: Float64Array | null) => (v ? Array.from(v) : null);
    // last: the end-to-end test waits for it
    out('ompnet-json', JSON.stringify({ kind: net.kind, source: p.source, y: arr(p.y), x: arr(p.x), hard: arr(r.hard.x), soft: arr(r.soft.x), plain: arr(r.plain.x) }));
  } catch (e) {
    out('ompnet-error', `${name}: ${(e as Error).message}`);
  }
}

async function loadExample(): Promise<void> {
  const res = await fetch(new URL(EXAMPLE_NET, document.baseURI));
  if (!res.ok) throw new Error(`could not fetch ${EXAMPLE_NET}: HTTP ${res.status}`);
  await showNet(EXAMPLE_NET, await res.text());
}

// ---------------------------------------------------------------------- wiring

async function main(): Promise<void> {
  fillSelect($('problem'), Object.entries(PROBLEM_NAMES));
  const solvers = SOLVER_NAMES.map((s) => [s, s] as [string, string]);
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
    if (f) f.text().then((t) => showNet(f.name, t)).catch((err) => out('ompnet-error', (err as Error).message));
  });
  $('ompnet-example').addEventListener('click', () => loadExample().catch((err) => out('ompnet-error', (err as Error).message)));
  try {
    await init();
  } catch (e) {
    out('wasm-status', `WebAssembly failed to load: ${(e as Error).message}`);
    return;
  }
  out('wasm-status', `WebAssembly ready (${(memoryBytes() / 1048576).toFixed(0)} MiB linear memory).`);
  for (const id of ['run', 'run-all', 'phase-start', 'ompnet-example', 'ompnet-file']) ($(id) as HTMLButtonElement).disabled = false;
  document.body.dataset.ready = 'true';
}

main().catch(showError);

// The report: the demo table, every registered experiment, written as
// <out>/index.html (SVG figures inline, readable without JavaScript) plus
// <out>/*.json and <out>/*.svg.
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../io/atomic.js';
import { resolve } from 'node:path';
import { EXPERIMENTS } from '../experiments/index.js';
import type { ExperimentContext, ExperimentOutput } from '../experiments/types.js';
import { demoFigure, demoReading, demoTable, formatDemo } from './demo.js';

export interface ReportOptions {
  mode: 'quick' | 'full';
  out: string;
  seed: number;
  workers: number;
  /** Only these experiments (default: all). */
  only?: string[];
  log(line: string): void;
  progress(name: string): ExperimentContext['onProgress'];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A figure: the SVG, its caption with the file link, and the one-line reading under it. */
function figureHtml(svg: string, caption: string, file: string, reading: string): string {
  return `<figure>${svg}<figcaption>${esc(caption)} (<a href="${file}">${file}</a>)</figcaption><p class="reading"><b>Reading:</b> ${esc(reading)}</p></figure>`;
}

/** Writes one experiment's JSON and SVG files into dir. */
export async function writeExperiment(dir: string, name: string, out: ExperimentOutput): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(resolve(dir, `${name}.json`), JSON.stringify(out.json, null, 2));
  for (const f of out.figures) await writeFileAtomic(resolve(dir, f.file), f.svg);
}

/** Runs the report and returns the path of index.html. */
export async function runReport(o: ReportOptions): Promise<string> {
  const dir = resolve(o.out);
  await mkdir(dir, { recursive: true });
  const sections: string[] = [];
  const size = o.mode === 'quick' ? { m: 128, n: 256, k: 8 } : { m: 256, n: 1024, k: 32 };
  o.log(`demo: every solver on one Gaussian problem (m=${size.m}, n=${size.n}, k=${size.k}, seed ${o.seed})`);
  const rows = demoTable({ ...size, seed: o.seed });
  const table = formatDemo(rows);
  o.log(table);
  await writeFileAtomic(resolve(dir, 'demo.json'), JSON.stringify({ settings: { ...size, seed: o.seed }, rows }, null, 2));
  const timingSvg = demoFigure(rows, size);
  await writeFileAtomic(resolve(dir, 'demo-timings.svg'), timingSvg);
  sections.push(`<section id="demo"><h2>Demo: every solver, WASM and JS</h2>
<p>One seeded Gaussian problem (m=${size.m}, n=${size.n}, k=${size.k}, unit-norm columns, no noise), solved by every solver on both backends. Data: <a href="demo.json">demo.json</a>.</p>
<pre>${esc(table)}</pre>
${figureHtml(timingSvg, 'Time of each repetition (at least 20 ms of repetitions per solver and backend; in-process, not a benchmark suite)', 'demo-timings.svg', demoReading(rows))}</section>`);
  for (const e of Object.values(EXPERIMENTS)) {
    if (o.only && !o.only.includes(e.name)) continue;
    o.log(`\nexperiment ${e.name} (${o.mode})`);
    const t0 = performance.now();
    const out = await e.run({ mode: o.mode, seed: o.seed, workers: o.workers, onProgress: o.progress(e.name) });
    const secs = (performance.now() - t0) / 1000;
    await writeExperiment(dir, e.name, out);
    o.log(out.summary);
    o.log(`(${secs.toFixed(1)} s)`);
    const figs = out.figures.map((f) => figureHtml(f.svg.replace(/^<\?xml[^>]*>/, ''), f.caption, f.file, f.reading)).join('\n');
    sections.push(`<section id="${e.name}"><h2>${esc(e.title)}</h2><p>${esc(e.description)}</p>
${figs}
<pre>${esc(out.summary)}</pre><p>Data: <a href="${e.name}.json">${e.name}.json</a>; ${secs.toFixed(1)} s.</p></section>`);
  }
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sparse-pursuit report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:sans-serif;max-width:1180px;margin:2em auto;padding:0 1em}
/* tables keep their columns; long lines wrap rather than being cut off at the page edge */
pre{background:#f6f6f6;padding:.5em;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}
figure{margin:1em 0}figure svg{max-width:100%;height:auto}
p.reading{margin:.3em 0 0;font-size:14px}
</style>
</head><body>
<h1>sparse-pursuit report (${o.mode})</h1>
<p>Generated ${new Date().toISOString()} by <code>sparse-pursuit report --${o.mode}</code>, seed ${o.seed}.</p>
${sections.join('\n')}
</body></html>
`;
  const path = resolve(dir, 'index.html');
  await writeFileAtomic(path, html);
  return path;
}

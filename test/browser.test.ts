// End-to-end tests in real headless Chromium (CHROME_PATH, else Debian's /usr/bin/chromium,
// else the one shipped in the @sparticuz/chromium devDependency: see test/chromium.ts),
// driven by playwright-core; no browser is ever downloaded:
// 1. the demo page, built with Vite and served on 127.0.0.1: a solve, the
//    phase-transition worker, a saved OMP-Net / IHT-Net file (the real toJSON
//    format, checked against predict in Node), and init() from every kind of
//    source through the package as a Vite app imports it;
// 2. the report that `npm start` writes, opened from disk: every figure rendered.
// Screenshots go to test-output/ (not committed).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gaussianProblem } from '../src/data/problems.js';
import { chooseChromium, MIME, serve } from './chromium.js';
import { IhtNet, init, omp, OmpNet, structuredSparse } from '../src/index.js';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'test-output');
const DIST = join(OUT, 'demo-dist');
const skip = process.env.SP_SKIP_BROWSER === '1';

let browser: Browser;
let server: Server | null = null;
let base = '';

/** A page that fails the test on any uncaught error or console error. */
async function page(width = 1200): Promise<{ p: Page; errors: string[] }> {
  const p = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { p, errors };
}

beforeAll(async () => {
  if (skip) return;
  const chosen = await chooseChromium();
  console.log(`browser tests: ${chosen.source} Chromium at ${chosen.executablePath}`);
  mkdirSync(OUT, { recursive: true });
  await build({ configFile: join(ROOT, 'demo/vite.config.ts'), logLevel: 'warn', build: { outDir: DIST, emptyOutDir: true } });
  ({ server, url: base } = await serve(DIST));
  browser = await chromium.launch({ executablePath: chosen.executablePath, args: chosen.args });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

describe.skipIf(skip)('demo page in headless Chromium', () => {
  it('solves a Gaussian problem on WASM and JS, shows the true support and both timings', async () => {
    const { p, errors } = await page();
    await p.goto(`${base}index.html`);
    await p.waitForSelector('body[data-ready="true"]');
    const solvers = await p.$$eval('#solver option', (o) => o.map((x) => (x as HTMLOptionElement).value));
    expect(solvers).toContain('omp');
    await p.selectOption('#problem', 'gaussian');
    await p.fill('#m', '64');
    await p.fill('#n', '128');
    await p.fill('#k', '5');
    await p.fill('#seed', '3');
    await p.selectOption('#solver', 'omp');
    await p.click('#run');
    await p.waitForFunction(() => document.getElementById('time-wasm')!.textContent !== '', null, { timeout: 30_000 });
    const text = async (id: string) => (await p.textContent(`#${id}`))!.trim();
    const truth = await text('support-true');
    expect(truth).toMatch(/^\[\d+(, \d+){4}\]$/);
    const expected = Array.from(gaussianProblem({ m: 64, n: 128, k: 5, seed: 3, values: 'bounded' }).support).join(', ');
    expect(truth).toBe(`[${expected}]`);
    expect(await text('support-wasm')).toBe(truth);
    expect(await text('support-js')).toBe(truth);
    expect(await text('time-wasm')).toMatch(/^\d+(\.\d+)? (ms|µs)$/);
    expect(await text('time-js')).toMatch(/^\d+(\.\d+)? (ms|µs)$/);
    expect(await p.$$eval('#timings tbody tr', (r) => r.map((x) => x.textContent))).toHaveLength(1);
    for (const id of ['signal-plot', 'residual-plot']) {
      expect(await p.$$eval(`#${id} svg g.axis text`, (t) => t.length)).toBeGreaterThan(4);
      expect(await p.$$eval(`#${id} svg g.legend text`, (t) => t.map((x) => x.textContent))).toEqual(expect.arrayContaining(['WASM', 'JS']));
    }
    await p.screenshot({ path: join(OUT, 'demo.png'), fullPage: false });
    expect(errors).toEqual([]);
    await p.close();
  });

  it('runs the other problems and every solver in the comparison table', async () => {
    const { p, errors } = await page();
    await p.goto(`${base}index.html`);
    await p.waitForSelector('body[data-ready="true"]');
    await p.fill('#m', '48');
    await p.fill('#n', '96');
    await p.fill('#k', '4');
    for (const kind of ['deconvolution', 'structured']) {
      await p.selectOption('#problem', kind);
      await p.click('#run');
      await p.waitForFunction(() => document.getElementById('time-wasm')!.textContent !== '', null, { timeout: 30_000 });
      expect(await p.textContent('#support-wasm')).toMatch(/^\[\d+/);
    }
    await p.fill('#k', '100');
    await p.click('#run');
    await p.waitForFunction(() => document.getElementById('message')!.textContent !== '');
    expect(await p.textContent('#message')).toBe('k must be an integer in [1, 48], received 100');
    await p.fill('#k', '4');
    await p.click('#run-all');
    const n = await p.$$eval('#solver option', (o) => o.length);
    await p.waitForFunction((count) => document.querySelectorAll('#timings tbody tr').length === count && document.getElementById('message')!.textContent === '', n, { timeout: 60_000 });
    expect(errors).toEqual([]);
    await p.close();
  });

  it('runs the phase-transition grid in a Web Worker with live progress and heat map', async () => {
    const { p, errors } = await page();
    await p.goto(`${base}index.html`);
    await p.waitForSelector('body[data-ready="true"]');
    await p.fill('#phase-n', '32');
    await p.fill('#phase-grid', '4');
    await p.fill('#phase-trials', '3');
    await p.click('#phase-start');
    await p.waitForFunction(() => /done/.test(document.getElementById('phase-text')!.textContent ?? ''), null, { timeout: 60_000 });
    expect(await p.$eval('#phase-progress', (e) => [(e as HTMLProgressElement).value, (e as HTMLProgressElement).max])).toEqual([16, 16]);
    const cells = await p.$$eval('#phase-map svg g.series rect', (r) => r.map((x) => x.getAttribute('fill')));
    expect(cells).toHaveLength(16);
    expect(await p.$$eval('#phase-map svg g.legend rect', (r) => r.length)).toBeGreaterThan(0);
    await p.screenshot({ path: join(OUT, 'demo-phase.png'), fullPage: true });
    // low rho, high delta is recovered; the top-left corner (k close to m, m << n) is not
    const titles = await p.$$eval('#phase-map svg g.series rect title', (t) => t.map((x) => x.textContent));
    expect(titles.some((t) => /: 1$/.test(t!))).toBe(true);
    expect(titles.some((t) => /: 0$/.test(t!))).toBe(true);
    expect(errors).toEqual([]);
    await p.close();
  });

  it('loads a saved OMP-Net / IHT-Net (toJSON) and runs it: hard mode equals predict in Node; bad files give a message', async () => {
    await init();
    // a tiny OMP-Net, trained a few epochs, saved with its family (as `sparse-pursuit train` saves it)
    const fam = structuredSparse({ n: 48, s: 3, K: 6, m: 14, matrix: 'dct', sigma: 1e-3, seed: 5 });
    const net = new OmpNet(fam.spec, { layers: 4, tau: 1e-2 });
    await net.train(fam.sample(64, 6), { epochs: 3, batchSize: 32, seed: 1 });
    net.meta = { hidden: Array.from(fam.hidden), settings: fam.settings };
    const saved = JSON.stringify(net.toJSON());
    const { p, errors } = await page();
    await p.goto(`${base}index.html`);
    await p.waitForSelector('body[data-ready="true"]');
    await p.fill('#seed', '4');
    const upload = (name: string, text: string) => p.setInputFiles('#ompnet-file', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
    const result = async (kind: string) => {
      await p.waitForFunction((k) => (document.getElementById('ompnet-json')!.textContent ?? '').includes(`"kind":"${k}"`), kind, { timeout: 30_000 });
      expect(await p.textContent('#ompnet-error')).toBe('');
      return JSON.parse((await p.textContent('#ompnet-json'))!) as Record<string, number[] | string>;
    };
    const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      expect(a.length).toBe(b.length);
      return Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
    };
    await upload('tiny-omp.json', saved);
    const r = await result('omp-net');
    expect(r.source).toBe('family');
    // the signal is the family's, drawn with the page's seed; y is the net's A times it (plus the family's noise).
    // Not bit-for-bit: Chromium's Math.cos (the DCT's entries) may differ from Node's in the last bit.
    const set = fam.sample(1, 4);
    expect(maxDiff(r.y as number[], set.Y.data)).toBeLessThanOrEqual(1e-14);
    expect(maxDiff(r.x as number[], set.X.data)).toBeLessThanOrEqual(1e-14);
    const y = Float64Array.from(r.y as number[]);
    expect(maxDiff(r.hard as number[], net.predict(y, { mode: 'hard' }))).toBeLessThanOrEqual(1e-12);
    expect(maxDiff(r.soft as number[], net.predict(y, { mode: 'soft' }))).toBeLessThanOrEqual(1e-9);
    expect(maxDiff(r.plain as number[], omp(net.A, y, { k: 4 }).x)).toBeLessThanOrEqual(1e-12);
    const info = (await p.textContent('#ompnet-info'))!;
    for (const part of ['tiny-omp.json', 'OMP-Net', 'n = 48', 'm = 14', '4 layers', 'τ = 0.01', 'subsampled DCT']) expect(info).toContain(part);
    expect(await p.textContent('#ompnet-weights')).toContain(`${net.topWeights(1)[0]}`);
    expect(await p.$$eval('#ompnet-results tbody tr', (rows) => rows.map((x) => (x as HTMLTableRowElement).cells[0].textContent))).toEqual(['OMP (k = 4)', 'OMP-Net (hard)', 'OMP-Net (soft, τ = 0.01)']);
    // (names only: a curve equal to a later one also gets a note line, e.g. '= OMP-Net hard, under it')
    expect(await p.$$eval('#ompnet-plot svg g.legend text:not(.note)', (t) => t.map((x) => x.textContent))).toEqual(['true x', 'OMP', 'OMP-Net hard', 'OMP-Net soft']);
    expect(await p.$$eval('#ompnet-weights-plot svg g.series rect', (t) => t.length)).toBe(48);

    // an IHT-Net on an embedded Gaussian A, without its family: a fresh s-sparse signal, said so
    const g = structuredSparse({ n: 40, s: 3, K: 40, m: 20, matrix: 'gaussian', seed: 8 });
    const iNet = new IhtNet(g.spec, { layers: 12, sparsity: 3, eta: 0.5, tau: 0.05, weights: Array.from({ length: 40 }, (_, j) => 1 + (j % 5) / 10) });
    await upload('tiny-iht.json', JSON.stringify(iNet.toJSON()));
    const ri = await result('iht-net');
    expect(ri.source).toBe('fresh');
    expect(await p.textContent('#ompnet-problem')).toContain('does not store its training family');
    expect((ri.x as number[]).filter((v) => v !== 0)).toHaveLength(3);
    const yi = Float64Array.from(ri.y as number[]);
    expect(maxDiff(ri.hard as number[], iNet.predict(yi, { mode: 'hard' }))).toBeLessThanOrEqual(1e-12);
    expect(await p.textContent('#ompnet-info')).toContain('IHT-Net: n = 40, m = 20, 12 layers, τ = 0.05, s = 3');

    // damaged files: the page names the problem and shows no stale result
    const bad = JSON.parse(saved);
    bad.weights[0] += 1e-3;
    await upload('edited.json', JSON.stringify(bad));
    await p.waitForFunction(() => /checksum/.test(document.getElementById('ompnet-error')!.textContent ?? ''));
    expect(await p.textContent('#ompnet-error')).toMatch(new RegExp(`^edited\\.json: loadNet: checksum mismatch \\(file says "${bad.checksum}", contents give '[0-9a-f]{8}'\\): the file was edited or damaged$`));
    expect(await p.textContent('#ompnet-json')).toBe('');
    expect(await p.$$eval('#ompnet-results tbody tr', (rows) => rows.length)).toBe(0);
    await upload('v2.json', JSON.stringify({ ...JSON.parse(saved), version: 2 }));
    await p.waitForFunction(() => /version/.test(document.getElementById('ompnet-error')!.textContent ?? ''));
    expect(await p.textContent('#ompnet-error')).toBe('v2.json: loadNet: format version 2 is not supported (this build reads version 1)');
    await upload('old.json', JSON.stringify({ format: 'sparse-pursuit/omp-net', version: 1, m: 2, n: 2, k: 1, W: [[1, 0], [0, 1]] }));
    await p.waitForFunction(() => /format must be/.test(document.getElementById('ompnet-error')!.textContent ?? ''));
    expect(await p.textContent('#ompnet-error')).toContain("not a saved net: format must be 'sparse-pursuit/unrolled-net'");

    // the shipped example (demo/public/omp-net-small.json)
    await p.click('#ompnet-example');
    const re = await result('omp-net');
    expect(re.source).toBe('family');
    expect(await p.textContent('#ompnet-info')).toContain('omp-net-small.json: OMP-Net: n = 64, m = 16, 6 layers');
    await p.locator('#ompnet-section').screenshot({ path: join(OUT, 'demo-net.png') });
    expect(errors).toEqual([]);
    await p.close();
  });

  it.each(['default', 'url', 'string', 'response', 'promise', 'bytes', 'module'])('init() loads from a %s source in the browser (the package through Vite)', async (kind) => {
    const { p, errors } = await page();
    await p.goto(`${base}init-check.html?src=${kind}`);
    await p.waitForFunction(() => document.getElementById('result')!.textContent !== 'pending', null, { timeout: 20_000 });
    const r = JSON.parse((await p.textContent('#result'))!);
    expect(r).toMatchObject({ ok: true, kind, support: [1] });
    expect(r.x[1]).toBeCloseTo(3, 12);
    expect(errors).toEqual([]);
    await p.close();
  });
});

describe.skipIf(skip)('SolverPool on Web Workers (the package through Vite)', () => {
  it('solves batches in 2 workers with the same bits as the page thread, and survives a worker crash', async () => {
    const { p, errors } = await page();
    await p.goto(`${base}pool-check.html`);
    await p.waitForFunction(() => document.getElementById('result')!.textContent !== 'pending', null, { timeout: 30_000 });
    const r = JSON.parse((await p.textContent('#result'))!);
    expect(r).toEqual({
      // Chromium has relaxed SIMD, so init() picks that build, and the workers run the module the page compiled
      ok: true, build: 'relaxed', workers: 2, poolBuild: 'relaxed', gramSame: true, plainSame: true, nihtSame: true,
      crashErrors: [3], afterCrashSame: true,
    });
    // the crash hook's uncaught error shows up in the worker, not on the page
    expect(errors.filter((e) => !/pool test hook/.test(e))).toEqual([]);
    await p.close();
  });
});

describe.skipIf(skip)('the package from a plain <script type="module"> (no bundler)', () => {
  it('imports dist/ through an import map and init() finds its build (build/relaxed.wasm in Chromium) by itself', async () => {
    // the README snippet, served from the package root as a site would serve node_modules/sparse-pursuit
    const html = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "@assemblyscript/loader": "/node_modules/@assemblyscript/loader/index.js" } }</script>
</head><body><pre id="out">pending</pre>
<script type="module">
  import { init, Matrix, omp } from '/dist/index.js';
  await init();
  const A = Matrix.fromRows([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]]);
  const r = omp(A, [2, 0, 0], { k: 1 });
  document.getElementById('out').textContent = JSON.stringify({ support: Array.from(r.support), x: Array.from(r.x), status: r.status });
</script></body></html>`;
    const allowed = ['/dist/', '/build/relaxed.wasm', '/node_modules/@assemblyscript/loader/'];
    const plain = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/plain.html') {
        res.writeHead(200, { 'content-type': MIME['.html'] }).end(html);
        return;
      }
      const file = normalize(join(ROOT, path));
      if (!allowed.some((a) => path.startsWith(a)) || !file.startsWith(ROOT) || !existsSync(file)) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    try {
      const { p, errors } = await page();
      await p.goto(`http://127.0.0.1:${(plain.address() as AddressInfo).port}/plain.html`);
      await p.waitForFunction(() => document.getElementById('out')!.textContent !== 'pending', null, { timeout: 20_000 });
      expect(JSON.parse((await p.textContent('#out'))!)).toEqual({ support: [0], x: [2, 0, 0], status: 'converged' });
      expect(errors).toEqual([]);
      await p.close();
    } finally {
      await new Promise<void>((r) => plain.close(() => r()));
    }
  });
});

describe.skipIf(skip)('the npm start report in headless Chromium', () => {
  it('renders every figure at 1280 px: non-empty SVGs with axes and legends, a reading under each, nothing overflowing or clipped', async () => {
    const dir = join(OUT, 'report');
    // exactly what `npm start` runs, into test-output/ instead of report/
    const r = await promisify(execFile)(process.execPath, [join(ROOT, 'dist/cli.js'), 'report', '--quick', '--out', dir], { cwd: ROOT, maxBuffer: 64 << 20 });
    expect(r.stdout).toContain(`report written to ${join(dir, 'index.html')}`);
    const { p, errors } = await page(1280);
    await p.goto(pathToFileURL(join(dir, 'index.html')).href);
    await p.waitForLoadState('load');
    const figs = await p.$$eval('figure', (fs) => fs.map((f) => {
      const svg = f.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      const count = (sel: string) => svg?.querySelectorAll(sel).length ?? 0;
      return {
        caption: f.querySelector('figcaption')?.textContent ?? '',
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        axisTicks: count('g.axis text'),
        legendItems: count('g.legend rect, g.legend line, g.legend text'),
        marks: count('g.series path, g.series rect, g.series circle, g.series line, path, circle'),
        title: svg?.querySelector('title')?.textContent ?? '',
      };
    }));
    expect(figs.length).toBeGreaterThanOrEqual(1);
    for (const f of figs) {
      expect(f.width, f.caption).toBeGreaterThan(100);
      expect(f.height, f.caption).toBeGreaterThan(100);
      expect(f.axisTicks, f.caption).toBeGreaterThanOrEqual(3);
      expect(f.legendItems, f.caption).toBeGreaterThanOrEqual(1);
      expect(f.marks, f.caption).toBeGreaterThanOrEqual(1);
      expect(f.title, f.caption).not.toBe('');
    }
    // fits the page: no horizontal scrolling at 1280 px, every figure inside its column,
    // every <pre> table whole (no hidden overflow)
    const fit = await p.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      view: document.documentElement.clientWidth,
      figures: Array.from(document.querySelectorAll('figure')).map((f) => {
        const svg = f.querySelector('svg')!.getBoundingClientRect();
        return { right: svg.right, column: f.getBoundingClientRect().right, reading: f.querySelector('p.reading')?.textContent ?? '' };
      }),
      pres: Array.from(document.querySelectorAll('pre')).map((e) => ({ scroll: e.scrollWidth, client: e.clientWidth })),
    }));
    expect(fit.page).toBeLessThanOrEqual(fit.view);
    for (const f of fit.figures) {
      expect(f.right).toBeLessThanOrEqual(f.column + 0.5);
      expect(f.reading).toMatch(/^Reading: \S.{20,}/);
    }
    for (const e of fit.pres) expect(e.scroll).toBeLessThanOrEqual(e.client);
    // NIHT is in the phase transition; equal curves in the deconvolution figure are marked
    expect(await p.$$eval('#phase-transition svg g.legend text', (t) => t.map((x) => x.textContent))).toContain('NIHT');
    const deconv = JSON.parse(readFileSync(join(dir, 'deconvolution.json'), 'utf8')) as { meanSupportDistance: Record<string, number[]> };
    const d = deconv.meanSupportDistance;
    if (d.omp && d.ompr && d.omp.every((v, i) => v === d.ompr[i])) {
      expect(await p.$$eval('#deconvolution svg g.legend text.note', (t) => t.map((x) => x.textContent))).toContain('= OMPR, under it');
    }
    const shot = join(OUT, 'report.png');
    await p.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
    await p.close();
  }, 30 * 60_000);
});

// The package as a user installs it: `npm pack` (dist/ and build/ as `npm test` built
// them), installed into a fresh app with `npm ci --offline` (the lockfile comes from the
// repository's, test/app-lock.ts, so the npm cache serves every tarball: no network),
// then the README's two-line example served by the Vite dev server and by vite preview, built
// by Vite with no config and by webpack 5 with
// nothing but its entry (also a page running the worker pool), the package's types
// checked by tsc under a Node-only and a DOM-only strict config (skipLibCheck: false),
// and the built apps loaded in headless Chromium.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { build, createLogger, createServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appLock, Lockfile } from './app-lock.js';
import { chooseChromium, serve } from './chromium.js';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const skipBrowser = process.env.SP_SKIP_BROWSER === '1';

const EXAMPLE = `import { init, omp } from 'sparse-pursuit';
await init();
const r = omp([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]], [2, 0, 0], { k: 1 });
document.getElementById('out').textContent = JSON.stringify({ support: Array.from(r.support), x: Array.from(r.x), status: r.status });
`;
const HTML = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>app</title></head>
<body><pre id="out">pending</pre><script type="module" src="/main.js"></script></body></html>
`;
// What a TypeScript user writes; the @ts-expect-error line fails the check if SolverName accepts any string.
const TYPED = `import { init, omp, Matrix, SolverPool, OmpNet, type SolverName, type SolveResult, type WasmSource } from 'sparse-pursuit';
await init();
const A = Matrix.fromRows([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]]);
const r: SolveResult = omp(A, [2, 0, 0], { k: 1 });
const name: SolverName = 'omp';
// @ts-expect-error 'lasso' is not a solver
const bad: SolverName = 'lasso';
const src: WasmSource = new Uint8Array(8);
console.log(r.support, name, bad, src, SolverPool, OmpNet);
`;
// The pool in the browser, for the webpack build (its worker becomes a chunk of its own).
const POOL_EXAMPLE = `import { init, Matrix, SolverPool } from 'sparse-pursuit';
await init();
const pool = await SolverPool.create({ workers: 2 });
const r = await pool.solve('omp', Matrix.fromRows([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]]), [2, 0, 0], { k: 1 });
await pool.terminate();
document.getElementById('out').textContent = JSON.stringify({ support: Array.from(r.support), x: Array.from(r.x), status: r.status });
`;
const STRICT = { target: 'es2022', strict: true, skipLibCheck: false, noEmit: true };
const TSCONFIGS = {
  node: { compilerOptions: { ...STRICT, module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: ['node'] }, files: ['check.ts'] },
  dom: { compilerOptions: { ...STRICT, module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [] }, files: ['check.ts'] },
};

let app = '';
let files: string[] = [];
let packed: { scripts?: Record<string, string>; files?: string[] } = {};
let npmOutput = '';

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'sp-app-'));
  // --ignore-scripts: dist/ was built by pretest; prepack would rebuild it under the other test files
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', app], { cwd: ROOT, maxBuffer: 16 << 20 });
  const info = JSON.parse(stdout)[0] as { filename: string; files: { path: string }[] };
  files = info.files.map((f) => f.path);
  const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const { app: pkg, lock } = appLock(JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile, rootPkg, info.filename, ['@types/node']);
  writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(lock, null, 2));
  const npm = await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: app, maxBuffer: 16 << 20 });
  npmOutput = npm.stdout + npm.stderr;
  packed = JSON.parse(readFileSync(join(app, 'node_modules/sparse-pursuit/package.json'), 'utf8'));
  writeFileSync(join(app, 'index.html'), HTML);
  writeFileSync(join(app, 'main.js'), EXAMPLE);
  writeFileSync(join(app, 'pool.js'), POOL_EXAMPLE);
  writeFileSync(join(app, 'check.ts'), TYPED);
  for (const [k, v] of Object.entries(TSCONFIGS)) writeFileSync(join(app, `tsconfig.${k}.json`), JSON.stringify(v, null, 2));
}, 180_000);

afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

/**
 * vite build of the app (no config file), returning every warning and error it logged,
 * except rolldown's [PLUGIN_TIMINGS] note (how long plugins took: it depends on the
 * machine's load, not on the package).
 */
async function viteBuild(extra: object): Promise<string[]> {
  const logged: string[] = [];
  const logger = createLogger('warn', { allowClearScreen: false });
  const warn = (msg: string) => void (/\[PLUGIN_TIMINGS\]/.test(msg) || logged.push(`warn: ${msg}`));
  logger.warn = warn;
  logger.warnOnce = warn;
  logger.error = (msg) => void logged.push(`error: ${msg}`);
  await build({ root: app, configFile: false, logLevel: 'warn', customLogger: logger, ...extra });
  return logged;
}

/**
 * webpack 5 build of `entry` (production mode, no other option) into `out` with a
 * page that runs it; returns every warning and error webpack reported.
 */
async function webpackBuild(entry: string, out: string): Promise<string[]> {
  const { default: webpack } = await import('webpack');
  const outDir = join(app, out);
  const logged = await new Promise<string[]>((done, fail) => {
    const compiler = webpack({ mode: 'production', context: app, entry, output: { path: outDir, clean: true } });
    compiler.run((err, stats) => {
      if (err || !stats) return fail(err ?? new Error('webpack gave no stats'));
      const j = stats.toJson({ all: false, errors: true, warnings: true });
      const list = [...(j.errors ?? []).map((e) => `error: ${e.message}`), ...(j.warnings ?? []).map((w) => `warn: ${w.message}`)];
      compiler.close(() => done(list));
    });
  });
  writeFileSync(join(outDir, 'index.html'), HTML.replace('<script type="module" src="/main.js">', '<script src="main.js">'));
  return logged;
}

/** Loads `dir`/index.html in headless Chromium and returns what the page printed and any error it raised. */
async function runPage(dir: string): Promise<{ out: unknown; errors: string[] }> {
  let server: Server | null = null;
  try {
    let url: string;
    ({ server, url } = await serve(dir));
    return await openPage(`${url}index.html`);
  } finally {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  }
}

/** Opens `url` in headless Chromium; returns what the page printed in #out and any error it raised. */
async function openPage(url: string): Promise<{ out: unknown; errors: string[] }> {
  const chosen = await chooseChromium();
  const browser = await chromium.launch({ executablePath: chosen.executablePath, args: chosen.args });
  try {
    const p = await browser.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await p.goto(url);
    await p.waitForFunction(() => document.getElementById('out')!.textContent !== 'pending', null, { timeout: 30_000 });
    return { out: JSON.parse((await p.textContent('#out'))!), errors };
  } finally {
    await browser.close();
  }
}

describe('which Chromium the browser tests drive', () => {
  it('CHROME_PATH wins when set, and a missing one is an error, not a silent fallback', async () => {
    expect(await chooseChromium({ CHROME_PATH: process.execPath })).toMatchObject({ executablePath: process.execPath, source: 'CHROME_PATH' });
    await expect(chooseChromium({ CHROME_PATH: '/nonexistent/chrome' })).rejects.toThrow('CHROME_PATH=/nonexistent/chrome does not exist');
  });
});

describe('the packed tarball', () => {
  it('holds dist/ (JS, types, maps with their sources inlined), both WASM builds, LICENSE; no src/ or assembly/', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/index.js.map', 'build/release.wasm', 'build/scalar.wasm', 'dist/parallel/pool-worker.js']));
    expect(files.filter((f) => /^(src|assembly|test|bench|demo|scripts)\//.test(f) || /\.(ts|mjs|wat)$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    const map = JSON.parse(readFileSync(join(app, 'node_modules/sparse-pursuit/dist/index.js.map'), 'utf8'));
    expect(map.sourcesContent?.[0]).toContain('Public API of sparse-pursuit');
    expect(readFileSync(join(app, 'node_modules/sparse-pursuit/LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} sparse-pursuit contributors/);
  });

  it('runs no lifecycle script when installed, and npm says nothing about the package', () => {
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) expect(packed.scripts ?? {}).not.toHaveProperty(s);
    expect(npmOutput.split('\n').filter((l) => /warn|ERR/i.test(l) && /sparse-pursuit/.test(l))).toEqual([]);
  });
});

describe('a fresh app with the package installed from the tarball', () => {
  it.each(Object.keys(TSCONFIGS))('tsc --noEmit with the strict %s-only config (skipLibCheck: false) reports nothing', async (kind) => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const r = await run(process.execPath, [tsc, '--noEmit', '-p', `tsconfig.${kind}.json`], { cwd: app }).catch((e: { stdout: string; stderr: string }) => e);
    expect(`${r.stdout}${r.stderr}`).toBe('');
  }, 120_000);

  it('vite build with no config at all (the pool worker in the default iife format)', async () => {
    expect(await viteBuild({})).toEqual([]);
  }, 120_000);

  it.skipIf(skipBrowser)('vite build: no warning; the built app solves in headless Chromium', async () => {
    const logged = await viteBuild({});
    expect(logged).toEqual([]);
    const { out, errors } = await runPage(join(app, 'dist'));
    expect(out).toEqual({ support: [0], x: [2, 0, 0], status: 'converged' });
    expect(errors).toEqual([]);
  }, 120_000);

  const SOLVED = { support: [0], x: [2, 0, 0], status: 'converged' };
  it.skipIf(skipBrowser)('the Vite dev server and vite preview, with no config: the app solves in headless Chromium, nothing logged', async () => {
    const logged: string[] = [];
    const logger = createLogger('warn', { allowClearScreen: false });
    logger.warn = (msg) => void logged.push(`warn: ${msg}`);
    logger.warnOnce = logger.warn;
    logger.error = (msg) => void logged.push(`error: ${msg}`);
    const dev = await createServer({ root: app, configFile: false, logLevel: 'warn', customLogger: logger, server: { host: '127.0.0.1', port: 0 } });
    await dev.listen();
    try {
      const r = await openPage(`${dev.resolvedUrls!.local[0]}index.html`);
      expect(r.out).toEqual(SOLVED);
      expect(r.errors).toEqual([]);
    } finally {
      await dev.close();
    }
    expect(await viteBuild({})).toEqual([]);
    const pv = await preview({ root: app, configFile: false, logLevel: 'warn', customLogger: logger, preview: { host: '127.0.0.1', port: 0 } });
    try {
      const r = await openPage(`${pv.resolvedUrls!.local[0]}index.html`);
      expect(r.out).toEqual(SOLVED);
      expect(r.errors).toEqual([]);
    } finally {
      await new Promise<void>((done) => pv.httpServer.close(() => done()));
    }
    expect(logged).toEqual([]);
  }, 120_000);

  it.each([['the README example', './main.js', 'wp-main'], ['the pool (its worker a chunk of its own)', './pool.js', 'wp-pool']])(
    'webpack 5 with no configuration beyond the entry: %s builds without a warning and solves in headless Chromium', async (_what, entry, out) => {
      expect(await webpackBuild(entry, out)).toEqual([]);
      if (skipBrowser) return;
      const { out: printed, errors } = await runPage(join(app, out));
      expect(printed).toEqual(SOLVED);
      expect(errors).toEqual([]);
    }, 120_000);
});

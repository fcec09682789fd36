// The shipped worker code builds in a default Vite app: an app importing the
// built package (dist/) and starting a SolverPool is built with no config (so
// Vite's default worker format, 'iife', which refuses top-level await), and
// no warning names a worker file or a file the package does not ship.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, createLogger } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const DIST = resolve(__dirname, '..', 'dist', 'index.js');
const dir = mkdtempSync(join(tmpdir(), 'sp-vite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('worker files in a default Vite build', () => {
  it('builds the pool worker as a worker chunk, with no warning about workers or missing files', async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="r"></div><script type="module" src="./main.js"></script>\n');
    writeFileSync(join(dir, 'main.js'), `import { init, SolverPool, Matrix } from ${JSON.stringify(DIST)};
init().then(() => SolverPool.create({ workers: 1 })).then((p) => p.solve('omp', new Matrix(2, 3, [1, 0, 0, 0, 1, 1]), [1, 2], { k: 1 }))
  .then((r) => { document.getElementById('r').textContent = JSON.stringify(r.status); });
`);
    const warnings: string[] = [];
    const logger = createLogger('warn', { allowClearScreen: false });
    logger.warn = (msg) => void warnings.push(msg);
    logger.warnOnce = (msg) => void warnings.push(msg);
    await build({ root: dir, configFile: false, logLevel: 'warn', customLogger: logger, build: { outDir: join(dir, 'dist') } });
    const assets = readdirSync(join(dir, 'dist', 'assets'));
    const worker = assets.find((f) => /^pool-worker-.*\.js$/.test(f));
    expect(worker, assets.join(', ')).toBeDefined();
    // the worker chunk is a classic script (iife): no import/export statements, no top-level await
    const code = readFileSync(join(dir, 'dist', 'assets', worker!), 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(warnings.filter((w) => /worker|tsx|does not exist|doesn't exist|top-level await/i.test(w))).toEqual([]);
  }, 120_000);
});

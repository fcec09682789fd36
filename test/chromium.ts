// Which Chromium the browser tests drive, never a downloaded one:
// 1. CHROME_PATH (or the older CHROMIUM_PATH) when set: that binary, no fallback;
// 2. the system's /usr/bin/chromium (Debian's; .ci/run installs it) when `--version` runs;
// 3. the headless Chromium shipped inside the @sparticuz/chromium devDependency: its npm
//    tarball holds the browser brotli-compressed, and executablePath() inflates it into the
//    temp directory (once, reused after); nothing is fetched at install or at run time.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

/** The flags every browser test launches with (playwright-core adds its own automation flags). */
export const BASE_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export interface ChromiumChoice {
  /** The binary playwright-core launches. */
  executablePath: string;
  /** Launch flags: BASE_FLAGS plus what this binary needs. */
  args: string[];
  /** Where it came from, for the test log. */
  source: 'CHROME_PATH' | 'system' | '@sparticuz/chromium';
}

/** True when `path --version` exits 0 within 30 s (Debian's wrapper script fails when /usr/lib/chromium is gone). */
function runs(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    execFileSync(path, ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Picks the browser as described at the top of this file; throws naming what was tried. */
export async function chooseChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumChoice> {
  const given = env.CHROME_PATH || env.CHROMIUM_PATH;
  if (given) {
    if (!existsSync(given)) throw new Error(`CHROME_PATH=${given} does not exist`);
    return { executablePath: given, args: BASE_FLAGS, source: 'CHROME_PATH' };
  }
  if (runs(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, args: BASE_FLAGS, source: 'system' };
  let shipped: typeof import('@sparticuz/chromium').default;
  try {
    shipped = (await import('@sparticuz/chromium')).default;
  } catch (e) {
    throw new Error(`no browser for the browser tests: CHROME_PATH is unset, ${SYSTEM_CHROMIUM} does not run, and the devDependency @sparticuz/chromium is not installed (${(e as Error).message}); run npm install, or set SP_SKIP_BROWSER=1`);
  }
  const executablePath = await shipped.executablePath();
  // Of the package's own flags only the process-model ones: its --disable-web-security and
  // --allow-running-insecure-content would hide the CORS and mixed-content errors the tests must see.
  const extra = shipped.args.filter((a) => a === '--no-zygote');
  return { executablePath, args: [...BASE_FLAGS, ...extra], source: '@sparticuz/chromium' };
}

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

/** A static file server for `dir` on 127.0.0.1 (an ephemeral port). */
export async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

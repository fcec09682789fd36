// The README's examples run as written: the first ```ts block under
// "## Usage" and the first under "### Matrices" are each written to a temp .mts
// file with the package import mapped to src/index.ts, run by Node (through
// tsx, as a user's script would be), and every `console.log(...) // expected`
// line must print what its comment says. The "## Quick start with Vite"
// example (src/main.ts and vite.config.ts as printed) must build with Vite
// against this package's dist/ and ship the WASM module and the pool worker.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The body of the first ```ts block in the given section of a markdown text:
 * `## section` by default, `### section` with level 3. The section ends at the
 * next heading of the same or a higher level.
 */
export function firstTsBlock(markdown: string, section: string, level = 2): string | null {
  const hashes = '#'.repeat(level);
  const start = markdown.search(new RegExp(`^${hashes} ${section}\\s*$`, 'm'));
  if (start < 0) return null;
  const rest = markdown.slice(start);
  const head = level + 1;
  const next = rest.slice(head).search(new RegExp(`^#{1,${level}} `, 'm'));
  const body = next < 0 ? rest : rest.slice(0, next + head);
  const m = /```ts\n([\s\S]*?)```/.exec(body);
  return m ? m[1] : null;
}

/** Runs a README example through Node + tsx and checks each `console.log(...) // expected` line. */
function runExample(code: string): void {
  const src = code.replace(/from 'sparse-pursuit'/g, `from '${pathToFileURL(join(root, 'src/index.ts')).href}'`);
  const expected = code
    .split('\n')
    .filter((l) => /^\s*console\.log\(.*\);\s*\/\/ /.test(l))
    .map((l) => l.replace(/^.*?\);\s*\/\/ /, ''));
  const dir = mkdtempSync(join(tmpdir(), 'sparse-pursuit-readme-'));
  try {
    const file = join(dir, 'example.mts');
    writeFileSync(file, src);
    const run = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr.replace(/^npm warn.*$/gm, '').trim(), 'the example wrote to stderr').toBe('');
    expect(run.status, `the example exited with ${run.status}:\n${run.stderr}`).toBe(0);
    const printed = run.stdout.trim().split('\n');
    expect(printed.length).toBe(expected.length);
    printed.forEach((line, i) => expect(normalise(line), `line ${i + 1}: ${line}`).toBe(normalise(expected[i])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Loose form of printed output for comparison: no whitespace, quotes, commas or typed-array lengths. */
function normalise(s: string): string {
  return s.replace(/(Int32Array|Float64Array|Uint8Array|Array)\(\d+\)/g, '$1').replace(/[\s'",]/g, '');
}

describe('README usage example', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const code = firstTsBlock(readme, 'Usage');

  it('has a ts block that imports the package and documents its output', () => {
    expect(code, 'no ```ts block under ## Usage').not.toBeNull();
    expect(code).toMatch(/from 'sparse-pursuit'/);
    expect(code).toMatch(/console\.log\(.*\);\s*\/\/ \S/);
  });

  it('runs as written and prints what its comments say', () => {
    runExample(code!);
  });

  it('the Matrices example (new Matrix, fromRows, fromColumns) runs and prints what its comments say', () => {
    const block = firstTsBlock(readme, 'Matrices', 3);
    expect(block, 'no ```ts block under ### Matrices').not.toBeNull();
    expect(block).toMatch(/new Matrix\(/);
    expect(block).toMatch(/console\.log\(.*\);\s*\/\/ \S/);
    runExample(block!);
  });

  it('the Vite quick start builds as written', async () => {
    const section = readme.slice(readme.search(/^## Quick start with Vite\s*$/m));
    const blocks = [...section.slice(0, section.slice(3).search(/^## /m) + 3).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length, 'the Vite section has one src/main.ts block and needs no config').toBe(1);
    const [main] = blocks;
    expect(main).toMatch(/from 'sparse-pursuit'/);
    expect(existsSync(join(root, 'dist/index.js')), 'run npm run build first').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'sparse-pursuit-vite-'));
    try {
      mkdirSync(join(dir, 'src'));
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(root, join(dir, 'node_modules', 'sparse-pursuit'), 'dir');
      symlinkSync(join(root, 'node_modules', 'vite'), join(dir, 'node_modules', 'vite'), 'dir');
      writeFileSync(join(dir, 'package.json'), '{ "name": "my-app", "private": true, "type": "module" }\n');
      writeFileSync(join(dir, 'index.html'), '<!doctype html>\n<div id="app"></div>\n<script type="module" src="/src/main.ts"></script>\n');
      writeFileSync(join(dir, 'src', 'main.ts'), main);
      const { build } = await import('vite');
      await build({ root: dir, configFile: false, logLevel: 'silent', build: { outDir: join(dir, 'dist') } });
      const assets = readdirSync(join(dir, 'dist', 'assets'));
      expect(assets.filter((f) => f.endsWith('.wasm')).length, `assets: ${assets}`).toBeGreaterThanOrEqual(2);
      const js = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dir, 'dist', 'assets', f), 'utf8')).join('\n');
      expect(js).toMatch(/status \$\{/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('the extractor finds the block and only in the right section (so a moved example fails)', () => {
    const md = '# t\n\n## Other\n\n```ts\nno\n```\n\n## Usage\n\ntext\n\n```ts\nyes\n```\n\n## Next\n\n```ts\nlater\n```\n';
    expect(firstTsBlock(md, 'Usage')).toBe('yes\n');
    expect(firstTsBlock('## Usage\n\n```sh\nx\n```\n## B\n```ts\ny\n```\n', 'Usage')).toBeNull();
    expect(firstTsBlock('# nothing', 'Usage')).toBeNull();
    const md3 = '## Usage\n\n### Other\n```ts\nno\n```\n### Matrices\n\n```ts\nyes\n```\n## Next\n```ts\nlater\n```\n';
    expect(firstTsBlock(md3, 'Matrices', 3)).toBe('yes\n');
    expect(firstTsBlock('### Matrices\ntext\n## Next\n```ts\nlater\n```\n', 'Matrices', 3)).toBeNull();
  });
});

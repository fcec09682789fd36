// Every relative link in README.md and docs/*.md points to a file that exists,
// and every #anchor to a heading of the target file (GitHub's heading ids).
// The README's API overview names every runtime export of the package.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The markdown text without fenced code blocks and inline code spans (links there are not links). */
export function stripCode(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .replace(/(`+)[\s\S]*?\1/g, '');
}

/** Link targets of inline links and images, `[text](target)` / `![alt](target "title")`, outside code. */
export function linkTargets(markdown: string): string[] {
  const out: string[] = [];
  const re = /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
  for (const m of stripCode(markdown).matchAll(re)) out.push(m[1]);
  return out;
}

/** GitHub's id for a heading text: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  const text = heading
    .replace(/`([^`]*)`/g, '$1')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_]{1,3}([^*_]+)[*_]{1,3}/g, '$1')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\p{M} _-]/gu, '').replace(/ /g, '-');
}

/** The ids of the headings of a markdown text, with GitHub's -1, -2 suffixes for repeats. */
export function headingIds(markdown: string): Set<string> {
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of withoutFences.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

/**
 * The broken relative links of one markdown file: a missing file, or an
 * anchor that names no heading of the target markdown file.
 * @param read reads a file given its absolute path (null when it does not exist)
 */
export function brokenLinks(file: string, markdown: string, read: (path: string) => string | null): string[] {
  const broken: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // http:, mailto:, ...
    const hash = target.indexOf('#');
    const pathPart = decodeURI(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
    const abs = pathPart === '' ? file : resolve(dirname(file), pathPart);
    const text = read(abs);
    if (text === null) {
      broken.push(`${target}: no file ${abs}`);
      continue;
    }
    if (anchor !== null && /\.md$/i.test(abs) && !headingIds(text).has(anchor)) {
      broken.push(`${target}: no heading with id '${anchor}' in ${abs}`);
    }
  }
  return broken;
}

function readIfExists(path: string): string | null {
  if (!existsSync(path)) return null;
  return statSync(path).isDirectory() ? '' : readFileSync(path, 'utf8');
}

function markdownFiles(): string[] {
  const docs = join(root, 'docs');
  const inDocs = existsSync(docs) ? readdirSync(docs, { recursive: true }).map(String).filter((f) => f.endsWith('.md')).map((f) => join(docs, f)) : [];
  return [join(root, 'README.md'), ...inDocs];
}

describe('relative links in README.md and docs/', () => {
  const files = markdownFiles();

  it('finds the README and the docs', () => {
    expect(files.length).toBeGreaterThan(1);
    for (const name of ['api.md', 'benchmarks.md', 'robustness.md', 'nets.md', 'architecture.md']) {
      expect(files, `docs/${name}`).toContain(join(root, 'docs', name));
    }
  });

  for (const file of files) {
    it(`${relative(root, file)}: every relative link and anchor resolves`, () => {
      const md = readFileSync(file, 'utf8');
      expect(linkTargets(md).length, 'no links found: the extractor is broken or the file lost its links').toBeGreaterThan(0);
      expect(brokenLinks(file, md, readIfExists)).toEqual([]);
    });
  }

  it('the README links to every file in docs/', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const linked = new Set(linkTargets(readme).map((t) => t.split('#')[0]));
    for (const name of ['api.md', 'benchmarks.md', 'robustness.md', 'nets.md', 'architecture.md']) {
      expect(linked, `README does not link docs/${name}`).toContain(`docs/${name}`);
    }
  });
});

describe('the link checker', () => {
  const files: Record<string, string> = {
    '/d/a.md': '# Title\n\n## Loading the WASM, and the SIMD builds\n\n## Notes\n\n## Notes\n\n```\n## Not a heading\n```\n',
    '/d/img.png': '',
  };
  const read = (p: string) => (p in files ? files[p] : null);

  it('accepts existing files, anchors (GitHub ids, repeats numbered) and external links', () => {
    const md = '[a](a.md) [b](a.md#loading-the-wasm-and-the-simd-builds) [c](#notes-1) ![i](img.png) [w](https://example.com/x#y) [m](mailto:a@b.c)\n\n# Notes\n';
    expect(brokenLinks('/d/a.md', files['/d/a.md'] + md, read)).toEqual([]);
  });

  it('reports a missing file, a missing anchor and a heading that sits in a code block', () => {
    const md = '[x](missing.md) [y](a.md#nowhere) [z](a.md#not-a-heading) ![i](pics/none.png)';
    const broken = brokenLinks('/d/README.md', md, read);
    expect(broken).toHaveLength(4);
    expect(broken[0]).toMatch(/^missing\.md: no file/);
    expect(broken[1]).toMatch(/nowhere/);
    expect(broken[2]).toMatch(/not-a-heading/);
    expect(broken[3]).toMatch(/none\.png/);
  });

  it('ignores links inside code', () => {
    expect(linkTargets('`[x](gone.md)`\n\n```md\n[y](gone.md)\n```\n[z](here.md)')).toEqual(['here.md']);
  });

  it('makes GitHub heading ids', () => {
    expect(slug("OMP's f32 screen")).toBe('omps-f32-screen');
    expect(slug('Against scikit-learn and NumPy (`npm run bench:peers`)')).toBe('against-scikit-learn-and-numpy-npm-run-benchpeers');
    expect(slug('OMP-Net and the hidden set at m = 40')).toBe('omp-net-and-the-hidden-set-at-m--40');
  });
});

describe('the README names the whole public API', () => {
  it('every runtime export of the package appears in the README\'s API section', async () => {
    const api = await import('../src/index.js');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const start = readme.search(/^## API\s*$/m);
    expect(start, 'README has no ## API section').toBeGreaterThanOrEqual(0);
    const rest = readme.slice(start + 3);
    const end = rest.search(/^## /m);
    const section = end < 0 ? rest : rest.slice(0, end);
    const named = new Set([...section.matchAll(/`([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
    const missing = Object.keys(api).filter((name) => !named.has(name));
    expect(missing, 'exports missing from the README API table').toEqual([]);
  });
});

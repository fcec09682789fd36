// Atomic writes (src/io/atomic.ts): exclusive, unpredictably named temporary
// files, never written through a symlink, the mode of an existing file kept;
// and every writer in src/ goes through them.
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const DIR = resolve(__dirname, '../test-output/atomic');

// randomBytes is replaced only where a test pins it, to plant a file at the
// temporary name the next write will use
const pinned = vi.hoisted(() => ({ bytes: null as Buffer | null }));
vi.mock('node:crypto', async (orig) => {
  const real = await orig<typeof import('node:crypto')>();
  return { ...real, randomBytes: (n: number) => pinned.bytes ?? real.randomBytes(n) };
});

const { tempPathFor, writeFileAtomic, writeFileAtomicSync, ensureWritableDir } = await import('../src/io/atomic.js');
const { writeTable } = await import('../src/io/files.js');

beforeEach(() => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  pinned.bytes = null;
});
afterEach(() => {
  pinned.bytes = null;
});

describe('writeFileAtomic', () => {
  it('uses a fresh 96-bit random temporary name beside the target each time', () => {
    const a = tempPathFor(join(DIR, 'x.json'));
    const b = tempPathFor(join(DIR, 'x.json'));
    expect(a).not.toBe(b);
    expect(a).toMatch(/\/\.x\.json\.[0-9a-f]{24}\.tmp$/);
    expect(a).not.toContain(String(process.pid));
  });

  it.each(['sync', 'async'])('(%s) refuses to write through a file or symlink planted at the temporary name', async (mode) => {
    const victim = join(DIR, 'victim.txt');
    writeFileSync(victim, 'precious');
    pinned.bytes = Buffer.alloc(12, 0xab);
    const target = join(DIR, 'out.json');
    symlinkSync(victim, tempPathFor(target));
    const write = () => (mode === 'sync' ? writeFileAtomicSync(target, 'new') : writeFileAtomic(target, 'new'));
    if (mode === 'sync') expect(write).toThrow(/EEXIST/);
    else await expect(write()).rejects.toThrow(/EEXIST/);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(() => statSync(target)).toThrow();
  });

  it.each(['sync', 'async'])('(%s) keeps the mode of an existing file (0600 stays 0600)', async (mode) => {
    const target = join(DIR, 'secret.json');
    writeFileSync(target, 'old');
    chmodSync(target, 0o600);
    if (mode === 'sync') writeFileAtomicSync(target, 'new');
    else await writeFileAtomic(target, 'new');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readFileSync(target, 'utf8')).toBe('new');
  });

  it('replaces a symlink at the target itself, leaving the file it pointed to alone', () => {
    const victim = join(DIR, 'victim.txt');
    writeFileSync(victim, 'precious');
    const target = join(DIR, 'x.csv');
    symlinkSync(victim, target);
    writeTable(target, { ndim: 1, rows: 2, cols: 1, data: Float64Array.of(1, 2) });
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(lstatSync(target).isSymbolicLink()).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe('1\n2\n');
  });

  it('leaves no temporary file behind when the rename fails', () => {
    const target = join(DIR, 'adir');
    mkdirSync(join(target, 'inside'), { recursive: true });
    expect(() => writeFileAtomicSync(target, 'x')).toThrow();
    expect(readdirSync(DIR).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('ensureWritableDir names the folder and the reason on one line', async () => {
    writeFileSync(join(DIR, 'file'), 'x');
    await expect(ensureWritableDir(join(DIR, 'file', 'sub'))).rejects.toThrow(/file\/sub: cannot write there \((ENOTDIR|EEXIST)\)$/);
    await ensureWritableDir(join(DIR, 'new', 'deep'));
    expect(statSync(join(DIR, 'new', 'deep')).isDirectory()).toBe(true);
    expect(readdirSync(join(DIR, 'new', 'deep'))).toEqual([]);
  });
});

describe('every writer in src/ goes through src/io/atomic.ts', () => {
  it('no other file in src/ calls writeFile, writeFileSync, createWriteStream or open for writing', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.ts')) files.push(join(d, e.name));
      }
    };
    const src = resolve(__dirname, '../src');
    walk(src);
    const offenders = files.filter((f) => !f.endsWith(join('io', 'atomic.ts'))).filter((f) => {
      const text = readFileSync(f, 'utf8');
      return /\b(writeFileSync|writeFile|appendFile(Sync)?|createWriteStream)\s*\(|\bopen(Sync)?\([^)]*['"][wa]/.test(text);
    });
    expect(offenders.map((f) => f.slice(src.length + 1))).toEqual([]);
  });
});

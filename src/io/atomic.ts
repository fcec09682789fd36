// Atomic file writes, the one path by which the package writes a file (CLI
// --out, training checkpoints, saved nets, experiment and report files).
//
// The data goes into a temporary file beside the target, created exclusively
// (O_CREAT | O_EXCL: an existing file or a planted symlink at that name makes
// the open fail instead of being written through) under a name with 96 random
// bits, so nobody can predict it; the file is flushed to disk and renamed
// over the target, which therefore holds either its old contents or the new
// ones, never a mix. rename() replaces a symlink at the target itself, never
// the file it points to. An existing target keeps its permission bits; a new
// one gets 0666 less the umask, as a plain write would.
//
// Node-only: browser bundles never import this file statically.
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Random bytes in a temporary name: 12 bytes = 96 bits, 24 hex digits. */
const TMP_RANDOM_BYTES = 12;

/** A fresh unpredictable temporary path beside `path` (hidden, ending in .tmp). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(TMP_RANDOM_BYTES).toString('hex')}.tmp`);
}

/** The permission bits of an existing `path`, or undefined when there is none. */
function existingMode(st: { mode: number } | null): number | undefined {
  return st ? st.mode & 0o7777 : undefined;
}

function statOrNull(path: string): { mode: number } | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/**
 * Writes `data` to `path` atomically (see the file comment). Throws the
 * underlying system error (with its `code`) on failure, after removing the
 * temporary file; the target is then untouched.
 */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const mode = existingMode(statOrNull(path));
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, 'wx', mode ?? 0o666);
  let ok = false;
  try {
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      const b = bytesOf(data);
      for (let off = 0; off < b.length;) off += writeSync(fd, b, off, b.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    ok = true;
  } finally {
    if (!ok) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
  }
}

/** The asynchronous form of writeFileAtomicSync. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  let mode: number | undefined;
  try {
    mode = existingMode(await stat(path));
  } catch {
    mode = undefined;
  }
  const tmp = tempPathFor(path);
  const fh = await open(tmp, 'wx', mode ?? 0o666);
  let ok = false;
  try {
    try {
      if (mode !== undefined) await fh.chmod(mode);
      await fh.writeFile(bytesOf(data));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    ok = true;
  } finally {
    if (!ok) await unlink(tmp).catch(() => undefined);
  }
}

/**
 * Makes sure files can be written in directory `dir` before any long work
 * starts: creates it (and its parents) when missing and `create` is true,
 * then creates and removes
 * an exclusive probe file there. Throws an Error whose message names `dir` and
 * the reason on one line (e.g. "/x/out: cannot write there (EACCES)").
 */
export async function ensureWritableDir(dir: string, create = true): Promise<void> {
  const fail = (e: unknown): never => {
    const code = (e as { code?: string }).code;
    throw new OutputError(`${dir}: cannot write there (${code ?? (e as Error).message.split('\n')[0]})`);
  };
  try {
    if (create) await mkdir(dir, { recursive: true });
  } catch (e) {
    fail(e);
  }
  const probe = tempPathFor(join(dir, 'probe'));
  try {
    const fh = await open(probe, 'wx');
    await fh.close();
  } catch (e) {
    fail(e);
  }
  await unlink(probe).catch(() => undefined);
}

/** An output location that cannot be written; the message starts with the path. */
export class OutputError extends Error {}

// Training loses nothing: a `sparse-pursuit train` child process killed
// (SIGKILL) in the middle of an epoch, then run again with --resume, ends with
// exactly the weights, curves and kept epoch of an uninterrupted run with the
// same seed. While it runs, every read of the checkpoint file finds complete
// JSON (it is written to a temporary file and renamed).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = resolve(__dirname, '../dist/cli.js');
const root = mkdtempSync(join(tmpdir(), 'sp-kill-'));
afterAll(() => { if (!process.env.KEEP) rmSync(root, { recursive: true, force: true }); });

// about 150 ms per epoch on this machine: long enough to land a kill inside one
const ARGS = ['train', 'omp-net', '--n', '128', '--m', '32', '--s', '4', '--K', '12', '--layers', '8', '--train', '2048', '--val', '128',
  '--test', '64', '--epochs', '16', '--batch', '64', '--seed', '7'];

function run(out: string, extra: string[] = []) {
  const child = spawn(process.execPath, [CLI, ...ARGS, '--out', out, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((res) => child.on('exit', (code, signal) => res({ code, signal, stderr })));
  return { child, done };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('train: killed mid-epoch, then --resume', () => {
  it('ends with the weights of an uninterrupted run; the checkpoint is complete JSON whenever it is read', async () => {
    const ref = join(root, 'ref');
    const cut = join(root, 'cut');
    const a = await run(ref).done;
    expect(a.code, a.stderr).toBe(0);
    const refJson = JSON.parse(readFileSync(join(ref, 'omp-net.json'), 'utf8'));

    // the run to kill: watch its checkpoint, kill 60 ms after epoch 3 was saved
    const ckpt = join(cut, 'omp-net.checkpoint.json');
    const b = run(cut);
    let reads = 0;
    let savedEpoch = 0;
    for (let t = 0; t < 3000 && savedEpoch < 3; t++) {
      await sleep(5);
      if (!existsSync(ckpt)) continue;
      const text = readFileSync(ckpt, 'utf8');
      const j = JSON.parse(text); // throws (and fails the test) on a partial file
      reads++;
      savedEpoch = j.state.epoch;
    }
    expect(savedEpoch).toBeGreaterThanOrEqual(3);
    await sleep(60);
    b.child.kill('SIGKILL');
    const killed = await b.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(reads).toBeGreaterThan(0);
    const left = JSON.parse(readFileSync(ckpt, 'utf8'));
    expect(left.state.epoch).toBeGreaterThanOrEqual(3);
    expect(left.state.epoch).toBeLessThan(16); // killed before the end
    expect(existsSync(join(cut, 'omp-net.json'))).toBe(false); // the final report was never written

    const c = await run(cut, ['--resume']).done;
    expect(c.code, c.stderr).toBe(0);
    const cutJson = JSON.parse(readFileSync(join(cut, 'omp-net.json'), 'utf8'));
    expect(cutJson.weights).toEqual(refJson.weights);
    const strip = (cs: { seconds: number }[]) => cs.map(({ seconds: _s, ...rest }) => rest);
    expect(strip(cutJson.curves)).toEqual(strip(refJson.curves));
    expect(JSON.parse(readFileSync(join(cut, 'omp-net.net.json'), 'utf8')).weights).toEqual(JSON.parse(readFileSync(join(ref, 'omp-net.net.json'), 'utf8')).weights);
  });
});

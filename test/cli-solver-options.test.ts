// The solve command's flags for the solvers' own options (--mu, --eta, --x0,
// --init), derived from the descriptors: each reaches its solver and gives
// what the library gives; a flag the solver does not take is a usage error.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { fista, init, iht, ompr, sea, sp } from '../src/index.js';
import { gaussianProblem } from '../src/data/problems.js';
import { optionFlags } from '../src/cli/solve.js';
import { solverDescriptors } from '../src/solvers/registry.js';

const run = promisify(execFile);
const CLI = resolve(__dirname, '../dist/cli.js');
const DIR = resolve(__dirname, '../test-output/cli-solver-options');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { cwd: DIR });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

const { A, y } = gaussianProblem({ m: 12, n: 30, k: 3, seed: 21 });
const x0 = Float64Array.from({ length: 30 }, (_, j) => (j % 7 === 0 ? 0.5 : 0));

beforeAll(async () => {
  await init();
  mkdirSync(DIR, { recursive: true });
  writeFileSync(resolve(DIR, 'A.json'), JSON.stringify(A.toRows()));
  writeFileSync(resolve(DIR, 'y.json'), JSON.stringify(Array.from(y)));
  writeFileSync(resolve(DIR, 'x0.json'), JSON.stringify(Array.from(x0)));
  writeFileSync(resolve(DIR, 'short.json'), JSON.stringify([1, 2]));
});

const base = ['solve', '--matrix', 'A.json', '--y', 'y.json', '-k', '3'];
const xOf = (o: { stdout: string }) => (JSON.parse(o.stdout) as { x: number[] }).x;

describe('solve: the solvers\' own options', () => {
  it('has a flag for every non-boolean option of every descriptor', () => {
    const want = new Set(solverDescriptors().flatMap((d) => d.options.filter((o) => o.type !== 'boolean').map((o) => o.name)));
    expect(new Set(optionFlags().map((f) => f.option.name))).toEqual(want);
  });

  it('--mu, --eta, --x0 and --init reach the solver: the library\'s answer', async () => {
    expect(xOf(await cli(...base, '--solver', 'iht', '--mu', '0.25', '--x0', 'x0.json'))).toEqual(Array.from(iht(A, y, { k: 3, mu: 0.25, x0 }).x));
    expect(xOf(await cli(...base, '--solver', 'ompr', '--eta', '0.5'))).toEqual(Array.from(ompr(A, y, { k: 3, eta: 0.5 }).x));
    expect(xOf(await cli(...base, '--solver', 'sp', '--x0', 'x0.json'))).toEqual(Array.from(sp(A, y, { k: 3, x0 }).x));
    expect(xOf(await cli(...base, '--solver', 'sea', '--init', 'omp', '--max-iter', '50'))).toEqual(Array.from(sea(A, y, { k: 3, init: 'omp', maxIter: 50 }).x));
    expect(xOf(await cli(...base, '--solver', 'sea', '--init', 'x0.json', '--max-iter', '50'))).toEqual(Array.from(sea(A, y, { k: 3, init: x0, maxIter: 50 }).x));
  });

  it('a flag the solver does not take or a bad value exits 2 (usage); a bad file exits 1 (data), naming it', async () => {
    const r = await cli(...base, '--solver', 'omp', '--mu', '0.5');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--mu is not an option of omp \(it is one of iht, htp\)/);
    const bad = await cli(...base, '--solver', 'htp', '--mu', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--mu must be a number/);
    const short = await cli(...base, '--solver', 'els', '--x0', 'short.json');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/short\.json: --x0 must be a vector of length n = 30/);
  });

  it('a solver without k (fista): --lambda / --lambdaRatio reach it, -k is refused, omitting it is not', async () => {
    const noK = ['solve', '--matrix', 'A.json', '--y', 'y.json', '--solver', 'fista'];
    expect(xOf(await cli(...noK, '--lambdaRatio', '0.2'))).toEqual(Array.from(fista(A, y, { lambdaRatio: 0.2 }).x));
    expect(xOf(await cli(...noK, '--lambda', '0.05', '--x0', 'x0.json'))).toEqual(Array.from(fista(A, y, { lambda: 0.05, x0 }).x));
    const withK = await cli(...noK, '-k', '3', '--lambdaRatio', '0.2');
    expect(withK.code).toBe(2);
    expect(withK.stderr).toMatch(/-k is not an option of fista/);
    const noK2 = await cli('solve', '--matrix', 'A.json', '--y', 'y.json', '--solver', 'iht');
    expect(noK2.code).toBe(2);
    expect(noK2.stderr).toMatch(/-k is required/);
  });

  it('--tol without -k for the solvers that stop on tol alone (omp, ompr, els): as the library with tol only; the others still need -k', async () => {
    const noK = ['solve', '--matrix', 'A.json', '--y', 'y.json', '--tol', '0.01'];
    for (const d of solverDescriptors().filter((s) => s.kFromTol)) {
      const r = await cli(...noK, '--solver', d.fn);
      expect(r.code, r.stderr).toBe(0);
      const lib = (await import('../src/index.js'))[d.fn as 'omp'](A, y, { tol: 0.01 });
      expect(xOf(r)).toEqual(Array.from(lib.x));
    }
    const iht = await cli(...noK, '--solver', 'iht');
    expect(iht.code).toBe(2);
    expect(iht.stderr).toMatch(/-k is required/);
  });
});

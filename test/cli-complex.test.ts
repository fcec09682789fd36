// `sparse-pursuit solve` on complex .npy input: the complex solvers' answers
// bit for bit (through complex128 .npy), --real-x, a multi-column Y, a real A
// with a complex y and the reverse, and the errors (usage: exit 2; data: exit 1).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ComplexMatrix, complexIht, complexOmp, complexSea, complexSolveBatch, init } from '../src/index.js';
import { parseNpy, toNpy, type Table } from '../src/io/npy.js';
import { Rng } from '../src/core/random.js';

const run = promisify(execFile);
const CLI = resolve(__dirname, '../dist/cli.js');
const DIR = resolve(__dirname, '../test-output/cli-complex');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { cwd: DIR });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

const m = 14;
const n = 32;
const b = 3;
const rng = new Rng(11);
const A = new ComplexMatrix(m, n, rng.normals(2 * m * n));
const Ar = rng.normals(m * n); // a real A
const Y = rng.normals(2 * m * b);
const y = Y.slice(0, 2 * m);
const yr = rng.normals(m); // a real y
const x0 = rng.normals(2 * n);

const complexTable = (rows: number, cols: number, data: Float64Array, ndim: 1 | 2 = 2): Table => ({ ndim, rows, cols, data, complex: true });
const write = (file: string, t: Table, dtype?: 'complex64') => writeFileSync(resolve(DIR, file), toNpy(t, { dtype }));
const read = (file: string) => parseNpy(readFileSync(resolve(DIR, file)), file, { complex: true });
const promote = (re: Float64Array) => Float64Array.from({ length: 2 * re.length }, (_, t) => (t & 1 ? 0 : re[t >> 1]));

beforeAll(async () => {
  await init();
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  write('A.npy', complexTable(m, n, A.data));
  write('Ar.npy', { ndim: 2, rows: m, cols: n, data: Ar });
  write('y.npy', complexTable(m, 1, y, 1));
  write('yr.npy', { ndim: 1, rows: m, cols: 1, data: yr });
  write('Y.npy', complexTable(m, b, Y));
  write('x0.npy', complexTable(n, 1, x0, 1));
  write('x0r.npy', { ndim: 1, rows: n, cols: 1, data: x0.slice(0, n) });
  write('A64.npy', complexTable(m, n, A.data), 'complex64');
  write('short.npy', complexTable(5, 1, y.slice(0, 10), 1));
});

describe('solve on complex .npy input', () => {
  it('complex OMP and IHT: x as complex128 .npy, bit for bit the library\'s', async () => {
    let r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'omp', '-k', '4', '--out', 'x.npy');
    expect(r.code).toBe(0);
    const want = complexOmp(A, y, { k: 4 });
    let x = read('x.npy');
    expect(x).toMatchObject({ ndim: 1, rows: n, complex: true });
    expect(Array.from(x.data)).toEqual(Array.from(want.x));
    expect(r.stdout).toMatch(/complex omp \(wasm\) solved 1 problem \(m=14, n=32, k=4\).*x \(32, complex128\) written to x\.npy/);
    // the first bytes of the file say complex128
    expect(new TextDecoder().decode(readFileSync(resolve(DIR, 'x.npy')).subarray(0, 80))).toContain("'descr': '<c16'");

    r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'iht', '-k', '4', '--max-iter', '50', '--mu', '0.01', '--x0', 'x0.npy', '--backend', 'js', '--out', 'xi.npy');
    expect(r.code).toBe(0);
    x = read('xi.npy');
    expect(Array.from(x.data)).toEqual(Array.from(complexIht(A, y, { k: 4, maxIter: 50, mu: 0.01, x0, backend: 'js' }).x));
  });

  it('without --out: JSON with x as { re, im }', async () => {
    const r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'omp', '-k', '3', '--tol', '0.1');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    const want = complexOmp(A, y, { k: 3, tol: 0.1 });
    expect(o.x.re).toEqual(Array.from({ length: n }, (_, i) => want.x[2 * i]));
    expect(o.x.im).toEqual(Array.from({ length: n }, (_, i) => want.x[2 * i + 1]));
    expect(o).toMatchObject({ support: Array.from(want.support), residualNorm: want.residualNorm, iterations: want.iterations, status: want.status });
  });

  it('--real-x: x real (n doubles), in any output format', async () => {
    let r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'omp', '-k', '4', '--real-x', '--out', 'xr.npy');
    expect(r.code).toBe(0);
    const want = complexOmp(A, y, { k: 4, realX: true });
    const x = read('xr.npy');
    expect(x.rows).toBe(n);
    expect(Array.from({ length: n }, (_, i) => x.data[2 * i])).toEqual(Array.from(want.x));
    expect(Array.from({ length: n }, (_, i) => x.data[2 * i + 1]).every((v) => v === 0)).toBe(true);
    expect(parseNpy(readFileSync(resolve(DIR, 'xr.npy')), 'xr.npy').data).toEqual(want.x); // a float64 file
    r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'sea', '-k', '4', '--real-x', '--max-iter', '30', '--init', 'x0r.npy');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).x).toEqual(Array.from(complexSea(A, y, { k: 4, realX: true, maxIter: 30, init: x0.slice(0, n) }).x));
  });

  it('a multi-column Y: x is n x b complex128, column j = complexSolveBatch = the single solve', async () => {
    const r = await cli('solve', '--matrix', 'A.npy', '--y', 'Y.npy', '--solver', 'omp', '-k', '3', '--out', 'X.npy');
    expect(r.code).toBe(0);
    const X = read('X.npy');
    expect(X).toMatchObject({ ndim: 2, rows: n, cols: b });
    expect(Array.from(X.data)).toEqual(Array.from(complexSolveBatch('omp', A, Y, { k: 3 }).X));
    for (let j = 0; j < b; j++) {
      expect(Array.from(X.data.subarray(2 * j * n, 2 * (j + 1) * n))).toEqual(Array.from(complexOmp(A, Y.slice(2 * j * m, 2 * (j + 1) * m), { k: 3 }).x));
    }
    expect(r.stdout).toMatch(/column 2: /);
    expect(r.stdout).toMatch(/solved 3 problems .*x \(32 x 3, complex128\)/);
    const j = await cli('solve', '--matrix', 'A.npy', '--y', 'Y.npy', '--solver', 'htp', '-k', '3', '--real-x');
    const arr = JSON.parse(j.stdout) as { x: number[] }[];
    expect(arr.length).toBe(b);
    const want = complexSolveBatch('htp', A, Y, { k: 3, realX: true });
    expect(arr.flatMap((c) => c.x)).toEqual(Array.from(want.X));
  });

  it('a real A with a complex y, a complex A with a real y, and complex64: promoted to complex', async () => {
    let r = await cli('solve', '--matrix', 'Ar.npy', '--y', 'y.npy', '--solver', 'omp', '-k', '4', '--out', 'x1.npy');
    expect(r.code).toBe(0);
    expect(Array.from(read('x1.npy').data)).toEqual(Array.from(complexOmp(new ComplexMatrix(m, n, promote(Ar)), y, { k: 4 }).x));
    r = await cli('solve', '--matrix', 'A.npy', '--y', 'yr.npy', '--solver', 'omp', '-k', '4', '--out', 'x2.npy');
    expect(r.code).toBe(0);
    expect(Array.from(read('x2.npy').data)).toEqual(Array.from(complexOmp(A, promote(yr), { k: 4 }).x));
    r = await cli('solve', '--matrix', 'A64.npy', '--y', 'y.npy', '--solver', 'omp', '-k', '4', '--out', 'x3.npy');
    expect(r.code).toBe(0);
    const A64 = new ComplexMatrix(m, n, Float64Array.from(A.data, Math.fround));
    expect(Array.from(read('x3.npy').data)).toEqual(Array.from(complexOmp(A64, y, { k: 4 }).x));
  });

  it('the real path is unchanged: real A and y give real x (--real-x changes nothing)', async () => {
    const a = await cli('solve', '--matrix', 'Ar.npy', '--y', 'yr.npy', '--solver', 'omp', '-k', '4');
    const c = await cli('solve', '--matrix', 'Ar.npy', '--y', 'yr.npy', '--solver', 'omp', '-k', '4', '--real-x');
    expect(a.code).toBe(0);
    expect(Array.isArray(JSON.parse(a.stdout).x)).toBe(true);
    expect(c.stdout).toBe(a.stdout);
  });

  it('errors: a bad command line exits 2 naming the flag; data that do not fit exit 1 naming the file', async () => {
    let r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'omp', '-k', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/-k must be an integer/);
    r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'omp', '-k', '4', '--real-x=yes');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/real-x/);
    r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'omp', '-k', '20');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/-k must be an integer in \[1, 14\], received "20"/);
    r = await cli('solve', '--matrix', 'A.npy', '--y', 'short.npy', '--solver', 'omp', '-k', '3');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/short\.npy: shape mismatch: y has length 5, but A\.npy has m = 14 rows/);
    r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'omp', '--tol', '0.1');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/A\.npy, y\.npy: complex data: -k is required/);
    rmSync(resolve(DIR, 'x.json'), { force: true });
    r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'omp', '-k', '3', '--out', 'x.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--out x\.json: x is complex .*must be a \.npy file/);
    expect(existsSync(resolve(DIR, 'x.json'))).toBe(false);
    r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'iht', '-k', '3', '--x0', 'short.npy');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/short\.npy: --x0 must be a vector of length n = 32/);
    r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'iht', '-k', '3', '--real-x', '--x0', 'x0.npy');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/x0\.npy: --x0 must be real with --real-x/);
    r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'sea', '-k', '3', '--init', 'omp');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--init omp: complex data/);
    r = await cli('solve', '--operator', 'dct:n=32,rows=random:m=14', '--y', 'y.npy', '--solver', 'omp', '-k', '3');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/y\.npy: y is complex, but --operator builds a real A/);
    r = await cli('solve', '--matrix', 'A.npy', '--y', 'y.npy', '--solver', 'omp', '-k', '3', '--x0', 'x0.npy');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--x0 is not an option of omp/);
  });

  it('a non-finite complex entry is refused naming the entry and its part', async () => {
    const bad = y.slice();
    bad[7] = Number.NaN;
    write('bad.npy', complexTable(m, 1, bad, 1));
    const r = await cli('solve', '--matrix', 'A.npy', '--y', 'bad.npy', '--solver', 'omp', '-k', '3');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.npy: entry \[3\] has imaginary part NaN/);
  });
});

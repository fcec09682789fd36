// `sparse-pursuit solve --operator SPEC`: the CLI as a user runs it
// (`node dist/cli.js`, built by pretest), against the library on the same
// operator and y.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, omp, Operator, sea, iht } from '../src/index.js';
import { Rng } from '../src/core/random.js';
import { writeTable } from '../src/io/files.js';

const run = promisify(execFile);
const CLI = resolve(__dirname, '../dist/cli.js');
const DIR = resolve(__dirname, '../test-output/cli-operator');

interface Out { code: number; stdout: string; stderr: string }

async function cli(...args: string[]): Promise<Out> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { cwd: DIR });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

interface Json { x: number[]; support: number[]; residualNorm: number; iterations: number; status: string }

/** An int64 .npy vector (numpy's default dtype for indices), written byte by byte. */
function int64Npy(path: string, values: ArrayLike<number>): void {
  let h = `{'descr': '<i8', 'fortran_order': False, 'shape': (${values.length},), }`;
  h += ' '.repeat(63 - ((10 + h.length) % 64)) + '\n';
  const buf = new Uint8Array(10 + h.length + 8 * values.length);
  buf.set([0x93, 78, 85, 77, 80, 89, 1, 0]);
  const dv = new DataView(buf.buffer);
  dv.setUint16(8, h.length, true);
  for (let i = 0; i < h.length; i++) buf[10 + i] = h.charCodeAt(i);
  for (let i = 0; i < values.length; i++) dv.setBigInt64(10 + h.length + 8 * i, BigInt(values[i]), true);
  writeFileSync(resolve(DIR, path), buf);
}

const vec = (path: string, v: Float64Array): void => writeTable(resolve(DIR, path), { ndim: 1, rows: v.length, cols: 1, data: v });

/** A k-sparse x (entries +-(1 + |N(0,1)|)) on a seeded support. */
function sparse(n: number, k: number, rng: Rng): Float64Array {
  const x = new Float64Array(n);
  for (const j of rng.sample(n, k)) x[j] = (rng.normal() >= 0 ? 1 : -1) * (1 + Math.abs(rng.normal()));
  return x;
}

const applyOp = (A: Operator, x: Float64Array): Float64Array => (A as unknown as { apply(v: Float64Array): Float64Array }).apply(x);

function expectSame(got: Json, want: { x: Float64Array; support: Int32Array; residualNorm: number; iterations: number; status: string }): void {
  expect(got.support).toEqual(Array.from(want.support));
  expect(got.status).toBe(want.status);
  expect(got.iterations).toBe(want.iterations);
  expect(got.x).toEqual(Array.from(want.x));
  expect(got.residualNorm).toBe(want.residualNorm);
}

const n = 512;
const rows = new Rng(5).sample(n, 128);
const h = Float64Array.from({ length: 9 }, (_, i) => Math.exp(-((i - 4) ** 2) / 4));

beforeAll(async () => {
  await init();
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const rng = new Rng(11);
  int64Npy('rows.npy', rows);
  writeFileSync(resolve(DIR, 'rows.csv'), Array.from(rows).join('\n') + '\n');
  const D = Operator.partialDct(n, rows);
  vec('y-dct.npy', applyOp(D, sparse(n, 6, rng)));
  D.dispose();
  const R = Operator.partialDct(n, new Rng(3).sample(n, 100), { scale: false });
  vec('y-rand.npy', applyOp(R, sparse(n, 5, rng)));
  R.dispose();
  vec('h.npy', h);
  const C = Operator.convolution(h, n, { mode: 'same' });
  const yc = applyOp(C, sparse(n, 4, rng));
  vec('y-conv.npy', yc);
  C.dispose();
  // two columns for a multi-column Y
  const C2 = Operator.convolution(h, n, { mode: 'full' });
  const Y = new Float64Array(2 * C2.m);
  Y.set(applyOp(C2, sparse(n, 3, rng)), 0);
  Y.set(applyOp(C2, sparse(n, 3, rng)), C2.m);
  writeTable(resolve(DIR, 'Y-full.npy'), { ndim: 2, rows: C2.m, cols: 2, data: Y });
  C2.dispose();
  writeFileSync(resolve(DIR, 'rows-bad.csv'), '1\n2\n600\n');
  writeFileSync(resolve(DIR, 'rows-dup.csv'), '1\n2\n2\n');
  writeFileSync(resolve(DIR, 'rows-frac.csv'), '1\n2.5\n');
  writeFileSync(resolve(DIR, 'h-matrix.csv'), '1,2\n3,4\n');
}, 60_000);

describe('solve --operator dct', () => {
  it('rows from an int64 .npy and from a .csv: the library\'s OMP result, exactly', async () => {
    const A = Operator.partialDct(n, rows);
    const { readTable } = await import('../src/io/files.js');
    const y = readTable(resolve(DIR, 'y-dct.npy')).data;
    const want = omp(A, y, { k: 6 });
    A.dispose();
    for (const f of ['rows.npy', 'rows.csv']) {
      const r = await cli('solve', '--operator', `dct:n=${n},rows=${f}`, '--y', 'y-dct.npy', '--solver', 'omp', '-k', '6');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expectSame(JSON.parse(r.stdout) as Json, want);
    }
  });

  it('rows=random:m=M,seed=S with scale=false is new Rng(S).sample(n, M), unscaled', async () => {
    const A = Operator.partialDct(n, new Rng(3).sample(n, 100), { scale: false });
    const { readTable } = await import('../src/io/files.js');
    const y = readTable(resolve(DIR, 'y-rand.npy')).data;
    const want = iht(A, y, { k: 5, maxIter: 200 });
    A.dispose();
    const r = await cli('solve', '--operator', `dct:n=${n},rows=random:m=100,seed=3,scale=false`, '--y', 'y-rand.npy', '--solver', 'iht', '-k', '5', '--max-iter', '200');
    expect(r.stderr).toBe('');
    expectSame(JSON.parse(r.stdout) as Json, want);
  });
});

describe('solve --operator conv', () => {
  it("mode=same: the library's OMP and SEA results, exactly", async () => {
    const A = Operator.convolution(h, n, { mode: 'same' });
    const { readTable } = await import('../src/io/files.js');
    const y = readTable(resolve(DIR, 'y-conv.npy')).data;
    const wantOmp = omp(A, y, { k: 4 });
    const wantSea = sea(A, y, { k: 4, maxIter: 60 });
    A.dispose();
    const r1 = await cli('solve', '--operator', `conv:h=h.npy,n=${n},mode=same`, '--y', 'y-conv.npy', '--solver', 'omp', '-k', '4');
    expect(r1.stderr).toBe('');
    expectSame(JSON.parse(r1.stdout) as Json, wantOmp);
    const r2 = await cli('solve', '--operator', `conv:h=h.npy,n=${n},mode=same,method=direct`, '--y', 'y-conv.npy', '--solver', 'sea', '-k', '4', '--max-iter', '60');
    expect(r2.stderr).toBe('');
    expectSame(JSON.parse(r2.stdout) as Json, wantSea);
  });

  it('mode full (the default) with a two-column Y: one solve per column, and --out', async () => {
    const A = Operator.convolution(h, n);
    const { readTable } = await import('../src/io/files.js');
    const Y = readTable(resolve(DIR, 'Y-full.npy'));
    const want = [0, 1].map((c) => omp(A, Y.data.subarray(c * A.m, (c + 1) * A.m), { k: 3 }));
    A.dispose();
    const r = await cli('solve', '--operator', `conv:h=h.npy,n=${n}`, '--y', 'Y-full.npy', '--solver', 'omp', '-k', '3');
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as Json[];
    got.forEach((g, c) => expectSame(g, want[c]));
    const w = await cli('solve', '--operator', `conv:h=h.npy,n=${n}`, '--y', 'Y-full.npy', '--solver', 'omp', '-k', '3', '--out', 'x.npy');
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/A: convolution \(n = 512, h from h\.npy, mode full, method auto\)/);
    const X = readTable(resolve(DIR, 'x.npy'));
    expect([X.rows, X.cols]).toEqual([n, 2]);
    expect(Array.from(X.data.subarray(0, n))).toEqual(Array.from(want[0].x));
  });
});

describe('solve --operator errors', () => {
  const usage: Array<[string[], RegExp]> = [
    [['--operator', 'fft:n=8'], /--operator: unknown operator kind "fft"/],
    [['--operator', 'dct'], /--operator: dct needs n=/],
    [['--operator', 'dct:n=512'], /--operator: dct needs rows=/],
    [['--operator', 'dct:n=0,rows=rows.csv'], /--operator: n must be an integer in \[1, 67108864\]/],
    [['--operator', 'dct:n=512,rows=rows.csv,rows=rows.npy'], /--operator: rows is given twice/],
    [['--operator', 'dct:n=512,rows=random:m=600'], /--operator: m must be an integer in \[1, 512\]/],
    [['--operator', 'dct:n=512,rows=rows.csv,m=3'], /--operator: m and seed go with rows=random/],
    [['--operator', 'dct:n=512,rows=rows.csv,scale=yes'], /--operator: scale must be true or false/],
    [['--operator', 'conv:h=h.npy,n=512,mode=valid'], /--operator: mode must be full, same or circular/],
    [['--operator', 'conv:h=h.npy,n=512,method=fast'], /--operator: method must be auto, direct or fft/],
    [['--operator', 'conv:h=h.npy,n=512,taps=3'], /--operator: unknown key "taps" for conv/],
    [['--operator', 'conv:h=h.npy,n512'], /--operator: expected key=value, received "n512"/],
    [['--operator', `conv:h=h.npy,n=${n}`, '--matrix', 'A.npy'], /--matrix and --operator exclude each other/],
  ];
  it.each(usage)('%j: exit 2 naming the flag', async (args, re) => {
    const r = await cli('solve', ...args, '--y', 'y-conv.npy', '--solver', 'omp', '-k', '2');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr).toMatch(/run 'sparse-pursuit solve --help' for usage/);
  });

  const data: Array<[string, RegExp]> = [
    ['dct:n=512,rows=rows-bad.csv', /rows-bad\.csv: entry \[2\] must be an integer in \[0, 511\].*received 600/],
    ['dct:n=512,rows=rows-dup.csv', /rows-dup\.csv: the rows of --operator dct must be distinct, received 2 twice/],
    ['dct:n=512,rows=rows-frac.csv', /rows-frac\.csv: entry \[1\] must be an integer/],
    ['dct:n=512,rows=missing.npy', /missing\.npy: cannot read the file/],
    ['conv:h=h-matrix.csv,n=512', /h-matrix\.csv: the filter of --operator conv must be a vector/],
    ['conv:h=h.npy,n=100,mode=same', /y-conv\.npy: shape mismatch: y has length 512, but --operator convolution .* has m = 100 rows/],
  ];
  it.each(data)('%s: exit 1 naming the file', async (spec, re) => {
    const r = await cli('solve', '--operator', spec, '--y', 'y-conv.npy', '--solver', 'omp', '-k', '2');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(re);
  });

  it('--help documents --operator', async () => {
    const r = await cli('solve', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--operator SPEC/);
    expect(r.stdout).toMatch(/conv:h=FILE,n=N/);
  });
});

// The CLI as a user runs it: `node dist/cli.js ...` (pretest builds dist/).
// .npy fixtures are assembled byte by byte here, independently of src/io.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '../src/io/npy.js';
import { gaussianProblem } from '../src/data/problems.js';

const run = promisify(execFile);
const CLI = resolve(__dirname, '../dist/cli.js');
const DIR = resolve(__dirname, '../test-output/cli');

interface Out {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...args: string[]): Promise<Out> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { cwd: DIR });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

/** A .npy file from its parts: values in file order. */
function npy(descr: string, fortran: boolean, shape: number[], values: number[], version = 1): Uint8Array {
  const shp = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let h = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shp}, }`;
  const pre = version === 1 ? 10 : 12;
  h += ' '.repeat(63 - ((pre + h.length) % 64)) + '\n';
  const size = descr.endsWith('8') ? 8 : 4;
  const buf = new Uint8Array(pre + h.length + values.length * size);
  buf.set([0x93, 78, 85, 77, 80, 89, version, 0]);
  const dv = new DataView(buf.buffer);
  if (version === 1) dv.setUint16(8, h.length, true);
  else dv.setUint32(8, h.length, true);
  for (let i = 0; i < h.length; i++) buf[pre + i] = h.charCodeAt(i);
  const little = !descr.startsWith('>');
  values.forEach((v, i) => (size === 8 ? dv.setFloat64(pre + h.length + i * 8, v, little) : dv.setFloat32(pre + h.length + i * 4, v, little)));
  return buf;
}

// A problem whose every number is exactly a float32, so all formats carry identical values.
const m = 24;
const n = 48;
const k = 3;
const p = gaussianProblem({ m, n, k, seed: 7, normalize: false });
const A = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => Math.fround(p.A.data[i + j * m])));
const x2 = new Float64Array(n);
[5, 20, 33].forEach((j, t) => (x2[j] = [1.25, -0.5, 2][t]));
const yOf = (x: ArrayLike<number>) => A.map((row) => Math.fround(row.reduce((s, a, j) => s + a * x[j], 0)));
const y = yOf(p.x);
const cOrder = A.flat();
const fOrder = Array.from({ length: m * n }, (_, t) => A[t % m][Math.floor(t / m)]);

function writeFixtures(): void {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const w = (name: string, data: Uint8Array | string) => writeFileSync(join(DIR, name), data);
  w('A_c64.npy', npy('<f8', false, [m, n], cOrder));
  w('A_f64.npy', npy('<f8', true, [m, n], fOrder));
  w('A_c32.npy', npy('<f4', false, [m, n], cOrder));
  w('A_f32.npy', npy('<f4', true, [m, n], fOrder));
  w('A_be64_v2.npy', npy('>f8', false, [m, n], cOrder, 2));
  w('A.csv', '# A, one row per line\n' + A.map((r) => r.join(',')).join('\r\n') + '\n');
  w('A.json', JSON.stringify(A));
  w('y.npy', npy('<f8', false, [m], y));
  w('y32.npy', npy('<f4', false, [m], y));
  w('y.csv', y.join('\n') + '\n');
  w('y_row.csv', y.join(',') + '\n');
  w('y.json', JSON.stringify(y));
  const y2 = yOf(x2);
  const Y = y.map((v, i) => [v, y2[i], -v]);
  w('Y.npy', npy('<f8', false, [m, 3], Y.flat()));
  w('Ywide.npy', npy('<f8', false, [m, 600], Array.from({ length: m * 600 }, (_, t) => y[Math.floor(t / 600)])));
  w('I4.json', JSON.stringify([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]));
  w('y4.json', '[0, 0, 0, 3]');
  w('deep.json', '['.repeat(5000) + '1' + ']'.repeat(5000));
  // column 2 holds entries of 1e308, whose norm overflows: the solver refuses that column alone
  w('Ybadcol.json', JSON.stringify(y.map((v) => [v, -v, v === 0 ? 0 : 1e308 * Math.sign(v)])));
  // a header declaring 2000 x 2000 float32 (16 MB of data) with no data behind it
  w('A_big_declared.npy', npy('<f4', false, [2000, 2000], []));
  w('Y.json', JSON.stringify(Y));
  // broken inputs
  const good = npy('<f8', false, [m, n], cOrder);
  w('truncated.npy', good.subarray(0, good.length - 100));
  w('header_cut.npy', good.subarray(0, 40));
  w('badmagic.npy', Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
  const bad = npy('<f8', false, [m, n], cOrder);
  bad.set(new TextEncoder().encode("{'descr': '<f8', 'fortran_order': Maybe"), 10);
  w('malformed.npy', bad);
  w('huge.npy', npy('<f8', false, [100000, 100000], [1, 2, 3]));
  w('int.npy', npy('<i8', false, [m], y));
  w('y_short.npy', npy('<f8', false, [m + 1], [...y, 0]));
  w('nan.csv', A.map((r, i) => (i === 2 ? r.map((v, j) => (j === 4 ? 'NaN' : v)) : r).join(',')).join('\n'));
}

function readX(file: string): number[][] {
  const path = join(DIR, file);
  if (file.endsWith('.npy')) {
    const t = parseNpy(readFileSync(path), file);
    return Array.from({ length: t.rows }, (_, i) => Array.from({ length: t.cols }, (_, j) => t.data[i + j * t.rows]));
  }
  const text = readFileSync(path, 'utf8');
  if (file.endsWith('.json')) {
    const v = JSON.parse(text);
    return Array.isArray(v[0]) ? v : v.map((e: number) => [e]);
  }
  return text.trim().split('\n').map((l) => l.split(',').map(Number));
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build (npm test does it in pretest)');
  writeFixtures();
});

describe('sparse-pursuit solve', () => {
  it('gives the same x from .npy (C/Fortran, float64/float32, big-endian v2), .csv and .json', async () => {
    const inputs: [string, string][] = [
      ['A_c64.npy', 'y.npy'], ['A_f64.npy', 'y.npy'], ['A_c32.npy', 'y32.npy'], ['A_f32.npy', 'y32.npy'],
      ['A_be64_v2.npy', 'y.npy'], ['A.csv', 'y.csv'], ['A.csv', 'y_row.csv'], ['A.json', 'y.json'], ['A.json', 'y.npy'],
    ];
    const outs = await Promise.all(inputs.map(([a, yy]) => cli('solve', '--matrix', a, '--y', yy, '--solver', 'omp', '-k', String(k))));
    const ref = JSON.parse(outs[0].stdout);
    expect(ref.support).toEqual(Array.from(p.support));
    for (let j = 0; j < n; j++) expect(ref.x[j]).toBeCloseTo(p.x[j], 5); // y was rounded to float32
    outs.forEach((o, i) => {
      expect(o.code, `${inputs[i]}: ${o.stderr}`).toBe(0);
      expect(JSON.parse(o.stdout).x, inputs[i].join(' ')).toEqual(ref.x);
    });
  });

  it('writes x as .npy, .json and .csv with the same values, and prints a summary', async () => {
    const got: number[][][] = [];
    for (const f of ['x.npy', 'x.json', 'x.csv']) {
      const o = await cli('solve', '--matrix', 'A_c64.npy', '--y', 'y.npy', '--solver', 'omp', '-k', String(k), '--out', f, '--backend', 'js');
      expect(o.code, o.stderr).toBe(0);
      expect(o.stdout).toMatch(new RegExp(`converged, 3 nonzeros at \\[${Array.from(p.support).join(', ')}\\]`));
      expect(o.stdout).toContain(`written to ${f}`);
      got.push(readX(f));
    }
    expect(got[0].length).toBe(n);
    expect(got[1]).toEqual(got[0]);
    expect(got[2]).toEqual(got[0]);
  });

  it('solves each column of a multi-column Y, matching one-column solves', async () => {
    const o = await cli('solve', '--matrix', 'A_f64.npy', '--y', 'Y.npy', '--solver', 'omp', '-k', String(k), '--out', 'X.npy');
    expect(o.code, o.stderr).toBe(0);
    expect(o.stdout).toContain('solved 3 problems');
    const X = readX('X.npy');
    expect(X.length).toBe(n);
    expect(X[0].length).toBe(3);
    const single = JSON.parse((await cli('solve', '--matrix', 'A_f64.npy', '--y', 'y.npy', '--solver', 'omp', '-k', String(k))).stdout).x;
    X.forEach((row, j) => {
      expect(row[0]).toBe(single[j]);
      expect(row[2]).toBeCloseTo(-single[j], 12);
      expect(row[1]).toBeCloseTo(x2[j], 5);
    });
    const viaJson = JSON.parse((await cli('solve', '--matrix', 'A.json', '--y', 'Y.json', '--solver', 'omp', '-k', String(k))).stdout);
    expect(viaJson.length).toBe(3);
    expect(viaJson.map((r: { x: number[] }) => r.x[20])).toEqual(X[20]);
  });

  const bad: [string, string[], RegExp][] = [
    ['a truncated .npy', ['--matrix', 'truncated.npy'], /^sparse-pursuit solve: truncated\.npy: truncated \.npy data: the header claims shape \(24, 48\)/],
    ['a .npy cut inside its header', ['--matrix', 'header_cut.npy'], /^sparse-pursuit solve: header_cut\.npy: truncated \.npy file/],
    ['a file without the magic string', ['--matrix', 'badmagic.npy'], /^sparse-pursuit solve: badmagic\.npy: not a \.npy file/],
    ['a malformed .npy header', ['--matrix', 'malformed.npy'], /^sparse-pursuit solve: malformed\.npy: malformed \.npy header/],
    ['a header claiming a huge shape', ['--matrix', 'huge.npy'], /^sparse-pursuit solve: huge\.npy: the array of shape \(100000, 100000\) has 10000000000 entries, more than the 2147483647 a table can hold/],
    ['an integer dtype', ['--y', 'int.npy'], /^sparse-pursuit solve: int\.npy: unsupported dtype '<i8'/],
    ['a shape mismatch between A and y', ['--y', 'y_short.npy'], /^sparse-pursuit solve: y_short\.npy: shape mismatch: y has length 25, but A_c64\.npy has m = 24 rows/],
    ['k above min(m, n) of the files', ['-k', '30'], /^sparse-pursuit solve: -k must be an integer in \[1, 24\], received "30"/],
    ['a NaN in a CSV', ['--matrix', 'nan.csv'], /^sparse-pursuit solve: nan\.csv: line 3, column 5: "NaN" is not a finite number/],
    ['a missing file', ['--y', 'nope.npy'], /^sparse-pursuit solve: nope\.npy: cannot read the file \(no such file\)/],
    ['a JSON y nested 5000 deep', ['--y', 'deep.json'], /^sparse-pursuit solve: deep\.json: expected an array of numbers or an array of rows \(arrays of numbers\), received arrays nested more than 2 deep$/m],
    ['a bad column of a multi-column y', ['--y', 'Ybadcol.json'], /^sparse-pursuit solve: Ybadcol\.json: column 2: omp: y must have a norm/],
    ['an --out in a folder that does not exist', ['--out', 'no/such/dir/x.npy'], /^sparse-pursuit solve: --out no\/such\/dir\/x\.npy: cannot write the file \(ENOENT\)/],
    ['a .npy too large for the memory limit, refused from its header', ['--matrix', 'A_big_declared.npy', '--memory-limit', String(2 ** 24)],
      /^sparse-pursuit solve: A_big_declared\.npy: the array of shape \(2000, 2000\) needs 32000000 bytes as float64, more than the \d+ bytes of WASM memory/],
  ];
  it.each(bad)('exits 1 on %s with one line naming it, writing nothing', async (_what, args, re) => {
    const base: Record<string, string> = { '--matrix': 'A_c64.npy', '--y': 'y.npy', '--solver': 'omp', '-k': String(k) };
    for (let i = 0; i < args.length; i += 2) base[args[i]] = args[i + 1];
    const out = join(DIR, 'never.npy');
    rmSync(out, { force: true });
    if (!('--out' in base)) base['--out'] = 'never.npy';
    const o = await cli('solve', ...Object.entries(base).flat());
    expect(o.code).toBe(1);
    expect(o.stderr).toMatch(re);
    expect(o.stderr.trim().split('\n').length).toBe(1);
    expect(o.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 on a malformed command line', async () => {
    const solve = ['solve', '--matrix', 'A_c64.npy', '--y', 'y.npy'];
    const cases = [
      ['solve', '--matrix', 'A_c64.npy', '--y', 'y.npy', '--solver', 'omp'],
      [...solve, '--solver', 'omp', '-k', '0'],
      [...solve, '--solver', 'magic', '-k', '3'],
      [...solve, '--solver', 'omp', '-k', '3', '--tol', '2'],
      [...solve, '--solver', 'omp', '-k', '3', '--backend', 'gpu'],
      [...solve, '--solver', 'omp', '-k', '3', '--max-iter', '0'],
      [...solve, '--solver', 'omp', '-k', '3', '--memory-limit', '12'],
      ['bench', '--m', '0'],
      ['experiment', 'phase-transition', '--workers', '0'],
      ['solve', '--matrix', 'A_c64.npy', '--y', 'y.npy', '--solver', 'omp', '-k', '3', '--frobnicate'],
      ['solve', '--matrix', 'A_c64.npy', '--y', 'y.npy', '--solver', 'omp', '-k', '3', '--out', 'x.txt'],
      ['train', 'lista'],
      ['train', 'omp-net', '--epochs', '0'],
      ['nonsense'],
      ['report', '--seed', '-1'],
      [],
    ];
    for (const c of cases) {
      const o = await cli(...c);
      expect(o.code, c.join(' ')).toBe(2);
      expect(o.stderr, c.join(' ')).toMatch(/^(sparse-pursuit: |usage)/);
    }
    expect((await cli('solve', '--matrix', 'A_c64.npy', '--y', 'y.npy', '--solver', 'omp')).stderr).toContain('-k is required');
    expect((await cli('train', 'lista')).stderr).toContain('name the net, omp-net or iht-net');
    expect((await cli(...solve, '--solver', 'magic', '-k', '3')).stderr).toMatch(/^sparse-pursuit: solve: --solver: unknown solver 'magic' \(known: omp/);
    expect((await cli(...solve, '--solver', 'omp', '-k', '3', '--tol', '2')).stderr).toMatch(/^sparse-pursuit: --tol must be a number in \[0, 1\], received "2"/);
    expect(existsSync(join(DIR, 'x.txt'))).toBe(false);
  });

  it('answers --help on every command with exit 0, stating the one exit-code rule', async () => {
    for (const c of ['solve', 'experiment', 'train', 'bench', 'report']) {
      const o = await cli(c, '--help');
      expect(o.code, c).toBe(0);
      expect(o.stdout, c).toMatch(new RegExp(`^usage: sparse-pursuit ${c}`));
      expect(o.stdout.replace(/\s+/g, ' '), c).toContain('exit codes: 0 ok; 2 bad command line (an unknown or missing option, or a value outside its documented range, whatever the files hold); 1 bad data');
    }
    expect((await cli('--help')).stdout).toMatch(/^usage: sparse-pursuit <command>/);
  });

  it('a large stdout reaches a slow reader whole (the CLI exits only after stdout has flushed)', async () => {
    // `solve` without --out prints every column's result as JSON: with 600
    // columns that is a fixed payload of over 64 KB (the size is set by the
    // data alone), written into a pipe whose reader starts 1.5 s late, so the
    // 64 KB pipe fills and the rest waits in the CLI (an early process.exit
    // cut it at 65536 bytes)
    const args = ['solve', '--matrix', 'A_c64.npy', '--y', 'Ywide.npy', '--solver', 'omp', '-k', String(k)];
    const direct = await cli(...args);
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stdout.length).toBeGreaterThan(65536 * 2);
    const cmd = `"${process.execPath}" "${CLI}" ${args.join(' ')} | (sleep 1.5; cat)`;
    const r = await run('/bin/sh', ['-c', cmd], { cwd: DIR, maxBuffer: 64 << 20 });
    expect(r.stdout).toBe(direct.stdout);
    const res = JSON.parse(r.stdout);
    expect(res.length).toBe(600);
    expect(res[599].support).toEqual(Array.from(p.support));
  });

  it('bench --json prints valid JSON with every setting and a WASM and a JS row for every solver', async () => {
    const o = await cli('bench', '--m', '32', '--n', '64', '-k', '4', '--json');
    expect(o.code, o.stderr).toBe(0);
    const r = JSON.parse(o.stdout);
    expect(r.settings).toEqual({ m: 32, n: 64, k: 4, seed: 1 });
    const keys = ['backend', 'exact', 'k', 'ms', 'relError', 'samples', 'solver', 'status', 'supportFound'];
    for (const row of r.rows) expect(Object.keys(row).sort()).toEqual(keys);
    const solvers = [...new Set(r.rows.map((x: { solver: string }) => x.solver))];
    expect(r.rows.length).toBe(2 * solvers.length);
    for (const sv of solvers) {
      expect(r.rows.filter((x: { solver: string }) => x.solver === sv).map((x: { backend: string }) => x.backend).sort()).toEqual(['js', 'wasm']);
    }
    expect(r.rows.every((x: { ms: number; samples: number[] }) => x.ms > 0 && x.samples.length > 0)).toBe(true);
  });

  it('counts the nonzeros of x, not the support (a support index may hold 0)', async () => {
    // ELS keeps index 0 in its support with coefficient 0 here
    const o = await cli('solve', '--matrix', 'I4.json', '--y', 'y4.json', '--solver', 'els', '-k', '2', '--out', 'x4.json');
    expect(o.code, o.stderr).toBe(0);
    expect(readX('x4.json').map((r) => r[0])).toEqual([0, 0, 0, 3]);
    expect(o.stdout).toMatch(/^converged, 1 nonzero at \[3\], /);
  });

  it.each([
    ['train', ['train', 'omp-net', '--epochs', '50']],
    ['experiment', ['experiment', 'phase-transition']],
    ['report', ['report']],
  ])('%s with an unwritable --out says so on one line, exits 1, before any work', async (_c, args) => {
    writeFileSync(join(DIR, 'plainfile'), 'x');
    const o = await cli(...args, '--out', 'plainfile/out');
    expect(o.code, o.stderr).toBe(1);
    expect(o.stderr).toMatch(new RegExp(`^sparse-pursuit ${args[0]}: \\S*plainfile/out: cannot write there \\((ENOTDIR|EEXIST)\\)\n$`));
    expect(o.stdout).toBe(''); // no progress: nothing was computed
  });
});

// Optional native references for the benchmark, measured in the same run so
// that the ratios are measured, not remembered:
// - the C++ kernel probe (bench/native_probe.cpp), compiled with g++ into a
//   temp dir (skipped when g++ is missing);
// - scikit-learn's orthogonal_mp on the very same problems (skipped when
//   /usr/bin/python3 cannot import sklearn), single-threaded BLAS.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** GFLOP/s of the native probe at one size. */
export interface NativeKernelResult {
  m: number;
  n: number;
  gemvT: number;
  gemvN: number;
}

export interface NativeKernels {
  compiler: string;
  flags: string[];
  results: NativeKernelResult[];
}

/** g++ flags of the probe: the best the host CPU offers, one thread. */
export const NATIVE_FLAGS = ['-O3', '-march=native', '-fopenmp-simd', '-std=c++17'];

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Compiles and runs the C++ probe; null (with a note on stderr) when g++ is missing or fails. */
export function nativeKernels(sizes: ReadonlyArray<readonly [number, number]>): NativeKernels | null {
  if (!which('g++')) {
    console.error('native probe: g++ not found, skipped');
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'sparse-pursuit-probe-'));
  try {
    const src = fileURLToPath(new URL('./native_probe.cpp', import.meta.url));
    const exe = join(dir, 'probe');
    execFileSync('g++', [...NATIVE_FLAGS, src, '-o', exe], { stdio: ['ignore', 'ignore', 'inherit'] });
    const out = execFileSync(exe, sizes.flatMap(([m, n]) => [String(m), String(n)]), { encoding: 'utf8' });
    const compiler = execFileSync('g++', ['--version'], { encoding: 'utf8' }).split('\n')[0];
    return { compiler, flags: NATIVE_FLAGS, results: out.trim().split('\n').map((l) => JSON.parse(l) as NativeKernelResult) };
  } catch (e) {
    console.error(`native probe: failed (${(e as Error).message.split('\n')[0]}), skipped`);
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface SklearnProblem {
  m: number;
  n: number;
  k: number;
  /** Column-major A. */
  A: Float64Array;
  y: Float64Array;
}

export interface SklearnResult {
  m: number;
  n: number;
  k: number;
  /** Median ms per orthogonal_mp call. */
  ms: number;
  support: number[];
}

export interface SklearnTiming {
  versions: Record<string, string>;
  results: SklearnResult[];
}

const PYTHON = '/usr/bin/python3';

/** Times sklearn's orthogonal_mp (one BLAS thread) on the given problems; null when unavailable. */
export function sklearnOmp(problems: SklearnProblem[], budgetSeconds: number): SklearnTiming | null {
  if (spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' }).status !== 0) {
    console.error(`sklearn timing: ${PYTHON} cannot import sklearn, skipped`);
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'sparse-pursuit-sk-'));
  try {
    const manifest = problems.map((p, i) => {
      const a = join(dir, `A${i}.f64`);
      const y = join(dir, `y${i}.f64`);
      writeFileSync(a, new Uint8Array(p.A.buffer, p.A.byteOffset, p.A.byteLength));
      writeFileSync(y, new Uint8Array(p.y.buffer, p.y.byteOffset, p.y.byteLength));
      return { m: p.m, n: p.n, k: p.k, A: a, y };
    });
    const mpath = join(dir, 'manifest.json');
    writeFileSync(mpath, JSON.stringify({ budget: budgetSeconds, problems: manifest }));
    const script = fileURLToPath(new URL('./sklearn_omp.py', import.meta.url));
    const one = '1';
    const out = execFileSync(PYTHON, [script, mpath], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: one, OPENBLAS_NUM_THREADS: one, MKL_NUM_THREADS: one },
    });
    return JSON.parse(out) as SklearnTiming;
  } catch (e) {
    console.error(`sklearn timing: failed (${(e as Error).message.split('\n')[0]}), skipped`);
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The scalar (no-SIMD) build: compiles assembly/ with SIMD disabled into a temp
// dir and checks that its kernels and OMP give bit-identical results to the
// SIMD build the package ships (assembly/blas.ts adds in the same order on
// both paths), and that both agree with plain loops here. This keeps the
// `else` branches of the kernels honest.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../src/core/random.js';
import { matVec } from '../src/js/linalg.js';

interface Kernels {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  dot(x: number, y: number, n: number): number;
  nrm2(x: number, n: number): number;
  axpy(a: number, x: number, y: number, n: number): void;
  gemvT(A: number, m: number, n: number, r: number, out: number): void;
  gemvN(A: number, m: number, n: number, x: number, out: number): void;
  omp(...args: number[]): number;
  ompWorkspace(m: number, n: number, k: number): number;
}

const root = fileURLToPath(new URL('..', import.meta.url));
let dir = '';
let simd: Kernels;
let scalar: Kernels;
let scalarWat = '';

async function load(bytes: Uint8Array<ArrayBuffer>): Promise<Kernels> {
  const mod = await WebAssembly.compile(bytes);
  const instance = await WebAssembly.instantiate(mod, { env: { abort: () => { throw new Error('abort'); }, opHost: () => { throw new Error('opHost'); } } });
  return instance.exports as unknown as Kernels;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sparse-pursuit-scalar-'));
  // Same options as the release target, SIMD off; a private config so the
  // project's asconfig.json (and its build/ outputs) stay untouched.
  const release = JSON.parse(readFileSync(join(root, 'asconfig.json'), 'utf8'));
  const config = {
    targets: { scalar: { ...release.targets.release, outFile: 'scalar.wasm', textFile: 'scalar.wat', enable: [] } },
    options: release.options,
  };
  writeFileSync(join(dir, 'asconfig.json'), JSON.stringify(config));
  const out = join(dir, 'scalar.wasm');
  let log = '';
  const sink = { write: (s: string | Uint8Array) => { log += String(s); return true; } };
  const { error } = await asc.main([join(root, 'assembly/index.ts'), '--config', join(dir, 'asconfig.json'), '--target', 'scalar',
    '--disable', 'simd', '--outFile', out, '--textFile', join(dir, 'scalar.wat')], { stdout: sink, stderr: sink });
  if (error) throw new Error(`scalar build failed: ${error.message}\n${log}`);
  scalar = await load(readFileSync(out));
  scalarWat = readFileSync(join(dir, 'scalar.wat'), 'utf8');
  simd = await load(readFileSync(join(root, 'build/release.wasm')));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Copies data into a module's memory at a fresh allocation. */
function put(k: Kernels, data: Float64Array): number {
  const p = k.alloc(data.length * 8);
  new Float64Array(k.memory.buffer, p, data.length).set(data);
  return p;
}

function get(k: Kernels, p: number, len: number): Float64Array {
  return new Float64Array(k.memory.buffer, p, len).slice();
}

/** Runs f on both builds with the same inputs; returns both outputs. */
function both<T>(f: (k: Kernels) => T): [T, T] {
  return [f(simd), f(scalar)];
}

describe('scalar build', () => {
  it('is really scalar, and the shipped build really uses SIMD', () => {
    // v128 never crosses to JS, so look at the code itself
    expect(readFileSync(join(root, 'build/release.wat'), 'utf8')).toMatch(/f64x2\.mul/);
    expect(scalarWat).toMatch(/f64\.mul/);
    expect(scalarWat).not.toMatch(/v128|f64x2/);
  });

  const shapes: Array<[number, number]> = [[1, 1], [2, 3], [7, 9], [8, 8], [17, 31], [64, 256], [33, 100], [129, 65]];

  it('dot, nrm2 and axpy are bit-identical to the SIMD build and match plain loops', () => {
    const rng = new Rng(1);
    for (const n of [1, 2, 3, 7, 8, 9, 15, 16, 17, 100, 257]) {
      const x = rng.normals(n);
      const y = rng.normals(n);
      const [d1, d2] = both((k) => k.dot(put(k, x), put(k, y), n));
      expect(Object.is(d1, d2), `dot n=${n}`).toBe(true);
      let ref = 0;
      for (let i = 0; i < n; i++) ref += x[i] * y[i];
      expect(Math.abs(d1 - ref)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref)) * n);
      const [n1, n2] = both((k) => k.nrm2(put(k, x), n));
      expect(Object.is(n1, n2), `nrm2 n=${n}`).toBe(true);
      expect(n1).toBeCloseTo(Math.hypot(...x), 12);
      const [a1, a2] = both((k) => {
        const py = put(k, y);
        k.axpy(0.7, put(k, x), py, n);
        return get(k, py, n);
      });
      expect(Array.from(a1)).toEqual(Array.from(a2));
      expect(Array.from(a1)).toEqual(Array.from(y, (v, i) => v + 0.7 * x[i]));
    }
  });

  it('gemvT and gemvN are bit-identical to the SIMD build and match plain loops (odd m, n not a multiple of the block)', () => {
    const rng = new Rng(2);
    for (const [m, n] of shapes) {
      const A = rng.normals(m * n);
      const r = rng.normals(m);
      const x = rng.normals(n);
      if (n > 4) x.fill(0, 0, 4); // a skipped all-zero block of gemvN
      const [t1, t2] = both((k) => {
        const out = k.alloc(n * 8);
        k.gemvT(put(k, A), m, n, put(k, r), out);
        return get(k, out, n);
      });
      expect(Array.from(t1), `gemvT ${m}x${n}`).toEqual(Array.from(t2));
      const [g1, g2] = both((k) => {
        const out = k.alloc(m * 8);
        k.gemvN(put(k, A), m, n, put(k, x), out);
        return get(k, out, m);
      });
      expect(Array.from(g1), `gemvN ${m}x${n}`).toEqual(Array.from(g2));
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += A[i + j * m] * r[i];
        expect(Math.abs(t1[j] - s), `gemvT ${m}x${n} [${j}]`).toBeLessThanOrEqual(1e-12 * m);
      }
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i + j * m] * x[j];
        expect(Math.abs(g1[i] - s), `gemvN ${m}x${n} [${i}]`).toBeLessThanOrEqual(1e-12 * n);
      }
    }
  });

  it('gemvN on an A beyond 8 MiB (the SIMD build takes 8 columns per pass there) is bit-identical to the scalar build', () => {
    // blas.ts GEMVN_WIDE_BYTES: above it the SIMD build sums two 4-column
    // blocks in one pass; the order must stay that of the scalar build's
    // block-by-block passes, zero blocks (skipped) included, odd m included.
    const rng = new Rng(4);
    for (const [m, n] of [[1031, 1030], [1024, 1027]] as const) {
      const A = rng.normals(m * n);
      const x = rng.normals(n);
      x.fill(0, 8, 12); // a zero block after a nonzero one: pass8 must not take it
      x.fill(0, 20, 28); // two zero blocks in a row
      x[33] = 0; // a block with one zero
      const [g1, g2] = both((k) => {
        const out = k.alloc(m * 8);
        k.gemvN(put(k, A), m, n, put(k, x), out);
        return get(k, out, m);
      });
      expect(g1.every((v, i) => Object.is(v, g2[i])), `gemvN ${m}x${n}`).toBe(true);
      let worst = 0;
      for (let i = 0; i < m; i += 97) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i + j * m] * x[j];
        worst = Math.max(worst, Math.abs(g1[i] - s));
      }
      expect(worst).toBeLessThanOrEqual(1e-12 * n);
    }
  });

  it('gemvN on an A beyond 12 MiB (the memory-wall shapes) is bit-identical to the scalar build and agrees with the JS twin to 1e-12', () => {
    // blas.ts: past 8 MiB of A the SIMD build takes two blocks per pass; the
    // shapes here (13 MiB, m <= 2048 so out fits L1, and m > 2048) are the
    // ones the bench's 1024 x 4096 row stands for. Odd m, n not a multiple of
    // 4, zero entries of x (skipped) included.
    const rng = new Rng(5);
    for (const [m, n] of [[1031, 1613], [1024, 1599], [2053, 803]] as const) {
      expect(m * n * 8).toBeGreaterThan(12 * 2 ** 20);
      const A = rng.normals(m * n);
      const x = rng.normals(n);
      x.fill(0, 8, 12);
      x.fill(0, 20, 28);
      x[33] = 0;
      x[n - 1] = 0;
      const [g1, g2] = both((k) => {
        const out = k.alloc(m * 8);
        k.gemvN(put(k, A), m, n, put(k, x), out);
        return get(k, out, m);
      });
      expect(g1.every((v, i) => Object.is(v, g2[i])), `gemvN ${m}x${n}`).toBe(true);
      const js = new Float64Array(m);
      matVec(A, m, n, x, js);
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < m; i++) {
        worst = Math.max(worst, Math.abs(g1[i] - js[i]));
        scale = Math.max(scale, Math.abs(js[i]));
      }
      expect(worst, `gemvN ${m}x${n} vs matVec`).toBeLessThanOrEqual(1e-12 * scale);
    }
  });

  it('omp gives bit-identical results on both builds', () => {
    const rng = new Rng(3);
    for (const [m, n, k] of [[16, 32, 4], [33, 71, 9], [64, 256, 8]] as const) {
      const A = rng.normals(m * n);
      const norms = Float64Array.from({ length: n }, (_, j) => Math.hypot(...A.subarray(j * m, (j + 1) * m)));
      const y = rng.normals(m);
      const [o1, o2] = both((w) => {
        const px = w.alloc(n * 8);
        const ps = w.alloc(k * 4);
        const pi = w.alloc(64);
        const pw = w.alloc(w.ompWorkspace(m, n, k));
        const code = w.omp(put(w, A), m, n, put(w, norms), put(w, y), k, k, 0, 0, 0, px, ps, pi, pw);
        return { code, x: get(w, px, n), support: Array.from(new Int32Array(w.memory.buffer, ps, k)), info: get(w, pi, 3) };
      });
      expect(o1.code).toBe(o2.code);
      expect(o1.support).toEqual(o2.support);
      expect(Array.from(o1.x)).toEqual(Array.from(o2.x));
      expect(Array.from(o1.info)).toEqual(Array.from(o2.info));
    }
  });
});

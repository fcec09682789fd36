// The FFT of any length (WASM: assembly/fft.ts; JS twin: fft.js + Bluestein)
// against a naive O(n^2) DFT, the real FFT against the complex one, and
// inverse . forward = identity.
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../src/index.js';
import { Convolution, Fft } from '../src/core/transforms.js';
import { JsFft, JsDct } from '../src/js/transforms.js';
import { wasm, f64View, alloc, free } from '../src/core/wasm.js';
import { Rng } from '../src/core/random.js';
import { relDiff } from './helpers.js';

/** X_k = sum_j x_j exp(-2 pi i jk / n), the angle reduced exactly in integers. */
function naiveDft(x: ArrayLike<number>, n: number): Float64Array {
  const X = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    let re = 0, im = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((j * k) % n)) / n;
      const c = Math.cos(a), s = Math.sin(a);
      re += x[2 * j] * c - x[2 * j + 1] * s;
      im += x[2 * j] * s + x[2 * j + 1] * c;
    }
    X[2 * k] = re;
    X[2 * k + 1] = im;
  }
  return X;
}

// primes (Bluestein), 2^k, 3^k, 5^k, mixed 2,3,4,5, mixed with other primes, 1, 2
const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 16, 17, 25, 27, 32, 60, 64, 81, 97, 100, 125, 127, 128, 243, 256,
  360, 509, 625, 720, 1000, 1024, 1031, 2048, 2187, 3125, 3 * 7 * 11, 2 * 2 * 13 * 13];

const rng = new Rng(17);
const complexVector = (n: number): Float64Array => Float64Array.from({ length: 2 * n }, () => rng.normal());

beforeAll(async () => {
  await init();
});

describe('Fft (WASM)', () => {
  it('equals the naive DFT to 1e-12 relative at every size (forward and inverse)', () => {
    for (const n of SIZES) {
      const f = new Fft(n);
      const x = complexVector(n);
      const X = f.forward(x);
      expect(relDiff(X, naiveDft(x, n)), `n = ${n}`).toBeLessThan(1e-12);
      // inverse: conj(DFT(conj(X))) / n
      const conj = x.map((v, i) => (i & 1 ? -v : v));
      const ref = naiveDft(conj, n).map((v, i) => (i & 1 ? -v : v) / n);
      expect(relDiff(f.inverse(x), ref), `inverse n = ${n}`).toBeLessThan(1e-12);
      f.dispose();
    }
  });

  it('inverse . forward = identity (to 1e-13 relative), at larger sizes too', () => {
    for (const n of [1, 2, 3, 1000, 4096, 3 ** 7, 5 ** 5, 4099, 10007, 65536, 100000]) {
      const f = new Fft(n);
      const x = complexVector(n);
      expect(relDiff(f.inverse(f.forward(x)), x), `n = ${n}`).toBeLessThan(1e-13);
      f.dispose();
    }
  });

  it('the real FFT (half length for even n) equals the first n/2 + 1 values of the complex DFT; irfft inverts it', () => {
    for (const n of [1, 2, 3, 4, 5, 6, 10, 15, 16, 17, 30, 64, 98, 100, 101, 256, 1000]) {
      const plan = alloc(wasm().rfftPlanBytes(n) >>> 0);
      const work = alloc(wasm().rfftWorkBytes(n) >>> 0);
      const xp = alloc(8 * n), sp = alloc(16 * (Math.floor(n / 2) + 1)), bp = alloc(8 * n);
      try {
        wasm().rfftPlanInit(n, plan, work);
        const x = Float64Array.from({ length: n }, () => rng.normal());
        f64View(xp, n).set(x);
        wasm().rfft(plan, xp, sp, work);
        const h = Math.floor(n / 2) + 1;
        const ref = naiveDft(Float64Array.from({ length: 2 * n }, (_, i) => (i & 1 ? 0 : x[i >> 1])), n).subarray(0, 2 * h);
        expect(relDiff(f64View(sp, 2 * h), ref), `n = ${n}`).toBeLessThan(1e-12);
        wasm().irfft(plan, sp, bp, work);
        expect(relDiff(f64View(bp, n).map((v) => v / n), x), `irfft n = ${n}`).toBeLessThan(1e-13);
      } finally {
        for (const p of [plan, work, xp, sp, bp]) free(p);
      }
    }
  });

  it('refuses a bad length or input, naming the argument', () => {
    expect(() => new Fft(0)).toThrow(/Fft: n must be an integer in \[1, /);
    expect(() => new Fft(2.5)).toThrow(RangeError);
    const f = new Fft(4);
    expect(() => f.forward(new Float64Array(4))).toThrow(/Fft.forward: x must have length 8/);
    expect(() => f.forward([0, 0, 0, 0, 0, 0, 0, NaN])).toThrow(/x\[7\] must be finite/);
    f.dispose();
    expect(() => f.forward(new Float64Array(8))).toThrow(/disposed/);
  });
});

describe('JsFft (fft.js + Bluestein)', () => {
  it('equals the naive DFT to 1e-12 relative at every size; inverse . forward = identity', () => {
    for (const n of SIZES) {
      const f = new JsFft(n);
      const x = complexVector(n);
      expect(relDiff(f.forward(x), naiveDft(x, n)), `n = ${n}`).toBeLessThan(1e-12);
      expect(relDiff(f.inverse(f.forward(x)), x), `n = ${n}`).toBeLessThan(1e-13);
    }
  });

  it('WASM == JS twin to 1e-13 at large sizes', () => {
    for (const n of [4096, 3 ** 8, 10000, 9973, 2 ** 17]) {
      const x = complexVector(n);
      const f = new Fft(n);
      expect(relDiff(f.forward(x), new JsFft(n).forward(x)), `n = ${n}`).toBeLessThan(1e-13);
      f.dispose();
    }
  });
});

describe('DCT-II / DCT-III (WASM and JS)', () => {
  const C = (n: number, k: number, j: number): number =>
    Math.sqrt((k === 0 ? 1 : 2) / n) * Math.cos((Math.PI * ((k * (2 * j + 1)) % (4 * n))) / (2 * n));

  it('dct2 = C x and dct3 = C^T X against the explicit sums, on both backends', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 12, 31, 64, 100, 127, 360]) {
      const x = Float64Array.from({ length: n }, () => rng.normal());
      const ref2 = Float64Array.from({ length: n }, (_, k) => x.reduce((s, v, j) => s + C(n, k, j) * v, 0));
      const ref3 = Float64Array.from({ length: n }, (_, j) => x.reduce((s, v, k) => s + C(n, k, j) * v, 0));
      const plan = alloc(wasm().dctPlanBytes(n) >>> 0), work = alloc(wasm().dctWorkBytes(n) >>> 0);
      const xp = alloc(8 * n), op = alloc(8 * n);
      try {
        wasm().dctPlanInit(n, plan, work);
        f64View(xp, n).set(x);
        wasm().dct2(plan, xp, op, work);
        expect(relDiff(f64View(op, n), ref2), `dct2 n = ${n}`).toBeLessThan(1e-12);
        wasm().dct3(plan, xp, op, work);
        expect(relDiff(f64View(op, n), ref3), `dct3 n = ${n}`).toBeLessThan(1e-12);
      } finally {
        for (const p of [plan, work, xp, op]) free(p);
      }
      const js = new JsDct(n);
      expect(relDiff(js.dct2(x), ref2), `JS dct2 n = ${n}`).toBeLessThan(1e-12);
      expect(relDiff(js.dct3(x), ref3), `JS dct3 n = ${n}`).toBeLessThan(1e-12);
    }
  });
});

describe('scalar build (no SIMD)', () => {
  // build/scalar.wasm (made by `npm run build` with the release build) runs
  // the plain butterflies and products: it must give the SIMD build's results
  it('FFT, DCT-II and convolution agree with the SIMD build to 1e-13', async () => {
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(new URL('../build/scalar.wasm', import.meta.url));
    const { instance } = await WebAssembly.instantiate(bytes, { env: { abort: () => { throw new Error('abort'); }, opHost: () => { throw new Error('opHost'); } } });
    const s = instance.exports as unknown as { memory: WebAssembly.Memory; alloc(b: number): number; [k: string]: unknown };
    const fn = (name: string) => s[name] as (...a: number[]) => number;
    const view = (p: number, n: number) => new Float64Array(s.memory.buffer, p, n);
    expect(fn('simdBuild')()).toBe(0);
    for (const n of [1, 2, 3, 5, 12, 97, 1000, 4096, 3 ** 7]) {
      const x = complexVector(n);
      const plan = s.alloc(fn('fftPlanBytes')(n) >>> 0), work = s.alloc(fn('fftWorkBytes')(n) >>> 0), d = s.alloc(16 * n);
      fn('fftPlanInit')(n, plan, work);
      view(d, 2 * n).set(x);
      fn('fft')(plan, d, work, 1);
      const f = new Fft(n);
      expect(relDiff(view(d, 2 * n), f.forward(x)), `fft n = ${n}`).toBeLessThan(1e-13);
      f.dispose();
      const xr = x.subarray(0, n);
      const dp = s.alloc(fn('dctPlanBytes')(n) >>> 0), dw = s.alloc(fn('dctWorkBytes')(n) >>> 0), xp = s.alloc(8 * n);
      fn('dctPlanInit')(n, dp, dw);
      view(xp, n).set(xr);
      fn('dct2')(dp, xp, xp, dw);
      expect(relDiff(view(xp, n), new JsDct(n).dct2(xr)), `dct2 n = ${n}`).toBeLessThan(1e-12);
    }
    for (const [n, L, mode] of [[100, 7, 1], [1000, 33, 0], [500, 9, 2]]) {
      const h = complexVector(L).subarray(0, L), x = complexVector(n).subarray(0, n);
      const m = mode === 0 ? n + L - 1 : n;
      for (const useFft of [0, 1]) {
        const plan = s.alloc(fn('convPlanBytes')(n, L, mode, useFft) >>> 0), work = s.alloc(fn('convWorkBytes')(n, L, mode, useFft) >>> 0);
        const hp = s.alloc(8 * L), xp = s.alloc(8 * n), yp = s.alloc(8 * m);
        view(hp, L).set(h);
        view(xp, n).set(x);
        fn('convPlanInit')(plan, hp, L, n, mode, useFft, work);
        fn('convApply')(plan, xp, yp, work);
        const op = new Convolution(h, n, { mode: (['full', 'same', 'circular'] as const)[mode], method: 'direct' });
        expect(relDiff(view(yp, m), op.apply(x)), `conv n = ${n} L = ${L} mode ${mode} fft ${useFft}`).toBeLessThan(1e-13);
        op.dispose();
      }
    }
  });
});

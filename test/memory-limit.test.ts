// Calls too large for WASM memory (wasm32: 4 GiB, or a lower limit set with
// setMemoryLimit) are refused up front with a RangeError saying how many
// bytes they need; nothing is allocated, and the next normal call works.
// An allocation that fails half-way (simulated) leaves nothing behind.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const fail = vi.hoisted(() => ({ allocF64At: -1, scratch: false, calls: 0 }));

vi.mock('../src/core/wasm.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../src/core/wasm.js')>();
  return {
    ...orig,
    allocF64: (data: ArrayLike<number>) => {
      if (fail.calls++ === fail.allocF64At) throw new RangeError('sparse-pursuit: could not allocate (simulated)');
      return orig.allocF64(data);
    },
    scratch: (bytes: number) => {
      if (fail.scratch) throw new RangeError('sparse-pursuit: could not allocate (simulated)');
      return orig.scratch(bytes);
    },
  };
});

import { init, Matrix, memoryBytes, omp, Operator, sea, softIhtVjp } from '../src/index.js';
import { descriptorOf, optionsFor, SolverName, SOLVERS } from '../src/solvers/registry.js';
import { gaussianProblem } from '../src/data/problems.js';
import { wasm, liveBytes, MAX_MEMORY_BYTES, memoryLimit, RESERVED_BYTES, setMemoryLimit } from '../src/core/wasm.js';

beforeAll(async () => {
  await init();
});

afterEach(() => {
  setMemoryLimit(MAX_MEMORY_BYTES);
  Object.assign(fail, { allocF64At: -1, scratch: false, calls: 0 });
});

const small = gaussianProblem({ m: 20, n: 40, k: 3, seed: 2 });

/** A normal call after a refusal or failure: works and matches a fresh reference. */
function stillWorks(): void {
  const a = omp(small.A, small.y, { k: 3 });
  expect(Array.from(a.support)).toEqual(Array.from(small.support));
}

describe('refused up front when the buffers would exceed the memory limit', () => {
  it('every solver: A (2000 x 4000) under a 48 MiB limit, with the bytes it needs and what is available', () => {
    // zeros: no data to check, no problem to solve; the point is the size
    const A = new Matrix(2000, 4000);
    const y = new Float64Array(2000).fill(1);
    A.data[0] = 1;
    setMemoryLimit(48 * 2 ** 20);
    const mem = memoryBytes();
    const held = liveBytes();
    for (const name of Object.keys(SOLVERS)) {
      // (iht and sea first need ||A||_2 for their default step: their refusal comes from that copy of A, without the workspace)
      const withK = descriptorOf(name as SolverName).takesK === false ? '' : ' with k = 5';
      const re = new RegExp(`^${name}: A \\(2000 x 4000\\)${withK} needs (\\d+) bytes of WASM memory \\(A copy 64000000 \\+ column norms 32000( \\+ vectors and workspace \\d+)?\\), expected at most (\\d+) \\(the 50331648-byte limit less \\d+ in use or reserved\\), received m = 2000, n = 4000${withK ? ', k = 5' : ''}`);
      let msg = '';
      try {
        SOLVERS[name](A, y, optionsFor(name as SolverName, 5, { maxIter: 3 }));
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        msg = (e as Error).message;
      }
      expect(msg, name).toMatch(re);
      const [, need, , avail] = re.exec(msg)!.map(Number);
      expect(need).toBeGreaterThan(avail);
      expect(liveBytes()).toBe(held);
    }
    expect(memoryBytes()).toBe(mem);
    expect(() => Operator.dense(A)).toThrow(/^Operator\.dense: A \(2000 x 4000\) needs 64032000 bytes of WASM memory \(A copy 64000000 \+ column norms 32000\), expected at most \d+ .*received m = 2000, n = 4000$/);
    expect(liveBytes()).toBe(held);
    stillWorks();
  });

  it("SEA's residual history counts: 10 million iterations' history does not fit a 64 MiB limit", () => {
    setMemoryLimit(64 * 2 ** 20);
    expect(() => sea(small.A, small.y, { k: 3, maxIter: 10_000_000, history: true })).toThrow(/^sea: A \(20 x 40\) with k = 3 needs \d+ bytes .*received m = 20, n = 40, k = 3, 10000000 history values$/);
    stillWorks();
  });

  it("the soft solvers too: Soft-IHT's tape of 200 000 iterations does not fit a 48 MiB limit", () => {
    setMemoryLimit(48 * 2 ** 20);
    const held = liveBytes();
    expect(() => softIhtVjp(small.A, small.y, new Float64Array(40), { k: 3, iterations: 200_000, tau: 0.1 })).toThrow(
      /^softIhtVjp: A \(20 x 40\) with 200000 iterations needs \d+ bytes of WASM memory \(A copy 6400 \+ column norms 320 \+ vectors, tape and workspace \d+\), expected at most \d+ .*received A \(20 x 40\) with 200000 iterations$/);
    expect(liveBytes()).toBe(held);
    stillWorks();
  });

  it("at the real 4 GiB limit: soft tapes beyond 4 GiB are counted in 64 bits and refused, not wrapped to a size that fits", () => {
    // Soft-IHT's tape holds L k rows of n doubles: L = 64, k = 64, n = 2^17 is 4 GiB for that piece alone
    const n = 2 ** 17;
    const exact = 64 * 64 * n * 8;
    expect(wasm().softIhtWorkspace64(2, n, 64, 64)).toBeGreaterThan(exact);
    expect(wasm().softOmpWorkspace64(2, n, 2 ** 12)).toBeGreaterThan(2 * 2 ** 12 * n * 8);
    const A = new Matrix(2, n, Float64Array.from({ length: 2 * n }, (_, i) => (i % 7) - 3));
    const call = () => softIhtVjp(A, [1, 2], new Float64Array(n), { k: 64, iterations: 64, tau: 0.1 });
    expect(call).toThrow(/^softIhtVjp: A \(2 x 131072\) with 64 iterations needs \d+ bytes of WASM memory/);
    // the first call may leave the scratch block grown for A's checks; a refused call holds nothing more
    const held = liveBytes();
    expect(call).toThrow(RangeError);
    expect(liveBytes()).toBe(held);
    stillWorks();
  });

  it('at the real 4 GiB limit: OMP at m = n = k = 16384 (A 2 GiB, its QR another 4 GiB) is refused before any allocation', () => {
    expect(memoryLimit()).toBe(2 ** 32);
    // the workspace size is computed in 64 bits: 2 * 8 * 16384^2 bytes and more, not wrapped modulo 2^32
    const ws = wasm().ompWorkspace64(16384, 16384, 16384);
    expect(ws).toBeGreaterThan(2 ** 32);
    expect(wasm().elsWorkspace64(1 << 20, 1 << 20, 1 << 12)).toBeGreaterThan(2 ** 34);
    // the usize form (for kernels that carve their own workspace) agrees below 4 GiB
    expect(wasm().ompWorkspace(100, 200, 10)).toBe(wasm().ompWorkspace64(100, 200, 10));
    const A = new Matrix(16384, 16384); // zeros: 2 GiB of JS memory the OS commits lazily
    const mem = memoryBytes();
    const held = liveBytes();
    expect(() => omp(A, new Float64Array(16384), { k: 16384 })).toThrow(new RegExp(
      `^omp: A \\(16384 x 16384\\) with k = 16384 needs (\\d+) bytes of WASM memory \\(A copy 2147483648 \\+ column norms 131072 \\+ vectors and workspace \\d+\\), expected at most ${2 ** 32 - RESERVED_BYTES - held} `));
    expect(memoryBytes()).toBe(mem);
    expect(liveBytes()).toBe(held);
    stillWorks();
  });
});

describe('an allocation failing half-way leaves nothing allocated', () => {
  it('Operator.dense: the norms allocation fails after A was copied: A is freed', () => {
    const held = liveBytes();
    fail.calls = 0;
    fail.allocF64At = 1; // 0: A, 1: norms
    expect(() => Operator.dense(small.A)).toThrow(/simulated/);
    expect(liveBytes()).toBe(held);
    fail.allocF64At = -1;
    stillWorks();
  });

  it('a solve: the scratch allocation fails after the temporary operator was made: the operator is freed', () => {
    const held = liveBytes();
    fail.scratch = true;
    for (const name of Object.keys(SOLVERS)) {
      expect(() => SOLVERS[name](small.A, small.y, optionsFor(name as SolverName, 3))).toThrow(/simulated/);
      expect(liveBytes(), name).toBe(held);
    }
    fail.scratch = false;
    stillWorks();
  });

  it('setMemoryLimit checks its argument', () => {
    expect(() => setMemoryLimit(1000)).toThrow(/^setMemoryLimit: bytes must be an integer in \[16777216, 4294967296\], received 1000$/);
    expect(() => setMemoryLimit('1e9' as unknown as number)).toThrow(TypeError);
    expect(() => setMemoryLimit(2 ** 33)).toThrow(RangeError);
  });
});

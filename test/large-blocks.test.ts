// Single WASM buffers above TLSF's 1 GiB block cap (assembly/mem.ts's large-block
// path): allocated, addressed above 2 GiB, reused after free, merged with free
// neighbours. Pages that are never touched cost address space, not RAM, so
// these tests stay small in resident memory; the solve at 11600 x 11600
// (2.2 GB resident) lives in npm run fuzz and scripts/soak.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { alloc, f64View, free, init, liveBytes, memoryBytes } from '../src/core/wasm.js';

const GiB = 2 ** 30;

beforeAll(async () => {
  await init();
});

/** Writes a marker at both ends of a block and reads it back. */
function touchEnds(p: number, bytes: number, v: number): void {
  f64View(p, 1)[0] = v;
  f64View(p + bytes - 8, 1)[0] = -v;
  expect(f64View(p, 1)[0]).toBe(v);
  expect(f64View(p + bytes - 8, 1)[0]).toBe(-v);
}

describe('large WASM blocks', () => {
  it('allocates one 1.1 GiB block (TLSF alone caps a block at 1 GiB) and reuses it after free', () => {
    const bytes = 8 * Math.round((1.1 * GiB) / 8);
    const live0 = liveBytes();
    const p = alloc(bytes);
    expect(p).toBeGreaterThan(0);
    expect(p % 65536).toBe(0);
    touchEnds(p, bytes, 1.5);
    expect(liveBytes() - live0).toBe(bytes);
    free(p);
    expect(liveBytes()).toBe(live0);
    const mem = memoryBytes();
    const q = alloc(bytes - 65536);
    expect(q).toBe(p); // the freed range is reused, memory does not grow
    expect(memoryBytes()).toBe(mem);
    free(q);
  });

  it('addresses blocks above 2 GiB as unsigned, and merges freed neighbours into one 3 GiB block', () => {
    const bytes = GiB - 2 ** 20;
    const ps = [alloc(bytes + 2 ** 29), alloc(bytes), alloc(bytes)];
    expect(ps.every((p) => p > 0)).toBe(true);
    expect(Math.max(...ps)).toBeGreaterThan(2 ** 31);
    ps.forEach((p, i) => touchEnds(p, bytes, i + 1));
    for (const p of ps) free(p);
    const big = alloc(3 * GiB);
    expect(big).toBe(Math.min(...ps)); // one range again, no growth past 4 GiB
    touchEnds(big, 3 * GiB, 7);
    free(big);
  });

  it('refuses more than the address space holds with the real reason, before allocating', () => {
    const live0 = liveBytes();
    expect(() => alloc(4 * GiB)).toThrow(/needs 4294967296 bytes of WASM memory .*expected at most \d+ \(the 4294967296-byte limit less \d+ in use or reserved\)/);
    expect(liveBytes()).toBe(live0);
  });
});

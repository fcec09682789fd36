// The memory soak of `npm run soak` (scripts/soak.ts), shortened: 3000 solves
// of mixed sizes and solvers and 100 operator create/dispose cycles. WASM
// memory must not grow after the warm-up, live facade bytes must return to
// their level after it, the last solves must repeat the first bit for bit,
// and a disposed operator must be refused.
import { describe, expect, it } from 'vitest';
import { soak } from '../scripts/soak.js';

describe('memory soak (shortened)', () => {
  it('3000 solves and 100 operator cycles: memory flat after warm-up, nothing leaked, results repeat', async () => {
    const r = await soak({ solves: 3000, operatorCycles: 100, seed: 3 });
    expect(r.operatorCycles).toBe(100);
    expect(r.memoryMax).toBe(r.memoryAfterWarmup);
    expect(r.memoryAtEnd).toBe(r.memoryAfterWarmup);
    expect(r.liveAtEnd).toBe(r.liveAfterWarmup);
    expect(r.mismatches).toBe(0);
    expect(r.useAfterDispose).toBe(0);
  });
});

// Helpers shared by the test files (not a test file itself).
import type { Rng } from '../src/core/random.js';

/** ||a - b|| / ||b|| (Euclidean), with the denominator kept off zero. */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-300);
}

/**
 * A random sequence of appends (atom >= 0, distinct) and deletes (-(p+1) for
 * position p) keeping 0 <= t <= kmax: an append with probability pAppend
 * when both are possible. Returns the ops and the atoms left, in position order.
 */
export function randomOps(rng: Rng, n: number, kmax: number, steps: number, pAppend = 0.5): { ops: Int32Array; atoms: number[] } {
  const ops: number[] = [];
  const atoms: number[] = [];
  for (let s = 0; s < steps; s++) {
    const add = atoms.length === 0 || (atoms.length < kmax && rng.uniform() < pAppend);
    if (add) {
      let j: number;
      do j = rng.int(n); while (atoms.includes(j));
      atoms.push(j);
      ops.push(j);
    } else {
      const p = rng.int(atoms.length);
      atoms.splice(p, 1);
      ops.push(-p - 1);
    }
  }
  return { ops: Int32Array.from(ops), atoms };
}

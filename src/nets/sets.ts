// Checks of a signal set { Y: m x N, X: n x N } given to evaluate,
// lossAndGradient and train: shapes, finite entries, and every signal within
// the soft solvers' range of scales (soft.ts checkSafeScale: the temperature
// compares scores whose size depends on the scale of y, so a signal outside
// [2^-SAFE_EXP, 2^SAFE_EXP] is refused rather than rescaled).
import type { SignalSet } from '../data/structured.js';
import { describe } from '../core/errors.js';
import { Matrix, maxAbsOf, SAFE_EXP, scaleExponentOf } from '../core/matrix.js';

/** Throws a TypeError/RangeError starting with `fn` and naming `name` unless `set` is a usable signal set for an m x n net. */
export function checkSignalSet(fn: string, name: string, set: unknown, m: number, n: number): asserts set is SignalSet {
  const s = set as SignalSet;
  if (!s || typeof s !== 'object' || !(s.Y instanceof Matrix) || !(s.X instanceof Matrix)) {
    throw new TypeError(`${fn}: ${name} must be a signal set { Y: Matrix m x N, X: Matrix n x N } (see structuredSparse), received ${describe(set)}`);
  }
  if (s.Y.m !== m || s.X.m !== n || s.X.n !== s.Y.n || s.Y.n === 0) {
    throw new RangeError(`${fn}: ${name} must be { Y: ${m} x N, X: ${n} x N } with N >= 1, received Y ${s.Y.m} x ${s.Y.n}, X ${s.X.m} x ${s.X.n}`);
  }
  for (const [part, M] of [['Y', s.Y], ['X', s.X]] as const) {
    if (M.data.length !== M.m * M.n) M.checkIntact(fn, `${name}.${part}`); // a detached buffer (finiteness is checked just below)
    const d = M.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i])) throw new RangeError(`${fn}: ${name}.${part}[${i % M.m}, ${Math.floor(i / M.m)}] must be finite, received ${d[i]}`);
    }
  }
  for (let j = 0; j < s.Y.n; j++) {
    const mx = maxAbsOf(s.Y.data.subarray(j * m, (j + 1) * m));
    if (mx !== 0 && scaleExponentOf(mx) !== 0) {
      throw new RangeError(`${fn}: ${name}.Y[:, ${j}] (signal ${j}) must have its largest entry in [2^-${SAFE_EXP}, 2^${SAFE_EXP}] (about 7.9e-31 to 1.3e30, the soft solvers' range; rescale the set), received ${mx}`);
    }
  }
}

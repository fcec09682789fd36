// Shared generators and checks of the property-based fuzz tests
// (test/fuzz-*.test.ts). Problems are described by small "recipes" that
// fast-check generates and shrinks (sizes, scales, a list of defects); the
// numbers themselves come from the seeded Rng, so a failing case shrinks to a
// short, readable recipe and replays exactly from its seed.
import fc from 'fast-check';
import { Rng } from '../../src/core/random.js';

/**
 * How many cases each property runs: `base` in `npm test` (bounded, seeded),
 * times FUZZ_SCALE in `npm run fuzz` (package.json sets it).
 */
export function runs(base: number): number {
  const s = Number(process.env.FUZZ_SCALE ?? '1');
  return Math.max(1, Math.round(base * (Number.isFinite(s) && s > 0 ? s : 1)));
}

/** The master seed of every property (FUZZ_SEED overrides it, to explore other cases). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? '20240917');

/** Cases tried, by property name: printed at the end of each fuzz file (README quotes the totals). */
export const tried = new Map<string, number>();
export function count(name: string): void {
  tried.set(name, (tried.get(name) ?? 0) + 1);
}

/** Special values the fuzzer plants. */
export const SPECIALS = {
  nan: NaN,
  inf: Infinity,
  ninf: -Infinity,
  negzero: -0,
  subnormal: 5e-324,
  subnormal2: -2.5e-310,
  huge: 1e300,
  tiny: 1e-300,
  max: Number.MAX_VALUE,
  minNormal: 2.2250738585072014e-308,
} as const;
export type SpecialName = keyof typeof SPECIALS;
const NONFINITE: SpecialName[] = ['nan', 'inf', 'ninf'];
const FINITE_SPECIALS: SpecialName[] = ['negzero', 'subnormal', 'subnormal2', 'huge', 'tiny', 'max', 'minNormal'];

/** A defect planted in A. Indices are taken modulo the shape. */
export type Defect =
  | { kind: 'zeroCol'; j: number }
  | { kind: 'dupCol'; j: number; from: number }
  | { kind: 'nearCol'; j: number; from: number; eps: number }
  | { kind: 'scaleCol'; j: number; e: number }
  | { kind: 'entry'; i: number; j: number; v: SpecialName };

/** A matrix recipe. */
export interface MatRecipe {
  m: number;
  n: number;
  seed: number;
  /** Every entry is multiplied by 10^scale. */
  scale: number;
  defects: Defect[];
}

/** A right-hand-side recipe. */
export interface VecRecipe {
  kind: 'zero' | 'negzero' | 'random' | 'sparse' | 'subnormal';
  seed: number;
  scale: number;
  /** Special entries (index modulo m). */
  specials: { i: number; v: SpecialName }[];
}

const scaleArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.integer({ min: -20, max: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(-300, -200, -150, -100, 100, 150, 200, 300, -307, 307) },
  { weight: 1, arbitrary: fc.integer({ min: -300, max: 300 }) },
);

/** A shape: 1 x 1, tall, wide, square, small to medium. */
export const shapeArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ m: 1, n: 1 }) },
  { weight: 1, arbitrary: fc.record({ m: fc.constant(1), n: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ m: fc.integer({ min: 1, max: 12 }), n: fc.constant(1) }) },
  { weight: 6, arbitrary: fc.record({ m: fc.integer({ min: 1, max: 16 }), n: fc.integer({ min: 1, max: 24 }) }) },
  { weight: 1, arbitrary: fc.record({ m: fc.integer({ min: 16, max: 48 }), n: fc.integer({ min: 16, max: 96 }) }) },
);

export const defectArb = (finiteOnly: boolean): fc.Arbitrary<Defect> => {
  const idx = fc.nat({ max: 1000 });
  return fc.oneof(
    fc.record({ kind: fc.constant('zeroCol' as const), j: idx }),
    fc.record({ kind: fc.constant('dupCol' as const), j: idx, from: idx }),
    fc.record({ kind: fc.constant('nearCol' as const), j: idx, from: idx, eps: fc.constantFrom(1e-6, 1e-9, 1e-12, 1e-15, 1e-17) }),
    fc.record({ kind: fc.constant('scaleCol' as const), j: idx, e: fc.constantFrom(-300, -200, -100, -30, -8, 8, 30, 100, 200, 300) }),
    fc.record({ kind: fc.constant('entry' as const), i: idx, j: idx, v: fc.constantFrom(...(finiteOnly ? FINITE_SPECIALS : [...FINITE_SPECIALS, ...NONFINITE])) }),
  );
};

/** A matrix recipe; `badRate` in [0, 1]: share of recipes that may plant NaN/Infinity. */
export const matArb = (shape: fc.Arbitrary<{ m: number; n: number }> = shapeArb): fc.Arbitrary<MatRecipe> =>
  fc.record({
    shape,
    seed: fc.nat(),
    scale: scaleArb,
    finiteOnly: fc.boolean(), // half of the recipes keep A finite, so the solvers get to run
    defects: fc.constant(null),
  }).chain(({ shape: { m, n }, seed, scale, finiteOnly }) =>
    fc.array(defectArb(finiteOnly), { maxLength: 4 }).map((defects) => ({ m, n, seed, scale, defects })));

export const vecArb = (allowNonFinite = true): fc.Arbitrary<VecRecipe> =>
  fc.record({
    kind: fc.constantFrom('zero', 'negzero', 'random', 'random', 'sparse', 'sparse', 'sparse', 'subnormal') as fc.Arbitrary<VecRecipe['kind']>,
    seed: fc.nat(),
    scale: scaleArb,
    specials: fc.array(fc.record({ i: fc.nat({ max: 1000 }), v: fc.constantFrom(...(allowNonFinite ? [...FINITE_SPECIALS, ...NONFINITE] : FINITE_SPECIALS)) }), { maxLength: 1 }),
  });

/** 10^e without overflow for |e| <= 308 (exact powers are not needed). */
const pow10 = (e: number) => Number(`1e${e}`);

/** Builds A (column-major) from a recipe. */
export function buildMatrix(r: MatRecipe): Float64Array {
  const { m, n } = r;
  const rng = new Rng(r.seed);
  const s = pow10(r.scale);
  const a = new Float64Array(m * n);
  for (let t = 0; t < a.length; t++) a[t] = rng.normal() * s;
  for (const d of r.defects) {
    const j = d.j % n;
    switch (d.kind) {
      case 'zeroCol':
        a.fill(0, j * m, (j + 1) * m);
        break;
      case 'dupCol':
        a.copyWithin(j * m, (d.from % n) * m, (d.from % n + 1) * m);
        break;
      case 'nearCol': {
        const f = d.from % n;
        for (let i = 0; i < m; i++) a[j * m + i] = a[f * m + i] * (1 + d.eps * rng.normal());
        break;
      }
      case 'scaleCol': {
        const c = pow10(d.e);
        for (let i = 0; i < m; i++) a[j * m + i] *= c;
        break;
      }
      case 'entry':
        a[(d.i % m) + j * m] = SPECIALS[d.v];
        break;
    }
  }
  return a;
}

/** Builds y (length m) from a recipe, on the matrix A (used by 'sparse': y = A x for a random sparse x). */
export function buildVector(r: VecRecipe, A: Float64Array, m: number, n: number): Float64Array {
  const rng = new Rng(r.seed);
  const s = pow10(r.scale);
  const y = new Float64Array(m);
  switch (r.kind) {
    case 'zero':
      break;
    case 'negzero':
      y.fill(-0);
      break;
    case 'random':
      for (let i = 0; i < m; i++) y[i] = rng.normal() * s;
      break;
    case 'subnormal':
      for (let i = 0; i < m; i++) y[i] = rng.normal() * 1e-310;
      break;
    case 'sparse': {
      const k = 1 + rng.int(Math.min(m, n));
      const x = new Float64Array(n);
      for (const j of rng.sample(n, k)) x[j] = rng.normal() * s;
      for (let j = 0; j < n; j++) {
        if (x[j] === 0) continue;
        for (let i = 0; i < m; i++) y[i] += A[i + j * m] * x[j];
      }
      break;
    }
  }
  for (const sp of r.specials) y[sp.i % m] = SPECIALS[sp.v];
  return y;
}

/** Rows (number[][]) of a column-major matrix. */
export function toRows(a: Float64Array, m: number, n: number): number[][] {
  return Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => a[i + j * m]));
}

// ------------------------------------------------------------------ checks

/** v * 2^e, exact while the result is a normal number (split so 2^e itself never overflows). */
export function ldexp(v: number, e: number): number {
  while (e > 1000) { v *= 2 ** 1000; e -= 1000; }
  while (e < -1000) { v *= 2 ** -1000; e += 1000; }
  return v * 2 ** e;
}

/** Exponent e with 2^e <= |v| < 2^(e+1) (v finite, nonzero). */
export function exponentOf(v: number): number {
  const a = Math.abs(v);
  let e = Math.floor(Math.log2(a));
  if (ldexp(1, e) > a) e--;
  else if (ldexp(1, e + 1) <= a) e++;
  return e;
}

/** Splits v into [m, e] with v = m 2^e and 1 <= |m| < 2 (v finite, nonzero). */
function frexp(v: number): [number, number] {
  const e = exponentOf(v);
  return [ldexp(v, -e), e];
}

/**
 * ||y - A x|| computed without overflow or underflow: every term y_i and
 * a_ij x_j is carried as mantissa and exponent, each row summed at its own
 * largest exponent, the rows combined at theirs. Also returns the size of the
 * terms the sum cancels (the norm of the rows of |y| + |A| |x|), for a
 * rounding tolerance.
 */
export function trueResidual(A: Float64Array, m: number, n: number, y: Float64Array, x: Float64Array): { res: number; scale: number } {
  const rows: [number, number][] = [];
  const mags: [number, number][] = [];
  for (let i = 0; i < m; i++) {
    const terms: [number, number][] = [];
    if (y[i] !== 0) terms.push(frexp(y[i]));
    for (let j = 0; j < n; j++) {
      const a = A[i + j * m];
      if (a === 0 || x[j] === 0) continue;
      const [ma, ea] = frexp(a);
      const [mx, ex] = frexp(x[j]);
      terms.push([-ma * mx, ea + ex]);
    }
    if (terms.length === 0) continue;
    const E = Math.max(...terms.map((t) => t[1]));
    let s = 0;
    let g = 0;
    for (const [mt, et] of terms) {
      s += ldexp(mt, et - E);
      g += Math.abs(ldexp(mt, et - E));
    }
    rows.push([s, E]);
    mags.push([g, E]);
  }
  const norm = (v: [number, number][]) => {
    if (v.length === 0) return 0;
    const E = Math.max(...v.map((t) => t[1]));
    let s = 0;
    for (const [mt, et] of v) s += ldexp(mt, et - E) ** 2;
    return ldexp(Math.sqrt(s), E);
  };
  return { res: norm(rows), scale: norm(mags) };
}

/** What a result must satisfy whatever the input. Returns a list of violations (empty = fine). */
export function resultProblems(r: {
  x: Float64Array; support: Int32Array; residualNorm: number; iterations: number; status: string;
}, A: Float64Array, m: number, n: number, y: Float64Array, k: number, maxIter: number): string[] {
  const bad: string[] = [];
  if (!(r.x instanceof Float64Array) || r.x.length !== n) bad.push(`x has length ${r.x?.length}, expected ${n}`);
  for (let j = 0; j < r.x.length; j++) if (!Number.isFinite(r.x[j])) { bad.push(`x[${j}] = ${r.x[j]}`); break; }
  if (!['converged', 'maxIter', 'premature', 'diverged', 'zeroMatrix', 'fixedPoint', 'stalled'].includes(r.status)) bad.push(`status ${r.status}`);
  if (!Number.isInteger(r.iterations) || r.iterations < 0 || r.iterations > maxIter) bad.push(`iterations ${r.iterations} not in [0, ${maxIter}]`);
  if (r.status === 'maxIter' && r.iterations !== maxIter) bad.push(`status maxIter after ${r.iterations} of ${maxIter} iterations`);
  if (r.support.length > k) bad.push(`support of ${r.support.length} > k = ${k}`);
  for (let i = 0; i < r.support.length; i++) {
    const j = r.support[i];
    if (!(j >= 0 && j < n) || (i > 0 && j <= r.support[i - 1])) { bad.push(`support not ascending in [0, n): ${Array.from(r.support)}`); break; }
  }
  const inSupport = new Set(Array.from(r.support));
  for (let j = 0; j < n; j++) if (r.x[j] !== 0 && !inSupport.has(j)) { bad.push(`x[${j}] = ${r.x[j]} off the support`); break; }
  if (!(Number.isFinite(r.residualNorm) && r.residualNorm >= 0)) bad.push(`residualNorm ${r.residualNorm}`);
  if (bad.length === 0) {
    const { res, scale } = trueResidual(A, m, n, y, r.x);
    // the kernels accumulate in another order: allow rounding of the cancelled terms
    const slack = 1e-7 * scale + 1e-300;
    if (Math.abs(r.residualNorm - res) > slack && Math.abs(r.residualNorm - res) > 1e-7 * res) {
      bad.push(`residualNorm ${r.residualNorm} but ||y - A x|| = ${res} (terms of size ${scale})`);
    }
  }
  let yZero = true;
  for (let i = 0; i < m; i++) if (y[i] !== 0) yZero = false;
  const aZero = A.every((v) => v === 0);
  if ((r.status === 'zeroMatrix') !== (aZero && !yZero)) bad.push(`status ${r.status} with A ${aZero ? '' : 'not '}all zero and y ${yZero ? '' : 'not '}zero`);
  if (yZero) {
    if (r.x.some((v) => v !== 0)) bad.push('y = 0 but x != 0');
    if (r.status !== 'converged') bad.push(`y = 0 but status ${r.status}`);
    if (r.residualNorm !== 0) bad.push(`y = 0 but residualNorm ${r.residualNorm}`);
  }
  return bad;
}

/** The outcome of one call: a result or the error it threw. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export function attempt<R>(f: () => R): Outcome<R> {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Problems with a thrown error: only RangeError/TypeError whose message starts with `fn: ` and names an argument. */
export function errorProblems(e: unknown, fn: string, args: readonly string[]): string[] {
  if (e instanceof WebAssembly.RuntimeError) return [`WASM trap: ${e.message}`];
  if (!(e instanceof RangeError || e instanceof TypeError)) return [`threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`];
  const msg = e.message;
  const bad: string[] = [];
  if (!msg.startsWith(`${fn}: `)) bad.push(`message does not start with '${fn}: ': ${msg}`);
  if (!args.some((a) => new RegExp(`(^|[^\\w])${a}([^\\w]|$)`).test(msg))) bad.push(`message names none of ${args.join(', ')}: ${msg}`);
  if (!/received|needs|exceeds/.test(msg)) bad.push(`message does not say what was received: ${msg}`);
  return bad;
}

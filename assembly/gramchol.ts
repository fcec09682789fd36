// Updatable Cholesky factor of the Gram matrix of a changing set of columns:
// G_S = A_S^T A_S = L L^T with L t x t lower triangular, positive diagonal.
//
// The companion of qrupdate.ts for operators whose columns are not stored:
// the QR keeps Q (m x t) and pays O(m t) per change, which at m = 10^5 rows
// and t = 100 atoms is 50x an application of a convolution. Here a change
// costs O(t^2) plus the t inner products a_i^T a_j of the entering atom with
// the others, which the operator gives without forming A_S
// (operator.ts opGramOn: one adjoint in general, O(taps) per overlapping
// pair for a convolution):
// - append: forward substitution L w = A_S^T a, then the new diagonal
//   sqrt(a^T a - w^T w), O(t^2);
// - delete (any position p): remove row p, which leaves rows p.. with one
//   entry right of the diagonal, and restore the triangle with Givens
//   rotations on columns (i, i+1), O((t - p)^2).
// The least-squares solution on S is then z = L^-T L^-1 A_S^T y (seminormal
// equations): its error grows with cond(A_S)^2 instead of cond(A_S), which is
// why the solver that uses it (solvers/sea.ts) checks the normal residual
// A_S^T r it computes anyway and refines z when it is not small.
//
// The state lives in caller-provided memory: nothing allocates.
import { opGramOn } from "./operator";

/** An atom counts as dependent on the current ones when the part of a^T a
 *  outside their span, a^T a - w^T w, is below GC_DEP_TOL times a^T a. The
 *  Gram matrix squares the condition number, so the test cannot go as low
 *  as the QR's (qrupdate.ts QU_DEP_TOL = sqrt(eps) on the norm ratio, i.e.
 *  eps on this one): the difference of two numbers of size a^T a is only
 *  known to a few t eps a^T a. sqrt(eps) here (a norm ratio of 1.2e-4) leaves
 *  that rounding a factor of about 10^7 below the threshold. */
export const GC_DEP_TOL: f64 = 1.4901161193847656e-8;

export const GC_OK: i32 = 0;
export const GC_DEPENDENT: i32 = 1;
export const GC_FULL: i32 = 2;

@unmanaged
export class GCH {
  kmax: i32;
  t: i32;      // atoms in the factor
  L: usize;    // kmax x kmax, row-major (row i at i kmax), lower triangle used
  w: usize;    // kmax scratch
  cols: usize; // kmax i32: the atom held at each position
}

/** Bytes of a handle and its arrays for up to kmax atoms (64-bit: see workspace.ts). */
export function gcBytes(kmax: i32): u64 {
  const km = <u64>kmax;
  // 32: 2 i32 + 3 pointers (wasm32) = 20 bytes, padded to keep the arrays 16-byte aligned
  return 32 + ((km * km + km) << 3) + (((km << 2) + 15) & ~(<u64>15));
}

/** Lays a handle out at `mem` (gcBytes(kmax) bytes, 16-byte aligned), with no atoms. */
export function gcInit(mem: usize, kmax: i32): GCH {
  const g = changetype<GCH>(mem);
  g.kmax = kmax;
  g.t = 0;
  g.L = mem + 32;
  g.w = g.L + ((<usize>kmax * <usize>kmax) << 3);
  g.cols = g.w + (<usize>kmax << 3);
  return g;
}

// @ts-ignore: decorator
@inline function lAt(g: GCH, i: i32, j: i32): usize {
  return g.L + ((<usize>i * <usize>g.kmax + <usize>j) << 3);
}

/** The atom at position p. */
// @ts-ignore: decorator
@inline export function gcAtom(g: GCH, p: i32): i32 {
  return load<i32>(g.cols + (<usize>p << 2));
}

/**
 * Appends atom `atom` given v = A_S^T a (t values, position order) and
 * d = a^T a. Returns GC_OK, GC_DEPENDENT (nothing changes) or GC_FULL.
 */
export function gcAppend(g: GCH, v: usize, d: f64, atom: i32): i32 {
  const t = g.t;
  if (t >= g.kmax) return GC_FULL;
  const row = lAt(g, t, 0);
  let ww = 0.0;
  for (let i = 0; i < t; i++) {
    let s = load<f64>(v + (<usize>i << 3));
    const li = lAt(g, i, 0);
    for (let j = 0; j < i; j++) s -= load<f64>(li + (<usize>j << 3)) * load<f64>(row + (<usize>j << 3));
    s /= load<f64>(li + (<usize>i << 3));
    store<f64>(row + (<usize>i << 3), s);
    ww += s * s;
  }
  const rest = d - ww;
  if (!(rest > GC_DEP_TOL * d)) return GC_DEPENDENT;
  store<f64>(row + (<usize>t << 3), Math.sqrt(rest));
  store<i32>(g.cols + (<usize>t << 2), atom);
  g.t = t + 1;
  return GC_OK;
}

/** Removes the atom at position p (0 <= p < t). */
export function gcDelete(g: GCH, p: i32): void {
  const t = g.t;
  // rows p+1..t-1 move up one place (row i keeps columns 0..i), and the atoms
  for (let i = p; i < t - 1; i++) {
    memory.copy(lAt(g, i, 0), lAt(g, i + 1, 0), <usize>(i + 2) << 3);
    store<i32>(g.cols + (<usize>i << 2), load<i32>(g.cols + (<usize>(i + 1) << 2)));
  }
  // row i (p <= i < t-1) now has an entry at column i+1: rotate columns
  // (i, i+1) of rows i..t-2 to zero it (L G^T G L^T = L L^T)
  for (let i = p; i < t - 1; i++) {
    const a = load<f64>(lAt(g, i, i));
    const b = load<f64>(lAt(g, i, i + 1));
    const r = Math.hypot(a, b);
    let c = 1.0;
    let s = 0.0;
    if (r > 0.0) { c = a / r; s = b / r; }
    store<f64>(lAt(g, i, i), r);
    store<f64>(lAt(g, i, i + 1), 0.0);
    for (let l = i + 1; l < t - 1; l++) {
      const x = load<f64>(lAt(g, l, i));
      const y = load<f64>(lAt(g, l, i + 1));
      store<f64>(lAt(g, l, i), c * x + s * y);
      store<f64>(lAt(g, l, i + 1), c * y - s * x);
    }
  }
  g.t = t - 1;
}

/** Solves L L^T z = b (t values, position order); z may alias b. */
export function gcSolve(g: GCH, b: usize, z: usize): void {
  const t = g.t;
  for (let i = 0; i < t; i++) {
    let s = load<f64>(b + (<usize>i << 3));
    const li = lAt(g, i, 0);
    for (let j = 0; j < i; j++) s -= load<f64>(li + (<usize>j << 3)) * load<f64>(z + (<usize>j << 3));
    store<f64>(z + (<usize>i << 3), s / load<f64>(li + (<usize>i << 3)));
  }
  for (let i = t - 1; i >= 0; i--) {
    let s = load<f64>(z + (<usize>i << 3));
    for (let j = i + 1; j < t; j++) s -= load<f64>(lAt(g, j, i)) * load<f64>(z + (<usize>j << 3));
    store<f64>(z + (<usize>i << 3), s / load<f64>(lAt(g, i, i)));
  }
}

/** Workspace bytes of gramCholReplay: the factor, the inner products and opGramOn's work (n). */
export function gramCholReplayWorkspace(n: i32, kmax: i32): usize {
  return <usize>(16 + gcBytes(kmax) + ((<u64>kmax + <u64>n) << 3) + 16);
}

/**
 * Test driver (used by test/gramchol.test.ts): replays `nops` operations on
 * the columns of the operator A (a handle, operator.ts) in an empty factor
 * with room for kmax atoms; ops[i] >= 0 appends atom ops[i], ops[i] < 0
 * deletes position -ops[i] - 1. Writes L (kmax x kmax, row-major) and the
 * atoms (kmax i32); returns the final atom count, or -1 - i when operation
 * i is invalid or the append is refused.
 */
export function gramCholReplay(A: usize, m: i32, n: i32, kmax: i32, ops: usize, nops: i32,
                               Lout: usize, colsOut: usize, ws: usize): i32 {
  const base = (ws + 15) & ~(<usize>15);
  const g = gcInit(base, kmax);
  const v = base + <usize>gcBytes(kmax);
  const work = (v + (<usize>kmax << 3) + 15) & ~(<usize>15);
  for (let i = 0; i < nops; i++) {
    const op = load<i32>(ops + (<usize>i << 2));
    if (op >= 0) {
      if (op >= n) return -1 - i;
      const d = opGramOn(A, m, n, op, g.cols, g.t, v, work);
      if (gcAppend(g, v, d, op) != GC_OK) return -1 - i;
    } else {
      const p = -op - 1;
      if (p >= g.t) return -1 - i;
      gcDelete(g, p);
    }
  }
  memory.copy(Lout, g.L, (<usize>kmax * <usize>kmax) << 3);
  memory.copy(colsOut, g.cols, <usize>kmax << 2);
  return g.t;
}

/** Test driver: solves L L^T z = b with the factor gramCholReplay left at ws (b, z: t values). */
export function gramCholReplaySolve(ws: usize, b: usize, z: usize): void {
  gcSolve(changetype<GCH>((ws + 15) & ~(<usize>15)), b, z);
}

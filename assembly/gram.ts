// The Gram matrix G = A^T A (n x n, column-major, symmetric) that Batch-OMP
// works from. Computed once per resident operator; a worker pool splits the
// columns between workers (gramUpper and gramMirrorCols on [j0, j1) each).
//
// Every entry G[i, j] is summed in the same order whichever block, column
// range or kernel variant computes it (row panels in order; inside a panel,
// two f64 lanes over row pairs, then lane 0 + lane 1, then the odd last row),
// so a split computation equals the one-piece one bit for bit.
import { zero } from "./blas";
import { madd2 } from "./simd";

// Rows per panel: each panel is one read-modify-write pass over the columns
// of G being built, and the 4-column block of A restricted to a panel should
// stay in L1 while the other columns stream past it. 1024 rows: 4 x 1024 x 8
// B = 32 KiB of the 48 KiB L1d of the benchmark machine, and a single pass
// over G for m <= 1024. At (1024, 4096) on that 2-core Xeon, panels of 256,
// 512 and 1024 rows measured within the noise of a shared machine of each
// other (4 to 13 GFLOP/s, depending on the load of the moment).
// @ts-ignore: decorator
@inline const GRAM_PANEL: i32 = 1024;

// Columns of the resident block (j) and of the streamed block (i): a 2 x 4
// register block keeps 8 accumulators plus 6 loaded vectors live, within
// the 16 vector registers of x86-64 without spills.
// @ts-ignore: decorator
@inline const GRAM_JB: i32 = 4;

/** Adds the dot products of columns i, i+1 with columns j..j+3 over rows [r0, r1) into G. */
// @ts-ignore: decorator
@inline function block2x4(A: usize, m: i32, n: i32, i: i32, j: i32, r0: i32, r1: i32, G: usize): void {
  const colBytes = <usize>m << 3;
  const pi0 = A + <usize>i * colBytes;
  const pi1 = pi0 + colBytes;
  const pj0 = A + <usize>j * colBytes;
  const pj1 = pj0 + colBytes;
  const pj2 = pj1 + colBytes;
  const pj3 = pj2 + colBytes;
  let s00 = 0.0, s01 = 0.0, s02 = 0.0, s03 = 0.0;
  let s10 = 0.0, s11 = 0.0, s12 = 0.0, s13 = 0.0;
  let r = r0;
  if (ASC_FEATURE_SIMD) {
    let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a02 = f64x2.splat(0), a03 = f64x2.splat(0);
    let a10 = f64x2.splat(0), a11 = f64x2.splat(0), a12 = f64x2.splat(0), a13 = f64x2.splat(0);
    for (; r + 2 <= r1; r += 2) {
      const o = <usize>r << 3;
      const x0 = v128.load(pi0 + o);
      const x1 = v128.load(pi1 + o);
      const b0 = v128.load(pj0 + o);
      const b1 = v128.load(pj1 + o);
      const b2 = v128.load(pj2 + o);
      const b3 = v128.load(pj3 + o);
      a00 = madd2(x0, b0, a00);
      a01 = madd2(x0, b1, a01);
      a02 = madd2(x0, b2, a02);
      a03 = madd2(x0, b3, a03);
      a10 = madd2(x1, b0, a10);
      a11 = madd2(x1, b1, a11);
      a12 = madd2(x1, b2, a12);
      a13 = madd2(x1, b3, a13);
    }
    s00 = f64x2.extract_lane(a00, 0) + f64x2.extract_lane(a00, 1);
    s01 = f64x2.extract_lane(a01, 0) + f64x2.extract_lane(a01, 1);
    s02 = f64x2.extract_lane(a02, 0) + f64x2.extract_lane(a02, 1);
    s03 = f64x2.extract_lane(a03, 0) + f64x2.extract_lane(a03, 1);
    s10 = f64x2.extract_lane(a10, 0) + f64x2.extract_lane(a10, 1);
    s11 = f64x2.extract_lane(a11, 0) + f64x2.extract_lane(a11, 1);
    s12 = f64x2.extract_lane(a12, 0) + f64x2.extract_lane(a12, 1);
    s13 = f64x2.extract_lane(a13, 0) + f64x2.extract_lane(a13, 1);
  } else {
    // the same two lanes as the SIMD path, kept in scalars
    let e00 = 0.0, e01 = 0.0, e02 = 0.0, e03 = 0.0, e10 = 0.0, e11 = 0.0, e12 = 0.0, e13 = 0.0;
    for (; r + 2 <= r1; r += 2) {
      const o = <usize>r << 3;
      const x0 = load<f64>(pi0 + o), y0 = load<f64>(pi0 + o, 8);
      const x1 = load<f64>(pi1 + o), y1 = load<f64>(pi1 + o, 8);
      const b0 = load<f64>(pj0 + o), c0 = load<f64>(pj0 + o, 8);
      const b1 = load<f64>(pj1 + o), c1 = load<f64>(pj1 + o, 8);
      const b2 = load<f64>(pj2 + o), c2 = load<f64>(pj2 + o, 8);
      const b3 = load<f64>(pj3 + o), c3 = load<f64>(pj3 + o, 8);
      s00 += x0 * b0; e00 += y0 * c0;
      s01 += x0 * b1; e01 += y0 * c1;
      s02 += x0 * b2; e02 += y0 * c2;
      s03 += x0 * b3; e03 += y0 * c3;
      s10 += x1 * b0; e10 += y1 * c0;
      s11 += x1 * b1; e11 += y1 * c1;
      s12 += x1 * b2; e12 += y1 * c2;
      s13 += x1 * b3; e13 += y1 * c3;
    }
    s00 += e00; s01 += e01; s02 += e02; s03 += e03;
    s10 += e10; s11 += e11; s12 += e12; s13 += e13;
  }
  if (r < r1) {
    const o = <usize>r << 3;
    const x0 = load<f64>(pi0 + o);
    const x1 = load<f64>(pi1 + o);
    const b0 = load<f64>(pj0 + o), b1 = load<f64>(pj1 + o), b2 = load<f64>(pj2 + o), b3 = load<f64>(pj3 + o);
    s00 += x0 * b0; s01 += x0 * b1; s02 += x0 * b2; s03 += x0 * b3;
    s10 += x1 * b0; s11 += x1 * b1; s12 += x1 * b2; s13 += x1 * b3;
  }
  const ld = <usize>n << 3;
  const g0 = G + <usize>j * ld + (<usize>i << 3);
  store<f64>(g0, load<f64>(g0) + s00);
  store<f64>(g0, load<f64>(g0, 8) + s10, 8);
  const g1 = g0 + ld;
  store<f64>(g1, load<f64>(g1) + s01);
  store<f64>(g1, load<f64>(g1, 8) + s11, 8);
  const g2 = g1 + ld;
  store<f64>(g2, load<f64>(g2) + s02);
  store<f64>(g2, load<f64>(g2, 8) + s12, 8);
  const g3 = g2 + ld;
  store<f64>(g3, load<f64>(g3) + s03);
  store<f64>(g3, load<f64>(g3, 8) + s13, 8);
}

/** Adds the dot product of columns i and j over rows [r0, r1) into G[i, j] (same summation order as block2x4). */
function entry(A: usize, m: i32, n: i32, i: i32, j: i32, r0: i32, r1: i32, G: usize): void {
  const colBytes = <usize>m << 3;
  const pi = A + <usize>i * colBytes;
  const pj = A + <usize>j * colBytes;
  let s = 0.0;
  let r = r0;
  if (ASC_FEATURE_SIMD) {
    let a = f64x2.splat(0);
    for (; r + 2 <= r1; r += 2) {
      const o = <usize>r << 3;
      a = madd2(v128.load(pi + o), v128.load(pj + o), a);
    }
    s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  } else {
    let e = 0.0;
    for (; r + 2 <= r1; r += 2) {
      const o = <usize>r << 3;
      s += load<f64>(pi + o) * load<f64>(pj + o);
      e += load<f64>(pi + o, 8) * load<f64>(pj + o, 8);
    }
    s += e;
  }
  if (r < r1) {
    const o = <usize>r << 3;
    s += load<f64>(pi + o) * load<f64>(pj + o);
  }
  const g = G + <usize>j * (<usize>n << 3) + (<usize>i << 3);
  store<f64>(g, load<f64>(g) + s);
}

/**
 * Columns j0..j1-1 of G = A^T A (A m x n column-major), upper part: G[i, j]
 * for i <= j (the rest of these columns is zeroed, except a few entries
 * below the diagonal of each 4 x 4 diagonal block, which get their values).
 * G is n x n column-major; other columns are not touched. gramMirror fills the lower triangle afterwards.
 */
export function gramUpper(A: usize, m: i32, n: i32, j0: i32, j1: i32, G: usize): void {
  const ld = <usize>n << 3;
  for (let j = j0; j < j1; j++) zero(G + <usize>j * ld, n);
  for (let r0 = 0; r0 < m; r0 += GRAM_PANEL) {
    const r1 = min(m, r0 + GRAM_PANEL);
    let j = j0;
    for (; j + GRAM_JB <= j1; j += GRAM_JB) {
      const iend = j + GRAM_JB; // rows i < iend: the block's own diagonal included
      let i = 0;
      for (; i + 2 <= iend; i += 2) block2x4(A, m, n, i, j, r0, r1, G);
      for (; i < iend; i++) {
        for (let c = 0; c < GRAM_JB; c++) entry(A, m, n, i, j + c, r0, r1, G);
      }
    }
    for (; j < j1; j++) {
      for (let i = 0; i <= j; i++) entry(A, m, n, i, j, r0, r1, G);
    }
  }
}

// Tile edge of the blocked transpose in gramMirrorCols. The columns of G lie
// 8 n bytes apart, a multiple of 4 KiB whenever n is a multiple of 512, so
// the lines of one tile row all fall in the same L1 set: 32 x 32 tiles kept
// 32 lines of one set live against the 12 ways of the benchmark machine's
// 48 KiB L1d. Measured at n = 1024 (Intel Xeon, 2026-12-07), whole mirror:
// 32 x 32 tiles, scalar, tile rows of G's lower part inner: 1.65 ms; 8 x 8
// tiles with the SIMD 2 x 2 transposes: 0.87 ms (4 x 4: 1.11, 16 x 16: 1.16);
// the same with the tiles of one row band of the lower part inner (the
// stores then run along each column of the lower part): 0.60 ms.
// @ts-ignore: decorator
@inline const MIRROR_TILE: i32 = 8;

/**
 * Copies the strict upper part of columns j0..j1-1 of G (n x n) onto the
 * lower triangle: G[j, i] = G[i, j] for i < j, j in [j0, j1). Each column
 * range is mirrored on its own (a pool worker mirrors its own columns of G
 * while the other workers' columns are on their way), and the ranges of a
 * split make up gramMirror. Copies only: the result does not depend on the
 * split or the build.
 */
export function gramMirrorCols(G: usize, n: i32, j0: i32, j1: i32): void {
  const ld = <usize>n << 3;
  for (let ib = 0; ib < j1; ib += MIRROR_TILE) {
    const ie = min(n, ib + MIRROR_TILE);
    for (let jb = j0 + max(0, (ib - j0) & ~(MIRROR_TILE - 1)); jb < j1; jb += MIRROR_TILE) {
      const je = min(j1, jb + MIRROR_TILE);
      if (ib >= je) continue;
      if (ASC_FEATURE_SIMD && ie <= jb && ((jb | je | ib | ie) & 1) == 0) {
        // a tile wholly above the diagonal, even edges: 2 x 2 blocks,
        // two loads from columns j, j+1 and two stores into columns i, i+1
        for (let j = jb; j < je; j += 2) {
          const cj = G + <usize>j * ld;
          const cj1 = cj + ld;
          for (let i = ib; i < ie; i += 2) {
            const a = v128.load(cj + (<usize>i << 3)); // G[i, j], G[i+1, j]
            const b = v128.load(cj1 + (<usize>i << 3)); // G[i, j+1], G[i+1, j+1]
            const ci = G + <usize>i * ld + (<usize>j << 3);
            v128.store(ci, v128.shuffle<f64>(a, b, 0, 2)); // G[j, i], G[j+1, i]
            v128.store(ci + ld, v128.shuffle<f64>(a, b, 1, 3)); // G[j, i+1], G[j+1, i+1]
          }
        }
        continue;
      }
      for (let j = max(jb, j0); j < je; j++) {
        const colj = G + <usize>j * ld;
        const iend = min(ie, j);
        for (let i = ib; i < iend; i++) {
          // G[j, i] = G[i, j]
          store<f64>(G + <usize>i * ld + (<usize>j << 3), load<f64>(colj + (<usize>i << 3)));
        }
      }
    }
  }
}

/** Copies the strict upper triangle of G (n x n) onto the lower one. */
export function gramMirror(G: usize, n: i32): void {
  gramMirrorCols(G, n, 0, n);
}

/** G = A^T A (n x n, full symmetric), A m x n column-major. */
export function gram(A: usize, m: i32, n: i32, G: usize): void {
  gramUpper(A, m, n, 0, n, G);
  gramMirror(G, n);
}

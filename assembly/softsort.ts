// SoftSort (Prillo & Eisenschlos 2020): a continuous relaxation of the
// permutation that sorts a score vector s (n) in descending order,
//
//   P[i, j] = softmax_j( -|sort_desc(s)_i - s_j| / tau ),   i < k,
//
// and its vector-Jacobian product. Row i peaks at the index of the i-th
// largest entry; as tau -> 0 it tends to that index's indicator (for tied
// values: the uniform row over the tied indices).
//
// Stability: the largest logit of row i is the one of its own source index
// pi(i), where |sigma_i - s_pi(i)| = 0 exactly (sigma_i is a copy of
// s_pi(i)). So the row maximum is 0, every exp() argument is <= 0 (no
// overflow) and the row sum is >= 1 (no division by zero): subtracting the
// row maximum is built in. Entries whose exp underflows are exactly 0.
//
// Sorting: descending by value, ties broken by the lower index (the package's
// rule everywhere), by a partial heap sort: O(n + k log n).
//
// Nothing here allocates. Pointers are byte addresses; f64 vectors are
// contiguous; "stride" arguments are byte distances between row entries.

// exp(-a) is exactly 0.0 in f64 for a > 745.14 (e^-745.14 is half the
// smallest subnormal, 4.9e-324, and rounds to 0); skipping exp() beyond 746
// changes no bit of any result and saves the call at small tau.
// @ts-ignore: decorator
@inline export const EXP_CUT: f64 = 746.0;

/** True when index a comes before index b in the descending order of s (ties: lower index first). */
// @ts-ignore: decorator
@inline function ahead(s: usize, a: i32, b: i32): bool {
  const va = load<f64>(s + (<usize>a << 3));
  const vb = load<f64>(s + (<usize>b << 3));
  return va > vb || (va == vb && a < b);
}

/** Sift-down in a max-heap (by `ahead`) of `len` i32 indices at h. */
function siftDown(s: usize, h: usize, root: i32, len: i32): void {
  let i = root;
  const top = load<i32>(h + (<usize>i << 2));
  while (true) {
    let c = 2 * i + 1;
    if (c >= len) break;
    let cv = load<i32>(h + (<usize>c << 2));
    if (c + 1 < len) {
      const rv = load<i32>(h + (<usize>(c + 1) << 2));
      if (ahead(s, rv, cv)) { c++; cv = rv; }
    }
    if (!ahead(s, cv, top)) break;
    store<i32>(h + (<usize>i << 2), cv);
    i = c;
  }
  store<i32>(h + (<usize>i << 2), top);
}

/**
 * order[0..k) = the indices of the k largest s_j, largest first (ties: lower
 * index first). heap: n i32 of work. 1 <= k <= n.
 */
export function sortDescK(s: usize, n: i32, k: i32, order: usize, heap: usize): void {
  for (let j = 0; j < n; j++) store<i32>(heap + (<usize>j << 2), j);
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(s, heap, i, n);
  let len = n;
  for (let i = 0; i < k; i++) {
    store<i32>(order + (<usize>i << 2), load<i32>(heap));
    len--;
    if (len > 0) {
      store<i32>(heap, load<i32>(heap + (<usize>len << 2)));
      siftDown(s, heap, 0, len);
    }
  }
}

/** Index of the largest s_j (ties: lowest index). n >= 1. */
export function argmaxValue(s: usize, n: i32): i32 {
  let best = 0;
  let bv = load<f64>(s);
  for (let j = 1; j < n; j++) {
    const v = load<f64>(s + (<usize>j << 3));
    if (v > bv) { bv = v; best = j; }
  }
  return best;
}

/** exp(-|sigma - v| / tau) (invTau = 1 / tau), 0 beyond EXP_CUT. */
// @ts-ignore: decorator
@inline function softWeight(sigma: f64, v: f64, invTau: f64): f64 {
  const a = abs(sigma - v) * invTau;
  return a > EXP_CUT ? 0.0 : Math.exp(-a);
}

/** Divides the row at row + j*stride (n entries) by its sum (as a product with 1 / sum). */
function scaleRow(row: usize, n: i32, stride: usize, sum: f64): void {
  const inv = 1.0 / sum;
  for (let j = 0; j < n; j++) {
    const o = row + <usize>j * stride;
    store<f64>(o, load<f64>(o) * inv);
  }
}

/**
 * One SoftSort row for the sorted value sigma (a copy of some s_j):
 * out[j] = exp(-|sigma - s_j| / tau) / sum_l exp(-|sigma - s_l| / tau),
 * written at out + j*stride. tau > 0. Returns the row sum before scaling (>= 1).
 */
export function softRow(s: usize, n: i32, sigma: f64, tau: f64, out: usize, stride: usize): f64 {
  const invTau = 1.0 / tau;
  let sum = 0.0;
  for (let j = 0; j < n; j++) {
    const e = softWeight(sigma, load<f64>(s + (<usize>j << 3)), invTau);
    store<f64>(out + <usize>j * stride, e);
    sum += e;
  }
  scaleRow(out, n, stride, sum);
  return sum;
}

/**
 * Adds to `ds` (n) the gradient of L with respect to s through one SoftSort
 * row, and returns its dL/dtau part. p: the row (contiguous, n); g: dL/dp for
 * the row at g + j*gstride; piv: the source index of sigma (s[piv] == sigma).
 *
 * With a_j = -|sigma - s_j|/tau and ga_j = p_j (g_j - p.g) = dL/da_j:
 *   dL/ds_j   += ga_j sgn(sigma - s_j) / tau
 *   dL/ds_piv -= sum_j ga_j sgn(sigma - s_j) / tau   (sigma = s_piv)
 *   dL/dtau   += sum_j ga_j |sigma - s_j| / tau^2
 * (sgn(0) = 0: the subgradient at ties.)
 */
export function softRowVjp(s: usize, n: i32, piv: i32, sigma: f64, tau: f64,
                           p: usize, g: usize, gstride: usize, ds: usize): f64 {
  const invTau = 1.0 / tau;
  let pg = 0.0;
  for (let j = 0; j < n; j++) pg += load<f64>(p + (<usize>j << 3)) * load<f64>(g + <usize>j * gstride);
  let toPiv = 0.0;
  let dtau = 0.0;
  for (let j = 0; j < n; j++) {
    const pj = load<f64>(p + (<usize>j << 3));
    if (pj == 0.0) continue;
    const ga = pj * (load<f64>(g + <usize>j * gstride) - pg);
    const d = sigma - load<f64>(s + (<usize>j << 3));
    if (d > 0.0) {
      const t = ga * invTau;
      const o = ds + (<usize>j << 3);
      store<f64>(o, load<f64>(o) + t);
      toPiv -= t;
      dtau += t * d;
    } else if (d < 0.0) {
      const t = ga * invTau;
      const o = ds + (<usize>j << 3);
      store<f64>(o, load<f64>(o) - t);
      toPiv += t;
      dtau -= t * d;
    }
  }
  const op = ds + (<usize>piv << 3);
  store<f64>(op, load<f64>(op) + toPiv);
  return dtau * invTau;
}

/**
 * All k rows of SoftSort(s, tau) at once, for order = the k largest indices
 * (sortDescK). Row i goes to out + i*rowStride, entry j at + j*colStride.
 * tail: n f64 of work.
 *
 * Fewer exp() calls than k softRow calls (n + k^2 instead of k n): every j
 * outside the top k has s_j <= sigma_{k-1} <= sigma_i, so
 *   exp(-(sigma_i - s_j)/tau) = exp(-(sigma_i - sigma_{k-1})/tau) * exp(-(sigma_{k-1} - s_j)/tau),
 * two factors in (0, 1] (no overflow; a product that underflows is below
 * 1e-308 of the row maximum 1). The rounding of the exponent is the same
 * order as in the direct form. The k top entries are computed directly.
 */
export function softRows(s: usize, n: i32, k: i32, order: usize, tau: f64,
                         out: usize, rowStride: usize, colStride: usize, tail: usize): void {
  const invTau = 1.0 / tau;
  const last = load<f64>(s + (<usize>load<i32>(order + (<usize>(k - 1) << 2)) << 3));
  for (let j = 0; j < n; j++) {
    const a = (last - load<f64>(s + (<usize>j << 3))) * invTau;
    store<f64>(tail + (<usize>j << 3), a > EXP_CUT ? 0.0 : Math.exp(-a));
  }
  for (let l = 0; l < k; l++) store<f64>(tail + (<usize>load<i32>(order + (<usize>l << 2)) << 3), 0.0);
  for (let i = 0; i < k; i++) {
    const sigma = load<f64>(s + (<usize>load<i32>(order + (<usize>i << 2)) << 3));
    const a = (sigma - last) * invTau;
    const c = a > EXP_CUT ? 0.0 : Math.exp(-a);
    const row = out + <usize>i * rowStride;
    let sum = 0.0;
    for (let j = 0; j < n; j++) {
      const e = c * load<f64>(tail + (<usize>j << 3));
      store<f64>(row + <usize>j * colStride, e);
      sum += e;
    }
    for (let l = 0; l < k; l++) {
      const j = load<i32>(order + (<usize>l << 2));
      const e = softWeight(sigma, load<f64>(s + (<usize>j << 3)), invTau);
      store<f64>(row + <usize>j * colStride, e);
      sum += e;
    }
    scaleRow(row, n, colStride, sum);
  }
}

/** Workspace bytes of softSort / softSortVjp for n scores. */
export function softSortWorkspace(n: i32): usize {
  // heap (n i32) + order (n i32) + row (n f64), each 16-byte aligned
  return ((((<usize>n << 2) + 15) & ~(<usize>15)) << 1) + (((<usize>n << 3) + 15) & ~(<usize>15));
}

/**
 * P (k x n, column-major, leading dimension k) = SoftSort(s, tau) and the
 * hard order (k i32: order[i] = index of the i-th largest s_j). tau > 0,
 * 1 <= k <= n. ws: softSortWorkspace(n) bytes, 16-byte aligned. Returns 0.
 */
export function softSort(s: usize, n: i32, k: i32, tau: f64, P: usize, order: usize, ws: usize): i32 {
  const heap = ws;
  const tail = ws + (((<usize>n << 2) + 15) & ~(<usize>15)) * 2;
  sortDescK(s, n, k, order, heap);
  softRows(s, n, k, order, tau, P, 8, <usize>k << 3, tail);
  return 0;
}

/**
 * The vector-Jacobian product of softSort: given G = dL/dP (k x n,
 * column-major), writes ds = dL/ds (n) and out[0] = dL/dtau. Recomputes P
 * row by row (no tape). ws: softSortWorkspace(n) bytes. Returns 0.
 */
export function softSortVjp(s: usize, n: i32, k: i32, tau: f64, G: usize, ds: usize, out: usize, ws: usize): i32 {
  const heap = ws;
  const aligned4 = ((<usize>n << 2) + 15) & ~(<usize>15);
  const order = ws + aligned4;
  const row = order + aligned4;
  sortDescK(s, n, k, order, heap);
  memory.fill(ds, 0, <usize>n << 3);
  const gstride = <usize>k << 3;
  let dtau = 0.0;
  for (let i = 0; i < k; i++) {
    const piv = load<i32>(order + (<usize>i << 2));
    const sigma = load<f64>(s + (<usize>piv << 3));
    softRow(s, n, sigma, tau, row, 8);
    dtau += softRowVjp(s, n, piv, sigma, tau, row, G + (<usize>i << 3), gstride, ds);
  }
  store<f64>(out, dtau);
  return 0;
}

// Selection by magnitude with deterministic ties: among equal magnitudes the
// lowest index wins, everywhere (argmax, top-k, hard thresholding).

/** True when index a ranks strictly before index b by |v| (ties: lower index first). */
// @ts-ignore: decorator
@inline function before(v: usize, a: i32, b: i32): bool {
  const va = abs(load<f64>(v + (<usize>a << 3)));
  const vb = abs(load<f64>(v + (<usize>b << 3)));
  return va > vb || (va == vb && a < b);
}

/**
 * argmax_j |v_j| * scale_j over j with mask[j] == 0 (mask: n bytes, or 0 for
 * none; scale: n values, or 0 for all ones). Returns -1 when no index is
 * eligible. Ties: lowest index.
 */
export function argmaxAbs(v: usize, scale: usize, mask: usize, n: i32): i32 {
  let best = -1;
  let bestVal = -1.0;
  for (let j = 0; j < n; j++) {
    if (mask != 0 && load<u8>(mask + <usize>j) != 0) continue;
    let a = abs(load<f64>(v + (<usize>j << 3)));
    if (scale != 0) a *= load<f64>(scale + (<usize>j << 3));
    if (a > bestVal) { bestVal = a; best = j; }
  }
  return best;
}

// Below this many elements quickselect finishes with insertion sort: the
// usual cut-over (introselect implementations use 8 to 32; 16 measured within
// noise of the others here).
// @ts-ignore: decorator
@inline const SMALL: i32 = 16;

/**
 * Reorders idx[lo..hi] so that its first k' = kth - lo + 1 entries are the
 * best by `before`. idx holds i32 indices into v.
 */
function quickselect(v: usize, idx: usize, lo: i32, hi: i32, kth: i32): void {
  while (hi - lo > SMALL) {
    // median of three as pivot
    const mid = lo + ((hi - lo) >> 1);
    let a = load<i32>(idx + (<usize>lo << 2));
    let b = load<i32>(idx + (<usize>mid << 2));
    let c = load<i32>(idx + (<usize>hi << 2));
    if (before(v, b, a)) { const t = a; a = b; b = t; }
    if (before(v, c, b)) { const t = b; b = c; c = t; if (before(v, b, a)) { const t2 = a; a = b; b = t2; } }
    store<i32>(idx + (<usize>lo << 2), a);
    store<i32>(idx + (<usize>mid << 2), b);
    store<i32>(idx + (<usize>hi << 2), c);
    const pivot = b;
    // Hoare partition on (lo, hi): a <= pivot <= c already in place
    let i = lo;
    let j = hi;
    while (true) {
      do { i++; } while (before(v, load<i32>(idx + (<usize>i << 2)), pivot));
      do { j--; } while (before(v, pivot, load<i32>(idx + (<usize>j << 2))));
      if (i >= j) break;
      const ti = load<i32>(idx + (<usize>i << 2));
      store<i32>(idx + (<usize>i << 2), load<i32>(idx + (<usize>j << 2)));
      store<i32>(idx + (<usize>j << 2), ti);
    }
    if (kth <= j) hi = j; else lo = j + 1;
  }
  // insertion sort of the small remainder
  for (let i = lo + 1; i <= hi; i++) {
    const key = load<i32>(idx + (<usize>i << 2));
    let j = i - 1;
    while (j >= lo && before(v, key, load<i32>(idx + (<usize>j << 2)))) {
      store<i32>(idx + (<usize>(j + 1) << 2), load<i32>(idx + (<usize>j << 2)));
      j--;
    }
    store<i32>(idx + (<usize>(j + 1) << 2), key);
  }
}

/**
 * topK takes the heap (heapSelect) when k * TOPK_HEAP_RATIO <= n, quickselect
 * otherwise. Both find the same set (the k first by `before`). The heap reads
 * v once and, past its first k entries, does work only for an entry that
 * beats its worst: O(n + k log k log(n / k)) on data in random order, O(n log k)
 * at worst (magnitudes increasing with the index); quickselect moves
 * indices through several passes, O(n) expected. 16: with the worst case
 * at most log2(n / 16) sifts of an n / 16-entry heap per entry, the heap
 * still wins on the orders in which SEA and IHT call it; at n = 10^5, k = 100
 * on Gaussian data the heap takes about a tenth of quickselect's time
 * (npm run bench:operators, sea section, topK column).
 */
const TOPK_HEAP_RATIO: i64 = 16;

/** True when index a ranks strictly after index b (b is before a). */
// @ts-ignore: decorator
@inline function worse(v: usize, a: i32, b: i32): bool {
  return before(v, b, a);
}

/**
 * idx[0..k) = the k indices first by `before` (in heap order): a heap whose
 * root is the worst kept index; an entry replaces the root when it beats it.
 */
function heapSelect(v: usize, n: i32, k: i32, idx: usize): void {
  for (let j = 0; j < k; j++) {
    // sift up
    let c = j;
    while (c > 0) {
      const p = (c - 1) >> 1;
      const pj = load<i32>(idx + (<usize>p << 2));
      if (!worse(v, j, pj)) break;
      store<i32>(idx + (<usize>c << 2), pj);
      c = p;
    }
    store<i32>(idx + (<usize>c << 2), j);
  }
  rootAbs = abs(load<f64>(v + (<usize>load<i32>(idx) << 3)));
  let j = k;
  if (ASC_FEATURE_SIMD) {
    // pairs that both fail to beat the root are passed over in one test
    for (; j + 2 <= n; j += 2) {
      const a = f64x2.abs(v128.load(v + (<usize>j << 3)));
      if (!v128.any_true(f64x2.gt(a, f64x2.splat(rootAbs)))) continue;
      heapOffer(v, k, idx, j);
      heapOffer(v, k, idx, j + 1);
    }
  }
  for (; j < n; j++) heapOffer(v, k, idx, j);
}

// |v| of the heap's root (its worst kept index), kept by heapSelect and heapOffer.
let rootAbs: f64 = 0.0;

/**
 * Offers index j (larger than every index in the heap) to the heap of
 * heapSelect: it replaces the root when it beats it, and sifts down.
 */
// @ts-ignore: decorator
@inline function heapOffer(v: usize, k: i32, idx: usize, j: i32): void {
  const a = abs(load<f64>(v + (<usize>j << 3)));
  // before(v, j, root): j > root always here, so ties keep the root
  if (a > rootAbs) {
    let c = 0;
    while (true) {
      let ch = 2 * c + 1;
      if (ch >= k) break;
      let cj = load<i32>(idx + (<usize>ch << 2));
      if (ch + 1 < k) {
        const dj = load<i32>(idx + (<usize>(ch + 1) << 2));
        if (worse(v, dj, cj)) { ch++; cj = dj; }
      }
      if (!worse(v, cj, j)) break;
      store<i32>(idx + (<usize>c << 2), cj);
      c = ch;
    }
    store<i32>(idx + (<usize>c << 2), j);
    rootAbs = abs(load<f64>(v + (<usize>load<i32>(idx) << 3)));
  }
}

/**
 * The k indices of largest |v_j| (ties: lowest index), written ascending to
 * out (k i32). Work: idx (n i32) and flags (n bytes). O(n) expected.
 */
export function topK(v: usize, n: i32, k: i32, out: usize, idx: usize, flags: usize): void {
  if (k <= 0) return;
  if (k >= n) {
    for (let j = 0; j < n; j++) store<i32>(out + (<usize>j << 2), j);
    return;
  }
  if (<i64>k * TOPK_HEAP_RATIO <= <i64>n) heapSelect(v, n, k, idx);
  else {
    for (let j = 0; j < n; j++) store<i32>(idx + (<usize>j << 2), j);
    quickselect(v, idx, 0, n - 1, k - 1);
  }
  memory.fill(flags, 0, <usize>n);
  for (let i = 0; i < k; i++) store<u8>(flags + <usize>load<i32>(idx + (<usize>i << 2)), 1);
  let p = 0;
  let j = 0;
  // eight flags at a time: most of them are zero when k is small
  for (; j + 8 <= n; j += 8) {
    if (load<u64>(flags + <usize>j) == 0) continue;
    for (let q = j; q < j + 8; q++) {
      if (load<u8>(flags + <usize>q) != 0) { store<i32>(out + (<usize>p << 2), q); p++; }
    }
  }
  for (; j < n; j++) {
    if (load<u8>(flags + <usize>j) != 0) { store<i32>(out + (<usize>p << 2), j); p++; }
  }
}

/**
 * Hard thresholding H_k: keeps the k entries of largest magnitude of x (n),
 * zeroes the rest; the kept indices go ascending to support (k i32).
 * Work: idx (n i32), flags (n bytes).
 */
export function hardThreshold(x: usize, n: i32, k: i32, support: usize, idx: usize, flags: usize): void {
  topK(x, n, k, support, idx, flags);
  if (k >= n) return;
  // flags marks the kept entries after topK
  for (let j = 0; j < n; j++) {
    if (load<u8>(flags + <usize>j) == 0) store<f64>(x + (<usize>j << 3), 0.0);
  }
}

// SoftSort for the JS backend: the oracle for assembly/softsort.ts, written
// independently (full sort instead of a partial heap sort; logits with an
// explicit row-maximum shift; the VJP through explicit logit gradients).

/** Indices of s sorted by value, largest first (ties: lower index first); the first k. */
export function sortDesc(s: Float64Array, k: number): Int32Array {
  const idx = Array.from({ length: s.length }, (_, i) => i);
  idx.sort((a, b) => (s[b] - s[a]) || (a - b));
  return Int32Array.from(idx.slice(0, k));
}

/** One SoftSort row: softmax_j(-|sigma - s_j| / tau). */
export function softRowJs(s: Float64Array, sigma: number, tau: number): Float64Array {
  const n = s.length;
  const a = new Float64Array(n);
  let amax = -Infinity;
  for (let j = 0; j < n; j++) {
    a[j] = -Math.abs(sigma - s[j]) / tau;
    if (a[j] > amax) amax = a[j];
  }
  let sum = 0;
  for (let j = 0; j < n; j++) {
    a[j] = Math.exp(a[j] - amax);
    sum += a[j];
  }
  for (let j = 0; j < n; j++) a[j] /= sum;
  return a;
}

/** The k rows of SoftSort(s, tau) and the hard order. */
export function softSortJs(s: Float64Array, tau: number, k: number): { rows: Float64Array[]; order: Int32Array } {
  const order = sortDesc(s, k);
  const rows = Array.from(order, (piv) => softRowJs(s, s[piv], tau));
  return { rows, order };
}

/**
 * Adds dL/ds through one row (source index piv, row p, row gradient g) to ds;
 * returns the row's dL/dtau. Logits a_j = -|s_piv - s_j| / tau.
 */
export function softRowVjpJs(s: Float64Array, piv: number, tau: number, p: Float64Array,
                             g: ArrayLike<number>, ds: Float64Array): number {
  const n = s.length;
  let pg = 0;
  for (let j = 0; j < n; j++) pg += p[j] * g[j];
  let dtau = 0;
  for (let j = 0; j < n; j++) {
    const da = p[j] * (g[j] - pg); // dL/da_j
    if (da === 0) continue;
    const diff = s[piv] - s[j];
    // da_j/ds_j = sign(diff)/tau, da_j/ds_piv = -sign(diff)/tau, da_j/dtau = |diff|/tau^2
    const sg = Math.sign(diff);
    ds[j] += (da * sg) / tau;
    ds[piv] -= (da * sg) / tau;
    dtau += (da * Math.abs(diff)) / (tau * tau);
  }
  return dtau;
}

/** VJP of softSortJs: G[i] = dL/d(row i). */
export function softSortVjpJs(s: Float64Array, tau: number, k: number, G: ArrayLike<number>[]): { ds: Float64Array; dtau: number } {
  const { rows, order } = softSortJs(s, tau, k);
  const ds = new Float64Array(s.length);
  let dtau = 0;
  for (let i = 0; i < k; i++) dtau += softRowVjpJs(s, order[i], tau, rows[i], G[i], ds);
  return { ds, dtau };
}

// Top-k selection by a bounded heap, O(n log k), for the JS twins of the
// support-exploring solvers (select.ts's topK sorts all n: fine once per
// solve, too slow once per SEA iteration). Ties: the lowest index wins.

/**
 * The k indices of largest |v_j| (ties: lowest index), ascending, written to
 * out (length >= k). heap: work array of length >= k.
 */
export function topKInto(v: Float64Array, k: number, out: Int32Array, heap: Int32Array): void {
  const n = v.length;
  if (k >= n) {
    for (let j = 0; j < n; j++) out[j] = j;
    return;
  }
  // heap[0] is the worst kept index: worse(a, b) = |v_a| < |v_b| or (equal and a > b)
  const worse = (a: number, b: number) => {
    const va = Math.abs(v[a]);
    const vb = Math.abs(v[b]);
    return va < vb || (va === vb && a > b);
  };
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= k) return;
      let w = l;
      if (l + 1 < k && worse(heap[l + 1], heap[l])) w = l + 1;
      if (!worse(heap[w], heap[i])) return;
      const tmp = heap[i];
      heap[i] = heap[w];
      heap[w] = tmp;
      i = w;
    }
  };
  for (let j = 0; j < k; j++) heap[j] = j;
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let j = k; j < n; j++) {
    if (worse(heap[0], j)) {
      heap[0] = j;
      siftDown(0);
    }
  }
  for (let i = 0; i < k; i++) out[i] = heap[i];
  out.subarray(0, k).sort();
}

// Selection by magnitude for the JS backend: ties go to the lowest index.

/** argmax_j |v_j| * scale_j over eligible j (skip[j] false); -1 if none. */
export function argmaxAbs(v: Float64Array, scale: Float64Array | null, skip: Uint8Array | null): number {
  let best = -1;
  let bestVal = -1;
  for (let j = 0; j < v.length; j++) {
    if (skip && skip[j]) continue;
    const a = Math.abs(v[j]) * (scale ? scale[j] : 1);
    if (a > bestVal) {
      bestVal = a;
      best = j;
    }
  }
  return best;
}

/** The k indices of largest |v_j| (ties: lowest index), ascending. By a full sort: simple and independent of the WASM quickselect. */
export function topK(v: Float64Array, k: number): Int32Array {
  const n = v.length;
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => {
    const d = Math.abs(v[b]) - Math.abs(v[a]);
    return d !== 0 ? d : a - b;
  });
  return Int32Array.from(idx.slice(0, k)).sort();
}

/** H_k(x): zeroes all but the k largest-magnitude entries, in place; returns the kept indices (ascending). */
export function hardThreshold(x: Float64Array, k: number): Int32Array {
  const keep = topK(x, k);
  const mark = new Uint8Array(x.length);
  for (const j of keep) mark[j] = 1;
  for (let j = 0; j < x.length; j++) if (!mark[j]) x[j] = 0;
  return keep;
}

/** The weights of argmaxAbs for OMP: 1 / ||a_j||, and skip = 1 for a zero column (never chosen). */
export function selectionWeights(norms: Float64Array): { invNorm: Float64Array; skip: Uint8Array } {
  const n = norms.length;
  const invNorm = new Float64Array(n);
  const skip = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    if (norms[j] > 0) invNorm[j] = 1 / norms[j];
    else skip[j] = 1;
  }
  return { invNorm, skip };
}

// The convolution operator y = h * x for a filter h of L taps and x of n
// samples, its adjoint (correlation with h), a column and the column norms.
// Modes (the facade's names):
//   MODE_FULL     (0) m = n + L - 1 rows: y_i = sum_t h_t x_(i - t);
//   MODE_SAME     (1) m = n rows, the full result from row off = floor((L - 1) / 2)
//                     on (centred, as numpy.convolve(x, h, 'same') and the
//                     `same` mode of gaussianConvolution);
//   MODE_CIRCULAR (2) m = n rows: y_i = sum_t h_t x_((i - t) mod n) (h folded
//                     modulo n when L > n).
// Two methods: direct sums (O(n L), f64x2 over pairs of outputs) or through
// the real FFT of length N (assembly/rfft.ts): N = n for circular, else the
// smallest even 2,3,5-smooth number >= n + L - 1; the plan holds H = FFT_N(h) / N.
//
// Plan layout (bytes, written once in `layout`): header, the taps (folded for
// circular) reversed, the taps, then (FFT method) H and the real-FFT plan.
// Work layout (`workLayout`): direct: one padded vector of n + 3 L values;
// FFT: N reals, H-sized spectrum, the real-FFT work.
import { rfft, irfft, rfftPlanBytes, rfftPlanInit, rfftWorkBytes } from "./rfft";
import { align16, cmulInPlace, nextSmooth } from "./fft";

export const MODE_FULL: i32 = 0;
export const MODE_SAME: i32 = 1;
export const MODE_CIRCULAR: i32 = 2;

/**
 * The direct sums are used for filters of at most this many taps (after
 * folding, for circular), the FFT above it. Where the value comes from:
 * `npm run bench:operators` times A x ('same') by both methods at n = 4096
 * and n = 65536 for L = 8 .. 256 (bench/operators-results.json; AMD EPYC,
 * shared machine). Direct / FFT in two runs: at L = 64, 0.91 and 0.54, then
 * 0.91 and 0.59; at L = 96, 1.30 and 0.76, then 0.89 and 0.90; at L = 128,
 * 1.79 and 1.38, then 1.42 and 1.17. Direct sums cost O(n L) and the FFT
 * O(N log N) whatever L, so the crossover grows slowly with n; 64 keeps the
 * direct method wherever it won in every run at both sizes.
 */
export const CONV_DIRECT_MAX_TAPS: i32 = 64;

// Header fields (i32, bytes from the plan start).
// @ts-ignore: decorator
@inline const H_N: usize = 0;
// @ts-ignore: decorator
@inline const H_L: usize = 4;     // taps stored (L, or min(L, n) for circular)
// @ts-ignore: decorator
@inline const H_MODE: usize = 8;
// @ts-ignore: decorator
@inline const H_M: usize = 12;
// @ts-ignore: decorator
@inline const H_NFFT: usize = 16; // N, or 0 for the direct method
// @ts-ignore: decorator
@inline const H_OFF: usize = 20;
// @ts-ignore: decorator
@inline const HEADER: usize = 32;

let oRev: usize = 0;
let oTaps: usize = 0;
let oSpec: usize = 0;
let oPlan: usize = 0;
let planEnd: usize = 0;
let wBuf: usize = 0;
let wSpec: usize = 0;
let wFft: usize = 0;
let workEnd: usize = 0;

/** Taps kept: L, or min(L, n) for circular. */
function tapsKept(n: i32, L: i32, mode: i32): i32 {
  return mode == MODE_CIRCULAR && L > n ? n : L;
}

/** Rows of the operator. */
export function convRows(n: i32, L: i32, mode: i32): i32 {
  return mode == MODE_FULL ? n + L - 1 : n;
}

/** The FFT length of the FFT method. */
export function convFftLength(n: i32, L: i32, mode: i32): i32 {
  if (mode == MODE_CIRCULAR) return n;
  let N = nextSmooth(n + L - 1);
  while (N & 1) N = nextSmooth(N + 1);
  return N;
}

/** 1 when the FFT method is the cheaper one for these sizes (see CONV_DIRECT_MAX_TAPS), else 0. */
export function convPrefersFft(n: i32, L: i32, mode: i32): i32 {
  return tapsKept(n, L, mode) > CONV_DIRECT_MAX_TAPS ? 1 : 0;
}

function layout(n: i32, L: i32, mode: i32, useFft: i32): void {
  const Lk = tapsKept(n, L, mode);
  oRev = HEADER;
  oTaps = align16(oRev + (<usize>Lk << 3));
  oSpec = align16(oTaps + (<usize>Lk << 3));
  if (useFft) {
    const N = convFftLength(n, L, mode);
    oPlan = align16(oSpec + (<usize>((N >> 1) + 1) << 4));
    planEnd = align16(oPlan + rfftPlanBytes(N));
  } else {
    oPlan = planEnd = oSpec;
  }
}

function workLayout(n: i32, L: i32, mode: i32, useFft: i32): void {
  wBuf = 0;
  if (useFft) {
    const N = convFftLength(n, L, mode);
    wSpec = align16(<usize>N << 3);
    wFft = align16(wSpec + (<usize>((N >> 1) + 1) << 4));
    workEnd = align16(wFft + rfftWorkBytes(N));
  } else {
    wSpec = wFft = workEnd = align16(<usize>(n + 3 * tapsKept(n, L, mode)) << 3);
  }
}

/** Bytes of the plan (useFft: 1 for the FFT method, 0 for direct sums). */
export function convPlanBytes(n: i32, L: i32, mode: i32, useFft: i32): usize {
  layout(n, L, mode, useFft);
  return planEnd;
}

/** Bytes of work for convApply / convAdjoint / convPlanInit. */
export function convWorkBytes(n: i32, L: i32, mode: i32, useFft: i32): usize {
  workLayout(n, L, mode, useFft);
  return workEnd;
}

/** Writes the plan for the L taps at h (n >= 1, L >= 1, mode MODE_*). */
export function convPlanInit(plan: usize, h: usize, L: i32, n: i32, mode: i32, useFft: i32, work: usize): void {
  layout(n, L, mode, useFft);
  const Lk = tapsKept(n, L, mode);
  const N = useFft ? convFftLength(n, L, mode) : 0;
  store<i32>(plan + H_N, n);
  store<i32>(plan + H_L, Lk);
  store<i32>(plan + H_MODE, mode);
  store<i32>(plan + H_M, convRows(n, L, mode));
  store<i32>(plan + H_NFFT, N);
  store<i32>(plan + H_OFF, mode == MODE_SAME ? (L - 1) >> 1 : 0);
  const taps = plan + oTaps, rev = plan + oRev;
  memory.fill(taps, 0, <usize>Lk << 3);
  for (let t = 0; t < L; t++) {
    const q = <usize>(t % Lk) << 3;
    store<f64>(taps + q, load<f64>(taps + q) + load<f64>(h + (<usize>t << 3)));
  }
  for (let t = 0; t < Lk; t++) store<f64>(rev + (<usize>t << 3), load<f64>(taps + (<usize>(Lk - 1 - t) << 3)));
  if (useFft) {
    workLayout(n, L, mode, useFft);
    const buf = work + wBuf;
    const fplan = plan + oPlan;
    rfftPlanInit(N, fplan, work + wFft);
    memory.fill(buf, 0, <usize>N << 3);
    const inv = 1.0 / <f64>N;
    for (let t = 0; t < Lk; t++) store<f64>(buf + (<usize>t << 3), inv * load<f64>(taps + (<usize>t << 3)));
    rfft(fplan, buf, plan + oSpec, work + wFft);
  }
}

/** out_i = sum_(t < L) g_t p_(i + t) for i < count (a correlation over a padded vector). */
function correlate(p: usize, g: usize, L: i32, out: usize, count: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= count; i += 8) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      let q = p + (<usize>i << 3);
      for (let t = 0; t < L; t++) {
        const gt = v128.load64_splat(g + (<usize>t << 3));
        a0 = f64x2.add(a0, f64x2.mul(gt, v128.load(q)));
        a1 = f64x2.add(a1, f64x2.mul(gt, v128.load(q, 16)));
        a2 = f64x2.add(a2, f64x2.mul(gt, v128.load(q, 32)));
        a3 = f64x2.add(a3, f64x2.mul(gt, v128.load(q, 48)));
        q += 8;
      }
      const o = out + (<usize>i << 3);
      v128.store(o, a0);
      v128.store(o, a1, 16);
      v128.store(o, a2, 32);
      v128.store(o, a3, 48);
    }
  }
  for (; i < count; i++) {
    let s = 0.0;
    const q = p + (<usize>i << 3);
    for (let t = 0; t < L; t++) s += load<f64>(g + (<usize>t << 3)) * load<f64>(q + (<usize>t << 3));
    store<f64>(out + (<usize>i << 3), s);
  }
}

/** Through the FFT: out = (src placed at `at` in N zeros) conv/corr h, read from `from`. */
function viaFft(plan: usize, src: usize, len: i32, at: i32, out: usize, count: i32, from: i32, adjoint: bool, work: usize): void {
  const n = load<i32>(plan + H_N), Lk = load<i32>(plan + H_L), mode = load<i32>(plan + H_MODE);
  const N = load<i32>(plan + H_NFFT);
  layout(n, Lk, mode, 1);
  workLayout(n, Lk, mode, 1);
  const buf = work + wBuf, spec = work + wSpec, fw = work + wFft;
  memory.fill(buf, 0, <usize>N << 3);
  memory.copy(buf + (<usize>at << 3), src, <usize>len << 3);
  rfft(plan + oPlan, buf, spec, fw);
  cmulInPlace(spec, plan + oSpec, (N >> 1) + 1, adjoint);
  irfft(plan + oPlan, spec, buf, fw);
  memory.copy(out, buf + (<usize>from << 3), <usize>count << 3);
}

/** y (m values) = A x (n values). Returns 0. */
export function convApply(plan: usize, x: usize, y: usize, work: usize): i32 {
  const n = load<i32>(plan + H_N), Lk = load<i32>(plan + H_L), mode = load<i32>(plan + H_MODE);
  const m = load<i32>(plan + H_M), N = load<i32>(plan + H_NFFT), off = load<i32>(plan + H_OFF);
  if (N > 0) {
    viaFft(plan, x, n, 0, y, m, off, false, work);
    return 0;
  }
  layout(n, Lk, mode, 0);
  const p = work;
  if (mode == MODE_CIRCULAR) {
    // p = x[n-Lk+1 .. n-1], x: y_i = sum_u rev_u p_(i + u)
    for (let q = 0; q < Lk - 1; q++) store<f64>(p + (<usize>q << 3), load<f64>(x + (<usize>(n - Lk + 1 + q) << 3)));
    memory.copy(p + (<usize>(Lk - 1) << 3), x, <usize>n << 3);
    correlate(p, plan + oRev, Lk, y, m);
  } else {
    // p = (L - 1 zeros, x, L - 1 zeros): y_i = sum_u rev_u p_(i + off + u)
    memory.fill(p, 0, <usize>(n + 2 * Lk) << 3);
    memory.copy(p + (<usize>(Lk - 1) << 3), x, <usize>n << 3);
    correlate(p + (<usize>off << 3), plan + oRev, Lk, y, m);
  }
  return 0;
}

/** z (n values) = A^T r (m values). Returns 0. */
export function convAdjoint(plan: usize, r: usize, z: usize, work: usize): i32 {
  const n = load<i32>(plan + H_N), Lk = load<i32>(plan + H_L), mode = load<i32>(plan + H_MODE);
  const m = load<i32>(plan + H_M), N = load<i32>(plan + H_NFFT), off = load<i32>(plan + H_OFF);
  if (N > 0) {
    viaFft(plan, r, m, off, z, n, 0, true, work);
    return 0;
  }
  layout(n, Lk, mode, 0);
  const p = work;
  if (mode == MODE_CIRCULAR) {
    // p = r, r[0 .. Lk-2]: z_j = sum_t h_t p_(j + t)
    memory.copy(p, r, <usize>n << 3);
    memory.copy(p + (<usize>n << 3), r, <usize>(Lk - 1) << 3);
    correlate(p, plan + oTaps, Lk, z, n);
  } else {
    // p = (L - 1 zeros, r, L - 1 zeros): z_j = sum_t h_t p_(j + t - off + L - 1)
    memory.fill(p, 0, <usize>(m + 2 * Lk) << 3);
    memory.copy(p + (<usize>(Lk - 1) << 3), r, <usize>m << 3);
    correlate(p + (<usize>(Lk - 1 - off) << 3), plan + oTaps, Lk, z, n);
  }
  return 0;
}

/** Column j of A into out (m values). Returns 0. */
export function convColumn(plan: usize, j: i32, out: usize): i32 {
  const n = load<i32>(plan + H_N), Lk = load<i32>(plan + H_L), mode = load<i32>(plan + H_MODE);
  const m = load<i32>(plan + H_M), off = load<i32>(plan + H_OFF);
  layout(n, Lk, mode, 0);
  const taps = plan + oTaps;
  memory.fill(out, 0, <usize>m << 3);
  for (let t = 0; t < Lk; t++) {
    let i = j + t - off;
    if (mode == MODE_CIRCULAR) i = i % n;
    if (i >= 0 && i < m) store<f64>(out + (<usize>i << 3), load<f64>(taps + (<usize>t << 3)));
  }
  return 0;
}

/** The n column norms of A. Returns 0. */
export function convColNorms(plan: usize, norms: usize): i32 {
  const n = load<i32>(plan + H_N), Lk = load<i32>(plan + H_L), mode = load<i32>(plan + H_MODE);
  const m = load<i32>(plan + H_M), off = load<i32>(plan + H_OFF);
  layout(n, Lk, mode, 0);
  const taps = plan + oTaps;
  let all = 0.0;
  for (let t = 0; t < Lk; t++) all += load<f64>(taps + (<usize>t << 3)) * load<f64>(taps + (<usize>t << 3));
  const full = Math.sqrt(all);
  for (let j = 0; j < n; j++) {
    // taps t with 0 <= j + t - off < m
    const lo = mode == MODE_CIRCULAR ? 0 : max(0, off - j);
    const hi = mode == MODE_CIRCULAR ? Lk : min(Lk, m + off - j);
    if (lo == 0 && hi == Lk) {
      store<f64>(norms + (<usize>j << 3), full);
      continue;
    }
    let s = 0.0;
    for (let t = lo; t < hi; t++) s += load<f64>(taps + (<usize>t << 3)) * load<f64>(taps + (<usize>t << 3));
    store<f64>(norms + (<usize>j << 3), Math.sqrt(s));
  }
  return 0;
}

/**
 * Inner products of column j with the columns of a set: out[i] =
 * a_(set[i])^T a_j (i < cnt); returns a_j^T a_j. Column j holds the taps at
 * rows j + t - off (modulo n for circular), so two columns overlap only when
 * their atoms are less than L apart: O(cnt + L per overlapping pair), no
 * application of A.
 */
export function convGramOn(plan: usize, j: i32, set: usize, cnt: i32, out: usize): f64 {
  const n = load<i32>(plan + H_N), Lk = load<i32>(plan + H_L), mode = load<i32>(plan + H_MODE);
  const m = load<i32>(plan + H_M), off = load<i32>(plan + H_OFF);
  layout(n, Lk, mode, 0);
  const taps = plan + oTaps;
  const circ = mode == MODE_CIRCULAR;
  // taps t of column j that land on a row (all of them for circular)
  const jlo = circ ? 0 : max(0, off - j);
  const jhi = circ ? Lk : min(Lk, m + off - j);
  let diag = 0.0;
  for (let t = jlo; t < jhi; t++) diag += load<f64>(taps + (<usize>t << 3)) * load<f64>(taps + (<usize>t << 3));
  for (let i = 0; i < cnt; i++) {
    const a = load<i32>(set + (<usize>i << 2));
    let s = 0.0;
    if (circ) {
      // tap t of column j meets tap u = (t + j - a) mod n of column a
      let d = (j - a) % n;
      if (d < 0) d += n;
      if (d < Lk || d > n - Lk) {
        for (let t = 0; t < Lk; t++) {
          let u = t + d;
          if (u >= n) u -= n;
          if (u < Lk) s += load<f64>(taps + (<usize>t << 3)) * load<f64>(taps + (<usize>u << 3));
        }
      }
    } else {
      // tap t of column j meets tap t + d of column a, d = j - a
      const d = j - a;
      if (d > -Lk && d < Lk) {
        const lo = max(jlo, -d), hi = min(jhi, Lk - d);
        for (let t = lo; t < hi; t++) s += load<f64>(taps + (<usize>t << 3)) * load<f64>(taps + (<usize>(t + d) << 3));
      }
    }
    store<f64>(out + (<usize>i << 3), s);
  }
  return diag;
}

/**
 * r -= alpha a_j (r: m values), touching only the rows of column j: O(L).
 */
export function convSubColumn(plan: usize, j: i32, alpha: f64, r: usize): void {
  const n = load<i32>(plan + H_N), Lk = load<i32>(plan + H_L), mode = load<i32>(plan + H_MODE);
  const m = load<i32>(plan + H_M), off = load<i32>(plan + H_OFF);
  layout(n, Lk, mode, 0);
  const taps = plan + oTaps;
  if (mode == MODE_CIRCULAR) {
    for (let t = 0; t < Lk; t++) {
      let i = j + t;
      if (i >= n) i -= n;
      const o = <usize>i << 3;
      store<f64>(r + o, load<f64>(r + o) - alpha * load<f64>(taps + (<usize>t << 3)));
    }
    return;
  }
  const lo = max(0, off - j), hi = min(Lk, m + off - j);
  for (let t = lo; t < hi; t++) {
    const o = <usize>(j + t - off) << 3;
    store<f64>(r + o, load<f64>(r + o) - alpha * load<f64>(taps + (<usize>t << 3)));
  }
}

/** Taps kept by the plan (for cost estimates). */
export function convTaps(plan: usize): i32 {
  return load<i32>(plan + H_L);
}

// The complex FFT of any length n >= 1, on interleaved complex f64 data
// (re, im; 16 bytes a value), in place.
//
// - Lengths whose prime factors are 2, 3 and 5: mixed-radix passes of factors
//   8, 4, 2, 3, 5 (assembly/fftpass.ts; the factors chosen by `radixOf`),
//   ping-ponging between the data and a work buffer of n values. With an odd
//   number of passes the first one (which reads exactly what it writes) runs
//   in place, so the result always ends in the data without a copy.
// - Any other length: Bluestein's chirp-z algorithm, a circular convolution of
//   length M (the smallest 2,3,5-smooth number >= 2n - 1) done by the
//   mixed-radix FFT of length M, whose plan is nested in this one.
//
// The plan (twiddles, factors, Bluestein chirp and its transform) is computed
// once per size by fftPlanInit into a caller-provided block of
// fftPlanBytes(n) bytes; fftWorkBytes(n) bytes of work are needed per call.
// Neither the plan nor the transform allocates. The plan layout is written
// once, in `layout`, and used both to size and to carve.
//
// Direction: fft(plan, x, work, +1) is X_k = sum_j x_j exp(-2 pi i jk/n)
// (numpy's sign), fft(.., -1) the same with exp(+...), unscaled.
import { radixPass } from "./fftpass";

// Plan header (bytes from the plan start): i32 fields, then the factors.
// @ts-ignore: decorator
@inline const H_N: usize = 0;        // length n
// @ts-ignore: decorator
@inline const H_KIND: usize = 4;     // KIND_*
// @ts-ignore: decorator
@inline const H_NFACT: usize = 8;    // number of radix passes
// @ts-ignore: decorator
@inline const H_M: usize = 12;       // Bluestein length M (0 otherwise)
// @ts-ignore: decorator
@inline const H_FACT: usize = 16;    // factors, i32 each
/** Most radix passes a plan holds: n < 2^31 has at most 30 factors of 2, 3, 4, 5, 8. */
// @ts-ignore: decorator
@inline const MAX_FACT: i32 = 30;
/** Header bytes: the fields and MAX_FACT factors, rounded up to 16. */
// @ts-ignore: decorator
@inline const HEADER: usize = 144;

/**
 * Cache set aliasing: a pass reads p values at a power-of-two stride and
 * writes p at another, and with the data and the work buffer at the same
 * address modulo the L1 set span (4 KiB: 48 KiB / 12 ways on the Xeon the FFT
 * was tuned on, 32 KiB / 8 ways on older x86 cores) all 2p streams land in one
 * set, more than its ways: every line is evicted before the next butterfly
 * reuses it (2^18 ran 4x slower than 2^17). The radix passes therefore use
 * the work buffer from an offset that puts it half a span away from the data
 * (which also separates the two in the wider L2 sets); fftWorkBytes includes
 * the slack.
 */
// @ts-ignore: decorator
@inline const ALIAS_SPAN: usize = 4096;

// @ts-ignore: decorator
@inline const KIND_TRIVIAL: i32 = 0;   // n = 1
// @ts-ignore: decorator
@inline const KIND_RADIX: i32 = 1;     // 2,3,5-smooth
// @ts-ignore: decorator
@inline const KIND_BLUESTEIN: i32 = 2; // anything else

// Offsets computed by `layout` (bytes from the plan start).
let oTw: usize = 0;     // radix twiddles (cos, sin pairs)
let oChirp: usize = 0;  // Bluestein chirp exp(-i pi k^2 / n), k < n
let oB: usize = 0;      // FFT_M of the conjugate chirp, scaled by 1/M
let oSub: usize = 0;    // nested radix plan of length M
let planEnd: usize = 0;

/** p rounded up to a multiple of 16 (every plan and work piece is 16-aligned). */
// @ts-ignore: decorator
@inline export function align16(p: usize): usize {
  return (p + 15) & ~(<usize>15);
}

/** True when n's only prime factors are 2, 3 and 5. */
export function isSmooth(n: i32): bool {
  if (n < 1) return false;
  while (n % 2 == 0) n /= 2;
  while (n % 3 == 0) n /= 3;
  while (n % 5 == 0) n /= 5;
  return n == 1;
}

/** The smallest 2,3,5-smooth number >= n (n >= 1). */
export function nextSmooth(n: i32): i32 {
  let m = n;
  while (!isSmooth(m)) m++;
  return m;
}

/**
 * The next radix pass factor of what is left (r > 1, 2,3,5-smooth). The
 * power of two 2^t goes in as few passes as possible, preferring 8 and 4 to 2
 * (a radix-8 pass does 3 levels with one read and write of the data, a
 * radix-4 pass 2): 8s when 3 | t, one 4 first when t = 2 mod 3, two 4s when
 * t = 1 mod 3 (t >= 4), a single 2 only for t = 1. Then 3s, then 5s.
 */
function radixOf(r: i32): i32 {
  const t = ctz(r);
  if (t > 0) {
    const m = t % 3;
    return m == 0 ? 8 : m == 2 || t >= 4 ? 4 : 2;
  }
  return r % 3 == 0 ? 3 : 5;
}

/** Twiddle count (complex values) of the radix passes of a smooth n. */
function radixTwiddles(n: i32): usize {
  let count: usize = 0;
  let l1 = 1;
  let r = n;
  while (r > 1) {
    const p = radixOf(r);
    r /= p;
    const ido = n / (l1 * p);
    count += <usize>(p - 1) * <usize>(ido - 1);
    l1 *= p;
  }
  return count;
}

/** Lays the plan of length n out from offset 0; sets the o* offsets and planEnd. */
function layout(n: i32): void {
  oTw = HEADER;
  if (n > 1 && isSmooth(n)) {
    planEnd = align16(oTw + (radixTwiddles(n) << 4));
    oChirp = oB = oSub = planEnd;
  } else if (n > 1) {
    const m = nextSmooth(2 * n - 1);
    oChirp = oTw;
    oB = align16(oChirp + (<usize>n << 4));
    oSub = align16(oB + (<usize>m << 4));
    planEnd = align16(oSub + HEADER + (radixTwiddles(m) << 4));
  } else {
    planEnd = oChirp = oB = oSub = HEADER;
  }
}

/** Bytes of the plan of length n (see fftPlanInit). */
export function fftPlanBytes(n: i32): usize {
  layout(n);
  return planEnd;
}

/** Bytes of work one transform of length n needs. */
export function fftWorkBytes(n: i32): usize {
  if (n <= 1) return 16;
  if (isSmooth(n)) return (<usize>n << 4) + ALIAS_SPAN;
  // the padded sequence and the nested work (with its slack)
  return (<usize>nextSmooth(2 * n - 1) << 5) + ALIAS_SPAN;
}

/** exp(-2 pi i q / n) as (cos, sin of +2 pi q / n) stored at p; q reduced to [0, n) by the caller. */
function storeUnit(p: usize, q: u64, n: u64): void {
  const a = (2.0 * Math.PI * <f64>q) / <f64>n;
  store<f64>(p, Math.cos(a));
  store<f64>(p, Math.sin(a), 8);
}

/** Writes the radix plan of a smooth n at plan (header and twiddles). */
function initRadix(n: i32, plan: usize): void {
  store<i32>(plan + H_N, n);
  store<i32>(plan + H_KIND, KIND_RADIX);
  store<i32>(plan + H_M, 0);
  let nf = 0;
  let r = n;
  while (r > 1) {
    const p = radixOf(r);
    r /= p;
    store<i32>(plan + H_FACT + (<usize>nf << 2), p);
    nf++;
  }
  store<i32>(plan + H_NFACT, nf);
  let w = plan + HEADER;
  let l1 = 1;
  for (let f = 0; f < nf; f++) {
    const p = load<i32>(plan + H_FACT + (<usize>f << 2));
    const ido = n / (l1 * p);
    for (let j = 1; j < p; j++) {
      for (let i = 1; i < ido; i++) {
        storeUnit(w, (<u64>j * <u64>l1 * <u64>i) % <u64>n, <u64>n);
        w += 16;
      }
    }
    l1 *= p;
  }
}

/**
 * Computes the plan of length n (1 <= n < 2^27) into `plan`
 * (fftPlanBytes(n) bytes, 16-aligned). Bluestein lengths run one transform
 * of length M here (the chirp's), in `work` (fftWorkBytes(n) bytes).
 */
export function fftPlanInit(n: i32, plan: usize, work: usize): void {
  layout(n);
  if (n == 1) {
    store<i32>(plan + H_N, 1);
    store<i32>(plan + H_KIND, KIND_TRIVIAL);
    store<i32>(plan + H_NFACT, 0);
    store<i32>(plan + H_M, 0);
    return;
  }
  if (isSmooth(n)) {
    initRadix(n, plan);
    return;
  }
  const chirp = plan + oChirp, bf = plan + oB, sub = plan + oSub;
  const m = nextSmooth(2 * n - 1);
  store<i32>(plan + H_N, n);
  store<i32>(plan + H_KIND, KIND_BLUESTEIN);
  store<i32>(plan + H_NFACT, 0);
  store<i32>(plan + H_M, m);
  // chirp w_k = exp(-i pi k^2 / n): k^2 reduced mod 2n in integers
  const n2 = <u64>(2 * n);
  for (let k = 0; k < n; k++) {
    const q = (<u64>k * <u64>k) % n2;
    const a = (Math.PI * <f64>q) / <f64>n;
    store<f64>(chirp + (<usize>k << 4), Math.cos(a));
    store<f64>(chirp + (<usize>k << 4), -Math.sin(a), 8);
  }
  initRadix(m, sub);
  // b_k = conj(w_k) / M for |k| < n, circularly, then its transform
  memory.fill(bf, 0, <usize>m << 4);
  const inv = 1.0 / <f64>m;
  for (let k = 0; k < n; k++) {
    const re = load<f64>(chirp + (<usize>k << 4)) * inv;
    const im = -load<f64>(chirp + (<usize>k << 4), 8) * inv;
    store<f64>(bf + (<usize>k << 4), re);
    store<f64>(bf + (<usize>k << 4), im, 8);
    if (k > 0) {
      store<f64>(bf + (<usize>(m - k) << 4), re);
      store<f64>(bf + (<usize>(m - k) << 4), im, 8);
    }
  }
  radixRun(sub, bf, work, 1.0);
}

/** The radix passes of a smooth plan on x (in place), with `work` of n values and ALIAS_SPAN bytes of slack. */
function radixRun(plan: usize, x: usize, work: usize, d: f64): void {
  const n = load<i32>(plan + H_N);
  const nf = load<i32>(plan + H_NFACT);
  work += ((ALIAS_SPAN >> 1) - (work - x)) & (ALIAS_SPAN - 1); // work - x = ALIAS_SPAN / 2 mod ALIAS_SPAN
  // odd pass count: the first pass (l1 = 1) in place, then an even number of swaps
  let cc = x, ch = nf & 1 ? x : work;
  let wa = plan + HEADER;
  let l1 = 1;
  for (let f = 0; f < nf; f++) {
    const p = load<i32>(plan + H_FACT + (<usize>f << 2));
    const ido = n / (l1 * p);
    radixPass(p, ido, l1, cc, ch, wa, d);
    wa += <usize>(p - 1) * <usize>(ido - 1) << 4;
    cc = ch;
    ch = cc == x ? work : x;
    l1 *= p;
  }
}

/** Bluestein: X = w . IFFT_M(FFT_M(pad(w . x)) . B), conjugated around for the inverse. */
function bluesteinRun(plan: usize, x: usize, work: usize, d: f64): void {
  const n = load<i32>(plan + H_N);
  const m = load<i32>(plan + H_M);
  layout(n);
  const chirp = plan + oChirp, bf = plan + oB, sub = plan + oSub;
  const a = work, subWork = work + (<usize>m << 4);
  const cj = d; // +1: x as is; -1: conj(x) in, conj out (inverse = conj . forward . conj)
  for (let k = 0; k < n; k++) {
    const o = <usize>k << 4;
    const xr = load<f64>(x + o), xi = cj * load<f64>(x + o, 8);
    const wr = load<f64>(chirp + o), wi = load<f64>(chirp + o, 8);
    store<f64>(a + o, xr * wr - xi * wi);
    store<f64>(a + o, xr * wi + xi * wr, 8);
  }
  memory.fill(a + (<usize>n << 4), 0, <usize>(m - n) << 4);
  radixRun(sub, a, subWork, 1.0);
  cmulInPlace(a, bf, m, false);
  radixRun(sub, a, subWork, -1.0);
  for (let k = 0; k < n; k++) {
    const o = <usize>k << 4;
    const ar = load<f64>(a + o), ai = load<f64>(a + o, 8);
    const wr = load<f64>(chirp + o), wi = load<f64>(chirp + o, 8);
    store<f64>(x + o, ar * wr - ai * wi);
    store<f64>(x + o, cj * (ar * wi + ai * wr), 8);
  }
}

/** a[k] *= b[k] (or conj(b[k]) when conjB) for k < n complex values. */
export function cmulInPlace(a: usize, b: usize, n: i32, conjB: bool): void {
  const sb: f64 = conjB ? -1.0 : 1.0;
  if (ASC_FEATURE_SIMD) {
    const sgn = f64x2(-sb, sb);
    for (let k = 0; k < n; k++) {
      const o = <usize>k << 4;
      const x = v128.load(a + o);
      const xs = f64x2.shuffle(x, x, 1, 0);
      const br = v128.load64_splat(b + o), bi = v128.load64_splat(b + o, 8);
      v128.store(a + o, f64x2.add(f64x2.mul(x, br), f64x2.mul(f64x2.mul(xs, bi), sgn)));
    }
  } else {
    for (let k = 0; k < n; k++) {
      const o = <usize>k << 4;
      const xr = load<f64>(a + o), xi = load<f64>(a + o, 8);
      const br = load<f64>(b + o), bi = sb * load<f64>(b + o, 8);
      store<f64>(a + o, xr * br - xi * bi);
      store<f64>(a + o, xr * bi + xi * br, 8);
    }
  }
}

/**
 * The FFT of the n complex values at x, in place: sign +1 forward
 * (exp(-2 pi i jk / n)), -1 inverse (exp(+...), unscaled). `work`:
 * fftWorkBytes(n) bytes. Returns 0.
 */
export function fft(plan: usize, x: usize, work: usize, sign: i32): i32 {
  const kind = load<i32>(plan + H_KIND);
  const d: f64 = sign >= 0 ? 1.0 : -1.0;
  if (kind == KIND_RADIX) radixRun(plan, x, work, d);
  else if (kind == KIND_BLUESTEIN) bluesteinRun(plan, x, work, d);
  return 0;
}

/** Length of the plan at `plan`. */
export function fftPlanLength(plan: usize): i32 {
  return load<i32>(plan + H_N);
}

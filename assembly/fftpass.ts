// The radix passes of the complex FFT (assembly/fft.ts): one decimation step
// of factor 2, 3, 4, 5 or 8 over interleaved complex data (re, im as two f64; one
// complex value is one f64x2 lane pair).
//
// Index convention of a pass with factor p, `l1` blocks already done and
// `ido` = n / (p l1) points left in each (the pass structure of FFTPACK and
// pocketfft): the input is read as CC(i, j, k) = cc[i + ido (j + p k)] and the
// output written as CH(i, k, j) = ch[i + ido (k + l1 j)], for i < ido, j < p,
// k < l1. Each butterfly is a length-p DFT over j; output j > 0 is then
// multiplied by the twiddle WA(j - 1, i) = exp(-d 2 pi i j l1 i / n) stored in
// the plan as (cos, sin) at wa + 16 ((i - 1) + (j - 1)(ido - 1)).
//
// Direction: d = +1 forward (exp(-2 pi i jk/n)), d = -1 inverse (unscaled).
// The SIMD path keeps a complex value in one v128. Multiplying by D = [d, -d]
// is a sign flip, done as an xor with the mask M = sign bits of D (an integer
// op, off the floating-point ports): -d i z = swap(z) ^ M, and
// z * conj^d(w) = z * wr + (swap(z) * wi) ^ M.
// The scalar path (builds without SIMD) does each butterfly as a direct
// length-p DFT from a small table; it is a correct fallback, not a fast one.

// cos and sin of 2 pi r / p for p = 2, 3, 4, 5, 8, r < p (scalar path; offsets in passScalar).
const TRIG: usize = memory.data<f64>([
  // p = 2: cos, then sin
  1.0, -1.0,
  0.0, 0.0,
  // p = 3
  1.0, -0.5, -0.5,
  0.0, 0.86602540378443864676, -0.86602540378443864676,
  // p = 4
  1.0, 0.0, -1.0, 0.0,
  0.0, 1.0, 0.0, -1.0,
  // p = 5
  1.0, 0.30901699437494742410, -0.80901699437494742410, -0.80901699437494742410, 0.30901699437494742410,
  0.0, 0.95105651629515357212, 0.58778525229247312917, -0.58778525229247312917, -0.95105651629515357212,
  // p = 8
  1.0, 0.70710678118654752440, 0.0, -0.70710678118654752440, -1.0, -0.70710678118654752440, 0.0, 0.70710678118654752440,
  0.0, 0.70710678118654752440, 1.0, 0.70710678118654752440, 0.0, -0.70710678118654752440, -1.0, -0.70710678118654752440,
]);

// Scratch for the p inputs of one scalar butterfly (up to 8 complex values).
const BFLY: usize = memory.data(16 * 8, 16);

// sin(2 pi / 3), cos / sin of 2 pi / 5 and 4 pi / 5, to 20 digits.
// @ts-ignore: decorator
@inline const S3: f64 = 0.86602540378443864676;
// @ts-ignore: decorator
@inline const C51: f64 = 0.30901699437494742410;
// @ts-ignore: decorator
@inline const C52: f64 = -0.80901699437494742410;
// @ts-ignore: decorator
@inline const S51: f64 = 0.95105651629515357212;
// @ts-ignore: decorator
@inline const S52: f64 = 0.58778525229247312917;
// 1 / sqrt(2) = cos(pi / 4), to 20 digits (radix 8).
// @ts-ignore: decorator
@inline const H8: f64 = 0.70710678118654752440;

// @ts-ignore: decorator
@inline function swap(a: v128): v128 {
  return f64x2.shuffle(a, a, 1, 0);
}

/** -d i a: swap(a) with the sign flips of D = [d, -d] (M its sign bits). */
// @ts-ignore: decorator
@inline function rot(a: v128, M: v128): v128 {
  return v128.xor(swap(a), M);
}

/** a times the twiddle at w (stored cos, sin), conjugated when forward: a wr + (swap(a) wi) ^ M. */
// @ts-ignore: decorator
@inline function twiddle(a: v128, w: usize, M: v128): v128 {
  return f64x2.add(f64x2.mul(a, v128.load64_splat(w)), v128.xor(f64x2.mul(swap(a), v128.load64_splat(w, 8)), M));
}

/**
 * One pass of factor p (2, 3, 4, 5 or 8) from cc to ch; d = +1 forward, -1
 * inverse. With l1 = 1 every butterfly reads exactly the values it writes, so
 * that pass may run in place (cc == ch).
 */
export function radixPass(p: i32, ido: i32, l1: i32, cc: usize, ch: usize, wa: usize, d: f64): void {
  if (ASC_FEATURE_SIMD) {
    const M = f64x2(d > 0 ? 0.0 : -0.0, d > 0 ? -0.0 : 0.0); // M: the sign bits of [d, -d]
    if (p == 8) pass8(ido, l1, cc, ch, wa, M);
    else if (p == 4) pass4(ido, l1, cc, ch, wa, M);
    else if (p == 2) pass2(ido, l1, cc, ch, wa, M);
    else if (p == 3) pass3(ido, l1, cc, ch, wa, M);
    else pass5(ido, l1, cc, ch, wa, M);
  } else {
    passScalar(p, ido, l1, cc, ch, wa, d);
  }
}

function pass2(ido: i32, l1: i32, cc: usize, ch: usize, wa: usize, M: v128): void {
  const s = <usize>ido << 4;       // byte stride of j in CC, and of k in CH
  const sj = s * <usize>l1;       // byte stride of j in CH
  for (let k = 0; k < l1; k++) {
    const a = cc + <usize>(2 * k) * s;
    const b = ch + <usize>k * s;
    const a0 = v128.load(a), a1 = v128.load(a + s);
    v128.store(b, f64x2.add(a0, a1));
    v128.store(b + sj, f64x2.sub(a0, a1));
    for (let i = 1; i < ido; i++) {
      const o = <usize>i << 4;
      const w = wa + (<usize>(i - 1) << 4);
      const x0 = v128.load(a + o), x1 = v128.load(a + s + o);
      v128.store(b + o, f64x2.add(x0, x1));
      v128.store(b + sj + o, twiddle(f64x2.sub(x0, x1), w, M));
    }
  }
}

function pass3(ido: i32, l1: i32, cc: usize, ch: usize, wa: usize, M: v128): void {
  const s = <usize>ido << 4;
  const sj = s * <usize>l1;
  const tw = <usize>(ido - 1) << 4;
  const half = f64x2.splat(0.5);
  const s3 = f64x2.splat(S3);
  for (let k = 0; k < l1; k++) {
    const a = cc + <usize>(3 * k) * s;
    const b = ch + <usize>k * s;
    for (let i = 0; i < ido; i++) {
      const o = <usize>i << 4;
      const x0 = v128.load(a + o), x1 = v128.load(a + s + o), x2 = v128.load(a + 2 * s + o);
      const t1 = f64x2.add(x1, x2);
      const t2 = f64x2.sub(x1, x2);
      const ca = f64x2.sub(x0, f64x2.mul(half, t1));
      const cb = rot(f64x2.mul(s3, t2), M);
      v128.store(b + o, f64x2.add(x0, t1));
      let y1 = f64x2.add(ca, cb), y2 = f64x2.sub(ca, cb);
      if (i > 0) {
        const w = wa + (<usize>(i - 1) << 4);
        y1 = twiddle(y1, w, M);
        y2 = twiddle(y2, w + tw, M);
      }
      v128.store(b + sj + o, y1);
      v128.store(b + 2 * sj + o, y2);
    }
  }
}

/**
 * The length-8 DFT of x0..x7 (sign d; M as in rot), as 2 x 4: a_j = x_j + x_{j+4}
 * and b_j = (x_j - x_{j+4}) w8^j give the even outputs DFT4(a) and the odd
 * ones DFT4(b), w8 = exp(-d 2 pi i / 8) = (1 - d i) / sqrt 2.
 * Stores output q times the twiddle (q - 1) at b + q sj + o (q > 0) when tw, plain otherwise.
 */
// @ts-ignore: decorator
@inline function bfly8(x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, x6: v128, x7: v128,
  b: usize, sj: usize, w: usize, tw: usize, M: v128, withTw: bool): void {
  const h = f64x2.splat(H8);
  const a0 = f64x2.add(x0, x4), a1 = f64x2.add(x1, x5), a2 = f64x2.add(x2, x6), a3 = f64x2.add(x3, x7);
  const c0 = f64x2.sub(x0, x4), d1 = f64x2.sub(x1, x5), d2 = f64x2.sub(x2, x6), d3 = f64x2.sub(x3, x7);
  const c1 = f64x2.mul(h, f64x2.add(d1, rot(d1, M)));
  const c2 = rot(d2, M);
  const c3 = f64x2.mul(h, f64x2.sub(rot(d3, M), d3));
  // even outputs 0, 2, 4, 6
  {
    const t1 = f64x2.add(a0, a2), t2 = f64x2.sub(a0, a2);
    const t3 = f64x2.add(a1, a3), t4 = rot(f64x2.sub(a1, a3), M);
    v128.store(b, f64x2.add(t1, t3));
    let y2 = f64x2.add(t2, t4), y4 = f64x2.sub(t1, t3), y6 = f64x2.sub(t2, t4);
    if (withTw) {
      y2 = twiddle(y2, w + tw, M);
      y4 = twiddle(y4, w + 3 * tw, M);
      y6 = twiddle(y6, w + 5 * tw, M);
    }
    v128.store(b + 2 * sj, y2);
    v128.store(b + 4 * sj, y4);
    v128.store(b + 6 * sj, y6);
  }
  // odd outputs 1, 3, 5, 7
  {
    const t1 = f64x2.add(c0, c2), t2 = f64x2.sub(c0, c2);
    const t3 = f64x2.add(c1, c3), t4 = rot(f64x2.sub(c1, c3), M);
    let y1 = f64x2.add(t1, t3), y3 = f64x2.add(t2, t4), y5 = f64x2.sub(t1, t3), y7 = f64x2.sub(t2, t4);
    if (withTw) {
      y1 = twiddle(y1, w, M);
      y3 = twiddle(y3, w + 2 * tw, M);
      y5 = twiddle(y5, w + 4 * tw, M);
      y7 = twiddle(y7, w + 6 * tw, M);
    }
    v128.store(b + sj, y1);
    v128.store(b + 3 * sj, y3);
    v128.store(b + 5 * sj, y5);
    v128.store(b + 7 * sj, y7);
  }
}

function pass8(ido: i32, l1: i32, cc: usize, ch: usize, wa: usize, M: v128): void {
  const s = <usize>ido << 4;
  const sj = s * <usize>l1;
  const tw = <usize>(ido - 1) << 4;
  for (let k = 0; k < l1; k++) {
    const a = cc + <usize>(8 * k) * s;
    const b = ch + <usize>k * s;
    bfly8(v128.load(a), v128.load(a + s), v128.load(a + 2 * s), v128.load(a + 3 * s),
      v128.load(a + 4 * s), v128.load(a + 5 * s), v128.load(a + 6 * s), v128.load(a + 7 * s),
      b, sj, 0, 0, M, false);
    for (let i = 1; i < ido; i++) {
      const o = <usize>i << 4;
      const p = a + o;
      bfly8(v128.load(p), v128.load(p + s), v128.load(p + 2 * s), v128.load(p + 3 * s),
        v128.load(p + 4 * s), v128.load(p + 5 * s), v128.load(p + 6 * s), v128.load(p + 7 * s),
        b + o, sj, wa + (<usize>(i - 1) << 4), tw, M, true);
    }
  }
}

function pass4(ido: i32, l1: i32, cc: usize, ch: usize, wa: usize, M: v128): void {
  const s = <usize>ido << 4;
  const sj = s * <usize>l1;
  const tw = <usize>(ido - 1) << 4;
  for (let k = 0; k < l1; k++) {
    const a = cc + <usize>(4 * k) * s;
    const b = ch + <usize>k * s;
    {
      const x0 = v128.load(a), x1 = v128.load(a + s), x2 = v128.load(a + 2 * s), x3 = v128.load(a + 3 * s);
      const t1 = f64x2.add(x0, x2), t2 = f64x2.sub(x0, x2);
      const t3 = f64x2.add(x1, x3), t4 = rot(f64x2.sub(x1, x3), M);
      v128.store(b, f64x2.add(t1, t3));
      v128.store(b + sj, f64x2.add(t2, t4));
      v128.store(b + 2 * sj, f64x2.sub(t1, t3));
      v128.store(b + 3 * sj, f64x2.sub(t2, t4));
    }
    for (let i = 1; i < ido; i++) {
      const o = <usize>i << 4;
      const w = wa + (<usize>(i - 1) << 4);
      const x0 = v128.load(a + o), x1 = v128.load(a + s + o), x2 = v128.load(a + 2 * s + o), x3 = v128.load(a + 3 * s + o);
      const t1 = f64x2.add(x0, x2), t2 = f64x2.sub(x0, x2);
      const t3 = f64x2.add(x1, x3), t4 = rot(f64x2.sub(x1, x3), M);
      v128.store(b + o, f64x2.add(t1, t3));
      v128.store(b + sj + o, twiddle(f64x2.add(t2, t4), w, M));
      v128.store(b + 2 * sj + o, twiddle(f64x2.sub(t1, t3), w + tw, M));
      v128.store(b + 3 * sj + o, twiddle(f64x2.sub(t2, t4), w + 2 * tw, M));
    }
  }
}

function pass5(ido: i32, l1: i32, cc: usize, ch: usize, wa: usize, M: v128): void {
  const s = <usize>ido << 4;
  const sj = s * <usize>l1;
  const tw = <usize>(ido - 1) << 4;
  const c1 = f64x2.splat(C51), c2 = f64x2.splat(C52), s1 = f64x2.splat(S51), s2 = f64x2.splat(S52);
  for (let k = 0; k < l1; k++) {
    const a = cc + <usize>(5 * k) * s;
    const b = ch + <usize>k * s;
    for (let i = 0; i < ido; i++) {
      const o = <usize>i << 4;
      const x0 = v128.load(a + o), x1 = v128.load(a + s + o), x2 = v128.load(a + 2 * s + o);
      const x3 = v128.load(a + 3 * s + o), x4 = v128.load(a + 4 * s + o);
      const t1 = f64x2.add(x1, x4), t4 = f64x2.sub(x1, x4);
      const t2 = f64x2.add(x2, x3), t3 = f64x2.sub(x2, x3);
      const ca1 = f64x2.add(x0, f64x2.add(f64x2.mul(c1, t1), f64x2.mul(c2, t2)));
      const ca2 = f64x2.add(x0, f64x2.add(f64x2.mul(c2, t1), f64x2.mul(c1, t2)));
      const cb1 = rot(f64x2.add(f64x2.mul(s1, t4), f64x2.mul(s2, t3)), M);
      const cb2 = rot(f64x2.sub(f64x2.mul(s2, t4), f64x2.mul(s1, t3)), M);
      v128.store(b + o, f64x2.add(x0, f64x2.add(t1, t2)));
      let y1 = f64x2.add(ca1, cb1), y4 = f64x2.sub(ca1, cb1);
      let y2 = f64x2.add(ca2, cb2), y3 = f64x2.sub(ca2, cb2);
      if (i > 0) {
        const w = wa + (<usize>(i - 1) << 4);
        y1 = twiddle(y1, w, M);
        y2 = twiddle(y2, w + tw, M);
        y3 = twiddle(y3, w + 2 * tw, M);
        y4 = twiddle(y4, w + 3 * tw, M);
      }
      v128.store(b + sj + o, y1);
      v128.store(b + 2 * sj + o, y2);
      v128.store(b + 3 * sj + o, y3);
      v128.store(b + 4 * sj + o, y4);
    }
  }
}

/** Any of the five factors as a direct length-p DFT per butterfly (scalar builds). */
function passScalar(p: i32, ido: i32, l1: i32, cc: usize, ch: usize, wa: usize, d: f64): void {
  const tab = TRIG + (<usize>(p == 2 ? 0 : p == 3 ? 4 : p == 4 ? 10 : p == 5 ? 18 : 28) << 3);
  const sn = tab + (<usize>p << 3);
  const s = <usize>ido << 4;
  const sj = s * <usize>l1;
  const tw = <usize>(ido - 1) << 4;
  for (let k = 0; k < l1; k++) {
    const a = cc + <usize>(p * k) * s;
    const b = ch + <usize>k * s;
    for (let i = 0; i < ido; i++) {
      const o = <usize>i << 4;
      for (let j = 0; j < p; j++) {
        store<f64>(BFLY + (<usize>j << 4), load<f64>(a + <usize>j * s + o));
        store<f64>(BFLY + (<usize>j << 4), load<f64>(a + <usize>j * s + o, 8), 8);
      }
      for (let j = 0; j < p; j++) {
        let re = 0.0, im = 0.0;
        for (let q = 0; q < p; q++) {
          const r = <usize>((j * q) % p) << 3;
          const c = load<f64>(tab + r), sv = d * load<f64>(sn + r);
          const xr = load<f64>(BFLY + (<usize>q << 4)), xi = load<f64>(BFLY + (<usize>q << 4), 8);
          re += xr * c + xi * sv;
          im += xi * c - xr * sv;
        }
        if (j > 0 && i > 0) {
          const w = wa + (<usize>(i - 1) << 4) + <usize>(j - 1) * tw;
          const wr = load<f64>(w), wi = d * load<f64>(w, 8);
          const t = re * wr + im * wi;
          im = im * wr - re * wi;
          re = t;
        }
        store<f64>(b + <usize>j * sj + o, re);
        store<f64>(b + <usize>j * sj + o, im, 8);
      }
    }
  }
}

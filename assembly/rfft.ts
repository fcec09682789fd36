// The FFT of real sequences of any length n >= 1 (assembly/fft.ts inside):
// rfft gives the half spectrum V_k = sum_t v_t exp(-2 pi i kt/n) for
// k = 0 .. floor(n/2) (floor(n/2) + 1 interleaved complex values; the rest is
// their conjugate mirror), irfft the real sequence back, unscaled (n times the
// inverse). Even n: one complex FFT of length n/2 on the sequence read as
// complex (z_t = v_2t + i v_2t+1), then the split into even and odd parts.
// Odd n: a complex FFT of length n with zero imaginary parts.
//
// Plan layout (bytes from the plan start, written once in `layout`):
// header (n, half length h or 0), the split twiddles exp(-2 pi i k/n),
// k < h (even n only), then the complex plan of length h (even) or n (odd).
import { align16, fft, fftPlanBytes, fftPlanInit, fftWorkBytes } from "./fft";

// @ts-ignore: decorator
@inline const HEADER: usize = 16;
let oTw: usize = 0;
let oPlan: usize = 0;
let planEnd: usize = 0;

/** Length of the inner complex FFT. */
// @ts-ignore: decorator
@inline function innerLength(n: i32): i32 {
  return (n & 1) == 0 ? n >> 1 : n;
}

function layout(n: i32): void {
  const h = (n & 1) == 0 ? n >> 1 : 0;
  oTw = HEADER;
  oPlan = align16(oTw + (<usize>h << 4));
  planEnd = align16(oPlan + fftPlanBytes(innerLength(n)));
}

/** Bytes of the plan of a real FFT of length n. */
export function rfftPlanBytes(n: i32): usize {
  layout(n);
  return planEnd;
}

/** Bytes of work for one rfft or irfft of length n (also enough for rfftPlanInit). */
export function rfftWorkBytes(n: i32): usize {
  const l = innerLength(n);
  return zBytes(n) + fftWorkBytes(l);
}

/** Computes the plan of length n into `plan` (rfftPlanBytes(n) bytes); `work`: rfftWorkBytes(n) bytes. */
export function rfftPlanInit(n: i32, plan: usize, work: usize): void {
  layout(n);
  const h = (n & 1) == 0 ? n >> 1 : 0;
  store<i32>(plan, n);
  store<i32>(plan, h, 4);
  for (let k = 0; k < h; k++) {
    const a = (2.0 * Math.PI * <f64>k) / <f64>n;
    store<f64>(plan + oTw + (<usize>k << 4), Math.cos(a));
    store<f64>(plan + oTw + (<usize>k << 4), Math.sin(a), 8);
  }
  fftPlanInit(innerLength(n), plan + oPlan, work);
}

// What open() reads from the plan and carves from the work for one call:
// n, the half length h (0 for odd n), the split twiddles, the complex buffer
// z and the inner FFT's work.
let cn: i32 = 0;
let ch: i32 = 0;
let ctw: usize = 0;
let cz: usize = 0;
let cfw: usize = 0;

/** Reads the plan's header, lays the plan out and carves the work: the opening of rfft and irfft. */
function open(plan: usize, work: usize): void {
  cn = load<i32>(plan);
  ch = load<i32>(plan, 4);
  layout(cn);
  ctw = plan + oTw;
  cz = work;
  cfw = work + zBytes(cn);
}

/** Bytes of the complex buffer at the start of the work. */
// @ts-ignore: decorator
@inline function zBytes(n: i32): usize {
  return align16(<usize>innerLength(n) << 4);
}

/** The half spectrum of the n reals at x into out (floor(n/2) + 1 complex values). Returns 0. */
export function rfft(plan: usize, x: usize, out: usize, work: usize): i32 {
  open(plan, work);
  const n = cn, h = ch, tw = ctw, z = cz, fw = cfw;
  if (h == 0) {
    for (let t = 0; t < n; t++) {
      store<f64>(z + (<usize>t << 4), load<f64>(x + (<usize>t << 3)));
      store<f64>(z + (<usize>t << 4), 0.0, 8);
    }
    fft(plan + oPlan, z, fw, 1);
    memory.copy(out, z, <usize>((n >> 1) + 1) << 4);
    return 0;
  }
  memory.copy(z, x, <usize>n << 3);
  fft(plan + oPlan, z, fw, 1);
  // V_k = E_k + w_k O_k, E = (Z_k + conj Z_(h-k)) / 2, O = -i (Z_k - conj Z_(h-k)) / 2
  for (let k = 0; k <= h; k++) {
    const ok = <usize>(k == h ? 0 : k) << 4;
    const oc = <usize>(k == 0 ? 0 : h - k) << 4;
    const zr = load<f64>(z + ok), zi = load<f64>(z + ok, 8);
    const cr = load<f64>(z + oc), ci = -load<f64>(z + oc, 8);
    const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
    const or = 0.5 * (zi - ci), oi = -0.5 * (zr - cr);
    let wr = -1.0, wi = 0.0; // w_h = exp(-i pi)
    if (k < h) {
      wr = load<f64>(tw + (<usize>k << 4));
      wi = -load<f64>(tw + (<usize>k << 4), 8);
    }
    store<f64>(out + (<usize>k << 4), er + wr * or - wi * oi);
    store<f64>(out + (<usize>k << 4), ei + wr * oi + wi * or, 8);
  }
  return 0;
}

/**
 * The real sequence x (n values) whose half spectrum is `inp`
 * (floor(n/2) + 1 complex values, taken as Hermitian: the imaginary parts of
 * V_0 and, for even n, V_(n/2) are ignored), times n. Returns 0.
 */
export function irfft(plan: usize, inp: usize, x: usize, work: usize): i32 {
  open(plan, work);
  const n = cn, h = ch, tw = ctw, z = cz, fw = cfw;
  if (h == 0) {
    const half = n >> 1;
    store<f64>(z, load<f64>(inp));
    store<f64>(z, 0.0, 8);
    for (let k = 1; k <= half; k++) {
      const re = load<f64>(inp + (<usize>k << 4)), im = load<f64>(inp + (<usize>k << 4), 8);
      store<f64>(z + (<usize>k << 4), re);
      store<f64>(z + (<usize>k << 4), im, 8);
      store<f64>(z + (<usize>(n - k) << 4), re);
      store<f64>(z + (<usize>(n - k) << 4), -im, 8);
    }
    fft(plan + oPlan, z, fw, -1);
    for (let t = 0; t < n; t++) store<f64>(x + (<usize>t << 3), load<f64>(z + (<usize>t << 4)));
    return 0;
  }
  // Z_k = E_k + i O_k, E = V_k + conj V_(h-k), O = (V_k - conj V_(h-k)) conj(w_k), k < h
  const v0 = load<f64>(inp), vh = load<f64>(inp + (<usize>h << 4));
  for (let k = 0; k < h; k++) {
    let vr = load<f64>(inp + (<usize>k << 4)), vi = load<f64>(inp + (<usize>k << 4), 8);
    let cr = load<f64>(inp + (<usize>(h - k) << 4)), ci = -load<f64>(inp + (<usize>(h - k) << 4), 8);
    if (k == 0) { vr = v0; vi = 0.0; cr = vh; ci = 0.0; }
    const er = vr + cr, ei = vi + ci;
    const dr = vr - cr, di = vi - ci;
    const wr = load<f64>(tw + (<usize>k << 4)), wi = load<f64>(tw + (<usize>k << 4), 8); // conj(w_k) = wr + i wi
    const or = dr * wr - di * wi, oi = dr * wi + di * wr;
    store<f64>(z + (<usize>k << 4), er - oi);
    store<f64>(z + (<usize>k << 4), ei + or, 8);
  }
  fft(plan + oPlan, z, fw, -1);
  memory.copy(x, z, <usize>n << 3);
  return 0;
}

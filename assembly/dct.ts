// The orthonormal DCT-II of length n and its transpose (= inverse), the
// DCT-III, through one real FFT of length n (assembly/rfft.ts), by Makhoul's
// reordering: v_j = x_2j, v_(n-1-j) = x_2j+1; with V = FFT(v) and
// W_k = exp(-i pi k / (2n)),
//   Y_k = sum_j x_j cos(pi k (2j + 1) / (2n)) = Re(W_k V_k),  Y_(n-k) = -Im(W_k V_k),
// and the orthonormal DCT-II is X_k = c_k Y_k, c_0 = sqrt(1/n), c_k = sqrt(2/n).
// The DCT-III runs the same steps backwards: V_k = conj(W_k) (Y_k - i Y_(n-k)).
//
// Plan layout (bytes): header (n), W_k for k <= n/2 (cos, sin of +pi k/(2n)),
// then the real-FFT plan. Work layout: v (n reals), the half spectrum
// (floor(n/2) + 1 complex values), the real-FFT work. Both written once in
// `layout` / `workLayout`.
import { rfft, irfft, rfftPlanBytes, rfftPlanInit, rfftWorkBytes } from "./rfft";
import { align16 } from "./fft";

// @ts-ignore: decorator
@inline const HEADER: usize = 16;
let oW: usize = 0;
let oPlan: usize = 0;
let planEnd: usize = 0;
let oV: usize = 0;
let oSpec: usize = 0;
let oWork: usize = 0;
let workEnd: usize = 0;

function layout(n: i32): void {
  oW = HEADER;
  oPlan = align16(oW + (<usize>((n >> 1) + 1) << 4));
  planEnd = align16(oPlan + rfftPlanBytes(n));
}

function workLayout(n: i32): void {
  oV = 0;
  oSpec = align16(<usize>n << 3);
  oWork = align16(oSpec + (<usize>((n >> 1) + 1) << 4));
  workEnd = align16(oWork + rfftWorkBytes(n));
}

/** Bytes of the DCT plan of length n. */
export function dctPlanBytes(n: i32): usize {
  layout(n);
  return planEnd;
}

/** Bytes of work for one dct2 / dct3 of length n (also enough for dctPlanInit). */
export function dctWorkBytes(n: i32): usize {
  workLayout(n);
  return workEnd;
}

/** Computes the DCT plan of length n (1 <= n < 2^27) into `plan`. */
export function dctPlanInit(n: i32, plan: usize, work: usize): void {
  layout(n);
  store<i32>(plan, n);
  const h = n >> 1;
  for (let k = 0; k <= h; k++) {
    const a = (Math.PI * <f64>k) / <f64>(2 * n);
    store<f64>(plan + oW + (<usize>k << 4), Math.cos(a));
    store<f64>(plan + oW + (<usize>k << 4), Math.sin(a), 8);
  }
  rfftPlanInit(n, plan + oPlan, work);
}

/** out = C x, the orthonormal DCT-II of the n values at x (out may equal x). Returns 0. */
export function dct2(plan: usize, x: usize, out: usize, work: usize): i32 {
  const n = load<i32>(plan);
  layout(n);
  workLayout(n);
  const v = work + oV, spec = work + oSpec;
  const odd = (n + 1) >> 1;
  for (let j = 0; j < odd; j++) store<f64>(v + (<usize>j << 3), load<f64>(x + (<usize>(2 * j) << 3)));
  for (let j = 0; 2 * j + 1 < n; j++) store<f64>(v + (<usize>(n - 1 - j) << 3), load<f64>(x + (<usize>(2 * j + 1) << 3)));
  rfft(plan + oPlan, v, spec, work + oWork);
  const c0 = Math.sqrt(1.0 / <f64>n), c = Math.sqrt(2.0 / <f64>n);
  const w = plan + oW;
  const h = n >> 1;
  for (let k = 0; k <= h; k++) {
    const o = <usize>k << 4;
    const vr = load<f64>(spec + o), vi = load<f64>(spec + o, 8);
    const wr = load<f64>(w + o), wi = -load<f64>(w + o, 8);
    const pr = wr * vr - wi * vi, pi = wr * vi + wi * vr;
    store<f64>(out + (<usize>k << 3), (k == 0 ? c0 : c) * pr);
    if (k > 0 && k < n - k) store<f64>(out + (<usize>(n - k) << 3), -c * pi);
  }
  return 0;
}

/** out = C^T X, the orthonormal DCT-III (the inverse of dct2) of the n values at X (out may equal X). Returns 0. */
export function dct3(plan: usize, X: usize, out: usize, work: usize): i32 {
  const n = load<i32>(plan);
  layout(n);
  workLayout(n);
  const v = work + oV, spec = work + oSpec;
  const s0 = 1.0 / Math.sqrt(<f64>n), s = 1.0 / Math.sqrt(<f64>(2 * n));
  const w = plan + oW;
  const h = n >> 1;
  for (let k = 0; k <= h; k++) {
    const yk = (k == 0 ? s0 : s) * load<f64>(X + (<usize>k << 3));
    const ynk = k == 0 ? 0.0 : s * load<f64>(X + (<usize>(n - k) << 3));
    // conj(W_k) (yk - i ynk), conj(W_k) = wr + i wi
    const wr = load<f64>(w + (<usize>k << 4)), wi = load<f64>(w + (<usize>k << 4), 8);
    store<f64>(spec + (<usize>k << 4), wr * yk + wi * ynk);
    store<f64>(spec + (<usize>k << 4), wi * yk - wr * ynk, 8);
  }
  irfft(plan + oPlan, spec, v, work + oWork);
  const odd = (n + 1) >> 1;
  for (let j = 0; j < odd; j++) store<f64>(out + (<usize>(2 * j) << 3), load<f64>(v + (<usize>j << 3)));
  for (let j = 0; 2 * j + 1 < n; j++) store<f64>(out + (<usize>(2 * j + 1) << 3), load<f64>(v + (<usize>(n - 1 - j) << 3)));
  return 0;
}

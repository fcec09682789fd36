// The training loss of the unrolled nets, per signal: ||x_hat - x||^2 and its
// gradient with respect to x_hat (the batched VJPs of softomp.ts and
// softiht.ts seed their reverse pass with it).

/** Returns sum_j (xh_j - x_j)^2 and writes g_j = scale (xh_j - x_j), j < n. */
export function sqErrGrad(xh: usize, x: usize, n: i32, scale: f64, g: usize): f64 {
  let sq = 0.0;
  for (let j = 0; j < n; j++) {
    const o = <usize>j << 3;
    const d = load<f64>(xh + o) - load<f64>(x + o);
    sq += d * d;
    store<f64>(g + o, scale * d);
  }
  return sq;
}

// Multiply-add on v128 lanes, one definition for the three builds.
//
// - scalar build (no --enable simd): these are never reached (every caller
//   branches on ASC_FEATURE_SIMD first);
// - SIMD build (--enable simd): c + a * b, rounded twice (mul, then add).
//   IEEE addition is commutative, so `madd(a, b, c)` gives the bits of the
//   `f64x2.add(c, f64x2.mul(a, b))` it replaces, and the scalar paths, which
//   add in the same order, stay bit-identical to this build;
// - relaxed build (--enable simd,relaxed-simd): f64x2/f32x4.relaxed_madd,
//   which the engine compiles to a fused multiply-add where the CPU has one
//   (one rounding) and to mul + add otherwise. Its results therefore agree
//   with the SIMD build to rounding, not bit for bit (docs/builds.md).

/** True in the relaxed-SIMD build (compile-time constant: the other branch is dropped). */
// @ts-ignore: decorator
@inline export const RELAXED: bool = ASC_FEATURE_RELAXED_SIMD;

/** c + a * b on two f64 lanes (fused in the relaxed build). */
// @ts-ignore: decorator
@inline export function madd2(a: v128, b: v128, c: v128): v128 {
  if (RELAXED) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

/** c - a * b on two f64 lanes (fused in the relaxed build). */
// @ts-ignore: decorator
@inline export function nmadd2(a: v128, b: v128, c: v128): v128 {
  if (RELAXED) return f64x2.relaxed_nmadd(a, b, c);
  return f64x2.sub(c, f64x2.mul(a, b));
}

/** c + a * b on four f32 lanes (fused in the relaxed build). */
// @ts-ignore: decorator
@inline export function madd4(a: v128, b: v128, c: v128): v128 {
  if (RELAXED) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

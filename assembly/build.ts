// Which build this module is: the facade reports it (backendInfo()) and the
// worker pool checks that its workers run the same one.

/** 1 in the SIMD build (compiled with --enable simd), 0 in the scalar build. */
export function simdBuild(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

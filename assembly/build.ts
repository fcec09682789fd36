// Which build this module is: the facade reports it (backendInfo()) and the
// worker pool checks that its workers run the same one.

/** 1 in the two SIMD builds (compiled with --enable simd), 0 in the scalar build. */
export function simdBuild(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

/** 0: scalar build (build/scalar.wasm), 1: SIMD (build/release.wasm), 2: relaxed SIMD (build/relaxed.wasm). */
export function buildKind(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 2 : ASC_FEATURE_SIMD ? 1 : 0;
}

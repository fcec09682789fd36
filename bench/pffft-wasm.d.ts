// The SIMD entry of @echogarden/pffft-wasm ships without types: an Emscripten
// module factory (bench/operators.ts declares the few exports it uses).
declare module '@echogarden/pffft-wasm/simd' {
  const factory: () => Promise<unknown>;
  export default factory;
}

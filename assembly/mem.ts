// Allocation for the facade: the TypeScript side owns every buffer it passes
// to a kernel, and frees it. Kernels themselves never allocate.

/** Allocates `bytes` bytes (16-byte aligned); may grow memory. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Frees a block returned by alloc. */
export function free(ptr: usize): void {
  heap.free(ptr);
}

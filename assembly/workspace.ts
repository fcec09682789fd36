// Carving of a caller-provided workspace into 16-byte aligned pieces. Every
// solver exports `<name>Workspace(m, n, k)`, the exact byte count its carve
// sequence takes, so the facade allocates once, up front.

let cursor: usize = 0;

// @ts-ignore: decorator
@inline function align16(p: usize): usize {
  return (p + 15) & ~(<usize>15);
}

/** Starts carving at ws. */
export function wsBegin(ws: usize): void {
  cursor = align16(ws);
}

/** Takes `bytes` bytes from the workspace. */
export function wsTake(bytes: usize): usize {
  const p = cursor;
  cursor = align16(p + bytes);
  return p;
}

/**
 * wsSize in 64-bit arithmetic: the `<name>Workspace` functions compute in u64
 * and return f64, so that a size beyond 4 GiB is reported as such (the
 * facade refuses the call) instead of wrapping around in 32 bits.
 */
export function wsSize64(bytes: u64): u64 {
  return (bytes + 15) & ~(<u64>15);
}

/** Bytes needed for pieces of the given sizes (in carve order), plus alignment slack. */
export function wsSize(bytes: usize): usize {
  return align16(bytes);
}

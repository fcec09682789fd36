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

/** Bytes needed for pieces of the given sizes (in carve order), plus alignment slack. */
export function wsSize(bytes: usize): usize {
  return align16(bytes);
}

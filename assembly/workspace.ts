// Carving of a caller-provided workspace into 16-byte aligned pieces.
//
// Each kernel writes its layout once, as a carve function: wsBegin(ws), one
// wsTake per piece, wsEnd(). The same function sizes the workspace (called
// with ws = 0: pieces are counted, nothing is written) and carves it, and the
// kernel's exported `<name>Workspace64(m, n, k)` is that carve's wsEnd() with
// ws = 0, so the size and the carve cannot disagree.
//
// Sizes are counted in 64 bits so that a workspace beyond 4 GiB is reported
// as such (the facade refuses the call) instead of wrapping modulo 2^32.
//
// Debug build (asconfig target "debug", compiled without noAssert): every
// piece is followed by a guard of WS_GUARD bytes filled with a known pattern,
// and wsCheck() (called by every kernel before it returns, see
// solvers/common.ts `done`) aborts when a guard was overwritten, i.e. when a
// kernel wrote past the end of one of its pieces. The release and scalar
// builds compile the guards out (WS_GUARD = 0).

/** Guard bytes after each piece: 16 in the debug build, 0 otherwise. */
export const WS_GUARD: usize = ASC_NO_ASSERT ? 0 : 16;
// Most pieces one carve may take in the debug build (the largest kernel takes 17).
const WS_MAX_PIECES: i32 = 32;
// The guard pattern, a byte value unlikely in f64/i32 data written by a kernel.
const WS_GUARD_BYTE: u8 = 0xa5;

let cursor: usize = 0;
let total: u64 = 0;
let carving = false;
let pieces: i32 = 0;
const guardAt = memory.data(WS_MAX_PIECES * 4, 16); // debug: address of each guard

// @ts-ignore: decorator
@inline function align16(p: usize): usize {
  return (p + 15) & ~(<usize>15);
}

// @ts-ignore: decorator
@inline function align16x64(b: u64): u64 {
  return (b + 15) & ~(<u64>15);
}

/** Starts a carve at ws, or a sizing pass when ws is 0 (nothing is written). */
export function wsBegin(ws: usize): void {
  carving = ws != 0;
  cursor = align16(ws);
  total = 16; // slack for aligning ws
  pieces = 0;
}

/** Takes `bytes` bytes (16-byte aligned) from the workspace; in a sizing pass the address is meaningless. */
export function wsTake(bytes: u64): usize {
  const p = cursor;
  const b = align16x64(bytes);
  total += b + <u64>WS_GUARD;
  cursor = p + <usize>b;
  if (WS_GUARD > 0 && carving) {
    assert(pieces < WS_MAX_PIECES, "workspace: too many pieces");
    memory.fill(cursor, WS_GUARD_BYTE, WS_GUARD);
    store<usize>(guardAt + (<usize>pieces << 2), cursor);
    pieces++;
  }
  cursor += WS_GUARD;
  return p;
}

/** n f64 values. */
// @ts-ignore: decorator
@inline export function wsF64(n: i32): usize {
  return wsTake(<u64>n << 3);
}

/** n i32 values. */
// @ts-ignore: decorator
@inline export function wsI32(n: i32): usize {
  return wsTake(<u64>n << 2);
}

/** n bytes (flags, masks). */
// @ts-ignore: decorator
@inline export function wsU8(n: i32): usize {
  return wsTake(<u64>n);
}

/** Bytes the carve since wsBegin takes, alignment slack and guards included. */
export function wsEnd(): u64 {
  return total;
}

/** Debug build: aborts when a guard of the last carve was overwritten. No-op otherwise. */
export function wsCheck(): void {
  if (WS_GUARD == 0) return;
  for (let i = 0; i < pieces; i++) {
    const g = load<usize>(guardAt + (<usize>i << 2));
    for (let b: usize = 0; b < WS_GUARD; b++) {
      assert(load<u8>(g + b) == WS_GUARD_BYTE, "workspace: a kernel wrote past the end of a piece of its carve");
    }
  }
}

/** Size of a carve read as 32 bits (wraps modulo 2^32 beyond 4 GiB: the facade plans with the 64-bit size). */
// @ts-ignore: decorator
@inline export function wsBytes32(bytes: u64): usize {
  return <usize>bytes;
}

/**
 * Debug build only: carves two pieces, writes one byte past the first, and
 * runs wsCheck, which must abort. The test suite calls it to show that the
 * guards catch an overrun (the release build exports it as a no-op).
 */
export function wsGuardSelfTest(ws: usize): void {
  if (WS_GUARD == 0) return;
  wsBegin(ws);
  const a = wsTake(8);
  wsTake(8);
  store<u8>(a + 16, 0);
  wsCheck();
}

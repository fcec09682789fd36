// Allocation for the facade: the TypeScript side owns every buffer it passes
// to a kernel, and frees it. Kernels themselves never allocate.
//
// Two paths:
// - blocks below LARGE_MIN bytes come from the AS heap (TLSF);
// - blocks of LARGE_MIN (32 MiB) bytes or more are whole 64 KiB pages taken straight
//   from memory.grow and tracked in a small table. TLSF caps one block at
//   1 GiB (BLOCK_MAXSIZE in ~lib/rt/common), while wasm32 addresses 4 GiB:
//   this path serves single buffers up to the address-space limit. A freed
//   large block is reused (best fit, split when larger), merges with free
//   neighbours, and a free block at the top of memory is extended in place
//   when a larger one is asked for, so a run whose matrices grow reuses its
//   address space instead of stacking new blocks above old ones. Memory never
//   shrinks (WebAssembly cannot), so "returned" means reusable.
// TLSF grows memory by its own rules beside this table (it adds regions that
// need not be adjacent); the two never share a page.

/**
 * Smallest block served by the large-block path: 32 MiB. TLSF grows memory by
 * doubling it when it can, so a TLSF that has held big blocks takes up to its
 * own size again in address space on its next growth; keeping blocks of
 * 32 MiB and more out of it bounds that waste to tens of MiB. Whole pages
 * waste at most 64 KiB per block, 0.2 % at this size. (Measured: with a
 * 512 MiB threshold a run growing A from 1 MB to 3 GB had TLSF at 1 GiB after
 * the 256 MB step, leaving no room for 3 GB.)
 */
const LARGE_MIN: usize = 1 << 25;
/** log2 of the WebAssembly page size (64 KiB). */
const PAGE_BITS: u32 = 16;
/** Entries of the large-block table (live and free ranges); 4 GiB holds at most 128 live large blocks. When it is full, blocks TLSF can hold go to TLSF. */
const MAX_LARGE: i32 = 256;
/** Bytes per entry: first page (u32), page count (u32), 1 when in use (u32). */
const ENTRY: usize = 12;

const table: usize = memory.data(<i32>(<usize>MAX_LARGE * ENTRY), 16);
let entries: i32 = 0;

@inline function startOf(i: i32): u32 { return load<u32>(table + <usize>i * ENTRY); }
@inline function pagesOf(i: i32): u32 { return load<u32>(table + <usize>i * ENTRY, 4); }
@inline function usedOf(i: i32): bool { return load<u32>(table + <usize>i * ENTRY, 8) != 0; }
@inline function setEntry(i: i32, start: u32, pages: u32, used: bool): void {
  const p = table + <usize>i * ENTRY;
  store<u32>(p, start);
  store<u32>(p, pages, 4);
  store<u32>(p, used ? 1 : 0, 8);
}
function removeEntry(i: i32): void {
  entries--;
  if (i != entries) setEntry(i, startOf(entries), pagesOf(entries), usedOf(entries));
}

/** A large block of `pages` pages, or 0 when the address space (or the table) has no room. */
function allocLarge(pages: u32): usize {
  // best fit among free ranges
  let best: i32 = -1;
  for (let i = 0; i < entries; i++) {
    if (!usedOf(i) && pagesOf(i) >= pages && (best < 0 || pagesOf(i) < pagesOf(best))) best = i;
  }
  if (best >= 0) {
    const s = startOf(best);
    const have = pagesOf(best);
    if (have > pages && entries < MAX_LARGE) {
      setEntry(entries++, s + pages, have - pages, false);
      setEntry(best, s, pages, true);
    } else {
      setEntry(best, s, have, true);
    }
    return <usize>s << PAGE_BITS;
  }
  // a free range at the top of memory grows in place
  const top = <u32>memory.size();
  for (let i = 0; i < entries; i++) {
    if (!usedOf(i) && startOf(i) + pagesOf(i) == top) {
      if (memory.grow(<i32>(pages - pagesOf(i))) < 0) return 0;
      setEntry(i, startOf(i), pages, true);
      return <usize>startOf(i) << PAGE_BITS;
    }
  }
  if (entries >= MAX_LARGE) return 0;
  const old = memory.grow(<i32>pages);
  if (old < 0) return 0;
  setEntry(entries++, <u32>old, pages, true);
  return <usize>old << PAGE_BITS;
}

/** Frees the large block at ptr and merges it with free neighbours; false when ptr is not a large block. */
function freeLarge(ptr: usize): bool {
  if ((ptr & ((1 << PAGE_BITS) - 1)) != 0) return false;
  const page = <u32>(ptr >> PAGE_BITS);
  let at: i32 = -1;
  for (let i = 0; i < entries; i++) {
    if (usedOf(i) && startOf(i) == page) { at = i; break; }
  }
  if (at < 0) return false;
  let s = startOf(at);
  let n = pagesOf(at);
  setEntry(at, s, n, false);
  // merge with free ranges that touch it, until none does
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < entries; i++) {
      if (i == at || usedOf(i)) continue;
      if (startOf(i) + pagesOf(i) == s || s + n == startOf(i)) {
        s = min(s, startOf(i));
        n += pagesOf(i);
        removeEntry(i);
        if (at == entries) at = i; // the moved last entry was ours
        setEntry(at, s, n, false);
        merged = true;
        break;
      }
    }
  }
  return true;
}

/**
 * Allocates `bytes` bytes (16-byte aligned; blocks of LARGE_MIN bytes or more
 * are 64 KiB aligned); may grow memory. Returns 0 when a large block finds no
 * room in the address space; a small one that cannot be served aborts, as
 * TLSF does.
 */
export function alloc(bytes: usize): usize {
  if (bytes < LARGE_MIN) return heap.alloc(bytes);
  const p = allocLarge(<u32>((<u64>bytes + ((1 << PAGE_BITS) - 1)) >> PAGE_BITS));
  // a full table (not a full address space) leaves blocks TLSF can hold to TLSF
  if (p == 0 && entries >= MAX_LARGE && bytes <= TLSF_MAX) return heap.alloc(bytes);
  return p;
}

/** Largest block TLSF serves (BLOCK_MAXSIZE in ~lib/rt/common: 1 GiB less its 4-byte header). */
const TLSF_MAX: usize = (1 << 30) - 4;

/** Frees a block returned by alloc. */
export function free(ptr: usize): void {
  if (!freeLarge(ptr)) heap.free(ptr);
}

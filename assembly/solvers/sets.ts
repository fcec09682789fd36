// Index sets (supports) as ascending i32 arrays: comparison, union, the
// compaction of a set to the entries of x that are nonzero, and a solution
// written from its atoms. Nothing allocates.
import { zero } from "../blas";

/** True when a[0..na) and b[0..nb) (both ascending) hold the same indices. */
export function sameSet(a: usize, na: i32, b: usize, nb: i32): bool {
  if (na != nb) return false;
  for (let i = 0; i < na; i++) {
    if (load<i32>(a + (<usize>i << 2)) != load<i32>(b + (<usize>i << 2))) return false;
  }
  return true;
}

/**
 * out = a ∪ b for ascending a (na) and b (nb), ascending without duplicates;
 * returns its size. out (na + nb i32) must not overlap a or b.
 */
export function unionAsc(a: usize, na: i32, b: usize, nb: i32, out: usize): i32 {
  let i = 0;
  let j = 0;
  let p = 0;
  while (i < na || j < nb) {
    let v: i32;
    if (j >= nb) { v = load<i32>(a + (<usize>i << 2)); i++; }
    else if (i >= na) { v = load<i32>(b + (<usize>j << 2)); j++; }
    else {
      const va = load<i32>(a + (<usize>i << 2));
      const vb = load<i32>(b + (<usize>j << 2));
      if (va < vb) { v = va; i++; }
      else if (vb < va) { v = vb; j++; }
      else { v = va; i++; j++; }
    }
    store<i32>(out + (<usize>p << 2), v);
    p++;
  }
  return p;
}

/** Copies cnt i32 from src to dst. */
export function copySet(src: usize, dst: usize, cnt: i32): void {
  memory.copy(dst, src, <usize>cnt << 2);
}

/**
 * Writes the indices of set[0..cnt) (ascending) whose x entry is nonzero to
 * out (may alias set: it only moves entries down); returns how many.
 */
export function nonzeroOf(x: usize, set: usize, cnt: i32, out: usize): i32 {
  let p = 0;
  for (let i = 0; i < cnt; i++) {
    const j = load<i32>(set + (<usize>i << 2));
    if (load<f64>(x + (<usize>j << 3)) != 0.0) { store<i32>(out + (<usize>p << 2), j); p++; }
  }
  return p;
}

/**
 * x = 0 except x[atoms[p]] = vals[p] for p < cnt (atoms in any order, no
 * repeats); support = the atoms ascending (flags: n bytes of work).
 */
export function writeSolution(vals: usize, atoms: usize, cnt: i32, n: i32, x: usize, support: usize, flags: usize): void {
  zero(x, n);
  memory.fill(flags, 0, <usize>n);
  for (let p = 0; p < cnt; p++) {
    const j = load<i32>(atoms + (<usize>p << 2));
    store<f64>(x + (<usize>j << 3), load<f64>(vals + (<usize>p << 3)));
    store<u8>(flags + <usize>j, 1);
  }
  let c = 0;
  for (let j = 0; j < n; j++) {
    if (load<u8>(flags + <usize>j) != 0) { store<i32>(support + (<usize>c << 2), j); c++; }
  }
}

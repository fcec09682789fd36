// The complex operator the complex kernels run on. A kernel's `A` argument is
// a handle, as in ../operator.ts: either the address of a dense complex
// matrix (m x n, interleaved complex128, column-major; 16-byte aligned, so its
// low bit is 0), or the address of a complex operator header with COP_TAG (the
// low bit) set. Every entry point tests the dense case first and calls the
// dense kernels of cblas.ts directly, with the arguments they had before, so
// a dense complex solve costs one bit test per call more and gives the same
// bits.
//
// One structured kind so far, the partial Fourier operator:
//   A = s P F,  F the n-point DFT (entry (k, j) = exp(-2 pi i k j / n), numpy's
//   sign), P the m rows `rows` (distinct, in [0, n)), s > 0 a real scale.
//   A x  = s (F x)[rows]                     one forward FFT of length n
//   A^H r = s F^H (r scattered to rows)       one unscaled inverse FFT
//   a_j  = s exp(-2 pi i (rows[i] j mod n) / n)  directly, O(m)
//   ||a_j|| = s sqrt(m)
// The FFT is ../fft.ts (any n: radix 4/2/3/5, Bluestein otherwise); its plan
// is computed once, in copInitPartialFourier.
//
// Header (COP_HEADER_BYTES, written by copInit*, read only here):
//   kind, m, n (i32); plan (the FFT plan), rows (m i32), work (pfWorkBytes(n):
//   an n-complex buffer, then the FFT's work), col (m complex: the column
//   buffer copColumn fills), xs (n complex: scratch for applying on a
//   support); scale (f64).
// The blocks belong to the facade's operator object (src/complex/operator.ts),
// which allocates them once; nothing here allocates. A header is used by one
// call at a time (WASM runs one call at a time per instance).
import { align16, fft, fftPlanInit, fftWorkBytes } from "../fft";
import { caddColumn, cgemvH, cgemvN, cnrm2, cresidualOn } from "./cblas";

/** The low bit of a handle that points to a header rather than a dense complex matrix. */
export const COP_TAG: usize = 1;
/** Bytes of a complex operator header. */
export const COP_HEADER_BYTES: usize = 64;

/** Kinds of complex operator headers. */
export const COP_PARTIAL_FOURIER: i32 = 1;

// Header offsets.
const H_KIND: usize = 0;
const H_M: usize = 4;
const H_N: usize = 8;
const H_PLAN: usize = 12;
const H_ROWS: usize = 16;
const H_WORK: usize = 20;
const H_COL: usize = 24;
const H_XS: usize = 28;
const H_SCALE: usize = 32;

// @ts-ignore: decorator
@inline function hdr(A: usize): usize { return A & ~COP_TAG; }
// @ts-ignore: decorator
@inline function ptrAt(h: usize, off: usize): usize { return <usize>load<u32>(h + off); }

/** True when the handle is a dense complex matrix (no header). */
// @ts-ignore: decorator
@inline export function cisDense(A: usize): bool { return (A & COP_TAG) == 0; }

// ---------------------------------------------------------------------------
// The partial Fourier operator on its own blocks.

/** Bytes of work of the partial Fourier kernels of length n: n complex values, then the FFT's work. */
export function pfWorkBytes(n: i32): usize {
  return align16(<usize>n << 4) + fftWorkBytes(n);
}

/** out (m complex) = s (F x)[rows] for x (n complex, not changed). */
export function pfApply(plan: usize, rows: usize, m: i32, n: i32, s: f64, x: usize, out: usize, work: usize): void {
  const t = work;
  memory.copy(t, x, <usize>n << 4);
  fft(plan, t, work + align16(<usize>n << 4), 1);
  for (let i = 0; i < m; i++) {
    const src = t + (<usize>load<i32>(rows + (<usize>i << 2)) << 4);
    const o = out + (<usize>i << 4);
    store<f64>(o, s * load<f64>(src));
    store<f64>(o, s * load<f64>(src, 8), 8);
  }
}

/** out (n complex) = s F^H (r scattered to rows), r m complex (not changed). */
export function pfAdjoint(plan: usize, rows: usize, m: i32, n: i32, s: f64, r: usize, out: usize, work: usize): void {
  memory.fill(out, 0, <usize>n << 4);
  for (let i = 0; i < m; i++) {
    const o = out + (<usize>load<i32>(rows + (<usize>i << 2)) << 4);
    const src = r + (<usize>i << 4);
    store<f64>(o, s * load<f64>(src));
    store<f64>(o, s * load<f64>(src, 8), 8);
  }
  fft(plan, out, work + align16(<usize>n << 4), -1);
}

/**
 * Column j (m complex) into out: s (cos(w q), -sin(w q)) with w = 2 pi / n and
 * q = rows[i] j reduced mod n in integers (the formula of src/data/fourier.ts
 * fourierMatrix, so the angle never suffers from a large argument).
 */
export function pfColumn(rows: usize, m: i32, n: i32, s: f64, j: i32, out: usize): void {
  const w = (2.0 * Math.PI) / <f64>n;
  for (let i = 0; i < m; i++) {
    const q = (<u64>load<i32>(rows + (<usize>i << 2)) * <u64>j) % <u64>n;
    const a = w * <f64>q;
    const o = out + (<usize>i << 4);
    store<f64>(o, s * Math.cos(a));
    store<f64>(o, -s * Math.sin(a), 8);
  }
}

/**
 * Lays out a partial Fourier header at h (COP_HEADER_BYTES) and computes the
 * FFT plan of length n into `plan` (fftPlanBytes(n) bytes). rows: m distinct
 * frequencies in [0, n) (i32); s > 0; work: pfWorkBytes(n) bytes; col: m
 * complex; xs: n complex. Returns the handle (h | COP_TAG).
 */
export function copInitPartialFourier(h: usize, n: i32, plan: usize, rows: usize, m: i32, s: f64, work: usize, col: usize, xs: usize): usize {
  fftPlanInit(n, plan, work + align16(<usize>n << 4));
  memory.fill(h, 0, COP_HEADER_BYTES);
  store<i32>(h + H_KIND, COP_PARTIAL_FOURIER);
  store<i32>(h + H_M, m);
  store<i32>(h + H_N, n);
  store<u32>(h + H_PLAN, <u32>plan);
  store<u32>(h + H_ROWS, <u32>rows);
  store<u32>(h + H_WORK, <u32>work);
  store<u32>(h + H_COL, <u32>col);
  store<u32>(h + H_XS, <u32>xs);
  store<f64>(h + H_SCALE, s);
  return h | COP_TAG;
}

/** COP_HEADER_BYTES, for the facade's allocation. */
export function copHeaderBytes(): usize {
  return COP_HEADER_BYTES;
}

// ---------------------------------------------------------------------------
// The entry points of the complex kernels: dense first.

/** out (m complex) = A x (x: n complex, not changed). */
export function copApply(A: usize, m: i32, n: i32, x: usize, out: usize): void {
  if (cisDense(A)) { cgemvN(A, m, n, x, out); return; }
  const h = hdr(A);
  pfApply(ptrAt(h, H_PLAN), ptrAt(h, H_ROWS), m, n, load<f64>(h + H_SCALE), x, out, ptrAt(h, H_WORK));
}

/** out (n complex) = A^H r (r: m complex, not changed). */
export function copAdjoint(A: usize, m: i32, n: i32, r: usize, out: usize): void {
  if (cisDense(A)) { cgemvH(A, m, n, r, out); return; }
  const h = hdr(A);
  pfAdjoint(ptrAt(h, H_PLAN), ptrAt(h, H_ROWS), m, n, load<f64>(h + H_SCALE), r, out, ptrAt(h, H_WORK));
}

/**
 * The address of column j (m complex): inside A for a dense matrix, else the
 * header's column buffer, filled here (valid until the next copColumn on this
 * operator).
 */
export function copColumn(A: usize, m: i32, j: i32): usize {
  if (cisDense(A)) return A + <usize>j * (<usize>m << 4);
  const h = hdr(A);
  const col = ptrAt(h, H_COL);
  pfColumn(ptrAt(h, H_ROWS), m, load<i32>(h + H_N), load<f64>(h + H_SCALE), j, col);
  return col;
}

/** Scatters v's entries on set[0..cnt) into the header's n-complex scratch (zero elsewhere); returns it. */
function onSet(h: usize, n: i32, v: usize, set: usize, cnt: i32): usize {
  const xs = ptrAt(h, H_XS);
  memory.fill(xs, 0, <usize>n << 4);
  for (let i = 0; i < cnt; i++) {
    const o = <usize>load<i32>(set + (<usize>i << 2)) << 4;
    store<f64>(xs + o, load<f64>(v + o));
    store<f64>(xs + o, load<f64>(v + o, 8), 8);
  }
  return xs;
}

/**
 * r = y - A x over the entries of x on set[0..cnt) (x: n complex). Dense:
 * cblas.ts cresidualOn (column by column, skipping zeros); an operator
 * applies A to x restricted to the set (one FFT whatever the support).
 */
export function copResidualOn(A: usize, m: i32, n: i32, y: usize, x: usize, set: usize, cnt: i32, r: usize): void {
  if (cisDense(A)) { cresidualOn(A, m, y, x, set, cnt, r); return; }
  copApply(A, m, n, onSet(hdr(A), n, x, set, cnt), r);
  const end = <usize>m << 4;
  for (let b: usize = 0; b < end; b += 8) store<f64>(r + b, load<f64>(y + b) - load<f64>(r + b));
}

/**
 * w = sum over i < cnt of v[set[i]] a_{set[i]} (v: n complex, read on the
 * set). Dense: one caddColumn per nonzero, in set order; an operator applies
 * A to v restricted to the set.
 */
export function copApplyOn(A: usize, m: i32, n: i32, v: usize, set: usize, cnt: i32, w: usize): void {
  if (cisDense(A)) {
    memory.fill(w, 0, <usize>m << 4);
    const colBytes = <usize>m << 4;
    for (let i = 0; i < cnt; i++) {
      const j = load<i32>(set + (<usize>i << 2));
      const zr = load<f64>(v + (<usize>j << 4)), zi = load<f64>(v + (<usize>j << 4), 8);
      if (zr != 0.0 || zi != 0.0) caddColumn(A + <usize>j * colBytes, m, zr, zi, w, false);
    }
    return;
  }
  copApply(A, m, n, onSet(hdr(A), n, v, set, cnt), w);
}

/** The n column norms into norms: cnrm2 of each dense column; s sqrt(m) for every column of a partial Fourier operator. */
export function copColNorms(A: usize, m: i32, n: i32, norms: usize): void {
  if (cisDense(A)) {
    const colBytes = <usize>m << 4;
    for (let j = 0; j < n; j++) store<f64>(norms + (<usize>j << 3), cnrm2(A + <usize>j * colBytes, m));
    return;
  }
  const v = load<f64>(hdr(A) + H_SCALE) * Math.sqrt(<f64>m);
  for (let j = 0; j < n; j++) store<f64>(norms + (<usize>j << 3), v);
}

/** Column j of the operator into out (m complex), for the facade. */
export function copColumnInto(A: usize, m: i32, j: i32, out: usize): void {
  memory.copy(out, copColumn(A, m, j), <usize>m << 4);
}

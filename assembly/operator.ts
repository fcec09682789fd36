// The operator every solver kernel runs on. A kernel's `A` argument is a
// handle: either the address of a dense column-major m x n matrix (16-byte
// aligned, so its low bit is 0), or the address of an operator header with
// OP_TAG (the low bit) set. The dense case is tested first and calls the
// dense kernels directly, so a dense solve costs one bit test per call more
// than before; the structured kinds dispatch on the header's kind.
//
// Header (OP_HEADER_BYTES, written by opInit* below, read only here):
//   kind, m, n (i32); plan, aux (rows of a partial DCT; the inner handle of a
//   normalized operator), work (the kind's scratch), col (m f64: the column
//   buffer opColumn fills), xs (n f64: scratch for apply on a support and for
//   scaling), inv (n f64: 1/||a_j|| of a normalized operator), host id (i32),
//   scale (f64, the partial DCT's factor).
// The blocks belong to the facade's operator object, which allocates them once;
// the kernels here allocate nothing. A header is used by one call at a time
// (WASM runs one call at a time per instance).
import { axpy, colNorms, copy, dot, gemvN, gemvT, nrm2, powerStart, scal, spectralNorm, zero } from "./blas";
import { pdctAdjoint, pdctApply, pdctColNorms, pdctColumn } from "./partialdct";
import { convAdjoint, convApply, convColNorms, convColumn, convGramOn, convSubColumn, convTaps } from "./conv";

/** The low bit of a handle that points to a header rather than a dense matrix. */
export const OP_TAG: usize = 1;
/** Bytes of an operator header. */
export const OP_HEADER_BYTES: usize = 64;

/** Kinds of operator headers. */
export const OP_DENSE: i32 = 0;
export const OP_PDCT: i32 = 1;
export const OP_CONV: i32 = 2;
export const OP_NORMALIZED: i32 = 3;
export const OP_HOST: i32 = 4;

/** What opHost is asked for. */
const HOST_APPLY: i32 = 0;
const HOST_ADJOINT: i32 = 1;
const HOST_COLUMN: i32 = 2;

// Header offsets.
const H_KIND: usize = 0;
const H_M: usize = 4;
const H_N: usize = 8;
const H_PLAN: usize = 12;
const H_AUX: usize = 16;
const H_WORK: usize = 20;
const H_COL: usize = 24;
const H_XS: usize = 28;
const H_INV: usize = 32;
const H_HOST: usize = 36;
const H_SCALE: usize = 40;

/**
 * A user's operator in JavaScript (Operator.fromFunctions): the facade's
 * import computes out = A inp (what 0), A^T inp (1) or column j (2, inp = j).
 */
// @ts-ignore: decorator
@external("env", "opHost")
declare function opHost(id: i32, what: i32, inp: usize, out: usize): void;

// @ts-ignore: decorator
@inline function hdr(A: usize): usize { return A & ~OP_TAG; }
// @ts-ignore: decorator
@inline function kindOf(h: usize): i32 { return load<i32>(h + H_KIND); }
// @ts-ignore: decorator
@inline function ptrAt(h: usize, off: usize): usize { return <usize>load<u32>(h + off); }

/** True when the handle is a dense matrix (no header). */
// @ts-ignore: decorator
@inline export function isDense(A: usize): bool { return (A & OP_TAG) == 0; }

function header(h: usize, kind: i32, m: i32, n: i32, plan: usize, aux: usize, work: usize, col: usize, xs: usize, inv: usize, host: i32, scale: f64): usize {
  memory.fill(h, 0, OP_HEADER_BYTES);
  store<i32>(h + H_KIND, kind);
  store<i32>(h + H_M, m);
  store<i32>(h + H_N, n);
  store<u32>(h + H_PLAN, <u32>plan);
  store<u32>(h + H_AUX, <u32>aux);
  store<u32>(h + H_WORK, <u32>work);
  store<u32>(h + H_COL, <u32>col);
  store<u32>(h + H_XS, <u32>xs);
  store<u32>(h + H_INV, <u32>inv);
  store<i32>(h + H_HOST, host);
  store<f64>(h + H_SCALE, scale);
  return h | OP_TAG;
}

/** A dense m x n matrix A behind a header (what a normalized operator wraps). Returns the handle. */
export function opInitDense(h: usize, A: usize, m: i32, n: i32, col: usize, xs: usize): usize {
  return header(h, OP_DENSE, m, n, A, 0, 0, col, xs, 0, 0, 1.0);
}

/** The partial DCT (assembly/partialdct.ts): plan of dctPlanInit(n), m rows, scale s, work of pdctWorkBytes(n). */
export function opInitPdct(h: usize, plan: usize, rows: usize, m: i32, n: i32, s: f64, work: usize, col: usize, xs: usize): usize {
  return header(h, OP_PDCT, m, n, plan, rows, work, col, xs, 0, 0, s);
}

/** A convolution (assembly/conv.ts): plan of convPlanInit, m rows and n columns, work of convWorkBytes. */
export function opInitConv(h: usize, plan: usize, m: i32, n: i32, work: usize, col: usize, xs: usize): usize {
  return header(h, OP_CONV, m, n, plan, 0, work, col, xs, 0, 0, 1.0);
}

/**
 * The operator `inner` with unit-norm columns: column j divided by
 * ||a_j|| (norms: the inner operator's n column norms; a zero column stays
 * zero). inv receives the n inverse norms. Returns the handle.
 */
export function opInitNormalized(h: usize, inner: usize, m: i32, n: i32, norms: usize, inv: usize, col: usize, xs: usize): usize {
  for (let j = 0; j < n; j++) {
    const v = load<f64>(norms + (<usize>j << 3));
    store<f64>(inv + (<usize>j << 3), v > 0.0 ? 1.0 / v : 0.0);
  }
  return header(h, OP_NORMALIZED, m, n, 0, inner, 0, col, xs, inv, 0, 1.0);
}

/** A user's JavaScript operator, number `id` of the facade's table. */
export function opInitHost(h: usize, id: i32, m: i32, n: i32, col: usize, xs: usize): usize {
  return header(h, OP_HOST, m, n, 0, 0, 0, col, xs, 0, id, 1.0);
}

/** out (m) = A x (x: n values, not changed). */
export function opApply(A: usize, m: i32, n: i32, x: usize, out: usize): void {
  if (isDense(A)) { gemvN(A, m, n, x, out); return; }
  const h = hdr(A);
  const kind = kindOf(h);
  if (kind == OP_DENSE) gemvN(ptrAt(h, H_PLAN), m, n, x, out);
  else if (kind == OP_PDCT) pdctApply(ptrAt(h, H_PLAN), ptrAt(h, H_AUX), m, load<f64>(h + H_SCALE), x, out, ptrAt(h, H_WORK));
  else if (kind == OP_CONV) convApply(ptrAt(h, H_PLAN), x, out, ptrAt(h, H_WORK));
  else if (kind == OP_NORMALIZED) {
    const xs = ptrAt(h, H_XS), inv = ptrAt(h, H_INV);
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 3;
      store<f64>(xs + o, load<f64>(x + o) * load<f64>(inv + o));
    }
    opApply(ptrAt(h, H_AUX), m, n, xs, out);
  } else opHost(load<i32>(h + H_HOST), HOST_APPLY, x, out);
}

/** out (n) = A^T r (r: m values, not changed). */
export function opAdjoint(A: usize, m: i32, n: i32, r: usize, out: usize): void {
  if (isDense(A)) { gemvT(A, m, n, r, out); return; }
  const h = hdr(A);
  const kind = kindOf(h);
  if (kind == OP_DENSE) gemvT(ptrAt(h, H_PLAN), m, n, r, out);
  else if (kind == OP_PDCT) pdctAdjoint(ptrAt(h, H_PLAN), ptrAt(h, H_AUX), m, load<f64>(h + H_SCALE), r, out, ptrAt(h, H_WORK));
  else if (kind == OP_CONV) convAdjoint(ptrAt(h, H_PLAN), r, out, ptrAt(h, H_WORK));
  else if (kind == OP_NORMALIZED) {
    opAdjoint(ptrAt(h, H_AUX), m, n, r, out);
    const inv = ptrAt(h, H_INV);
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 3;
      store<f64>(out + o, load<f64>(out + o) * load<f64>(inv + o));
    }
  } else opHost(load<i32>(h + H_HOST), HOST_ADJOINT, r, out);
}

/**
 * The address of column j (m values): inside A for a dense matrix, else the
 * header's column buffer, filled here (valid until the next opColumn on
 * this operator).
 */
export function opColumn(A: usize, m: i32, j: i32): usize {
  if (isDense(A)) return A + <usize>j * (<usize>m << 3);
  const h = hdr(A);
  const col = ptrAt(h, H_COL);
  fillColumn(h, m, j, col);
  return col;
}

function fillColumn(h: usize, m: i32, j: i32, out: usize): void {
  const kind = kindOf(h);
  if (kind == OP_DENSE) copy(ptrAt(h, H_PLAN) + <usize>j * (<usize>m << 3), out, m);
  else if (kind == OP_PDCT) pdctColumn(load<i32>(h + H_N), ptrAt(h, H_AUX), m, load<f64>(h + H_SCALE), j, out);
  else if (kind == OP_CONV) convColumn(ptrAt(h, H_PLAN), j, out);
  else if (kind == OP_NORMALIZED) {
    const inner = ptrAt(h, H_AUX);
    if (isDense(inner)) copy(inner + <usize>j * (<usize>m << 3), out, m);
    else fillColumn(hdr(inner), m, j, out);
    scal(load<f64>(ptrAt(h, H_INV) + (<usize>j << 3)), out, m);
  } else opHost(load<i32>(h + H_HOST), HOST_COLUMN, <usize>j, out);
}

/**
 * r = y - A x for x that is zero off set[0..cnt) (x: n values). Dense: one
 * axpy per nonzero of the set; a structured operator applies A to x whole
 * (its cost does not depend on the support).
 */
export function opResidualOn(A: usize, m: i32, n: i32, y: usize, x: usize, set: usize, cnt: i32, r: usize): void {
  if (isDense(A)) {
    copy(y, r, m);
    const colBytes = <usize>m << 3;
    for (let i = 0; i < cnt; i++) {
      const j = load<i32>(set + (<usize>i << 2));
      const xj = load<f64>(x + (<usize>j << 3));
      if (xj != 0.0) axpy(-xj, A + <usize>j * colBytes, r, m);
    }
    return;
  }
  const plan = convPlanOf(A);
  if (plan != 0 && <i64>cnt * <i64>convTaps(plan) <= <i64>n) {
    // a convolution's columns are its taps shifted: cnt L operations instead of an application
    copy(y, r, m);
    for (let i = 0; i < cnt; i++) {
      const j = load<i32>(set + (<usize>i << 2));
      let xj = load<f64>(x + (<usize>j << 3));
      if (convInv != 0) xj *= load<f64>(convInv + (<usize>j << 3));
      if (xj != 0.0) convSubColumn(plan, j, xj, r);
    }
    return;
  }
  opApply(A, m, n, x, r);
  for (let i = 0; i < m; i++) {
    const o = <usize>i << 3;
    store<f64>(r + o, load<f64>(y + o) - load<f64>(r + o));
  }
}

/**
 * r -= alpha a_j (r: m values) touching only the rows of column j, for an
 * operator whose columns are that cheap: a convolution, directly or
 * normalized (conv.ts convSubColumn, O(L)). Returns false, r unchanged, for
 * the others (opResidualOn then forms the residual whole).
 */
export function opSubColumn(A: usize, j: i32, alpha: f64, r: usize): bool {
  const plan = convPlanOf(A);
  if (plan == 0) return false;
  const a = convInv != 0 ? alpha * load<f64>(convInv + (<usize>j << 3)) : alpha;
  if (a != 0.0) convSubColumn(plan, j, a, r);
  return true;
}

/** True when opSubColumn updates A's residuals column by column. */
export function opCheapColumns(A: usize): bool {
  return convPlanOf(A) != 0;
}

// The inverse column norms of the normalized operator convPlanOf looked through, or 0.
let convInv: usize = 0;

/**
 * The convolution plan behind A when A is a convolution, or a normalized
 * convolution (convInv then holds its inverse norms), else 0.
 */
function convPlanOf(A: usize): usize {
  convInv = 0;
  if (isDense(A)) return 0;
  const h = hdr(A);
  const kind = kindOf(h);
  if (kind == OP_CONV) return ptrAt(h, H_PLAN);
  if (kind == OP_NORMALIZED) {
    const inner = ptrAt(h, H_AUX);
    if (isDense(inner) || kindOf(hdr(inner)) != OP_CONV) return 0;
    convInv = ptrAt(h, H_INV);
    return ptrAt(hdr(inner), H_PLAN);
  }
  return 0;
}

/**
 * Inner products of column j with the columns of a set, out[i] =
 * a_(set[i])^T a_j (i < cnt), without A_S: returns a_j^T a_j. Dense: cnt + 1
 * dot products; a convolution: its taps (conv.ts convGramOn, O(L) per
 * overlapping pair); any other operator: one adjoint of column j (work: n
 * values), read on the set.
 */
export function opGramOn(A: usize, m: i32, n: i32, j: i32, set: usize, cnt: i32, out: usize, work: usize): f64 {
  if (isDense(A)) {
    const colBytes = <usize>m << 3;
    const aj = A + <usize>j * colBytes;
    for (let i = 0; i < cnt; i++) {
      store<f64>(out + (<usize>i << 3), dot(A + <usize>load<i32>(set + (<usize>i << 2)) * colBytes, aj, m));
    }
    return dot(aj, aj, m);
  }
  const h = hdr(A);
  const kind = kindOf(h);
  if (kind == OP_DENSE) return opGramOn(ptrAt(h, H_PLAN), m, n, j, set, cnt, out, work);
  if (kind == OP_CONV) return convGramOn(ptrAt(h, H_PLAN), j, set, cnt, out);
  if (kind == OP_NORMALIZED) {
    const d = opGramOn(ptrAt(h, H_AUX), m, n, j, set, cnt, out, work);
    const inv = ptrAt(h, H_INV);
    const ij = load<f64>(inv + (<usize>j << 3));
    for (let i = 0; i < cnt; i++) {
      const o = <usize>i << 3;
      const ii = load<f64>(inv + (<usize>load<i32>(set + (<usize>i << 2)) << 3));
      store<f64>(out + o, load<f64>(out + o) * ii * ij);
    }
    return d * ij * ij;
  }
  opAdjoint(A, m, n, opColumn(A, m, j), work);
  for (let i = 0; i < cnt; i++) {
    store<f64>(out + (<usize>i << 3), load<f64>(work + (<usize>load<i32>(set + (<usize>i << 2)) << 3)));
  }
  return load<f64>(work + (<usize>j << 3));
}

/**
 * w = sum_i v[set[i]] a_{set[i]} (v: n values, read only on the set). Dense:
 * one axpy per nonzero; a structured operator scatters v's entries on the
 * set into its scratch and applies A to it.
 */
export function opApplyOn(A: usize, m: i32, n: i32, v: usize, set: usize, cnt: i32, w: usize): void {
  if (isDense(A)) {
    zero(w, m);
    const colBytes = <usize>m << 3;
    for (let i = 0; i < cnt; i++) {
      const j = load<i32>(set + (<usize>i << 2));
      const vj = load<f64>(v + (<usize>j << 3));
      if (vj != 0.0) axpy(vj, A + <usize>j * colBytes, w, m);
    }
    return;
  }
  const xs = ptrAt(hdr(A), H_XS);
  zero(xs, n);
  for (let i = 0; i < cnt; i++) {
    const o = <usize>load<i32>(set + (<usize>i << 2)) << 3;
    store<f64>(xs + o, load<f64>(v + o));
  }
  opApply(A, m, n, xs, w);
}

/** r = y - A x; returns ||r||. */
export function opResidual(A: usize, m: i32, n: i32, y: usize, x: usize, r: usize): f64 {
  opApply(A, m, n, x, r);
  for (let i = 0; i < m; i++) {
    const o = <usize>i << 3;
    store<f64>(r + o, load<f64>(y + o) - load<f64>(r + o));
  }
  return nrm2(r, m);
}

/**
 * ||A||_2 by power iteration on A^T A (v: n, u: m work) from blas.ts
 * powerStart: the dense kernel for a dense matrix, the same iteration through
 * opApply / opAdjoint otherwise.
 */
export function opSpectralNorm(A: usize, m: i32, n: i32, maxIter: i32, rtol: f64, v: usize, u: usize): f64 {
  if (isDense(A)) return spectralNorm(A, m, n, maxIter, rtol, v, u);
  powerStart(v, n);
  let sigma = 0.0;
  for (let it = 0; it < maxIter; it++) {
    opApply(A, m, n, v, u);
    opAdjoint(A, m, n, u, v);
    const nv = nrm2(v, n);
    if (nv == 0.0) return 0.0;
    const next = Math.sqrt(nv);
    scal(1.0 / nv, v, n);
    if (abs(next - sigma) <= rtol * next) { sigma = next; break; }
    sigma = next;
  }
  return sigma;
}

/**
 * The n column norms of the operator into norms: the dense kernel for a dense
 * matrix, the kinds' own O(n log n) or O(n L) formulas for the partial DCT
 * and the convolution, all ones for a normalized operator (zero for a zero
 * column), column by column otherwise.
 */
export function opColNorms(A: usize, m: i32, n: i32, norms: usize): void {
  if (isDense(A)) { colNorms(A, m, n, norms); return; }
  {
    const h = hdr(A);
    const kind = kindOf(h);
    if (kind == OP_PDCT) { pdctColNorms(ptrAt(h, H_PLAN), ptrAt(h, H_AUX), m, load<f64>(h + H_SCALE), norms, ptrAt(h, H_WORK)); return; }
    if (kind == OP_CONV) { convColNorms(ptrAt(h, H_PLAN), norms); return; }
    if (kind == OP_NORMALIZED) {
      const inv = ptrAt(h, H_INV);
      for (let j = 0; j < n; j++) store<f64>(norms + (<usize>j << 3), load<f64>(inv + (<usize>j << 3)) > 0.0 ? 1.0 : 0.0);
      return;
    }
  }
  for (let j = 0; j < n; j++) store<f64>(norms + (<usize>j << 3), nrm2(opColumn(A, m, j), m));
}

/** Column j of the operator into out (m values), for the facade. */
export function opColumnInto(A: usize, m: i32, j: i32, out: usize): void {
  copy(opColumn(A, m, j), out, m);
}

/** OP_HEADER_BYTES, for the facade's allocation. */
export function opHeaderBytes(): usize {
  return OP_HEADER_BYTES;
}

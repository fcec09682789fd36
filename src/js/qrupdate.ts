// Updatable thin QR (A_S = Q R, positive diagonal) for the JS backend: append
// by Gram-Schmidt (a second pass when the first cancelled most of the column),
// delete by Givens rotations.
// Same mathematics as assembly/qrupdate.ts, written independently: columns
// are kept as separate arrays and a delete splices them out.
import { dot, norm2 } from './linalg.js';

/** See assembly/qrupdate.ts QU_DEP_TOL (sqrt of machine epsilon). */
export const QU_DEP_TOL = Math.sqrt(2 ** -52);
/** See assembly/qrupdate.ts QU_REORTH (1/sqrt(2)). */
export const QU_REORTH = Math.SQRT1_2;

export type AppendStatus = 'ok' | 'dependent' | 'full';

export class UpdatableQR {
  readonly m: number;
  readonly kmax: number;
  /** Orthonormal columns q_0..q_{t-1}. */
  readonly q: Float64Array[] = [];
  /** Columns of R: r[j] has j+1 entries (rows 0..j). */
  readonly r: Float64Array[] = [];
  /** Atom held at each position. */
  readonly atoms: number[] = [];
  /** Companion columns that follow Q's rotations (ELS: A^T q_j), when tracked. */
  readonly companion: Float64Array[] = [];

  constructor(m: number, kmax: number) {
    this.m = m;
    this.kmax = kmax;
  }

  get t(): number {
    return this.q.length;
  }

  /** Appends column a (norm anorm) as `atom`; `comp` (optional) computes its companion column from q_new. */
  append(a: Float64Array, anorm: number, atom: number, comp?: (qNew: Float64Array) => Float64Array): AppendStatus {
    const t = this.t;
    const m = this.m;
    if (t >= this.kmax || t >= m) return 'full';
    const w = Float64Array.from(a);
    const rc = new Float64Array(t + 1);
    // Gram-Schmidt, once more when the pass cancelled most of the column
    let before = anorm;
    for (let pass = 0; pass < 2 && t > 0; pass++) {
      const h = this.q.map((qj) => dot(qj, 0, w, 0, m));
      for (let j = 0; j < t; j++) {
        const qj = this.q[j];
        const hj = h[j];
        for (let i = 0; i < m; i++) w[i] -= hj * qj[i];
        rc[j] += hj;
      }
      const after = norm2(w);
      if (after >= QU_REORTH * before) break;
      before = after;
    }
    const rho = norm2(w);
    if (!(rho > QU_DEP_TOL * anorm)) return 'dependent';
    for (let i = 0; i < m; i++) w[i] /= rho;
    rc[t] = rho;
    this.q.push(w);
    this.r.push(rc);
    this.atoms.push(atom);
    if (comp) this.companion.push(comp(w));
    return 'ok';
  }

  /** Removes position p; R is re-triangularised by Givens rotations (also applied to Q and the companion). */
  remove(p: number): void {
    const t = this.t;
    this.r.splice(p, 1);
    this.atoms.splice(p, 1);
    // columns p..t-2 of R now have one entry below the diagonal (at row i+1 of column i)
    for (let i = p; i < t - 1; i++) {
      const col = this.r[i];
      const a = col[i];
      const b = col[i + 1];
      const h = Math.hypot(a, b);
      const c = h > 0 ? a / h : 1;
      const s = h > 0 ? b / h : 0;
      const shortened = col.slice(0, i + 1);
      shortened[i] = h;
      this.r[i] = shortened;
      for (let l = i + 1; l < t - 1; l++) {
        const rl = this.r[l];
        const u = rl[i];
        const v = rl[i + 1];
        rl[i] = c * u + s * v;
        rl[i + 1] = c * v - s * u;
      }
      rotate(this.q[i], this.q[i + 1], c, s);
      if (this.companion.length) rotate(this.companion[i], this.companion[i + 1], c, s);
    }
    this.q.pop();
    if (this.companion.length) this.companion.pop();
  }

  /** Position of atom j, or -1. */
  position(j: number): number {
    return this.atoms.indexOf(j);
  }

  /** Q^T y. */
  qty(y: Float64Array): Float64Array {
    return Float64Array.from(this.q, (qj) => dot(qj, 0, y, 0, this.m));
  }

  /** Solves R z = b (back substitution). */
  solve(b: Float64Array): Float64Array {
    const t = this.t;
    const z = new Float64Array(t);
    for (let i = t - 1; i >= 0; i--) {
      let s = b[i];
      for (let j = i + 1; j < t; j++) s -= this.r[j][i] * z[j];
      z[i] = s / this.r[i][i];
    }
    return z;
  }

  /** y - Q qty. */
  residual(y: Float64Array, qty: Float64Array): Float64Array {
    const r = Float64Array.from(y);
    for (let j = 0; j < this.t; j++) {
      const qj = this.q[j];
      const s = qty[j];
      for (let i = 0; i < this.m; i++) r[i] -= s * qj[i];
    }
    return r;
  }

  /** R as a dense t x t column-major array (upper triangle). */
  denseR(): Float64Array {
    const t = this.t;
    const out = new Float64Array(t * t);
    for (let j = 0; j < t; j++) for (let i = 0; i <= j; i++) out[i + j * t] = this.r[j][i];
    return out;
  }
}

function rotate(x: Float64Array, y: Float64Array, c: number, s: number): void {
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const v = y[i];
    x[i] = c * u + s * v;
    y[i] = c * v - s * u;
  }
}

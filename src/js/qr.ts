// Incremental Householder QR with one right-hand side, for the JS backend.
// Same mathematics as assembly/qr.ts, written independently.
import { dot, norm2 } from './linalg.js';

/** Dependence threshold: see assembly/qr.ts (sqrt of machine epsilon). */
export const DEP_TOL = Math.sqrt(2 ** -52);

export class HouseholderQR {
  readonly m: number;
  readonly kmax: number;
  /** Number of columns in the factorization. */
  t = 0;
  private readonly vs: Float64Array[] = [];
  private readonly taus: number[] = [];
  /** R columns: rcols[j] has j+1 entries. */
  private readonly rcols: Float64Array[] = [];
  /** Q^T y. */
  readonly qty: Float64Array;

  constructor(m: number, kmax: number, y: Float64Array) {
    this.m = m;
    this.kmax = kmax;
    this.qty = Float64Array.from(y);
  }

  private reflect(j: number, x: Float64Array): void {
    const v = this.vs[j];
    const len = this.m - j;
    const s = dot(v, 0, x, j, len) * this.taus[j];
    if (s !== 0) for (let i = 0; i < len; i++) x[j + i] -= s * v[i];
  }

  /** Appends column a (norm anorm); returns 'ok', 'dependent' or 'full'. */
  append(a: Float64Array, anorm: number): 'ok' | 'dependent' | 'full' {
    const { t, m } = this;
    if (t >= this.kmax || t >= m) return 'full';
    const w = Float64Array.from(a);
    for (let j = 0; j < t; j++) this.reflect(j, w);
    const alpha = norm2(w, t, m - t);
    if (!(alpha > DEP_TOL * anorm)) return 'dependent';
    const x0 = w[t];
    const sgn = x0 >= 0 ? 1 : -1;
    // v scaled so that v[0] = 1, tau = 1 + |x0| / alpha in [1, 2]: the
    // unscaled tau = 1 / (alpha (alpha + |x0|)) overflows for alpha < 1e-154
    const u = x0 + sgn * alpha;
    const v = w.slice(t).map((e) => e / u);
    v[0] = 1;
    this.vs.push(v);
    this.taus.push(1 + Math.abs(x0) / alpha);
    const rc = new Float64Array(t + 1);
    rc.set(w.subarray(0, t));
    rc[t] = -sgn * alpha;
    this.rcols.push(rc);
    this.t = t + 1;
    this.reflect(t, this.qty);
    return 'ok';
  }

  /** Least-squares residual norm. */
  residualNorm(): number {
    return norm2(this.qty, this.t, this.m - this.t);
  }

  /** r = y - A_S z. */
  residual(r: Float64Array): void {
    r.fill(0, 0, this.t);
    r.set(this.qty.subarray(this.t), this.t);
    for (let j = this.t - 1; j >= 0; j--) this.reflect(j, r);
  }

  /** Coefficients z (length t) of the least-squares fit. */
  /**
   * The least-squares coefficients on the first t atoms appended (default all):
   * the leading t x t triangle of R against the first t entries of Q^T y.
   */
  solve(t = this.t): Float64Array {
    const z = new Float64Array(t);
    for (let i = t - 1; i >= 0; i--) {
      let s = this.qty[i];
      for (let j = i + 1; j < t; j++) s -= this.rcols[j][i] * z[j];
      z[i] = s / this.rcols[i][i];
    }
    return z;
  }
}

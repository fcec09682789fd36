// Updatable thin complex QR (A_S = Q R, Q with orthonormal complex columns,
// R upper triangular with a real positive diagonal) for the complex OMPR,
// ELS and SEA twins: the rules of src/js/qrupdate.ts (and of
// assembly/qrupdate.ts) in complex arithmetic.
//
// - append: classical Gram-Schmidt, h = Q^H w, w -= Q h, a second pass when
//   the first left less than QU_REORTH of the column; dependent below
//   QU_DEP_TOL ||a||.
// - delete (position p): R's columns shift left and complex Givens rotations
//   G = [[conj(c), conj(s)], [-s, c]] (c = a / h, s = b / h,
//   h = hypot(|a|, |b|)) on rows (i, i+1) restore the triangle, with a real
//   positive diagonal h; Q (and the companion A^H Q of ELS) become Q G^H:
//   q_i <- c q_i + s q_{i+1}, q_{i+1} <- conj(c) q_{i+1} - conj(s) q_i.
//   With real data these are the real rotations, operation for operation.
//
// `real` (the realX fits): the columns are the same interleaved arrays, taken
// as real vectors of length 2m ([Re a; Im a] up to the order of the rows), the
// inner product is the real one Re(q^H w), so R and the coefficients are
// real (imaginary parts 0): least squares over real coefficients.
//
// The order of every sum is the one of assembly/complex/qrupdate.ts, so the
// two agree bit for bit on the same columns.
import { QU_DEP_TOL, QU_REORTH } from '../qrupdate.js';
import { cnorm2 } from './cmatrix.js';

export type AppendStatus = 'ok' | 'dependent' | 'full';

/** re + i im of q^H w (complex; in real mode Re(q^H w) and 0), over m complex values. */
export function cdotQ(q: Float64Array, w: Float64Array, m: number, real: boolean, out: Float64Array): void {
  let sr = 0;
  let si = 0;
  for (let i = 0; i < 2 * m; i += 2) {
    const qr = q[i];
    const qi = q[i + 1];
    const wr = w[i];
    const wi = w[i + 1];
    sr += qr * wr + qi * wi;
    if (!real) si += qr * wi - qi * wr;
  }
  out[0] = sr;
  out[1] = si;
}

export class ComplexUpdatableQR {
  readonly m: number;
  readonly kmax: number;
  readonly real: boolean;
  /** Orthonormal columns (2m doubles each, interleaved). */
  readonly q: Float64Array[] = [];
  /** Columns of R: r[j] has j + 1 complex entries (2(j + 1) doubles). */
  readonly r: Float64Array[] = [];
  readonly atoms: number[] = [];
  /** Companion columns (ELS: A^H q_j, 2n doubles), rotated with Q. */
  readonly companion: Float64Array[] = [];

  constructor(m: number, kmax: number, real: boolean) {
    this.m = m;
    this.kmax = kmax;
    this.real = real;
  }

  get t(): number {
    return this.q.length;
  }

  /** Appends column a (2m doubles, norm anorm) as `atom`; `comp` computes the companion column from q_new. */
  append(a: Float64Array, anorm: number, atom: number, comp?: (qNew: Float64Array) => Float64Array): AppendStatus {
    const t = this.t;
    const m = this.m;
    if (t >= this.kmax || t >= (this.real ? 2 * m : m)) return 'full';
    const w = Float64Array.from(a.subarray(0, 2 * m));
    const rc = new Float64Array(2 * (t + 1));
    const h = new Float64Array(2 * t);
    const d = new Float64Array(2);
    let before = anorm;
    for (let pass = 0; pass < 2 && t > 0; pass++) {
      for (let j = 0; j < t; j++) {
        cdotQ(this.q[j], w, m, this.real, d);
        h[2 * j] = d[0];
        h[2 * j + 1] = d[1];
      }
      for (let j = 0; j < t; j++) {
        const qj = this.q[j];
        const hr = h[2 * j];
        const hi = h[2 * j + 1];
        for (let i = 0; i < 2 * m; i += 2) {
          w[i] -= hr * qj[i] - hi * qj[i + 1];
          w[i + 1] -= hr * qj[i + 1] + hi * qj[i];
        }
        rc[2 * j] += hr;
        rc[2 * j + 1] += hi;
      }
      const after = cnorm2(w);
      if (after >= QU_REORTH * before) break;
      before = after;
    }
    const rho = cnorm2(w);
    if (!(rho > QU_DEP_TOL * anorm)) return 'dependent';
    for (let i = 0; i < 2 * m; i++) w[i] /= rho;
    rc[2 * t] = rho;
    this.q.push(w);
    this.r.push(rc);
    this.atoms.push(atom);
    if (comp) this.companion.push(comp(w));
    return 'ok';
  }

  /** Removes position p; the triangle is restored by complex Givens rotations (applied to Q and the companion too). */
  remove(p: number): void {
    const t = this.t;
    this.r.splice(p, 1);
    this.atoms.splice(p, 1);
    for (let i = p; i < t - 1; i++) {
      const col = this.r[i];
      const ar = col[2 * i], ai = col[2 * i + 1];
      const br = col[2 * i + 2], bi = col[2 * i + 3];
      const h = Math.hypot(cmod(ar, ai), cmod(br, bi));
      let cr = 1, ci = 0, sr = 0, si = 0;
      if (h > 0) {
        cr = ar / h; ci = ai / h; sr = br / h; si = bi / h;
      }
      const shortened = col.slice(0, 2 * (i + 1));
      shortened[2 * i] = h;
      shortened[2 * i + 1] = 0;
      this.r[i] = shortened;
      for (let l = i + 1; l < t - 1; l++) {
        const rl = this.r[l];
        const ur = rl[2 * i], ui = rl[2 * i + 1], vr = rl[2 * i + 2], vi = rl[2 * i + 3];
        // u' = conj(c) u + conj(s) v, v' = c v - s u
        rl[2 * i] = (cr * ur + ci * ui) + (sr * vr + si * vi);
        rl[2 * i + 1] = (cr * ui - ci * ur) + (sr * vi - si * vr);
        rl[2 * i + 2] = (cr * vr - ci * vi) - (sr * ur - si * ui);
        rl[2 * i + 3] = (cr * vi + ci * vr) - (sr * ui + si * ur);
      }
      crotate(this.q[i], this.q[i + 1], cr, ci, sr, si);
      if (this.companion.length) crotate(this.companion[i], this.companion[i + 1], cr, ci, sr, si);
    }
    this.q.pop();
    if (this.companion.length) this.companion.pop();
  }

  position(j: number): number {
    return this.atoms.indexOf(j);
  }

  /** Q^H y (t complex values, 2t doubles; real mode: Re, imaginary parts 0). */
  qty(y: Float64Array): Float64Array {
    const out = new Float64Array(2 * this.t);
    const d = new Float64Array(2);
    for (let j = 0; j < this.t; j++) {
      cdotQ(this.q[j], y, this.m, this.real, d);
      out[2 * j] = d[0];
      out[2 * j + 1] = d[1];
    }
    return out;
  }

  /** Solves R z = b by back substitution (complex, 2t doubles; the diagonal is real). */
  solve(b: Float64Array): Float64Array {
    const t = this.t;
    const z = new Float64Array(2 * t);
    for (let i = t - 1; i >= 0; i--) {
      let sr = b[2 * i];
      let si = b[2 * i + 1];
      for (let j = i + 1; j < t; j++) {
        const rr = this.r[j][2 * i], ri = this.r[j][2 * i + 1];
        const zr = z[2 * j], zi = z[2 * j + 1];
        sr -= rr * zr - ri * zi;
        si -= rr * zi + ri * zr;
      }
      const d = this.r[i][2 * i];
      z[2 * i] = sr / d;
      z[2 * i + 1] = si / d;
    }
    return z;
  }

  /** y - Q qty (2m doubles). */
  residual(y: Float64Array, qty: Float64Array): Float64Array {
    const r = Float64Array.from(y);
    for (let j = 0; j < this.t; j++) {
      const qj = this.q[j];
      const hr = qty[2 * j];
      const hi = qty[2 * j + 1];
      for (let i = 0; i < 2 * this.m; i += 2) {
        r[i] -= hr * qj[i] - hi * qj[i + 1];
        r[i + 1] -= hr * qj[i + 1] + hi * qj[i];
      }
    }
    return r;
  }
}

/**
 * |re + i im| by the rule of the kernels' cabs (assembly/complex/cblas.ts):
 * |re| when im = 0, sqrt(re^2 + im^2) when both parts lie in [2^-500, 2^500],
 * hypot otherwise; so twin and kernel take the same moduli.
 */
export function cmod(re: number, im: number): number {
  if (im === 0) return Math.abs(re);
  const a = Math.abs(re), b = Math.abs(im);
  if (a < 3.273390607896142e150 && b < 3.273390607896142e150 && a > 3.054936363499605e-151 && b > 3.054936363499605e-151) return Math.sqrt(re * re + im * im);
  return Math.hypot(re, im);
}

/** (x, y) <- (c x + s y, conj(c) y - conj(s) x), element by element (complex c, s). */
function crotate(x: Float64Array, y: Float64Array, cr: number, ci: number, sr: number, si: number): void {
  for (let i = 0; i < x.length; i += 2) {
    const ur = x[i], ui = x[i + 1], vr = y[i], vi = y[i + 1];
    x[i] = (cr * ur - ci * ui) + (sr * vr - si * vi);
    x[i + 1] = (cr * ui + ci * ur) + (sr * vi + si * vr);
    y[i] = (cr * vr + ci * vi) - (sr * ur + si * ui);
    y[i + 1] = (cr * vi - ci * vr) - (sr * ui - si * ur);
  }
}

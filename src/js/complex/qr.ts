// Incremental complex Householder QR with one right-hand side, for the
// complex OMP twin: the complex counterpart of src/js/qr.ts, column by column.
//
// Reflector for the trailing part x (length m - t) of a new column, with
// x0 = |x0| e^{i theta} its first entry and alpha = ||x||:
//   beta = -e^{i theta} alpha,  v = (x - beta e1) / (x0 - beta)  (v[0] = 1),
//   H = I - tau v v^H,  tau = 1 + |x0| / alpha  (real, in [1, 2]),
// so that H x = beta e1 and H is Hermitian and unitary. Taking beta opposite
// in phase to x0 avoids cancellation in x0 - beta, as the real sign rule
// does; with every imaginary part zero this is the real reflector exactly
// (theta = 0 for x0 >= 0, pi otherwise), so the factor reproduces the real one.
import { DEP_TOL } from '../qr.js';
import { cdiv, cnorm2 } from './cmatrix.js';

export class ComplexHouseholderQR {
  readonly m: number;
  readonly kmax: number;
  /** Number of columns in the factorization. */
  t = 0;
  /** Reflector vectors (interleaved, length 2 (m - j)), v[0] = 1. */
  private readonly vs: Float64Array[] = [];
  private readonly taus: number[] = [];
  /** Columns of R: rcols[j] holds j+1 complex entries (interleaved). */
  private readonly rcols: Float64Array[] = [];
  /** Q^H y (interleaved, length 2m). */
  readonly qhy: Float64Array;

  /** y: 2m doubles, interleaved. */
  constructor(m: number, kmax: number, y: Float64Array) {
    this.m = m;
    this.kmax = kmax;
    this.qhy = Float64Array.from(y);
  }

  /** x <- H_j x on elements j .. m-1. */
  private reflect(j: number, x: Float64Array): void {
    const v = this.vs[j];
    const len = this.m - j;
    const o = 2 * j;
    // s = tau v^H x
    let sr = 0;
    let si = 0;
    for (let i = 0; i < len; i++) {
      const vr = v[2 * i];
      const vi = v[2 * i + 1];
      const xr = x[o + 2 * i];
      const xi = x[o + 2 * i + 1];
      sr += vr * xr + vi * xi;
      si += vr * xi - vi * xr;
    }
    const tau = this.taus[j];
    sr *= tau;
    si *= tau;
    if (sr === 0 && si === 0) return;
    for (let i = 0; i < len; i++) {
      const vr = v[2 * i];
      const vi = v[2 * i + 1];
      x[o + 2 * i] -= sr * vr - si * vi;
      x[o + 2 * i + 1] -= sr * vi + si * vr;
    }
  }

  /** Appends column a (2m doubles; norm anorm); returns 'ok', 'dependent' or 'full'. */
  append(a: Float64Array, anorm: number): 'ok' | 'dependent' | 'full' {
    const { t, m } = this;
    if (t >= this.kmax || t >= m) return 'full';
    const w = Float64Array.from(a);
    for (let j = 0; j < t; j++) this.reflect(j, w);
    const alpha = cnorm2(w, t, m - t);
    if (!(alpha > DEP_TOL * anorm)) return 'dependent';
    const x0r = w[2 * t];
    const x0i = w[2 * t + 1];
    let pr: number;
    let pi: number;
    let ax0: number;
    if (x0i === 0) {
      pr = x0r >= 0 ? 1 : -1;
      pi = 0;
      ax0 = Math.abs(x0r);
    } else {
      ax0 = Math.hypot(x0r, x0i);
      pr = x0r / ax0;
      pi = x0i / ax0;
    }
    // u = x0 - beta = x0 + e^{i theta} alpha
    const ur = x0r + pr * alpha;
    const ui = x0i + pi * alpha;
    const len = m - t;
    const v = new Float64Array(2 * len);
    const q = [0, 0];
    for (let i = 1; i < len; i++) {
      cdiv(w[2 * (t + i)], w[2 * (t + i) + 1], ur, ui, q);
      v[2 * i] = q[0];
      v[2 * i + 1] = q[1];
    }
    v[0] = 1;
    this.vs.push(v);
    this.taus.push(1 + ax0 / alpha);
    const rc = new Float64Array(2 * (t + 1));
    rc.set(w.subarray(0, 2 * t));
    rc[2 * t] = -pr * alpha;
    rc[2 * t + 1] = -pi * alpha;
    this.rcols.push(rc);
    this.t = t + 1;
    this.reflect(t, this.qhy);
    return 'ok';
  }

  /** Least-squares residual norm. */
  residualNorm(): number {
    return cnorm2(this.qhy, this.t, this.m - this.t);
  }

  /** r = y - A_S z (2m doubles, interleaved). */
  residual(r: Float64Array): void {
    r.fill(0, 0, 2 * this.t);
    r.set(this.qhy.subarray(2 * this.t), 2 * this.t);
    for (let j = this.t - 1; j >= 0; j--) this.reflect(j, r);
  }

  /** Coefficients z (t complex values, interleaved) of the least-squares fit: R z = (Q^H y)[0, t). */
  solve(): Float64Array {
    const t = this.t;
    const z = new Float64Array(2 * t);
    const q = [0, 0];
    for (let i = t - 1; i >= 0; i--) {
      let sr = this.qhy[2 * i];
      let si = this.qhy[2 * i + 1];
      for (let j = i + 1; j < t; j++) {
        const rr = this.rcols[j][2 * i];
        const ri = this.rcols[j][2 * i + 1];
        const zr = z[2 * j];
        const zi = z[2 * j + 1];
        sr -= rr * zr - ri * zi;
        si -= rr * zi + ri * zr;
      }
      cdiv(sr, si, this.rcols[i][2 * i], this.rcols[i][2 * i + 1], q);
      z[2 * i] = q[0];
      z[2 * i + 1] = q[1];
    }
    return z;
  }
}

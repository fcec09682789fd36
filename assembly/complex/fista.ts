// Complex FISTA for the LASSO: the rules of src/js/complex/fista.ts (the JS
// twin) and of ../solvers/fista.ts on complex data.
//
//   min_x 1/2 ||A x - y||^2 + lambda sum_j |x_j|      (|x_j| the modulus)
//   x_t = S(z_t + A^H (y - A z_t) / L), S(w)_j = w_j - thr w_j / |w_j| when |w_j| > thr
//   (= w_j max(0, 1 - thr / |w_j|), thr = lambda / L), else 0;
//   Nesterov's momentum as the real FISTA.
// Duality gap with the complex dual point theta = r min(1, lambda / ||A^H r||_inf):
//   G = F(x) - (s Re(y^H r) - s^2 ||r||^2 / 2); CONVERGED when G <= tol ||y||^2 / 2,
//   checked every GAP_EVERY iterations and at the last; MAX_ITER otherwise.
// realX != 0: x real, gradient Re(A^H r), lambda_max = ||Re(A^H y)||_inf.
//
// ABI: the complex solver ABI with realX as the 15th argument and sigma =
// ||A||_2 as the 16th (the facade's complexSpectralNorm, the twin's number);
// k is the capacity of support (n); p1 = lambda / lambda_max. info: residual,
// iterations, nonzeros, lambda, duality gap, objective.
import { CONVERGED, INFO_EXTRA, MAX_ITER, ZERO_MATRIX } from "../status";
import { wsBegin, wsEnd, wsF64 } from "../workspace";
import { cabs, cnrm2 } from "./cblas";
import { cbegin, cdone, CGO, compactReal, cyNorm } from "./common";
import { copAdjoint, copApply } from "./coperator";

// ../solvers/fista.ts FISTA_L_MARGIN and GAP_EVERY.
const FISTA_L_MARGIN: f64 = 1.05;
const GAP_EVERY: i32 = 10;
const INFO_GAP: i32 = 4;
const INFO_OBJECTIVE: i32 = 5;

// The workspace, in carve order: z (2n: extrapolated point), xp (2n: previous iterate), g (2n:
// A^H r), r (2m: residual).
let z: usize = 0, xp: usize = 0, g: usize = 0, r: usize = 0;

function carve(ws: usize, m: i32, n: i32): u64 {
  wsBegin(ws);
  z = wsF64(2 * n); xp = wsF64(2 * n); g = wsF64(2 * n); r = wsF64(2 * m);
  return wsEnd();
}

/**
 * Workspace bytes for complexFista at (m, n) (k unused), exact beyond 4 GiB (as f64). Not named
 * complexFistaWorkspace64: that suffix marks the 15-argument common ABI (src/solvers/solve.ts
 * SolverKernel), and complexFista takes a 16th.
 */
export function complexFistaWorkspaceBytes(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n);
}

/** r = y - A v; returns ||r||. */
function residualOf(A: usize, m: i32, n: i32, y: usize, v: usize): f64 {
  copApply(A, m, n, v, r);
  const len = m << 1;
  for (let i = 0; i < len; i++) store<f64>(r + (<usize>i << 3), load<f64>(y + (<usize>i << 3)) - load<f64>(r + (<usize>i << 3)));
  return cnrm2(r, m);
}

/** g = A^H v, imaginary parts zeroed with realX. */
function gradient(A: usize, m: i32, n: i32, v: usize, real: bool): void {
  copAdjoint(A, m, n, v, g);
  if (real) for (let j = 0; j < n; j++) store<f64>(g + (<usize>j << 4), 0.0, 8);
}

/** max_j |g_j| (moduli). */
function cmaxAbs(v: usize, n: i32): f64 {
  let s = 0.0;
  for (let j = 0; j < n; j++) s = max(s, cabs(load<f64>(v + (<usize>j << 4)), load<f64>(v + (<usize>j << 4), 8)));
  return s;
}

export function complexFista(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                             maxIter: i32, tol: f64, ratio: f64, x0: usize,
                             x: usize, support: usize, info: usize, ws: usize, realX: i32, sigma: f64): i32 {
  carve(ws, m, n);
  const real = realX != 0;
  gradient(A, m, n, y, real);
  const lambda = ratio * cmaxAbs(g, n);
  store<f64>(info + (<usize>INFO_EXTRA << 3), lambda);
  store<f64>(info + (<usize>INFO_GAP << 3), 0.0);
  const started = cbegin(y, m, x, n, norms, info);
  const ynorm = cyNorm();
  store<f64>(info + (<usize>INFO_OBJECTIVE << 3), 0.5 * ynorm * ynorm);
  if (started != CGO) { if (real) compactReal(x, n); return started; }
  if (!(sigma > 0.0)) { if (real) compactReal(x, n); return cdone(ZERO_MATRIX, info, ynorm, 0, 0); }
  const invL = 1.0 / (FISTA_L_MARGIN * sigma * sigma);
  const thr = lambda * invL;
  if (x0 != 0) {
    if (real) for (let j = 0; j < n; j++) store<f64>(x + (<usize>j << 4), load<f64>(x0 + (<usize>j << 3)));
    else memory.copy(x, x0, <usize>n << 4);
  }
  memory.copy(z, x, <usize>n << 4);
  let t = 1.0;
  let status = MAX_ITER;
  let it = 0;
  let rn = 0.0;
  const goal = tol * 0.5 * ynorm * ynorm;
  const len = n << 1;
  while (it < maxIter) {
    residualOf(A, m, n, y, z);
    gradient(A, m, n, r, real);
    memory.copy(xp, x, <usize>n << 4);
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 4;
      const wr = load<f64>(z + o) + invL * load<f64>(g + o);
      const wi = load<f64>(z + o, 8) + invL * load<f64>(g + o, 8);
      const a = cabs(wr, wi);
      if (a > thr) {
        store<f64>(x + o, wr - thr * (wr / a));
        store<f64>(x + o, wi - thr * (wi / a), 8);
      } else {
        store<f64>(x + o, 0.0);
        store<f64>(x + o, 0.0, 8);
      }
    }
    const tn = 0.5 * (1.0 + Math.sqrt(1.0 + 4.0 * t * t));
    const beta = (t - 1.0) / tn;
    t = tn;
    for (let u = 0; u < len; u++) {
      const o = <usize>u << 3;
      const xv = load<f64>(x + o);
      store<f64>(z + o, xv + beta * (xv - load<f64>(xp + o)));
    }
    it++;
    if (it % GAP_EVERY == 0 || it == maxIter) {
      rn = residualOf(A, m, n, y, x);
      gradient(A, m, n, r, real);
      const c = cmaxAbs(g, n);
      const s = c > lambda ? lambda / c : 1.0;
      let yr = 0.0;
      const end = <usize>m << 4;
      for (let b: usize = 0; b < end; b += 16) yr += load<f64>(y + b) * load<f64>(r + b) + load<f64>(y + b, 8) * load<f64>(r + b, 8);
      let l1 = 0.0;
      for (let j = 0; j < n; j++) l1 += cabs(load<f64>(x + (<usize>j << 4)), load<f64>(x + (<usize>j << 4), 8));
      const primal = 0.5 * rn * rn + lambda * l1;
      store<f64>(info + (<usize>INFO_OBJECTIVE << 3), primal);
      const gap = max(primal - (s * yr - 0.5 * s * s * rn * rn), 0.0);
      store<f64>(info + (<usize>INFO_GAP << 3), gap);
      if (gap <= goal) { status = CONVERGED; break; }
    }
  }
  let nnz = 0;
  for (let j = 0; j < n; j++) {
    if (load<f64>(x + (<usize>j << 4)) != 0.0 || load<f64>(x + (<usize>j << 4), 8) != 0.0) { store<i32>(support + (<usize>nnz << 2), j); nnz++; }
  }
  if (real) compactReal(x, n);
  return cdone(status, info, rn, it, nnz);
}

// FISTA for the LASSO (Beck & Teboulle 2009):
//   min_x F(x) = 1/2 ||A x - y||^2 + lambda ||x||_1,
//   x_t = S_{lambda/L}(z_t - A^T (A z_t - y) / L),
//   t_{t+1} = (1 + sqrt(1 + 4 t_t^2)) / 2,
//   z_{t+1} = x_t + ((t_t - 1) / t_{t+1}) (x_t - x_{t-1}),
// with S_c(v) = sign(v) max(|v| - c, 0) and the step 1/L, L >= ||A||_2^2.
//
// Stopping rule: the duality gap. With r = y - A x and the dual point
// theta = r min(1, lambda / ||A^T r||_inf) (feasible: ||A^T theta||_inf <= lambda),
//   G(x) = F(x) - D(theta),  D(theta) = 1/2 ||y||^2 - 1/2 ||y - theta||^2,
// bounds F(x) - F* from above. CONVERGED when G(x) <= tol * 1/2 ||y||^2 (the
// objective of x = 0), checked every GAP_EVERY iterations and at the last;
// MAX_ITER otherwise. The final iterate is returned: when the gap test holds,
// no iterate, earlier or later, is better than it by more than the gap.
//
// Not the common ABI's k: x has as many nonzeros as the LASSO gives (up to
// n); `support` must hold n i32.
//   fista(A, m, n, y, maxIter, tol, ratio, x0, x, support, info, ws): i32
// lambda = ratio * lambda_max, lambda_max = ||A^T y||_inf (for lambda >=
// lambda_max the solution is x = 0). info: residual ||y - A x||, iterations,
// nonzeros, lambda, duality gap, objective F(x).
import { nrm2, zero } from "../blas";
import { opAdjoint, opResidual, opSpectralNorm } from "../operator";
import { CONVERGED, INFO_EXTRA, MAX_ITER, ZERO_MATRIX } from "../status";
import { wsBegin, wsEnd, wsF64 } from "../workspace";
import { done } from "./common";

// The step 1/L needs L >= ||A||_2^2; the power iteration (blas.ts) approaches
// ||A||_2 from below and stops on a relative change of FISTA_POWER_RTOL, so L
// is its square times FISTA_L_MARGIN (5% more: a step 5% shorter than 1/||A||^2
// costs about 5% more iterations and keeps the monotone bound of the paper).
const FISTA_POWER_ITERS: i32 = 100;   // as the facade's POWER_MAXITER
const FISTA_POWER_RTOL: f64 = 1e-6;   // as the facade's POWER_RTOL
const FISTA_L_MARGIN: f64 = 1.05;
// The gap costs two extra products (A x, A^T r): every 10 iterations it adds
// at most 20% to the cost of the run, and a stop comes at most 9 iterations late.
const GAP_EVERY: i32 = 10;
// info slots beyond INFO_EXTRA (= lambda)
const INFO_GAP: i32 = 4;
const INFO_OBJECTIVE: i32 = 5;

// The workspace, in carve order (carve() also gives its size, see workspace.ts): z (n: the
// extrapolated point), xp (n: the previous iterate), g (n: gradients, A^T r), r (m: residuals), v
// (n) and u (m): power-iteration work.
let z: usize = 0, xp: usize = 0, g: usize = 0, r: usize = 0, v: usize = 0, u: usize = 0;

function carve(ws: usize, m: i32, n: i32): u64 {
  wsBegin(ws);
  z = wsF64(n); xp = wsF64(n); g = wsF64(n); r = wsF64(m); v = wsF64(n); u = wsF64(m);
  return wsEnd();
}

/** Workspace bytes for fista at (m, n), exact beyond 4 GiB (as f64): what carve() takes (k is not used). */
export function fistaWorkspace64(m: i32, n: i32, k: i32): f64 {
  return <f64>carve(0, m, n);
}

/** r = y - A x; returns ||r||. */
function residualOf(A: usize, m: i32, n: i32, y: usize, x: usize): f64 {
  return opResidual(A, m, n, y, x, r);
}

/** max_j |v_j|. */
function maxAbs(v: usize, n: i32): f64 {
  let s = 0.0;
  for (let j = 0; j < n; j++) s = max(s, abs(load<f64>(v + (<usize>j << 3))));
  return s;
}

/** sum_j |x_j|. */
function l1(x: usize, n: i32): f64 {
  let s = 0.0;
  for (let j = 0; j < n; j++) s += abs(load<f64>(x + (<usize>j << 3)));
  return s;
}

/** Duality gap at x (r = y - A x already formed, ||r|| = rn); g receives A^T r. Also stores F(x). */
function gapAt(A: usize, m: i32, n: i32, y: usize, x: usize, rn: f64, lambda: f64, info: usize): f64 {
  opAdjoint(A, m, n, r, g);
  const c = maxAbs(g, n);
  const s = c > lambda ? lambda / c : 1.0;
  // D(theta) = 1/2 ||y||^2 - 1/2 ||y - s r||^2 = s y^T r - s^2 ||r||^2 / 2
  let yr = 0.0;
  for (let i = 0; i < m; i++) yr += load<f64>(y + (<usize>i << 3)) * load<f64>(r + (<usize>i << 3));
  const primal = 0.5 * rn * rn + lambda * l1(x, n);
  const dual = s * yr - 0.5 * s * s * rn * rn;
  store<f64>(info + (<usize>INFO_OBJECTIVE << 3), primal);
  return max(primal - dual, 0.0);
}

/**
 * The common solver ABI (README.md): `k` is the capacity of `support` (n: the
 * support is the nonzeros of x), `p1` is lambda / ||A^T y||_inf, `norms` is
 * not used (the step comes from the spectral norm).
 */
export function fista(A: usize, m: i32, n: i32, norms: usize, y: usize, k: i32,
                      maxIter: i32, tol: f64, ratio: f64, x0: usize,
                      x: usize, support: usize, info: usize, ws: usize): i32 {
  carve(ws, m, n);
  zero(x, n);
  const ynorm = nrm2(y, m);
  opAdjoint(A, m, n, y, g);
  const lambda = ratio * maxAbs(g, n);
  store<f64>(info + (<usize>INFO_EXTRA << 3), lambda);
  store<f64>(info + (<usize>INFO_GAP << 3), 0.0);
  store<f64>(info + (<usize>INFO_OBJECTIVE << 3), 0.5 * ynorm * ynorm);
  if (ynorm == 0.0) return done(CONVERGED, info, 0.0, 0, 0);
  const sigma = opSpectralNorm(A, m, n, FISTA_POWER_ITERS, FISTA_POWER_RTOL, v, u);
  if (!(sigma > 0.0)) return done(ZERO_MATRIX, info, ynorm, 0, 0); // A = 0: x = 0, as every solver
  const invL = 1.0 / (FISTA_L_MARGIN * sigma * sigma);
  const thr = lambda * invL;
  if (x0 != 0) memory.copy(x, x0, <usize>n << 3);
  memory.copy(z, x, <usize>n << 3);
  let t = 1.0;
  let status = MAX_ITER;
  let it = 0;
  let rn = 0.0;
  const goal = tol * 0.5 * ynorm * ynorm;
  while (it < maxIter) {
    // gradient step from z, then the prox (soft threshold)
    residualOf(A, m, n, y, z);
    opAdjoint(A, m, n, r, g); // g = A^T (y - A z) = -grad
    memory.copy(xp, x, <usize>n << 3);
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 3;
      const w = load<f64>(z + o) + invL * load<f64>(g + o);
      store<f64>(x + o, w > thr ? w - thr : w < -thr ? w + thr : 0.0);
    }
    const tn = 0.5 * (1.0 + Math.sqrt(1.0 + 4.0 * t * t));
    const beta = (t - 1.0) / tn;
    t = tn;
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 3;
      const xj = load<f64>(x + o);
      store<f64>(z + o, xj + beta * (xj - load<f64>(xp + o)));
    }
    it++;
    if (it % GAP_EVERY == 0 || it == maxIter) {
      rn = residualOf(A, m, n, y, x);
      const gap = gapAt(A, m, n, y, x, rn, lambda, info);
      store<f64>(info + (<usize>INFO_GAP << 3), gap);
      if (gap <= goal) { status = CONVERGED; break; }
    }
  }
  let nnz = 0;
  for (let j = 0; j < n; j++) {
    if (load<f64>(x + (<usize>j << 3)) != 0.0) { store<i32>(support + (<usize>nnz << 2), j); nnz++; }
  }
  return done(status, info, rn, it, nnz);
}

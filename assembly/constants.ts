// Numerical constants shared by the kernels, each with where its value comes from.

/**
 * sqrt(machine epsilon) = 2^-26 = 1.49e-8 (eps = 2^-52 for f64): the relative
 * level below which a quantity computed from O(1) terms is indistinguishable
 * from rounding in a squared quantity. Used as
 * - the linear-dependence test of the QR factorizations (qr.ts DEP_TOL,
 *   qrupdate.ts QU_DEP_TOL): scikit-learn's Cholesky OMP stops when the new
 *   squared diagonal falls below eps on unit-norm columns, the same test on
 *   the unsquared quantity;
 * - the "no atom correlates with the residual" test of OMP, OMPR, ELS and
 *   SEA (max_j |a_j^T r| / ||a_j|| <= SQRT_EPS ||y||), and the exact-fit test
 *   ||r|| <= SQRT_EPS ||y|| that separates a converged stop from a premature one.
 */
export const SQRT_EPS: f64 = 1.4901161193847656e-8;

/**
 * The correlation test of OMP, Batch-OMP, OMPR, ELS and SEA: no atom is left
 * to choose (or SEA's X cannot move) once max_j |a_j^T r| / ||a_j|| <=
 * CORR_TOL ||y||; the same level separates an exact fit (||r|| <= CORR_TOL
 * ||y||, 'converged') from a stop on dependent atoms ('premature').
 * solvers/omp.ts explains how this relates to scikit-learn's tests.
 */
export const CORR_TOL: f64 = SQRT_EPS;

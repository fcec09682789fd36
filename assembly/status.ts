// Status codes shared by every solver; the facade maps them to strings.
export const CONVERGED: i32 = 0; // stopping rule met (tol, k atoms, or a fixed point)
export const MAX_ITER: i32 = 1;  // iteration cap reached before the stopping rule
export const PREMATURE: i32 = 2; // stopped early: a needed column was linearly dependent
export const DIVERGED: i32 = 3;  // an iterate overflowed (step too large): the best finite one is returned
export const ZERO_MATRIX: i32 = 4; // A is all zero and y is not: x = 0, ||r|| = ||y||
export const FIXED_POINT: i32 = 5; // IHT, NIHT: a fixed point whose residual is above tol ||y|| (and not an exact fit)
export const STALLED: i32 = 6;     // the stopping rule fired on an iterate worse than one seen before: the best one is returned
export const DEGENERATE: i32 = 7;  // Soft-OMP: a soft atom A p_t numerically zero (weights zero or tiny): not fitted

// Layout of the f64 info block every solver fills (INFO_LEN doubles).
export const INFO_RESIDUAL: i32 = 0;   // ||y - A x||
export const INFO_ITERATIONS: i32 = 1; // iterations (atoms chosen, for OMP)
export const INFO_NNZ: i32 = 2;        // support size
export const INFO_EXTRA: i32 = 3;      // solver-specific (e.g. best iteration)
export const INFO_LEN: i32 = 8;

/** Writes the common info fields. */
export function writeInfo(info: usize, residual: f64, iterations: i32, nnz: i32): void {
  store<f64>(info, residual);
  store<f64>(info, <f64>iterations, 8);
  store<f64>(info, <f64>nnz, 16);
}

// Status codes shared by every solver; the facade maps them to strings.
export const CONVERGED: i32 = 0; // stopping rule met (tol, k atoms, or a fixed point)
export const MAX_ITER: i32 = 1;  // iteration cap reached before the stopping rule
export const PREMATURE: i32 = 2; // stopped early: a needed column was linearly dependent
export const DIVERGED: i32 = 3;  // an iterate overflowed (step too large): the last finite one is returned

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

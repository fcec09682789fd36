// Numerical constants of the JS twins: the same values as assembly/constants.ts.

/** sqrt(machine epsilon) = 2^-26: see assembly/constants.ts SQRT_EPS. */
export const SQRT_EPS = Math.sqrt(2 ** -52);

/** The correlation / exact-fit level of OMP, Batch-OMP, OMPR, ELS and SEA: see assembly/constants.ts CORR_TOL. */
export const CORR_TOL = SQRT_EPS;

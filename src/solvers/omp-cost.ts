// The flop counts behind OMP's two paths (plain, and Batch-OMP from the Gram
// matrix), shared by the batch rule (batch.ts ompBatchPlan) and the rule for
// single solves on a resident operator (omp-resident.ts).

/**
 * Largest Gram matrix 'auto' will build: 128 MiB, G of n = 4096 columns (the
 * largest benchmark size). Beyond it the one-time m n^2 cost and the memory
 * (one copy per pool worker) both grow with n^2, and the plain path is used.
 */
export const GRAM_AUTO_MAX_BYTES = 128 * 2 ** 20;

/**
 * Flops of OMP at (m, n, k) (both paths run at similar rates per flop here:
 * Gram kernel 10-13 GFLOP/s, A^T r 7-19 GFLOP/s):
 * - plain, per signal: k passes of A^T r (2 m n each) plus the QR updates (about 4 m k^2);
 * - Gram: m n (n + 1) once per operator, then per signal one A^T y (2 m n),
 *   the A^T r updates from G (n k^2) and the exact residual (2 m k).
 */
export function ompCosts(m: number, n: number, k: number): { plainPerSignal: number; gramOnce: number; gramPerSignal: number } {
  return {
    plainPerSignal: 2 * m * n * k + 4 * m * k * k,
    gramOnce: m * n * (n + 1),
    gramPerSignal: 2 * m * n + n * k * k + 2 * m * k,
  };
}

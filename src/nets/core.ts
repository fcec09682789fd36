// The numbers of one training step, shared by the main thread and the worker
// threads: batch loss and dL/dw (in WASM through the batched VJPs, or in the
// JS twin), and forward passes. Work is cut into fixed chunks of samples
// whose results are combined in chunk order, so the sums (and hence the
// trained weights) do not depend on how many threads computed the chunks.
import { Matrix } from '../core/matrix.js';
import type { OperatorLike } from '../solvers/solve.js';
import { softIhtBatch, softIhtBatchVjp, softOmpBatch, softOmpBatchVjp } from '../soft/soft.js';
import type { Backend } from '../core/types.js';

/** What fixes an unrolled net's computation besides A, w and tau. */
export interface NetConfig {
  kind: 'omp-net' | 'iht-net';
  /** Unrolled iterations L. */
  layers: number;
  /** IHT-Net: sparsity s (rows of the SoftSort); OMP-Net: unused (1). */
  sparsity: number;
  /** IHT-Net: step eta; OMP-Net: unused (0). */
  eta: number;
}

/**
 * Samples per gradient chunk: one batched-VJP call. 16 keeps a 64-sample
 * batch (the paper's) in 4 equal chunks, enough to share between 2-4 threads,
 * while a call's fixed cost stays small: copying w and the chunk into WASM is
 * about 16 (m + n) + n doubles against about 4 L m n multiply-adds per sample
 * for the solves (OMP-Net at the paper setting: 5e3 against 4e5 per sample).
 * Fixed, so the summation order (and the trained weights) never depends on
 * the thread count.
 */
export const GRAD_CHUNK = 16;

/** Samples per forward chunk (validation): forward passes are about 3x cheaper than VJPs, so chunks are 4x larger. */
export const EVAL_CHUNK = 64;

/** Columns idx of S (rows x N) as a new rows x idx.length matrix. */
export function columns(S: Matrix, idx: ArrayLike<number>): Matrix {
  const out = new Float64Array(S.m * idx.length);
  for (let i = 0; i < idx.length; i++) out.set(S.data.subarray(idx[i] * S.m, (idx[i] + 1) * S.m), i * S.m);
  return new Matrix(S.m, idx.length, out);
}

/** Columns start..end-1 of S, sharing no memory with S. */
export function columnRange(S: Matrix, start: number, end: number): Matrix {
  return new Matrix(S.m, end - start, S.data.slice(start * S.m, end * S.m));
}

function solverOpts(cfg: NetConfig, w: Float64Array, tau: number, backend: Backend) {
  return { iterations: cfg.layers, tau, w, backend, k: cfg.sparsity, eta: cfg.eta };
}

/** Loss (1/N) sum ||x_b - xt_b||^2 over the chunk and its gradient with respect to w. */
export function chunkGrad(cfg: NetConfig, op: OperatorLike, Y: Matrix, X: Matrix, w: Float64Array, tau: number,
                          backend: Backend): { loss: number; gw: Float64Array } {
  const o = solverOpts(cfg, w, tau, backend);
  const r = cfg.kind === 'omp-net' ? softOmpBatchVjp(op, Y, X, o) : softIhtBatchVjp(op, Y, X, o);
  return { loss: r.loss, gw: r.gw };
}

/** The estimates for the columns of Y (n x N). */
export function forward(cfg: NetConfig, op: OperatorLike, Y: Matrix, w: Float64Array, tau: number, backend: Backend): Matrix {
  const o = solverOpts(cfg, w, tau, backend);
  return cfg.kind === 'omp-net' ? softOmpBatch(op, Y, o).X : softIhtBatch(op, Y, o).X;
}

/** Per-sample squared errors ||x_b - xt_b||^2 of estimates Xh against X (both n x N). */
export function squaredErrors(Xh: Matrix, X: Matrix): Float64Array {
  const { m: n, n: N } = X;
  const out = new Float64Array(N);
  for (let b = 0; b < N; b++) {
    let s = 0;
    for (let j = b * n; j < (b + 1) * n; j++) {
      const d = Xh.data[j] - X.data[j];
      s += d * d;
    }
    out[b] = s;
  }
  return out;
}

/** The sample indices of each gradient chunk of a batch, in order. */
export function gradChunks(batch: Int32Array): Int32Array[] {
  const out: Int32Array[] = [];
  for (let i = 0; i < batch.length; i += GRAD_CHUNK) out.push(batch.subarray(i, Math.min(batch.length, i + GRAD_CHUNK)));
  return out;
}

/**
 * Combines chunk results (in chunk order) into the batch mean loss and its
 * gradient: both are sum_c (N_c / N) (chunk value), added in chunk order.
 */
export function combineChunks(parts: { loss: number; gw: Float64Array; count: number }[], n: number): { loss: number; gw: Float64Array } {
  const N = parts.reduce((a, p) => a + p.count, 0);
  const gw = new Float64Array(n);
  let loss = 0;
  for (const p of parts) {
    const f = p.count / N;
    loss += f * p.loss;
    for (let j = 0; j < n; j++) gw[j] += f * p.gw[j];
  }
  return { loss, gw };
}

// Public API of sparse-pursuit.
export { init, isReady, memoryBytes } from './wasm.js';
export type { InitOptions, WasmSource } from './wasm.js';
export { Matrix } from './matrix.js';
export type { MatrixLike } from './matrix.js';
export { Operator, operatorBytes } from './operator.js';
export type { OperatorLike } from './solve.js';
export type { Backend, Status, SolveResult, SolverOptions, WarmStartOptions } from './types.js';
export { omp } from './solvers.js';
export type { OmpOptions } from './solvers.js';
export { iht, niht, htp, cosamp, sp, IHT_DEFAULT_MAX_ITER, PURSUIT_DEFAULT_MAX_ITER } from './solvers.js';
export type { IhtOptions, NihtOptions, HtpOptions, CosampOptions, SpOptions } from './solvers.js';
export { backendInfo, simdSupported } from './wasm.js';
export type { BackendInfo } from './wasm.js';
export { gramBytes } from './operator.js';
export { ompBatch, solveBatch, batchColumn, ompBatchPlan, GRAM_AUTO_MAX_BYTES, GRAM_MAX_BYTES } from './batch.js';
export type { BatchResult, OmpBatchResult, BatchOptions, OmpBatchOptions, SolveBatchOptions, BatchStatus, BatchColumnError, BlockLike } from './batch.js';
export { SolverPool } from './pool.js';
export type { PoolOptions } from './pool.js';

// Public API of sparse-pursuit.
export { init, isReady, memoryBytes, memoryLimit, setMemoryLimit, liveBytes } from './wasm.js';
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
export { sea, ompr, els, SEA_DEFAULT_MAX_ITER } from './sea.js';
export type { SeaOptions, SeaResult, SeaInit, OmprOptions, ElsOptions } from './sea.js';
export { softSort, softSortVjp, softOmp, softIht, softOmpVjp, softIhtVjp, softOmpBatch, softIhtBatch, softOmpBatchVjp, softIhtBatchVjp, TAU_MIN } from './soft.js';
export type { SoftSortOptions, SoftSortResult, SoftSortVjpResult, SoftStatus, SoftSolverOptions, SoftOmpOptions, SoftIhtOptions, SoftForwardOptions, SoftSolveResult, SoftVjpOptions, SoftVjpResult, SoftBatchResult, SoftBatchVjpOptions, SoftBatchVjpResult } from './soft.js';

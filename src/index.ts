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
export { softSort, softSortVjp, softOmp, softIht, softOmpVjp, softIhtVjp, softOmpBatch, softIhtBatch, softOmpBatchVjp, softIhtBatchVjp, TAU_MIN } from './soft.js';
export type { SoftSortOptions, SoftSortResult, SoftSortVjpResult, SoftStatus, SoftSolverOptions, SoftOmpOptions, SoftIhtOptions, SoftForwardOptions, SoftSolveResult, SoftVjpOptions, SoftVjpResult, SoftBatchResult, SoftBatchVjpOptions, SoftBatchVjpResult } from './soft.js';
export { OmpNet, IhtNet, UnrolledNet, loadNet, Optimizer, readCheckpoint } from './nets/index.js';
export type { OmpNetOptions, IhtNetOptions, PredictOptions, PredictMode, NetJSON, Evaluation, TrainOptions, TrainResult, TrainState, EpochRecord, EpochInfo, TauSchedule, OptimizerName, OptimizerHyper, StepDecay } from './nets/index.js';
export { structuredSparse, dctMatrix, gaussianMatrix, matrixFromSpec } from './data/structured.js';
export type { StructuredSparse, StructuredSparseOptions, SignalSet, MatrixSpec, MatrixKind } from './data/structured.js';

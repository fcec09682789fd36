// Learned unrolled solvers: OMP-Net and IHT-Net, their training and saving.
export { OmpNet, IhtNet, UnrolledNet, loadNet, NET_FORMAT, NET_FORMAT_VERSION, MAX_NET_MATRIX_ENTRIES } from './net.js';
export type { OmpNetOptions, IhtNetOptions, PredictOptions, PredictMode, NetJSON, Evaluation } from './net.js';
export { train, readCheckpoint, tauAt, TRAIN_STATE_FORMAT, TRAIN_STATE_VERSION } from './train.js';
export type { TrainOptions, TrainResult, TrainState, EpochRecord, EpochInfo, TauSchedule, RunSettings } from './train.js';
export { Optimizer, clipGradNorm, learningRate, OPTIMIZERS } from './optimizers.js';
export type { OptimizerName, OptimizerHyper, OptimizerState, StepDecay } from './optimizers.js';
export { ComplexOmpNet, ComplexIhtNet, ComplexUnrolledNet, loadComplexNet } from './complex.js';
export type { ComplexOmpNetOptions, ComplexIhtNetOptions, ComplexFourierSpec, ComplexPredictOptions, ComplexEvaluation, ComplexTrainOptions, ComplexTrainResult, ComplexEpochRecord, ComplexNetJSON, ComplexMatrixSpec } from './complex.js';

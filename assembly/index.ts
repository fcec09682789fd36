// The ABI of the module: re-exports only.
export { alloc, free } from "./mem";
export { dot, axpy, nrm2, gemvT, gemvN, colNorms, spectralNorm } from "./blas";
export { argmaxAbs, topK, hardThreshold } from "./select";
export { omp, ompWorkspace } from "./solvers/omp";
export { qrUpdateReplay, qrUpdateReplayWorkspace } from "./qrupdate";
export { sea, seaWorkspace } from "./solvers/sea";
export { ompr, omprWorkspace } from "./solvers/ompr";
export { els, elsWorkspace } from "./solvers/els";

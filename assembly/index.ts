// The ABI of the module: re-exports only.
export { alloc, free } from "./mem";
export { dot, axpy, nrm2, gemvT, gemvN, colNorms, spectralNorm } from "./blas";
export { argmaxAbs, topK, hardThreshold } from "./select";
export { omp, ompWorkspace } from "./solvers/omp";
export { iht, ihtWorkspace } from "./solvers/iht";
export { niht, nihtWorkspace } from "./solvers/niht";
export { htp, htpWorkspace } from "./solvers/htp";
export { cosamp, cosampWorkspace } from "./solvers/cosamp";
export { sp, spWorkspace } from "./solvers/sp";
export { softSort, softSortVjp, softSortWorkspace } from "./softsort";
export { softOmp, softOmpVjp, softOmpBatch, softOmpBatchVjp, softOmpWorkspace } from "./solvers/softomp";
export { softIht, softIhtVjp, softIhtBatch, softIhtBatchVjp, softIhtWorkspace } from "./solvers/softiht";
export { qrUpdateReplay, qrUpdateReplayWorkspace } from "./qrupdate";
export { sea, seaWorkspace } from "./solvers/sea";
export { ompr, omprWorkspace } from "./solvers/ompr";
export { els, elsWorkspace } from "./solvers/els";

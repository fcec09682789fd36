// The ABI of the module: re-exports only.
export { alloc, free } from "./mem";
export { dot, axpy, nrm2, gemvT, gemvN, colNorms, spectralNorm } from "./blas";
export { argmaxAbs, topK, hardThreshold } from "./select";
export { omp, ompWorkspace, ompWorkspace64 } from "./solvers/omp";
export { iht, ihtWorkspace, ihtWorkspace64 } from "./solvers/iht";
export { niht, nihtWorkspace, nihtWorkspace64 } from "./solvers/niht";
export { htp, htpWorkspace, htpWorkspace64 } from "./solvers/htp";
export { cosamp, cosampWorkspace, cosampWorkspace64 } from "./solvers/cosamp";
export { sp, spWorkspace, spWorkspace64 } from "./solvers/sp";
export { qrUpdateReplay, qrUpdateReplayWorkspace } from "./qrupdate";
export { sea, seaWorkspace, seaWorkspace64 } from "./solvers/sea";
export { ompr, omprWorkspace, omprWorkspace64 } from "./solvers/ompr";
export { els, elsWorkspace, elsWorkspace64 } from "./solvers/els";
export { softSort, softSortVjp, softSortWorkspace } from "./softsort";
export { softOmp, softOmpVjp, softOmpBatch, softOmpBatchVjp, softOmpWorkspace } from "./solvers/softomp";
export { softIht, softIhtVjp, softIhtBatch, softIhtBatchVjp, softIhtWorkspace } from "./solvers/softiht";

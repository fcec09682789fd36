// The ABI of the module: re-exports only.
export { alloc, free } from "./mem";
export { dot, axpy, nrm2, gemvT, gemvN, colNorms, spectralNorm } from "./blas";
export { argmaxAbs, topK, hardThreshold } from "./select";
export { omp, ompWorkspace, ompWorkspace64, ompResident, ompResidentWorkspace64, ompScreenCopy } from "./solvers/omp";
export { iht, ihtWorkspace64 } from "./solvers/iht";
export { niht, nihtWorkspace64 } from "./solvers/niht";
export { htp, htpWorkspace64 } from "./solvers/htp";
export { cosamp, cosampWorkspace64 } from "./solvers/cosamp";
export { sp, spWorkspace64 } from "./solvers/sp";
export { qrUpdateReplay, qrUpdateReplayWorkspace } from "./qrupdate";
export { gramCholReplay, gramCholReplaySolve, gramCholReplayWorkspace } from "./gramchol";
export { sea, seaWorkspace64 } from "./solvers/sea";
export { ompr, omprWorkspace64 } from "./solvers/ompr";
export { els, elsWorkspace64 } from "./solvers/els";
export { softSort, softSortVjp, softSortWorkspace } from "./softsort";
export { softOmp, softOmpVjp, softOmpBatch, softOmpBatchVjp, softOmpWorkspace64 } from "./solvers/softomp";
export { softIht, softIhtVjp, softIhtBatch, softIhtBatchVjp, softIhtWorkspace64 } from "./solvers/softiht";
export { fista, fistaWorkspace64 } from "./solvers/fista";
export { simdBuild, buildKind } from "./build";
export { wsGuardSelfTest } from "./workspace";
export { setOmpScreening, ompScreenCounters } from "./screen";
export { gram, gramUpper, gramMirror, gramMirrorCols } from "./gram";
export { ompGramOne, ompGramWorkspace, ompBatchGram, ompBatchPlain, ompBatchPlainWorkspace } from "./solvers/batchomp";
export { fft, fftPlanBytes, fftWorkBytes, fftPlanInit, nextSmooth } from "./fft";
export { rfft, irfft, rfftPlanBytes, rfftWorkBytes, rfftPlanInit } from "./rfft";
export { dct2, dct3, dctPlanBytes, dctWorkBytes, dctPlanInit } from "./dct";
export { pdctApply, pdctAdjoint, pdctColumn, pdctColNorms, pdctWorkBytes } from "./partialdct";
export { convApply, convAdjoint, convColumn, convColNorms, convPlanBytes, convWorkBytes, convPlanInit, convRows, convFftLength, convPrefersFft, CONV_DIRECT_MAX_TAPS } from "./conv";
export { opInitDense, opInitPdct, opInitConv, opInitNormalized, opInitHost, opApply, opAdjoint, opColNorms, opSpectralNorm, opColumnInto, opHeaderBytes, opGramOn, opResidualOn } from "./operator";
export { cgemvH, cgemvN, cnrm2, complexOmp, complexOmpWorkspace64, complexIht, complexIhtWorkspace64, complexNiht, complexNihtWorkspace64,
  copInitPartialFourier, copHeaderBytes, pfWorkBytes, copApply, copAdjoint, copColumnInto, copColNorms } from "./complex/index";
export { complexSoftOmp, complexSoftOmpVjp, complexSoftOmpBatch, complexSoftOmpBatchVjp, complexSoftOmpWorkspace64,
  complexSoftIht, complexSoftIhtVjp, complexSoftIhtBatch, complexSoftIhtBatchVjp, complexSoftIhtWorkspace64 } from "./complex/soft";
export { complexHtp, complexHtpWorkspace64 } from "./complex/htp"; export { complexSp, complexSpWorkspace64 } from "./complex/sp"; export { complexCosamp, complexCosampWorkspace64 } from "./complex/cosamp";
export { complexOmpr, complexOmprWorkspace64, complexEls, complexElsWorkspace64, complexSea, complexSeaWorkspaceBytes, complexFista, complexFistaWorkspaceBytes } from "./complex/swap";

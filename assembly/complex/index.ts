// The complex kernels of the module (re-exported by ../index.ts).
export { cgemvH, cgemvN, cnrm2 } from "./cblas";
export { complexOmp, complexOmpWorkspace64 } from "./omp";
export { complexIht, complexIhtWorkspace64, complexNiht, complexNihtWorkspace64 } from "./iht";
export { copInitPartialFourier, copHeaderBytes, pfWorkBytes, copApply, copAdjoint, copColumnInto, copColNorms } from "./coperator";

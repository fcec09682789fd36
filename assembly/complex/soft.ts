// The complex soft kernels of the module (re-exported by ../index.ts).
export { complexSoftOmp, complexSoftOmpVjp, complexSoftOmpBatch, complexSoftOmpBatchVjp, complexSoftOmpWorkspace64 } from "./softomp";
export { complexSoftIht, complexSoftIhtVjp, complexSoftIhtBatch, complexSoftIhtBatchVjp, complexSoftIhtWorkspace64 } from "./softiht";

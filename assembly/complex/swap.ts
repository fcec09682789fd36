// Complex OMPR, ELS, SEA and FISTA (re-exported by ../index.ts).
export { complexOmpr, complexOmprWorkspace64 } from "./ompr";
export { complexEls, complexElsWorkspace64 } from "./els";
export { complexSea, complexSeaWorkspaceBytes } from "./sea";
export { complexFista, complexFistaWorkspaceBytes } from "./fista";

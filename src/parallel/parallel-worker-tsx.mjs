// Worker entry of runTrials when the package runs from its TypeScript
// sources (vitest, tsx): Node 20 does not pass loader hooks on to worker
// threads, so register tsx's loader here, then load the real entry.
const { register } = await import('tsx/esm/api');
register();
const entry = await import('./parallel-worker.ts');
export default entry.default;

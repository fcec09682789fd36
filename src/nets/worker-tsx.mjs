// Worker entry of the training engine when the package runs from its
// TypeScript sources (vitest, tsx): Node 20 does not pass loader hooks on to
// worker threads, so register tsx's loader here, then load the real entry.
const { register } = await import('tsx/esm/api');
register();
await import('./worker.ts');

// A SolverPool worker for the browser test only: the package's worker, except
// that a batch whose options carry `crashOnColumn: j` and which holds column j
// crashes the worker with an uncaught exception, as a bug or an abort would.
// pool-check.ts starts it with SolverPool.create({ workerUrl }).
import { handlePoolMessage } from '../dist/parallel/pool-handler.js';
import type { FromWorker, ToWorker } from '../dist/parallel/pool.js';
import { serve } from '../dist/parallel/workers.js';

serve<ToWorker, FromWorker>((msg, reply) => {
  if (msg.t === 'batch') {
    const { crashOnColumn, ...opts } = msg.opts as { crashOnColumn?: number };
    if (crashOnColumn !== undefined && msg.index.includes(crashOnColumn)) {
      setTimeout(() => {
        throw new Error(`pool test hook: crash on column ${crashOnColumn}`);
      }, 0);
      return;
    }
    return handlePoolMessage({ ...msg, opts }, reply);
  }
  return handlePoolMessage(msg, reply);
});

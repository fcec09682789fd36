// Worker entry of runTrials (src/parallel/parallel.ts): initialises the WASM
// once per worker, then runs the tasks it is sent, one at a time.
import { runTask, TrialReply, TrialRequest } from './parallel.js';
import { init } from '../core/wasm.js';
import { serve } from './workers.js';

const ready = init();

serve<TrialRequest, TrialReply>(async (msg, reply) => {
  await ready;
  reply({ seq: msg.seq, out: await runTask(msg.task) });
});

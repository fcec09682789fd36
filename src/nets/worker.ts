// Worker entry of the training engine (engine.ts poolEngine): loads the WASM
// once, keeps A resident (a dense copy, or the structured operator rebuilt
// from its spec) and the data sets, answers chunk requests.
import { Matrix } from '../core/matrix.js';
import { init } from '../core/wasm.js';
import { serve } from '../parallel/workers.js';
import { LocalWorkerState, WorkerReply, WorkerRequest } from './engine.js';

let state: LocalWorkerState | null = null;
const ready = init();

serve<WorkerRequest, WorkerReply>(async (msg, reply) => {
  await ready;
  if (msg.t === 'init') {
    const set = (s: { Y: Float64Array; X: Float64Array; N: number }) => ({ Y: new Matrix(msg.m, s.N, s.Y), X: new Matrix(msg.n, s.N, s.X) });
    state = new LocalWorkerState(msg.cfg, msg.op ?? new Matrix(msg.m, msg.n, msg.A!), { train: set(msg.train), val: msg.val ? set(msg.val) : null }, msg.backend);
    reply({ t: 'ready', seq: msg.seq });
  } else if (msg.t === 'grad') {
    const r = state!.grad(msg.idx, msg.w, msg.tau);
    reply({ t: 'grad', seq: msg.seq, loss: r.loss, gw: r.gw });
  } else {
    const errors = state!.sse(msg.set, msg.start, msg.end, msg.w, msg.tau);
    reply({ t: 'sse', seq: msg.seq, errors });
  }
});

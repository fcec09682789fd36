// Worker-thread entry of the training engine (engine.ts poolEngine): loads
// the WASM once, keeps A resident and the data sets, answers chunk requests.
import { parentPort } from 'node:worker_threads';
import { Matrix } from '../core/matrix.js';
import { init } from '../core/wasm.js';
import { LocalWorkerState, WorkerReply, WorkerRequest } from './engine.js';

const port = parentPort;
if (!port) throw new Error('sparse-pursuit: src/nets/worker is a worker-thread entry, not a module to import');
let state: LocalWorkerState | null = null;
const ready = init();

port.on('message', async (msg: WorkerRequest) => {
  await ready;
  let reply: WorkerReply;
  try {
    if (msg.type === 'init') {
      const set = (s: { Y: Float64Array; X: Float64Array; N: number }) => ({ Y: new Matrix(msg.m, s.N, s.Y), X: new Matrix(msg.n, s.N, s.X) });
      state = new LocalWorkerState(msg.cfg, new Matrix(msg.m, msg.n, msg.A), { train: set(msg.train), val: msg.val ? set(msg.val) : null }, msg.backend);
      reply = { type: 'ready' };
    } else if (msg.type === 'grad') {
      const r = state!.grad(msg.idx, msg.w, msg.tau);
      reply = { type: 'grad', id: msg.id, loss: r.loss, gw: r.gw };
    } else {
      reply = { type: 'sse', id: msg.id, errors: state!.sse(msg.set, msg.start, msg.end, msg.w, msg.tau) };
    }
  } catch (e) {
    const err = e as Error;
    reply = { type: 'error', id: 'id' in msg ? msg.id : -1, message: err.message, name: err.name };
  }
  port.postMessage(reply);
});

// Phase-transition mini-run in a Web Worker: for each (delta = m/n, rho = k/m)
// cell, solve `trials` seeded Gaussian problems and report the fraction
// recovered. The main thread compiles the WASM module and posts it here, so
// the worker never compiles (init({ wasm: module })).
import { init } from '../src/core/wasm.js';
import { isSolverName, optionsFor, SOLVERS } from '../src/solvers/registry.js';
import { gaussianProblem } from '../src/data/problems.js';
import type { Backend } from '../src/core/types.js';
import { relError } from './run.js';

export interface PhaseRequest {
  module: WebAssembly.Module;
  solver: string;
  backend: Backend;
  n: number;
  deltas: number[];
  rhos: number[];
  trials: number;
  seed: number;
}

export type PhaseMessage =
  | { type: 'cell'; ix: number; iy: number; rate: number; done: number; total: number }
  | { type: 'done'; ms: number }
  | { type: 'error'; message: string };

/** A trial counts as a recovery when ||x_hat - x|| <= SUCCESS_TOL ||x|| (noise-free problems). */
export const SUCCESS_TOL = 1e-4;

const post = (msg: PhaseMessage) => (self as unknown as Worker).postMessage(msg);

self.onmessage = async (ev: MessageEvent<PhaseRequest>) => {
  const q = ev.data;
  try {
    await init({ wasm: q.module });
    const name = q.solver;
    if (!isSolverName(name)) throw new RangeError(`unknown solver '${name}'`);
    const solve = SOLVERS[name];
    const t0 = performance.now();
    const total = q.deltas.length * q.rhos.length;
    let done = 0;
    for (let iy = 0; iy < q.rhos.length; iy++) {
      for (let ix = 0; ix < q.deltas.length; ix++) {
        const m = Math.max(1, Math.round(q.deltas[ix] * q.n));
        const k = Math.max(1, Math.min(m, Math.round(q.rhos[iy] * m)));
        let ok = 0;
        for (let t = 0; t < q.trials; t++) {
          const p = gaussianProblem({ m, n: q.n, k, seed: q.seed + 7919 * (iy * q.deltas.length + ix) + t });
          const r = solve(p.A, p.y, optionsFor(name, k, { backend: q.backend }));
          if (relError(r.x, p.x) <= SUCCESS_TOL) ok++;
        }
        done++;
        post({ type: 'cell', ix, iy, rate: ok / q.trials, done, total });
      }
    }
    post({ type: 'done', ms: performance.now() - t0 });
  } catch (e) {
    post({ type: 'error', message: (e as Error).message });
  }
};

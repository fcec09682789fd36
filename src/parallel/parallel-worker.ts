// Worker entry of runTrials (src/parallel/parallel.ts): initialises the WASM once per
// worker, then runs the tasks tinypool hands it.
import { runTask, TrialTask } from './parallel.js';
import { init } from '../core/wasm.js';

const ready = init();

export default async function run(task: TrialTask): Promise<unknown[]> {
  await ready;
  return runTask(task);
}

// The experiments registry: import each experiment module and list it below
// (one import and one list entry per experiment; list order is report order).
import type { Experiment } from './types.js';
import { phaseTransition } from './phase-transition.js';
import { deconvolution } from './deconvolution.js';
import { deconvolutionLarge } from './deconvolution-large.js';
import { csDct } from './cs-dct.js';
import { tauSweep } from './tau-sweep.js';
import { ihtNetExperiment, ompNetExperiment } from './nets.js';

export type { Experiment, ExperimentContext, ExperimentOutput, Figure } from './types.js';

const ALL: Experiment[] = [
  phaseTransition,
  deconvolution,
  deconvolutionLarge,
  csDct,
  tauSweep,
  ompNetExperiment,
  ihtNetExperiment,
];

/** Experiments by CLI name, in report order. */
export const EXPERIMENTS: Record<string, Experiment> = Object.fromEntries(ALL.map((e) => [e.name, e]));

// What an experiment is, for the CLI (`sparse-pursuit experiment <name>`) and
// the report (`npm start`).

/** How an experiment is run. */
export interface ExperimentContext {
  /** Quick settings (the report's default) or the paper-size ones. */
  mode: 'quick' | 'full';
  /** Master seed; the same seed gives the same numbers whatever `workers` is. */
  seed: number;
  /** Worker threads for the trials (>= 1). */
  workers: number;
  /** Progress callback: `done` of `total` units finished. */
  onProgress(done: number, total: number, label?: string): void;
}

/** One figure an experiment produces. */
export interface Figure {
  /** File name, e.g. 'phase-transition.svg'. */
  file: string;
  /** The SVG document. */
  svg: string;
  /** One-sentence caption for the report. */
  caption: string;
  /** One line on what the figure shows in this run (from its numbers), printed under it. */
  reading: string;
}

/** What an experiment returns. */
export interface ExperimentOutput {
  /** All raw numbers, the seed and the settings: written as `<name>.json`. */
  json: unknown;
  figures: Figure[];
  /** A short plain-text table or summary for the terminal and the report. */
  summary: string;
}

export interface Experiment {
  /** CLI name, e.g. 'phase-transition'. */
  name: string;
  title: string;
  /** What it measures, one paragraph (goes into the report). */
  description: string;
  run(ctx: ExperimentContext): Promise<ExperimentOutput>;
}

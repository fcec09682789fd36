// Progress for long CLI runs: a cli-progress bar (with ETA) when stdout is a
// terminal, plain "name: done/total (pct%)" lines every 10% otherwise, so
// logs and CI output stay readable.
import cliProgress from 'cli-progress';

/** A progress callback: `done` of `total` units finished, with an optional label. */
export type Progress = (done: number, total: number, label?: string) => void;

/**
 * Makes the progress callback of one named run.
 * @param name shown before the bar or line
 * @param stream where to draw (default process.stdout)
 */
export function progress(name: string, stream: NodeJS.WriteStream = process.stdout): Progress {
  if (stream.isTTY) {
    let bar: cliProgress.SingleBar | null = null;
    let finished = false;
    return (done, total, label) => {
      if (finished) return;
      if (!bar) {
        bar = new cliProgress.SingleBar({
          stream,
          format: `${name} [{bar}] {percentage}% {value}/{total} ETA {eta_formatted} {label}`,
          hideCursor: true,
          barsize: 30,
          etaBuffer: 20,
        }, cliProgress.Presets.legacy);
        bar.start(total, 0, { label: '' });
      }
      bar.setTotal(total);
      bar.update(done, { label: label ?? '' });
      if (done >= total) {
        bar.stop();
        finished = true;
      }
    };
  }
  let lastDecile = -1;
  return (done, total, label) => {
    const pct = Math.floor((100 * done) / Math.max(1, total));
    const decile = done >= total ? 10 : Math.floor(pct / 10);
    if (decile === lastDecile) return;
    lastDecile = decile;
    stream.write(`${name}: ${done}/${total} (${pct}%)${label ? ' ' + label : ''}\n`);
  };
}

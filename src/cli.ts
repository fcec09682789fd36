#!/usr/bin/env node
// The sparse-pursuit command line. Exit codes: 0 ok, 1 bad input, 2 usage.
import { resolve } from 'node:path';
import { init } from './wasm.js';
import { EXPERIMENTS } from './experiments/index.js';
import { runReport, writeExperiment } from './report/index.js';
import { trainCommand, TrainUsageError } from './nets/cli.js';

const USAGE = `usage: sparse-pursuit <command> [options]

commands:
  report [--quick|--full] [--out dir] [--seed N] [--workers N]
                          run the demo and every experiment; write dir/index.html, *.json, *.svg (dir: report)
  experiment <name> [--quick|--full] [--out dir] [--seed N] [--workers N]
                          run one experiment (${Object.keys(EXPERIMENTS).join(', ') || 'none registered'})
  train omp-net|iht-net [--quick|--paper] [options]
                          train a learned solver; see train --help
  help                    this text

every command takes --help`;

class UsageError extends Error {}

interface Common {
  mode: 'quick' | 'full';
  out: string;
  seed: number;
  workers: number;
  rest: string[];
}

function parseCommon(args: string[], defOut: string): Common {
  const c: Common = { mode: 'quick', out: defOut, seed: 1, workers: 2, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const val = () => {
      if (i + 1 >= args.length) throw new UsageError(`${a} needs a value`);
      return args[++i];
    };
    if (a === '--quick') c.mode = 'quick';
    else if (a === '--full') c.mode = 'full';
    else if (a === '--out') c.out = val();
    else if (a === '--seed' || a === '--workers') {
      const v = Number(val());
      if (!Number.isInteger(v) || v < (a === '--seed' ? 0 : 1)) throw new UsageError(`${a} must be an integer${a === '--seed' ? ' >= 0' : ' >= 1'}`);
      if (a === '--seed') c.seed = v;
      else c.workers = v;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else c.rest.push(a);
  }
  return c;
}

/** Progress lines on stderr (a bar where stderr is a TTY). */
function progress(name: string) {
  let last = -1;
  return (done: number, total: number, label?: string) => {
    const pct = Math.floor((100 * done) / Math.max(1, total));
    if (pct === last && done !== total) return;
    last = pct;
    if (process.stderr.isTTY) {
      const w = 30;
      const f = Math.round((w * done) / Math.max(1, total));
      process.stderr.write(`\r${name} [${'#'.repeat(f)}${'.'.repeat(w - f)}] ${pct}% ${label ?? ''}   ${done === total ? '\n' : ''}`);
    } else if (pct % 10 === 0 || done === total) {
      process.stderr.write(`${name}: ${done}/${total} (${pct}%)${label ? ' ' + label : ''}\n`);
    }
  };
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === 'train') {
      await init();
      return await trainCommand(rest);
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(USAGE);
      return 0;
    }
    switch (cmd) {
      case 'report': {
        const c = parseCommon(rest, 'report');
        if (c.rest.length) throw new UsageError(`report: unexpected argument ${c.rest[0]}`);
        await init();
        const path = await runReport({ ...c, log: (l) => console.log(l), progress });
        console.log(`\nreport written to ${path}`);
        return 0;
      }
      case 'experiment': {
        const c = parseCommon(rest, 'report');
        const name = c.rest[0];
        if (!name) throw new UsageError('experiment: name the experiment');
        const e = EXPERIMENTS[name];
        if (!e) throw new UsageError(`experiment: unknown experiment '${name}' (known: ${Object.keys(EXPERIMENTS).join(', ')})`);
        await init();
        const out = await e.run({ mode: c.mode, seed: c.seed, workers: c.workers, onProgress: progress(name) });
        await writeExperiment(resolve(c.out), name, out);
        console.log(out.summary);
        console.log(`\nwritten: ${resolve(c.out, name + '.json')} ${out.figures.map((f) => resolve(c.out, f.file)).join(' ')}`);
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof TrainUsageError) {
      console.error(`sparse-pursuit: ${e.message}\n(see sparse-pursuit train --help)`);
      return 2;
    }
    if (e instanceof UsageError) {
      console.error(`sparse-pursuit: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof RangeError || e instanceof TypeError) {
      console.error(`sparse-pursuit: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));

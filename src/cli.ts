#!/usr/bin/env node
// The sparse-pursuit command line. Exit codes: 0 ok; 2 a bad command line
// (unknown or missing option, a value outside its documented range, whatever
// the files hold); 1 bad data (an input file unreadable, malformed or not
// fitting the command line, an output that cannot be written). Errors go to
// stderr as one line naming the argument or the file.
import { resolve } from 'node:path';
import { init } from './core/wasm.js';
import { EXPERIMENTS } from './experiments/index.js';
import { runReport, writeExperiment } from './report/index.js';
import { demoTable, formatDemo } from './report/demo.js';
import { InputError } from './io/files.js';
import { ensureWritableDir, OutputError } from './io/atomic.js';
import { EXIT_CODES, intArg, parse, UsageError } from './cli/args.js';
import { progress } from './cli/progress.js';
import { SOLVE_USAGE, solveCommand } from './cli/solve.js';
import { TRAIN_USAGE, trainCommand } from './nets/cli.js';

const USAGE = `usage: sparse-pursuit <command> [options]

commands:
  solve --matrix A --y Y --solver NAME -k K [--tol T] [--backend wasm|js] [--out FILE]
                          recover x from files (.npy, .csv, .json); several columns in Y: one solve each
  experiment <name> [--quick|--full] [--out dir] [--seed N] [--workers N]
                          run one experiment (${Object.keys(EXPERIMENTS).join(', ') || 'none registered yet'})
  train omp-net|iht-net [--quick|--paper|--paper-dct] [options]
                          train OMP-Net / IHT-Net on structured-sparse signals (see train --help)
  bench [--m M] [--n N] [-k K] [--seed N]
                          time every solver on WASM and JS on one problem
  report [--quick|--full] [--out dir] [--seed N] [--workers N]
                          the demo table and every experiment: dir/index.html, *.json, *.svg (dir: report)
  help                    this text

every command takes --help.
${EXIT_CODES}`;

const EXPERIMENT_USAGE = `usage: sparse-pursuit experiment <name> [--quick|--full] [--out dir] [--seed N] [--workers N]

Runs one experiment and writes dir/<name>.json and its SVG figures (dir: report).
experiments: ${Object.values(EXPERIMENTS).map((e) => `\n  ${e.name.padEnd(22)}${e.title}`).join('') || 'none registered yet'}

  --quick | --full     quick settings (default) or the full-size ones
  --out DIR            output folder (default: report)
  --seed N             master seed, an integer >= 0 (default 1)
  --workers N          worker threads, an integer >= 1 (default 2)
  -h, --help           this text

${EXIT_CODES}`;

const REPORT_USAGE = `usage: sparse-pursuit report [--quick|--full] [--out dir] [--seed N] [--workers N]

Runs the WASM-vs-JS demo table and every experiment, and writes dir/index.html
(SVG figures inline, readable without JavaScript) with dir/*.json and dir/*.svg.

  --quick | --full     quick settings (default; a few minutes on 2 cores) or the full-size ones
  --out DIR            output folder (default: report)
  --seed N             master seed, an integer >= 0 (default 1)
  --workers N          worker threads, an integer >= 1 (default 2)
  -h, --help           this text

${EXIT_CODES}`;

const BENCH_USAGE = `usage: sparse-pursuit bench [--m M] [--n N] [-k K] [--seed N] [--json]

Solves one seeded Gaussian problem (unit-norm columns, no noise) with every
solver on the WASM and JS backends and prints the time per solve (each timing
repeats the solve for at least 20 ms). For careful statistics use the
tinybench suite: npm run bench.

  --m M                rows (default 256)
  --n N                columns (default 1024)
  -k, --k K            sparsity, in [1, min(m, n)] (default 32)
  --seed N             problem seed (default 1)
  --json               print the rows as JSON instead of a table
  -h, --help           this text

${EXIT_CODES}`;

const RUN_OPTIONS = {
  quick: { type: 'boolean' },
  full: { type: 'boolean' },
  out: { type: 'string', short: 'o' },
  seed: { type: 'string' },
  workers: { type: 'string' },
} as const;

function runSettings(cmd: string, v: { quick?: boolean; full?: boolean; out?: string; seed?: string; workers?: string }) {
  if (v.quick && v.full) throw new UsageError(`${cmd}: --quick and --full exclude each other`);
  return {
    mode: (v.full ? 'full' : 'quick') as 'quick' | 'full',
    out: v.out ?? 'report',
    seed: v.seed === undefined ? 1 : intArg('--seed', v.seed, 0, 2 ** 32 - 1, true),
    workers: v.workers === undefined ? 2 : intArg('--workers', v.workers, 1, 256, true),
  };
}

const print = (s: string) => console.log(s);

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  let usage = USAGE;
  try {
    switch (cmd) {
      case 'solve':
        usage = SOLVE_USAGE;
        return await solveCommand(rest, print);
      case 'report': {
        usage = REPORT_USAGE;
        const { values, positionals } = parse('report', rest, RUN_OPTIONS, true);
        if (values.help) return print(REPORT_USAGE), 0;
        if (positionals.length) throw new UsageError(`report: unexpected argument ${JSON.stringify(positionals[0])}`);
        const c = runSettings('report', values);
        await ensureWritableDir(resolve(c.out));
        await init();
        const path = await runReport({ ...c, log: print, progress: (name) => progress(name) });
        print(`\nreport written to ${path}`);
        return 0;
      }
      case 'experiment': {
        usage = EXPERIMENT_USAGE;
        const { values, positionals } = parse('experiment', rest, RUN_OPTIONS, true);
        if (values.help) return print(EXPERIMENT_USAGE), 0;
        const c = runSettings('experiment', values);
        const name = positionals[0];
        if (!name) throw new UsageError(`experiment: expected an experiment name (${Object.keys(EXPERIMENTS).join(', ') || 'none registered'}), received none`);
        if (positionals.length > 1) throw new UsageError(`experiment: unexpected argument ${JSON.stringify(positionals[1])}`);
        const e = EXPERIMENTS[name];
        if (!e) throw new UsageError(`experiment: unknown experiment '${name}' (known: ${Object.keys(EXPERIMENTS).join(', ') || 'none'})`);
        await ensureWritableDir(resolve(c.out));
        await init();
        const out = await e.run({ mode: c.mode, seed: c.seed, workers: c.workers, onProgress: progress(name) });
        await writeExperiment(resolve(c.out), name, out);
        print(out.summary);
        print(`\nwritten: ${resolve(c.out, name + '.json')} ${out.figures.map((f) => resolve(c.out, f.file)).join(' ')}`);
        return 0;
      }
      case 'bench': {
        usage = BENCH_USAGE;
        const { values } = parse('bench', rest, {
          m: { type: 'string' }, n: { type: 'string' }, k: { type: 'string', short: 'k' }, seed: { type: 'string' }, json: { type: 'boolean' },
        });
        if (values.help) return print(BENCH_USAGE), 0;
        const m = values.m === undefined ? 256 : intArg('--m', values.m, 1, 1 << 16, true);
        const n = values.n === undefined ? 1024 : intArg('--n', values.n, 1, 1 << 20, true);
        const k = values.k === undefined ? Math.min(32, m, n) : intArg('-k', values.k, 1, Math.min(m, n), true);
        const seed = values.seed === undefined ? 1 : intArg('--seed', values.seed, 0, 2 ** 32 - 1, true);
        await init();
        const rows = demoTable({ m, n, k, seed });
        print(values.json ? JSON.stringify({ settings: { m, n, k, seed }, rows }, null, 2) : `m=${m}, n=${n}, k=${k}, seed ${seed}\n${formatDemo(rows)}`);
        return 0;
      }
      case 'train':
        usage = TRAIN_USAGE;
        if (rest.includes('--help') || rest.includes('-h')) return print(TRAIN_USAGE), 0;
        await init();
        return await trainCommand(rest, print);
      case undefined:
        console.error(USAGE);
        return 2;
      case 'help':
      case '--help':
      case '-h':
        print(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command '${cmd}' (commands: solve, experiment, train, bench, report, help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`sparse-pursuit: ${e.message}`);
      console.error(usage === USAGE ? "run 'sparse-pursuit --help' for usage" : `run 'sparse-pursuit ${cmd} --help' for usage`);
      return 2;
    }
    if (e instanceof InputError || e instanceof OutputError || e instanceof RangeError || e instanceof TypeError) {
      console.error(`sparse-pursuit ${cmd}: ${e.message.split('\n')[0]}`);
      return 1;
    }
    // a system error (a file that cannot be written, a full disk) is bad data for the rule above, not a crash
    const sys = e as NodeJS.ErrnoException;
    if (e instanceof Error && typeof sys.code === 'string' && typeof sys.syscall === 'string') {
      console.error(`sparse-pursuit ${cmd}: ${sys.path ? `${sys.path}: ` : ''}${sys.syscall} failed (${sys.code})`);
      return 1;
    }
    throw e;
  }
}

// process.exit rather than exitCode: a stray handle (a worker pool, a timer)
// must not keep the CLI alive. But exit only once stdout and stderr have
// flushed: a write to a pipe can still be pending (a 200 KB `bench --json`
// read by a parent process came out cut short), and an empty write's
// callback runs after every earlier write has gone out.
main(process.argv.slice(2)).then((code) => {
  let pending = 2;
  const done = () => { if (--pending === 0) process.exit(code); };
  process.stdout.write('', done);
  process.stderr.write('', done);
});

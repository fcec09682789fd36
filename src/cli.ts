#!/usr/bin/env node
// The sparse-pursuit command line. Exit codes: 0 ok, 1 bad input, 2 usage.
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { init } from './wasm.js';
import { demoTable, formatDemo } from './report/demo.js';

const USAGE = `usage: sparse-pursuit <command> [options]

commands:
  report [--quick|--full] [--out dir]   run the experiments, write dir/index.html and JSON (default dir: report)
  help                                  this text`;

class UsageError extends Error {}

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function report(args: string[]): Promise<void> {
  let out = 'report';
  let mode: 'quick' | 'full' = 'quick';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--quick') mode = 'quick';
    else if (a === '--full') mode = 'full';
    else if (a === '--out') {
      if (i + 1 >= args.length) throw new UsageError('report: --out needs a directory');
      out = args[++i];
    } else if (a === '--help' || a === '-h') {
      console.log('usage: sparse-pursuit report [--quick|--full] [--out dir]');
      return;
    } else throw new UsageError(`report: unknown option ${a}`);
  }
  await init();
  const dir = resolve(out);
  await mkdir(dir, { recursive: true });
  const size = mode === 'quick' ? { m: 128, n: 256, k: 8 } : { m: 256, n: 1024, k: 32 };
  console.log(`demo: every solver on one Gaussian problem (m=${size.m}, n=${size.n}, k=${size.k}, seed 1)`);
  const rows = demoTable({ ...size, seed: 1 });
  const table = formatDemo(rows);
  console.log(table);
  await writeFile(resolve(dir, 'demo.json'), JSON.stringify({ settings: { ...size, seed: 1 }, rows }, null, 2));
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>sparse-pursuit report</title></head><body>
<h1>sparse-pursuit report (${mode})</h1>
<h2>Demo: every solver, WASM and JS</h2>
<pre>${htmlEscape(table)}</pre>
</body></html>`;
  await writeFile(resolve(dir, 'index.html'), html);
  console.log(`\nreport written to ${resolve(dir, 'index.html')}`);
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'report':
        await report(rest);
        return 0;
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

// The same OMP-Net / IHT-Net training on several draws: runs
// `sparse-pursuit train <net> --paper-dct --seed S --out DIR/seed-S [extra]` for
// each seed (a seed draws A's rows, the hidden set, the signals and the
// shuffles), a few at a time, then prints a Markdown table and writes
// DIR/seeds.json: per seed the kept epoch, the hidden indices among the K
// largest |w| at the kept epoch (and the range over epochs 41 to the last),
// the validation-MSE ratios plain / net (soft, hard) and plain / ideal
// weights, and the training time.
//   npm run build && npx tsx scripts/nets-seeds.ts omp-net --seeds 1-8 --out out/seeds [--jobs 2] [-- --m 30 ...]
// An existing DIR/seed-S/<net>.json is reused (delete it to rerun).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../src/io/atomic.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const cut = process.argv.indexOf('--');
const extra = cut < 0 ? [] : process.argv.slice(cut + 1);
const { values: a, positionals } = parseArgs({
  args: process.argv.slice(2, cut < 0 ? undefined : cut), allowPositionals: true,
  options: { seeds: { type: 'string', default: '1-8' }, out: { type: 'string', default: 'out/seeds' }, jobs: { type: 'string', default: '2' } },
});
const kind = positionals[0];
if (kind !== 'omp-net' && kind !== 'iht-net') throw new Error('name the net: omp-net or iht-net');
const seeds = a.seeds!.split(',').flatMap((p) => {
  const [lo, hi] = p.split('-').map(Number);
  return Array.from({ length: (hi ?? lo) - lo + 1 }, (_, i) => lo + i);
});
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) throw new Error('dist/cli.js is missing: npm run build first');
mkdirSync(a.out!, { recursive: true });

function run(seed: number): Promise<void> {
  const dir = join(a.out!, `seed-${seed}`);
  if (existsSync(join(dir, `${kind}.json`))) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const args = [cli, 'train', kind!, '--paper-dct', '--seed', String(seed), '--out', dir, ...extra];
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seed ${seed}: exit ${code}`))));
  });
}

const queue = [...seeds];
await Promise.all(Array.from({ length: Math.max(1, Number(a.jobs)) }, async () => {
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) await run(s);
}));

interface Curve { epoch: number; valLoss: number; hiddenInTop: number | null }
const rows = seeds.map((seed) => {
  const d = JSON.parse(readFileSync(join(a.out!, `seed-${seed}`, `${kind}.json`), 'utf8'));
  const f = d.final;
  const h = (d.curves as Curve[]).map((c) => c.hiddenInTop ?? NaN);
  const later = h.slice(40);
  return {
    seed, keptEpoch: d.bestEpoch as number, hiddenAtKept: h[d.bestEpoch - 1], hiddenMin: Math.min(...later), hiddenMax: Math.max(...later),
    hiddenLast: h.at(-1)!, ratioSoft: f.valMseRatioSoft as number, ratioHard: f.valMseRatioHard as number,
    ratioIdeal: f.baseline.val.mse / f.ideal.val.mse, seconds: d.timing.seconds as number,
  };
});
const K = JSON.parse(readFileSync(join(a.out!, `seed-${seeds[0]}`, `${kind}.json`), 'utf8')).settings.K as number;
const x = (r: number) => `${r >= 100 ? r.toFixed(0) : r.toPrecision(2)}x`;
console.log(`${kind} ${['--paper-dct', ...extra].join(' ')}: hidden indices among the ${K} largest |w|`);
console.log('| seed | kept epoch | at the kept epoch | epochs 41-last | last | MSE plain / net (soft, hard) | plain / ideal | s |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.seed} | ${r.keptEpoch} | ${r.hiddenAtKept} | ${r.hiddenMin}-${r.hiddenMax} | ${r.hiddenLast} | ${x(r.ratioSoft)}, ${x(r.ratioHard)} | ${x(r.ratioIdeal)} | ${r.seconds.toFixed(0)} |`);
}
const pass = rows.filter((r) => r.hiddenAtKept >= K - 2 && r.ratioSoft >= 10).length;
console.log(`both criteria (>= ${K - 2} of ${K} hidden, MSE >= 10x lower): ${pass} of ${rows.length} seeds`);
writeFileAtomicSync(join(a.out!, 'seeds.json'), JSON.stringify({ kind, extra, rows }, null, 1));

// Writes demo/public/omp-net-small.json, the example net of the demo page:
// `sparse-pursuit train omp-net` at a tiny setting (n = 64, s = 4 of K = 8,
// m = 16, subsampled DCT, 6 layers, 150 epochs; a few seconds), its
// <out>/omp-net.net.json copied as is. Deterministic (seeded).
//   npx tsx scripts/demo-example.ts
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init } from '../src/index.js';
import { trainCommand } from '../src/nets/cli.js';

/** The command line, as a user would type it after `sparse-pursuit train`. */
export const EXAMPLE_ARGS = ['omp-net', '--quick', '--n', '64', '--m', '16', '--s', '4', '--K', '8', '--layers', '6',
  '--train', '512', '--val', '128', '--test', '128', '--epochs', '150', '--tau-epochs', '50', '--seed', '7'];

const target = fileURLToPath(new URL('../demo/public/omp-net-small.json', import.meta.url));
await init();
const dir = await mkdtemp(join(tmpdir(), 'sp-demo-example-'));
try {
  await trainCommand([...EXAMPLE_ARGS, '--out', dir]);
  await copyFile(join(dir, 'omp-net.net.json'), target);
  console.log(`${target}: ${(await stat(target)).size} bytes`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

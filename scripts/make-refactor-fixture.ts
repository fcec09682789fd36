// Writes test/fixtures/refactor-baseline.json: the outputs of every solver,
// batch form and soft op (scripts/refactor-cases.ts) from a built copy of the
// package, bit for bit. Made first from the code before the refactor, and
// re-recorded from the current build (SP_INDEX=dist/index.js) when a change of
// the numbers is deliberate (the power iteration's start). The first recording:
//
//   git worktree add /tmp/baseline pre-refactor && cd /tmp/baseline && ln -s <repo>/node_modules && npm run build
//   SP_INDEX=/tmp/baseline/dist/index.js npx tsx scripts/make-refactor-fixture.ts
//
// test/refactor-fixture.test.ts runs the same cases on the current code and compares.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runCases } from './refactor-cases.js';

const index = process.env.SP_INDEX;
if (!index) {
  console.error('make-refactor-fixture: set SP_INDEX to the dist/index.js of the build to record');
  process.exit(2);
}
const api = await import(pathToFileURL(index).href);
await api.init();
const cases = runCases(api);
const file = new URL('../test/fixtures/refactor-baseline.json', import.meta.url);
writeFileSync(file, JSON.stringify(cases, null, 0).replace(/,"/g, ',\n"') + '\n');
console.log(`wrote ${Object.keys(cases).length} cases to ${file.pathname}`);

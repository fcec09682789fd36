// Rewrites the solver table of docs/api.md from the solver descriptors
// (src/solvers/<name>.ts). Run: npx tsx scripts/api-table.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { withApiTable } from '../src/solvers/api-table.js';

const file = new URL('../docs/api.md', import.meta.url);
writeFileSync(file, withApiTable(readFileSync(file, 'utf8')));
console.log(`api-table: wrote ${file.pathname}`);

// The API table of docs/api.md, rendered from the solver descriptors
// (scripts/api-table.ts writes it; test/api-table.test.ts fails when the
// committed table differs).
import type { SolverDescriptor } from './descriptor.js';
import { solverDescriptors } from './registry.js';

export const API_TABLE_START = '<!-- api-table:start -->';
export const API_TABLE_END = '<!-- api-table:end -->';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The markdown table of every solver: function, batch form, what it does, its own options, default maxIter. */
export function renderApiTable(descriptors: readonly SolverDescriptor[] = solverDescriptors()): string {
  const rows = [
    '| Solver | Batch form | What it does | Its own options (default; range) | Default `maxIter` |',
    '|---|---|---|---|---|',
  ];
  for (const d of descriptors) {
    const opts = d.options.length === 0 ? '—' : d.options.map((o) => `\`${o.name}\` (${cell(o.default)}; ${cell(o.range)}): ${cell(o.doc)}`).join('<br>');
    const batch = d.batch === 'ompBatch' ? '`ompBatch` (Batch-OMP)' : `\`${d.fn}Batch\``;
    rows.push(`| \`${d.fn}\` | ${batch} | ${cell(d.summary)} | ${opts} | ${cell(d.maxIterDoc)} |`);
  }
  return rows.join('\n');
}

/** `doc` with the text between the markers replaced by the table. */
export function withApiTable(doc: string, table = renderApiTable()): string {
  const i = doc.indexOf(API_TABLE_START);
  const j = doc.indexOf(API_TABLE_END);
  if (i < 0 || j < i) throw new Error(`withApiTable: the document has no ${API_TABLE_START} ... ${API_TABLE_END} markers`);
  return `${doc.slice(0, i + API_TABLE_START.length)}\n${table}\n${doc.slice(j)}`;
}

// docs/api.md's solver table is what the descriptors say, and the descriptors
// say what the solvers do: documented defaults of maxIter, step options that
// refuse bad values naming themselves, x0 accepted exactly where documented.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../src/index.js';
import { API_TABLE_END, API_TABLE_START, renderApiTable } from '../src/solvers/api-table.js';
import { SOLVERS, solverDescriptors } from '../src/solvers/registry.js';
import { baseOptions } from '../src/solvers/descriptor.js';
import { gaussianProblem } from '../src/data/problems.js';

beforeAll(async () => {
  await init();
});

describe('API table', () => {
  it('docs/api.md holds the table rendered from the descriptors (regenerate: npx tsx scripts/api-table.ts)', () => {
    const doc = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8');
    const i = doc.indexOf(API_TABLE_START);
    const j = doc.indexOf(API_TABLE_END);
    expect(i).toBeGreaterThan(0);
    expect(j).toBeGreaterThan(i);
    expect(doc.slice(i + API_TABLE_START.length, j).trim()).toBe(renderApiTable());
  });

  it('lists every registered solver once', () => {
    expect(solverDescriptors().map((d) => d.fn)).toEqual(Object.keys(SOLVERS));
  });
});

describe('descriptors agree with the solvers', () => {
  const { A, y } = gaussianProblem({ m: 10, n: 20, k: 2, seed: 3 });
  for (const d of solverDescriptors()) {
    it(`${d.fn}: documented default maxIter`, () => {
      for (const k of [1, 3, 7]) {
        const doc = d.maxIterDoc;
        const want = doc === 'k' ? k : /^\d+ k$/.test(doc) ? Number(doc.split(' ')[0]) * k : Number(doc);
        expect(d.defaultMaxIter(10, 20, k)).toBe(want);
      }
    });

    it(`${d.fn}: its options are accepted, and bad steps and warm starts refused naming the option`, () => {
      const solve = SOLVERS[d.fn];
      const names = d.options.map((o) => o.name);
      const base = baseOptions(d, 2);
      if (d.takesK === false) expect(() => solve(A, y, { ...base, k: 2 } as never)).toThrow(new RegExp(`^${d.fn}: k must be undefined`));
      for (const o of d.options) {
        if (o.type === 'step') {
          expect(() => solve(A, y, { ...base, [o.name]: 0.5 } as never)).not.toThrow();
          expect(() => solve(A, y, { ...base, [o.name]: -1 } as never)).toThrow(new RegExp(`^${d.fn}: ${o.name} must`));
        }
        if (o.type === 'vector') expect(() => solve(A, y, { ...base, [o.name]: new Float64Array(19) } as never)).toThrow(new RegExp(`^${d.fn}: ${o.name} must`));
      }
      if (!names.includes('x0')) expect(() => solve(A, y, { ...base, x0: new Float64Array(20) } as never)).toThrow(/x0 must be undefined/);
      else expect(() => solve(A, y, { ...base, x0: new Float64Array(20) } as never)).not.toThrow();
    });
  }
});

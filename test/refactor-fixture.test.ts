// Every solver, batch form and soft op gives, bit for bit, the outputs recorded
// from the code before the refactor (test/fixtures/refactor-baseline.json,
// written by scripts/make-refactor-fixture.ts from a build of that code).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { runCases } from '../scripts/refactor-cases.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/refactor-baseline.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('refactor fixture: outputs identical to the recorded baseline', () => {
  let now: Record<string, unknown>;
  beforeAll(async () => {
    await api.init();
    now = runCases(api);
  });

  it('covers the same cases', () => {
    expect(Object.keys(now).sort()).toEqual(Object.keys(fixture).sort());
    expect(Object.keys(fixture).length).toBeGreaterThan(300);
  });

  for (const name of Object.keys(fixture)) {
    it(name, () => {
      expect(now[name]).toEqual(fixture[name]);
    });
  }
});

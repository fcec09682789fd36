// Argument checks of every registered solver (iterating SOLVERS, so solvers
// added later are covered too): each bad input throws a RangeError or
// TypeError that names the function and the argument, and nothing reaches
// WASM first: no kernel call, no allocation, and linear memory byte-identical.
import { beforeAll, describe, expect, it, vi } from 'vitest';

const counts = vi.hoisted(() => ({ call: 0, alloc: 0, scratch: 0, write: 0 }));

vi.mock('../src/core/wasm.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../src/core/wasm.js')>();
  return {
    ...orig,
    // every kernel call goes through wasm(): count calls to its functions
    wasm: () => new Proxy(orig.wasm(), {
      get(target, key) {
        const v = Reflect.get(target, key);
        return typeof v === 'function' ? (...args: number[]) => { counts.call++; return (v as (...a: number[]) => unknown)(...args); } : v;
      },
    }),
    alloc: (bytes: number) => { counts.alloc++; return orig.alloc(bytes); },
    allocF64: (data: ArrayLike<number>) => { counts.alloc++; return orig.allocF64(data); },
    scratch: (bytes: number) => { counts.scratch++; return orig.scratch(bytes); },
    writeF64: (ptr: number, data: ArrayLike<number>) => { counts.write++; return orig.writeF64(ptr, data); },
  };
});

import { init, Matrix } from '../src/index.js';
import { SOLVERS, solverDescriptors } from '../src/solvers/registry.js';
import { baseOptions } from '../src/solvers/descriptor.js';

import { gaussianProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import { wasm } from '../src/core/wasm.js';

beforeAll(async () => {
  await init();
});

const m = 6;
const n = 9;
const p = gaussianProblem({ m, n, k: 2, seed: 3 });
const rows = p.A.toRows();
const y = Array.from(p.y);

interface Case {
  what: string;
  A: unknown;
  y: unknown;
  opts: unknown;
  /** The argument the message must name. */
  arg: string;
}

const withEntry = (v: number, i: number, j: number) => rows.map((r, a) => r.map((e, b) => (a === i && b === j ? v : e)));
const cases: Case[] = [
  { what: 'y longer than the rows of A', A: rows, y: [...y, 1], opts: { k: 2 }, arg: 'y' },
  { what: 'y shorter than the rows of A', A: p.A, y: y.slice(1), opts: { k: 2 }, arg: 'y' },
  { what: 'ragged rows of A', A: [rows[0], rows[1].slice(1), ...rows.slice(2)], y, opts: { k: 2 }, arg: 'A' },
  { what: 'NaN in A', A: withEntry(NaN, 2, 3), y, opts: { k: 2 }, arg: 'A' },
  { what: 'Infinity in A', A: withEntry(Infinity, 0, 0), y, opts: { k: 2 }, arg: 'A' },
  { what: '-Infinity in A', A: withEntry(-Infinity, 5, 8), y, opts: { k: 2 }, arg: 'A' },
  { what: 'NaN in y', A: p.A, y: y.map((v, i) => (i === 4 ? NaN : v)), opts: { k: 2 }, arg: 'y' },
  { what: 'Infinity in y', A: p.A, y: Float64Array.from(y, (v, i) => (i === 0 ? Infinity : v)), opts: { k: 2 }, arg: 'y' },
  { what: 'k = 0', A: p.A, y, opts: { k: 0 }, arg: 'k' },
  { what: 'k < 0', A: p.A, y, opts: { k: -3 }, arg: 'k' },
  { what: 'k > min(m, n)', A: p.A, y, opts: { k: m + 1 }, arg: 'k' },
  { what: 'k > min(m, n), tall A', A: Matrix.fromRows(rows.slice(0, 5).map((r) => r.slice(0, 3))), y: y.slice(0, 5), opts: { k: 4 }, arg: 'k' },
  { what: 'non-integer k', A: p.A, y, opts: { k: 2.5 }, arg: 'k' },
  { what: 'NaN k', A: p.A, y, opts: { k: NaN }, arg: 'k' },
  { what: 'k as a string', A: p.A, y, opts: { k: '2' }, arg: 'k' },
  { what: 'k missing', A: p.A, y, opts: {}, arg: 'k' },
  { what: 'options missing', A: p.A, y, opts: undefined, arg: 'options' },
  { what: 'empty A', A: [], y, opts: { k: 1 }, arg: 'A' },
  { what: 'A with empty rows', A: [[], []], y: [1, 2], opts: { k: 1 }, arg: 'A' },
  { what: 'empty y', A: p.A, y: [], opts: { k: 1 }, arg: 'y' },
  { what: 'empty Float64Array y', A: p.A, y: new Float64Array(0), opts: { k: 1 }, arg: 'y' },
  { what: 'A not a matrix', A: 'A', y, opts: { k: 1 }, arg: 'A' },
  { what: 'NaN tol', A: p.A, y, opts: { k: 2, tol: NaN }, arg: 'tol' },
  { what: 'Infinity tol', A: p.A, y, opts: { k: 2, tol: Infinity }, arg: 'tol' },
  { what: '-Infinity tol', A: p.A, y, opts: { k: 2, tol: -Infinity }, arg: 'tol' },
  { what: 'negative tol', A: p.A, y, opts: { k: 2, tol: -0.1 }, arg: 'tol' },
  { what: 'unknown backend', A: p.A, y, opts: { k: 2, backend: 'gpu' }, arg: 'backend' },
  { what: 'backend not a string', A: p.A, y, opts: { k: 2, backend: 1 }, arg: 'backend' },
  { what: 'x0 too long', A: p.A, y, opts: { k: 2, x0: new Float64Array(n + 1) }, arg: 'x0' },
  { what: 'x0 too short', A: p.A, y, opts: { k: 2, x0: new Array(n - 1).fill(0) }, arg: 'x0' },
  { what: 'maxIter 0', A: p.A, y, opts: { k: 2, maxIter: 0 }, arg: 'maxIter' },
  { what: 'non-integer maxIter', A: p.A, y, opts: { k: 2, maxIter: 1.5 }, arg: 'maxIter' },
  { what: 'out of the wrong length', A: p.A, y, opts: { k: 2, out: new Float64Array(n - 1) }, arg: 'out' },
];

function snapshot(): Uint8Array {
  return new Uint8Array(wasm().memory.buffer).slice();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

let fresh = 0; // seeds a new y for each positive control, so its memory writes differ from the last call's
const resetCounts = () => Object.assign(counts, { call: 0, alloc: 0, scratch: 0, write: 0 });
const total = () => counts.call + counts.alloc + counts.scratch + counts.write;

describe.each(Object.keys(SOLVERS))('%s rejects bad input before touching WASM', (name) => {
  const solve = SOLVERS[name] as (A: unknown, y: unknown, o: unknown) => unknown;
  const d = solverDescriptors().find((s) => s.fn === name)!;
  // a solver without k: a case about k gives one (which it refuses, naming k); the rest drop it; required options are added
  const adapt = (c: Case): unknown => {
    const o = c.opts;
    if (o === null || typeof o !== 'object' || (d.takesK !== false && !d.required)) return o;
    const { k: _k, ...rest } = o as { k?: unknown };
    return { ...d.required, ...(d.takesK === false && c.arg !== 'k' ? rest : o) };
  };
  const mine = cases.filter((c) => d.takesK !== false || c.arg !== 'k' || (c.opts as { k?: unknown } | null)?.k !== undefined)
    .map((c) => ({ ...c, opts: adapt(c) }));

  it.each(mine.map((c) => [c.what, c] as const))('%s', (_what, c) => {
    for (const backend of [undefined, 'js']) {
      const opts = c.opts && backend && !('backend' in (c.opts as object)) ? { ...(c.opts as object), backend } : c.opts;
      resetCounts();
      const before = snapshot();
      let err: unknown = null;
      try {
        solve(c.A, c.y, opts);
      } catch (e) {
        err = e;
      }
      expect(err).not.toBeNull();
      expect(err instanceof RangeError || err instanceof TypeError).toBe(true);
      const msg = (err as Error).message;
      expect(msg.startsWith(`${name}: `)).toBe(true);
      expect(msg).toMatch(new RegExp(`\\b${c.arg}\\b`));
      expect(total()).toBe(0);
      expect(sameBytes(snapshot(), before)).toBe(true);
    }
  });

  it('the checks above can see WASM activity: a valid call calls, allocates and writes memory', () => {
    resetCounts();
    const before = snapshot();
    const yy = new Rng(++fresh).normals(m);
    solve(p.A, yy, baseOptions(d, 2));
    expect(counts.call).toBeGreaterThan(0);
    expect(total()).toBeGreaterThan(counts.call);
    expect(sameBytes(snapshot(), before)).toBe(false);
  });
});

// Property-based fuzzing of the learned nets: loading saved nets (loadNet /
// fromJSON) from truncated, bit-flipped and spliced files and from
// structurally edited ones whose checksum was recomputed (so they reach the
// deeper checks), predicting on hostile inputs, and training on tiny sets with
// options at their edges. Properties: a TypeError/RangeError whose one-line
// message starts with the function's name, or a usable net / finite result.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IhtNet, init, loadNet, Matrix, OmpNet } from '../src/index.js';
import { fnv1a } from '../src/nets/net.js';
import { train } from '../src/nets/train.js';
import { gaussianProblem } from '../src/data/problems.js';
import { Rng } from '../src/core/random.js';
import { attempt, count, FUZZ_SEED, runs, SPECIALS, SpecialName, tried } from './fuzz/gen.js';

beforeAll(async () => {
  await init();
});

afterAll(() => {
  const total = [...tried.values()].reduce((a, b) => a + b, 0);
  console.log(`fuzz-nets: ${total} cases (${[...tried].map(([k, v]) => `${k} ${v}`).join(', ')})`);
});

const SPECIAL_NAMES = Object.keys(SPECIALS) as SpecialName[];
const p = gaussianProblem({ m: 6, n: 12, k: 2, seed: 9 });
function nets(): (OmpNet | IhtNet)[] {
  const rng = new Rng(3);
  const omp = new OmpNet(p.A, { layers: 3, tau: 0.05, weights: Array.from(rng.normals(12)) });
  const iht = new IhtNet(p.A, { layers: 4, sparsity: 2, eta: 0.5, tau: 0.02, weights: Array.from(rng.normals(12)) });
  return [omp, iht];
}

/** A thrown error must be a TypeError/RangeError whose single-line message starts with one of `fns`. */
function checkError(e: unknown, fns: string[], where: string): void {
  const msg = (e as Error)?.message ?? String(e);
  expect(e instanceof TypeError || e instanceof RangeError, `${where}: ${(e as Error)?.constructor?.name}: ${msg}`).toBe(true);
  expect(fns.some((f) => msg.startsWith(`${f}: `)), `${where}: message does not start with ${fns.join(' or ')}: ${msg}`).toBe(true);
  expect(msg, where).not.toMatch(/\n/);
  expect(msg, where).toMatch(/received|expected|must|mismatch|not /);
}

/** A loaded net must predict finite x on a normal y, on both backends, and agree on them. */
function usable(net: OmpNet | IhtNet): void {
  const y = new Rng(5).normals(net.m);
  const a = attempt(() => net.predict(y));
  const b = attempt(() => net.predict(y, { backend: 'js' }));
  expect(a.ok).toBe(b.ok);
  if (a.ok && b.ok) {
    expect(a.value.every(Number.isFinite)).toBe(true);
    expect(b.value.every(Number.isFinite)).toBe(true);
  }
  net.dispose();
}

const FNS = ['loadNet', 'OmpNet', 'IhtNet', 'matrixFromSpec', 'dctMatrix', 'Matrix'];

describe('fuzz loadNet / fromJSON', () => {
  it('truncated, bit-flipped, spliced files: a usable net or a TypeError/RangeError naming the problem', () => {
    const texts = nets().map((n) => JSON.stringify(n.toJSON()));
    fc.assert(fc.property(fc.nat(), fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('truncate', 'flip', 'set', 'delete'), bit: fc.integer({ min: 0, max: 6 }), ch: fc.constantFrom('0', '9', '-', '.', 'e', '"', ',', ']', '}', 'x', ' ') }), { minLength: 1, maxLength: 3 }), (which, muts) => {
      count('loadNet mutated');
      let t = texts[which % texts.length];
      for (const m of muts) {
        const at = m.at % Math.max(1, t.length);
        if (m.kind === 'truncate') t = t.slice(0, at);
        else if (m.kind === 'flip') t = t.slice(0, at) + String.fromCharCode(t.charCodeAt(at) ^ (1 << m.bit)) + t.slice(at + 1);
        else if (m.kind === 'set') t = t.slice(0, at) + m.ch + t.slice(at + 1);
        else t = t.slice(0, at) + t.slice(at + 3);
      }
      const r = attempt(() => loadNet(t));
      if (r.ok) usable(r.value);
      else checkError(r.error, FNS, `loadNet(${JSON.stringify(t.slice(0, 80))}...)`);
    }), { seed: FUZZ_SEED + 61, numRuns: runs(300) });
  });

  it('structurally edited files with a recomputed checksum (wrong types, NaN, huge sizes, missing keys)', () => {
    const base = nets().map((n) => n.toJSON());
    const valueArb = fc.oneof(
      fc.constantFrom<unknown>(null, true, 'x', [], {}, -1, 0, 0.5, 1.5, 2 ** 20, 2 ** 31, 1e300, -0, [1, 2], { kind: 'dct' }),
      fc.constantFrom(...SPECIAL_NAMES).map((s) => SPECIALS[s]),
    );
    const pathArb = fc.constantFrom(
      ['kind'], ['version'], ['settings', 'layers'], ['settings', 'tau'], ['settings', 'sparsity'], ['settings', 'eta'],
      ['weights', 0], ['weights', 5], ['weights'], ['matrix', 'kind'], ['matrix', 'm'], ['matrix', 'n'], ['matrix', 'data'], ['matrix', 'data', 3],
      ['matrix'], ['settings'], ['meta'],
    );
    fc.assert(fc.property(fc.nat(), fc.array(fc.record({ path: pathArb, value: valueArb, del: fc.boolean() }), { minLength: 1, maxLength: 2 }), (which, edits) => {
      count('loadNet edited');
      const j = structuredClone(base[which % base.length]) as unknown as Record<string, unknown>;
      for (const { path, value, del } of edits) {
        let o = j as Record<string | number, unknown>;
        for (const k of path.slice(0, -1)) {
          if (!o[k] || typeof o[k] !== 'object') { o = {}; break; }
          o = o[k] as Record<string | number, unknown>;
        }
        const last = path[path.length - 1];
        if (del) delete o[last];
        else o[last] = value;
      }
      // recompute the checksum as the writer does, so the edit reaches the checks behind it
      j.checksum = fnv1a(JSON.stringify([j.kind, j.matrix, j.settings, j.weights]));
      // JSON can hold neither NaN nor Infinity: pass the object itself as well as its text
      for (const input of [j, JSON.stringify(j)]) {
        const r = attempt(() => loadNet(input as never));
        if (r.ok) usable(r.value);
        else checkError(r.error, FNS, `loadNet(${JSON.stringify(edits)})`);
      }
    }), { seed: FUZZ_SEED + 62, numRuns: runs(300) });
  });
});

describe('fuzz predict and train', () => {
  it('predict on hostile y: a RangeError/TypeError naming y, or finite x; WASM and JS agree', () => {
    const [omp, iht] = nets();
    fc.assert(fc.property(fc.boolean(), fc.nat(), fc.constantFrom(0, -300, -100, 100, 300), fc.option(fc.record({ i: fc.nat(), v: fc.constantFrom(...SPECIAL_NAMES) })), fc.constantFrom('soft', 'hard', 'bad'), fc.constantFrom(6, 5, 7),
      (useOmp, seed, scale, special, mode, len) => {
        count('predict');
        const net = useOmp ? omp : iht;
        const y = new Rng(seed).normals(len).map((v) => v * Number(`1e${scale}`));
        if (special) y[special.i % len] = SPECIALS[special.v];
        const w = attempt(() => net.predict(y, { mode: mode as 'soft' }));
        const j = attempt(() => net.predict(y, { mode: mode as 'soft', backend: 'js' }));
        expect(w.ok).toBe(j.ok);
        if (!w.ok) {
          checkError(w.error, [useOmp ? 'OmpNet.predict' : 'IhtNet.predict', 'predict', 'softOmp', 'softIht'], `predict ${Array.from(y)}`);
          expect((w.error as Error).message).toBe((j as { error: Error }).error.message);
        } else {
          expect(w.value.every(Number.isFinite), `predict ${Array.from(y)}: ${Array.from(w.value)}`).toBe(true);
          expect((j as { value: Float64Array }).value.every(Number.isFinite)).toBe(true);
        }
      }), { seed: FUZZ_SEED + 63, numRuns: runs(300) });
    omp.dispose();
    iht.dispose();
  });

  it('train on tiny sets with options at their edges: an error naming the option, or finite weights and losses', async () => {
    const optArb = fc.record({
      epochs: fc.constantFrom<unknown>(1, 2, 0, 1.5),
      batchSize: fc.constantFrom<unknown>(undefined, 1, 4, 1000, 0),
      lr: fc.constantFrom<unknown>(undefined, 1e-3, 1, 1e300, 0, -1, NaN),
      clipNorm: fc.constantFrom<unknown>(undefined, null, 1, 1e-300, 0, -1),
      optimizer: fc.constantFrom<unknown>(undefined, 'adam', 'sgd', 'rmsprop', 'lbfgs'),
      seed: fc.nat(),
    });
    await fc.assert(fc.asyncProperty(optArb, fc.boolean(), fc.nat(), fc.option(fc.constantFrom(...SPECIAL_NAMES)), async (o, useOmp, s, special) => {
      count('train');
      const [omp, iht] = nets();
      const net = useOmp ? omp : iht;
      const rng = new Rng(s);
      const N = 1 + (s % 6);
      const X = new Matrix(12, N, rng.normals(12 * N).map((v, i) => (i % 4 === 0 ? v : 0)));
      const Y = new Matrix(6, N);
      for (let b = 0; b < N; b++) for (let j = 0; j < 12; j++) for (let i = 0; i < 6; i++) Y.data[i + b * 6] += p.A.get(i, j) * X.data[j + b * 12];
      if (special && Number.isFinite(SPECIALS[special])) Y.data[s % Y.data.length] = SPECIALS[special];
      const opts: Record<string, unknown> = { epochs: o.epochs, seed: o.seed };
      for (const k of ['batchSize', 'lr', 'clipNorm', 'optimizer'] as const) if (o[k] !== undefined) opts[k] = o[k];
      let r;
      try {
        r = await train(net, { Y, X }, opts as never);
      } catch (e) {
        checkError(e, ['train', 'OmpNet.train', 'IhtNet.train', 'softOmpBatchVjp', 'softIhtBatchVjp'], `train ${JSON.stringify(opts)}`);
        return;
      } finally {
        omp.dispose();
        iht.dispose();
      }
      expect(net.w.every(Number.isFinite), `train ${JSON.stringify(opts)}: w ${Array.from(net.w)}`).toBe(true);
      for (const e of r.history) expect(Number.isFinite(e.trainLoss), JSON.stringify(e)).toBe(true);
    }), { seed: FUZZ_SEED + 64, numRuns: runs(60) });
  });
});

// The relaxed-SIMD build (build/relaxed.wasm). Node 20 validates relaxed SIMD
// only behind --experimental-wasm-relaxed-simd, so this file runs in the
// plain engine (where init() must fall back to the SIMD build) and starts a
// Node child with the flag (test/relaxed/child.ts), where init() must pick
// the relaxed build and every solver must match its JS twin.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { backendInfo, init, relaxedSimdSupported } from '../src/index.js';
import { chooseBuild } from '../src/core/wasm.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';
const engineHasRelaxed = relaxedSimdSupported();

/** Runs the child with `flags`; returns its JSON line. */
function child(flags: string[], mode = 'auto'): Record<string, any> {
  const r = spawnSync(process.execPath, [...flags, '--import', 'tsx', 'test/relaxed/child.ts', mode], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`relaxed child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string);
}

describe('relaxed-SIMD build', () => {
  beforeAll(async () => {
    if (!engineHasRelaxed) {
      // asking for a build the engine cannot run is refused, and a refused load can be retried
      await expect(init({ build: 'relaxed' })).rejects.toThrow(/init: build must be 'simd', 'scalar' or 'auto' on this engine \(it does not support WebAssembly relaxed SIMD\), received 'relaxed'/);
    }
    await init();
  });

  it('init() picks relaxed only where the probe passes: here (no flag) it falls back to the SIMD build', () => {
    expect(backendInfo()).toEqual({ build: engineHasRelaxed ? 'relaxed' : 'simd', simdSupported: true, relaxedSimdSupported: engineHasRelaxed });
  });

  it('chooses among the three builds from the request and the engine', () => {
    expect(chooseBuild(undefined, true, undefined, true)).toBe('relaxed');
    expect(chooseBuild(undefined, true, 'auto', false)).toBe('simd');
    expect(chooseBuild(undefined, false, 'auto', false)).toBe('scalar');
    expect(chooseBuild(true, true, undefined, true)).toBe('simd'); // simd: true keeps meaning build/release.wasm
    expect(chooseBuild(false, true, undefined, true)).toBe('scalar');
    expect(chooseBuild(undefined, true, 'scalar', true)).toBe('scalar');
    expect(chooseBuild(true, true, 'relaxed', true)).toBe('relaxed');
    expect(() => chooseBuild(undefined, true, 'relaxed', false)).toThrow(RangeError);
    expect(() => chooseBuild(undefined, false, 'simd', false)).toThrow(/build must be 'scalar' or 'auto' on this engine .* received 'simd'/);
    expect(() => chooseBuild(false, true, 'relaxed', true)).toThrow(/init: simd and build disagree/);
    expect(() => chooseBuild(undefined, true, 'fast' as never, true)).toThrow(/init: build must be 'auto', 'relaxed', 'simd' or 'scalar', received/);
  });

  it('package.json ships the three builds', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.exports['./relaxed.wasm']).toBe('./build/relaxed.wasm');
    // every exported build is in the tarball (init() loads relaxed.wasm by default where the engine has relaxed SIMD)
    for (const b of ['release', 'scalar', 'relaxed']) expect(pkg.files).toContain(`build/${b}.wasm`);
  });

  it(`in a Node child with ${RELAXED_FLAG}: init() loads the relaxed build; every solver matches the JS twin to 1e-9; the f32 screen with FMA picks the atoms of the f64 pass on the 350 hostile problems`, () => {
    const r = child([RELAXED_FLAG]);
    expect(r.info).toEqual({ build: 'relaxed', simdSupported: true, relaxedSimdSupported: true });
    const names = Object.keys(r.solvers);
    expect(names).toEqual(expect.arrayContaining(['omp', 'iht', 'niht', 'htp', 'cosamp', 'sp', 'ompr', 'els', 'sea', 'ompBatch (Gram)', 'softOmp', 'softIht']));
    for (const [name, s] of Object.entries(r.solvers) as Array<[string, { rel: number; supports: boolean; statuses: boolean }]>) {
      expect(s.rel, name).toBeLessThan(1e-9);
      expect(s.supports, name).toBe(true);
      expect(s.statuses, name).toBe(true);
    }
    expect(r.screen.mismatches, r.screen.first.join('; ')).toBe(0);
    expect(r.screen.screened).toBeGreaterThan(2000);
    expect(r.screen.exact / r.screen.screened).toBeLessThan(8);
    // the kernels really differ from the unfused build where the CPU has FMA, and only by rounding
    expect(r.kernels.fusedBuild).toBe(2);
    const fma = /\bfma\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
    if (fma) expect(r.kernels.differ).toBeGreaterThan(0);
    else expect(r.kernels.differ).toBe(0);
    expect(r.kernels.maxRel).toBeLessThan(1e-10);
  });

  it('in that child, init({ build: "simd" }) still forces the SIMD build', () => {
    expect(child([RELAXED_FLAG], 'simd').info.build).toBe('simd');
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { init, Matrix } from '../src/index.js';
import { HouseholderQR } from '../src/js/qr.js';
import { UpdatableQR } from '../src/js/qrupdate.js';
import { Rng } from '../src/core/random.js';
import { randomOps } from './helpers.js';
import { alloc, allocF64, wasm, free, readF64, readI32, i32View } from '../src/core/wasm.js';

beforeAll(async () => {
  await init();
});


/** Runs the WASM replay driver; returns Q (m x t), R (t x t upper) and the atoms. */
function wasmReplay(A: Matrix, kmax: number, ops: Int32Array): { t: number; Q: Float64Array; R: Float64Array; atoms: number[] } {
  const { m, n } = A;
  const pA = allocF64(A.data);
  const pN = allocF64(A.colNorms());
  const pOps = alloc(ops.length * 4);
  i32View(pOps, ops.length).set(ops);
  const pQ = alloc(m * kmax * 8);
  const pR = alloc(kmax * kmax * 8);
  const pC = alloc(kmax * 4);
  const pW = alloc(wasm().qrUpdateReplayWorkspace(m, kmax));
  try {
    const t = wasm().qrUpdateReplay(pA, m, n, pN, kmax, pOps, ops.length, pQ, pR, pC, pW);
    expect(t).toBeGreaterThanOrEqual(0);
    const Qfull = readF64(pQ, m * kmax);
    const Rfull = readF64(pR, kmax * kmax);
    const Q = Qfull.slice(0, m * t);
    const R = new Float64Array(t * t);
    for (let j = 0; j < t; j++) for (let i = 0; i <= j; i++) R[i + j * t] = Rfull[i + j * kmax];
    return { t, Q, R, atoms: Array.from(readI32(pC, t)) };
  } finally {
    for (const p of [pA, pN, pOps, pQ, pR, pC, pW]) free(p);
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** Fresh Householder QR of A[:, atoms] (src/js/qr.ts), with R's rows scaled to a positive diagonal. */
function householderR(A: Matrix, atoms: number[]): Float64Array {
  const t = atoms.length;
  const h = new HouseholderQR(A.m, t, new Float64Array(A.m));
  for (const j of atoms) expect(h.append(A.column(j), A.colNorms()[j])).toBe('ok');
  const rcols = (h as unknown as { rcols: Float64Array[] }).rcols;
  const R = new Float64Array(t * t);
  for (let j = 0; j < t; j++) for (let i = 0; i <= j; i++) R[i + j * t] = rcols[j][i] * Math.sign(rcols[i][i]);
  return R;
}

describe('updatable QR (assembly/qrupdate.ts and src/js/qrupdate.ts)', () => {
  it('equals a fresh factorization to 1e-10 after 1000 random delete/append steps (WASM and JS)', () => {
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(seed);
      const m = 50;
      const n = 80;
      const kmax = 20;
      const A = new Matrix(m, n, rng.normals(m * n));
      const { ops, atoms } = randomOps(rng, n, kmax, 1000);
      expect(atoms.length).toBeGreaterThan(0);
      // WASM, after the 1000 steps
      const w = wasmReplay(A, kmax, ops);
      expect(w.atoms).toEqual(atoms);
      // WASM, fresh (appends only, in the final order)
      const fresh = wasmReplay(A, kmax, Int32Array.from(atoms));
      // JS, after the same steps
      const js = new UpdatableQR(m, kmax);
      for (const op of ops) {
        if (op >= 0) expect(js.append(A.column(op), A.colNorms()[op], op)).toBe('ok');
        else js.remove(-op - 1);
      }
      expect(js.atoms).toEqual(atoms);
      const t = atoms.length;
      const jsQ = new Float64Array(m * t);
      js.q.forEach((col, j) => jsQ.set(col, j * m));
      // R and Q against the fresh factorizations
      const Rh = householderR(A, atoms);
      const scale = Math.max(...Rh.map(Math.abs));
      expect(maxAbsDiff(w.R, fresh.R) / scale).toBeLessThan(1e-10);
      expect(maxAbsDiff(w.R, Rh) / scale).toBeLessThan(1e-10);
      expect(maxAbsDiff(js.denseR(), Rh) / scale).toBeLessThan(1e-10);
      expect(maxAbsDiff(w.Q, fresh.Q)).toBeLessThan(1e-10);
      expect(maxAbsDiff(jsQ, fresh.Q)).toBeLessThan(1e-10);
      // Q^T Q = I and Q R = A_S
      for (const [Q, R] of [[w.Q, w.R], [jsQ, js.denseR()]] as const) {
        for (let a = 0; a < t; a++) {
          for (let b = 0; b < t; b++) {
            let s = 0;
            for (let i = 0; i < m; i++) s += Q[i + a * m] * Q[i + b * m];
            expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(1e-12);
          }
        }
        for (let j = 0; j < t; j++) {
          for (let i = 0; i < m; i++) {
            let s = 0;
            for (let l = 0; l <= j; l++) s += Q[i + l * m] * R[l + j * t];
            expect(Math.abs(s - A.get(i, atoms[j]))).toBeLessThan(1e-12 * scale);
          }
        }
      }
    }
  });

  it('refuses a dependent column and keeps the diagonal positive', () => {
    const rng = new Rng(9);
    const m = 12;
    const base = rng.normals(m * 3);
    const data = new Float64Array(m * 4);
    data.set(base);
    for (let i = 0; i < m; i++) data[3 * m + i] = base[i] + 2 * base[m + i]; // col 3 = col 0 + 2 col 1
    const A = new Matrix(m, 4, data);
    const js = new UpdatableQR(m, 4);
    expect(js.append(A.column(0), A.colNorms()[0], 0)).toBe('ok');
    expect(js.append(A.column(1), A.colNorms()[1], 1)).toBe('ok');
    expect(js.append(A.column(3), A.colNorms()[3], 3)).toBe('dependent');
    expect(js.t).toBe(2);
    expect(js.append(A.column(2), A.colNorms()[2], 2)).toBe('ok');
    js.remove(0);
    for (let i = 0; i < js.t; i++) expect(js.r[i][i]).toBeGreaterThan(0);
    // the WASM driver reports the refused append as operation 2
    const pA = allocF64(A.data);
    const pN = allocF64(A.colNorms());
    const pOps = alloc(16);
    i32View(pOps, 3).set([0, 1, 3]);
    const pQ = alloc(m * 4 * 8);
    const pR = alloc(16 * 8);
    const pC = alloc(16);
    const pW = alloc(wasm().qrUpdateReplayWorkspace(m, 4));
    expect(wasm().qrUpdateReplay(pA, m, 4, pN, 4, pOps, 3, pQ, pR, pC, pW)).toBe(-3);
    for (const p of [pA, pN, pOps, pQ, pR, pC, pW]) free(p);
  });
});

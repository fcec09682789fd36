// Soft-OMP with zero or tiny weights: the soft atom A p_t is then rounding
// noise (near-uniform p_t over columns that sum to about zero). It must be
// detected (status 'degenerate', not fitted) on both backends, and the
// reported residual must be ||y - A x||.
import { beforeAll, describe, expect, it } from 'vitest';
import { dctMatrix, init, Matrix, OmpNet, softOmp, softOmpBatch, softOmpVjp } from '../src/index.js';

beforeAll(async () => {
  await init();
});

function trueResidual(A: Matrix, y: ArrayLike<number>, x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < A.m; i++) {
    let v = y[i];
    for (let j = 0; j < A.n; j++) v -= A.data[j * A.m + i] * x[j];
    s += v * v;
  }
  return Math.sqrt(s);
}

const maxAbs = (x: ArrayLike<number>) => Math.max(...Array.from(x, Math.abs));

describe('Soft-OMP: degenerate soft atoms', () => {
  const A = dctMatrix(8, [1, 2, 3]);
  const y = A.column(2);

  for (const backend of ['wasm', 'js'] as const) {
    it(`${backend}: zero weights give status degenerate, no fit, and residualNorm = ||y - A x|| (was max|x| = 1.3e15)`, () => {
      const r = softOmp(A, y, { iterations: 2, tau: 1e-3, w: new Float64Array(8), backend });
      expect(r.status).toBe('degenerate');
      expect(maxAbs(r.x)).toBeLessThan(10);
      expect(Math.abs(r.residualNorm - trueResidual(A, y, r.x))).toBeLessThan(1e-12);
    });

    it(`${backend}: tiny weights likewise; ordinary weights are unaffected`, () => {
      const tiny = softOmp(A, y, { iterations: 2, tau: 1e-3, w: new Float64Array(8).fill(1e-30), backend });
      expect(tiny.status).toBe('degenerate');
      expect(maxAbs(tiny.x)).toBeLessThan(10);
      const ok = softOmp(A, y, { iterations: 2, tau: 1e-3, backend });
      expect(ok.status).toBe('converged');
      expect(Math.abs(ok.x[2] - 1)).toBeLessThan(1e-6);
      expect(Math.abs(ok.residualNorm - trueResidual(A, y, ok.x))).toBeLessThan(1e-12);
    });

    it(`${backend}: the VJP at zero weights is finite and the batch reports degenerate per sample with true residuals`, () => {
      const v = softOmpVjp(A, y, new Float64Array(8).fill(1), { iterations: 2, tau: 1e-3, w: new Float64Array(8), backend });
      expect(v.status).toBe('degenerate');
      expect(Array.from(v.gw).every(Number.isFinite)).toBe(true);
      const Y = new Matrix(3, 2, new Float64Array([...y, ...A.column(5)]));
      const b = softOmpBatch(A, Y, { iterations: 2, tau: 1e-3, w: new Float64Array(8), backend });
      expect(b.status).toEqual(['degenerate', 'degenerate']);
      for (let c = 0; c < 2; c++) {
        const x = b.X.column(c);
        expect(maxAbs(x)).toBeLessThan(10);
        expect(Math.abs(b.residualNorms[c] - trueResidual(A, Y.column(c), x))).toBeLessThan(1e-12);
      }
    });
  }

  it('OMP-Net with all-zero weights predicts a bounded x (was MSE 8.7e28)', () => {
    const net = new OmpNet(A, { layers: 2, weights: new Float64Array(8) });
    expect(maxAbs(net.predict(y))).toBeLessThan(10);
  });
});

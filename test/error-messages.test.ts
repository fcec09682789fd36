// Every error of the public entry points names the function and the
// argument, says what was expected, and what was received (the solvers'
// common options are covered over the whole registry by validation.test.ts
// and the fuzzers; this catalog covers the rest).
import { beforeAll, describe, expect, it } from 'vitest';
import { els, htp, iht, init, Matrix, niht, omp, ompr, Operator, sea, setMemoryLimit, sp, cosamp } from '../src/index.js';
import { gaussianProblem } from '../src/data/problems.js';

beforeAll(async () => {
  await init();
});

const p = gaussianProblem({ m: 5, n: 8, k: 2, seed: 1 });

/** [what, call, function name, argument, Error class] */
const catalog: [string, () => unknown, string, string, typeof RangeError | typeof TypeError][] = [
  ['Matrix rows 0', () => new Matrix(0, 3), 'Matrix', 'm', RangeError],
  ['Matrix columns 1.5', () => new Matrix(2, 1.5), 'Matrix', 'n', RangeError],
  ['Matrix data length', () => new Matrix(2, 2, [1, 2, 3]), 'Matrix', 'data', RangeError],
  ['Matrix data type', () => new Matrix(2, 2, 'abcd' as unknown as number[]), 'Matrix', 'data', TypeError],
  ['Matrix NaN entry', () => new Matrix(1, 2, [1, NaN]), 'Matrix', 'entry', RangeError],
  ['fromRows not an array', () => Matrix.fromRows(3 as unknown as number[][]), 'Matrix.fromRows', 'rows', TypeError],
  ['fromRows ragged', () => Matrix.fromRows([[1, 2], [3]]), 'Matrix.fromRows', 'rows', RangeError],
  ['fromRows string entry', () => Matrix.fromRows([['1']] as unknown as number[][]), 'Matrix.fromRows', 'entry', TypeError],
  ['fromColumns null', () => Matrix.fromColumns(null as unknown as number[][]), 'Matrix.fromColumns', 'cols', TypeError],
  ['fromColumns a number column', () => Matrix.fromColumns([1, 2] as unknown as number[][]), 'Matrix.fromColumns', 'cols', TypeError],
  ['fromColumns ragged', () => Matrix.fromColumns([[1], [2, 3]]), 'Matrix.fromColumns', 'column', RangeError],
  ['fromColumns Infinity', () => Matrix.fromColumns([[1, Infinity]]), 'Matrix.fromColumns', 'entry', RangeError],
  ['Operator.dense of a string', () => Operator.dense('A' as unknown as number[][]), 'Operator.dense', 'A', TypeError],
  ['Operator.dense NaN', () => Operator.dense([[NaN]]), 'Operator.dense', 'A', RangeError],
  ['disposed operator used', () => { const op = Operator.dense(p.A); op.dispose(); return op.spectralNorm(); }, 'Operator', 'Operator', TypeError],
  ['disposed operator solved with', () => { const op = Operator.dense(p.A); op.dispose(); return omp(op, p.y, { k: 2 }); }, 'omp', 'A', TypeError],
  ['setMemoryLimit', () => setMemoryLimit(-1), 'setMemoryLimit', 'bytes', RangeError],
  ['iht mu 0', () => iht(p.A, p.y, { k: 2, mu: 0 }), 'iht', 'mu', RangeError],
  ['iht mu string', () => iht(p.A, p.y, { k: 2, mu: '1' as unknown as number }), 'iht', 'mu', TypeError],
  ['htp mu -1', () => htp(p.A, p.y, { k: 2, mu: -1 }), 'htp', 'mu', RangeError],
  ['ompr eta NaN', () => ompr(p.A, p.y, { k: 2, eta: NaN }), 'ompr', 'eta', RangeError],
  ['sea eta Infinity', () => sea(p.A, p.y, { k: 2, eta: Infinity }), 'sea', 'eta', RangeError],
  ['sea history 1', () => sea(p.A, p.y, { k: 2, history: 1 as unknown as boolean }), 'sea', 'history', TypeError],
  ['sea init unknown', () => sea(p.A, p.y, { k: 2, init: 'lasso' }), 'sea', 'init', RangeError],
  ['sea init short', () => sea(p.A, p.y, { k: 2, init: [1, 2] }), 'sea', 'init', RangeError],
  ['sea x0', () => sea(p.A, p.y, { k: 2, x0: new Float64Array(8) } as never), 'sea', 'x0', TypeError],
  ['omp x0', () => omp(p.A, p.y, { k: 2, x0: new Float64Array(8) } as never), 'omp', 'x0', TypeError],
  ['niht k 300', () => niht(p.A, p.y, { k: 300 }), 'niht', 'k', RangeError],
  ['cosamp maxIter 0', () => cosamp(p.A, p.y, { k: 2, maxIter: 0 }), 'cosamp', 'maxIter', RangeError],
  ['sp tol 2', () => sp(p.A, p.y, { k: 2, tol: 2 }), 'sp', 'tol', RangeError],
  ['els x0 NaN', () => els(p.A, p.y, { k: 2, x0: [NaN, 0, 0, 0, 0, 0, 0, 0] }), 'els', 'x0', RangeError],
];

describe('error messages: function, argument, expected, received', () => {
  it.each(catalog.map((c) => [c[0], c] as const))('%s', async (_w, [, f, fn, arg, E]) => {
    let err: unknown = null;
    try {
      await f();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(E);
    const msg = (err as Error).message;
    expect(msg.startsWith(`${fn}: `), msg).toBe(true);
    expect(msg).toMatch(new RegExp(`\\b${arg}\\b`));
    expect(msg, msg).toMatch(/\b(must|expected)\b/);
    expect(msg, msg).toMatch(/\breceived\b/);
    expect(msg).not.toMatch(/\n/);
  });
  it('the "k must be an integer in [1, min(m, n)], received ..." form', () => {
    expect(() => omp(p.A, p.y, { k: 300 })).toThrow(/^omp: k must be an integer in \[1, 5\], received 300$/);
  });
});

// `sparse-pursuit solve` on complex data: A and/or y from complex64/complex128
// .npy files (a real one is promoted to complex), solved by the complex
// solver of the same name (complexOmp for --solver omp, ...) through
// complexSolveBatch, one column of Y at a time. x is complex (n, or n x b,
// written as complex128 .npy, or printed as JSON { re, im }), or real with
// --real-x.
import { performance } from 'node:perf_hooks';
import { complexSolveBatch, type ComplexSolverName } from '../complex/batch.js';
import { ComplexMatrix } from '../js/complex/cmatrix.js';
import { formatOf, InputError, readTable, Table, writeTable } from '../io/files.js';
import type { Backend } from '../core/types.js';
import { init } from '../core/wasm.js';
import type { OptionSpec } from '../solvers/descriptor.js';
import { descriptorOf, SOLVERS, type SolverName } from '../solvers/registry.js';
import { intArg, numArg } from './args.js';

/** What the solve command has checked before it knows the data are complex. */
export interface ComplexSetup {
  name: string;
  tol: number | undefined;
  maxIter: number | undefined;
  backend: Backend;
  given: { option: OptionSpec; solvers: string[] }[];
  aFile: string;
  yFile: string;
}

/** A table as complex interleaved data (a real one promoted: imaginary parts 0). */
function complexData(t: Table): Float64Array {
  if (t.complex) return t.data;
  const d = new Float64Array(2 * t.data.length);
  for (let i = 0; i < t.data.length; i++) d[2 * i] = t.data[i];
  return d;
}

/** Runs the solve command on complex A and/or y (tables as read); returns the exit code. */
export async function complexSolveCommand(At: Table, Yt: Table, v: Record<string, string | boolean | undefined>, s: ComplexSetup,
                                          out: (s: string) => void): Promise<number> {
  const { name, tol, maxIter, backend, given, aFile, yFile } = s;
  // every complex solver but FISTA needs k (none takes it from --tol alone)
  const takesK = descriptorOf(name as SolverName).takesK !== false;
  const realX = v['real-x'] === true;
  const m = At.rows;
  const n = At.cols;
  const A = new ComplexMatrix(m, n, complexData(At));
  const shape = Yt.ndim === 1 ? `length ${Yt.rows}` : `shape ${Yt.rows} x ${Yt.cols}`;
  let b: number;
  let single: boolean;
  if (Yt.rows === m) {
    b = Yt.cols;
    single = b === 1;
  } else if (Yt.ndim === 2 && Yt.rows === 1 && Yt.cols === m) {
    b = 1;
    single = true;
  } else {
    throw new InputError(`${yFile}: shape mismatch: y has ${shape}, but ${aFile} has m = ${m} rows (y must have m entries, or be m x b)`);
  }
  const Y = complexData(Yt);
  if (takesK && v.k === undefined) {
    // --tol alone stands for k = min(m, n) with the real omp, ompr and els; the complex ones need k
    throw new InputError(`${aFile}, ${yFile}: complex data: -k is required (complex ${name} needs its sparsity k; only the real solvers stop on --tol alone), received none`);
  }
  const k = takesK ? intArg('-k', v.k as string, 1, Math.min(m, n)) : undefined;
  if (!realX && v.out !== undefined && formatOf(v.out as string) !== '.npy') {
    throw new InputError(`--out ${v.out}: x is complex (${aFile} or ${yFile} holds complex numbers): --out must be a .npy file (complex128), or give --real-x for a real x`);
  }
  const extra: Record<string, unknown> = {};
  for (const { option } of given) {
    const raw = (v as Record<string, string>)[option.name];
    const flag = `--${option.name}`;
    if (option.type === 'step') extra[option.name] = numArg(flag, raw, Number.MIN_VALUE, Number.MAX_VALUE, true);
    else if (option.type === 'number') extra[option.name] = numArg(flag, raw, -Number.MAX_VALUE, Number.MAX_VALUE, true);
    else if (option.type === 'init' && raw === 'zero') extra[option.name] = raw;
    else if (option.type === 'init' && Object.hasOwn(SOLVERS, raw)) {
      throw new InputError(`${flag} ${raw}: complex data: a solver's output as SEA's start is not available for complex A or y; give zero or a FILE (2n interleaved, complex .npy, or n real with --real-x)`);
    } else {
      const t = readTable(raw, undefined, { complex: true });
      if (t.rows * t.cols !== n || (t.ndim === 2 && t.rows !== 1 && t.cols !== 1)) {
        throw new InputError(`${raw}: ${flag} must be a vector of length n = ${n} (the columns of ${aFile}), received ${t.ndim === 1 ? `length ${t.rows}` : `shape ${t.rows} x ${t.cols}`}`);
      }
      if (realX && t.complex) throw new InputError(`${raw}: ${flag} must be real with --real-x (x is real), received a complex array`);
      extra[option.name] = realX ? t.data : complexData(t);
    }
  }

  if (backend === 'wasm') await init();
  const t0 = performance.now();
  let r: ReturnType<typeof complexSolveBatch>;
  try {
    r = complexSolveBatch(name as ComplexSolverName, A, Y, { k, tol, maxIter, backend, realX, ...extra });
  } catch (e) {
    // a column of Y the solvers refuse (a norm that overflows): name the file
    if (e instanceof RangeError && /^complexSolveBatch: Y\b/.test(e.message)) throw new InputError(`${yFile}: ${e.message}`);
    throw e;
  }
  const ms = performance.now() - t0;

  const w = realX ? n : 2 * n;
  const col = (j: number) => r.X.subarray(j * w, (j + 1) * w);
  const xJson = (x: Float64Array) => (realX ? Array.from(x) : {
    re: Array.from({ length: n }, (_, i) => x[2 * i]),
    im: Array.from({ length: n }, (_, i) => x[2 * i + 1]),
  });
  const plain = (j: number) => ({
    x: xJson(col(j)), support: Array.from(r.support[j]), residualNorm: r.residualNorm[j], iterations: r.iterations[j], status: r.status[j],
  });
  if (v.out === undefined) {
    out(JSON.stringify(single ? plain(0) : Array.from({ length: b }, (_, j) => plain(j))));
    return 0;
  }
  const X: Table = { ndim: single ? 1 : 2, rows: n, cols: b, data: r.X };
  if (!realX) X.complex = true;
  writeTable(v.out as string, X);
  const shown = Math.min(b, 10);
  for (let c = 0; c < shown; c++) {
    const x = col(c);
    const nz = Array.from(r.support[c]).filter((j) => (realX ? x[j] !== 0 : x[2 * j] !== 0 || x[2 * j + 1] !== 0)).sort((a, q) => a - q);
    out(`${single ? '' : `column ${c}: `}${r.status[c]}, ${nz.length} nonzero${nz.length === 1 ? '' : 's'}${nz.length ? ` at [${nz.slice(0, 20).join(', ')}${nz.length > 20 ? ', ...' : ''}]` : ''}, ||y - Ax|| = ${r.residualNorm[c].toExponential(3)}, ${r.iterations[c]} iterations`);
  }
  if (b > shown) out(`... and ${b - shown} more columns`);
  out(`complex ${name} (${backend}) solved ${b} problem${b > 1 ? 's' : ''} (m=${m}, n=${n}${k === undefined ? '' : `, k=${k}`}${realX ? ', real x' : ''}) in ${ms.toFixed(1)} ms; x (${single ? n : `${n} x ${b}`}${realX ? '' : ', complex128'}) written to ${v.out}`);
  return 0;
}

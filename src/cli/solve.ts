// `sparse-pursuit solve`: read A and y (or a multi-column Y) from files, run a
// solver, write x. Every input is read and checked, and every column solved,
// before anything is written to --out (which is then written atomically).
import { dirname } from 'node:path';
import { ColumnError, solveColumns } from './columns.js';
import { ensureWritableDir } from '../io/atomic.js';
import { formatOf, FORMATS, InputError, readTable, Table, writeTable } from '../io/files.js';
import { Matrix } from '../core/matrix.js';
import { descriptorOf, SOLVERS, SolverName, solverDescriptors } from '../solvers/registry.js';
import type { OptionSpec } from '../solvers/descriptor.js';
import type { Backend, SolveResult, SolverOptions } from '../core/types.js';
import { availableBytes, init, MAX_MEMORY_BYTES, memoryLimit, setMemoryLimit } from '../core/wasm.js';
import { EXIT_CODES, intArg, numArg, parse, UsageError } from './args.js';
import { buildOperator, describeSpec, OPERATOR_SPEC_USAGE, OperatorSpec, parseOperatorSpec } from './operator-spec.js';
import { Operator } from '../core/operator.js';
import { complexSolveCommand } from './complex.js';

/**
 * The command-line flags of the solvers' own options (`--mu`, `--eta`,
 * `--x0 FILE`, `--init`), from the descriptors: each is accepted for the
 * solvers that declare it. Boolean options that only add output (SEA's
 * history) have no flag.
 */
export function optionFlags(): { option: OptionSpec; solvers: string[] }[] {
  const flags = new Map<string, { option: OptionSpec; solvers: string[] }>();
  for (const d of solverDescriptors()) {
    for (const o of d.options) {
      if (o.type === 'boolean') continue;
      const f = flags.get(o.name) ?? { option: o, solvers: [] };
      f.solvers.push(d.fn);
      flags.set(o.name, f);
    }
  }
  return [...flags.values()];
}

const ARG_OF: Record<OptionSpec['type'], string> = { step: 'V', number: 'V', vector: 'FILE', init: 'INIT', boolean: '' };

function flagUsage(): string {
  return optionFlags().map(({ option: o, solvers }) => {
    const head = `  --${o.name} ${ARG_OF[o.type]}`.padEnd(23);
    const what = o.type === 'vector' ? `${o.doc}, a vector of length n` : o.type === 'init' ? `${o.doc}: zero, a solver name, or a FILE of length n` : o.type === 'number' ? `${o.doc}, ${o.range}` : `step size, ${o.range}`;
    return `${head}${what} (${solvers.join(', ')})`;
  }).join('\n');
}

/** The solvers for which -k may or must be left out, for the usage text. */
function kRules(): string {
  const d = solverDescriptors();
  const none = d.filter((s) => s.takesK === false).map((s) => s.fn);
  const fromTol = d.filter((s) => s.kFromTol).map((s) => s.fn);
  return [
    fromTol.length ? `\n                       (${fromTol.join(', ')}: optional with --tol, then min(m, n))` : '',
    none.length ? `\n                       (${none.join(', ')}: none, the support is the nonzeros of x)` : '',
  ].join('');
}

export const SOLVE_USAGE = `usage: sparse-pursuit solve --matrix A --y Y --solver NAME -k K [options]
       sparse-pursuit solve --operator SPEC --y Y --solver NAME -k K [options]

Recovers a K-sparse x from y = A x + e. Files are .npy (float64 or float32,
C or Fortran order), .csv (one row per line) or .json (an array of numbers or
of rows). When Y has several columns, each column is a separate problem and x
gets one column per problem. A complex A or y (a complex64 or complex128
.npy; the other one may be real, and is then promoted) runs the complex
solver of the same name: x is complex, written as complex128 .npy (--out must
end in .npy) or printed as JSON with "x": { "re": [...], "im": [...] }.

  --matrix FILE        A, m x n (2-D)
  --operator SPEC      a structured A applied without a dense matrix, instead of
                       --matrix: ${OPERATOR_SPEC_USAGE}
  --y FILE             y of length m (1-D, or m x 1, or 1 x m), or Y of shape m x b
  --solver NAME        ${Object.keys(SOLVERS).join(', ')}
  -k, --k K            sparsity, an integer in [1, min(m, n)]${kRules()}
  --tol T              stop once ||y - A x|| <= T ||y||, T in [0, 1] (default 0)
  --max-iter N         iteration cap (default: the solver's own)
  --backend B          wasm (default) or js
  --memory-limit BYTES most WASM memory to use, in [16777216, 4294967296] (default
                       4294967296); a .npy too large for it is refused from its header
${flagUsage()}
  --real-x             complex A or y: x is real (least squares over real x); x is
                       then n real numbers, written in any format (no effect on real data)
  --out FILE           write x (n, or n x b) as ${FORMATS.join(', ')}; without --out
                       the results are printed as JSON
  -h, --help           this text

Nothing is written to --out on failure.

${EXIT_CODES}`;

/** Interprets the y file against A's m rows: a single vector or m x b columns. */
function measurements(t: Table, m: number, yFile: string, aFile: string): { Y: Matrix; single: boolean } {
  const shape = t.ndim === 1 ? `length ${t.rows}` : `shape ${t.rows} x ${t.cols}`;
  if (t.rows === m) return { Y: new Matrix(m, t.cols, t.data), single: t.cols === 1 };
  if (t.ndim === 2 && t.rows === 1 && t.cols === m) return { Y: new Matrix(m, 1, t.data), single: true };
  throw new InputError(`${yFile}: shape mismatch: y has ${shape}, but ${aFile} has m = ${m} rows (y must have m entries, or be m x b)`);
}

/** Refuses an --out whose folder cannot take a new file (InputError naming the path: exit 1). */
async function checkOutDir(path: string): Promise<void> {
  try {
    await ensureWritableDir(dirname(path) || '.', false);
  } catch (e) {
    throw new InputError(`--out ${path}: cannot write the file (${(e as Error).message.replace(/^.*\(([^)]*)\)$/, '$1')})`);
  }
}

/** Runs the solve command; returns the exit code. */
export async function solveCommand(args: string[], out: (s: string) => void): Promise<number> {
  const { values: v } = parse('solve', args, {
    matrix: { type: 'string' },
    operator: { type: 'string' },
    y: { type: 'string' },
    solver: { type: 'string', short: 's' },
    k: { type: 'string', short: 'k' },
    tol: { type: 'string' },
    'max-iter': { type: 'string' },
    backend: { type: 'string' },
    'memory-limit': { type: 'string' },
    out: { type: 'string', short: 'o' },
    'real-x': { type: 'boolean' },
    ...Object.fromEntries(optionFlags().map(({ option }) => [option.name, { type: 'string' as const }])),
  });
  if (v.help) {
    out(SOLVE_USAGE);
    return 0;
  }
  if (v.matrix !== undefined && v.operator !== undefined) throw new UsageError(`solve: --matrix and --operator exclude each other (A is one or the other), received both`);
  if (v.matrix === undefined && v.operator === undefined) throw new UsageError('solve: --matrix is required (a .npy, .csv or .json file), or --operator SPEC, received neither');
  for (const name of ['y', 'solver'] as const) {
    if (v[name] === undefined) throw new UsageError(`solve: --${name} is required (${name === 'solver' ? Object.keys(SOLVERS).join(', ') : 'a .npy, .csv or .json file'}), received none`);
  }
  const spec: OperatorSpec | null = v.operator === undefined ? null : parseOperatorSpec(v.operator);
  if (v.out !== undefined && !formatOf(v.out)) {
    throw new UsageError(`solve: --out must end in ${FORMATS.join(', ')}, received ${JSON.stringify(v.out)}`);
  }
  const name = v.solver!;
  if (!Object.hasOwn(SOLVERS, name)) throw new UsageError(`solve: --solver: unknown solver '${name}' (known: ${Object.keys(SOLVERS).join(', ')})`);
  const d = descriptorOf(name as SolverName);
  if (d.takesK === false && v.k !== undefined) throw new UsageError(`solve: -k is not an option of ${name} (its support is the nonzeros of x), received ${JSON.stringify(v.k)}`);
  const takesK = d.takesK !== false && !(d.kFromTol && v.k === undefined && v.tol !== undefined);
  if (takesK && v.k === undefined) throw new UsageError(`solve: -k is required (an integer >= 1${d.kFromTol ? `; or --tol alone for ${name}` : ''}), received none`);
  const backend = (v.backend ?? 'wasm') as Backend;
  if (backend !== 'wasm' && backend !== 'js') throw new UsageError(`solve: --backend must be wasm or js, received ${JSON.stringify(v.backend)}`);
  const tol = v.tol === undefined ? undefined : numArg('--tol', v.tol, 0, 1, true);
  const maxIter = v['max-iter'] === undefined ? undefined : intArg('--max-iter', v['max-iter'], 1, 10_000_000, true);
  if (takesK) intArg('-k', v.k!, 1, Number.MAX_SAFE_INTEGER, true);
  const given = optionFlags().filter(({ option }) => (v as Record<string, unknown>)[option.name] !== undefined);
  for (const { option, solvers } of given) {
    if (!solvers.includes(name)) throw new UsageError(`solve: --${option.name} is not an option of ${name} (it is one of ${solvers.join(', ')}), received ${JSON.stringify((v as Record<string, unknown>)[option.name])}`);
  }
  if (v['memory-limit'] !== undefined) setMemoryLimit(intArg('--memory-limit', v['memory-limit'], 2 ** 24, MAX_MEMORY_BYTES, true));
  // an unwritable --out is found before anything is read or solved
  if (v.out !== undefined) await checkOutDir(v.out);

  const aFile = v.matrix ?? '--operator';
  const yFile = v.y!;
  // with WASM, A is copied into WASM memory: a file that cannot fit there is refused from its header
  const budget = backend === 'wasm' ? { bytes: availableBytes(), why: `WASM memory a solve may use (the ${memoryLimit()}-byte limit, see setMemoryLimit, less what is in use)` } : undefined;
  let A: Matrix | Operator;
  let Yt: Table | undefined;
  if (spec) {
    // a structured operator lives in WASM memory whatever the backend (backend js assembles its dense matrix from it)
    await init();
    A = buildOperator(spec);
  } else {
    // a complex64/complex128 .npy A or y: the complex solver of the same name (src/cli/complex.ts)
    const At = readTable(aFile, budget, { complex: true });
    if (At.ndim !== 2) throw new InputError(`${aFile}: A must be a 2-D array (m x n), received a 1-D array of length ${At.rows}`);
    Yt = readTable(yFile, budget, { complex: true });
    if (At.complex || Yt.complex) return await complexSolveCommand(At, Yt, v, { name, tol, maxIter, backend, given, aFile, yFile }, out);
    A = new Matrix(At.rows, At.cols, At.data);
  }
  try {
    return await solveWith(A, spec, v, { name, takesK, tol, maxIter, backend, given, aFile, yFile, budget, Yt }, out);
  } finally {
    if (A instanceof Operator) A.dispose();
  }
}

interface SolveSetup {
  name: string;
  takesK: boolean;
  tol: number | undefined;
  maxIter: number | undefined;
  backend: Backend;
  given: ReturnType<typeof optionFlags>;
  aFile: string;
  yFile: string;
  budget: { bytes: number; why: string } | undefined;
  /** y, when already read (with --matrix). */
  Yt?: Table;
}

/** The rest of the solve command, once A (a matrix or a structured operator) is in hand. */
async function solveWith(A: Matrix | Operator, spec: OperatorSpec | null, v: Record<string, string | boolean | undefined>, s: SolveSetup,
                         out: (s: string) => void): Promise<number> {
  const { name, takesK, tol, maxIter, backend, given, aFile, yFile, budget } = s;
  const Yt = s.Yt ?? readTable(yFile, budget, { complex: true });
  if (Yt.complex) throw new InputError(`${yFile}: y is complex, but --operator builds a real A: complex y needs a complex A, given with --matrix (a complex .npy)`);
  const { Y, single } = measurements(Yt, A.m, yFile, spec ? `--operator ${describeSpec(spec)}` : aFile);
  const k = takesK ? intArg('-k', v.k as string, 1, Math.min(A.m, A.n)) : undefined;
  const extra: Record<string, unknown> = {};
  for (const { option } of given) {
    const raw = (v as Record<string, string>)[option.name];
    const flag = `--${option.name}`;
    if (option.type === 'step') extra[option.name] = numArg(flag, raw, Number.MIN_VALUE, Number.MAX_VALUE, true);
    else if (option.type === 'number') extra[option.name] = numArg(flag, raw, -Number.MAX_VALUE, Number.MAX_VALUE, true);
    else if (option.type === 'init' && (raw === 'zero' || Object.hasOwn(SOLVERS, raw))) extra[option.name] = raw;
    else {
      const t = readTable(raw);
      if (t.data.length !== A.n || (t.ndim === 2 && t.rows !== 1 && t.cols !== 1)) {
        throw new InputError(`${raw}: ${flag} must be a vector of length n = ${A.n} (the columns of ${spec ? 'the operator' : aFile}), received ${t.ndim === 1 ? `length ${t.rows}` : `shape ${t.rows} x ${t.cols}`}`);
      }
      extra[option.name] = t.data;
    }
  }

  if (backend === 'wasm') await init();
  const t0 = performance.now();
  let results: SolveResult[];
  try {
    results = solveColumns(name, A, Y, { k, tol, maxIter, backend, ...extra } as SolverOptions);
  } catch (e) {
    if (e instanceof ColumnError) throw new InputError(`${yFile}: column ${e.column}: ${e.message}`);
    throw e;
  }
  const ms = performance.now() - t0;

  const b = results.length;
  const X: Table = { ndim: single ? 1 : 2, rows: A.n, cols: b, data: new Float64Array(A.n * b) };
  results.forEach((r, c) => X.data.set(r.x, c * A.n));
  const plain = (r: SolveResult) => ({
    x: Array.from(r.x), support: Array.from(r.support), residualNorm: r.residualNorm, iterations: r.iterations, status: r.status,
  });
  if (v.out === undefined) {
    out(JSON.stringify(single ? plain(results[0]) : results.map(plain)));
    return 0;
  }
  writeTable(v.out as string, X);
  const shown = results.slice(0, 10);
  shown.forEach((r, c) => {
    // the nonzeros of x itself: a support index may carry a zero coefficient
    const nz = Array.from(r.support).filter((j) => r.x[j] !== 0).sort((a, b) => a - b);
    out(`${single ? '' : `column ${c}: `}${r.status}, ${nz.length} nonzero${nz.length === 1 ? '' : 's'}${nz.length ? ` at [${nz.slice(0, 20).join(', ')}${nz.length > 20 ? ', ...' : ''}]` : ''}, ||y - Ax|| = ${r.residualNorm.toExponential(3)}, ${r.iterations} iterations`);
  });
  if (b > shown.length) out(`... and ${b - shown.length} more columns`);
  out(`${name} (${backend}) solved ${b} problem${b > 1 ? 's' : ''} (m=${A.m}, n=${A.n}${k === undefined ? '' : `, k=${k}`}${spec ? `, A: ${describeSpec(spec)}` : ''}) in ${ms.toFixed(1)} ms; x (${single ? A.n : `${A.n} x ${b}`}) written to ${v.out}`);
  return 0;
}

// Public result and option types shared by every solver.

// The two WebAssembly types the public declarations name, declared here structurally so
// that they compile without the WebAssembly globals (a Node-only `lib: ["es2022"]` project
// has none; lib.dom and @types/node each declare them differently).
/**
 * A compiled `WebAssembly.Module` (what `WebAssembly.compile` returns). Opaque: the
 * package only passes it back to `WebAssembly.instantiate`, and checks at run time with
 * `instanceof WebAssembly.Module`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface WasmModule {}

/** The instance's `WebAssembly.Memory`, as far as the package's types use it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}


/** Which implementation runs a solve: the WASM kernels or the pure-TS twin. */
export type Backend = 'wasm' | 'js';

/**
 * How a solve ended. Every solver returns the best iterate it has formed
 * (smallest ||y - A x||, x = 0 included), so no status comes with an x worse
 * than one the solver has seen.
 * - 'converged': its stopping rule was met on the iterate returned (tol
 *   reached, k atoms chosen, an exact fit, or a fixed point of a
 *   least-squares method: HTP's, CoSaMP's or SP's support repeating);
 * - 'maxIter': the iteration cap came first;
 * - 'premature': it had to stop early because a needed column was linearly
 *   dependent on those already chosen (as scikit-learn's OMP warns);
 * - 'diverged': the next iterate overflowed float64 (a step size far too
 *   large: IHT's mu, SEA's eta); the result is the best finite iterate,
 *   x = 0 when there was none;
 * - 'zeroMatrix': A is all zero and y is not: x = 0, residualNorm = ||y||;
 * - 'fixedPoint': IHT or NIHT stopped at a fixed point of its iteration
 *   (support unchanged, step below 1e-12 relative) whose residual is above
 *   tol ||y|| and not an exact fit (||r|| > sqrt(eps) ||y||): it stopped
 *   moving, but not at the data;
 * - 'stalled': the stopping rule fired on an iterate worse than one seen
 *   before (CoSaMP or HTP cycling to a worse support, IHT's fixed point
 *   above an earlier iterate): the best iterate seen is returned instead;
 * - 'degenerate': Soft-OMP only: a soft atom A p_t was numerically zero
 *   (weights zero or tiny, or columns cancelling), so it was not fitted; x
 *   is the fit on the atoms before it.
 */
export type Status = 'converged' | 'maxIter' | 'premature' | 'diverged' | 'zeroMatrix' | 'fixedPoint' | 'stalled' | 'degenerate';

/** What every solver returns. */
export interface SolveResult {
  /** The recovered vector, length n. */
  x: Float64Array;
  /** Indices of the nonzeros of x that the solver chose, ascending (length <= k). */
  support: Int32Array;
  /** ||y - A x||_2. */
  residualNorm: number;
  /** Iterations run (for OMP: atoms chosen). */
  iterations: number;
  status: Status;
}

/** A solver's raw output before the facade adds solver-specific fields. */
export interface RawResult extends SolveResult {
  /** Solver-specific number (e.g. SEA's best iteration). */
  extra?: number;
  /** Solver-specific extra output, when the spec asks for one (e.g. SEA's residual history). */
  extraOut?: Float64Array;
  /** The kernel's info vector (INFO_LEN values, assembly/solvers/README.md), for solvers that report more than the common fields. */
  info?: Float64Array;
}

/** Options every solver takes. */
export interface SolverOptions {
  /** Sparsity: the solution has at most k nonzeros. Integer in [1, min(m, n)]. Required. */
  k: number;
  /**
   * Relative residual tolerance: stop once ||y - A x|| <= tol * ||y||
   * (the norm itself, not its square). Finite, in [0, 1]. Default 0 (no early stop).
   */
  tol?: number;
  /** Iteration cap (integer >= 1). The default depends on the solver (see its docs). */
  maxIter?: number;
  /** 'wasm' (default; needs `await init()`) or 'js' (the pure-TS twin). */
  backend?: Backend;
  /** Optional output buffer for x (Float64Array of length n), filled in place and returned as `x`. */
  out?: Float64Array;
}

/** Options of solvers that accept a warm start. */
export interface WarmStartOptions extends SolverOptions {
  /** Warm start x0 (length n, finite). Default: zero. */
  x0?: Float64Array | number[];
}

export const STATUS_NAMES: readonly Status[] = ['converged', 'maxIter', 'premature', 'diverged', 'zeroMatrix', 'fixedPoint', 'stalled', 'degenerate'];

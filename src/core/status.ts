// Kernel status codes (assembly/status.ts, through the generated kernels.ts)
// to the facade's status names. A code the facade does not know is a
// mismatch between the WASM build and the facade, and throws.
import { CONVERGED, DEGENERATE, DIVERGED, FIXED_POINT, MAX_ITER, PREMATURE, STALLED, ZERO_MATRIX } from './kernels.js';
import type { Status } from './types.js';

/** Every status code a kernel may return, with its name. */
export const STATUS_OF_CODE: ReadonlyMap<number, Status> = new Map<number, Status>([
  [CONVERGED, 'converged'],
  [MAX_ITER, 'maxIter'],
  [PREMATURE, 'premature'],
  [DIVERGED, 'diverged'],
  [ZERO_MATRIX, 'zeroMatrix'],
  [FIXED_POINT, 'fixedPoint'],
  [STALLED, 'stalled'],
  [DEGENERATE, 'degenerate'],
]);

/**
 * The status named by kernel code `code`, when `allowed` (default: every
 * solver status) contains it; else an Error naming `fn` and the code.
 */
export function decodeStatus<S extends Status = Status>(fn: string, code: number, allowed?: readonly S[]): S {
  const s = STATUS_OF_CODE.get(code);
  if (s === undefined || (allowed !== undefined && !(allowed as readonly Status[]).includes(s))) {
    throw new Error(`${fn}: the WASM kernel returned status code ${code}, which this version of the facade does not know${s ? ` here ('${s}')` : ''} (the WASM build and src/ are out of step: rebuild with npm run build)`);
  }
  return s as S;
}

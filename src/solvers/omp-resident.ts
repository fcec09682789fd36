// Single OMP solves on a resident operator reuse what it holds:
// - the f32 copy of A that the screen reads (assembly/screen.ts), made at the
//   first solve and kept (Operator.screenCopy), instead of one per solve;
// - once the solves it has served would have paid for the Gram matrix
//   G = A^T A, G itself: from then on single solves take the Batch-OMP path
//   (ompGramOne), as ompBatch does for many signals.
//
// The rule, in flops (omp-cost.ts, as the batch rule counts them): every
// single solve with k atoms adds plainPerSignal - gramPerSignal (what the
// Gram path would have saved on it) to the operator's tally; G is built when
// the tally reaches its one-time cost m n (n + 1), provided G fits
// GRAM_AUTO_MAX_BYTES and the memory limit. So an operator never spends on G
// more than its solves have already cost beyond what G would have cost them
// (the rent-or-buy rule: at most twice the better of the two choices made in
// hindsight), and one that serves few solves never builds it. The Gram path's
// results equal the plain path's to rounding (a Cholesky factor of G[S, S]
// instead of a QR factor of A_S), as ompBatch's Gram path does.
import { gramBytes } from '../core/operator.js';
import type { RawResult } from '../core/types.js';
import { availableBytes, wasm } from '../core/wasm.js';
import { GRAM_AUTO_MAX_BYTES, ompCosts } from './omp-cost.js';
import { Problem, runWasm } from './solve.js';

/** Whether the operator of `p` should solve it from its Gram matrix, building G when the tally says it has paid for itself. */
function useGram(p: Problem): boolean {
  const op = p.op!;
  if (op.structured) return false; // no dense A: G cannot be formed, and the plain path applies the operator
  if (op.hasGram) return true;
  const { m, n } = p.matrix;
  const c = ompCosts(m, n, p.k);
  op.ompSaved += Math.max(0, c.plainPerSignal - c.gramPerSignal);
  if (op.ompSaved < c.gramOnce || gramBytes(n) > GRAM_AUTO_MAX_BYTES || gramBytes(n) > availableBytes()) return false;
  op.gramPtr();
  return true;
}

/** OMP on a resident operator (unscaled A: scaleProblem leaves op null otherwise), or null for the common path. */
export function ompOnOperator(p: Problem): RawResult | null {
  const op = p.op;
  if (op === null) return null;
  const { m, n } = p.matrix;
  const { k, tol } = p;
  if (useGram(p)) {
    const G = op.gramPtr();
    return runWasm('omp', p, 0, 0, 0, {
      workspace: wasm().ompGramWorkspace(m, n, k),
      call: (o, y, x, support, info, ws) => wasm().ompGramOne(o.ptr, m, n, o.normsPtr, G, y, k, tol, x, support, info, ws),
    });
  }
  const copy = op.screenCopy();
  return runWasm('omp', p, 0, 0, 0, {
    workspace: wasm().ompResidentWorkspace64(m, n, k),
    call: (o, y, x, support, info, ws) => wasm().ompResident(o.ptr, m, n, o.normsPtr, copy?.ptr ?? 0, copy?.exp ?? 0, y, k, tol, x, support, info, ws),
  });
}

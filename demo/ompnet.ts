// Loading and running an OMP-Net JSON in the demo.
//
// The format read here (version 1) is the minimal one the demo needs; the
// training command (`sparse-pursuit train`, a later release) is expected to
// write it:
//   {
//     "format": "sparse-pursuit/omp-net", "version": 1,
//     "m": 64, "n": 128, "k": 6,
//     "W": [[...n numbers...], ... m rows],   // learned selection matrix
//     "A": [[...], ...]                        // optional: the sensing matrix it was trained for
//   }
// Running it is OMP with a learned selection step: pick j maximising
// |w_j^T r| / ||w_j|| over atoms not chosen yet, then refit x on the chosen
// columns of A by least squares (the JS twin's incremental Householder QR).
import { HouseholderQR } from '../src/js/qr.js';
import { matTVec, norm2 } from '../src/js/linalg.js';
import { argmaxAbs } from '../src/js/select.js';
import { Matrix } from '../src/matrix.js';
import type { SolveResult } from '../src/types.js';

export interface OmpNet {
  m: number;
  n: number;
  k: number;
  W: Matrix;
  A: Matrix | null;
}

function rows(v: unknown, name: string, m: number, n: number): Matrix {
  if (!Array.isArray(v) || v.length !== m) throw new RangeError(`OMP-Net: ${name} must be an array of m = ${m} rows, received ${Array.isArray(v) ? `${v.length} rows` : typeof v}`);
  v.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== n) throw new RangeError(`OMP-Net: ${name}[${i}] must have n = ${n} numbers`);
  });
  return Matrix.fromRows(v as number[][]);
}

/** Parses and checks an OMP-Net JSON document. */
export function parseOmpNet(text: string): OmpNet {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`OMP-Net: not JSON (${(e as Error).message})`);
  }
  if (!j || j.format !== 'sparse-pursuit/omp-net') throw new TypeError(`OMP-Net: "format" must be "sparse-pursuit/omp-net", received ${JSON.stringify(j?.format)}`);
  if (j.version !== 1) throw new RangeError(`OMP-Net: only version 1 is supported, received ${JSON.stringify(j.version)}`);
  const int = (name: string) => {
    const v = j[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new RangeError(`OMP-Net: "${name}" must be a positive integer, received ${JSON.stringify(v)}`);
    return v;
  };
  const m = int('m');
  const n = int('n');
  const k = int('k');
  if (k > Math.min(m, n)) throw new RangeError(`OMP-Net: k must be at most min(m, n) = ${Math.min(m, n)}, received ${k}`);
  return { m, n, k, W: rows(j.W, 'W', m, n), A: j.A === undefined ? null : rows(j.A, 'A', m, n) };
}

/** Runs the net on y with sensing matrix A (m x n); returns the usual result. */
export function runOmpNet(net: OmpNet, A: Matrix, y: Float64Array): SolveResult {
  const { m, n, k, W } = net;
  if (A.m !== m || A.n !== n) throw new RangeError(`OMP-Net: the net is for m = ${m}, n = ${n}; the problem has m = ${A.m}, n = ${A.n}`);
  const wn = W.colNorms();
  const inv = wn.map((v) => (v > 0 ? 1 / v : 0));
  const skip = Uint8Array.from(wn, (v) => (v > 0 ? 0 : 1));
  const norms = A.colNorms();
  const qr = new HouseholderQR(m, k, y);
  const r = Float64Array.from(y);
  const c = new Float64Array(n);
  const order: number[] = [];
  let status: SolveResult['status'] = 'converged';
  while (order.length < k) {
    matTVec(W.data, m, n, r, c);
    const j = argmaxAbs(c, inv, skip);
    if (j < 0) break;
    if (qr.append(A.column(j), norms[j]) !== 'ok') {
      status = 'premature';
      break;
    }
    skip[j] = 1;
    order.push(j);
    qr.residual(r);
  }
  const z = qr.solve();
  const x = new Float64Array(n);
  order.forEach((j, i) => (x[j] = z[i]));
  return { x, support: Int32Array.from(order).sort(), residualNorm: norm2(r), iterations: order.length, status };
}

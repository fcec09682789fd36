// Loading and running a trained net (OMP-Net or IHT-Net) in the demo. The
// file is what `net.toJSON()` / `sparse-pursuit train` write; it is read by
// the library's own loadNet, so the demo has no format code of its own. This
// file holds the page-independent part (a problem from the net's family, the
// three recoveries, the numbers shown); main.ts does the DOM.
import { iht, IhtNet, loadNet, Matrix, omp, OmpNet, structuredSparse } from '../src/index.js';
import type { SignalSet, StructuredSparseOptions } from '../src/index.js';

export type DemoNet = OmpNet | IhtNet;

/** Reads a saved net (JSON text); throws loadNet's TypeError / RangeError naming what is wrong. */
export function readNet(text: string): DemoNet {
  return loadNet(text);
}

/** 'OMP-Net' or 'IHT-Net'. */
export const netName = (net: DemoNet) => (net.kind === 'omp-net' ? 'OMP-Net' : 'IHT-Net');

/** The plain solver the net unrolls: 'OMP' or 'IHT'. */
export const baseName = (net: DemoNet) => (net.kind === 'omp-net' ? 'OMP' : 'IHT');

/** One line describing the net: kind, A, layers, tau (and s, eta for IHT-Net). */
export function describeNet(net: DemoNet): string {
  const what = net.spec.kind === 'dct' ? 'subsampled DCT' : net.spec.kind === 'operator' ? `${net.spec.operator.kind} operator` : 'dense, embedded';
  const a = `A ${net.m} x ${net.n} (${what})`;
  const extra = net instanceof IhtNet ? `, s = ${net.sparsity}, η = ${net.eta.toPrecision(4)}` : '';
  return `${netName(net)}: n = ${net.n}, m = ${net.m}, ${net.layers} layers, τ = ${net.tau}${extra}; ${a}`;
}

/** The hidden set stored in the file's meta (as `sparse-pursuit train` writes it), or null. */
export function hiddenSet(net: DemoNet): number[] | null {
  const h = net.meta.hidden;
  if (!Array.isArray(h) || h.length === 0 || !h.every((j) => Number.isInteger(j) && j >= 0 && j < net.n)) return null;
  return h as number[];
}

/** Indices and values of the `count` largest |w_j| (largest first), each marked if it is in the hidden set. */
export function topWeights(net: DemoNet, count: number): { index: number; w: number; hidden: boolean }[] {
  const hidden = new Set(hiddenSet(net) ?? []);
  return Array.from(net.topWeights(Math.min(count, net.n)), (j) => ({ index: j, w: net.w[j], hidden: hidden.has(j) }));
}

/** A test problem for the net: its own A, a sparse x, y = A x + e. */
export interface NetProblem {
  A: Matrix;
  /** length n, ||x|| = 1 */
  x: Float64Array;
  /** length m */
  y: Float64Array;
  /** ascending */
  support: Int32Array;
  /** 'family': drawn as the net's training data was (its structuredSparse settings, stored in the file); 'fresh': s-sparse on A, any support. */
  source: 'family' | 'fresh';
  /** Sentence for the page saying where the signal comes from. */
  note: string;
}

/** The structuredSparse settings in the file's meta, if they rebuild exactly the net's A and hidden set. */
function familyOf(net: DemoNet): StructuredSparseOptions | null {
  const st = net.meta.settings as Record<string, unknown> | undefined;
  const hidden = hiddenSet(net);
  if (!st || typeof st !== 'object' || !hidden) return null;
  const o = { n: st.n, s: st.s, K: st.K, m: st.m, matrix: st.matrix, sigma: st.sigma, seed: st.seed } as StructuredSparseOptions;
  try {
    const fam = structuredSparse(o);
    if (JSON.stringify(fam.spec) !== JSON.stringify(net.spec)) return null;
    if (fam.hidden.length !== hidden.length || fam.hidden.some((j, i) => j !== hidden[i])) return null;
    return o;
  } catch {
    return null;
  }
}

/** Sparsity of a fresh signal when the family is unknown: the file's s, else the IHT-Net's s, else the OMP-Net's layers. */
function freshSparsity(net: DemoNet): number {
  const s = (net.meta.settings as { s?: unknown } | undefined)?.s;
  if (typeof s === 'number' && Number.isInteger(s) && s >= 1 && s <= net.n) return s;
  return net instanceof IhtNet ? net.sparsity : net.layers;
}

/**
 * One signal for the net, from `seed`. If the file stores the training
 * family (meta.settings and meta.hidden, as `sparse-pursuit train` writes),
 * the signal is `structuredSparse(settings).sample(1, seed)`: support = s of
 * the hidden K indices, noise as in training. Otherwise a fresh s-sparse
 * signal on the net's A (structuredSparse with K = n: any support), noise-free.
 */
export function netProblem(net: DemoNet, seed: number): NetProblem {
  const fam = familyOf(net);
  let set: SignalSet;
  let note: string;
  let source: NetProblem['source'];
  if (fam) {
    set = structuredSparse(fam).sample(1, seed);
    source = 'family';
    note = `a signal from the net's training family (structuredSparse, seed ${seed}): s = ${fam.s} of the K = ${fam.K} hidden indices stored in the file, σ = ${fam.sigma}`;
  } else {
    const s = freshSparsity(net);
    set = structuredSparse({ n: net.n, s, K: net.n, m: net.m, matrix: net.A, sigma: 0, seed }).sample(1, seed);
    source = 'fresh';
    note = `the file does not store its training family (hidden set): a fresh ${s}-sparse signal on the net's A (any support, seed ${seed}, no noise)`;
  }
  const x = set.X.data;
  const support = Int32Array.from(Array.from(x.keys()).filter((j) => x[j] !== 0));
  return { A: net.A, x, y: set.Y.data, support, source, note };
}

/** One recovery shown on the page. */
export interface Recovery {
  name: string;
  /** length n, or null if it failed (see error) */
  x: Float64Array | null;
  /** ||x_hat - x|| / ||x|| */
  relError: number;
  /** Indices of the nonzeros of x_hat (hard) or of its `support.length` largest |x_hat_j| (soft, whose x is dense). */
  support: number[];
  ms: number;
  error?: string;
}

function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / (den || 1));
}

function largest(x: Float64Array, count: number): number[] {
  return Array.from(x.keys()).sort((a, b) => Math.abs(x[b]) - Math.abs(x[a]) || a - b).slice(0, count).sort((a, b) => a - b);
}

function timed(name: string, p: NetProblem, soft: boolean, f: () => Float64Array): Recovery {
  const t0 = performance.now();
  try {
    const x = f();
    const ms = performance.now() - t0;
    const support = soft ? largest(x, p.support.length) : Array.from(x.keys()).filter((j) => x[j] !== 0);
    return { name, x, relError: relError(x, p.x), support, ms };
  } catch (e) {
    return { name, x: null, relError: NaN, support: [], ms: performance.now() - t0, error: (e as Error).message };
  }
}

/**
 * The net in hard mode (tau = 0: weighted OMP / IHT), in soft mode (at its
 * tau) and the plain solver it unrolls on the same y: OMP with k = layers, or
 * IHT with k = s, step eta and maxIter = layers.
 */
export function runNet(net: DemoNet, p: NetProblem): { hard: Recovery; soft: Recovery; plain: Recovery } {
  const name = netName(net);
  const hard = timed(`${name} (hard)`, p, false, () => net.predict(p.y, { mode: 'hard' }));
  const soft = timed(`${name} (soft, τ = ${net.tau})`, p, true, () => net.predict(p.y, { mode: 'soft' }));
  const plain = net instanceof IhtNet
    ? timed(`IHT (k = ${net.sparsity}, ${net.layers} steps)`, p, false, () => iht(net.A, p.y, { k: net.sparsity, mu: net.eta, maxIter: net.layers }).x)
    : timed(`OMP (k = ${net.layers})`, p, false, () => omp(net.A, p.y, { k: net.layers }).x);
  return { hard, soft, plain };
}

// First-order optimizers for the nets' weights, with fully serialisable state
// (so an interrupted training run resumes bit for bit), gradient-norm
// clipping and the step-decay learning-rate schedule.
import { checkEnum, checkNumber, describe } from '../core/errors.js';

/** Which update rule. */
export type OptimizerName = 'rmsprop' | 'adam' | 'sgd';
export const OPTIMIZERS: readonly OptimizerName[] = ['rmsprop', 'adam', 'sgd'];

/** Hyperparameters besides the learning rate (defaults: PyTorch's, which the paper's experiments used). */
export interface OptimizerHyper {
  /** RMSprop: decay of the mean square, in [0, 1). Default 0.99 (torch.optim.RMSprop's alpha). */
  rho?: number;
  /** Adam: decay of the first moment, in [0, 1). Default 0.9 (Kingma & Ba 2015). */
  beta1?: number;
  /** Adam: decay of the second moment, in [0, 1). Default 0.999 (Kingma & Ba 2015). */
  beta2?: number;
  /** SGD: heavy-ball momentum, in [0, 1). Default 0 (plain SGD). */
  momentum?: number;
  /** Added to the root mean square in the denominator, > 0. Default 1e-8 (PyTorch's RMSprop and Adam default). */
  eps?: number;
  /**
   * Decoupled weight decay lambda >= 0 (Loshchilov & Hutter 2019): every step
   * first shrinks w by the factor (1 - lr lambda). Default 0 (none, as in the paper).
   */
  weightDecay?: number;
}

/** Everything an optimizer remembers between steps; JSON-safe. */
export interface OptimizerState {
  name: OptimizerName;
  hyper: Required<OptimizerHyper>;
  /** Steps taken. */
  t: number;
  /** First moment (Adam) or velocity (SGD with momentum); empty when unused. */
  m: number[];
  /** Mean square (RMSprop) or second moment (Adam); empty when unused. */
  v: number[];
}

const DEFAULTS: Required<OptimizerHyper> = { rho: 0.99, beta1: 0.9, beta2: 0.999, momentum: 0, eps: 1e-8, weightDecay: 0 };

/**
 * An optimizer over one parameter vector of length n: `step(w, g, lr)`
 * updates w in place from the gradient g.
 *
 * - 'rmsprop': v = rho v + (1 - rho) g^2;  w -= lr g / (sqrt(v) + eps)
 * - 'adam':    m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *              w -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * - 'sgd':     u = momentum u + g;  w -= lr u  (u = g without momentum)
 *
 * With weightDecay lambda > 0, each step starts with w *= (1 - lr lambda).
 */
export class Optimizer {
  readonly name: OptimizerName;
  readonly hyper: Required<OptimizerHyper>;
  private t = 0;
  private readonly m: Float64Array;
  private readonly v: Float64Array;

  /**
   * @param name 'rmsprop', 'adam' or 'sgd'
   * @param n parameters (integer >= 1)
   * @param hyper hyperparameters (see OptimizerHyper for defaults and ranges)
   */
  constructor(name: OptimizerName, n: number, hyper: OptimizerHyper = {}) {
    const fn = 'Optimizer';
    this.name = checkEnum(fn, 'name', name, OPTIMIZERS);
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${fn}: n must be an integer >= 1, received ${describe(n)}`);
    const h = { ...DEFAULTS, ...hyper };
    checkNumber(fn, 'rho', h.rho, 0, 1, { openHi: true });
    checkNumber(fn, 'beta1', h.beta1, 0, 1, { openHi: true });
    checkNumber(fn, 'beta2', h.beta2, 0, 1, { openHi: true });
    checkNumber(fn, 'momentum', h.momentum, 0, 1, { openHi: true });
    checkNumber(fn, 'eps', h.eps, 0, 1, { openLo: true });
    checkNumber(fn, 'weightDecay', h.weightDecay, 0, Number.MAX_VALUE);
    this.hyper = h;
    const usesM = name === 'adam' || (name === 'sgd' && h.momentum > 0);
    const usesV = name !== 'sgd';
    this.m = new Float64Array(usesM ? n : 0);
    this.v = new Float64Array(usesV ? n : 0);
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.t;
  }

  /** One update of w (in place) from gradient g (same length), learning rate lr > 0. */
  step(w: Float64Array, g: ArrayLike<number>, lr: number): void {
    const n = w.length;
    const { rho, beta1, beta2, momentum, eps, weightDecay } = this.hyper;
    this.t++;
    if (weightDecay > 0) {
      const f = 1 - lr * weightDecay;
      for (let j = 0; j < n; j++) w[j] *= f;
    }
    if (this.name === 'rmsprop') {
      const v = this.v;
      for (let j = 0; j < n; j++) {
        const gj = g[j];
        v[j] = rho * v[j] + (1 - rho) * gj * gj;
        w[j] -= (lr * gj) / (Math.sqrt(v[j]) + eps);
      }
    } else if (this.name === 'adam') {
      const { m, v } = this;
      const c1 = 1 - beta1 ** this.t;
      const c2 = 1 - beta2 ** this.t;
      for (let j = 0; j < n; j++) {
        const gj = g[j];
        m[j] = beta1 * m[j] + (1 - beta1) * gj;
        v[j] = beta2 * v[j] + (1 - beta2) * gj * gj;
        w[j] -= (lr * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + eps);
      }
    } else if (momentum > 0) {
      const m = this.m;
      for (let j = 0; j < n; j++) {
        m[j] = momentum * m[j] + g[j];
        w[j] -= lr * m[j];
      }
    } else {
      for (let j = 0; j < n; j++) w[j] -= lr * g[j];
    }
  }

  /** The full state, JSON-safe. */
  toJSON(): OptimizerState {
    return { name: this.name, hyper: { ...this.hyper }, t: this.t, m: Array.from(this.m), v: Array.from(this.v) };
  }

  /** Restores an optimizer from toJSON() output, for n parameters. */
  static fromJSON(s: OptimizerState, n: number): Optimizer {
    const fn = 'Optimizer.fromJSON';
    if (!s || typeof s !== 'object') throw new TypeError(`${fn}: state must be an object from Optimizer.toJSON(), received ${describe(s)}`);
    const o = new Optimizer(s.name, n, s.hyper);
    if (!Number.isInteger(s.t) || s.t < 0) throw new RangeError(`${fn}: t must be an integer >= 0, received ${describe(s.t)}`);
    for (const [key, arr] of [['m', o.m], ['v', o.v]] as const) {
      const src = s[key];
      if (!Array.isArray(src) || src.length !== arr.length || !src.every(Number.isFinite)) {
        throw new RangeError(`${fn}: ${key} must be ${arr.length} finite numbers for '${s.name}' over ${n} weights, received ${describe(src)}`);
      }
      arr.set(src);
    }
    o.t = s.t;
    return o;
  }
}

/**
 * Scales g in place so that ||g||_2 <= maxNorm (as torch.nn.utils.clip_grad_norm_
 * does); returns the norm before clipping. maxNorm = Infinity: no clipping.
 */
export function clipGradNorm(g: Float64Array, maxNorm: number): number {
  let s = 0;
  for (let j = 0; j < g.length; j++) s += g[j] * g[j];
  const nrm = Math.sqrt(s);
  if (nrm > maxNorm && Number.isFinite(maxNorm)) {
    const f = maxNorm / nrm;
    for (let j = 0; j < g.length; j++) g[j] *= f;
  }
  return nrm;
}

/** Step decay: the learning rate is multiplied by `gamma` every `every` epochs. */
export interface StepDecay {
  /** Epochs between decays (integer >= 1). */
  every: number;
  /** Factor per decay, in (0, 1]. */
  gamma: number;
}

/** Learning rate of epoch e (0-based): lr gamma^floor(e / every), or lr without a schedule. */
export function learningRate(lr: number, e: number, schedule?: StepDecay | null): number {
  return schedule ? lr * schedule.gamma ** Math.floor(e / schedule.every) : lr;
}

// Seeded random numbers, so every test and experiment can be rerun exactly.

/**
 * The output mix of splitmix32 (xor-shift 16, multiply, xor-shift 15,
 * multiply, xor-shift 15; the constants of Hash Prospector's low-bias 32-bit
 * mix): a 32-bit integer to an unrelated unsigned one. Seeds the generator and
 * derives per-stream and per-trial seeds.
 */
export function mix32(z: number): number {
  let t = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  t = Math.imul(t ^ (t >>> 15), 0x735a2d97);
  return (t ^ (t >>> 15)) >>> 0;
}

/**
 * A small, fast seeded generator (xoshiro128** over 32-bit words, seeded by
 * splitmix32), with uniform, normal and integer draws.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number) {
    let z = (Math.floor(seed) >>> 0) ^ 0x9e3779b9;
    const next = () => {
      z = (z + 0x9e3779b9) | 0;
      return mix32(z);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** k distinct integers from [0, n), ascending (partial Fisher-Yates). */
  sample(n: number, k: number): Int32Array {
    const p = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p.slice(0, k).sort();
  }

  /**
   * The generator's full state (four 32-bit words and the cached second
   * normal of the polar method), JSON-safe; `Rng.fromState` resumes exactly.
   */
  getState(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare };
  }

  /** A generator that continues exactly where the one that gave `state` stopped. */
  static fromState(state: RngState): Rng {
    const ok = state && Array.isArray(state.s) && state.s.length === 4 &&
      state.s.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 32) &&
      (state.spare === null || Number.isFinite(state.spare));
    if (!ok) throw new TypeError('Rng.fromState: state must be { s: four 32-bit integers, spare: number | null } from getState()');
    const r = new Rng(0);
    [r.s0, r.s1, r.s2, r.s3] = state.s.map((v) => v | 0);
    r.spare = state.spare;
    return r;
  }

  /** n standard normals. */
  normals(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }
}

/** A serialised Rng (see Rng.getState). */
export interface RngState {
  /** xoshiro128** state words. */
  s: number[];
  /** Second normal of the last polar-method pair, not yet returned (or null). */
  spare: number | null;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

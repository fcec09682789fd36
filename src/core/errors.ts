// Argument checks shared by every public entry point. Each message names the
// function, the argument, what was expected and what was received.

/** Describes a received value briefly for an error message. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  return typeof v;
}

/** An integer in [lo, hi]; `fn` and `name` go into the message. */
export function checkInt(fn: string, name: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number') throw new TypeError(`${fn}: ${name} must be an integer in [${lo}, ${hi}], received ${describe(v)}`);
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${fn}: ${name} must be an integer in [${lo}, ${hi}], received ${describe(v)}`);
  }
  return v;
}

/** A finite number in [lo, hi] (open at either end when the flags say so). */
export function checkNumber(fn: string, name: string, v: unknown, lo: number, hi: number,
                            opts: { openLo?: boolean; openHi?: boolean } = {}): number {
  const range = `${opts.openLo ? '(' : '['}${lo}, ${hi}${opts.openHi ? ')' : ']'}`;
  if (typeof v !== 'number') throw new TypeError(`${fn}: ${name} must be a finite number in ${range}, received ${describe(v)}`);
  if (!Number.isFinite(v) || v < lo || v > hi || (opts.openLo && v === lo) || (opts.openHi && v === hi)) {
    throw new RangeError(`${fn}: ${name} must be a finite number in ${range}, received ${describe(v)}`);
  }
  return v;
}

/** Converts a number[] / Float64Array / other typed array to a Float64Array of finite values of length `len` (when given). */
export function toVector(fn: string, name: string, v: unknown, len?: number): Float64Array {
  let out: Float64Array;
  if (v instanceof Float64Array) out = v;
  else if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) {
    const a = v as ArrayLike<unknown>;
    out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const e = a[i];
      if (typeof e !== 'number') throw new TypeError(`${fn}: ${name}[${i}] must be a number, received ${describe(e)}`);
      out[i] = e;
    }
  } else {
    throw new TypeError(`${fn}: ${name} must be a Float64Array or number[], received ${describe(v)}`);
  }
  if (out.length === 0) throw new RangeError(`${fn}: ${name} must not be empty, received length 0`);
  if (len !== undefined && out.length !== len) {
    throw new RangeError(`${fn}: ${name} must have length ${len} (the rows of A), received length ${out.length}`);
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new RangeError(`${fn}: ${name}[${i}] must be finite, received ${out[i]}`);
  }
  return out;
}

/** One of the allowed strings. */
export function checkEnum<T extends string>(fn: string, name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    const err = typeof v === 'string' ? RangeError : TypeError;
    throw new err(`${fn}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, received ${describe(v)}`);
  }
  return v as T;
}

/**
 * The caller's options object, read once: a snapshot of its own properties
 * (each getter runs once), so that what was checked is what runs. TypeError
 * naming fn when it is not an object (`needs` says what it must hold).
 */
export function readOptions<O extends object>(fn: string, opts: unknown, needs: string): O {
  if (opts === undefined || opts === null || typeof opts !== 'object') {
    throw new TypeError(`${fn}: options must be an object with at least ${needs}, received ${describe(opts)}`);
  }
  return { ...(opts as O) };
}

// Nesting depth of parsed JSON, measured without recursion, so hostile files
// nested thousands deep are refused with a message instead of overflowing the
// stack in whatever walks them next (JSON.stringify, checksums, messages).
// Browser-safe (no Node imports).

/** Deepest nesting any file the package reads legitimately needs, with room to spare (a saved net is 4 deep). */
export const MAX_JSON_DEPTH = 64;

/** The nesting depth of a JSON value (a number or string: 0, [] or [1]: 1, [[1]]: 2, ...), counted up to `cap` + 1. */
export function jsonDepth(v: unknown, cap = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (d + 1 > deepest) deepest = d + 1;
    if (deepest > cap) return deepest;
    for (const c of Array.isArray(x) ? x : Object.values(x)) if (c !== null && typeof c === 'object') stack.push([c, d + 1]);
  }
  return deepest;
}

/** A short one-line preview of a parsed JSON value that never walks into it. */
export function preview(x: unknown): string {
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (x !== null && typeof x === 'object') return 'an object';
  if (typeof x === 'string') return JSON.stringify(x.length > 30 ? x.slice(0, 30) + '...' : x);
  return String(x);
}

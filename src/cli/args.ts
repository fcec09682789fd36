// Command-line parsing shared by the CLI commands (node:util parseArgs, strict).
import { parseArgs } from 'node:util';
import { InputError } from '../io/files.js';

/** The exit-code rule of every command, as --help prints it. */
export const EXIT_CODES = `exit codes: 0 ok; 2 bad command line (an unknown or missing option, or a value
outside its documented range, whatever the files hold); 1 bad data (an input
file that cannot be read, is malformed or does not fit the command line, or an
output that cannot be written). Errors are one line on stderr naming the
argument or the file.`;

/** A malformed command line: exit code 2 with a pointer to --help. */
export class UsageError extends Error {}

export { InputError };

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** What parse returns: typed option values and the positionals. */
export interface Parsed<T extends OptionSpec> {
  values: { [K in keyof T]?: T[K]['type'] extends 'string' ? string : boolean } & { help?: boolean };
  positionals: string[];
}

/** Parses `args` strictly; unknown options and missing values become UsageErrors. */
export function parse<T extends OptionSpec>(cmd: string, args: string[], options: T, positionals = false): Parsed<T> {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: positionals }) as unknown as Parsed<T>;
  } catch (e) {
    throw new UsageError(`${cmd}: ${(e as Error).message.split('\n')[0].replace(/\. To specify a positional.*$/, '')}`);
  }
}

/** A strict integer option value in [lo, hi]; `bad` decides the error class (usage or input). */
export function intArg(name: string, v: string, lo: number, hi = Number.MAX_SAFE_INTEGER, usage = false): number {
  const n = /^[+-]?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < lo || n > hi) {
    const E = usage ? UsageError : InputError;
    throw new E(`${name} must be an integer in [${lo}, ${hi === Number.MAX_SAFE_INTEGER ? 'inf)' : hi + ']'}, received ${JSON.stringify(v)}`);
  }
  return n;
}

/** A strict finite number option value in [lo, hi]; `usage` decides the error class, as for intArg. */
export function numArg(name: string, v: string, lo: number, hi: number, usage = false): number {
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < lo || n > hi) {
    const E = usage ? UsageError : InputError;
    throw new E(`${name} must be a number in [${lo}, ${hi}], received ${JSON.stringify(v)}`);
  }
  return n;
}

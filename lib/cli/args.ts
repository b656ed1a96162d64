/** Command-line parsing helpers: typed option reading with usage errors (exit code 2). */
import { parseArgs } from 'util';

/** A mistake in the command line: the CLI prints the message and the usage, and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Parse argv against a spec; unknown options and stray positionals are usage errors. */
export function parseCommand(argv: string[], spec: OptionSpec): Record<string, string | boolean | undefined> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return values as Record<string, string | boolean | undefined>;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}

/** Largest seed the CLI takes: the RNG reduces seeds modulo 2^32, so larger ones would silently alias smaller ones. */
export const SEED_MAX = 2 ** 31 - 1;

const DECIMAL_INTEGER = /^\+?\d+$/;
const DECIMAL_NUMBER = /^\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Read an integer option in [min, max] written in decimal digits (no '0x10', '1e3', '2.0' or '+Infinity'), or
 * undefined when absent. `max` defaults to the largest integer a double holds exactly.
 */
export function intOption(values: Record<string, unknown>, name: string, min = 1, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const n = DECIMAL_INTEGER.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${name} must be an integer ${range} in decimal digits, got '${raw}'`);
  }
  return n;
}

/** Read a finite decimal number option > 0 (e.g. 0.001 or 1e-3; not '0x10' or 'Infinity'), or undefined when absent. */
export function positiveOption(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const n = DECIMAL_NUMBER.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a decimal number > 0, got '${raw}'`);
  return n;
}

/** Read one of a fixed set of strings, or the default. */
export function choiceOption<T extends string>(values: Record<string, unknown>, name: string, choices: readonly T[], fallback: T): T {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!choices.includes(raw as T)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${raw}'`);
  return raw as T;
}

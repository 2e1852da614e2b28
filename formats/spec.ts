/**
 * Format spec strings (`coo:10`, `rl:4`, `nm:2:4`): the grammar, integer parameter parsing and the
 * canonical form with every parameter resolved. Shared by the codecs (which stamp `format` on their
 * output) and the registry (which parses user specs).
 */
import { ConfigError } from '../errors.js';
import type { FormatId } from './types.js';

/** The spec grammar, quoted in every "bad spec" error. */
export const FORMAT_GRAMMAR = 'dense | bitmask | coo[:b_i] | rl[:b_r] | nm:N:m';

/** Parameter names of each format, in spec order. */
export const PARAM_ORDER: Readonly<Record<FormatId, readonly string[]>> = {
  dense: [],
  bitmask: [],
  coo: ['indexBits'],
  rl: ['runBits'],
  nm: ['n', 'm'],
};

/** The canonical spec: the id followed by each resolved parameter, e.g. `nm:2:4`. */
export function canonicalSpec(id: FormatId, params: Readonly<Record<string, number>>): string {
  return [id, ...PARAM_ORDER[id].map((name) => String(params[name]))].join(':');
}

/** A ConfigError for a malformed spec, naming the grammar. */
export function badSpec(spec: string, why: string): ConfigError {
  return new ConfigError('BAD_FORMAT_SPEC', `bad format spec '${spec}': ${why}; valid formats: ${FORMAT_GRAMMAR}`);
}

/** Throw the standard error unless `args` has between `min` and `max` words. */
export function checkArgCount(id: FormatId, synopsis: string, args: readonly string[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    const spec = [id, ...args].join(':');
    throw badSpec(spec, `${id} takes ${min === max ? min : `${min} to ${max}`} parameter(s), written ${synopsis}`);
  }
}

/**
 * Parse one decimal integer parameter in `[lo, hi]`; throws ConfigError otherwise.
 *
 * @example parseIntParam('coo', 'b_i', '8', 0, 24) // 8
 */
export function parseIntParam(id: FormatId, name: string, word: string, lo: number, hi: number): number {
  if (!/^\d{1,9}$/.test(word)) {
    throw new ConfigError('BAD_FORMAT_PARAM', `${id}: ${name} must be an integer in ${lo}..${hi}; got '${word}'`);
  }
  const v = Number(word);
  checkIntParam(id, name, v, lo, hi);
  return v;
}

/** Throw ConfigError unless `v` is an integer in `[lo, hi]` (for params passed programmatically). */
export function checkIntParam(id: FormatId, name: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new ConfigError('BAD_FORMAT_PARAM', `${id}: ${name} must be an integer in ${lo}..${hi}; got ${String(v)}`);
  }
}

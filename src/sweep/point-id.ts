/**
 * Stable point ids. The id of a point is the first 16 hex digits (64 bits) of the SHA-256 of its
 * canonical JSON: object keys sorted by UTF-16 code unit at every level, no whitespace, numbers as
 * `JSON.stringify` writes them (shortest round-trip form, so `8` and `8.0` are the same number).
 * The id therefore does not depend on the order keys were written in, on the machine, or on the
 * run: it is what lets a resumed sweep and a shard merge recognise a point. 64 bits make an
 * accidental collision negligible for any sweep that fits on a disk (birthday bound ≈ n²/2⁶⁵).
 */
import { createHash } from 'node:crypto';

/**
 * Canonical JSON of a plain value: sorted keys, no whitespace, `undefined` members dropped.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, 'x'] }) // → '{"a":[true,"x"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`canonicalJson: ${value} has no JSON form`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * The stable id of a point: `sha256(canonicalJson(point))`, first 16 hex digits.
 *
 * @example
 * pointId({ weightBits: 8, format: 'coo' }) === pointId({ format: 'coo', weightBits: 8 }) // → true
 */
export function pointId(point: object): string {
  return createHash('sha256').update(canonicalJson(point)).digest('hex').slice(0, 16);
}

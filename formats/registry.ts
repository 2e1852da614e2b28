/**
 * The format registry: id → codec, and the spec parser the CLI and the pipelines share
 * (`coo` → `coo:10` for K = 784; `nm:2:4`; a list `coo,rl:4,nm:2:4`).
 */
import { bitmaskCodec } from './bitmask.js';
import { cooCodec } from './coo.js';
import { denseCodec } from './dense.js';
import { nmCodec } from './n-m.js';
import { runLengthCodec } from './run-length.js';
import { corrupt } from './segment-table.js';
import { badSpec, canonicalSpec, FORMAT_GRAMMAR } from './spec.js';
import type { EncodedMatrix, EncodeOptions, FormatCodec, FormatId, IntMatrix } from './types.js';

/** Every format, by id. Adding a format = one file + one line here (the contract tests pick it up). */
export const FORMATS: Readonly<Record<FormatId, FormatCodec>> = Object.freeze({
  dense: denseCodec,
  bitmask: bitmaskCodec,
  coo: cooCodec,
  rl: runLengthCodec,
  nm: nmCodec,
});

/** A parsed format spec. */
export interface ParsedFormatSpec {
  readonly codec: FormatCodec;
  /** Resolved parameters (defaults filled in for a `rows`-row matrix). */
  readonly params: Readonly<Record<string, number>>;
  /** Canonical spec, e.g. `coo:10`. */
  readonly canonical: string;
}

function isFormatId(id: string): id is FormatId {
  return Object.prototype.hasOwnProperty.call(FORMATS, id);
}

/**
 * Parse one spec for a `rows`-row matrix.
 *
 * @throws ConfigError (`BAD_FORMAT_SPEC` / `BAD_FORMAT_PARAM`) naming the grammar.
 * @example parseFormatSpec('coo', 784).canonical // 'coo:10'
 * @example parseFormatSpec('nm:2:4', 784).params // { n: 2, m: 4 }
 */
export function parseFormatSpec(spec: string, rows: number): ParsedFormatSpec {
  const words = spec.trim().split(':');
  const id = words[0]!.toLowerCase();
  if (!isFormatId(id)) throw badSpec(spec, `unknown format '${words[0]}'`);
  const codec = FORMATS[id];
  const params = Object.freeze(codec.parseParams(words.slice(1), rows));
  return { codec, params, canonical: canonicalSpec(id, params) };
}

/**
 * Check one spec's grammar and parameters without a matrix (a design-space sweep validates its
 * specs before any weights are loaded). Accepts exactly what {@link parseFormatSpec} accepts for a
 * small matrix; a default that depends on K (`coo`'s `b_i = ceil(log2 K)`) is resolved later.
 *
 * @throws ConfigError as {@link parseFormatSpec}.
 */
export function checkFormatSpec(spec: string): void {
  parseFormatSpec(spec, 2);
}

/**
 * The specs of a comma-separated list or an array, trimmed, unparsed (as the user wrote them).
 * @example splitFormatList('coo, rl:4') // ['coo', 'rl:4']
 */
export function splitFormatList(formats: string | readonly string[]): string[] {
  return (typeof formats === 'string' ? formats.split(',') : [...formats]).map((s) => s.trim());
}

/**
 * Parse a comma-separated list of specs (`coo,rl:4,nm:2:4`). Empty items are an error.
 *
 * @example parseFormatList('coo,rl', 784).map((p) => p.canonical) // ['coo:10', 'rl:4']
 */
export function parseFormatList(list: string, rows: number): ParsedFormatSpec[] {
  const items = list.split(',');
  return items.map((item) => {
    if (item.trim() === '') throw badSpec(list, 'empty item in the comma-separated list');
    return parseFormatSpec(item, rows);
  });
}

/**
 * Encode `q` in the format named by `spec` (convenience for `parseFormatSpec` + `codec.encode`).
 *
 * @example encodeMatrix(q, 'coo', { valueBits: 8, segmentRows: 256 }).storage.totalBits
 */
export function encodeMatrix(q: IntMatrix, spec: string, opts: EncodeOptions): EncodedMatrix {
  const { codec, params } = parseFormatSpec(spec, q.rows);
  return codec.encode(q, params, opts);
}

/** Decode `enc` with the codec its `id` names (FormatError if the id is unknown). */
export function decodeMatrix(enc: EncodedMatrix): IntMatrix {
  if (!isFormatId(enc.id)) throw corrupt(`unknown format id '${String(enc.id)}' (valid: ${FORMAT_GRAMMAR})`);
  return FORMATS[enc.id].decode(enc);
}

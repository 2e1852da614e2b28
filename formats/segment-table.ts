/**
 * The segment table (MODEL §4: column, base, entry count, bit offset per segment) — allocation on
 * the encode side and the consistency checks every decoder runs before trusting a table.
 */
import { unpackEntries } from './bit-reader.js';
import { FormatError } from '../errors.js';
import type { EncodedMatrix, SegmentTable } from './types.js';
import { MAX_VALUE_BITS, MIN_VALUE_BITS } from './validate.js';

/** A segment table under construction: exact-size arrays filled by index. */
export interface MutableSegmentTable extends SegmentTable {
  readonly col: Uint32Array;
  readonly base: Uint32Array;
  readonly count: Uint32Array;
  readonly offset: Float64Array;
}

/** Allocate a table of exactly `length` segments (sized by the encoder's counting pass). */
export function allocSegmentTable(length: number): MutableSegmentTable {
  return {
    length,
    col: new Uint32Array(length),
    base: new Uint32Array(length),
    count: new Uint32Array(length),
    offset: new Float64Array(length),
  };
}

/** A FormatError for a corrupt table or stream, one line, with the fix. */
export function corrupt(what: string): FormatError {
  return new FormatError('CORRUPT_ENCODING', `corrupt encoded matrix: ${what}; re-encode the matrix`);
}

/**
 * Check everything about `enc` that does not depend on the format's entry semantics:
 * header fields in range, `indexFieldBits` as the format expects, stream long enough, and a table whose
 * columns are in order, counts in `1..R`, bases below K and offsets exactly contiguous
 * (`offset[s+1] = offset[s] + count[s] · entryBits`, ending at `streamBits`).
 *
 * @throws FormatError on the first inconsistency.
 */
export function checkEncoded(enc: EncodedMatrix, indexFieldBits: number): void {
  const { rows, cols, valueBits, segmentRows, streamBits, stream } = enc;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) throw corrupt(`shape [${rows}, ${cols}]`);
  if (!Number.isInteger(valueBits) || valueBits < MIN_VALUE_BITS || valueBits > MAX_VALUE_BITS) throw corrupt(`valueBits ${valueBits}`);
  if (!Number.isInteger(segmentRows) || segmentRows < 1) throw corrupt(`segmentRows ${segmentRows}`);
  if (enc.indexFieldBits !== indexFieldBits || enc.entryBits !== valueBits + indexFieldBits) {
    throw corrupt(`entry of ${enc.entryBits} bits (index field ${enc.indexFieldBits}) but the format's parameters give ${valueBits + indexFieldBits} (${indexFieldBits})`);
  }
  if (!(stream instanceof Uint8Array) || !Number.isInteger(streamBits) || streamBits < 0 || Math.ceil(streamBits / 8) > stream.length) {
    throw corrupt(`stream claims ${streamBits} bits but holds ${stream?.length ?? 0} bytes`);
  }
  const t = enc.segments;
  const n = t.length;
  if (!Number.isInteger(n) || n < 0 || t.col.length < n || t.base.length < n || t.count.length < n || t.offset.length < n) {
    throw corrupt(`segment table of length ${n} with shorter arrays`);
  }
  const entryBits = enc.entryBits;
  let expected = 0;
  let prevCol = 0;
  for (let s = 0; s < n; s++) {
    const c = t.col[s]!;
    const count = t.count[s]!;
    if (c >= cols || c < prevCol) throw corrupt(`segment ${s} has column ${c} (columns must be in order, < ${cols})`);
    if (count < 1 || count > segmentRows) throw corrupt(`segment ${s} has ${count} entries (must be 1..${segmentRows})`);
    if (t.base[s]! >= rows) throw corrupt(`segment ${s} has base row ${t.base[s]} (K = ${rows})`);
    if (t.offset[s] !== expected) throw corrupt(`segment ${s} starts at bit ${t.offset[s]}, expected ${expected}`);
    expected += count * entryBits;
    prevCol = c;
  }
  if (expected !== streamBits) throw corrupt(`segments cover ${expected} bits but the stream has ${streamBits}`);
}

/** Throw unless a decoded two's-complement value lies in `[-Q, Q]` (the pattern `-2^(b_w-1)` is never written). */
export function checkDecodedValue(value: number, valueBits: number, s: number): void {
  if (value === -(2 ** (valueBits - 1))) throw corrupt(`segment ${s} holds value ${value}, outside the ${valueBits}-bit weight range`);
}

/**
 * Unpack segment `s` of `enc` straight from the stream: each entry's value into `valuesOut` and its
 * raw index/run field into `fieldsOut` (the shared first step of every codec's `readSegment`).
 * @returns the number of physical entries
 */
export function unpackSegment(enc: EncodedMatrix, s: number, valuesOut: Int32Array, fieldsOut: Int32Array): number {
  const t = enc.segments;
  const n = t.count[s]!;
  unpackEntries(enc.stream, enc.streamBits, t.offset[s]!, n, enc.valueBits, enc.indexFieldBits, valuesOut, fieldsOut);
  return n;
}

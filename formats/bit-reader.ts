/**
 * LSB-first bit reader, the inverse of {@link BitWriter} (MODEL §4 bit order: stream bit `t` is bit
 * `t mod 8` of byte `floor(t / 8)`, fields LSB first).
 *
 * One bounds check per field (the habit of protobuf.js's reader): a read that would pass the
 * stream's meaningful length throws a {@link FormatError} carrying the numbers, never returns
 * garbage. The free functions take the position as an argument so that hot callers (the
 * simulator's `readSegment`) allocate nothing.
 */
import { FormatError } from '../errors.js';

/** Widest field one read accepts (7 bits of in-byte shift + 24 ≤ 31 bits of an int32). */
export const MAX_READ_BITS = 24;

function truncated(bitPos: number, width: number, streamBits: number): FormatError {
  return new FormatError(
    'STREAM_TRUNCATED',
    `need ${width} bits at bit ${bitPos}, stream has ${streamBits}: the stream or its segment table is corrupt; re-encode the matrix`,
  );
}

/**
 * Read an unsigned `width`-bit field (0..24) starting at stream bit `bitPos`.
 *
 * @param stream the packed bytes (must hold at least `ceil(streamBits / 8)` bytes)
 * @param streamBits meaningful bits in the stream
 * @example readBits(Uint8Array.of(0xfd, 0x0f), 12, 3, 9) // 0x1ff
 */
export function readBits(stream: Uint8Array, streamBits: number, bitPos: number, width: number): number {
  if (bitPos + width > streamBits || bitPos < 0) throw truncated(bitPos, width, streamBits);
  if (width === 0) return 0;
  const i = Math.floor(bitPos / 8);
  const shift = bitPos - i * 8;
  const end = shift + width;
  let raw = stream[i]!;
  if (end > 8) {
    raw |= stream[i + 1]! << 8;
    if (end > 16) {
      raw |= stream[i + 2]! << 16;
      if (end > 24) raw |= stream[i + 3]! << 24;
    }
  }
  return (raw >>> shift) & ((1 << width) - 1);
}

/** Read a `width`-bit two's-complement field (1..24) and sign-extend it. */
export function readSignedBits(stream: Uint8Array, streamBits: number, bitPos: number, width: number): number {
  const s = 32 - width;
  return (readBits(stream, streamBits, bitPos, width) << s) >> s;
}

/**
 * A cursor over a stream, for sequential decoding.
 *
 * @example
 * const r = new BitReader(Uint8Array.of(0xfd, 0x0f), 12);
 * r.read(3); // 5
 * r.read(9); // 511
 * r.read(1); // throws FormatError: need 1 bits at bit 12, stream has 12 ...
 */
export class BitReader {
  /** Current bit position. */
  pos = 0;

  /**
   * @throws FormatError if `stream` is shorter than `streamBits` says.
   */
  constructor(readonly stream: Uint8Array, readonly streamBits: number) {
    if (!Number.isInteger(streamBits) || streamBits < 0 || Math.ceil(streamBits / 8) > stream.length) {
      throw new FormatError(
        'STREAM_TRUNCATED',
        `stream claims ${streamBits} bits but holds ${stream.length} bytes (${stream.length * 8} bits); re-encode the matrix`,
      );
    }
  }

  /** Read an unsigned field and advance. */
  read(width: number): number {
    const v = readBits(this.stream, this.streamBits, this.pos, width);
    this.pos += width;
    return v;
  }

  /** Read a two's-complement field and advance. */
  readSigned(width: number): number {
    const v = readSignedBits(this.stream, this.streamBits, this.pos, width);
    this.pos += width;
    return v;
  }
}

/**
 * Unpack `n` consecutive entries (a `valueBits` two's-complement value, then an `indexBits` unsigned
 * field) starting at stream bit `bitPos`: the hot path of every codec's `readSegment`. One bounds
 * check for the whole block; when an entry fits one 24-bit window (b_w + index ≤ 24, the common case)
 * each entry is one 4-byte little-endian load, a shift and two masks.
 *
 * @throws FormatError when the block passes the stream's meaningful length.
 * @example
 * // two entries of 4-bit value + 3-bit index: (-3, 5) and (7, 0)
 * const v = new Int32Array(2), ix = new Int32Array(2);
 * unpackEntries(Uint8Array.of(0xdd, 0x03), 14, 0, 2, 4, 3, v, ix); // v = [-3, 7], ix = [5, 0]
 */
export function unpackEntries(
  stream: Uint8Array, streamBits: number, bitPos: number, n: number,
  valueBits: number, indexBits: number, valuesOut: Int32Array, indexOut: Int32Array,
): void {
  const eb = valueBits + indexBits;
  const end = bitPos + n * eb;
  if (bitPos < 0 || end > streamBits) throw truncated(bitPos, n * eb, streamBits);
  const vs = 32 - valueBits;
  // Entries whose 4-byte window stays inside the array take the fast path; the last few do not.
  const safeEnd = (stream.length - 4) * 8;
  if (eb <= 24 && end <= 0x7fffffff) {
    const emask = eb === 0 ? 0 : (1 << eb) - 1;
    let pos = bitPos;
    let i = 0;
    for (; i < n && pos <= safeEnd; i++, pos += eb) {
      const b = pos >>> 3;
      const raw = (stream[b]! | (stream[b + 1]! << 8) | (stream[b + 2]! << 16) | (stream[b + 3]! << 24)) >>> (pos & 7);
      const e = raw & emask;
      valuesOut[i] = (e << vs) >> vs;
      indexOut[i] = e >>> valueBits;
    }
    for (; i < n; i++, pos += eb) {
      valuesOut[i] = readSignedBits(stream, streamBits, pos, valueBits);
      indexOut[i] = readBits(stream, streamBits, pos + valueBits, indexBits);
    }
    return;
  }
  let pos = bitPos;
  for (let i = 0; i < n; i++, pos += eb) {
    valuesOut[i] = readSignedBits(stream, streamBits, pos, valueBits);
    indexOut[i] = readBits(stream, streamBits, pos + valueBits, indexBits);
  }
}

/**
 * LSB-first bit reader, the inverse of {@link BitWriter} (MODEL §4 bit order: stream bit `t` is bit
 * `t mod 8` of byte `floor(t / 8)`, fields LSB first).
 *
 * One bounds check per field (the habit of protobuf.js's reader): a read that would pass the
 * stream's meaningful length throws a {@link FormatError} carrying the numbers, never returns
 * garbage. The free functions take the position as an argument so that hot callers (the
 * simulator's `readSegment`) allocate nothing.
 */
import { FormatError } from './errors.js';

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

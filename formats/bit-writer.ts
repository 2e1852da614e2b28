/**
 * LSB-first bit writer over a zero-filled `Uint8Array` (MODEL §4 "Packed bitstream").
 *
 * Stream bit `t` is bit `t mod 8` of byte `floor(t / 8)`; every field is written least significant
 * bit first; fields follow each other with no gaps; the last byte is zero-padded. This is the
 * deflate bit order (RFC 1951 §3.1.1), the idiom fflate's `wbits` uses.
 *
 * Fields are accumulated in a 32-bit integer word (`acc`, holding fewer than 8 pending bits between
 * calls) and flushed a byte at a time, so a field of up to 24 bits never overflows the word and no
 * call allocates. The caller sizes the buffer exactly with a counting pass. (A branchless variant
 * that stores all four accumulator bytes per field measured 10–30 % slower here: more stores.)
 */

/** Widest field one {@link BitWriter.write} call accepts (7 pending bits + 24 ≤ 31 bits of an int32). */
export const MAX_FIELD_BITS = 24;

/**
 * Appends fields to a fixed-capacity stream.
 *
 * @example
 * const w = new BitWriter(12);
 * w.write(0b101, 3); w.write(0x1ff, 9);
 * w.finish(); // Uint8Array [0xfd, 0x0f]
 */
export class BitWriter {
  /** The stream: `ceil(capacityBits / 8)` zero-filled bytes. */
  private readonly bytes: Uint8Array;
  private acc = 0;
  private pending = 0;
  private pos = 0;

  /** @param capacityBits exact number of bits that will be written (sizes the buffer). */
  constructor(capacityBits: number) {
    this.bytes = new Uint8Array(Math.ceil(capacityBits / 8));
  }

  /**
   * Write the low `width` bits of `value` (0 ≤ width ≤ 24; width 0 writes nothing). Negative values
   * are written in two's complement, i.e. their low `width` bits.
   */
  write(value: number, width: number): void {
    let acc = this.acc | ((value & ((1 << width) - 1)) << this.pending);
    let pending = this.pending + width;
    if (pending >= 8) {
      const bytes = this.bytes;
      let pos = this.pos;
      do {
        bytes[pos++] = acc;
        acc >>>= 8;
        pending -= 8;
      } while (pending >= 8);
      this.pos = pos;
    }
    this.acc = acc;
    this.pending = pending;
  }

  /**
   * Write one entry: a `valueWidth`-bit value then a `fieldWidth`-bit index/run field. One call (and
   * one accumulator update) when both fit a single field, which is the common case.
   */
  writeEntry(value: number, valueWidth: number, field: number, fieldWidth: number): void {
    if (valueWidth + fieldWidth <= MAX_FIELD_BITS) {
      this.write((value & ((1 << valueWidth) - 1)) | ((field & ((1 << fieldWidth) - 1)) << valueWidth), valueWidth + fieldWidth);
    } else {
      this.write(value, valueWidth);
      this.write(field, fieldWidth);
    }
  }

  /**
   * Advance over `bits` zero bits (any count ≥ 0). The buffer is zero-filled, so whole zero bytes
   * are skipped without being touched: this is how nm padding entries are written.
   */
  skip(bits: number): void {
    const total = this.pending + bits;
    if (total < 8) {
      this.pending = total;
      return;
    }
    this.bytes[this.pos] = this.acc;
    this.pos += total >>> 3; // integer ops keep pos a small integer (streams < 2^31 bytes)
    this.acc = 0;
    this.pending = total & 7;
  }

  /** Bits written so far. */
  get bitLength(): number {
    return this.pos * 8 + this.pending;
  }

  /**
   * Flush the partial last byte (zero-padded) and return the stream. Throws if more bits were written
   * than the capacity given to the constructor: that is a bug in the caller's counting pass.
   */
  finish(): Uint8Array {
    const bits = this.bitLength;
    if (bits > this.bytes.length * 8) {
      throw new Error(`BitWriter overflow: wrote ${bits} bits into a ${this.bytes.length * 8}-bit buffer (counting pass is wrong)`);
    }
    if (this.pending > 0) this.bytes[this.pos] = this.acc;
    return this.bytes;
  }
}

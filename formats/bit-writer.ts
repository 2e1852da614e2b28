/**
 * LSB-first bit writer over a zero-filled `Uint8Array` (MODEL §4 "Packed bitstream").
 *
 * Stream bit `t` is bit `t mod 8` of byte `floor(t / 8)`; every field is written least significant
 * bit first; fields follow each other with no gaps; the last byte is zero-padded. This is the
 * deflate bit order (RFC 1951 §3.1.1), the idiom fflate's `wbits` uses.
 *
 * Fields are accumulated in a 32-bit integer word (`acc`, holding fewer than 8 pending bits between
 * calls) and flushed without branches (see {@link BitWriter.write}), so a field of up to 24 bits never
 * overflows the word and no call allocates. The caller sizes the stream exactly with a counting pass;
 * the returned stream is a view of exactly `ceil(bits / 8)` bytes.
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
  /** Backing store: `ceil(capacityBits / 8)` zero-filled bytes plus 4 bytes of flush slack. */
  private readonly bytes: Uint8Array;
  private readonly length: number;
  private acc = 0;
  private pending = 0;
  private pos = 0;

  /** @param capacityBits exact number of bits that will be written (sizes the buffer). */
  constructor(capacityBits: number) {
    this.length = Math.ceil(capacityBits / 8);
    this.bytes = new Uint8Array(this.length + 4);
  }

  /**
   * Write the low `width` bits of `value` (0 ≤ width ≤ 24; width 0 writes nothing). Negative values
   * are written in two's complement, i.e. their low `width` bits.
   */
  write(value: number, width: number): void {
    // Branchless flush: store the four accumulator bytes unconditionally (the buffer has 4 bytes of
    // slack; bytes past the new position hold only not-yet-complete bits and are rewritten by the
    // next flush), then advance by the whole bytes completed. A `while (pending >= 8)` loop here
    // mispredicts about once per field; this does not.
    const acc = this.acc | ((value & ((1 << width) - 1)) << this.pending);
    const pending = this.pending + width;
    const bytes = this.bytes;
    const pos = this.pos;
    bytes[pos] = acc;
    bytes[pos + 1] = acc >>> 8;
    bytes[pos + 2] = acc >>> 16;
    bytes[pos + 3] = acc >>> 24;
    const whole = pending >>> 3; // 0..3: pending ≤ 7 + 24
    this.pos = pos + whole;
    this.acc = acc >>> (whole << 3);
    this.pending = pending & 7;
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
    if (bits > this.length * 8) {
      throw new Error(`BitWriter overflow: wrote ${bits} bits into a ${this.length * 8}-bit buffer (counting pass is wrong)`);
    }
    if (this.pending > 0) this.bytes[this.pos] = this.acc;
    // Clear the slack so the stream's bytes past `length` (still in its buffer) are zero.
    this.bytes.fill(0, this.length);
    return this.bytes.subarray(0, this.length);
  }
}

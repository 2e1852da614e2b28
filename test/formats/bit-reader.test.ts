import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitReader, readBits, readSignedBits, unpackEntries } from '../../formats/bit-reader.js';
import { BitWriter } from '../../formats/bit-writer.js';
import { FormatError } from '../../errors.js';

describe('BitReader', () => {
  it('reads fields LSB first across byte boundaries', () => {
    const r = new BitReader(Uint8Array.of(0xfd, 0x0f), 12);
    expect(r.read(3)).toBe(0b101);
    expect(r.read(9)).toBe(0x1ff);
  });

  it('sign-extends two\'s-complement fields', () => {
    expect(readSignedBits(Uint8Array.of(0xfd), 8, 0, 4)).toBe(-3);
    expect(readSignedBits(Uint8Array.of(0x7f), 8, 0, 8)).toBe(127);
  });

  it('reads width-0 fields as 0 even at the end of the stream', () => {
    expect(readBits(Uint8Array.of(0xff), 8, 8, 0)).toBe(0);
  });

  it('throws FormatError with the numbers when a field passes the end', () => {
    const bytes = new Uint8Array(1024);
    expect(() => readBits(bytes, 8192, 8190, 12)).toThrow(FormatError);
    expect(() => readBits(bytes, 8192, 8190, 12)).toThrow(/^need 12 bits at bit 8190, stream has 8192/);
  });

  it('refuses a stream shorter than its claimed length', () => {
    expect(() => new BitReader(new Uint8Array(1), 9)).toThrow(/stream claims 9 bits but holds 1 bytes/);
  });

  it('reads back whatever BitWriter wrote (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ width: fc.integer({ min: 1, max: 24 }), value: fc.integer({ min: 0, max: 2 ** 24 - 1 }) }), { maxLength: 60 }),
        (fields) => {
          const total = fields.reduce((a, f) => a + f.width, 0);
          const w = new BitWriter(total);
          for (const f of fields) w.write(f.value, f.width);
          const r = new BitReader(w.finish(), total);
          for (const f of fields) expect(r.read(f.width)).toBe(f.value % 2 ** f.width);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });
});

describe('unpackEntries', () => {
  it('decodes the documented example', () => {
    const v = new Int32Array(2), ix = new Int32Array(2);
    unpackEntries(Uint8Array.of(0xdd, 0x03), 14, 0, 2, 4, 3, v, ix);
    expect([...v]).toEqual([-3, 7]);
    expect([...ix]).toEqual([5, 0]);
  });

  it('equals field-by-field reads for every width and offset, near the end of the stream too', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 15 }), fc.uint8Array({ minLength: 1, maxLength: 200 }),
        (vb, ib, n, leadRaw, bytes) => {
          const eb = vb + ib;
          const bits = bytes.length * 8;
          const lead = Math.min(leadRaw, bits);
          const count = Math.max(0, Math.min(n, Math.floor((bits - lead) / eb)));
          const v = new Int32Array(count), ix = new Int32Array(count);
          unpackEntries(bytes, bits, lead, count, vb, ib, v, ix);
          for (let i = 0; i < count; i++) {
            expect(v[i]).toBe(readSignedBits(bytes, bits, lead + i * eb, vb));
            expect(ix[i]).toBe(readBits(bytes, bits, lead + i * eb + vb, ib));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a block that runs past the stream with the numbers', () => {
    expect(() => unpackEntries(new Uint8Array(2), 16, 4, 2, 4, 3, new Int32Array(2), new Int32Array(2))).toThrow(/need 14 bits at bit 4, stream has 16/);
  });
});

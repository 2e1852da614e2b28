import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitWriter } from '../../formats/bit-writer.js';
import { fieldBitsLsbFirst, packBits } from '../../formats/reference.js';

describe('BitWriter', () => {
  it('writes fields LSB first with no gaps and zero-pads the last byte', () => {
    // 0b101 (3 bits) then 0x1ff (9 bits): bits 1,0,1, 1×9 → byte 0 = 0b11111101 = 0xfd, byte 1 = 0b1111 = 0x0f.
    const w = new BitWriter(12);
    w.write(0b101, 3);
    w.write(0x1ff, 9);
    expect(Array.from(w.finish())).toEqual([0xfd, 0x0f]);
  });

  it('writes negative values as their low width bits (two\'s complement)', () => {
    const w = new BitWriter(8);
    w.write(-3, 4); // 1101
    w.write(-1, 4); // 1111
    expect(Array.from(w.finish())).toEqual([0xfd]);
  });

  it('accepts width-0 fields and writes nothing for them', () => {
    const w = new BitWriter(4);
    w.write(0xff, 0);
    w.write(0b1001, 4);
    w.write(0xff, 0);
    expect(w.bitLength).toBe(4);
    expect(Array.from(w.finish())).toEqual([0x09]);
  });

  it('skips zero bits in bulk, across byte boundaries', () => {
    // 1 (1 bit), skip 13, 0b11 (2 bits) → bit 0 and bits 14, 15 set → bytes 0x01, 0xc0.
    const w = new BitWriter(16);
    w.write(1, 1);
    w.skip(13);
    w.write(0b11, 2);
    expect(w.bitLength).toBe(16);
    expect(Array.from(w.finish())).toEqual([0x01, 0xc0]);
  });

  it('writes an entry as value then field, split when wider than one field', () => {
    const a = new BitWriter(40);
    a.writeEntry(-2, 16, 0xabcdef, 24); // 40 bits: two writes
    const b = new BitWriter(40);
    b.write(-2, 16);
    b.write(0xabcdef, 24);
    expect(Array.from(a.finish())).toEqual(Array.from(b.finish()));
  });

  it('throws when more bits are written than the counting pass sized', () => {
    const w = new BitWriter(7);
    w.write(0, 9);
    expect(() => w.finish()).toThrow(/counting pass/);
  });

  it('matches the reference bit packer for random field sequences (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ width: fc.integer({ min: 0, max: 24 }), value: fc.integer({ min: -(2 ** 23), max: 2 ** 24 - 1 }) }), { maxLength: 60 }),
        (fields) => {
          const bits: number[] = [];
          for (const { width, value } of fields) bits.push(...fieldBitsLsbFirst(((value % 2 ** width) + 2 ** width) % 2 ** width, width));
          const w = new BitWriter(bits.length);
          for (const { width, value } of fields) w.write(value, width);
          expect(Array.from(w.finish())).toEqual(Array.from(packBits(bits)));
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });
});

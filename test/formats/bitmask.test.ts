import { describe, expect, it } from 'vitest';
import { bitmaskCodec } from '../../formats/bitmask.js';
import { SMALL } from './fixtures.js';

const opts = { valueBits: 4, segmentRows: 4 };

describe('bitmask', () => {
  it('packs the 6×2 case into the hand-computed value and mask bytes', () => {
    // Values 3, -2 (0b1110 = 14), 7, 1 as nibbles → bytes 3 | 14<<4 = 0xE3, 7 | 1<<4 = 0x17.
    // Mask bits t = j·6 + k: 1,0,0,0,0,1 | 0,0,1,0,1,0 → byte 0 = 1 + 32 = 0x21, byte 1 = 1 + 4 = 0x05.
    const enc = bitmaskCodec.encode(SMALL, {}, opts);
    expect(Array.from(enc.stream)).toEqual([0xe3, 0x17]);
    expect(Array.from(enc.maskStream!)).toEqual([0x21, 0x05]);
    expect(Array.from(enc.segments.base)).toEqual([0, 2]);
    expect(Array.from(enc.segments.count)).toEqual([2, 2]);
    expect(enc.indexFieldBits).toBe(0);
  });

  it('accounts the 6×2 case by hand', () => {
    // values 4·4 = 16, mask 6·2 = 12, metadata 2 · 6 = 12 → 40.
    expect(bitmaskCodec.countBits(SMALL, {}, opts)).toEqual({
      valueBits: 16, indexBits: 12, paddingBits: 0, metadataBits: 12, totalBits: 40, denseBits: 48, compression: 48 / 40, segments: 2,
    });
  });

  it('starts a new segment every R nonzeros with base at its first entry', () => {
    const enc = bitmaskCodec.encode(SMALL, {}, { valueBits: 4, segmentRows: 1 });
    expect(Array.from(enc.segments.base)).toEqual([0, 5, 2, 4]);
    const rows = new Int32Array(1);
    const values = new Int32Array(1);
    bitmaskCodec.readSegment(enc, 1, rows, values);
    expect([rows[0], values[0]]).toEqual([5, -2]);
  });
});

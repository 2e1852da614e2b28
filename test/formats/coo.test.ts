import { describe, expect, it } from 'vitest';
import { cooCodec } from '../../formats/coo.js';
import { ConfigError, FormatError } from '../../errors.js';
import { SMALL } from './fixtures.js';

const opts = { valueBits: 4, segmentRows: 4 };

describe('coo', () => {
  it('packs the 6×2 case with coo:3 into the hand-computed bytes', () => {
    // Entries (value | local << 4), 7 bits each: (3,0)=3, (-2,5)=14+80=94, (7,0)=7, (1,2)=1+32=33.
    // Stream = 3 + 94·2^7 + 7·2^14 + 33·2^21 = 69332739 = 0x0421EF03 → bytes 03 EF 21 04 (28 bits).
    const enc = cooCodec.encode(SMALL, { indexBits: 3 }, opts);
    expect(enc.format).toBe('coo:3');
    expect(Array.from(enc.stream)).toEqual([0x03, 0xef, 0x21, 0x04]);
    expect(enc.streamBits).toBe(28);
    expect(Array.from(enc.segments.base)).toEqual([0, 2]);
    expect(Array.from(enc.segments.count)).toEqual([2, 2]);
    expect(Array.from(enc.segments.offset)).toEqual([0, 14]);
  });

  it('accounts the 6×2 case with coo:3 by hand', () => {
    // values 4·4 = 16, index 4·3 = 12, metadata 2 segments · (3 + 3) = 12 → 40 of 48 dense bits.
    expect(cooCodec.encode(SMALL, { indexBits: 3 }, opts).storage).toEqual({
      valueBits: 16, indexBits: 12, paddingBits: 0, metadataBits: 12, totalBits: 40, denseBits: 48, compression: 48 / 40, segments: 2,
    });
  });

  it('cuts a segment when r - base reaches 2^b_i', () => {
    // coo:2: column 0 rows 0 and 5 → 5 - 0 ≥ 4, so row 5 opens a second segment.
    const enc = cooCodec.encode(SMALL, { indexBits: 2 }, opts);
    expect(Array.from(enc.segments.col)).toEqual([0, 0, 1]);
    expect(Array.from(enc.segments.base)).toEqual([0, 5, 2]);
  });

  it('puts every entry in its own segment when b_i = 0', () => {
    const enc = cooCodec.encode(SMALL, { indexBits: 0 }, opts);
    expect(Array.from(enc.segments.base)).toEqual([0, 5, 2, 4]);
    expect(enc.storage.indexBits).toBe(0);
  });

  it('defaults b_i to ceil(log2 K)', () => {
    expect(cooCodec.parseParams([], 784)).toEqual({ indexBits: 10 });
    expect(cooCodec.parseParams([], 1)).toEqual({ indexBits: 0 });
  });

  it('rejects b_i above 24 with a ConfigError', () => {
    expect(() => cooCodec.parseParams(['25'], 6)).toThrow(ConfigError);
  });

  it('rejects a value outside [-Q, Q] naming its position and the width that would hold it', () => {
    const q = { rows: 2, cols: 1, data: Int16Array.of(0, -8) };
    expect(() => cooCodec.encode(q, { indexBits: 1 }, opts)).toThrow(
      /value -8 at row 1, column 0 does not fit 4-bit signed weights \[-7, 7\].*valueBits ≥ 5/,
    );
    expect(() => cooCodec.countBits(q, { indexBits: 1 }, opts)).toThrow(FormatError);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, FormatError } from '../../errors.js';
import { nmCodec } from '../../formats/n-m.js';
import { SMALL } from './fixtures.js';

const opts = { valueBits: 4, segmentRows: 4 };

describe('nm', () => {
  it('packs the 6×2 case with nm:1:2 (with padding) into the hand-computed bytes', () => {
    // Index field ceil(log2 2) = 1 bit → 5-bit entries (value | idx << 4).
    // Column 0 groups [3,0] [0,0] [0,-2] → (3,0)=3, pad 0, (-2,1)=14+16=30.
    // Column 1 groups [0,0] [7,0] [1,0] → pad 0, (7,0)=7, (1,0)=1.
    // Stream = 3 + 30·2^10 + 7·2^20 + 1·2^25 = 0x2707803 → bytes 03 78 70 02 (30 bits).
    const enc = nmCodec.encode(SMALL, { n: 1, m: 2 }, opts);
    expect(enc.format).toBe('nm:1:2');
    expect(Array.from(enc.stream)).toEqual([0x03, 0x78, 0x70, 0x02]);
    expect(enc.streamBits).toBe(30);
    expect(Array.from(enc.segments.count)).toEqual([3, 3]);
    expect(Array.from(enc.segments.offset)).toEqual([0, 15]);
  });

  it('accounts the 6×2 case with nm:1:2 by hand', () => {
    // values 4·4 = 16, index 4·1 = 4, 2 padding entries · 5 = 10, no metadata → 30.
    expect(nmCodec.countBits(SMALL, { n: 1, m: 2 }, opts)).toEqual({
      valueBits: 16, indexBits: 4, paddingBits: 10, metadataBits: 0, totalBits: 30, denseBits: 48, compression: 48 / 30, segments: 2,
    });
  });

  it('holds floor(R / N) whole groups per segment', () => {
    // R = 2, N = 1 → 2 groups per segment: 3 groups per column → segments at bases 0 and 4.
    const enc = nmCodec.encode(SMALL, { n: 1, m: 2 }, { valueBits: 4, segmentRows: 2 });
    expect(Array.from(enc.segments.base)).toEqual([0, 4, 0, 4]);
    expect(Array.from(enc.segments.count)).toEqual([2, 1, 2, 1]);
  });

  it('treats rows past K as zeros in a short last group', () => {
    // nm:1:4 over K = 6: groups rows 0..3 and 4..5 (short); column 0 has -2 at row 5 = index 1 of group 1.
    const enc = nmCodec.encode(SMALL, { n: 1, m: 4 }, opts);
    const rows = new Int32Array(4);
    const values = new Int32Array(4);
    expect(nmCodec.readSegment(enc, 0, rows, values)).toBe(2);
    expect(Array.from(rows.subarray(0, 2))).toEqual([0, 5]);
    expect(Array.from(values.subarray(0, 2))).toEqual([3, -2]);
  });

  it('rejects a group with more than N nonzeros in one line naming column, group and the prune fix', () => {
    const q = { rows: 4, cols: 2, data: Int16Array.of(1, 0, 0, 0, 0, 0, 2, 3) };
    let err: unknown;
    try {
      nmCodec.encode(q, { n: 1, m: 2 }, opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).code).toBe('NM_VIOLATION');
    expect((err as FormatError).message).toBe(
      'column 1 group 1 (rows 2..3) has 2 nonzeros, more than N = 1 of nm:1:2; prune first with --prune nm:1:2',
    );
    expect((err as FormatError).message).not.toContain('\n');
  });

  it('rejects N > m, m < 2 and R < N with ConfigErrors', () => {
    expect(() => nmCodec.parseParams(['3', '2'], 6)).toThrow(ConfigError);
    expect(() => nmCodec.parseParams(['1', '1'], 6)).toThrow(ConfigError);
    expect(() => nmCodec.parseParams(['0', '4'], 6)).toThrow(ConfigError);
    expect(() => nmCodec.encode(SMALL, { n: 2, m: 4 }, { valueBits: 4, segmentRows: 1 })).toThrow(/R\) ≥ N = 2/);
  });
});

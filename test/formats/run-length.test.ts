import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { runLengthCodec } from '../../formats/run-length.js';
import { SMALL } from './fixtures.js';

const opts = { valueBits: 4, segmentRows: 4 };

describe('rl', () => {
  it('packs the 6×2 case with rl:2 (one filler) into the hand-computed bytes', () => {
    // maxRun = 3. Column 0: (3, run 0) at row 0; row 5: gap 4 → f = 1 filler (0, 3) at row 4, then (-2, run 0).
    // Column 1: (7, 0) at row 2; row 4: gap 1 → (1, 1).
    // Entries (value | run << 4), 6 bits each: 3, 48, 14, 7, 17.
    // Stream = 3 + 48·2^6 + 14·2^12 + 7·2^18 + 17·2^24 = 0x111CEC03 → bytes 03 EC 1C 11 (30 bits).
    const enc = runLengthCodec.encode(SMALL, { runBits: 2 }, opts);
    expect(Array.from(enc.stream)).toEqual([0x03, 0xec, 0x1c, 0x11]);
    expect(enc.streamBits).toBe(30);
    expect(Array.from(enc.segments.base)).toEqual([0, 2]);
    expect(Array.from(enc.segments.count)).toEqual([3, 2]);
    expect(Array.from(enc.segments.offset)).toEqual([0, 18]);
  });

  it('accounts the 6×2 case with rl:2 by hand', () => {
    // values 4·4 = 16, runs 4·2 = 8, one filler · 6 = 6, metadata 2 · 6 = 12 → 42.
    expect(runLengthCodec.countBits(SMALL, { runBits: 2 }, opts)).toEqual({
      valueBits: 16, indexBits: 8, paddingBits: 6, metadataBits: 12, totalBits: 42, denseBits: 48, compression: 48 / 42, segments: 2,
    });
  });

  it('closes the segment instead of writing fillers that do not fit', () => {
    // R = 2: row 5 would need 1 filler + 1 entry after 1 entry → 3 > 2, so it opens a segment at base 5.
    const enc = runLengthCodec.encode(SMALL, { runBits: 2 }, { valueBits: 4, segmentRows: 2 });
    expect(Array.from(enc.segments.base)).toEqual([0, 5, 2]);
    expect(Array.from(enc.segments.count)).toEqual([1, 1, 2]);
    expect(enc.storage.paddingBits).toBe(0);
  });

  it('reports filler rows as -1 in readSegment', () => {
    const enc = runLengthCodec.encode(SMALL, { runBits: 2 }, opts);
    const rows = new Int32Array(4);
    const values = new Int32Array(4);
    expect(runLengthCodec.readSegment(enc, 0, rows, values)).toBe(3);
    expect(Array.from(rows.subarray(0, 3))).toEqual([0, -1, 5]);
    expect(Array.from(values.subarray(0, 3))).toEqual([3, 0, -2]);
  });

  it('defaults b_r to 4 and rejects b_r outside 1..16', () => {
    expect(runLengthCodec.parseParams([], 6)).toEqual({ runBits: 4 });
    expect(() => runLengthCodec.parseParams(['0'], 6)).toThrow(ConfigError);
    expect(() => runLengthCodec.parseParams(['17'], 6)).toThrow(ConfigError);
  });
});

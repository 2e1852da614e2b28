import { describe, expect, it } from 'vitest';
import { extractNonzeros } from '../../formats/csc.js';
import { denseCodec } from '../../formats/dense.js';
import { randomMatrix } from './helpers.js';
import { SMALL } from './fixtures.js';

const opts = { valueBits: 4, segmentRows: 4 };

describe('dense', () => {
  it('writes the same stream from the nonzeros as from the matrix, at every width 2..16 (property)', () => {
    for (let vb = 2; vb <= 16; vb++) {
      for (const [K, N, density, seed] of [[6, 2, 0.5, 1], [37, 5, 0.3, vb], [64, 3, 0.9, 7 * vb], [5, 7, 0, 3]] as const) {
        const q = randomMatrix(K, N, vb, density, seed);
        const o = { valueBits: vb, segmentRows: 8 };
        const a = denseCodec.encode(q, {}, o);
        const b = denseCodec.encode({ rows: K, cols: N, get data(): Int16Array { throw new Error('read'); } }, {}, { ...o, nonzeros: extractNonzeros(q, vb) });
        expect(Array.from(b.stream)).toEqual(Array.from(a.stream));
        expect([b.nnz, b.streamBits]).toEqual([a.nnz, a.streamBits]);
      }
    }
  });

  it('packs the 6×2 case into the hand-computed bytes', () => {
    // Nibbles column-major: 3,0 | 0,0 | 0,-2(14) | 0,0 | 7,0 | 1,0 → 0x03 0x00 0xE0 0x00 0x07 0x01.
    const enc = denseCodec.encode(SMALL, {}, opts);
    expect(Array.from(enc.stream)).toEqual([0x03, 0x00, 0xe0, 0x00, 0x07, 0x01]);
    expect(Array.from(enc.segments.base)).toEqual([0, 4, 0, 4]);
    expect(Array.from(enc.segments.count)).toEqual([4, 2, 4, 2]);
    expect(Array.from(enc.segments.offset)).toEqual([0, 16, 24, 40]);
    expect(enc.nnz).toBe(4);
  });

  it('accounts the 6×2 case by hand', () => {
    // every entry: 12 · 4 = 48 bits, no index or metadata; ceil(6/4) = 2 segments per column.
    expect(denseCodec.countBits(SMALL, {}, opts)).toEqual({
      valueBits: 48, indexBits: 0, paddingBits: 0, metadataBits: 0, totalBits: 48, denseBits: 48, compression: 1, segments: 4,
    });
  });

  it('writes int8 and int16 matrices byte for byte (the byte-aligned fast paths)', () => {
    const q = randomMatrix(5, 3, 8, 0.7, 1);
    expect(Array.from(denseCodec.encode(q, {}, { valueBits: 8, segmentRows: 2 }).stream)).toEqual(Array.from(new Uint8Array(Int8Array.from(q.data).buffer)));
    const q16 = randomMatrix(5, 3, 16, 0.7, 2);
    const bytes16 = new Uint8Array(q16.data.buffer.slice(0)); // little-endian host (x86/arm)
    expect(Array.from(denseCodec.encode(q16, {}, { valueBits: 16, segmentRows: 2 }).stream)).toEqual(Array.from(bytes16));
  });
});

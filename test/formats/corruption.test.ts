/**
 * Targeted corruptions of the hand-computed 6×2 encodings: each must be caught as a FormatError
 * (the seeded fuzz in contract.test.ts only shows nothing but ImcErrors escape; these show the
 * specific checks fire instead of a wrong matrix coming back).
 */
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../errors.js';
import { FORMATS } from '../../formats/registry.js';
import type { EncodedMatrix } from '../../formats/types.js';
import { SMALL } from './fixtures.js';

const opts = { valueBits: 4, segmentRows: 4 };

function withTable(enc: EncodedMatrix, edit: (t: { col: Uint32Array; base: Uint32Array; count: Uint32Array; offset: Float64Array }) => void): EncodedMatrix {
  const t = { length: enc.segments.length, col: enc.segments.col.slice(), base: enc.segments.base.slice(), count: enc.segments.count.slice(), offset: enc.segments.offset.slice() };
  edit(t);
  return { ...enc, segments: t };
}

function withStream(enc: EncodedMatrix, edit: (s: Uint8Array) => void): EncodedMatrix {
  const stream = enc.stream.slice();
  edit(stream);
  return { ...enc, stream };
}

function expectCorrupt(enc: EncodedMatrix, message: RegExp): void {
  const decode = (): unknown => FORMATS[enc.id].decode(enc);
  expect(decode).toThrow(FormatError);
  expect(decode).toThrow(message);
}

describe('decoders reject corrupt encodings', () => {
  const coo = FORMATS.coo.encode(SMALL, { indexBits: 3 }, opts);
  const rl = FORMATS.rl.encode(SMALL, { runBits: 2 }, opts);
  const nm = FORMATS.nm.encode(SMALL, { n: 1, m: 2 }, opts);
  const bitmask = FORMATS.bitmask.encode(SMALL, {}, opts);
  const dense = FORMATS.dense.encode(SMALL, {}, opts);

  it('rejects a segment count above R', () => {
    expectCorrupt(withTable(coo, (t) => (t.count[0] = 5)), /segment 0 has 5 entries \(must be 1\.\.4\)/);
  });

  it('rejects offsets that are not contiguous', () => {
    expectCorrupt(withTable(coo, (t) => (t.offset[1] = 13)), /segment 1 starts at bit 13, expected 14/);
  });

  it('rejects columns out of order', () => {
    expectCorrupt(withTable(coo, (t) => ((t.col[0] = 1), (t.col[1] = 0))), /column 0/);
  });

  it('rejects a coo entry that lands past row K-1', () => {
    // segment 1 (column 1) has local rows 0 and 2; base 4 puts the second at row 6 = K.
    expectCorrupt(withTable(coo, (t) => (t.base[1] = 4)), /row 6 \(K = 6/);
  });

  it('rejects an rl segment that runs past row K-1', () => {
    // column 1: (7, run 0), (1, run 1); base 5 puts the second entry at row 7.
    expectCorrupt(withTable(rl, (t) => (t.base[1] = 5)), /lands on row 7/);
  });

  it('rejects an rl filler whose run is not maxRun', () => {
    // the filler (0, 3) is entry 1: its run field is bits 10..11 of the stream (byte 1, bits 2..3).
    expectCorrupt(withStream(rl, (s) => (s[1]! &= ~0b1000)), /not a filler/);
  });

  it('rejects the value pattern -2^(b_w-1), which no quantized weight uses', () => {
    expectCorrupt(withStream(dense, (s) => (s[0] = 0x08)), /value -8/);
  });

  it('rejects an nm padding entry with a nonzero index', () => {
    // column 0's second entry is padding (0, 0) at bits 5..9; its index bit is bit 9 = byte 1, bit 1.
    expectCorrupt(withStream(nm, (s) => (s[1]! |= 0b10)), /padding entry with index 1/);
  });

  it('rejects an nm table that is not the regular one', () => {
    expectCorrupt(withTable(nm, (t) => (t.base[1] = 2)), /expected \(1, 0, 3\)/);
  });

  it('rejects a bitmask whose mask has more ones than the stream has values', () => {
    expectCorrupt({ ...bitmask, maskStream: Uint8Array.of(0x23, 0x05) }, /mask has 5 ones but the stream holds 4 values/);
  });

  it('rejects a bitmask segment whose base is not its first mask one', () => {
    expectCorrupt({ ...bitmask, maskStream: Uint8Array.of(0x22, 0x05) }, /base 0 but its first mask one is at row 1/);
  });

  it('rejects an index field width that disagrees with the format parameters', () => {
    expectCorrupt({ ...coo, params: { indexBits: 4 } }, /index field 3/);
  });
});

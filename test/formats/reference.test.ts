import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFormatSpec } from '../../formats/registry.js';
import { packBits, referenceEncode, referenceStreamBits, referenceTable, fieldBitsLsbFirst } from '../../formats/reference.js';
import { caseArb, caseMatrix } from './helpers.js';

describe('reference', () => {
  it('packs bits LSB first into zero-padded bytes', () => {
    // bits 1,0,1,1,0,0,0,0 | 1 → byte 0 = 1 + 4 + 8 = 13, byte 1 = 1
    expect(Array.from(packBits([1, 0, 1, 1, 0, 0, 0, 0, 1]))).toEqual([13, 1]);
  });

  it('writes negative fields in two\'s complement', () => {
    // -3 in 4 bits = 0b1101 → LSB first 1,0,1,1
    expect(fieldBitsLsbFirst(-3, 4)).toEqual([1, 0, 1, 1]);
  });
});

describe('fast codecs against the reference (property)', () => {
  it('produce the reference stream, mask, segment table and storage for random matrices', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const q = caseMatrix(c);
        const { codec, params } = parseFormatSpec(c.spec, c.K);
        const opts = { valueBits: c.valueBits, segmentRows: c.R };
        const enc = codec.encode(q, params, opts);
        const ref = referenceEncode(codec.id, params, q, c.valueBits, c.R);
        const bits = referenceStreamBits(ref, c.valueBits);
        expect(enc.streamBits).toBe(bits.length);
        expect(Array.from(enc.stream)).toEqual(Array.from(packBits(bits)));
        if (ref.maskBits) expect(Array.from(enc.maskStream!)).toEqual(Array.from(packBits(ref.maskBits)));
        const t = referenceTable(ref, c.valueBits);
        expect(enc.segments.length).toBe(t.col.length);
        expect(Array.from(enc.segments.col)).toEqual(t.col);
        expect(Array.from(enc.segments.base)).toEqual(t.base);
        expect(Array.from(enc.segments.count)).toEqual(t.count);
        expect(Array.from(enc.segments.offset)).toEqual(t.offset);
        expect(enc.storage).toEqual(ref.storage);
        expect(enc.segmentMetadataBits).toBe(ref.metadataBitsPerSegment);
      }),
      { numRuns: 400, seed: 20261127 },
    );
  });

  it('read back the reference entries segment by segment through readSegment', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const q = caseMatrix(c);
        const { codec, params } = parseFormatSpec(c.spec, c.K);
        const enc = codec.encode(q, params, { valueBits: c.valueBits, segmentRows: c.R });
        const ref = referenceEncode(codec.id, params, q, c.valueBits, c.R);
        const rows = new Int32Array(c.R);
        const values = new Int32Array(c.R);
        ref.segments.forEach((seg, s) => {
          const n = codec.readSegment(enc, s, rows, values);
          expect(n).toBe(seg.entries.length);
          expect(Array.from(rows.subarray(0, n))).toEqual(seg.entries.map((e) => e.row));
          expect(Array.from(values.subarray(0, n))).toEqual(seg.entries.map((e) => e.value));
        });
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('round-trip random matrices exactly and countBits equals encode().storage', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const q = caseMatrix(c);
        const { codec, params } = parseFormatSpec(c.spec, c.K);
        const opts = { valueBits: c.valueBits, segmentRows: c.R };
        const enc = codec.encode(q, params, opts);
        expect(Array.from(codec.decode(enc).data)).toEqual(Array.from(q.data));
        expect(codec.countBits(q, params, opts)).toEqual(enc.storage);
      }),
      { numRuns: 400, seed: 42 },
    );
  });
});

/**
 * One contract, every codec in the registry (the TensorFlow.js kernel-registry habit): a format
 * added to FORMATS without a spec here fails the first test.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, FormatError, ImcError } from '../../errors.js';
import { extractNonzeros } from '../../formats/csc.js';
import { FORMATS, parseFormatSpec } from '../../formats/registry.js';
import type { EncodedMatrix, FormatCodec, IntMatrix, SegmentTable } from '../../formats/types.js';
import { seededUniform, pruneNm, pruneNmLargest, randomMatrix, realMatrix } from './helpers.js';

/** The spec each format is exercised with. */
const SPECS: Record<string, string> = { dense: 'dense', bitmask: 'bitmask', coo: 'coo', rl: 'rl:3', nm: 'nm:2:4' };

/** Make `q` representable in `id` (nm needs N:m; the others take anything). */
function fit(id: string, q: IntMatrix): IntMatrix {
  return id === 'nm' ? pruneNm(q, 2, 4) : q;
}

const REAL = new URL('../../fixtures/data/mobilenetv1-conv6-pointwise.npy', import.meta.url).pathname;

describe('format registry contract', () => {
  it('has a contract spec for every registered codec', () => {
    expect(Object.keys(FORMATS).sort()).toEqual(Object.keys(SPECS).sort());
  });

  for (const [id, codec] of Object.entries(FORMATS) as [string, FormatCodec][]) {
    const spec = SPECS[id]!;
    describe(`${id} (${spec})`, () => {
      const K = 37;
      const opts = { valueBits: 5, segmentRows: 7 };
      const { params, canonical } = parseFormatSpec(spec, K);
      const encodeOf = (q: IntMatrix, o = opts): EncodedMatrix => codec.encode(q, params, o);

      it('declares its id and stamps the canonical spec on what it encodes', () => {
        const enc = encodeOf(fit(id, randomMatrix(K, 3, 5, 0.3, 1)));
        expect(codec.id).toBe(id);
        expect(enc.id).toBe(id);
        expect(enc.format).toBe(canonical);
        expect(enc.entryBits).toBe(enc.valueBits + enc.indexFieldBits);
      });

      it('round-trips seeded matrices of every sparsity bit-exactly', () => {
        for (const density of [0, 0.05, 0.3, 0.7, 1]) {
          for (const R of [1, 2, 7, 64]) {
            if (id === 'nm' && R < 2) continue;
            const q = fit(id, randomMatrix(K, 4, 5, density, Math.round(density * 100) + R));
            const enc = encodeOf(q, { valueBits: 5, segmentRows: R });
            expect(Array.from(codec.decode(enc).data)).toEqual(Array.from(q.data));
          }
        }
      });

      it('encodes identically from precomputed nonzeros, and checks they fit the value bits', () => {
        const q = fit(id, randomMatrix(K, 6, 5, 0.4, 8));
        const nonzeros = extractNonzeros(q, 16);
        const a = codec.encode(q, parseFormatSpec(spec, K).params, opts);
        const b = codec.encode(q, parseFormatSpec(spec, K).params, { ...opts, nonzeros });
        expect(Array.from(b.stream)).toEqual(Array.from(a.stream));
        expect(b.storage).toEqual(a.storage);
        expect(codec.countBits(q, parseFormatSpec(spec, K).params, { ...opts, nonzeros })).toEqual(a.storage);
        const wide = { rows: K, cols: 1, data: Int16Array.from({ length: K }, (_, k) => (k === 3 ? 100 : 0)) };
        expect(() => codec.encode(wide, parseFormatSpec(spec, K).params, { ...opts, nonzeros: extractNonzeros(wide, 16) })).toThrow(FormatError);
        // every format refuses a nonzero list of another matrix
        expect(() => codec.encode(q, parseFormatSpec(spec, K).params, { ...opts, nonzeros: extractNonzeros(wide, 16) })).toThrow(ImcError);
        // given the nonzeros, no format reads the dense matrix (prepareWeights makes it lazily): dense writes its zeros itself
        const shapeOnly = { rows: q.rows, cols: q.cols, get data(): Int16Array { throw new Error('q.data was read'); } };
        const fromNz = codec.encode(shapeOnly, parseFormatSpec(spec, K).params, { ...opts, nonzeros });
        expect(Array.from(fromNz.stream)).toEqual(Array.from(a.stream));
        expect(fromNz.nnz).toBe(a.nnz);
        expect(codec.countBits(shapeOnly, parseFormatSpec(spec, K).params, { ...opts, nonzeros })).toEqual(a.storage);
      });

      it('counts the same storage figures without building the stream', () => {
        const q = fit(id, randomMatrix(K, 6, 5, 0.4, 3));
        expect(codec.countBits(q, params, opts)).toEqual(encodeOf(q).storage);
      });

      it('accounts totalBits as stream + mask + segments × per-segment metadata', () => {
        const enc = encodeOf(fit(id, randomMatrix(K, 6, 5, 0.25, 4)));
        const s = enc.storage;
        const maskBits = enc.maskStream ? enc.rows * enc.cols : 0;
        expect(s.totalBits).toBe(enc.streamBits + maskBits + enc.segments.length * enc.segmentMetadataBits);
        expect(s.totalBits).toBe(s.valueBits + s.indexBits + s.paddingBits + s.metadataBits);
        expect(s.denseBits).toBe(enc.rows * enc.cols * enc.valueBits);
        expect(s.compression).toBe(s.denseBits / s.totalBits);
        expect(s.segments).toBe(enc.segments.length);
        expect(enc.stream.length).toBe(Math.ceil(enc.streamBits / 8));
      });

      it('reports compression = denseBits / totalBits, Infinity when nothing is stored', () => {
        const zero = { rows: K, cols: 3, data: new Int16Array(K * 3) };
        const s = codec.countBits(zero, params, opts);
        if (s.totalBits === 0) expect(s.compression).toBe(Infinity);
        else expect(s.compression).toBe(s.denseBits / s.totalBits);
        // Only the regular formats and the bitmask store anything for an all-zero matrix.
        expect(s.totalBits === 0).toBe(id === 'coo' || id === 'rl');
      });

      it('gives an all-zero column no segments unless the format is regular', () => {
        const q = fit(id, randomMatrix(K, 3, 5, 0.5, 5));
        const data = q.data.slice();
        data.fill(0, K, 2 * K); // column 1
        const enc = encodeOf({ rows: K, cols: 3, data });
        const inCol1 = Array.from(enc.segments.col).filter((c) => c === 1).length;
        if (id === 'dense' || id === 'nm') expect(inCol1).toBeGreaterThan(0);
        else expect(inCol1).toBe(0);
      });

      it('lays segments out contiguously with counts in 1..R', () => {
        const enc = encodeOf(fit(id, randomMatrix(K, 5, 5, 0.4, 6)));
        const t: SegmentTable = enc.segments;
        let offset = 0;
        for (let s = 0; s < t.length; s++) {
          expect(t.offset[s]).toBe(offset);
          expect(t.count[s]).toBeGreaterThanOrEqual(1);
          expect(t.count[s]).toBeLessThanOrEqual(opts.segmentRows);
          offset += t.count[s]! * enc.entryBits;
        }
        expect(offset).toBe(enc.streamBits);
      });

      it('rebuilds the matrix from readSegment entries (rows inside the segment span or -1)', () => {
        const q = fit(id, randomMatrix(K, 5, 5, 0.35, 7));
        const enc = encodeOf(q);
        const out = new Int16Array(q.data.length);
        const rows = new Int32Array(opts.segmentRows);
        const values = new Int32Array(opts.segmentRows);
        for (let s = 0; s < enc.segments.length; s++) {
          const n = codec.readSegment(enc, s, rows, values);
          expect(n).toBe(enc.segments.count[s]);
          for (let i = 0; i < n; i++) {
            if (rows[i] === -1) {
              expect(values[i]).toBe(0);
              continue;
            }
            expect(rows[i]).toBeGreaterThanOrEqual(enc.segments.base[s]!);
            expect(rows[i]).toBeLessThan(K);
            out[enc.segments.col[s]! * K + rows[i]!] += values[i]!;
          }
        }
        expect(Array.from(out)).toEqual(Array.from(q.data));
      });

      it('rejects a value outside [-Q, Q] with FormatError VALUE_OUT_OF_RANGE in encode and countBits', () => {
        const data = new Int16Array(K * 2);
        data[K + 3] = -16; // -2^(5-1): the asymmetric two's-complement minimum is not a 5-bit weight
        const q = { rows: K, cols: 2, data };
        for (const f of [() => encodeOf(q), () => codec.countBits(q, params, opts)]) {
          expect(f).toThrow(FormatError);
          expect(f).toThrow(/value -16 at row 3, column 1/);
        }
      });

      it('rejects valueBits outside 2..16 and R < 1 with ConfigError', () => {
        const q = fit(id, randomMatrix(K, 2, 5, 0.3, 8));
        for (const o of [{ valueBits: 1, segmentRows: 8 }, { valueBits: 17, segmentRows: 8 }, { valueBits: 8, segmentRows: 0 }, { valueBits: 8, segmentRows: 1.5 }]) {
          expect(() => codec.encode(q, params, o)).toThrow(ConfigError);
          expect(() => codec.countBits(q, params, o)).toThrow(ConfigError);
        }
      });

      it('turns every corruption of stream or table into an ImcError or a well-formed matrix (seeded fuzz)', () => {
        const rand = seededUniform(0xf022 + id.length);
        const pick = (n: number): number => Math.floor(rand() * n);
        const q = fit(id, randomMatrix(K, 4, 5, 0.3, 9));
        const good = encodeOf(q);
        let rejected = 0;
        for (let trial = 0; trial < 400; trial++) {
          const table = {
            length: good.segments.length,
            col: good.segments.col.slice(),
            base: good.segments.base.slice(),
            count: good.segments.count.slice(),
            offset: good.segments.offset.slice(),
          };
          const stream = good.stream.slice();
          const mask = good.maskStream?.slice();
          let streamBits = good.streamBits;
          let segments: SegmentTable = table;
          const s = pick(Math.max(1, table.length));
          const huge = [0, 1, 2 ** 31, 2 ** 32 - 1][pick(4)]!;
          switch (pick(9)) {
            case 0: stream[pick(stream.length)]! ^= 1 << pick(8); break;
            case 1: table.col[s] = rand() < 0.5 ? pick(8) : huge; break;
            case 2: table.base[s] = rand() < 0.5 ? pick(K + 4) : huge; break;
            case 3: table.count[s] = rand() < 0.5 ? pick(opts.segmentRows + 3) : huge; break;
            case 4: table.offset[s] = rand() < 0.5 ? table.offset[s]! + pick(11) - 5 : huge; break;
            case 5: streamBits += pick(17) - 8; break;
            case 6: if (mask) mask[pick(mask.length)]! ^= 1 << pick(8); else stream[pick(stream.length)] = pick(256); break;
            case 7: segments = { ...table, length: table.length + pick(5) - 2 }; break;
            default: for (let i = 0; i < 3; i++) stream[pick(stream.length)]! ^= 1 << pick(8);
          }
          const bad: EncodedMatrix = { ...good, stream, streamBits, segments, ...(mask ? { maskStream: mask } : {}) };
          try {
            const out = codec.decode(bad);
            expect(out.data.length).toBe(K * q.cols);
          } catch (e) {
            if (!(e instanceof ImcError)) throw e;
            expect(e.message).not.toContain('\n');
            rejected++;
          }
        }
        expect(rejected).toBeGreaterThan(0);
      });

      it('rejects a truncated stream with FormatError carrying the numbers', () => {
        const enc = encodeOf(fit(id, randomMatrix(K, 3, 5, 0.5, 10)));
        const bad = { ...enc, stream: enc.stream.subarray(0, enc.stream.length - 1) };
        expect(() => codec.decode(bad)).toThrow(FormatError);
        expect(() => codec.decode(bad)).toThrow(/stream claims \d+ bits but holds \d+ bytes/);
      });

      it('round-trips the real MobileNet conv6 pointwise layer (K = 256, N = 512, ~90 % zeros)', () => {
        const real = realMatrix(REAL);
        const nnz = real.data.reduce((a, v) => a + (v !== 0 ? 1 : 0), 0);
        expect([real.rows, real.cols]).toEqual([256, 512]);
        expect(nnz / real.data.length).toBeGreaterThan(0.08);
        expect(nnz / real.data.length).toBeLessThan(0.11);
        const q = id === 'nm' ? pruneNmLargest(real, 2, 4) : real;
        const o = { valueBits: 8, segmentRows: 64 };
        const p = parseFormatSpec(spec, q.rows).params;
        const enc = codec.encode(q, p, o);
        expect(Array.from(codec.decode(enc).data)).toEqual(Array.from(q.data));
        expect(codec.countBits(q, p, o)).toEqual(enc.storage);
      });
    });
  }
});

/**
 * `bitmask` — values of the nonzeros plus a K-bit occupancy mask per column (MODEL §4).
 *
 * Two streams, both LSB-first:
 *
 *     value stream: | value: b_w bits, two's complement | per nonzero, columns in order, rows in order
 *     mask stream:  bit t = j·K + k is 1 iff q[k, j] ≠ 0  (K·N bits, column-major, last byte zero-padded)
 *
 * e.g. K = 6, column 0 = [0, 3, 0, 0, -1, 0]: mask bits 0,1,0,0,1,0; values 3, -1.
 *
 * Segmenting: per column, at most R nonzeros per segment; base = row of the segment's first entry.
 * The entry's row is not stored: it is the position of the matching 1 in the mask (the hardware
 * routes inputs through a butterfly driven by the mask). Per-segment metadata: `b_base + b_count`.
 * Accounting: `indexBits` = the K·N mask bits; index field of an entry = 0 bits.
 */
import { BitWriter } from './bit-writer.js';
import { BitReader, readSignedBits } from './bit-reader.js';
import { nonzerosFor } from './csc.js';
import { makeEncoded } from './encoded.js';
import { allocSegmentTable, checkDecodedValue, checkEncoded, corrupt, type MutableSegmentTable } from './segment-table.js';
import { segmentMetadataBits } from './segment-meta.js';
import { checkArgCount } from './spec.js';
import { storageFigures } from './storage.js';
import type { CscMatrix, EncodeOptions, EncodedMatrix, FormatCodec, IntMatrix, StorageFigures } from './types.js';
import { checkMatrix, checkOptions } from './validate.js';

/** Segments: `ceil(nnz_j / R)` per column. */
function bitmaskSegments(nz: CscMatrix, R: number): number {
  let segments = 0;
  for (let j = 0; j < nz.cols; j++) segments += Math.ceil((nz.colPtr[j + 1]! - nz.colPtr[j]!) / R);
  return segments;
}

/**
 * The mask bits of every nonzero and the segment table (`ceil(nnz_j / R)` segments per column), in a
 * function of its own so that nothing follows its hot loop (see writeCoo in coo.ts).
 */
function fillMaskAndTable(nz: CscMatrix, R: number, vb: number, mask: Uint8Array, table: MutableSegmentTable): void {
  const { colPtr, rowIdx } = nz;
  const K = nz.rows;
  let s = 0;
  for (let j = 0, off = 0; j < nz.cols; j++, off += K) {
    const e = colPtr[j + 1]!;
    for (let p = colPtr[j]!; p < e; p++) {
      const t = off + rowIdx[p]!;
      mask[Math.floor(t / 8)]! |= 1 << (t & 7);
    }
    for (let p = colPtr[j]!; p < e; p += R, s++) {
      table.col[s] = j;
      table.base[s] = rowIdx[p]!;
      table.count[s] = Math.min(R, e - p);
      table.offset[s] = p * vb;
    }
  }
}

/** Write `values[0..n)` into `w`, `vb` bits each (a function of its own, as above). */
function writeValues(values: Int16Array, n: number, vb: number, w: BitWriter): void {
  for (let p = 0; p < n; p++) w.write(values[p]!, vb);
}

function bitmaskStorage(q: IntMatrix, opts: EncodeOptions, nnz: number, segments: number): StorageFigures {
  return storageFigures(
    nnz * opts.valueBits,
    q.rows * q.cols,
    0,
    segments * segmentMetadataBits(q.rows, opts.segmentRows),
    q.rows * q.cols * opts.valueBits,
    segments,
  );
}

function encode(q: IntMatrix, _params: Readonly<Record<string, number>>, opts: EncodeOptions): EncodedMatrix {
  checkMatrix(q, opts);
  checkOptions(opts);
  const nz = nonzerosFor(q, opts);
  const { nnz, values } = nz;
  const K = q.rows;
  const R = opts.segmentRows;
  const vb = opts.valueBits;
  const segments = bitmaskSegments(nz, R);
  const table = allocSegmentTable(segments);
  const mask = new Uint8Array(Math.ceil((K * q.cols) / 8));
  fillMaskAndTable(nz, R, vb, mask, table);
  // The value stream is the nonzero values back to back (entries are value-only).
  let stream: Uint8Array;
  if (vb === 8) {
    stream = new Uint8Array(nnz);
    stream.set(values.subarray(0, nnz)); // Uint8Array stores each value mod 256: its 8-bit two's complement
  } else {
    const w = new BitWriter(nnz * vb);
    writeValues(values, nnz, vb, w);
    stream = w.finish();
  }
  return makeEncoded(q, opts, {
    id: 'bitmask',
    params: {},
    indexFieldBits: 0,
    segmentMetadataBits: segmentMetadataBits(K, R),
    nnz,
    stream,
    streamBits: nnz * vb,
    maskStream: mask,
    segments: table,
    storage: bitmaskStorage(q, opts, nnz, segments),
  });
}

function countBits(q: IntMatrix, _params: Readonly<Record<string, number>>, opts: EncodeOptions): StorageFigures {
  checkMatrix(q, opts);
  checkOptions(opts);
  const nz = nonzerosFor(q, opts);
  return bitmaskStorage(q, opts, nz.nnz, bitmaskSegments(nz, opts.segmentRows));
}

/** Mask bit `t` (no bounds check: callers stay below K·N, which the decoder checked the mask holds). */
function maskBit(mask: Uint8Array, t: number): number {
  return (mask[Math.floor(t / 8)]! >> (t & 7)) & 1;
}

function checkMask(enc: EncodedMatrix): Uint8Array {
  const mask = enc.maskStream;
  const need = Math.ceil((enc.rows * enc.cols) / 8);
  if (!(mask instanceof Uint8Array) || mask.length < need) {
    throw corrupt(`bitmask needs a ${enc.rows * enc.cols}-bit mask stream (${need} bytes); got ${mask instanceof Uint8Array ? mask.length : 'none'}`);
  }
  return mask;
}

function decode(enc: EncodedMatrix): IntMatrix {
  checkEncoded(enc, 0);
  const mask = checkMask(enc);
  const K = enc.rows;
  const vb = enc.valueBits;
  const out = new Int16Array(K * enc.cols);
  const t = enc.segments;
  const r = new BitReader(enc.stream, enc.streamBits);
  let prevCol = -1;
  let row = -1; // row of the last entry decoded in this column
  for (let s = 0; s < t.length; s++) {
    const c = t.col[s]!;
    if (c !== prevCol) row = -1;
    const off = c * K;
    for (let i = 0, n = t.count[s]!; i < n; i++) {
      do row++;
      while (row < K && maskBit(mask, off + row) === 0);
      if (row >= K) throw corrupt(`segment ${s} needs ${n} entries but column ${c}'s mask runs out of ones`);
      if (i === 0 && row !== t.base[s]) throw corrupt(`segment ${s} has base ${t.base[s]} but its first mask one is at row ${row}`);
      const v = r.readSigned(vb);
      checkDecodedValue(v, vb, s);
      if (v === 0) throw corrupt(`segment ${s} entry ${i} stores a zero`);
      out[off + row] = v;
    }
    prevCol = c;
  }
  // Every mask one must have been consumed: count them against the entries placed.
  let ones = 0;
  const maskBits = K * enc.cols;
  for (let i = 0; i < mask.length; i++) {
    let b = mask[i]!;
    if (i * 8 + 8 > maskBits) b &= (1 << (maskBits - i * 8)) - 1;
    while (b !== 0) {
      b &= b - 1;
      ones++;
    }
  }
  const entries = enc.streamBits / vb;
  if (ones !== entries) throw corrupt(`mask has ${ones} ones but the stream holds ${entries} values`);
  return { rows: K, cols: enc.cols, data: out };
}

function readSegment(enc: EncodedMatrix, s: number, rowsOut: Int32Array, valuesOut: Int32Array): number {
  const t = enc.segments;
  const vb = enc.valueBits;
  const K = enc.rows;
  const stream = enc.stream;
  const bits = enc.streamBits;
  const mask = enc.maskStream!;
  const off = t.col[s]! * K;
  const n = t.count[s]!;
  let pos = t.offset[s]!;
  let row = t.base[s]!;
  for (let i = 0; i < n; i++) {
    while (row < K && maskBit(mask, off + row) === 0) row++;
    if (row >= K) throw corrupt(`segment ${s} needs ${n} entries but column ${t.col[s]}'s mask runs out of ones`);
    rowsOut[i] = row++;
    valuesOut[i] = readSignedBits(stream, bits, pos, vb);
    pos += vb;
  }
  return n;
}

/** The bitmask codec (registry entry `bitmask`, no params). */
export const bitmaskCodec: FormatCodec = {
  id: 'bitmask',
  synopsis: 'bitmask — nonzero values + a K-bit mask per column (second stream)',
  parseParams(args) {
    checkArgCount('bitmask', 'bitmask', args, 0, 0);
    return {};
  },
  encode,
  countBits,
  decode,
  readSegment,
};

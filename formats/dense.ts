/**
 * `dense` — every entry, zeros included (MODEL §4). The baseline every compression is measured against.
 *
 * Bit layout of one entry (stream bits, LSB first):
 *
 *     | value: b_w bits, two's complement |
 *
 * The stream is the matrix in column-major order, `b_w` bits per element; at `b_w = 8` it is byte
 * for byte the int8 matrix. e.g. b_w = 4, column [3, -1] → bits 1100 1111 → byte 0xf3.
 *
 * Segmenting: rows `[s·R, s·R + R)` of every column (the last may be short); base = `s·R`;
 * no per-segment metadata. All-zero columns still have their segments (the format is regular).
 */
import { BitWriter } from './bit-writer.js';
import { BitReader, readSignedBits } from './bit-reader.js';
import { makeEncoded } from './encoded.js';
import { allocSegmentTable, checkDecodedValue, checkEncoded, corrupt, type MutableSegmentTable } from './segment-table.js';
import { checkArgCount } from './spec.js';
import { storageFigures } from './storage.js';
import type { CscMatrix, EncodedMatrix, EncodeOptions, FormatCodec, IntMatrix, StorageFigures } from './types.js';
import { checkMatrix, checkOptions } from './validate.js';
import { countNonzeros, nonzerosFor } from './csc.js';

function denseStorage(q: IntMatrix, opts: EncodeOptions): StorageFigures {
  const bits = q.rows * q.cols * opts.valueBits;
  return storageFigures(bits, 0, 0, 0, bits, q.cols * Math.ceil(q.rows / opts.segmentRows));
}

/** Every value of `d`, `vb` bits each, as a packed LSB-first stream. */
function packDense(d: Int16Array, vb: number): Uint8Array {
  const total = d.length;
  if (vb === 8) {
    // Byte-aligned: the low byte of each value is its 8-bit two's complement (Uint8Array stores mod 256).
    const stream = new Uint8Array(total);
    stream.set(d);
    return stream;
  }
  if (vb === 16) return packDense16(d);
  const w = new BitWriter(total * vb);
  writeAll(d, vb, w);
  return w.finish();
}

// The loops below are functions of their own so that nothing follows a hot loop (see writeCoo in coo.ts).

/** 16-bit values as little-endian byte pairs. */
function packDense16(d: Int16Array): Uint8Array {
  const stream = new Uint8Array(d.length * 2);
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    stream[2 * i] = v;
    stream[2 * i + 1] = v >> 8;
  }
  return stream;
}

function writeAll(d: Int16Array, vb: number, w: BitWriter): void {
  for (let i = 0; i < d.length; i++) w.write(d[i]!, vb);
}

/** Segment s = (column j, block b) holds rows `[b·R, min(K, b·R + R))` of column j. */
/**
 * The dense stream from the matrix's nonzeros: a zeroed stream (a zero entry is all-zero bits) with
 * each nonzero's `vb` bits written at bit `(j·K + r)·vb`, LSB first — the same bytes as
 * {@link packDense} of the matrix, without reading (or building) the dense matrix.
 */
function packDenseNonzeros(nz: CscMatrix, vb: number): Uint8Array {
  const K = nz.rows, N = nz.cols, { colPtr, rowIdx, values } = nz;
  const stream = new Uint8Array(Math.ceil((K * N * vb) / 8));
  const mask = (1 << vb) - 1;
  for (let j = 0; j < N; j++) {
    for (let p = colPtr[j]!, e = colPtr[j + 1]!; p < e; p++) {
      const t = (j * K + rowIdx[p]!) * vb; // < 2^53: K·N·vb bits fit the stream
      const byte = Math.floor(t / 8), shift = t - byte * 8;
      const bits = (values[p]! & mask) << shift; // ≤ 16 + 7 bits: spans at most three bytes
      stream[byte] |= bits;
      if (shift + vb > 8) stream[byte + 1] |= bits >>> 8;
      if (shift + vb > 16) stream[byte + 2] |= bits >>> 16;
    }
  }
  return stream;
}

function fillDenseTable(K: number, N: number, R: number, vb: number, table: MutableSegmentTable): void {
  const perCol = Math.ceil(K / R);
  for (let j = 0, s = 0; j < N; j++) {
    for (let b = 0; b < perCol; b++, s++) {
      table.col[s] = j;
      table.base[s] = b * R;
      table.count[s] = Math.min(R, K - b * R);
      table.offset[s] = (j * K + b * R) * vb;
    }
  }
}

function encode(q: IntMatrix, _params: Readonly<Record<string, number>>, opts: EncodeOptions): EncodedMatrix {
  checkMatrix(q, opts);
  checkOptions(opts);
  const K = q.rows;
  const R = opts.segmentRows;
  const vb = opts.valueBits;
  const total = K * q.cols;
  let nnz: number, stream: Uint8Array;
  if (opts.nonzeros !== undefined) {
    // From the nonzeros (checked against the shape and, zeros being in range, the value range).
    const nz = nonzerosFor(q, opts);
    nnz = nz.nnz;
    stream = packDenseNonzeros(nz, vb);
  } else {
    nnz = countNonzeros(q, vb); // also checks the value range
    stream = packDense(q.data, vb);
  }
  const table = allocSegmentTable(q.cols * Math.ceil(K / R));
  fillDenseTable(K, q.cols, R, vb, table);
  return makeEncoded(q, opts, {
    id: 'dense',
    params: {},
    indexFieldBits: 0,
    segmentMetadataBits: 0,
    nnz,
    stream,
    streamBits: total * vb,
    segments: table,
    storage: denseStorage(q, opts),
  });
}

function countBits(q: IntMatrix, _params: Readonly<Record<string, number>>, opts: EncodeOptions): StorageFigures {
  checkMatrix(q, opts);
  checkOptions(opts);
  if (opts.nonzeros !== undefined) nonzerosFor(q, opts); // for its value-range check
  else countNonzeros(q, opts.valueBits);
  return denseStorage(q, opts);
}

/** Throw unless the table is exactly the regular dense table of `enc`'s shape. */
function checkRegularTable(enc: EncodedMatrix): void {
  const K = enc.rows;
  const R = enc.segmentRows;
  const perCol = Math.ceil(K / R);
  const t = enc.segments;
  if (t.length !== enc.cols * perCol) throw corrupt(`dense table has ${t.length} segments, expected ${enc.cols * perCol}`);
  for (let s = 0; s < t.length; s++) {
    const j = Math.floor(s / perCol);
    const b = (s - j * perCol) * R;
    if (t.col[s] !== j || t.base[s] !== b || t.count[s] !== Math.min(R, K - b)) {
      throw corrupt(`dense segment ${s} is (column ${t.col[s]}, base ${t.base[s]}, ${t.count[s]} entries), expected (${j}, ${b}, ${Math.min(R, K - b)})`);
    }
  }
}

function decode(enc: EncodedMatrix): IntMatrix {
  checkEncoded(enc, 0);
  checkRegularTable(enc);
  const vb = enc.valueBits;
  const out = new Int16Array(enc.rows * enc.cols);
  const r = new BitReader(enc.stream, enc.streamBits);
  const K = enc.rows;
  const perCol = Math.ceil(K / enc.segmentRows);
  for (let i = 0; i < out.length; i++) {
    const v = r.readSigned(vb);
    if (v === -(2 ** (vb - 1))) {
      const j = Math.floor(i / K);
      checkDecodedValue(v, vb, j * perCol + Math.floor((i - j * K) / enc.segmentRows));
    }
    out[i] = v;
  }
  return { rows: enc.rows, cols: enc.cols, data: out };
}

function readSegment(enc: EncodedMatrix, s: number, rowsOut: Int32Array, valuesOut: Int32Array): number {
  const t = enc.segments;
  const vb = enc.valueBits;
  const stream = enc.stream;
  const bits = enc.streamBits;
  const base = t.base[s]!;
  const n = t.count[s]!;
  let pos = t.offset[s]!;
  for (let i = 0; i < n; i++) {
    rowsOut[i] = base + i;
    valuesOut[i] = readSignedBits(stream, bits, pos, vb);
    pos += vb;
  }
  return n;
}

/** The dense codec (registry entry `dense`, no params). */
export const denseCodec: FormatCodec = {
  id: 'dense',
  synopsis: 'dense — every value, b_w bits each, rows [s·R, s·R+R) per segment',
  parseParams(args) {
    checkArgCount('dense', 'dense', args, 0, 0);
    return {};
  },
  encode,
  countBits,
  decode,
  readSegment,
};

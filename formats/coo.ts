/**
 * `coo[:b_i]` — coordinate format (MODEL §4). Default `b_i = ceil(log2 K)`.
 *
 * Bit layout of one entry (stream bits, LSB first, `b_w` = valueBits):
 *
 *     | value: b_w bits, two's complement | local row r - base: b_i bits, unsigned |
 *       bit 0                     b_w - 1   bit b_w                     b_w + b_i - 1
 *
 * e.g. b_w = 4, b_i = 3, value -3 (0b1101) at local row 5 (0b101) → stream bits 1,0,1,1, 1,0,1.
 *
 * Segmenting: per column, nonzeros in row order; a new segment starts when the current one holds R
 * entries or when `r - base ≥ 2^b_i`; `base` = row of the segment's first entry. Per-segment
 * metadata (kept in the table, counted in storage): `b_base + b_count` bits.
 * `b_i = 0` is legal: every entry is then its own segment.
 */
import { BitWriter } from './bit-writer.js';
import { BitReader } from './bit-reader.js';
import { nonzerosFor } from './csc.js';
import { makeEncoded } from './encoded.js';
import { allocSegmentTable, checkDecodedValue, checkEncoded, corrupt, type MutableSegmentTable, unpackSegment } from './segment-table.js';
import { ceilLog2, segmentMetadataBits } from './segment-meta.js';
import { checkArgCount, checkIntParam, parseIntParam } from './spec.js';
import { storageFigures } from './storage.js';
import type { CscMatrix, EncodeOptions, EncodedMatrix, FormatCodec, IntMatrix, StorageFigures } from './types.js';
import { checkMatrix, checkOptions } from './validate.js';

/** Widest local-row field (the bit writer's field limit). */
export const COO_MAX_INDEX_BITS = 24;

function indexBitsOf(params: Readonly<Record<string, number>>): number {
  const b = params['indexBits'];
  checkIntParam('coo', 'b_i (indexBits)', b, 0, COO_MAX_INDEX_BITS);
  return b as number;
}

/** Counting pass over the nonzeros: segments, cut exactly as the writer cuts them. */
function cooSegments(nz: CscMatrix, indexBits: number, R: number): number {
  const { colPtr, rowIdx } = nz;
  const span = 2 ** indexBits;
  let segments = 0;
  for (let j = 0; j < nz.cols; j++) {
    let n = 0;
    let base = 0;
    for (let p = colPtr[j]!, e = colPtr[j + 1]!; p < e; p++) {
      const k = rowIdx[p]!;
      if (n === 0 || n === R || k - base >= span) {
        segments++;
        base = k;
        n = 0;
      }
      n++;
    }
  }
  return segments;
}

/**
 * Writing pass: every entry into `w` and every segment into `table`, cut as {@link cooSegments} cuts.
 * A function of its own so that nothing follows its hot loop: V8 compiles such loops on-stack, and
 * code after the loop that has not run yet would de-optimise that compiled loop on every call.
 */
function writeCoo(nz: CscMatrix, R: number, ib: number, vb: number, w: BitWriter, table: MutableSegmentTable): void {
  const { colPtr, rowIdx, values } = nz;
  const entryBits = vb + ib;
  const span = 2 ** ib;
  const tCol = table.col;
  const tBase = table.base;
  const tCount = table.count;
  const tOff = table.offset;
  let s = -1;
  for (let j = 0; j < nz.cols; j++) {
    let n = 0;
    let base = 0;
    for (let p = colPtr[j]!, e = colPtr[j + 1]!; p < e; p++) {
      const k = rowIdx[p]!;
      if (n === 0 || n === R || k - base >= span) {
        if (n > 0) tCount[s] = n;
        s++;
        tCol[s] = j;
        tBase[s] = k;
        tOff[s] = p * entryBits;
        base = k;
        n = 0;
      }
      w.writeEntry(values[p]!, vb, k - base, ib);
      n++;
    }
    if (n > 0) tCount[s] = n;
  }
}

function cooStorage(q: IntMatrix, indexBits: number, opts: EncodeOptions, nnz: number, segments: number): StorageFigures {
  return storageFigures(
    nnz * opts.valueBits,
    nnz * indexBits,
    0,
    segments * segmentMetadataBits(q.rows, opts.segmentRows),
    q.rows * q.cols * opts.valueBits,
    segments,
  );
}

function encode(q: IntMatrix, params: Readonly<Record<string, number>>, opts: EncodeOptions): EncodedMatrix {
  checkMatrix(q, opts);
  checkOptions(opts);
  const ib = indexBitsOf(params);
  const nz = nonzerosFor(q, opts);
  const R = opts.segmentRows;
  const segments = cooSegments(nz, ib, R);
  const nnz = nz.nnz;
  const vb = opts.valueBits;
  const entryBits = vb + ib;
  const w = new BitWriter(nnz * entryBits);
  const table = allocSegmentTable(segments);
  writeCoo(nz, R, ib, vb, w, table);
  return makeEncoded(q, opts, {
    id: 'coo',
    params: { indexBits: ib },
    indexFieldBits: ib,
    segmentMetadataBits: segmentMetadataBits(q.rows, R),
    nnz,
    stream: w.finish(),
    streamBits: nnz * entryBits,
    segments: table,
    storage: cooStorage(q, ib, opts, nnz, segments),
  });
}

function countBits(q: IntMatrix, params: Readonly<Record<string, number>>, opts: EncodeOptions): StorageFigures {
  checkMatrix(q, opts);
  checkOptions(opts);
  const ib = indexBitsOf(params);
  const nz = nonzerosFor(q, opts);
  return cooStorage(q, ib, opts, nz.nnz, cooSegments(nz, ib, opts.segmentRows));
}

function decode(enc: EncodedMatrix): IntMatrix {
  const ib = indexBitsOf(enc.params);
  checkEncoded(enc, ib);
  const K = enc.rows;
  const vb = enc.valueBits;
  const out = new Int16Array(K * enc.cols);
  const t = enc.segments;
  const r = new BitReader(enc.stream, enc.streamBits);
  let prevCol = -1;
  let last = -1;
  for (let s = 0; s < t.length; s++) {
    const c = t.col[s]!;
    const base = t.base[s]!;
    if (c !== prevCol) last = -1;
    if (base <= last) throw corrupt(`segment ${s} starts at row ${base}, not after row ${last} of the previous segment`);
    for (let i = 0, n = t.count[s]!; i < n; i++) {
      const v = r.readSigned(vb);
      const loc = r.read(ib);
      checkDecodedValue(v, vb, s);
      if (v === 0) throw corrupt(`segment ${s} entry ${i} stores a zero`);
      if (i === 0 && loc !== 0) throw corrupt(`segment ${s} first entry at local row ${loc}, not at its base`);
      const row = base + loc;
      if (row >= K || row <= last) throw corrupt(`segment ${s} entry ${i} at row ${row} (K = ${K}, previous row ${last})`);
      out[c * K + row] = v;
      last = row;
    }
    prevCol = c;
  }
  return { rows: K, cols: enc.cols, data: out };
}


function readSegment(enc: EncodedMatrix, s: number, rowsOut: Int32Array, valuesOut: Int32Array): number {
  const n = unpackSegment(enc, s, valuesOut, rowsOut); // rowsOut holds the local rows
  const base = enc.segments.base[s]!;
  for (let i = 0; i < n; i++) rowsOut[i] += base;
  return n;
}

/** The coo codec (registry entry `coo`). Params: `{ indexBits }` (b_i, 0..24, default `ceil(log2 K)`). */
export const cooCodec: FormatCodec = {
  id: 'coo',
  synopsis: 'coo[:b_i] — value + b_i-bit local row (default ceil(log2 K)); new segment when full or r - base ≥ 2^b_i',
  parseParams(args, rows) {
    checkArgCount('coo', 'coo[:b_i]', args, 0, 1);
    const indexBits = args.length === 0 ? ceilLog2(rows) : parseIntParam('coo', 'b_i', args[0]!, 0, COO_MAX_INDEX_BITS);
    if (indexBits > COO_MAX_INDEX_BITS) checkIntParam('coo', 'b_i (ceil(log2 K))', indexBits, 0, COO_MAX_INDEX_BITS);
    return { indexBits };
  },
  encode,
  countBits,
  decode,
  readSegment,
};

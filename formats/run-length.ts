/**
 * `rl[:b_r]` — run-length format (MODEL §4). Default `b_r = 4`, `maxRun = 2^b_r - 1`.
 *
 * Bit layout of one entry (stream bits, LSB first, `b_w` = valueBits):
 *
 *     | value: b_w bits, two's complement | run: b_r bits, unsigned |
 *       bit 0                     b_w - 1   bit b_w      b_w + b_r - 1
 *
 * `run` = zeros since the previous entry of the segment (the first entry has run 0: it sits at the
 * base). A gap longer than `maxRun` is bridged by filler entries `(value 0, run maxRun)`: each covers
 * `maxRun` zeros plus its own (zero) row. For a nonzero at row r with `gap = r - last - 1`,
 * `f = floor(gap / (maxRun + 1))` fillers then the entry with `run = gap - f·(maxRun + 1)`.
 * If `entries + f + 1 > R` the segment closes and a new one opens at base r (no fillers).
 *
 * e.g. b_w = 4, b_r = 2 (maxRun 3), nonzeros 5 at row 0 and -2 at row 6: gap 5 → f = 1 filler
 * (0, 3) then (-2, 1); entries (5,0) (0,3) (-2,1) → bits 1010 00 | 0000 11 | 0111 10.
 * Per-segment metadata (table): `b_base + b_count` bits.
 */
import { BitWriter } from './bit-writer.js';
import { BitReader } from './bit-reader.js';
import { nonzerosFor } from './csc.js';
import { makeEncoded } from './encoded.js';
import { allocSegmentTable, checkDecodedValue, checkEncoded, corrupt, type MutableSegmentTable, unpackSegment } from './segment-table.js';
import { segmentMetadataBits } from './segment-meta.js';
import { checkArgCount, checkIntParam, parseIntParam } from './spec.js';
import { storageFigures } from './storage.js';
import type { CscMatrix, EncodeOptions, EncodedMatrix, FormatCodec, IntMatrix, StorageFigures } from './types.js';
import { checkMatrix, checkOptions } from './validate.js';

/** Default run field width (MODEL §4). */
export const RL_DEFAULT_RUN_BITS = 4;
/** Widest run field accepted. */
export const RL_MAX_RUN_BITS = 16;

function runBitsOf(params: Readonly<Record<string, number>>): number {
  const b = params['runBits'];
  checkIntParam('rl', 'b_r (runBits)', b, 1, RL_MAX_RUN_BITS);
  return b as number;
}

interface RlCounts {
  nnz: number;
  fillers: number;
  segments: number;
}

/** Counting pass over the nonzeros: fillers and segments, cut exactly as the writer cuts them. */
function rlCount(nz: CscMatrix, runBits: number, R: number): RlCounts {
  const { nnz, colPtr, rowIdx } = nz; // nnz read before the loop: see writeCoo in coo.ts for why
  let fillers = 0;
  let segments = 0;
  for (let j = 0; j < nz.cols; j++) {
    let n = 0;
    let last = 0;
    for (let p = colPtr[j]!, e = colPtr[j + 1]!; p < e; p++) {
      const k = rowIdx[p]!;
      if (n === 0) {
        segments++;
        n = 1;
      } else {
        const f = (k - last - 1) >>> runBits; // floor(gap / (maxRun + 1)), maxRun + 1 = 2^b_r
        if (n + f + 1 > R) {
          segments++;
          n = 1;
        } else {
          fillers += f;
          n += f + 1;
        }
      }
      last = k;
    }
  }
  return { nnz, fillers, segments };
}

/**
 * Writing pass: every entry (fillers included) into `w` and every segment into `table`, cut as
 * {@link rlCount} cuts. A separate function so that nothing follows its hot loop (see writeCoo in coo.ts).
 */
function writeRl(nz: CscMatrix, R: number, rb: number, vb: number, w: BitWriter, table: MutableSegmentTable): void {
  const { colPtr, rowIdx, values } = nz;
  const entryBits = vb + rb;
  const maxRun = (1 << rb) - 1;
  const tCol = table.col;
  const tBase = table.base;
  const tCount = table.count;
  const tOff = table.offset;
  let s = -1;
  let written = 0;
  for (let j = 0; j < nz.cols; j++) {
    let n = 0;
    let last = 0;
    for (let p = colPtr[j]!, e = colPtr[j + 1]!; p < e; p++) {
      const k = rowIdx[p]!;
      let run = 0;
      let open = n === 0;
      if (!open) {
        const gap = k - last - 1;
        const f = gap >>> rb; // floor(gap / (maxRun + 1))
        if (n + f + 1 > R) {
          open = true;
        } else {
          for (let i = 0; i < f; i++) w.writeEntry(0, vb, maxRun, rb);
          run = gap & maxRun; // gap - f·(maxRun + 1)
          n += f;
          written += f;
        }
      }
      if (open) {
        if (n > 0) tCount[s] = n;
        s++;
        tCol[s] = j;
        tBase[s] = k;
        tOff[s] = written * entryBits;
        n = 0;
      }
      w.writeEntry(values[p]!, vb, run, rb);
      n++;
      written++;
      last = k;
    }
    if (n > 0) tCount[s] = n;
  }
}

function rlStorage(q: IntMatrix, runBits: number, opts: EncodeOptions, c: RlCounts): StorageFigures {
  return storageFigures(
    c.nnz * opts.valueBits,
    c.nnz * runBits,
    c.fillers * (opts.valueBits + runBits),
    c.segments * segmentMetadataBits(q.rows, opts.segmentRows),
    q.rows * q.cols * opts.valueBits,
    c.segments,
  );
}

function encode(q: IntMatrix, params: Readonly<Record<string, number>>, opts: EncodeOptions): EncodedMatrix {
  checkMatrix(q, opts);
  checkOptions(opts);
  const rb = runBitsOf(params);
  const nz = nonzerosFor(q, opts);
  const R = opts.segmentRows;
  const counts = rlCount(nz, rb, R);
  const vb = opts.valueBits;
  const entryBits = vb + rb;
  const physical = counts.nnz + counts.fillers;
  const w = new BitWriter(physical * entryBits);
  const table = allocSegmentTable(counts.segments);
  writeRl(nz, R, rb, vb, w, table);
  return makeEncoded(q, opts, {
    id: 'rl',
    params: { runBits: rb },
    indexFieldBits: rb,
    segmentMetadataBits: segmentMetadataBits(q.rows, R),
    nnz: counts.nnz,
    stream: w.finish(),
    streamBits: physical * entryBits,
    segments: table,
    storage: rlStorage(q, rb, opts, counts),
  });
}

function countBits(q: IntMatrix, params: Readonly<Record<string, number>>, opts: EncodeOptions): StorageFigures {
  checkMatrix(q, opts);
  checkOptions(opts);
  const rb = runBitsOf(params);
  return rlStorage(q, rb, opts, rlCount(nonzerosFor(q, opts), rb, opts.segmentRows));
}

function decode(enc: EncodedMatrix): IntMatrix {
  const rb = runBitsOf(enc.params);
  checkEncoded(enc, rb);
  const maxRun = 2 ** rb - 1;
  const K = enc.rows;
  const vb = enc.valueBits;
  const out = new Int16Array(K * enc.cols);
  const t = enc.segments;
  const r = new BitReader(enc.stream, enc.streamBits);
  let prevCol = -1;
  let last = -1; // last row written in this column
  for (let s = 0; s < t.length; s++) {
    const c = t.col[s]!;
    const base = t.base[s]!;
    if (c !== prevCol) last = -1;
    if (base <= last) throw corrupt(`segment ${s} starts at row ${base}, not after row ${last} of the previous segment`);
    let row = base - 1;
    const n = t.count[s]!;
    for (let i = 0; i < n; i++) {
      const v = r.readSigned(vb);
      const run = r.read(rb);
      checkDecodedValue(v, vb, s);
      if (i === 0 && (run !== 0 || v === 0)) throw corrupt(`segment ${s} does not open with a nonzero at its base`);
      if (v === 0 && (run !== maxRun || i === n - 1)) throw corrupt(`segment ${s} entry ${i} is a zero that is not a filler (0, ${maxRun}) followed by an entry`);
      row += run + 1;
      if (row >= K) throw corrupt(`segment ${s} entry ${i} lands on row ${row} (K = ${K})`);
      if (v !== 0) out[c * K + row] = v;
    }
    last = row;
    prevCol = c;
  }
  return { rows: K, cols: enc.cols, data: out };
}

function readSegment(enc: EncodedMatrix, s: number, rowsOut: Int32Array, valuesOut: Int32Array): number {
  const n = unpackSegment(enc, s, valuesOut, rowsOut); // rowsOut holds the runs
  // prefix sum of the runs: row = previous row + run + 1 (fillers hold value 0 and no row)
  let row = enc.segments.base[s]! - 1;
  for (let i = 0; i < n; i++) {
    row += rowsOut[i]! + 1;
    rowsOut[i] = valuesOut[i] === 0 ? -1 : row;
  }
  return n;
}

/** The run-length codec (registry entry `rl`). Params: `{ runBits }` (b_r, 1..16, default 4). */
export const runLengthCodec: FormatCodec = {
  id: 'rl',
  synopsis: 'rl[:b_r] — value + b_r-bit run of zeros (default 4); filler entries (0, 2^b_r - 1) bridge long gaps',
  parseParams(args) {
    checkArgCount('rl', 'rl[:b_r]', args, 0, 1);
    return { runBits: args.length === 0 ? RL_DEFAULT_RUN_BITS : parseIntParam('rl', 'b_r', args[0]!, 1, RL_MAX_RUN_BITS) };
  },
  encode,
  countBits,
  decode,
  readSegment,
};

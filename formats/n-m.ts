/**
 * `nm:N:m` — structured N:m sparsity (MODEL §4): every group of m rows stores exactly N entries.
 *
 * Bit layout of one entry (stream bits, LSB first, `b_g = ceil(log2 m)`):
 *
 *     | value: b_w bits, two's complement | index in group: b_g bits, unsigned |
 *       bit 0                     b_w - 1   bit b_w                  b_w + b_g - 1
 *
 * Group `g` of a column covers rows `[g·m, g·m + m)` (rows past K count as zero) and yields its
 * nonzeros in row order, then `(0, 0)` padding entries up to N. e.g. nm:1:2, b_w = 4, group
 * [0, -3] → entry (-3, 1) → bits 1011 1; group [0, 0] → padding (0, 0) → bits 0000 0.
 *
 * Segmenting: `floor(R / N)` whole groups per segment; base = first row of its first group;
 * no per-segment metadata (the structure is implicit). Requires `1 ≤ N ≤ m`, `m ≥ 2`, `R ≥ N`.
 * A group with more than N nonzeros cannot be represented: FormatError naming `--prune nm:N:m`.
 */
import { BitWriter } from './bit-writer.js';
import { BitReader } from './bit-reader.js';
import { nonzerosFor } from './csc.js';
import { makeEncoded } from './encoded.js';
import { ConfigError, FormatError } from '../errors.js';
import { allocSegmentTable, checkDecodedValue, checkEncoded, corrupt, unpackSegment } from './segment-table.js';
import { ceilLog2 } from './segment-meta.js';
import { checkArgCount, checkIntParam, parseIntParam } from './spec.js';
import { storageFigures } from './storage.js';
import type { CscMatrix, EncodeOptions, EncodedMatrix, FormatCodec, IntMatrix, StorageFigures } from './types.js';
import { checkMatrix, checkOptions } from './validate.js';

/** Largest group size m (its index field, ceil(log2 m) ≤ 24 bits, must fit one bit-writer field). */
export const NM_MAX_M = 2 ** 24;

interface NmParams {
  n: number;
  m: number;
}

function nmParamsOf(params: Readonly<Record<string, number>>): NmParams {
  const m = params['m'];
  checkIntParam('nm', 'm', m, 2, NM_MAX_M);
  const n = params['n'];
  checkIntParam('nm', 'N', n, 1, m as number);
  return { n: n as number, m: m as number };
}

function checkRows(p: NmParams, opts: EncodeOptions): void {
  checkOptions(opts);
  if (opts.segmentRows < p.n) {
    throw new ConfigError('BAD_SEGMENT_ROWS', `nm:${p.n}:${p.m} needs segmentRows (R) ≥ N = ${p.n} to hold one group; got ${opts.segmentRows}`);
  }
}

function violation(p: NmParams, K: number, j: number, g: number, count: number): FormatError {
  const a = g * p.m;
  const b = Math.min(K, a + p.m) - 1;
  return new FormatError(
    'NM_VIOLATION',
    `column ${j} group ${g} (rows ${a}..${b}) has ${count} nonzeros, more than N = ${p.n} of nm:${p.n}:${p.m}; prune first with --prune nm:${p.n}:${p.m}`,
  );
}

/**
 * Check the N:m constraint over the nonzeros (they come in row order, so a group's nonzeros are
 * consecutive): FormatError naming the first violating column and group.
 */
function nmCheck(nz: CscMatrix, p: NmParams): void {
  const { colPtr, rowIdx } = nz;
  const { n: N, m } = p;
  for (let j = 0; j < nz.cols; j++) {
    let g = -1;
    let c = 0;
    for (let i = colPtr[j]!, e = colPtr[j + 1]!; i < e; i++) {
      const gg = (rowIdx[i]! / m) | 0;
      if (gg !== g) {
        g = gg;
        c = 0;
      }
      if (++c > N) {
        while (i + 1 < e && Math.floor(rowIdx[i + 1]! / m) === g) {
          i++;
          c++;
        }
        throw violation(p, nz.rows, j, g, c);
      }
    }
  }
}

/** Regular geometry: groups per column, groups per segment, segments per column. */
function geometry(K: number, R: number, p: NmParams): { groups: number; perSeg: number; segsPerCol: number } {
  const groups = Math.ceil(K / p.m);
  const perSeg = Math.floor(R / p.n);
  return { groups, perSeg, segsPerCol: Math.ceil(groups / perSeg) };
}

function nmStorage(q: IntMatrix, p: NmParams, opts: EncodeOptions, nnz: number): StorageFigures {
  const ib = ceilLog2(p.m);
  const { groups, segsPerCol } = geometry(q.rows, opts.segmentRows, p);
  const physical = groups * p.n * q.cols;
  return storageFigures(
    nnz * opts.valueBits,
    nnz * ib,
    (physical - nnz) * (opts.valueBits + ib),
    0,
    q.rows * q.cols * opts.valueBits,
    segsPerCol * q.cols,
  );
}

function encode(q: IntMatrix, params: Readonly<Record<string, number>>, opts: EncodeOptions): EncodedMatrix {
  checkMatrix(q, opts);
  const p = nmParamsOf(params);
  checkRows(p, opts);
  const nz = nonzerosFor(q, opts);
  const { nnz, colPtr, rowIdx, values } = nz;
  const K = q.rows;
  const { n: N, m } = p;
  const vb = opts.valueBits;
  const ib = ceilLog2(m);
  const entryBits = vb + ib;
  const { groups, perSeg, segsPerCol } = geometry(K, opts.segmentRows, p);
  const physical = groups * N * q.cols;
  const w = new BitWriter(physical * entryBits);
  // Walk the nonzeros (row order, so a group's nonzeros are consecutive). Padding entries are
  // all-zero bits: they are skipped in bulk (the buffer is zero-filled) rather than written.
  // The N:m check is folded into this loop; a violation throws before anything is returned.
  for (let j = 0; j < q.cols; j++) {
    let cur = -1; // open group
    let c = 0; // entries written in it
    for (let i = colPtr[j]!, e = colPtr[j + 1]!; i < e; i++) {
      const k = rowIdx[i]!;
      const g = (k / m) | 0; // floor: k < 2^31
      if (g !== cur) {
        // the rest of the open group, then the whole empty groups before g
        const pad = (cur >= 0 ? N - c : 0) + (g - cur - 1) * N;
        if (pad > 0) w.skip(pad * entryBits);
        cur = g;
        c = 0;
      } else if (c === N) {
        nmCheck(nz, p); // throws the violation with its full count
      }
      w.writeEntry(values[i]!, vb, k - g * m, ib);
      c++;
    }
    const pad = (cur >= 0 ? N - c : 0) + (groups - cur - 1) * N;
    if (pad > 0) w.skip(pad * entryBits);
  }
  const table = allocSegmentTable(segsPerCol * q.cols);
  for (let j = 0, s = 0; j < q.cols; j++) {
    for (let b = 0; b < segsPerCol; b++, s++) {
      const g0 = b * perSeg;
      table.col[s] = j;
      table.base[s] = g0 * m;
      table.count[s] = Math.min(perSeg, groups - g0) * N;
      table.offset[s] = (j * groups + g0) * N * entryBits;
    }
  }
  return makeEncoded(q, opts, {
    id: 'nm',
    params: { n: N, m },
    indexFieldBits: ib,
    segmentMetadataBits: 0,
    nnz,
    stream: w.finish(),
    streamBits: physical * entryBits,
    segments: table,
    storage: nmStorage(q, p, opts, nnz),
  });
}

function countBits(q: IntMatrix, params: Readonly<Record<string, number>>, opts: EncodeOptions): StorageFigures {
  checkMatrix(q, opts);
  const p = nmParamsOf(params);
  checkRows(p, opts);
  const nz = nonzerosFor(q, opts);
  nmCheck(nz, p);
  return nmStorage(q, p, opts, nz.nnz);
}

function decode(enc: EncodedMatrix): IntMatrix {
  const p = nmParamsOf(enc.params);
  const ib = ceilLog2(p.m);
  checkEncoded(enc, ib);
  if (enc.segmentRows < p.n) throw corrupt(`segmentRows ${enc.segmentRows} < N = ${p.n}`);
  const K = enc.rows;
  const { n: N, m } = p;
  const { groups, perSeg, segsPerCol } = geometry(K, enc.segmentRows, p);
  const t = enc.segments;
  if (t.length !== segsPerCol * enc.cols) throw corrupt(`nm table has ${t.length} segments, expected ${segsPerCol * enc.cols}`);
  for (let s = 0; s < t.length; s++) {
    const j = Math.floor(s / segsPerCol);
    const g0 = (s - j * segsPerCol) * perSeg;
    const count = Math.min(perSeg, groups - g0) * N;
    if (t.col[s] !== j || t.base[s] !== g0 * m || t.count[s] !== count) {
      throw corrupt(`nm segment ${s} is (column ${t.col[s]}, base ${t.base[s]}, ${t.count[s]} entries), expected (${j}, ${g0 * m}, ${count})`);
    }
  }
  const vb = enc.valueBits;
  const out = new Int16Array(K * enc.cols);
  const r = new BitReader(enc.stream, enc.streamBits);
  for (let j = 0, off = 0; j < enc.cols; j++, off += K) {
    for (let g = 0, a = 0; g < groups; g++, a += m) {
      let prev = -1;
      let padding = false;
      for (let e = 0; e < N; e++) {
        const v = r.readSigned(vb);
        const idx = r.read(ib);
        const s = j * segsPerCol + Math.floor(g / perSeg);
        checkDecodedValue(v, vb, s);
        if (v === 0) {
          if (idx !== 0) throw corrupt(`column ${j} group ${g}: padding entry with index ${idx}`);
          padding = true;
          continue;
        }
        if (padding) throw corrupt(`column ${j} group ${g}: a nonzero after padding`);
        if (idx <= prev || idx >= m || a + idx >= K) throw corrupt(`column ${j} group ${g}: index ${idx} out of order or past row ${K - 1}`);
        out[off + a + idx] = v;
        prev = idx;
      }
    }
  }
  return { rows: K, cols: enc.cols, data: out };
}

function readSegment(enc: EncodedMatrix, s: number, rowsOut: Int32Array, valuesOut: Int32Array): number {
  const N = enc.params['n']!;
  const m = enc.params['m']!;
  const n = unpackSegment(enc, s, valuesOut, rowsOut); // rowsOut holds the in-group indices
  let a = enc.segments.base[s]!; // first row of the current group
  for (let i = 0, e = 0; i < n; i++) {
    rowsOut[i] = valuesOut[i] === 0 ? -1 : a + rowsOut[i]!;
    if (++e === N) {
      e = 0;
      a += m;
    }
  }
  return n;
}

/** The N:m codec (registry entry `nm`). Params: `{ n, m }` with `1 ≤ n ≤ m`, `m ≥ 2`. */
export const nmCodec: FormatCodec = {
  id: 'nm',
  synopsis: 'nm:N:m — N entries (value + ceil(log2 m)-bit index) per group of m rows, zero-padded',
  parseParams(args) {
    checkArgCount('nm', 'nm:N:m', args, 2, 2);
    const m = parseIntParam('nm', 'm', args[1]!, 2, NM_MAX_M);
    const n = parseIntParam('nm', 'N', args[0]!, 1, m);
    return { n, m };
  },
  encode,
  countBits,
  decode,
  readSegment,
};

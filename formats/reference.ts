/**
 * Slow, obviously-correct reference for every format of MODEL §4, for tests only.
 *
 * Each function follows the spec's sentences step by step with plain arrays: it lists the segments
 * of the matrix with their entries (`{ value, field }`, `field` = index/run, `null` row for fillers
 * and padding), counts the storage figures by walking that list, and packs bits one at a time. The
 * fast codecs must agree with it bit for bit.
 */
import type { IntMatrix, StorageFigures } from './types.js';

/** One physical entry: the value and its index/run field (0 where the format has none). */
export interface RefEntry {
  value: number;
  field: number;
  /** Absolute row of the entry, or -1 for rl fillers and nm padding. */
  row: number;
}

/** One segment: what one macro column slot holds. */
export interface RefSegment {
  col: number;
  base: number;
  entries: RefEntry[];
}

/** The reference encoding of a matrix in one format. */
export interface RefEncoding {
  segments: RefSegment[];
  /** Width of the index/run field of every entry. */
  fieldBits: number;
  /** Per-segment metadata bits. */
  metadataBitsPerSegment: number;
  /** bitmask only: the K·N mask bits, column-major. */
  maskBits?: number[];
  storage: StorageFigures;
}

/** `ceil(log2 x)` by repeated doubling. */
function refCeilLog2(x: number): number {
  let b = 0;
  while (2 ** b < x) b++;
  return b;
}

function column(q: IntMatrix, j: number): number[] {
  return Array.from(q.data.subarray(j * q.rows, (j + 1) * q.rows));
}

function nonzeros(q: IntMatrix, j: number): { row: number; value: number }[] {
  return column(q, j)
    .map((value, row) => ({ row, value }))
    .filter((e) => e.value !== 0);
}

function irregularMeta(K: number, R: number): number {
  return Math.max(1, refCeilLog2(K)) + refCeilLog2(R + 1);
}

/** Count the storage figures from the segment list (nonzero entries vs. fillers/padding). */
function count(q: IntMatrix, b: number, segs: RefSegment[], fieldBits: number, meta: number, dense: boolean, mask: boolean): StorageFigures {
  let real = 0;
  let pad = 0;
  for (const s of segs) for (const e of s.entries) if (e.value !== 0) real++; else pad++;
  const valueBits = dense ? q.rows * q.cols * b : real * b;
  const indexBits = mask ? q.rows * q.cols : real * fieldBits;
  const paddingBits = dense ? 0 : pad * (b + fieldBits);
  const metadataBits = segs.length * meta;
  const totalBits = valueBits + indexBits + paddingBits + metadataBits;
  const denseBits = q.rows * q.cols * b;
  return { valueBits, indexBits, paddingBits, metadataBits, totalBits, denseBits, compression: denseBits / totalBits, segments: segs.length };
}

/** dense: rows [s·R, s·R+R) of every column, every value. */
export function refDense(q: IntMatrix, b: number, R: number): RefEncoding {
  const segments: RefSegment[] = [];
  for (let j = 0; j < q.cols; j++) {
    const col = column(q, j);
    for (let base = 0; base < q.rows; base += R) {
      const entries = col.slice(base, base + R).map((value, i) => ({ value, field: 0, row: base + i }));
      segments.push({ col: j, base, entries });
    }
  }
  return { segments, fieldBits: 0, metadataBitsPerSegment: 0, storage: count(q, b, segments, 0, 0, true, false) };
}

/** bitmask: nonzeros in chunks of R; a K-bit mask per column. */
export function refBitmask(q: IntMatrix, b: number, R: number): RefEncoding {
  const segments: RefSegment[] = [];
  const maskBits: number[] = [];
  for (let j = 0; j < q.cols; j++) {
    for (const v of column(q, j)) maskBits.push(v !== 0 ? 1 : 0);
    const nz = nonzeros(q, j);
    for (let i = 0; i < nz.length; i += R) {
      const chunk = nz.slice(i, i + R);
      segments.push({ col: j, base: chunk[0]!.row, entries: chunk.map((e) => ({ value: e.value, field: 0, row: e.row })) });
    }
  }
  const meta = irregularMeta(q.rows, R);
  return { segments, fieldBits: 0, metadataBitsPerSegment: meta, maskBits, storage: count(q, b, segments, 0, meta, false, true) };
}

/** coo:b_i: new segment when full or when r - base ≥ 2^b_i. */
export function refCoo(q: IntMatrix, b: number, R: number, bi: number): RefEncoding {
  const segments: RefSegment[] = [];
  for (let j = 0; j < q.cols; j++) {
    let cur: RefSegment | null = null;
    for (const { row, value } of nonzeros(q, j)) {
      if (cur === null || cur.entries.length === R || row - cur.base >= 2 ** bi) {
        cur = { col: j, base: row, entries: [] };
        segments.push(cur);
      }
      cur.entries.push({ value, field: row - cur.base, row });
    }
  }
  const meta = irregularMeta(q.rows, R);
  return { segments, fieldBits: bi, metadataBitsPerSegment: meta, storage: count(q, b, segments, bi, meta, false, false) };
}

/** rl:b_r: runs of zeros, fillers (0, maxRun) for long gaps, close when fillers + entry do not fit. */
export function refRunLength(q: IntMatrix, b: number, R: number, br: number): RefEncoding {
  const maxRun = 2 ** br - 1;
  const segments: RefSegment[] = [];
  for (let j = 0; j < q.cols; j++) {
    let cur: RefSegment | null = null;
    let last = -1;
    for (const { row, value } of nonzeros(q, j)) {
      if (cur === null) {
        cur = { col: j, base: row, entries: [] };
        segments.push(cur);
        last = row - 1;
      }
      const gap = row - last - 1;
      const f = Math.floor(gap / (maxRun + 1));
      if (cur.entries.length + f + 1 > R) {
        cur = { col: j, base: row, entries: [{ value, field: 0, row }] };
        segments.push(cur);
      } else {
        for (let i = 0; i < f; i++) cur.entries.push({ value: 0, field: maxRun, row: -1 });
        cur.entries.push({ value, field: gap - f * (maxRun + 1), row });
      }
      last = row;
    }
  }
  const meta = irregularMeta(q.rows, R);
  return { segments, fieldBits: br, metadataBitsPerSegment: meta, storage: count(q, b, segments, br, meta, false, false) };
}

/** nm:N:m: each group yields its nonzeros then (0, 0) padding up to N; floor(R/N) groups per segment. Throws on a violation. */
export function refNm(q: IntMatrix, b: number, R: number, N: number, m: number): RefEncoding {
  const segments: RefSegment[] = [];
  const groupsPerSeg = Math.floor(R / N);
  for (let j = 0; j < q.cols; j++) {
    const col = column(q, j);
    const groups = Math.ceil(q.rows / m);
    for (let g = 0; g < groups; g++) {
      if (g % groupsPerSeg === 0) segments.push({ col: j, base: g * m, entries: [] });
      const seg = segments[segments.length - 1]!;
      const entries: RefEntry[] = [];
      for (let i = 0; i < m; i++) {
        const row = g * m + i;
        const value = row < q.rows ? col[row]! : 0;
        if (value !== 0) entries.push({ value, field: i, row });
      }
      if (entries.length > N) throw new Error(`reference: column ${j} group ${g} violates ${N}:${m}`);
      while (entries.length < N) entries.push({ value: 0, field: 0, row: -1 });
      seg.entries.push(...entries);
    }
  }
  const fieldBits = refCeilLog2(m);
  return { segments, fieldBits, metadataBitsPerSegment: 0, storage: count(q, b, segments, fieldBits, 0, false, false) };
}

/** Pack a list of 0/1 bits into bytes: bit t → bit t mod 8 of byte floor(t/8), last byte zero-padded. */
export function packBits(bits: readonly number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((bit, t) => {
    if (bit) out[Math.floor(t / 8)] = out[Math.floor(t / 8)]! + 2 ** (t % 8);
  });
  return out;
}

/** `value` as `width` bits, least significant first, two's complement for negatives. */
export function fieldBitsLsbFirst(value: number, width: number): number[] {
  const u = value < 0 ? 2 ** width + value : value;
  const bits: number[] = [];
  for (let i = 0; i < width; i++) bits.push(Math.floor(u / 2 ** i) % 2);
  return bits;
}

/** The entry stream of a reference encoding as bits: per entry, value (b_w bits) then field. */
export function referenceStreamBits(ref: RefEncoding, b: number): number[] {
  const bits: number[] = [];
  for (const s of ref.segments) {
    for (const e of s.entries) bits.push(...fieldBitsLsbFirst(e.value, b), ...fieldBitsLsbFirst(e.field, ref.fieldBits));
  }
  return bits;
}

/** The segment table implied by a reference encoding (offsets by summing entry widths). */
export function referenceTable(ref: RefEncoding, b: number): { col: number[]; base: number[]; count: number[]; offset: number[] } {
  const t = { col: [] as number[], base: [] as number[], count: [] as number[], offset: [] as number[] };
  let offset = 0;
  for (const s of ref.segments) {
    t.col.push(s.col);
    t.base.push(s.base);
    t.count.push(s.entries.length);
    t.offset.push(offset);
    offset += s.entries.length * (b + ref.fieldBits);
  }
  return t;
}

/** Reference encoding for a resolved format id + params (dispatch for property tests). */
export function referenceEncode(id: string, params: Readonly<Record<string, number>>, q: IntMatrix, b: number, R: number): RefEncoding {
  switch (id) {
    case 'dense':
      return refDense(q, b, R);
    case 'bitmask':
      return refBitmask(q, b, R);
    case 'coo':
      return refCoo(q, b, R, params['indexBits']!);
    case 'rl':
      return refRunLength(q, b, R, params['runBits']!);
    case 'nm':
      return refNm(q, b, R, params['n']!, params['m']!);
    default:
      throw new Error(`reference: unknown format ${id}`);
  }
}

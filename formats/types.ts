/**
 * Plain data types shared by every format. See ../shared/MODEL.md §4 (exact definitions).
 *
 * Matrices are `[K, N]` (rows = fan-in, columns = outputs) stored **column-major**:
 * element `(k, j)` is `data[j * K + k]`. Column-major is the order every encoder walks, it is the
 * flat order MODEL §3 uses to break ties, and it is exactly the memory order of a PyTorch
 * `nn.Linear.weight` (`[out, in]`, C order), so the common case needs no transpose.
 */

/** A quantized integer weight matrix `[K, N]`, column-major. Values fit the signed `bits`-bit range `[-Q, Q]`. */
export interface IntMatrix {
  /** K: fan-in (rows). */
  readonly rows: number;
  /** N: outputs (columns). */
  readonly cols: number;
  /** `rows * cols` values, column-major: `data[j * rows + k]`. Int16 holds every 2..16-bit weight. */
  readonly data: Int16Array;
}

/** The nonzeros of a `[K, N]` matrix in column-major order (compressed sparse column; made by `csc.ts`). */
export interface CscMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Number of nonzeros. */
  readonly nnz: number;
  /** `cols + 1` offsets: the nonzeros of column j are `[colPtr[j], colPtr[j+1])`. */
  readonly colPtr: Uint32Array;
  /** Row of each nonzero (at least `nnz` long). */
  readonly rowIdx: Uint32Array;
  /** Value of each nonzero (at least `nnz` long). */
  readonly values: Int16Array;
}

/** Common inputs of every encoder. */
export interface EncodeOptions {
  /** Value field width b_w in bits (2..16), two's complement. */
  readonly valueBits: number;
  /** Segment capacity R: max entries per segment (the macro's row count). */
  readonly segmentRows: number;
  /**
   * The matrix's nonzeros, when the caller already extracted them (`formats/csc.ts`
   * `extractNonzeros`): encoders then skip their own scan of the dense matrix.
   */
  readonly nonzeros?: CscMatrix;
}

/**
 * The segment table that travels beside a packed stream: one row per segment, in stream order
 * (columns in order, segments of a column in order).
 */
export interface SegmentTable {
  readonly length: number;
  /** Output column j of each segment. */
  readonly col: Uint32Array;
  /** Base row of each segment (row of its first entry; dense/nm: first row of its row range). */
  readonly base: Uint32Array;
  /** Physical entries in each segment (including rl fillers and nm padding entries). */
  readonly count: Uint32Array;
  /** Bit offset of each segment's first entry in the stream. Float64 so that streams over 2^32 bits stay exact. */
  readonly offset: Float64Array;
}

/** The six storage figures of MODEL §4 (plus the segment count), all in bits. */
export interface StorageFigures {
  readonly valueBits: number;
  readonly indexBits: number;
  readonly paddingBits: number;
  readonly metadataBits: number;
  /** valueBits + indexBits + paddingBits + metadataBits. */
  readonly totalBits: number;
  /** K · N · b_w. */
  readonly denseBits: number;
  /** denseBits / totalBits. */
  readonly compression: number;
  readonly segments: number;
}

/** A matrix encoded in one format: the packed bitstream(s), the segment table and the accounting. */
export interface EncodedMatrix {
  /** Canonical format spec with every parameter resolved, e.g. `coo:10`, `rl:4`, `nm:2:4`, `dense`, `bitmask`. */
  readonly format: string;
  /** Format id (registry key): `dense | bitmask | coo | rl | nm`. */
  readonly id: FormatId;
  /** Resolved format parameters by name (e.g. `{ indexBits: 10 }`, `{ runBits: 4 }`, `{ n: 2, m: 4 }`). */
  readonly params: Readonly<Record<string, number>>;
  readonly rows: number;
  readonly cols: number;
  readonly valueBits: number;
  readonly segmentRows: number;
  /** Bits of the index/run field of one entry (0 for dense and bitmask). */
  readonly indexFieldBits: number;
  /** valueBits + indexFieldBits: the width of one slot (logical macro column). */
  readonly entryBits: number;
  /** Per-segment metadata bits (b_base + b_count, or 0). */
  readonly segmentMetadataBits: number;
  /** Nonzero entries stored. */
  readonly nnz: number;
  /** The packed entry stream, LSB-first (MODEL §4). */
  readonly stream: Uint8Array;
  /** Meaningful bits in `stream` (the last byte is zero-padded). */
  readonly streamBits: number;
  /** bitmask only: the K·N mask bits, column-major, same bit order. */
  readonly maskStream?: Uint8Array;
  readonly segments: SegmentTable;
  readonly storage: StorageFigures;
}

export type FormatId = 'dense' | 'bitmask' | 'coo' | 'rl' | 'nm';

/**
 * One format: a registry entry. `encode` builds the real stream; `countBits` computes the same
 * storage figures without building it (fast path for sweeps; tests assert the two agree);
 * `decode` rebuilds the matrix from stream + table; `readSegment` is what the macro simulator uses
 * to walk one segment's physical entries straight from the stream.
 */
export interface FormatCodec {
  readonly id: FormatId;
  /** One line for `--help` and docs, with the spec grammar, e.g. `coo[:b_i]`. */
  readonly synopsis: string;
  /**
   * Parse the parameter part of a spec (the words after `id:`) into resolved params for a K-row
   * matrix; throws ConfigError on bad parameters. E.g. for `coo:8` args = ['8'].
   */
  parseParams(args: readonly string[], rows: number): Record<string, number>;
  encode(q: IntMatrix, params: Readonly<Record<string, number>>, opts: EncodeOptions): EncodedMatrix;
  countBits(q: IntMatrix, params: Readonly<Record<string, number>>, opts: EncodeOptions): StorageFigures;
  decode(enc: EncodedMatrix): IntMatrix;
  /**
   * Walk segment `s` of `enc` from the stream: writes each physical entry's absolute row
   * (or -1 for an rl filler / nm padding entry) into `rowsOut` and its value into `valuesOut`,
   * returns the number of physical entries (= `enc.segments.count[s]`).
   * Buffers must hold at least `enc.segmentRows` entries.
   */
  readSegment(enc: EncodedMatrix, s: number, rowsOut: Int32Array, valuesOut: Int32Array): number;
}

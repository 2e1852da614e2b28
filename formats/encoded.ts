/**
 * Assembles an {@link EncodedMatrix} from an encoder's parts, so every format fills the record the
 * same way (canonical spec, entry widths, accounting).
 */
import { canonicalSpec } from './spec.js';
import type { EncodedMatrix, EncodeOptions, FormatId, IntMatrix, SegmentTable, StorageFigures } from './types.js';

/** The parts an encoder computes; everything else in {@link EncodedMatrix} is derived. */
export interface EncodedParts {
  readonly id: FormatId;
  readonly params: Readonly<Record<string, number>>;
  readonly indexFieldBits: number;
  readonly segmentMetadataBits: number;
  readonly nnz: number;
  readonly stream: Uint8Array;
  readonly streamBits: number;
  readonly maskStream?: Uint8Array;
  readonly segments: SegmentTable;
  readonly storage: StorageFigures;
}

/** Build the encoded record of `q` from its parts. */
export function makeEncoded(q: IntMatrix, opts: EncodeOptions, parts: EncodedParts): EncodedMatrix {
  const enc: EncodedMatrix = {
    format: canonicalSpec(parts.id, parts.params),
    id: parts.id,
    params: Object.freeze({ ...parts.params }),
    rows: q.rows,
    cols: q.cols,
    valueBits: opts.valueBits,
    segmentRows: opts.segmentRows,
    indexFieldBits: parts.indexFieldBits,
    entryBits: opts.valueBits + parts.indexFieldBits,
    segmentMetadataBits: parts.segmentMetadataBits,
    nnz: parts.nnz,
    stream: parts.stream,
    streamBits: parts.streamBits,
    segments: parts.segments,
    storage: parts.storage,
    // Always present (undefined but for bitmask): every format's matrix then has one object shape,
    // so the simulator's hot functions, which see them all, are not de-optimised when the next
    // format arrives.
    maskStream: parts.maskStream,
  };
  return enc;
}

/**
 * One prepared weight matrix → every requested format, with the storage figures of MODEL §4.
 * Shared by `imc-sim encode`, `imc-sim run` (and so sweeps) and the library API.
 */
import { ConfigError, FormatError } from '../../errors.js';
import { parseFormatList } from '../../formats/registry.js';
import type { EncodedMatrix, StorageFigures } from '../../formats/types.js';
import { macroParam } from '../../macro-sim/params.js';
import type { Tensor } from '../io/tensor.js';
import { prepareWeights, type PrepareOptions, type PreparedWeights } from '../prep/prepare.js';

/** Default segment capacity R: the default macro's row count (MODEL §5, macro-sim/params.ts). */
export const DEFAULT_SEGMENT_ROWS = macroParam('rows').default as number;

/** One format's encoding of a layer. */
export interface FormatEncoding {
  /** Canonical spec (`coo:10`). */
  readonly format: string;
  readonly storage: StorageFigures;
  readonly encoded: EncodedMatrix;
}

/** A format that cannot hold this matrix (e.g. an N:m violation), reported instead of thrown when several formats were asked for. */
export interface InfeasibleEncoding {
  readonly format: string;
  readonly ok: false;
  readonly reason: string;
  readonly code: string;
}

/** Whether an encoding succeeded. */
export function isEncoded(e: FormatEncoding | InfeasibleEncoding): e is FormatEncoding {
  return (e as InfeasibleEncoding).ok !== false;
}

/** A prepared layer and its encodings. */
export interface EncodedLayer {
  readonly prepared: PreparedWeights;
  readonly encodings: Array<FormatEncoding | InfeasibleEncoding>;
}

/** Check R against the macro-independent rules (R ≥ 1 here; formats add their own, e.g. nm R ≥ N). */
export function checkSegmentRows(rows: number): void {
  if (!Number.isSafeInteger(rows) || rows < 1 || rows > 1 << 20) {
    throw new ConfigError('BAD_ROWS', `--rows (segment capacity R) must be an integer in 1..1048576; got ${rows}`);
  }
}

/**
 * Encode a prepared matrix in each format of `formats` (a comma list or an array of specs).
 * @example encodePrepared(prep, 'coo,rl:4,nm:2:4', 256).encodings.map((e) => e.storage.compression)
 */
export function encodePrepared(prepared: PreparedWeights, formats: string | readonly string[], segmentRows: number): EncodedLayer {
  checkSegmentRows(segmentRows);
  const list = typeof formats === 'string' ? formats : formats.join(',');
  const specs = parseFormatList(list, prepared.K);
  const opts = { valueBits: prepared.weightBits, segmentRows, nonzeros: prepared.nonzeros };
  const encodings = specs.map(({ codec, params, canonical }): FormatEncoding | InfeasibleEncoding => {
    try {
      const encoded = codec.encode(prepared.q, params, opts);
      return { format: canonical, storage: encoded.storage, encoded };
    } catch (e) {
      if (specs.length === 1 || !(e instanceof FormatError)) throw e;
      return { format: canonical, ok: false, reason: e.message, code: e.code };
    }
  });
  if (!encodings.some(isEncoded)) {
    throw new FormatError('NO_FEASIBLE_FORMAT', `no format can hold ${prepared.name}: ${encodings.map((e) => `${e.format}: ${(e as InfeasibleEncoding).reason}`).join(' | ')}`);
  }
  return { prepared, encodings };
}

/** Prepare a tensor and encode it (the whole `encode` job for one array). */
export function encodeTensor(t: Tensor, prep: PrepareOptions, formats: string | readonly string[], segmentRows = DEFAULT_SEGMENT_ROWS): EncodedLayer {
  return encodePrepared(prepareWeights(t, prep), formats, segmentRows);
}

/** The JSON view of one encoded layer (`imc-sim encode --json`). */
export interface EncodedLayerJson {
  name: string;
  layout: string;
  prune: string;
  weightBits: number;
  granularity: string;
  segmentRows: number;
  matrix: { rows: number; cols: number };
  nnz: number;
  sparsity: number;
  formats: Array<{ format: string; storage: StorageFigures } | InfeasibleEncoding>;
}

/** Plain JSON of a layer: exactly the storage keys of MODEL §4 per format. */
export function encodedLayerJson(layer: EncodedLayer, segmentRows: number): EncodedLayerJson {
  const p = layer.prepared;
  return {
    name: p.name,
    layout: p.layout,
    prune: p.prune,
    weightBits: p.weightBits,
    granularity: p.granularity,
    segmentRows,
    matrix: { rows: p.K, cols: p.N },
    nnz: p.nnz,
    sparsity: p.sparsity,
    formats: layer.encodings.map((e) => (isEncoded(e) ? { format: e.format, storage: storageJson(e.storage) } : e)),
  };
}

/** The storage object with exactly the documented keys, in the documented order. */
export function storageJson(s: StorageFigures): StorageFigures {
  return {
    valueBits: s.valueBits,
    indexBits: s.indexBits,
    paddingBits: s.paddingBits,
    metadataBits: s.metadataBits,
    totalBits: s.totalBits,
    denseBits: s.denseBits,
    compression: s.compression,
    segments: s.segments,
  };
}

/**
 * The storage accounting of MODEL §4, assembled in one place so that every format reports the six
 * figures the same way.
 */
import type { StorageFigures } from './types.js';

/**
 * Build the {@link StorageFigures} from the counted parts.
 *
 * `compression = denseBits / totalBits` literally: when nothing is stored (`totalBits = 0`, e.g. an
 * all-zero matrix in coo or rl) it is `Infinity` — the honest value of the ratio, which callers that
 * print or serialise it must handle (`JSON.stringify(Infinity)` is `null`).
 */
export function storageFigures(
  valueBits: number,
  indexBits: number,
  paddingBits: number,
  metadataBits: number,
  denseBits: number,
  segments: number,
): StorageFigures {
  const totalBits = valueBits + indexBits + paddingBits + metadataBits;
  return {
    valueBits,
    indexBits,
    paddingBits,
    metadataBits,
    totalBits,
    denseBits,
    compression: totalBits === 0 ? Infinity : denseBits / totalBits,
    segments,
  };
}

/**
 * The storage of several matrices in the same format (a model's layers), summed figure by figure
 * and assembled by {@link storageFigures} (so `compression` is the ratio of the sums).
 */
export function sumStorage(list: readonly StorageFigures[]): StorageFigures {
  let valueBits = 0, indexBits = 0, paddingBits = 0, metadataBits = 0, denseBits = 0, segments = 0;
  for (const s of list) {
    valueBits += s.valueBits;
    indexBits += s.indexBits;
    paddingBits += s.paddingBits;
    metadataBits += s.metadataBits;
    denseBits += s.denseBits;
    segments += s.segments;
  }
  return storageFigures(valueBits, indexBits, paddingBits, metadataBits, denseBits, segments);
}

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

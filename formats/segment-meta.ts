/**
 * Field widths that MODEL §4 derives from the matrix and the macro: the per-segment metadata
 * (`b_base + b_count`) and the default coo index width. Integer arithmetic only, so that widths are
 * exact for every K (no `Math.log2` rounding at powers of two).
 */

/**
 * `ceil(log2 x)` for an integer `x ≥ 1`: the smallest `b` with `2^b ≥ x`.
 *
 * @example ceilLog2(784) // 10
 * @example ceilLog2(1)   // 0
 */
export function ceilLog2(x: number): number {
  let b = 0;
  let p = 1;
  while (p < x) {
    p *= 2;
    b++;
  }
  return b;
}

/** `b_base = max(1, ceil(log2 K))`: bits of a segment's base row (MODEL §4). */
export function segmentBaseBits(rows: number): number {
  return Math.max(1, ceilLog2(rows));
}

/** `b_count = ceil(log2(R + 1))`: bits of a segment's entry count, which ranges over 0..R (MODEL §4). */
export function segmentCountBits(segmentRows: number): number {
  return ceilLog2(segmentRows + 1);
}

/**
 * Per-segment metadata bits of the irregular formats (bitmask, coo, rl): `b_base + b_count`.
 *
 * @example segmentMetadataBits(784, 256) // 10 + 9 = 19
 */
export function segmentMetadataBits(rows: number, segmentRows: number): number {
  return segmentBaseBits(rows) + segmentCountBits(segmentRows);
}

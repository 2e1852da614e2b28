import type { IntMatrix } from '../../formats/types.js';

/**
 * The 6×2 matrix every hand-computed case uses (K = 6, N = 2), column-major:
 *
 *     row:   0  1  2  3  4  5
 *     col 0: 3  0  0  0  0 -2
 *     col 1: 0  0  7  0  1  0
 *
 * With K = 6, R = 4: b_base = ceil(log2 6) = 3, b_count = ceil(log2 5) = 3 → 6 metadata bits per segment.
 */
export const SMALL: IntMatrix = {
  rows: 6,
  cols: 2,
  data: Int16Array.of(3, 0, 0, 0, 0, -2, 0, 0, 7, 0, 1, 0),
};

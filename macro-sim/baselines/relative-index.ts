/**
 * Padding zeros of the EIE/ESE compressed-sparse-column layout (Han et al., "EIE", ISCA 2016, §III;
 * reused by ESE, FPGA 2017): for every input k the nonzero weights `W[k, j]` are stored in output
 * order, each with a `b`-bit **relative index** = zeros skipped since the previous stored entry of the
 * same PE. Outputs are interleaved over `P` processing elements (output j lives in PE `j mod P` at
 * local position `floor(j / P)`), so the run is counted in local positions. A run longer than
 * `2^b − 1` cannot be written: EIE inserts a padding zero entry (value 0, run `2^b − 1`), which itself
 * occupies one position, so a nonzero after `gap` zeros needs `floor(gap / 2^b)` padding entries
 * (gap 16 with 4-bit indices → one padding zero, exactly the EIE paper's example).
 * In our orientation (MODEL §1, `[K, N]` column-major) an EIE "column" is a row k of `q`.
 */
import { ConfigError } from '../../errors.js';
import type { IntMatrix } from '../../formats/types.js';

function checkLayout(indexBits: number, processingElements: number): void {
  if (!Number.isInteger(indexBits) || indexBits < 1 || indexBits > 16) {
    throw new ConfigError('BASELINE_OPTION', `relative index bits must be an integer in 1..16; got ${indexBits}`);
  }
  if (!Number.isInteger(processingElements) || processingElements < 1) {
    throw new ConfigError('BASELINE_OPTION', `processing elements must be a positive integer; got ${processingElements}`);
  }
}

/**
 * Exact number of padding zero entries the EIE layout needs for `q` with `indexBits`-bit relative
 * indices over `processingElements` PEs. One pass over `q` in memory order; `K·P` Int32 of state.
 */
export function countPaddingExact(q: IntMatrix, indexBits: number, processingElements: number): number {
  checkLayout(indexBits, processingElements);
  const K = q.rows;
  const N = q.cols;
  const P = processingElements;
  const span = 2 ** indexBits; // maxRun + 1
  const data = q.data;
  // last[k*P + p] = local position of the previous stored nonzero of input k in PE p (−1: none yet).
  const last = new Int32Array(K * P).fill(-1);
  let padding = 0;
  for (let j = 0; j < N; j++) {
    const p = j % P;
    const local = (j - p) / P;
    const base = j * K;
    for (let k = 0; k < K; k++) {
      if (data[base + k] !== 0) {
        const slot = k * P + p;
        const gap = local - last[slot]! - 1;
        if (gap >= span) padding += Math.floor(gap / span);
        last[slot] = local;
      }
    }
  }
  return padding;
}

/**
 * Expected padding zeros when the `nnz` nonzeros are scattered independently with density
 * `d = nnz / (K·N)`. A nonzero at local position i needs ≥ m paddings iff the 16m (for 4-bit indices)
 * positions before it are zero, so E[paddings at i] = Σ_{m=1}^{⌊i/2^b⌋} r^m with r = (1−d)^(2^b);
 * summed over the `⌈(N−p)/P⌉` local positions of every PE p, times d, times K inputs.
 */
export function expectedPadding(rows: number, cols: number, nnz: number, indexBits: number, processingElements: number): number {
  checkLayout(indexBits, processingElements);
  const cells = rows * cols;
  if (nnz <= 0 || cells === 0) return 0;
  const d = nnz / cells;
  const span = 2 ** indexBits;
  const r = Math.pow(1 - d, span);
  if (r === 0) return 0;
  const P = Math.min(processingElements, cols);
  let perRow = 0;
  for (let p = 0; p < P; p++) {
    const n = Math.ceil((cols - p) / P);
    // positions i with the same M = ⌊i/span⌋ contribute alike: Σ_{m=1}^{M} r^m = r(1 − r^M)/(1 − r).
    for (let i = span; i < n; i++) {
      const M = Math.floor(i / span);
      perRow += r < 1 ? (r * (1 - Math.pow(r, M))) / (1 - r) : M;
    }
  }
  return rows * d * perRow;
}

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
import type { BaselineWorkload, NonzeroPositions, WorkloadCounts } from './types.js';

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

/** One EIE/ESE layout: relative index bits and the processing elements outputs are interleaved over. */
export interface PaddingLayout {
  readonly indexBits: number;
  readonly processingElements: number;
}

/** The key of a layout in `WorkloadCounts.padding`. */
export function paddingKey(indexBits: number, processingElements: number): string {
  return `${indexBits}:${processingElements}`;
}

/**
 * Where the nonzeros of `q` are, in one branch-free scan of `q` (the order of formats/csc.ts
 * `extractNonzeros`, without its values or their range check: the counted baselines price any
 * integer matrix).
 */
export function nonzeroPositions(q: IntMatrix): NonzeroPositions {
  const K = q.rows;
  const N = q.cols;
  const colPtr = new Uint32Array(N + 1);
  const rowIdx = new Uint32Array(q.data.length + 1); // + 1: the scan stores one past the count
  const nnz = scanPositions(q.data, K, N, colPtr, rowIdx);
  return { rows: K, cols: N, nnz, colPtr, rowIdx };
}

function scanPositions(d: Int16Array, K: number, N: number, colPtr: Uint32Array, rowIdx: Uint32Array): number {
  let nnz = 0;
  for (let j = 0, off = 0; j < N; j++, off += K) {
    colPtr[j] = nnz;
    for (let k = 0; k < K; k++) {
      rowIdx[nnz] = k;
      nnz += +(d[off + k] !== 0);
    }
  }
  colPtr[N] = nnz;
  return nnz;
}

/**
 * {@link countPaddingExact} of several layouts in one pass over the nonzeros (column by column, each
 * column's rows once per layout while they are in cache): `K·P` Int32 of state per layout, PE-major
 * (`last[p·K + k]`), so that a column — one PE, rows increasing — walks one K-entry stretch of it.
 */
export function countPaddingOfNonzeros(nz: NonzeroPositions, layouts: readonly PaddingLayout[]): number[] {
  for (const l of layouts) checkLayout(l.indexBits, l.processingElements);
  const K = nz.rows;
  const { colPtr, rowIdx } = nz;
  const last = layouts.map((l) => new Int32Array(K * l.processingElements).fill(-1));
  const padding = layouts.map(() => 0);
  for (let j = 0; j < nz.cols; j++) {
    const s = colPtr[j]!, e = colPtr[j + 1]!;
    if (s === e) continue;
    for (let i = 0; i < layouts.length; i++) {
      const l = layouts[i]!;
      padding[i] += columnPadding(rowIdx, s, e, j, K, l.processingElements, l.indexBits, last[i]!);
    }
  }
  return padding;
}

/** Padding zeros of column j's nonzeros `rowIdx[s..e)` in one layout; updates `last` (see countPaddingExact). */
function columnPadding(rowIdx: Uint32Array, s: number, e: number, j: number, K: number, P: number, indexBits: number, last: Int32Array): number {
  const p = j % P;
  const local = (j - p) / P;
  const o = p * K;
  let padding = 0;
  for (let i = s; i < e; i++) {
    const slot = o + rowIdx[i]!;
    // gap ≥ 0 (the previous entry of this PE and row is in an earlier column), so floor(gap / 2^b)
    // is one shift, and 0 below 2^b: branch-free, as runs shorter than 2^b are the common case.
    padding += (local - last[slot]! - 1) >>> indexBits;
    last[slot] = local;
  }
  return padding;
}

/**
 * The counts of `w`'s matrix that baselines priced together share — its nonzeros and the exact padding
 * zeros of each of `layouts` — from one pass over its nonzero positions (`w.nonzeros`, else one scan of
 * `w.q`). Undefined when the workload has no matrix, or one whose shape is not the workload's (each
 * baseline's own check then reports it).
 */
export function workloadCounts(w: BaselineWorkload, layouts: readonly PaddingLayout[]): WorkloadCounts | undefined {
  const q = w.q;
  if (q !== undefined && (q.rows !== w.rows || q.cols !== w.cols)) return undefined;
  // `q.data` is read only when the nonzeros are not given (it may be a lazily scattered matrix).
  if (w.nonzeros === undefined && q !== undefined && q.data.length !== q.rows * q.cols) return undefined;
  const nz = w.nonzeros ?? (q ? nonzeroPositions(q) : undefined);
  if (nz === undefined || nz.rows !== w.rows || nz.cols !== w.cols) return undefined;
  const counts = countPaddingOfNonzeros(nz, layouts);
  return { nnz: nz.nnz, padding: new Map(layouts.map((l, i) => [paddingKey(l.indexBits, l.processingElements), counts[i]!])) };
}

/**
 * Padding zeros of `w` in one layout: exact from the shared counts, the nonzero positions or the
 * matrix (in that order of preference), else their expected value for scattered nonzeros.
 */
export function paddingOf(w: BaselineWorkload, indexBits: number, processingElements: number): number {
  const shared = w.counts?.padding.get(paddingKey(indexBits, processingElements));
  if (shared !== undefined) return shared;
  if (w.nonzeros !== undefined) return countPaddingOfNonzeros(w.nonzeros, [{ indexBits, processingElements }])[0]!;
  if (w.q !== undefined) return countPaddingExact(w.q, indexBits, processingElements);
  return expectedPadding(w.rows, w.cols, w.nnz, indexBits, processingElements);
}

/**
 * Fused pruning and quantization (MODEL §2–3, exact) straight from a tensor's own typed array to the
 * nonzeros of the integer matrix — the fast path of `prepareWeights` for `none`, `magnitude:s` and
 * `nm:N:m`. It gives bit for bit what `quantizeWeights(prune(tensorToMatrix(t), spec))` followed by
 * `extractNonzeros` gives (test/src/prep/prune-quantize.test.ts), without the float64 `[K, N]` copy,
 * the pruned float64 copy or the dense integer matrix.
 *
 * The source is the tensor's data as stored: `Float32Array` or `Float64Array`, column-major `[K, N]`
 * (o-first layouts `oi`/`oiw`/`oihw`, or a `FloatMatrix`) or row-major `[K, N]` (o-last layouts
 * `io`/`hwio`). A float32 value widens to float64 exactly, so every comparison, maximum and quotient
 * is the one the float64 path makes: the selected set, its ties and every q are identical.
 *
 * Passes over the source (n = K·N):
 * 1. **scan** — per-column max `|w|` (from the bit patterns for float32: for non-negative IEEE-754
 *    numbers the bits order like the values), the non-finite check (a NaN or ±Inf is the largest bit
 *    pattern, or fails `a <= max`), and either the nonzero count (it bounds the output) or, for
 *    `magnitude`, the level-1 histogram of the selection (`select.ts`; the output is then bounded by
 *    `n - count`);
 * 2. **select** (`magnitude` only) — the threshold `t`, the number `ties` of entries equal to `t` to
 *    prune and the number `equal` of entries equal to `t`: float32, one more histogram pass
 *    ({@link smallestCutFloat32}); float64, a gather of one bucket ({@link smallestCutDetail});
 * 3. **quantize** — columns in order, each column's entries in row order. `magnitude` keeps entry
 *    `i` iff `|w_i| > t`, or `|w_i| = t` and it is among the first `equal - ties` such entries in
 *    column-major order (MODEL §3: the pruned ties are the highest flat indices) — a counter, so the
 *    cut never has to be located; `nm` ranks each group as prune.ts does (unrolled for m = 4). The kept
 *    rows are compacted first, then only they get `q = clamp(rhe(w / s), -Q, Q)`, and the nonzero ones
 *    stay (`none` does it in one step). Both steps are branchless (an index is stored at the end,
 *    the end advances by a 0/1), since which entries survive is data, not a pattern a branch
 *    predictor could learn. o-last sources are read through bands of columns gathered into a
 *    column-major scratch (512 KiB of float32).
 *
 * Scales need no pass of their own: pruning only removes the smallest magnitudes, so the maximum of
 * a pruned column (or matrix) is its original maximum `M` unless `M < t` (all pruned) or `M = t` (then
 * `t` if one of its tied entries is kept, else all pruned) — known at the column's start from the tie
 * counter; `nm` keeps each group's largest, so maxima never change; `none` prunes nothing.
 */
import type { CscMatrix } from '../../formats/types.js';
import type { PruneSpec } from './prune.js';
import type { Granularity } from './quantize.js';
import { HISTOGRAM_MIN, RANK_LIMIT, float32FromBits, histogram64, markSmallest, smallestCutDetail, smallestCutFloat32 } from './select.js';

/** A weight matrix `[K, N]` as stored: its values and their order. */
export interface WeightSource {
  /** `K · N` values. */
  readonly data: Float32Array | Float64Array;
  readonly K: number;
  readonly N: number;
  /** `(k, j)` is `data[j·K + k]` when true (o-first layouts, FloatMatrix), `data[k·N + j]` when false (o-last). */
  readonly colMajor: boolean;
}

/** The prune rules this path applies itself (the others prune a float64 matrix first and pass `none`). */
export type FusedPruneSpec = Extract<PruneSpec, { kind: 'none' | 'magnitude' | 'nm' }>;

/** The result of {@link pruneQuantize}. */
export interface FusedPrepared {
  /** The nonzeros of the integer matrix, column-major (`rowIdx` and `values` may be longer than `nnz`). */
  readonly nonzeros: CscMatrix;
  /** Per-column (length N) or per-tensor (length 1) scales, as `quantizeWeights` gives them. */
  readonly scales: Float64Array;
}

/** 1.5 · 2^52: `x + RINT_MAGIC - RINT_MAGIC` rounds |x| < 2^51 half to even (as in quantize.ts). */
const RINT_MAGIC = 6755399441055744;
/** Values per band of o-last columns gathered at once (band width × K ≈ this, 512 KiB of float32). */
const BAND_VALUES = 1 << 17;

/**
 * Prune and quantize a weight source (MODEL §2–3). Calls `nonFinite(i)` — which must throw — with the
 * memory index of the first NaN/±Inf, before any other work.
 * @example
 * const src = { data: Float32Array.of(1, -2, 3, -4, 0.5, 0, 0, 8), K: 4, N: 2, colMajor: true };
 * pruneQuantize(src, { kind: 'nm', n: 2, m: 4 }, 4, 'per-column', () => { throw new Error() }).nonzeros.values
 * // → [5, -7, 7] (rows 2, 3 of column 0; row 3 of column 1), scales [4/7, 8/7]
 */
export function pruneQuantize(
  src: WeightSource,
  spec: FusedPruneSpec,
  bits: number,
  granularity: Granularity,
  nonFinite: (memoryIndex: number) => never,
): FusedPrepared {
  const { data, K, N, colMajor } = src;
  const n = K * N;
  const Q = (1 << (bits - 1)) - 1;
  const perTensor = granularity === 'per-tensor';

  // How many the rule prunes, and whether the scan should build the selection's first histogram.
  const count = spec.kind === 'magnitude' ? Math.floor(spec.sparsity * (K * N)) : 0;
  const selecting = spec.kind === 'magnitude' && count > 0 && count < n;
  const f32 = data instanceof Float32Array;
  const wantHist = selecting && (f32 || n >= HISTOGRAM_MIN);

  // Pass 1: column maxima, nonzero count, non-finite check (+ histogram).
  const colMax = new Float64Array(N);
  const hist = wantHist ? new Uint32Array(65536) : null;
  let floatNonzeros: number;
  let bad: boolean;
  const bitsView = f32 ? new Uint32Array(data.buffer, data.byteOffset, n) : null;
  if (bitsView) {
    const maxBits = new Uint32Array(N);
    floatNonzeros = colMajor ? scanBitsColumns(bitsView, K, N, maxBits, hist) : scanBitsRows(bitsView, K, N, maxBits, hist);
    bad = false;
    for (let j = 0; j < N; j++) {
      const u = maxBits[j]!;
      if (u >= 0x7f800000) bad = true; // ±Inf, NaN: exponent all ones
      colMax[j] = float32FromBits(u);
    }
  } else {
    const d = data as Float64Array;
    if (hist) histogram64(d, 0, n, hist);
    floatNonzeros = colMajor ? scanColumns(d, K, N, colMax) : scanRows(d, K, N, colMax);
    bad = floatNonzeros < 0;
    for (let j = 0; j < N && !bad; j++) if (colMax[j] === Infinity) bad = true;
  }
  if (bad) nonFinite(firstNonFinite(data));

  // The cut (magnitude) and the bound on the nonzeros of q (q ≠ 0 needs w ≠ 0 and kept).
  let t = -1; // keep |w| > t: -1 keeps everything
  let keepTies = 0;
  let bound = floatNonzeros;
  if (spec.kind === 'magnitude') {
    if (count >= n) return allPruned(K, N, perTensor);
    if (selecting) {
      const cut = bitsView ? smallestCutFloat32(bitsView, count, hist ?? undefined) : smallestCutDetail(data as Float64Array, 0, n, count, hist ?? undefined);
      // A zero threshold prunes zeros only: nothing changes, so keep everything.
      if (cut.threshold > 0) {
        t = cut.threshold;
        keepTies = cut.equal - cut.ties;
      }
      // Kept entries number n - count; with t > 0 all are nonzero, with t = 0 (count ≤ zeros) the
      // nonzeros are at most n - count too. (The float32 scan skips its count when it histograms.)
      bound = n - count;
    }
  } else if (spec.kind === 'nm') {
    // The kept rows of a column are compacted before its quantization zeros (and kept zeros) drop
    // out: room for the nonzeros so far plus one whole column, and never more than nm keeps.
    const full = Math.floor(K / spec.m), rest = K - full * spec.m;
    bound = Math.min(bound + K, N * (full * spec.n + Math.min(spec.n, rest)));
  }

  // Scales: per-tensor one from the maxima; per-column each at its column's start (below).
  let tensorScale = 1;
  if (perTensor) {
    let M = 0;
    for (let j = 0; j < N; j++) if (colMax[j]! > M) M = colMax[j]!;
    const kept = M > t || (M === t && keepTies > 0) ? M : 0;
    tensorScale = kept === 0 ? 1 : kept / Q;
  }
  const scales = new Float64Array(perTensor ? 1 : N);
  if (perTensor) scales[0] = tensorScale;

  // Pass 3: columns in order.
  const colPtr = new Uint32Array(N + 1);
  let rowIdx = new Uint32Array(bound + 1);
  let values = new Int16Array(bound + 1);
  const nm = spec.kind === 'nm' ? spec : null;
  const groupAbs = nm ? new Float64Array(nm.m) : null;
  const groupMark = nm && nm.m > RANK_LIMIT ? new Uint8Array(nm.m) : null;
  tiesLeft = keepTies;
  let nnz = 0;
  const band = colMajor ? N : Math.max(1, Math.min(N, Math.floor(BAND_VALUES / K)));
  const scratch = colMajor ? null : f32 ? new Float32Array(band * K) : new Float64Array(band * K);
  for (let j0 = 0; j0 < N; j0 += band) {
    const j1 = Math.min(N, j0 + band);
    let w: Float32Array | Float64Array = data;
    if (scratch) {
      gatherBand(data, K, N, j0, j1 - j0, scratch);
      w = scratch;
    }
    for (let j = j0; j < j1; j++) {
      colPtr[j] = nnz;
      const M = colMax[j]!;
      // The column's maximum after pruning: 0 when the rule prunes all of it.
      const kept = M > t || (M === t && tiesLeft > 0) ? M : 0;
      if (!perTensor) scales[j] = kept === 0 ? 1 : kept / Q;
      if (kept === 0) continue;
      const s = perTensor ? tensorScale : kept / Q;
      const off = scratch ? (j - j0) * K : j * K;
      if (nm) nnz = quantizeColumnNm(w, off, K, s, Q, nm.n, nm.m, groupAbs!, groupMark, rowIdx, values, nnz);
      else if (t < 0) nnz = quantizeColumn(w, off, K, s, Q, rowIdx, values, nnz);
      else nnz = quantizeColumnAbove(w, off, K, s, Q, t, rowIdx, values, nnz);
    }
  }
  colPtr[N] = nnz;
  // Quantization zeros (low bit widths) can leave the arrays mostly unused: give the room back.
  if (nnz + 1 < (rowIdx.length * 3) / 4) {
    rowIdx = rowIdx.slice(0, nnz);
    values = values.slice(0, nnz);
  }
  return { nonzeros: { rows: K, cols: N, nnz, colPtr, rowIdx, values }, scales };
}

/** Every entry pruned: no nonzeros, every scale 1 (an all-zero group). */
function allPruned(K: number, N: number, perTensor: boolean): FusedPrepared {
  return {
    nonzeros: { rows: K, cols: N, nnz: 0, colPtr: new Uint32Array(N + 1), rowIdx: new Uint32Array(0), values: new Int16Array(0) },
    scales: new Float64Array(perTensor ? 1 : N).fill(1),
  };
}

/** Tied entries (`|w| = t`) still to keep, in column-major order; the quantize pass counts it down. */
let tiesLeft = 0;

/**
 * Float32 bits, column-major: per-column max of `|w|`'s bits and the nonzero count; with `hist`, the
 * level-1 histogram of the selection instead of the count (magnitude bounds its output by `n - count`).
 */
function scanBitsColumns(bits: Uint32Array, K: number, N: number, maxBits: Uint32Array, hist: Uint32Array | null): number {
  if (!hist) return scanBitsColumnsPlain(bits, K, N, maxBits);
  const odd = new Uint32Array(65536);
  scanBitsColumnsHist(bits, K, N, maxBits, hist, odd);
  for (let b = 0; b < 65536; b++) hist[b] += odd[b]!;
  return 0;
}

/**
 * Two histograms, for even and odd positions: bell-shaped weights send runs of neighbours to the same
 * bucket, and one shared counter would make every increment wait for the previous one's store.
 */
function scanBitsColumnsHist(bits: Uint32Array, K: number, N: number, maxBits: Uint32Array, even: Uint32Array, odd: Uint32Array): void {
  for (let j = 0, off = 0; j < N; j++, off += K) {
    let m = 0, i = off;
    const end = off + K;
    for (; i + 1 < end; i += 2) {
      const u = bits[i]! & 0x7fffffff, v = bits[i + 1]! & 0x7fffffff;
      even[u >>> 15]++;
      odd[v >>> 15]++;
      if (u > m) m = u;
      if (v > m) m = v;
    }
    if (i < end) {
      const u = bits[i]! & 0x7fffffff;
      even[u >>> 15]++;
      if (u > m) m = u;
    }
    maxBits[j] = m;
  }
}

function scanBitsColumnsPlain(bits: Uint32Array, K: number, N: number, maxBits: Uint32Array): number {
  let nz = 0;
  for (let j = 0, off = 0; j < N; j++, off += K) {
    let m = 0;
    for (let i = off; i < off + K; i++) {
      const u = bits[i]! & 0x7fffffff;
      nz += +(u !== 0);
      if (u > m) m = u;
    }
    maxBits[j] = m;
  }
  return nz;
}

/** Float32 bits, row-major: as {@link scanBitsColumns}. */
function scanBitsRows(bits: Uint32Array, K: number, N: number, maxBits: Uint32Array, hist: Uint32Array | null): number {
  if (!hist) return scanBitsRowsPlain(bits, K, N, maxBits);
  scanBitsRowsHist(bits, K, N, maxBits, hist);
  return 0;
}

function scanBitsRowsHist(bits: Uint32Array, K: number, N: number, maxBits: Uint32Array, hist: Uint32Array): void {
  for (let k = 0, row = 0; k < K; k++, row += N) {
    for (let j = 0; j < N; j++) {
      const u = bits[row + j]! & 0x7fffffff;
      hist[u >>> 15]++;
      if (u > maxBits[j]!) maxBits[j] = u;
    }
  }
}

function scanBitsRowsPlain(bits: Uint32Array, K: number, N: number, maxBits: Uint32Array): number {
  let nz = 0;
  for (let k = 0, row = 0; k < K; k++, row += N) {
    for (let j = 0; j < N; j++) {
      const u = bits[row + j]! & 0x7fffffff;
      nz += +(u !== 0);
      if (u > maxBits[j]!) maxBits[j] = u;
    }
  }
  return nz;
}

/** Float64, column-major: per-column max `|w|` and nonzero count; -1 at the first NaN. */
function scanColumns(d: Float64Array, K: number, N: number, colMax: Float64Array): number {
  let nz = 0;
  for (let j = 0, off = 0; j < N; j++, off += K) {
    let m = 0;
    for (let i = off; i < off + K; i++) {
      const a = Math.abs(d[i]!);
      nz += +(a !== 0);
      if (!(a <= m)) {
        if (a > m) m = a;
        else return -1; // NaN
      }
    }
    colMax[j] = m;
  }
  return nz;
}

/** Float64, row-major: as {@link scanColumns}. */
function scanRows(d: Float64Array, K: number, N: number, colMax: Float64Array): number {
  let nz = 0;
  for (let k = 0, row = 0; k < K; k++, row += N) {
    for (let j = 0; j < N; j++) {
      const a = Math.abs(d[row + j]!);
      nz += +(a !== 0);
      if (!(a <= colMax[j]!)) {
        if (a > colMax[j]!) colMax[j] = a;
        else return -1; // NaN
      }
    }
  }
  return nz;
}

/** Memory index of the first NaN/±Inf (cold path: the scan found one). */
function firstNonFinite(d: Float32Array | Float64Array): number {
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}

/** Row-major `[K, N]` columns `j0 .. j0+width` → `out` column-major `[K, width]`. */
function gatherBand(src: Float32Array | Float64Array, K: number, N: number, j0: number, width: number, out: Float32Array | Float64Array): void {
  for (let k = 0, row = j0; k < K; k++, row += N) {
    for (let jj = 0, o = k; jj < width; jj++, o += K) out[o] = src[row + jj]!;
  }
}

// The kernels below inline `clamp(rhe(w / s), -Q, Q)` exactly as quantize.ts writes it (clamp first,
// then the RINT_MAGIC rounding), then `| 0`: the int16 value the Int16Array store would keep (-0 and
// the NaN of a 0/0 under an underflowed scale become 0), so `q !== 0` counts what the matrix holds.

/** Every entry kept: quantize one column, append its nonzeros. Returns the new end. */
function quantizeColumn(
  w: Float32Array | Float64Array, off: number, K: number, s: number, Q: number,
  rowIdx: Uint32Array, values: Int16Array, nnz: number,
): number {
  for (let k = 0; k < K; k++) {
    const x = w[off + k]! / s;
    const q = (x >= Q ? Q : x <= -Q ? -Q : x + RINT_MAGIC - RINT_MAGIC) | 0;
    rowIdx[nnz] = k;
    values[nnz] = q;
    nnz += +(q !== 0);
  }
  return nnz;
}

/**
 * magnitude: keep `|w| > t`, and `|w| = t` while {@link tiesLeft} lasts; quantize, append. Two steps,
 * both branchless: the kept rows are compacted at the end of `rowIdx` (one compare per entry), then
 * only they are quantized — at high sparsity most entries never reach the division.
 */
function quantizeColumnAbove(
  w: Float32Array | Float64Array, off: number, K: number, s: number, Q: number, t: number,
  rowIdx: Uint32Array, values: Int16Array, nnz: number,
): number {
  const end = keptRows(w, off, K, t, rowIdx, nnz);
  return quantizeRows(w, off, s, Q, rowIdx, values, nnz, end);
}

/** Rows of the column kept by the magnitude cut, appended at `rowIdx[start ..]`; returns the new end. */
function keptRows(w: Float32Array | Float64Array, off: number, K: number, t: number, rowIdx: Uint32Array, start: number): number {
  let p = start;
  for (let k = 0; k < K; k++) {
    const a = Math.abs(w[off + k]!);
    rowIdx[p] = k;
    p += +(a > t);
    if (a === t && tiesLeft > 0) {
      tiesLeft--;
      p++;
    }
  }
  return p;
}

/** Quantize the rows `rowIdx[from .. to)` of a column, keeping the nonzeros compacted from `from`; returns the new end. */
function quantizeRows(w: Float32Array | Float64Array, off: number, s: number, Q: number, rowIdx: Uint32Array, values: Int16Array, from: number, to: number): number {
  let nnz = from;
  for (let p = from; p < to; p++) {
    const r = rowIdx[p]!;
    const x = w[off + r]! / s;
    const q = (x >= Q ? Q : x <= -Q ? -Q : x + RINT_MAGIC - RINT_MAGIC) | 0;
    rowIdx[nnz] = r;
    values[nnz] = q;
    nnz += +(q !== 0);
  }
  return nnz;
}

/**
 * nm:N:m: per group of m rows (the last may be short) keep the `keep` largest `|w|`, lower row on
 * ties — the rank count of prune.ts: entry r is pruned iff fewer than `len - keep` entries precede it
 * in the pruning order (`|w|` ascending, then row descending). The kept rows are compacted first, then
 * quantized (half the divisions for 2:4).
 */
function quantizeColumnNm(
  w: Float32Array | Float64Array, off: number, K: number, s: number, Q: number, keep: number, m: number,
  a: Float64Array, mark: Uint8Array | null,
  rowIdx: Uint32Array, values: Int16Array, nnz: number,
): number {
  const full = m === 4 ? K - (K % 4) : 0;
  let end = full > 0 ? keptRowsNm4(w, off, full, keep, rowIdx, nnz) : nnz;
  end = keptRowsNm(w, off, full, K, keep, m, a, mark, rowIdx, end);
  return quantizeRows(w, off, s, Q, rowIdx, values, nnz, end);
}

/**
 * {@link keptRowsNm} for m = 4 (2:4, 1:4, 3:4) over rows `[0, K4)`, `K4` a multiple of 4: the four
 * magnitudes in locals, each entry's rank from three compares, no branch on the data.
 */
function keptRowsNm4(w: Float32Array | Float64Array, off: number, K4: number, keep: number, rowIdx: Uint32Array, start: number): number {
  const count = 4 - keep;
  let p = start;
  for (let g0 = 0; g0 < K4; g0 += 4) {
    const b = off + g0;
    const a0 = Math.abs(w[b]!), a1 = Math.abs(w[b + 1]!), a2 = Math.abs(w[b + 2]!), a3 = Math.abs(w[b + 3]!);
    rowIdx[p] = g0;
    p += +(+(a1 <= a0) + +(a2 <= a0) + +(a3 <= a0) >= count);
    rowIdx[p] = g0 + 1;
    p += +(+(a0 < a1) + +(a2 <= a1) + +(a3 <= a1) >= count);
    rowIdx[p] = g0 + 2;
    p += +(+(a0 < a2) + +(a1 < a2) + +(a3 <= a2) >= count);
    rowIdx[p] = g0 + 3;
    p += +(+(a0 < a3) + +(a1 < a3) + +(a2 < a3) >= count);
  }
  return p;
}

/** Kept rows of the groups starting at rows `from, from + m, …` below K, appended at `rowIdx[start ..]`; returns the new end. */
function keptRowsNm(
  w: Float32Array | Float64Array, off: number, from: number, K: number, keep: number, m: number,
  a: Float64Array, mark: Uint8Array | null, rowIdx: Uint32Array, start: number,
): number {
  let p = start;
  for (let g0 = from; g0 < K; g0 += m) {
    const len = Math.min(m, K - g0);
    const base = off + g0;
    if (len <= keep) {
      for (let r = 0; r < len; r++) rowIdx[p++] = g0 + r;
      continue;
    }
    const count = len - keep;
    for (let i = 0; i < len; i++) a[i] = Math.abs(w[base + i]!);
    if (len <= RANK_LIMIT) {
      // Entries before r in the pruning order: smaller ones above it, smaller-or-equal ones below it
      // (equal magnitudes are pruned from the higher row). Branchless: half the entries of nm:2:4 are
      // kept, so a branch on the rank would be mispredicted half the time.
      for (let r = 0; r < len; r++) {
        const v = a[r]!;
        let before = 0;
        for (let u = 0; u < r; u++) before += +(a[u]! < v);
        for (let u = r + 1; u < len; u++) before += +(a[u]! <= v);
        rowIdx[p] = g0 + r;
        p += +(before >= count);
      }
    } else {
      mark!.fill(0, 0, len);
      markSmallest(a, 0, len, count, mark!, 0);
      for (let r = 0; r < len; r++) {
        rowIdx[p] = g0 + r;
        p += 1 - mark![r]!;
      }
    }
  }
  return p;
}

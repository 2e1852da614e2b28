/**
 * The fast engine's multiply-accumulate kernel: for every slot of a load, `acc[b] += Σ_i w_i ·
 * x[row_i, b]` over its segment's entries, for all B input vectors at once.
 *
 * Three tricks, all exact:
 * 1. **Two vectors per double.** Inputs are packed in pairs, `xp[k, h] = x[k, h] + x[k, h + H] · 2^S`
 *    (H = ceil(B / 2)). A segment sum of such numbers is `lo + hi · 2^S` with `lo`, `hi` the two
 *    vectors' sums. When every segment sum is bounded by `bound < 2^(S−1)` (bound = segment rows ·
 *    max|w| · max|x|), `hi = round(t / 2^S)` and `lo = t − hi · 2^S` recover both exactly, provided
 *    `bound · (2^S + 1) ≤ 2^53` so that every intermediate sum is an exact double. For 8-bit weights,
 *    8-bit inputs and R = 256: bound = 256 · 128 · 255 < 2^23, S = 24, bound · 2^24 < 2^47. This
 *    halves the multiply-adds. When the bound does not allow it, one vector per double is used.
 * 2. **Several entries per pass** over the accumulator, so it is loaded and stored once per 8 (JS)
 *    or 4 (wasm) entries instead of once per entry.
 * 3. **WebAssembly SIMD** (`wasm-kernel.ts`): two doubles per instruction where the runtime has it.
 */
import { LANE_UNROLL, wasmKernel } from './wasm-kernel.js';

/** Input layout for the kernel: `lanes` doubles per row, packed two vectors per double when `packed`. */
export interface KernelInputs {
  /** `[K, lanes]` row-major. */
  readonly xs: Float64Array;
  /** Doubles per row: ceil(B / 2) when packed, else B (rounded up to a multiple of 4 for wasm). */
  readonly lanes: number;
  readonly packed: boolean;
  /** 2^S, the packing shift (1 when not packed). */
  readonly shift: number;
}

/** Lane layout: whether two vectors share a double, the shift 2^S, and doubles per row (padded to `multiple`). */
export interface LaneLayout {
  readonly lanes: number;
  readonly packed: boolean;
  readonly shift: number;
  /** Vectors per half when packed (ceil(B / 2)), else B. */
  readonly half: number;
}

/** Choose the layout for B vectors whose segment sums are bounded by `bound`. */
export function laneLayout(B: number, bound: number, multiple: number): LaneLayout {
  let sBits = 1;
  while (2 ** (sBits - 1) <= bound) sBits++;
  const shift = 2 ** sBits;
  const packed = B >= 2 && bound * (shift + 1) <= 2 ** 53;
  const half = packed ? Math.ceil(B / 2) : B;
  return { lanes: Math.ceil(half / multiple) * multiple, packed, shift: packed ? shift : 1, half };
}

/**
 * One load's multiply-accumulate, reading the entries where the codec wrote them. For each slot t,
 * `readSegment` writes into `rowViews[t]` / `valViews[t]` and the engine sets `counts[t]`; then
 * `run(slots)` leaves slot t's lane sums in `acc[t · lanes .. (t + 1) · lanes)` (it zeroes `acc`
 * first). Entries with row −1 (rl fillers, nm padding) hold value 0 and add nothing.
 */
export interface Kernel {
  readonly inputs: KernelInputs;
  readonly layout: LaneLayout;
  readonly rowViews: readonly Int32Array[];
  readonly valViews: readonly Int32Array[];
  readonly counts: Int32Array;
  readonly acc: Float64Array;
  run(slots: number): void;
}

/** The JS kernel over a whole load (same contract as the wasm one). */
export function accumulateLoad(
  nSeg: number, counts: Int32Array, rowViews: readonly Int32Array[], valViews: readonly Int32Array[],
  xs: Float64Array, lanes: number, acc: Float64Array,
): void {
  for (let t = 0; t < nSeg; t++) accumulate(counts[t]!, rowViews[t]!, valViews[t]!, xs, lanes, acc, t * lanes);
}

/**
 * `acc[a0 + l] += Σ_{i < n} vals[i] · xs[rows[i] · lanes + l]` for `l < lanes`, eight entries per pass
 * over the accumulator; a row of −1 (value 0) reads row 0 instead and adds 0.
 */
export function accumulate(
  n: number, rows: Int32Array, vals: Int32Array, xs: Float64Array, lanes: number, acc: Float64Array, a0: number,
): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o0 = Math.max(rows[i]!, 0) * lanes, o1 = Math.max(rows[i + 1]!, 0) * lanes;
    const o2 = Math.max(rows[i + 2]!, 0) * lanes, o3 = Math.max(rows[i + 3]!, 0) * lanes;
    const o4 = Math.max(rows[i + 4]!, 0) * lanes, o5 = Math.max(rows[i + 5]!, 0) * lanes;
    const o6 = Math.max(rows[i + 6]!, 0) * lanes, o7 = Math.max(rows[i + 7]!, 0) * lanes;
    const w0 = vals[i]!, w1 = vals[i + 1]!, w2 = vals[i + 2]!, w3 = vals[i + 3]!;
    const w4 = vals[i + 4]!, w5 = vals[i + 5]!, w6 = vals[i + 6]!, w7 = vals[i + 7]!;
    for (let b = 0; b < lanes; b++) {
      acc[a0 + b] +=
        w0 * xs[o0 + b]! + w1 * xs[o1 + b]! + w2 * xs[o2 + b]! + w3 * xs[o3 + b]! +
        w4 * xs[o4 + b]! + w5 * xs[o5 + b]! + w6 * xs[o6 + b]! + w7 * xs[o7 + b]!;
    }
  }
  for (; i < n; i++) {
    const o = Math.max(rows[i]!, 0) * lanes;
    const w = vals[i]!;
    for (let b = 0; b < lanes; b++) acc[a0 + b] += w * xs[o + b]!;
  }
}

/**
 * Build a kernel for K input rows of B vectors, loads of up to `slots` segments of up to `cap`
 * entries, segment sums bounded by `bound`. Fill its `inputs.xs` with `InputPacks.writeLanes`
 * (input-packs.ts), which writes every entry. Uses wasm SIMD when available (`useWasm`, default
 * true), else plain JS.
 */
export function makeKernel(K: number, B: number, slots: number, cap: number, bound: number, useWasm = true): Kernel {
  const wasm = useWasm ? wasmKernel() : null;
  const views = (buf: ArrayBufferLike, ptr: number): Int32Array[] =>
    Array.from({ length: slots }, (_, t) => new Int32Array(buf, ptr + t * cap * 4, cap));
  if (wasm === null) {
    const layout = laneLayout(B, bound, 1);
    const inputs: KernelInputs = { xs: new Float64Array(K * layout.lanes), lanes: layout.lanes, packed: layout.packed, shift: layout.shift };
    const rowViews = views(new ArrayBuffer(slots * cap * 4), 0);
    const valViews = views(new ArrayBuffer(slots * cap * 4), 0);
    const counts = new Int32Array(slots);
    const acc = new Float64Array(slots * layout.lanes);
    return {
      inputs, layout, rowViews, valViews, counts, acc,
      run: (n) => {
        acc.fill(0);
        accumulateLoad(n, counts, rowViews, valViews, inputs.xs, layout.lanes, acc);
      },
    };
  }
  // wasm memory layout (16-byte aligned): acc | rows | vals | counts | xs
  const layout = laneLayout(B, bound, 2 * LANE_UNROLL); // the lane loop moves 2 · LANE_UNROLL doubles per iteration
  const align = (n: number): number => Math.ceil(n / 16) * 16;
  const accPtr = 0;
  const rowsPtr = align(accPtr + slots * layout.lanes * 8);
  const valsPtr = align(rowsPtr + slots * cap * 4);
  const countsPtr = align(valsPtr + slots * cap * 4);
  const xsPtr = align(countsPtr + slots * 4);
  const bytes = xsPtr + K * layout.lanes * 8;
  const memory = wasm.memory;
  const pages = Math.ceil(bytes / 65536);
  if (memory.buffer.byteLength < pages * 65536) memory.grow(pages - memory.buffer.byteLength / 65536);
  const buf = memory.buffer;
  const xs = new Float64Array(buf, xsPtr, K * layout.lanes);
  const inputs: KernelInputs = { xs, lanes: layout.lanes, packed: layout.packed, shift: layout.shift };
  const rowViews = views(buf, rowsPtr);
  const valViews = views(buf, valsPtr);
  const counts = new Int32Array(buf, countsPtr, slots);
  const acc = new Float64Array(buf, accPtr, slots * layout.lanes);
  const laneBytes = layout.lanes * 8;
  const slotBytes = cap * 4;
  const fn = wasm.acc;
  return {
    inputs, layout, rowViews, valViews, counts, acc,
    run: (n) => {
      acc.fill(0);
      fn(n, countsPtr, rowsPtr, valsPtr, slotBytes, xsPtr, laneBytes, accPtr);
    },
  };
}

/** Unpack slot t's lane sums (`acc[t · lanes ..]`) into per-vector sums `out[0..B)`. */
export function unpack(acc: Float64Array, t: number, inputs: KernelInputs, B: number, out: Float64Array): void {
  const base = t * inputs.lanes;
  if (!inputs.packed) {
    for (let b = 0; b < B; b++) out[b] = acc[base + b]!;
    return;
  }
  const H = Math.ceil(B / 2);
  const shift = inputs.shift;
  for (let h = 0; h < H; h++) {
    const sum = acc[base + h]!;
    const hi = Math.round(sum / shift);
    out[h] = sum - hi * shift;
    if (h + H < B) out[h + H] = hi + 0; // + 0 turns a −0 from Math.round into +0
  }
}

/**
 * The float reference product at BLAS-like speed: `y = x · W` (MODEL §7's SQNR reference, float64
 * on the original weights) for a column-major `[K, N]` matrix and row-major `[B, K]` inputs,
 * **bit-identical** to the plain loop `referenceColumnProduct` (products.ts) — every output is summed
 * in the reference's order (rows in groups of four, `acc + (((w0·x0 + w1·x1) + w2·x2) + w3·x3)`,
 * groups in row order, then the leftover rows one by one), so SQNR computed from it is the very same
 * number (tested on random shapes, values, zeros, infinities and block boundaries).
 *
 * Blocking (GotoBLAS-style, single thread), with the wasm SIMD kernels of float-gemm-wasm.ts:
 * - the inputs are packed once into tiles of 2·MB input vectors (`[K][2·MB]` each, MB ≤ 6 balanced
 *   over the batch, an odd batch padded with one zero lane);
 * - the weights are read panel by panel: `panelCols` whole columns (contiguous in the column-major
 *   matrix, so one memcpy each; 16 columns of 4096 rows = 512 kB, within L2) are copied into the
 *   kernel's memory — the matrix itself is never copied whole; float32 weights are widened (exactly)
 *   by that copy, so a float32 matrix needs no float64 copy either;
 * - for each block of `blockRows` rows (a multiple of four: the kernel's groups stay aligned with the
 *   reference's) and each input tile, one kernel call runs over the panel's column pairs, adding into
 *   `[N][B]` float64 accumulators; storing and reloading an accumulator between blocks is exact, so
 *   the order of the additions per output is the reference's.
 *
 * Peak extra memory of one call (the kernel's WebAssembly memory): `8·(K·Bp + N·Bp + K·panelCols)`
 * bytes, Bp = B rounded up to even — for K = N = 4096, B = 64: 2 MiB packed inputs + 2 MiB
 * accumulators + 512 kiB panel — plus the `[B, N]` result. Memories up to 8 MiB are kept for the next
 * call (float-gemm-wasm.ts, `RETAINED_MEMORY_BYTES`); larger ones go with the call. Batches
 * that would need more than `maxMemoryBytes` are run in chunks of input vectors (outputs of different
 * input vectors never mix, so chunking changes nothing but the weights being read once per chunk).
 * Without WebAssembly SIMD the plain-JS blocked kernel (float-gemm-js.ts) is used.
 *
 * Speed (bench/float-product.ts, 4096², B = 64, the 2-core development machine under load): ~135–200 ms
 * against ~1 s for the plain loop (~550 ms for the JS kernel) and ~55–60 ms for numpy/OpenBLAS on one
 * thread (~30–35 ms on two). f64x2 without FMA peaks at 8 flops per cycle against 16 for the FMA pipes
 * BLAS uses (Zen 4), so ~2× one BLAS thread is the floor for this instruction set; the kernel runs at
 * ~18–19 GFLOPS, and copying the weights panel by panel costs ~10 ms (reading 128 MB, which BLAS
 * overlaps with its compute).
 */
import { jsColumnProduct } from './float-gemm-js.js';
import { type FloatGemmInstance, MAX_MB, floatGemmInstance } from './float-gemm-wasm.js';

/** Tuning knobs of {@link columnProduct} (defaults measured on 4096², B = 64; tests shrink them to hit block edges). */
export interface FloatGemmOptions {
  /** Use the wasm SIMD kernels when the runtime has them (default true); false forces the JS kernel. */
  readonly wasm?: boolean;
  /** Rows per block, a positive multiple of 4 (default 256). */
  readonly blockRows?: number;
  /** Weight columns per copied panel (default 16). */
  readonly panelCols?: number;
  /** Largest kernel memory per chunk of input vectors, bytes (default 256 MiB). */
  readonly maxMemoryBytes?: number;
}

const DEFAULT_BLOCK_ROWS = 256;
const DEFAULT_PANEL_COLS = 16;
const DEFAULT_MAX_MEMORY_BYTES = 256 * 1024 * 1024;

/** Tile sizes (in lane pairs, each ≤ MAX_MB, balanced) covering `pairs` lane pairs. */
function tileSizes(pairs: number): number[] {
  const tiles = Math.ceil(pairs / MAX_MB);
  const base = Math.floor(pairs / tiles), extra = pairs % tiles;
  return Array.from({ length: tiles }, (_, t) => base + (t < extra ? 1 : 0));
}

/**
 * Pack rows b0..b0+lanes−1 of the `[B, K]` inputs as `[K][lanes]` at `f[off..]`; lanes past the end of
 * the batch (one at most: the padding to an even count) are zeroed.
 */
function packTile(x: ArrayLike<number>, K: number, B: number, b0: number, lanes: number, f: Float64Array, off: number): void {
  for (let l = 0; l < lanes; l++) {
    const row = (b0 + l) * K;
    if (b0 + l < B) for (let k = 0; k < K; k++) f[off + k * lanes + l] = x[row + k]!;
    else for (let k = 0; k < K; k++) f[off + k * lanes + l] = 0;
  }
}

/** Accumulators `[N][Bp]` at `f[off..]` → rows b0..b0+rows−1 of the `[B, N]` result. */
function unpackOutputs(f: Float64Array, off: number, N: number, Bp: number, y: Float64Array, b0: number, rows: number): void {
  for (let j = 0; j < N; j++) {
    const a = off + j * Bp;
    for (let b = 0; b < rows; b++) y[(b0 + b) * N + j] = f[a + b]!;
  }
}

/** Where the packed input tiles are: pairs of lanes per tile, byte offsets, first lane. */
interface Tiles {
  readonly mbs: readonly number[];
  readonly xOffs: readonly number[];
  readonly laneOffs: readonly number[];
}

/**
 * The blocked loop: per panel of `NC` columns (copied into the kernel memory at byte `pOff`), per block
 * of rows and per input tile, one kernel call over the panel's column pairs (and one for an odd last
 * column), accumulating into `[N][Bp]` at byte `cOff`.
 */
function multiplyPanels(kernels: FloatGemmInstance['kernels'], f: Float64Array, w: Float64Array | Float32Array, K: number, N: number, Bp: number, tiles: Tiles, cOff: number, pOff: number, NC: number, blockRows: number): void {
  const { mbs, xOffs, laneOffs } = tiles;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    f.set(w.subarray(jc * K, (jc + nc) * K), pOff / 8);
    const pairs = nc >> 1;
    for (let kc = 0; kc < K; kc += blockRows) {
      const kk = Math.min(blockRows, K - kc);
      const groups = kk >> 2, tail = kk & 3;
      for (let t = 0; t < mbs.length; t++) {
        const MB = mbs[t]!;
        const xp = xOffs[t]! + kc * 2 * MB * 8;
        const cp = cOff + (jc * Bp + laneOffs[t]!) * 8;
        if (pairs > 0) kernels[MB]![2]!(groups, tail, xp, pOff + kc * 8, K * 8, cp, Bp * 8, pairs);
        if (nc % 2 === 1) kernels[MB]![1]!(groups, tail, xp, pOff + ((nc - 1) * K + kc) * 8, K * 8, cp + (nc - 1) * Bp * 8, Bp * 8, 1);
      }
    }
  }
}

/**
 * Input vectors b0..b0+rows−1 through the wasm kernels into `y`; false when wasm SIMD is missing or
 * its memory cannot be had (then nothing was written).
 */
function wasmChunk(w: Float64Array | Float32Array, K: number, N: number, x: ArrayLike<number>, B: number, b0: number, rows: number, blockRows: number, panelCols: number, y: Float64Array): boolean {
  const Bp = rows + (rows % 2);
  const NC = Math.min(panelCols, N);
  const xBytes = K * Bp * 8, cBytes = N * Bp * 8;
  let inst: FloatGemmInstance | null;
  try {
    inst = floatGemmInstance(xBytes + cBytes + K * NC * 8);
  } catch {
    return false; // RangeError: the memory could not be allocated
  }
  if (inst === null) return false;
  const f = new Float64Array(inst.memory.buffer);
  const mbs = tileSizes(Bp / 2);
  const xOffs: number[] = [];
  const laneOffs: number[] = [];
  for (let t = 0, xOff = 0, lane = 0; t < mbs.length; t++) {
    const lanes = 2 * mbs[t]!;
    xOffs.push(xOff);
    laneOffs.push(lane);
    packTile(x, K, B, b0 + lane, lanes, f, xOff / 8);
    xOff += K * lanes * 8;
    lane += lanes;
  }
  const cOff = xBytes, pOff = xBytes + cBytes;
  f.fill(0, cOff / 8, pOff / 8);
  multiplyPanels(inst.kernels, f, w, K, N, Bp, { mbs, xOffs, laneOffs }, cOff, pOff, NC, blockRows);
  unpackOutputs(f, cOff / 8, N, Bp, y, b0, rows);
  return true;
}

/**
 * `y[b, j] = Σ_k x[b, k] · w[k, j]` for a column-major `[K, N]` matrix `w` and row-major `[B, K]`
 * inputs; returns row-major `[B, N]`, bit-identical to `referenceColumnProduct(w, K, N, x, batch)`.
 *
 * @example columnProduct(Float64Array.of(1, 2, 3, 4), 2, 2, [1, 1], 1) // → Float64Array [3, 7]
 */
export function columnProduct(w: Float64Array | Float32Array, K: number, N: number, x: ArrayLike<number>, batch: number, options: FloatGemmOptions = {}): Float64Array {
  const blockRows = options.blockRows ?? DEFAULT_BLOCK_ROWS;
  const panelCols = options.panelCols ?? DEFAULT_PANEL_COLS;
  if (!Number.isInteger(blockRows) || blockRows < 4 || blockRows % 4 !== 0) throw new RangeError(`columnProduct: blockRows must be a positive multiple of 4, got ${blockRows}`);
  if (!Number.isInteger(panelCols) || panelCols < 1) throw new RangeError(`columnProduct: panelCols must be a positive integer, got ${panelCols}`);
  if (w.length !== K * N || x.length !== batch * K) throw new RangeError(`columnProduct: w has ${w.length} values for K·N = ${K * N}, x ${x.length} for B·K = ${batch * K}`);
  const y = new Float64Array(batch * N);
  if (batch === 0 || N === 0 || K === 0) return y; // K = 0: every sum is empty, +0 as in the reference
  if (options.wasm === false) return jsColumnProduct(w, K, N, x, batch, blockRows);
  // input vectors per chunk: (K + N)·8 bytes each (packed inputs + accumulators) beside the panel
  const budget = (options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES) / 8 - K * Math.min(panelCols, N);
  const chunk = Math.max(2, 2 * Math.floor(budget / (K + N) / 2));
  for (let b0 = 0; b0 < batch; b0 += chunk) {
    if (!wasmChunk(w, K, N, x, batch, b0, Math.min(chunk, batch - b0), blockRows, panelCols, y)) return jsColumnProduct(w, K, N, x, batch, blockRows);
  }
  return y;
}

/**
 * The fast engine's two views of the inputs, and a cache of them for many simulations of the same
 * inputs (the formats of one `run`, the points of a sweep):
 * - **bit planes** (`BitPlanes`): the masked two's-complement bits of `per` vectors packed into each
 *   int32 word per row, so the skip-plane OR handles `per` vectors per operation, plus the input
 *   popcount of every row. They depend on b_x only.
 * - **lanes**: the inputs transposed to the kernel's `[K, lanes]` layout, two vectors per double when
 *   packed (kernel.ts). They depend on the lane layout, i.e. on b_x, b_w and the segment height.
 *
 * Building both is a pass over the `[B, K]` inputs with strided writes (10–15 % of a point's time
 * at B = 1000 in a sweep). The engine always reads its inputs through an {@link InputPacks}: the
 * caller's, which builds each view once for many simulations, or a fresh one.
 */
import { ConfigError } from '../errors.js';
import type { MacroConfig } from './config.js';
import type { LaneLayout } from './kernel.js';
import type { SimInputs } from './result.js';
import { checkInputs } from './slot-model.js';

/** Population count of a 32-bit integer. */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Packed input bits (see the file comment). */
export interface BitPlanes {
  /** Vectors per int32 word: floor(32 / b_x). */
  readonly per: number;
  /** Words per row: ceil(B / per). */
  readonly W: number;
  /** `[K, W]`: vector b's masked bits at word floor(b / per), shift (b mod per) · b_x. */
  readonly xw: Int32Array;
  /** `popSum[k] = Σ_b popcount(x[b, k] & mask)`. */
  readonly popSum: Float64Array;
  /** Every plane of every vector set: the OR can stop once it reaches this. */
  readonly fullWord: Int32Array;
}

/** Build the bit planes of `[B, K]` inputs for b_x-bit inputs. */
export function bitPlanesOf(data: Int32Array, B: number, K: number, bx: number): BitPlanes {
  const per = Math.floor(32 / bx);
  const W = Math.ceil(B / per);
  const planeMask = 2 ** bx - 1; // ≤ 16 bits, so `& planeMask` is a plain int op
  const xw = new Int32Array(K * W);
  const popSum = new Float64Array(K);
  const fullWord = new Int32Array(W);
  for (let b = 0; b < B; b++) fullWord[Math.floor(b / per)] |= planeMask << ((b % per) * bx);
  fillPlanes(data, B, K, bx, per, W, xw, popSum);
  return { per, W, xw, popSum, fullWord };
}

/** The loop of {@link bitPlanesOf}, in 64-row tiles so that the strided writes stay in cache. */
function fillPlanes(data: Int32Array, B: number, K: number, bx: number, per: number, W: number, xw: Int32Array, popSum: Float64Array): void {
  const planeMask = 2 ** bx - 1;
  for (let k0 = 0; k0 < K; k0 += 64) {
    const k1 = Math.min(K, k0 + 64);
    for (let b = 0; b < B; b++) {
      const src = b * K;
      const w = Math.floor(b / per);
      const sh = (b % per) * bx;
      for (let k = k0; k < k1; k++) {
        const m = data[src + k]! & planeMask;
        xw[k * W + w] |= m << sh;
        popSum[k] += popcount32(m);
      }
    }
  }
}

/**
 * The transposed inputs of one lane layout, unscaled and as integers (half the bytes of doubles):
 * `lo` holds vectors `0..half−1` in lanes `0..half−1`, `hi` (packed layouts only) vectors
 * `half..B−1`. The kernel's lanes are then `lo + hi · 2^S` (kernel.ts), whatever the shift S,
 * which varies with the segment height and b_w. Together they hold as many values as the inputs.
 */
interface LaneHalves {
  readonly lo: Int32Array;
  readonly hi: Int32Array | null;
}

/**
 * Inputs checked and packed once for many simulations of the same inputs: pass it as
 * `EngineOptions.inputPacks` to `simulate`. It keeps a reference to `inputs.data`, which must not
 * change while the packs are used. Results are identical with and without packs (tested).
 *
 * @example
 * const packs = new InputPacks(inputs);
 * for (const enc of encodings) simulate(enc, inputs, config, { inputPacks: packs });
 */
export class InputPacks {
  /** K: values per vector. */
  readonly K: number;
  private readonly checked = new Set<string>();
  private readonly planes = new Map<number, BitPlanes>();
  private readonly halves = new Map<string, LaneHalves>();

  constructor(readonly inputs: SimInputs) {
    const { data, batch } = inputs;
    if (!Number.isInteger(batch) || batch < 1 || data.length % batch !== 0) {
      throw new ConfigError('BAD_INPUT_PACKS', `inputs of ${data.length} values do not split into ${batch} vectors`);
    }
    this.K = data.length / batch;
  }

  /** Throw unless `inputs` are the inputs these packs were made for. Used by the engine. */
  assertFor(inputs: SimInputs): void {
    if (inputs.data !== this.inputs.data || inputs.batch !== this.inputs.batch) {
      throw new ConfigError('BAD_INPUT_PACKS', 'inputPacks were made for other inputs; make one InputPacks per inputs array');
    }
  }

  /** Check the inputs against K and the config's b_x range (checkInputs), once per (K, b_x, signedness). Used by the engine. */
  check(config: MacroConfig, K: number): void {
    const key = `${K}:${config.inputBits}:${config.signedInputs}`;
    if (this.checked.has(key)) return;
    checkInputs(this.inputs.data, this.inputs.batch, K, config);
    this.checked.add(key);
  }

  /** The bit planes for b_x-bit inputs. Used by the engine. */
  bitPlanes(bx: number): BitPlanes {
    let p = this.planes.get(bx);
    if (!p) this.planes.set(bx, (p = bitPlanesOf(this.inputs.data, this.inputs.batch, this.K, bx)));
    return p;
  }

  /**
   * Write the kernel's `[K, layout.lanes]` lanes into `xs`, every entry: for packed layouts
   * `xs[k, h] = x[h, k] + x[h + half, k] · 2^S` (kernel.ts), exact because both are integers and the
   * layout's bound keeps every sum below 2^53; else `xs[k, b] = x[b, k]`. Lanes past the vectors are 0.
   * Used by the engine.
   */
  writeLanes(layout: LaneLayout, xs: Float64Array): void {
    const key = `${layout.lanes}:${layout.packed}:${layout.half}`;
    let h = this.halves.get(key);
    if (!h) this.halves.set(key, (h = this.transpose(layout)));
    if (h.hi === null) xs.set(h.lo);
    else combineHalves(h.lo, h.hi, layout.shift, xs);
  }

  private transpose(layout: LaneLayout): LaneHalves {
    const { data, batch: B } = this.inputs;
    const K = this.K;
    const lanes = layout.lanes;
    if (!layout.packed) return { lo: transposeInt32(data, B, K, lanes), hi: null };
    // Vectors below `half` into lo, the rest into hi, each starting at lane 0.
    const half = layout.half;
    return { lo: transposeInt32(data.subarray(0, half * K), half, K, lanes), hi: transposeInt32(data.subarray(half * K), B - half, K, lanes) };
  }
}

/** `[B, K]` → `[K, lanes]` (vector b in lane b; lanes past B stay 0), in 64-row tiles. */
function transposeInt32(data: Int32Array, B: number, K: number, lanes: number): Int32Array {
  const out = new Int32Array(K * lanes);
  for (let k0 = 0; k0 < K; k0 += 64) {
    const k1 = Math.min(K, k0 + 64);
    for (let b = 0; b < B; b++) {
      const src = b * K;
      for (let k = k0; k < k1; k++) out[k * lanes + b] = data[src + k]!;
    }
  }
  return out;
}

/** `xs[i] = lo[i] + hi[i] · shift` (a function of its own: a hot loop with nothing after it). */
function combineHalves(lo: Int32Array, hi: Int32Array, shift: number, xs: Float64Array): void {
  for (let i = 0; i < lo.length; i++) xs[i] = lo[i]! + hi[i]! * shift;
}

/**
 * Symmetric uniform quantization of weights and inputs (MODEL §2, exact).
 *
 * All arithmetic is float64 on the stored values. `rhe` is round-half-to-even, i.e. numpy's
 * `np.round`/`np.rint` under the default rounding mode. The quotient is computed as `w / s` (a true
 * division, as numpy's `w / s` does), never `w * (1 / s)`, which can differ in the last bit and flip a
 * rounding tie.
 *
 * - Weights: `Q = 2^(b-1) - 1`, `s = max|w| / Q` per output column (`per-column`, default) or over the
 *   whole matrix (`per-tensor`), `s = 1` for an all-zero group, `q = clamp(rhe(w / s), -Q, Q)`.
 * - Inputs: unsigned `Qx = 2^b - 1`, `sx = max(x) / Qx` (1 if the max is 0),
 *   `qx = clamp(rhe(x / sx), 0, Qx)`; signed: symmetric like the weights with `Q = 2^(b-1) - 1`.
 */
import { ConfigError, InputError } from '../../errors.js';
import type { IntMatrix } from '../../formats/types.js';
import type { TensorData } from '../io/tensor.js';
import type { FloatMatrix } from './matrix.js';

/** Quantization groups: one scale per output column, or one for the whole matrix. */
export type Granularity = 'per-column' | 'per-tensor';

/** 1.5 · 2^52: adding and subtracting it rounds any |x| < 2^51 to an integer, ties to even (IEEE default mode). */
const RINT_MAGIC = 6755399441055744;
const TWO_51 = 2251799813685248;

/**
 * Round half to even, bit-identical to numpy's `np.round(x)` (= `np.rint`) on float64.
 * @example [roundHalfEven(0.5), roundHalfEven(1.5), roundHalfEven(2.5), roundHalfEven(-2.5)] // → [0, 2, 2, -2]
 */
export function roundHalfEven(x: number): number {
  // For |x| < 2^51, x + 1.5·2^52 lands in [2^52, 2^53) where the spacing is exactly 1, so the FPU's
  // round-to-nearest-even does the work. Larger |x| (≥ 2^51) are integers or halves only up to 2^52;
  // handle them with Math.round plus a tie correction (r - x is exact there by Sterbenz's lemma).
  if (x < TWO_51 && x > -TWO_51) {
    const r = x + RINT_MAGIC - RINT_MAGIC;
    return r === 0 ? x * 0 : r; // keep numpy's sign of zero: rint(-0.4) = -0
  }
  if (!Number.isFinite(x)) return x;
  let r = Math.round(x); // ties toward +∞
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r;
}

/** Throws ConfigError `BAD_WEIGHT_BITS` unless `bits` is an integer in 2..16 (MODEL §2). */
export function checkWeightBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16) {
    throw new ConfigError('BAD_WEIGHT_BITS', `weight bits must be an integer from 2 to 16; got ${bits}`);
  }
}

/** Throws ConfigError `BAD_INPUT_BITS` unless `bits` is an integer in 1..16 (2..16 when signed). */
export function checkInputBits(bits: number, signed = false): void {
  const lo = signed ? 2 : 1;
  if (!Number.isInteger(bits) || bits < lo || bits > 16) {
    throw new ConfigError(
      'BAD_INPUT_BITS',
      `input bits must be an integer from ${lo} to 16${signed ? ' for signed inputs (1 bit leaves no magnitude)' : ''}; got ${bits}`,
    );
  }
}

/** Result of {@link quantizeWeights}. */
export interface QuantizedWeights {
  /** The integer matrix `[K, N]`, values in `[-Q, Q]`. */
  readonly q: IntMatrix;
  /** Scale per column (length N, `per-column`) or one scale (length 1, `per-tensor`): `w ≈ q · s`. */
  readonly scales: Float64Array;
}

/**
 * Quantize a float weight matrix to signed `bits`-bit integers (MODEL §2).
 * Throws ConfigError for bits outside 2..16 or an unknown granularity.
 * @example
 * quantizeWeights({ rows: 2, cols: 1, data: new Float64Array([0.5, -1]) }, 2, 'per-column').q.data
 * // Q = 1, s = 1: rhe(0.5) = 0, rhe(-1) = -1 → Int16Array [0, -1]
 */
export function quantizeWeights(m: FloatMatrix, bits: number, granularity: Granularity = 'per-column'): QuantizedWeights {
  checkWeightBits(bits);
  checkGranularity(granularity);
  const K = m.rows, N = m.cols, w = m.data;
  const Q = (1 << (bits - 1)) - 1;
  const out = new Int16Array(K * N);
  if (granularity === 'per-tensor') {
    const s = groupScale(maxAbs(w, 0, K * N), Q);
    quantizeRange(w, out, 0, K * N, s, Q);
    return { q: { rows: K, cols: N, data: out }, scales: Float64Array.of(s) };
  }
  const scales = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    const off = j * K;
    const s = groupScale(maxAbs(w, off, off + K), Q);
    scales[j] = s;
    quantizeRange(w, out, off, off + K, s, Q);
  }
  return { q: { rows: K, cols: N, data: out }, scales };
}

/**
 * `q · s` back to float64 (`scales` of length N per column, or length 1).
 * @example dequantize({ rows: 1, cols: 2, data: new Int16Array([3, -2]) }, Float64Array.of(0.5, 2)).data // → [1.5, -4]
 */
export function dequantize(q: IntMatrix, scales: Float64Array): FloatMatrix {
  const K = q.rows, N = q.cols, d = q.data;
  if (scales.length !== 1 && scales.length !== N) {
    throw new ConfigError('BAD_SCALES', `dequantize needs 1 or ${N} scales (one per column); got ${scales.length}`);
  }
  const out = new Float64Array(K * N);
  for (let j = 0; j < N; j++) {
    const s = scales.length === 1 ? scales[0]! : scales[j]!;
    const off = j * K;
    for (let k = off; k < off + K; k++) out[k] = d[k]! * s;
  }
  return { rows: K, cols: N, data: out };
}

/** Result of {@link quantizeInputs}. */
export interface QuantizedInputs {
  /** Quantized values, same order and length as the input. */
  readonly q: Int32Array;
  /** The one scale of the whole tensor: `x ≈ q · scale`. */
  readonly scale: number;
}

/**
 * Quantize an input tensor with one scale (MODEL §2). Unsigned (default): negative values throw
 * InputError `NEGATIVE_INPUT` naming `--signed-inputs`. Non-finite values throw `NON_FINITE_INPUT`.
 * @param x values in any order (the order is kept); 64-bit integer arrays are converted with `Number`
 * @example quantizeInputs(Float64Array.of(0, 1, 2, 3), 2, false) // Qx = 3, sx = 1 → { q: [0, 1, 2, 3], scale: 1 }
 */
export function quantizeInputs(
  x: TensorData | ArrayLike<number>,
  bits: number,
  signed = false,
  name = 'inputs',
): QuantizedInputs {
  checkInputBits(bits, signed);
  const v: ArrayLike<number> =
    x instanceof BigInt64Array || x instanceof BigUint64Array ? Float64Array.from(x, Number) : (x as ArrayLike<number>);
  const n = v.length;
  // One pass: max, min, first non-finite and first negative position.
  let max = 0, maxAbsV = 0;
  let firstNeg = -1;
  for (let i = 0; i < n; i++) {
    const a = v[i]!;
    if (a - a !== 0) {
      throw new InputError('NON_FINITE_INPUT', `${name} has a non-finite value (${a}) at flat index ${i}; inputs must be finite`);
    }
    if (a > max) max = a;
    if (a < 0) {
      if (firstNeg < 0) firstNeg = i;
      if (-a > maxAbsV) maxAbsV = -a;
    } else if (a > maxAbsV) maxAbsV = a;
  }
  const q = new Int32Array(n);
  if (!signed) {
    if (firstNeg >= 0) {
      throw new InputError(
        'NEGATIVE_INPUT',
        `${name} has a negative value (${v[firstNeg]}) at flat index ${firstNeg}, but inputs are unsigned (post-ReLU) by default; pass --signed-inputs`,
      );
    }
    const Qx = 2 ** bits - 1;
    const s = max === 0 ? 1 : max / Qx;
    for (let i = 0; i < n; i++) {
      let r = v[i]! / s;
      r = r > Qx ? Qx : r + RINT_MAGIC - RINT_MAGIC; // r ≥ 0 here
      q[i] = r;
    }
    return { q, scale: s };
  }
  const Q = 2 ** (bits - 1) - 1;
  const s = maxAbsV === 0 ? 1 : maxAbsV / Q;
  for (let i = 0; i < n; i++) q[i] = clampRound(v[i]! / s, Q);
  return { q, scale: s };
}

// The seeded input generator lives in macro-sim (the calibration runs use it too); re-exported here.
export { DEFAULT_INPUT_SEED, RANDOM_INPUTS_GENERATOR, randomInputs } from '../../macro-sim/random-inputs.js';

/** Throw ConfigError `BAD_GRANULARITY` unless `g` is `per-column` or `per-tensor`. */
export function checkGranularity(g: string): void {
  if (g !== 'per-column' && g !== 'per-tensor') {
    throw new ConfigError('BAD_GRANULARITY', `unknown quantization granularity '${g}'; use per-column or per-tensor`);
  }
}

function maxAbs(w: Float64Array, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) {
    const a = Math.abs(w[i]!);
    if (a > m) m = a;
  }
  return m;
}

/** `s = max|w| / Q`, or 1 for an all-zero group. */
function groupScale(maxAbsW: number, Q: number): number {
  return maxAbsW === 0 ? 1 : maxAbsW / Q;
}

function quantizeRange(w: Float64Array, out: Int16Array, from: number, to: number, s: number, Q: number): void {
  for (let i = from; i < to; i++) out[i] = clampRound(w[i]! / s, Q);
}

/**
 * `clamp(rhe(x), -Q, Q)`, clamping first (same result for finite x since rhe is monotone and Q is an
 * integer). Degenerate case outside numpy's reach: a group whose max|w| is so small (subnormal, below
 * Q·2^-1075) that `s` underflows to 0 gives ±Inf quotients, clamped to ±Q here, and 0/0 = NaN for its
 * zeros, stored as 0 by the Int16Array (numpy would cast inf/NaN to an undefined integer).
 */
function clampRound(x: number, Q: number): number {
  if (x >= Q) return Q;
  if (x <= -Q) return -Q;
  return x + RINT_MAGIC - RINT_MAGIC;
}

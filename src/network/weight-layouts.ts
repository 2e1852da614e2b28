/**
 * Weight layouts of the frameworks, brought to one form, and the two ways a digital layer is
 * absorbed into a matrix layer for the macro.
 *
 * - **Conv layouts.** `oihw` (PyTorch, ONNX: `[O, I/g, kh, kw]`), `hwio` (TensorFlow `conv2d` filter
 *   `[kh, kw, I/g, O]`) and `hwcm` (TensorFlow depthwise filter `[kh, kw, C, M]`: groups = C, output
 *   channel `c·M + m` reads input channel c) are all read into the compact grouped form
 *   `[O, I/g, kh, kw]` (the float reference convolves that directly).
 * - **Grouped and depthwise conv on the macro** are the block-diagonal matrices they are: the weight
 *   is expanded to a dense `[O, I, kh, kw]` whose entries outside output channel o's own group are 0,
 *   so the layer's matrix is `K = I·kh·kw` by `N = O` (MODEL §1) and its structural zeros are zeros of
 *   the matrix like any other: sparse formats do not store them, dense and bitmask pay for them, and
 *   its sparsity counts them. (The alternative — one small matrix per group — would need one macro
 *   input stream per group; the block-diagonal form keeps one layer = one matrix = one input stream.)
 * - **Batch norm folded into the preceding conv/linear** (inference): with `m = γ/√(var + ε)`,
 *   `BN(W·x + b) = (m ⊙ W)·x + (b − mean)·m + β`, so the macro stores `m ⊙ W` and the bias is
 *   `(b − mean)·m + β` — the standard fold (Jacob et al., CVPR 2018, §3.2). The float reference keeps
 *   the batch norm as its own op, so the fold's effect is part of what the comparison measures.
 */
import type { Tensor } from '../io/tensor.js';
import { tensorToFloat64 } from '../io/tensor-access.js';

/** A conv weight in the compact grouped OIHW form. */
export interface GroupedConvWeight {
  /** `[O, I/g, kh, kw]`, C order. */
  readonly values: Float64Array;
  readonly outputs: number;
  /** Input channels per group (I/g). */
  readonly groupInputs: number;
  readonly kh: number;
  readonly kw: number;
}

/** Layouts a conv weight may be stored in. */
export type ConvLayout = 'oihw' | 'hwio' | 'hwcm';

/**
 * Read a rank-4 conv weight stored in `layout` into `[O, I/g, kh, kw]` (see the file comment).
 * @example convWeightOihw(hwioTensor, 'hwio').values // the same numbers, transposed
 */
export function convWeightOihw(t: Tensor, layout: ConvLayout): GroupedConvWeight {
  const v = tensorToFloat64(t);
  const [a, b, c, d] = t.shape as [number, number, number, number];
  if (layout === 'oihw') return { values: v, outputs: a, groupInputs: b, kh: c, kw: d };
  // hwio: [kh, kw, Ig, O]; hwcm: [kh, kw, C, M] → O = C·M, Ig = 1, o = ch·M + m (same memory order as [kh, kw, 1, C·M]).
  const kh = a, kw = b;
  const Ig = layout === 'hwio' ? c : 1;
  const O = layout === 'hwio' ? d : c * d;
  const out = new Float64Array(v.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < Ig; i++) {
        const src = ((y * kw + x) * Ig + i) * O;
        for (let o = 0; o < O; o++) out[((o * Ig + i) * kh + y) * kw + x] = v[src + o]!;
      }
    }
  }
  return { values: out, outputs: O, groupInputs: Ig, kh, kw };
}

/**
 * Expand a grouped conv weight to the dense block-diagonal `[O, I = Ig·groups, kh, kw]` the macro
 * stores (output channel o belongs to group `floor(o / (O/groups))`).
 */
export function expandGroups(w: GroupedConvWeight, groups: number): Float64Array {
  if (groups === 1) return w.values;
  const { outputs: O, groupInputs: Ig, kh, kw } = w;
  const I = Ig * groups, khw = kh * kw, perGroup = O / groups;
  const out = new Float64Array(O * I * khw);
  for (let o = 0; o < O; o++) {
    const g = Math.floor(o / perGroup);
    out.set(w.values.subarray(o * Ig * khw, (o + 1) * Ig * khw), (o * I + g * Ig) * khw);
  }
  return out;
}

/** `[r, c]` → `[c, r]`, C order. */
export function transpose2d(v: Float64Array, r: number, c: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = v[i * c + j]!;
  return out;
}

/** A per-channel affine `y = x·mul[c] + add[c]` (a batch norm at inference). */
export interface ChannelAffine {
  readonly mul: Float64Array;
  readonly add: Float64Array;
}

/**
 * Fold a per-channel affine into a matrix layer whose weight is `[O, …]` (output-major, C order)
 * with bias `b` (or none): returns the new weight and bias (see the file comment).
 */
export function foldAffine(weight: Float64Array, bias: Float64Array | null, bn: ChannelAffine): { weight: Float64Array; bias: Float64Array } {
  const O = bn.mul.length, per = weight.length / O;
  const w = new Float64Array(weight.length);
  const b = new Float64Array(O);
  for (let o = 0; o < O; o++) {
    const m = bn.mul[o]!;
    for (let k = o * per; k < (o + 1) * per; k++) w[k] = weight[k]! * m;
    b[o] = (bias ? bias[o]! : 0) * m + bn.add[o]!;
  }
  return { weight: w, bias: b };
}

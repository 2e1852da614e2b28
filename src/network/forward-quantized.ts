/**
 * The quantized forward pass of a {@link PreparedNetwork}. Every conv/linear layer runs as an
 * integer matrix product `Y = qx · q` — through a pluggable {@link MatrixExecutor}: the plain
 * integer product ({@link integerProduct}) or the simulated macro (`./macro-executor.ts`) — and
 * everything else runs digitally in float64:
 *
 *     y[b, j] = Y[b, j] · sx_b · s_w[j] + bias[j]          (then ReLU / pooling in float64)
 *
 * **Activation-scale calibration: dynamic, per sample, per layer.** Each layer's input for one
 * sample (one image) is quantized as one tensor exactly per MODEL §2: unsigned
 * `sx = max(x) / (2^b_x − 1)`, `qx = clamp(rhe(x / sx), 0, Qx)` (signed and symmetric when the
 * graph cannot prove the layer's input is ≥ 0). Why this choice: it is MODEL §2 verbatim with the
 * tensor = that layer's input for one image, so it needs no calibration set and no extra
 * parameters, and a digital IMC system computes the max over a layer's outputs cheaply while they
 * stream out (they are needed for ReLU/pooling anyway). The first layer of an image network is then
 * lossless at 8 bits (`x = pixel/255` quantizes back to the pixel). The cost: one max per sample per
 * layer (negligible), and a sample's scale depends on that sample only — so results do not depend on
 * batch composition. A static calibrated scale would clip outliers; per-sample max never clips.
 *
 * Batching: many samples go through one executor call (for conv layers, one input vector per
 * output pixel per sample, via im2col); per-sample scales only enter the dequantization.
 */
import { quantizeInputs } from '../prep/quantize.js';
import type { NetworkStep } from './graph.js';
import { im2col } from './im2col.js';
import { integerProduct as plainIntegerProduct } from '../reference/products.js';
import type { PreparedLayer, PreparedNetwork } from './prepare.js';
import { runPlan } from './run-plan.js';

/**
 * Computes the exact integer product of `vectors` input vectors `x` (`[vectors, K]`, row-major)
 * with layer `layerIndex`'s integer matrix; returns `[vectors, N]` row-major (exact integers in float64).
 */
export type MatrixExecutor = (layer: PreparedLayer, layerIndex: number, x: Int32Array, vectors: number) => Float64Array;

/**
 * The plain integer product `qx · q` over the layer's nonzeros (compressed sparse columns), in
 * float64 (exact: every partial sum is an integer far below 2^53).
 * @example integerProduct(layer, Int32Array.of(1, 2), 1) // [1, N] = row vector (1, 2) · q
 */
export function integerProduct(layer: PreparedLayer, x: Int32Array, vectors: number): Float64Array {
  return plainIntegerProduct(layer.weights.nonzeros, x, vectors);
}

/** The executor for {@link integerProduct}. */
export const integerExecutor: MatrixExecutor = (layer, _i, x, vectors) => integerProduct(layer, x, vectors);

/** The quantized inputs of one matrix layer for a batch, as the executor receives them. */
export interface LayerInputs {
  /** `[batch · vectorsPerSample, K]` row-major. */
  readonly x: Int32Array;
  /** Input scale `sx` per sample. */
  readonly scales: Float64Array;
}

/**
 * Quantize one matrix layer's float input batch (`[B, ...inShape]`) per sample (MODEL §2) and lay
 * it out as input vectors (im2col for conv).
 */
export function quantizeLayerInputs(layer: PreparedLayer, a: Float64Array, batch: number, inputBits: number): LayerInputs {
  const step = layer.step;
  const per = step.inShape.reduce((p, v) => p * v, 1);
  const K = layer.q.rows, P = layer.vectorsPerSample;
  const x = new Int32Array(batch * P * K);
  const scales = new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    const { q, scale } = quantizeInputs(a.subarray(b * per, (b + 1) * per), inputBits, layer.signedInputs, `input of layer ${step.name} (sample ${b})`);
    scales[b] = scale;
    if (step.op === 'conv2d') im2col(q, 0, step, x, b * P * K);
    else x.set(q, b * K);
  }
  return { x, scales };
}

/**
 * Dequantize integer outputs `[B·P, N]` into the layer's float output `[B, N, P]` (C order of
 * `[N, OH, OW]` for conv): `y = Y · sx_b · s_w[j] + bias[j]`, evaluated left to right.
 */
export function dequantizeOutputs(layer: PreparedLayer, y: Float64Array, scales: Float64Array, batch: number): Float64Array {
  const N = layer.q.cols, P = layer.vectorsPerSample;
  const sw = layer.scales, perTensor = sw.length === 1;
  const bias = layer.step.macroBias;
  const out = new Float64Array(batch * N * P);
  for (let b = 0; b < batch; b++) {
    const sx = scales[b]!;
    for (let j = 0; j < N; j++) {
      const s = perTensor ? sw[0]! : sw[j]!;
      const bj = bias ? bias[j]! : 0;
      const o = (b * N + j) * P;
      for (let p = 0; p < P; p++) out[o + p] = y[(b * P + p) * N + j]! * sx * s + bj;
    }
  }
  return out;
}

/**
 * Run the quantized network on `batch` samples (`x`: `[B, ...inputShape]`, not modified) with the
 * given executor for the matrix layers (batch norms folded into them are skipped); returns the
 * output layer's float values `[B, ...outputShape]`. `onStep` sees every step's output (do not keep
 * the array).
 */
export function forwardQuantized(net: PreparedNetwork, x: ArrayLike<number>, batch: number, exec: MatrixExecutor, onStep?: (step: NetworkStep, y: Float64Array) => void): Float64Array {
  return runPlan(net.plan, x, batch, {
    matrix: (s, a, B) => {
      const li = net.layerOfStep.get(s.index)!;
      const layer = net.layers[li]!;
      const inp = quantizeLayerInputs(layer, a, B, net.inputBits);
      const y = exec(layer, li, inp.x, B * layer.vectorsPerSample);
      return dequantizeOutputs(layer, y, inp.scales, B);
    },
    skipFolded: true,
    ...(onStep ? { onStep } : {}),
  });
}

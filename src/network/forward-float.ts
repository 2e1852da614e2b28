/**
 * The float64 reference forward pass of a {@link NetworkPlan}: what PyTorch computes (in float32)
 * for the same network, evaluated in float64 on the stored float32 weights (compact grouped conv
 * weights, batch norms as their own op), so that it is an independent check on the quantized paths.
 *
 * Batches are `[B, ...sampleShape]`, C order.
 */
import type { Conv2dStep, LinearStep, NetworkPlan, NetworkStep } from './graph.js';
import { runPlan } from './run-plan.js';

/** Geometry and weights of a float convolution. */
export type FloatConv = Pick<Conv2dStep, 'inShape' | 'outShape' | 'weightValues' | 'bias' | 'kernel' | 'stride' | 'padding'> & { readonly groups?: number };

/**
 * The same convolution as {@link conv2dDirect}, fast: per sample and group, the patches are unfolded
 * once (`[P, I·kh·kw]`, zeros at the padding) and each output is a dot product over a contiguous row,
 * four outputs at a time. Every output sums the same products in the same `(i, ky, kx)` order
 * (a padded position adds `w·0 = ±0`, which leaves the sum unchanged), so the result is
 * bit-identical to the direct loops (tested).
 */
export function conv2dFloat(x: Float64Array, batch: number, step: FloatConv): Float64Array {
  const [C, H, W] = step.inShape as [number, number, number];
  const [O, OH, OW] = step.outShape as [number, number, number];
  const [kh, kw] = step.kernel, [sh, sw] = step.stride, [ph, pw] = step.padding;
  const groups = step.groups ?? 1, I = C / groups, perGroup = O / groups;
  const K = I * kh * kw, P = OH * OW;
  const w = step.weightValues, bias = step.bias;
  const out = new Float64Array(batch * O * P);
  const patches = new Float64Array(P * K);
  for (let b = 0; b < batch; b++) {
    for (let g = 0; g < groups; g++) {
      const xg = (b * C + g * I) * H * W;
      let t = 0;
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          for (let i = 0; i < I; i++) {
            const xi = xg + i * H * W;
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh - ph + ky;
              if (iy < 0 || iy >= H) { for (let kx = 0; kx < kw; kx++) patches[t++] = 0; continue; }
              const xr = xi + iy * W;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw - pw + kx;
                patches[t++] = ix < 0 || ix >= W ? 0 : x[xr + ix]!;
              }
            }
          }
        }
      }
      const o0 = g * perGroup, o1 = o0 + perGroup;
      let o = o0;
      for (; o + 4 <= o1; o += 4) {
        const w0 = o * K, w1 = w0 + K, w2 = w1 + K, w3 = w2 + K;
        const y0 = (b * O + o) * P;
        for (let p = 0; p < P; p++) {
          const pk = p * K;
          let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
          for (let k = 0; k < K; k++) {
            const v = patches[pk + k]!;
            a0 += w[w0 + k]! * v; a1 += w[w1 + k]! * v; a2 += w[w2 + k]! * v; a3 += w[w3 + k]! * v;
          }
          out[y0 + p] = a0 + (bias ? bias[o]! : 0);
          out[y0 + P + p] = a1 + (bias ? bias[o + 1]! : 0);
          out[y0 + 2 * P + p] = a2 + (bias ? bias[o + 2]! : 0);
          out[y0 + 3 * P + p] = a3 + (bias ? bias[o + 3]! : 0);
        }
      }
      for (; o < o1; o++) {
        const wo = o * K, y0 = (b * O + o) * P, b0 = bias ? bias[o]! : 0;
        for (let p = 0; p < P; p++) {
          const pk = p * K;
          let acc = 0;
          for (let k = 0; k < K; k++) acc += w[wo + k]! * patches[pk + k]!;
          out[y0 + p] = acc + b0;
        }
      }
    }
  }
  return out;
}

/**
 * `nn.Conv2d` on a batch `[B, C, H, W]` → `[B, O, OH, OW]`, zero padding (top `ph`, left `pw`), `groups`
 * groups of `I = C/groups` input channels:
 * `y[b,o,oy,ox] = bias[o] + Σ_{i,ky,kx} w[o,i,ky,kx] · x[b, g·I + i, oy·sh − ph + ky, ox·sw − pw + kx]`,
 * g = o's group. The weight is the compact `[O, I, kh, kw]` (not the macro's block-diagonal expansion).
 * The slow, obviously correct loops: the reference {@link conv2dFloat} is tested against.
 */
export function conv2dDirect(x: Float64Array, batch: number, step: FloatConv): Float64Array {
  const [C, H, W] = step.inShape as [number, number, number];
  const [O, OH, OW] = step.outShape as [number, number, number];
  const [kh, kw] = step.kernel, [sh, sw] = step.stride, [ph, pw] = step.padding;
  const groups = step.groups ?? 1, I = C / groups, perGroup = O / groups;
  const w = step.weightValues, bias = step.bias;
  const out = new Float64Array(batch * O * OH * OW);
  let p = 0;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < O; o++) {
      const xb = (b * C + Math.floor(o / perGroup) * I) * H * W;
      const b0 = bias ? bias[o]! : 0;
      const wo = o * I * kh * kw;
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          let acc = 0;
          for (let i = 0; i < I; i++) {
            const xi = xb + i * H * W, wi = wo + i * kh * kw;
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh - ph + ky;
              if (iy < 0 || iy >= H) continue;
              const xr = xi + iy * W, wr = wi + ky * kw;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw - pw + kx;
                if (ix < 0 || ix >= W) continue;
                acc += w[wr + kx]! * x[xr + ix]!;
              }
            }
          }
          out[p++] = acc + b0;
        }
      }
    }
  }
  return out;
}

/** `nn.Linear` on a batch `[B, in]` → `[B, out]`: `y[b,o] = bias[o] + Σ_i w[o,i] · x[b,i]`. */
export function linearFloat(x: Float64Array, batch: number, step: Pick<LinearStep, 'fanIn' | 'outputs' | 'weightValues' | 'bias'>): Float64Array {
  const K = step.fanIn, N = step.outputs, w = step.weightValues, bias = step.bias;
  const out = new Float64Array(batch * N);
  for (let b = 0; b < batch; b++) {
    const xb = b * K;
    for (let o = 0; o < N; o++) {
      const wo = o * K;
      let acc = 0;
      for (let k = 0; k < K; k++) acc += w[wo + k]! * x[xb + k]!;
      out[b * N + o] = acc + (bias ? bias[o]! : 0);
    }
  }
  return out;
}

/**
 * Run the whole network in float64 on `batch` samples (`x` is `[B, ...plan.inputShape]`, not
 * modified). Returns the output layer's values `[B, ...plan.outputShape]`; `onStep` sees every
 * step's output (do not keep the array).
 * @example forwardFloat(plan, images, 10) // logits of 10 images, [10, 10]
 */
export function forwardFloat(plan: NetworkPlan, x: ArrayLike<number>, batch: number, onStep?: (step: NetworkStep, y: Float64Array) => void): Float64Array {
  return runPlan(plan, x, batch, {
    matrix: (s, a, B) => (s.op === 'conv2d' ? conv2dFloat(a, B, s) : linearFloat(a, B, s)),
    skipFolded: false,
    ...(onStep ? { onStep } : {}),
  });
}

/**
 * Index of the largest value of each row of `[B, C]` logits (the first on ties, as `torch.argmax`).
 * @example argmaxRows(Float64Array.of(0, 2, 1, 5, 5, 0), 2, 3) // → Int32Array [1, 0]
 */
export function argmaxRows(logits: Float64Array, batch: number, classes: number): Int32Array {
  const out = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    let best = 0, bv = logits[b * classes]!;
    for (let c = 1; c < classes; c++) {
      const v = logits[b * classes + c]!;
      if (v > bv) { bv = v; best = c; }
    }
    out[b] = best;
  }
  return out;
}

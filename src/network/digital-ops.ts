/**
 * The layers that run digitally, beside the macro, in float64 on a batch of samples: input scaling,
 * ReLU and pooling (flatten is a no-op on C-order data). Both the float reference and the quantized
 * paths use these, so any difference between the paths comes from the matrix layers alone.
 *
 * Batches are `[B, ...sampleShape]`, C order, in a Float64Array.
 */
import type { PoolStep, ScaleStep } from './graph.js';

/**
 * `x ← x · multiply / divide + add` in place. The division is a true division (as PyTorch's
 * `image / 255`), not a multiplication by a rounded reciprocal.
 * @example const x = Float64Array.of(255); applyScale(x, { multiply: 1, divide: 255, add: 0 }); x // → [1]
 */
export function applyScale(x: Float64Array, step: Pick<ScaleStep, 'multiply' | 'divide' | 'add'>): void {
  const { multiply, divide, add } = step;
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! * multiply) / divide + add;
}

/**
 * `x ← max(x, 0)` in place.
 * @example const x = Float64Array.of(-1, 2); reluInPlace(x); x // → [0, 2]
 */
export function reluInPlace(x: Float64Array): void {
  for (let i = 0; i < x.length; i++) if (x[i]! < 0) x[i] = 0;
}

/**
 * Max or average pooling per channel over a batch `[B, C, H, W]` → `[B, C, OH, OW]`, no padding,
 * floor mode (PyTorch's `MaxPool2d`/`AvgPool2d` defaults). Average divides by the full window
 * (no padding, so PyTorch's `count_include_pad` does not matter).
 */
export function pool2d(x: Float64Array, batch: number, step: Pick<PoolStep, 'op' | 'inShape' | 'outShape' | 'kernel' | 'stride'>): Float64Array {
  const [C, H, W] = step.inShape as [number, number, number];
  const [, OH, OW] = step.outShape as [number, number, number];
  const [kh, kw] = step.kernel, [sh, sw] = step.stride;
  const isMax = step.op === 'maxpool';
  const inv = 1 / (kh * kw);
  const out = new Float64Array(batch * C * OH * OW);
  let o = 0;
  for (let bc = 0; bc < batch * C; bc++) {
    const base = bc * H * W;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        let acc = isMax ? -Infinity : 0;
        for (let ky = 0; ky < kh; ky++) {
          const row = base + (oy * sh + ky) * W + ox * sw;
          for (let kx = 0; kx < kw; kx++) {
            const v = x[row + kx]!;
            if (isMax) { if (v > acc) acc = v; } else acc += v;
          }
        }
        out[o++] = isMax ? acc : acc * inv;
      }
    }
  }
  return out;
}

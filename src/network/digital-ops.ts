/**
 * The layers that run digitally, beside the macro, in float64 on a batch of samples: input scaling,
 * ReLU, pooling, batch norm, residual adds, concatenation and padding (flatten is a no-op on C-order
 * data). Both the float reference and the quantized paths use these, so any difference between the
 * paths comes from the matrix layers alone.
 *
 * Batches are `[B, ...sampleShape]`, C order, in a Float64Array.
 */
import type { BatchNormStep, PadStep, PoolStep, SampleShape } from './graph.js';

/** A scale's factors: one value, or one per channel. */
export interface ScaleFactors {
  readonly multiply: number | readonly number[];
  readonly divide: number;
  readonly add: number | readonly number[];
}

/**
 * `x ← x · multiply / divide + add` in place. The division is a true division (as PyTorch's
 * `image / 255`), not a multiplication by a rounded reciprocal. Per-channel factors need the sample
 * shape (channel = axis 0 of `[C, H, W]`, or each feature of `[F]`).
 * @example const x = Float64Array.of(255); applyScale(x, { multiply: 1, divide: 255, add: 0 }); x // → [1]
 */
export function applyScale(x: Float64Array, step: ScaleFactors, shape?: SampleShape): void {
  const { divide } = step;
  const mul = typeof step.multiply === 'number' ? [step.multiply] : step.multiply;
  const add = typeof step.add === 'number' ? [step.add] : step.add;
  if (mul.length === 1 && add.length === 1) {
    const m = mul[0]!, a = add[0]!;
    for (let i = 0; i < x.length; i++) x[i] = (x[i]! * m) / divide + a;
    return;
  }
  const C = shape![0]!, inner = shape!.slice(1).reduce((p, v) => p * v, 1);
  for (let i = 0; i < x.length; i++) {
    const c = Math.floor(i / inner) % C;
    x[i] = (x[i]! * mul[mul.length === 1 ? 0 : c]!) / divide + add[add.length === 1 ? 0 : c]!;
  }
}

/**
 * `x ← min(max(x, 0), max)` in place (ReLU; ReLU6 with `max` 6).
 * @example const x = Float64Array.of(-1, 2); reluInPlace(x); x // → [0, 2]
 */
export function reluInPlace(x: Float64Array, max = Infinity): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < 0) x[i] = 0;
    else if (v > max) x[i] = max;
  }
}

/**
 * Max or average pooling per channel over a batch `[B, C, H, W]` → `[B, C, OH, OW]`, floor mode,
 * with zero padding `[top, left, bottom, right]` that max pooling ignores and average pooling leaves
 * out of the count (TensorFlow, ONNX) unless `countIncludePad` (PyTorch's default).
 */
export function pool2d(x: Float64Array, batch: number, step: Pick<PoolStep, 'op' | 'inShape' | 'outShape' | 'kernel' | 'stride'> & Partial<Pick<PoolStep, 'padding' | 'countIncludePad'>>): Float64Array {
  const [C, H, W] = step.inShape as [number, number, number];
  const [, OH, OW] = step.outShape as [number, number, number];
  const [kh, kw] = step.kernel, [sh, sw] = step.stride;
  const [pt, pl] = step.padding ?? [0, 0, 0, 0];
  const isMax = step.op === 'maxpool';
  const full = kh * kw;
  const out = new Float64Array(batch * C * OH * OW);
  let o = 0;
  for (let bc = 0; bc < batch * C; bc++) {
    const base = bc * H * W;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * sh - pt, ya = Math.max(y0, 0), yb = Math.min(y0 + kh, H);
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * sw - pl, xa = Math.max(x0, 0), xb = Math.min(x0 + kw, W);
        let acc = isMax ? -Infinity : 0;
        for (let iy = ya; iy < yb; iy++) {
          const row = base + iy * W;
          for (let ix = xa; ix < xb; ix++) {
            const v = x[row + ix]!;
            if (isMax) { if (v > acc) acc = v; } else acc += v;
          }
        }
        const count = step.countIncludePad ? full : (yb - ya) * (xb - xa);
        // Without padding every window is full: multiply by 1/(kh·kw), as before padding was supported.
        out[o++] = isMax ? acc : count === full ? acc * (1 / full) : acc / count;
      }
    }
  }
  return out;
}

/** Mean of each channel: `[B, C, H, W]` → `[B, C, 1, 1]`. */
export function globalAvgPool(x: Float64Array, batch: number, inShape: SampleShape): Float64Array {
  const C = inShape[0]!, hw = inShape[1]! * inShape[2]!;
  const out = new Float64Array(batch * C);
  for (let bc = 0; bc < batch * C; bc++) {
    let acc = 0;
    for (let k = bc * hw; k < (bc + 1) * hw; k++) acc += x[k]!;
    out[bc] = acc / hw;
  }
  return out;
}

/** Batch norm at inference in place: `x ← x·mul[c] + add[c]`. */
export function channelAffineInPlace(x: Float64Array, step: Pick<BatchNormStep, 'mul' | 'add' | 'inShape'>): void {
  const C = step.inShape[0]!, inner = step.inShape.slice(1).reduce((p, v) => p * v, 1);
  for (let i = 0; i < x.length; i++) {
    const c = Math.floor(i / inner) % C;
    x[i] = x[i]! * step.mul[c]! + step.add[c]!;
  }
}

/** `acc ← acc + y` in place (a residual add). */
export function addInPlace(acc: Float64Array, y: Float64Array): void {
  for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + y[i]!;
}

/** Stack samples of `parts` (`[B, C_i, ...]`, per-sample sizes `sizes[i]`) along the channels. */
export function concatChannels(parts: readonly Float64Array[], sizes: readonly number[], batch: number): Float64Array {
  const per = sizes.reduce((a, b) => a + b, 0);
  const out = new Float64Array(batch * per);
  for (let b = 0; b < batch; b++) {
    let o = b * per;
    for (let i = 0; i < parts.length; i++) {
      out.set(parts[i]!.subarray(b * sizes[i]!, (b + 1) * sizes[i]!), o);
      o += sizes[i]!;
    }
  }
  return out;
}

/** Zero padding of `[B, C, H, W]` in space (`padding`) and channels (`channels`). */
export function pad2d(x: Float64Array, batch: number, step: Pick<PadStep, 'inShape' | 'outShape' | 'padding' | 'channels'>): Float64Array {
  const [C, H, W] = step.inShape as [number, number, number];
  const [OC, OH, OW] = step.outShape as [number, number, number];
  const [pt, pl] = step.padding, c0 = step.channels[0];
  const out = new Float64Array(batch * OC * OH * OW);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < C; c++) {
      for (let y = 0; y < H; y++) {
        const src = ((b * C + c) * H + y) * W;
        out.set(x.subarray(src, src + W), ((b * OC + c0 + c) * OH + pt + y) * OW + pl);
      }
    }
  }
  return out;
}

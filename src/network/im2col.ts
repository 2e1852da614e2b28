/**
 * im2col: a convolution as a matrix product, so that a conv layer runs on the macro like a linear
 * layer. Each **output pixel** `(oy, ox)` becomes one input vector of length `K = I·kh·kw`, ordered
 * `(i, ky, kx)` — exactly the row order of an OIHW weight flattened to `[K, N]` (MODEL §1, layout
 * `oihw`: K = `(i, h, w)` in C order) — so `y[p, o] = Σ_k patch[p, k] · W[k, o]` is the convolution.
 * Zero padding contributes zeros (the quantized value of 0 is 0 in both signed and unsigned mode).
 */
import type { Conv2dStep } from './graph.js';

/** Geometry of a conv layer as im2col needs it. */
export type Im2colGeometry = Pick<Conv2dStep, 'inShape' | 'outShape' | 'kernel' | 'stride' | 'padding'>;

/** Output pixels P = OH·OW of a conv layer (= input vectors per sample). */
export function im2colPatches(g: Im2colGeometry): number {
  return g.outShape[1]! * g.outShape[2]!;
}

/**
 * Unfold one sample `x[I, H, W]` (starting at `xOffset`) into `P` rows of `K` values, row-major
 * `[P, K]`, written at `outOffset` of `out` (every element of the block is written, padding included).
 * Pixels are in raster order `p = oy·OW + ox`, so the conv output `[P, O]` transposed is `[O, OH, OW]`.
 * @example
 * // 1×3×3 input 0..8, 2×2 kernel, stride 1, no padding → 4 patches of 4:
 * // [0,1,3,4], [1,2,4,5], [3,4,6,7], [4,5,7,8]
 */
export function im2col(x: Int32Array, xOffset: number, g: Im2colGeometry, out: Int32Array, outOffset: number): void {
  const [I, H, W] = g.inShape as [number, number, number];
  const [, OH, OW] = g.outShape as [number, number, number];
  const [kh, kw] = g.kernel, [sh, sw] = g.stride, [ph, pw] = g.padding;
  let o = outOffset;
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      for (let i = 0; i < I; i++) {
        const xi = xOffset + i * H * W;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - ph + ky;
          if (iy < 0 || iy >= H) {
            for (let kx = 0; kx < kw; kx++) out[o++] = 0;
            continue;
          }
          const xr = xi + iy * W;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw - pw + kx;
            out[o++] = ix < 0 || ix >= W ? 0 : x[xr + ix]!;
          }
        }
      }
    }
  }
}

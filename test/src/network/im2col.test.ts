import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conv2dFloat } from '../../../src/network/forward-float.js';
import { parseGraph, resolveGraph, type Conv2dStep } from '../../../src/network/graph.js';
import { im2col, im2colPatches } from '../../../src/network/im2col.js';
import { prepareNetwork } from '../../../src/network/prepare.js';
import { integerProduct } from '../../../src/network/forward-quantized.js';
import { f32 } from './helpers.js';

describe('im2col', () => {
  it('unfolds a 3×3 image into the four 2×2 patches in (i, h, w) order', () => {
    const g = parseGraph('layers: [{op: conv2d, weight: w}]', 'g');
    const step = resolveGraph(g, [f32('w', [1, 1, 2, 2])], 'g', [1, 3, 3]).steps[0] as Conv2dStep;
    const out = new Int32Array(16);
    im2col(Int32Array.from({ length: 9 }, (_, i) => i), 0, step, out, 0);
    expect(Array.from(out)).toEqual([0, 1, 3, 4, 1, 2, 4, 5, 3, 4, 6, 7, 4, 5, 7, 8]);
  });

  it('times the OIHW weight matrix equals the direct convolution for any geometry', () => {
    fc.assert(
      fc.property(
        fc.record({
          I: fc.integer({ min: 1, max: 3 }), O: fc.integer({ min: 1, max: 3 }),
          H: fc.integer({ min: 3, max: 7 }), W: fc.integer({ min: 3, max: 7 }),
          kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }),
          s: fc.integer({ min: 1, max: 2 }), p: fc.integer({ min: 0, max: 2 }),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        ({ I, O, H, W, kh, kw, s, p, seed }) => {
          // Integer weights in [-7, 7] stored as float: at 4 bits with per-tensor scale 1 they quantize to themselves.
          const nW = O * I * kh * kw;
          const wv = Array.from({ length: nW }, (_, i) => ((i * 7 + seed) % 15) - 7);
          wv[0] = 7; // pins max|w| = 7 → scale 1
          const g = parseGraph(`layers: [{op: conv2d, weight: w, stride: ${s}, padding: ${p}}]`, 'g');
          const plan = resolveGraph(g, [f32('w', [O, I, kh, kw], wv)], 'g', [I, H, W]);
          const net = prepareNetwork(plan, { weightBits: 4, inputBits: 8, granularity: 'per-tensor' });
          const step = plan.steps[0] as Conv2dStep;
          const x = Int32Array.from({ length: I * H * W }, (_, i) => (i * 13 + seed) % 256);
          const P = im2colPatches(step), K = I * kh * kw;
          const patches = new Int32Array(P * K);
          im2col(x, 0, step, patches, 0);
          const y = integerProduct(net.layers[0]!, patches, P); // [P, O]
          const ref = conv2dFloat(Float64Array.from(x), 1, step); // [O, P]
          for (let o = 0; o < O; o++) for (let q = 0; q < P; q++) expect(y[q * O + o]).toBe(ref[o * P + q]);
        },
      ),
      { numRuns: 60 },
    );
  });
});

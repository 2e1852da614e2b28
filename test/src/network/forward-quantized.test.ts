import { describe, expect, it } from 'vitest';
import { argmaxRows, forwardFloat } from '../../../src/network/forward-float.js';
import { forwardQuantized, integerExecutor } from '../../../src/network/forward-quantized.js';
import { parseGraph, resolveGraph } from '../../../src/network/graph.js';
import { prepareNetwork } from '../../../src/network/prepare.js';
import { f32, lenetPlan, mnist } from './helpers.js';

function accuracy(pred: Int32Array, labels: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) c++;
  return c / pred.length;
}

describe('quantized forward', () => {
  it('dequantizes y = Y · sx · s_w[j] + bias[j] for a hand-sized linear layer', () => {
    // w = [[0.5, -1], [1, 0.25]] ([out, in]); 4-bit weights: Q = 7, column scales 1/7 and 1/7.
    const g = parseGraph('layers: [{op: linear, weight: w, bias: b}]', 'g');
    const plan = resolveGraph(g, [f32('w', [2, 2], [0.5, -1, 1, 0.25]), f32('b', [2], [0.25, -0.5])], 'g', [2]);
    const net = prepareNetwork(plan, { weightBits: 4, inputBits: 2 });
    expect(Array.from(net.layers[0]!.q.data)).toEqual([4, -7, 7, 2]); // rhe(3.5) = 4, rhe(1.75) = 2
    // x = [3, 1.5]: Qx = 3, sx = 1, qx = [3, rhe(1.5) = 2].
    const y = forwardQuantized(net, Float64Array.of(3, 1.5), 1, integerExecutor);
    expect(y[0]).toBeCloseTo(((3 * 4 + 2 * -7) * 1) / 7 + 0.25, 12);
    expect(y[1]).toBeCloseTo(((3 * 7 + 2 * 2) * 1) / 7 - 0.5, 12);
  });

  it('quantizes a layer whose input can be negative as signed', () => {
    const g = parseGraph('layers: [{op: linear, weight: a}, {op: linear, weight: b}]', 'g');
    const plan = resolveGraph(g, [f32('a', [2, 2], [1, 0, 0, -1]), f32('b', [1, 2], [1, 1])], 'g', [2]);
    const net = prepareNetwork(plan, { weightBits: 8, inputBits: 8 });
    expect(net.layers.map((l) => l.signedInputs)).toEqual([false, true]);
    // a·x = [2, -4]; signed 8-bit inputs keep the sign: b·(a·x) ≈ -2.
    expect(forwardQuantized(net, Float64Array.of(2, 4), 1, integerExecutor)[0]).toBeCloseTo(-2, 1);
  });

  for (const [net, published] of [['lenet300', 0.957], ['lenet5', 0.9785]] as const) {
    it(`${net}: the float forward pass reproduces the published accuracy on the 2,000 digits`, () => {
      const { images, labels } = mnist();
      const plan = lenetPlan(net);
      const pred = argmaxRows(forwardFloat(plan, images.data as Uint8Array, 2000), 2000, 10);
      expect(accuracy(pred, labels.data as Uint8Array)).toBeCloseTo(published, 4);
    });

    // The first 500 digits keep the suite fast; bench/make-network-results.ts checks all 2,000.
    it(`${net}: 8-bit weights and inputs without pruning stay within 0.5 points of float on the first 500 digits`, () => {
      const { images, labels } = mnist();
      const plan = lenetPlan(net);
      const n = 500;
      const x = (images.data as Uint8Array).subarray(0, n * 784);
      const y = (labels.data as Uint8Array).subarray(0, n);
      const floatAcc = accuracy(argmaxRows(forwardFloat(plan, x, n), n, 10), y);
      const prepared = prepareNetwork(plan, { weightBits: 8, inputBits: 8 });
      const intAcc = accuracy(argmaxRows(forwardQuantized(prepared, x, n, integerExecutor), n, 10), y);
      expect(Math.abs(intAcc - floatAcc)).toBeLessThanOrEqual(0.005);
    });
  }
});

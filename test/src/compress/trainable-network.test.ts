/** The hand-written backward pass against central finite differences, op by op and through whole nets. */
import { describe, expect, it } from 'vitest';
import { makeParam, TrainableNetwork, type TrainOp } from '../../../src/compress/trainable-network.js';
import { Adam, softmaxCrossEntropy } from '../../../src/compress/training.js';
import { Xoshiro128ss } from '../../../macro-sim/rng.js';

const rng = Xoshiro128ss.fromSeed(7);
const rand = (n: number, scale = 1): number[] => Array.from({ length: n }, () => (rng.nextFloat() * 2 - 1) * scale);

/** Loss of the net on (x, labels) and the analytic gradient of every parameter. */
function lossAndGrad(net: TrainableNetwork, x: Float64Array, labels: Int32Array, B: number): number {
  net.zeroGrad();
  const logits = net.forward(x, B, true);
  const g = new Float64Array(B * net.classes);
  const loss = softmaxCrossEntropy(logits, labels, 0, B, net.classes, g);
  net.backward(g);
  return loss;
}

function checkGradients(ops: TrainOp[], inputSize: number, classes: number, B = 3): number {
  const net = new TrainableNetwork(ops, inputSize, classes);
  const x = Float64Array.from(rand(B * inputSize));
  const labels = Int32Array.from({ length: B }, (_, i) => i % classes);
  lossAndGrad(net, x, labels, B);
  const analytic = net.params.map((p) => Float64Array.from(p.grad));
  let worst = 0;
  const h = 1e-6;
  net.params.forEach((p, pi) => {
    for (let i = 0; i < p.data.length; i++) {
      const keep = p.data[i]!;
      p.data[i] = keep + h;
      const up = softmaxOnly(net, x, labels, B);
      p.data[i] = keep - h;
      const down = softmaxOnly(net, x, labels, B);
      p.data[i] = keep;
      const numeric = (up - down) / (2 * h);
      const a = analytic[pi]![i]!;
      worst = Math.max(worst, Math.abs(numeric - a) / Math.max(1e-3, Math.abs(numeric) + Math.abs(a)));
    }
  });
  return worst;
}

function softmaxOnly(net: TrainableNetwork, x: Float64Array, labels: Int32Array, B: number): number {
  const logits = net.forward(x, B, false);
  return softmaxCrossEntropy(logits, labels, 0, B, net.classes, new Float64Array(B * net.classes));
}

describe('TrainableNetwork backward', () => {
  it('matches finite differences through conv (stride, padding) → relu → maxpool → flatten → linear', () => {
    const conv: TrainOp = {
      kind: 'conv', layer: 'c', weight: makeParam('c.w', [3, 2, 3, 3], rand(54, 0.5)), bias: makeParam('c.b', [3], rand(3)),
      K: 18, N: 3, inShape: [2, 6, 6], outShape: [3, 3, 3], kernel: [3, 3], stride: [2, 2], padding: [1, 1],
    };
    const ops: TrainOp[] = [
      { kind: 'scale', multiply: 2, divide: 3, add: 0.1 }, conv, { kind: 'relu' },
      { kind: 'pool', max: true, inShape: [3, 3, 3], outShape: [3, 1, 1], kernel: [2, 2], stride: [2, 2] },
      { kind: 'flatten' },
      { kind: 'linear', layer: 'l', weight: makeParam('l.w', [4, 3], rand(12)), bias: makeParam('l.b', [4], rand(4)), K: 3, N: 4 },
    ];
    expect(checkGradients(ops, 72, 4)).toBeLessThan(1e-6);
  });

  it('matches finite differences through avgpool, a channel scale and a 1×1 conv (the SVD factor chain)', () => {
    const ops: TrainOp[] = [
      { kind: 'conv', layer: 'a.0', weight: makeParam('a0', [2, 1, 2, 2], rand(8)), bias: null, K: 4, N: 2, inShape: [1, 4, 4], outShape: [2, 3, 3], kernel: [2, 2], stride: [1, 1], padding: [0, 0] },
      { kind: 'channel-scale', layer: 'a', scale: makeParam('s', [2], [1.5, -0.7]), spatial: 9 },
      { kind: 'conv', layer: 'a.1', weight: makeParam('a1', [3, 2, 1, 1], rand(6)), bias: makeParam('a1b', [3], rand(3)), K: 2, N: 3, inShape: [2, 3, 3], outShape: [3, 3, 3], kernel: [1, 1], stride: [1, 1], padding: [0, 0] },
      { kind: 'pool', max: false, inShape: [3, 3, 3], outShape: [3, 1, 1], kernel: [3, 3], stride: [3, 3] },
      { kind: 'flatten' },
      { kind: 'linear', layer: 'l', weight: makeParam('l.w', [2, 3], rand(6)), bias: null, K: 3, N: 2 },
    ];
    expect(checkGradients(ops, 16, 2)).toBeLessThan(1e-6);
  });

  it('Adam keeps masked entries at exactly zero and moves the others against the gradient', () => {
    const p = makeParam('w', [3], [0.5, 0.5, 0.5]);
    p.mask = Uint8Array.of(1, 0, 1);
    p.grad.set([1, 1, -1]);
    new Adam(0.1).step([p]);
    expect(Array.from(p.data)).toEqual([0.5 - 0.1 * (1 / (1 + 1e-8)), 0, 0.5 + 0.1 * (1 / (1 + 1e-8))]);
  });

  it('a non-finite loss is a one-line TRAINING_DIVERGED error', () => {
    expect(() => softmaxCrossEntropy(Float64Array.of(NaN, 0), Int32Array.of(0), 0, 1, 2, new Float64Array(2))).toThrow(/diverged.*lower --lr/);
  });
});

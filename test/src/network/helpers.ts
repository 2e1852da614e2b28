/** Small builders shared by the network tests. */
import type { Tensor } from '../../../src/io/tensor.js';

/** A float32 tensor of the given shape; values default to a deterministic ramp (0.01·i − 0.5). */
export function f32(name: string, shape: number[], values?: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = values ? values[i]! : ((i * 37) % 101) * 0.01 - 0.5;
  return { name, dtype: 'float32', shape, data };
}

/** The arrays of a LeNet-5-shaped state dict (deterministic values). */
export function lenet5Like(): Tensor[] {
  return [
    f32('conv1.weight', [6, 1, 5, 5]), f32('conv1.bias', [6]),
    f32('conv2.weight', [16, 6, 5, 5]), f32('conv2.bias', [16]),
    f32('fc1.weight', [120, 400]), f32('fc1.bias', [120]),
    f32('fc2.weight', [84, 120]), f32('fc2.bias', [84]),
    f32('fc3.weight', [10, 84]), f32('fc3.bias', [10]),
  ];
}

import { loadTensorFile } from '../../../src/io/load.js';
import { parseGraph, resolveGraph, type NetworkPlan } from '../../../src/network/graph.js';
import { readFileSync } from 'node:fs';

const ROOT = new URL('../../../', import.meta.url);

/** The 2,000 held-out MNIST digits `[2000, 1, 28, 28]` and their labels (fixtures/data). */
export function mnist(): { images: Tensor; labels: Tensor } {
  const images = loadTensorFile(new URL('fixtures/data/mnist-test-images.npy', ROOT).pathname).tensors[0]!;
  const labels = loadTensorFile(new URL('fixtures/data/mnist-test-labels.npy', ROOT).pathname).tensors[0]!;
  return { images, labels };
}

/** A shipped LeNet bound to its example graph. */
export function lenetPlan(net: 'lenet300' | 'lenet5'): NetworkPlan {
  const tensors = loadTensorFile(new URL(`fixtures/data/${net}.npz`, ROOT).pathname).tensors;
  const path = `examples/${net}.graph.yaml`;
  return resolveGraph(parseGraph(readFileSync(new URL(path, ROOT), 'utf8'), path), tensors, path, [1, 28, 28]);
}

// One LeNet-5 training epoch (8,000 digits, batch 64, Adam) with TensorFlow.js's pure-JS CPU backend: the
// measurement behind the choice of a hand-written training engine (docs/MODEL-NOTES.md, Compression).
// Not part of `npm run bench` (it takes ~11 min). Run from the repository root after `npm run build`:
//   npm install --no-save @tensorflow/tfjs@4.22.0 && node bench/peers/tfjs-lenet5-epoch.mjs
// (`@tensorflow/tfjs-core` + `@tensorflow/tfjs-backend-cpu` alone cannot train under Node: their Node bundle
// registers no gradients.) Measured 2026-12-03 on the machine of bench/RESULTS.md: 638 s for the epoch.
import * as tf from '@tensorflow/tfjs';
import { loadTensorFile } from '../../dist/src/io/load.js';

await tf.setBackend('cpu');
const arr = (f) => loadTensorFile(f).tensors[0];
const imgs = arr('fixtures/data/mnist-train-images.npy'), labs = arr('fixtures/data/mnist-train-labels.npy');
const x = Float32Array.from(imgs.data, (v) => v / 255);
const m = loadTensorFile('fixtures/data/lenet5.npz');
const get = (k) => m.tensors.find((t) => t.name === k);
const t = (k) => tf.tensor(Float32Array.from(get(k).data), get(k).shape);
const v = {
  c1: tf.variable(tf.transpose(t('conv1.weight'), [2, 3, 1, 0])), b1: tf.variable(t('conv1.bias')),
  c2: tf.variable(tf.transpose(t('conv2.weight'), [2, 3, 1, 0])), b2: tf.variable(t('conv2.bias')),
  f1: tf.variable(tf.transpose(t('fc1.weight'))), fb1: tf.variable(t('fc1.bias')),
  f2: tf.variable(tf.transpose(t('fc2.weight'))), fb2: tf.variable(t('fc2.bias')),
  f3: tf.variable(tf.transpose(t('fc3.weight'))), fb3: tf.variable(t('fc3.bias')),
};
const forward = (xb) => {
  let a = tf.maxPool(tf.relu(tf.add(tf.conv2d(xb, v.c1, 1, [[0, 0], [2, 2], [2, 2], [0, 0]]), v.b1)), 2, 2, 'valid');
  a = tf.maxPool(tf.relu(tf.add(tf.conv2d(a, v.c2, 1, 'valid'), v.b2)), 2, 2, 'valid');
  a = tf.reshape(tf.transpose(a, [0, 3, 1, 2]), [a.shape[0], 400]);
  a = tf.relu(tf.add(tf.matMul(a, v.f1), v.fb1));
  a = tf.relu(tf.add(tf.matMul(a, v.f2), v.fb2));
  return tf.add(tf.matMul(a, v.f3), v.fb3);
};
const opt = tf.train.adam(1e-3), B = 64, t0 = Date.now();
for (let i = 0; i + B <= 8000; i += B) {
  const xb = tf.tensor4d(x.subarray(i * 784, (i + B) * 784), [B, 28, 28, 1]);
  const yb = tf.oneHot(tf.tensor1d(Int32Array.from(labs.data.subarray(i, i + B)), 'int32'), 10);
  opt.minimize(() => tf.losses.softmaxCrossEntropy(yb, forward(xb)), false, Object.values(v));
  tf.dispose([xb, yb]);
}
console.log(`tfjs cpu: one LeNet-5 epoch on 8000 digits: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

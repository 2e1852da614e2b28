// Reference outputs of face-api's own FaceRecognitionNet and AgeGenderNet on the committed face crops, written as
// fixtures/models/face-api/expected-*.npy (float32) for test/src/network/face-api.test.ts:
//   expected-face-recognition.npy [16, 128]  the descriptor, FaceRecognitionNet.forward (no normalisation)
//   expected-age-gender.npy       [16, 2]    the gender head's logits, AgeGenderNet.runNet(…).gender (before softmax)
//   expected-age.npy              [16]       the age head, AgeGenderNet.runNet(…).age
// face-api itself (@vladmandic/face-api@1.7.15, dist/face-api.node-wasm.js, its real classes) computes them with
// TensorFlow.js 4.22.0 (@tensorflow/tfjs, the pure-JS CPU backend), weights loaded by its loadFromDisk from
// fixtures/models/face-api/. Inputs: fixtures/data/faces-150.npy / faces-112.npy (uint8 CHW) → one HWC float32
// tensor3d per face (0..255). face-api's toBatchTensor(150 | 112) is then an identity (square input: padToSquare
// returns it as is; size already right: no resizeBilinear; cast to float32) — the script checks that, too.
//
// As a second check it runs examples/face-recognition.graph.yaml and examples/age-gender.graph.yaml through a small
// interpreter of imc-sim's graph format written with tf ops (NHWC; `same` resolved to explicit zero padding by the
// TF SAME rule, maxpool padded with −∞, avgpool over non-padding elements, flatten in CHW order), with the
// manifest's weights dequantized by tf.io.decodeWeights, and prints its largest difference from face-api's outputs.
// `--dump DIR` also writes every named layer's output of that interpreter as DIR/<layer>.npy (float32, [N, C, H, W]
// or [N, F]) for locating a disagreement layer by layer.
//
// Not part of `npm run bench` and not a dependency of the repository; the peers live in a folder of their own:
//   mkdir -p /tmp/fa-deps && cd /tmp/fa-deps && echo '{"private":true}' > package.json && \
//     npm install --no-save @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0 @vladmandic/face-api@1.7.15
//   cd /work/main && npm run build && PEER_DEPS=/tmp/fa-deps node bench/peers/face-api-reference.mjs [--dump /tmp/fa-dump]   # ~1 min
// (face-api's node-wasm bundle requires @tensorflow/tfjs-backend-wasm to load; the wasm backend is not used.)
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeNpy } from '../../dist/src/io/npy.js';
import { loadTensorFile } from '../../dist/src/io/load.js';
import { parse as parseYaml } from 'yaml';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(resolve(process.env.PEER_DEPS ?? repo), 'package.json'));
const tf = require('@tensorflow/tfjs');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const dumpAt = process.argv.indexOf('--dump');
const dumpDir = dumpAt > 0 ? resolve(process.argv[dumpAt + 1]) : undefined;
const modelDir = join(repo, 'fixtures', 'models', 'face-api');

/** A `.npy` file as { shape, data } (imc-sim's own reader). */
const readNpy = (path) => loadTensorFile(path).tensors[0];

/** A float32 array as a `.npy` file (imc-sim's own encoder; run `npm run build` first). */
const writeNpy = (path, data, shape) => writeFileSync(path, encodeNpy({ name: 'x', dtype: 'float32', shape: [...shape], data: Float32Array.from(data) }));

/** The faces of a uint8 [N, 3, S, S] file as N HWC float32 tensor3d (0..255). */
function faces(file) {
  const { shape: [n, c, h, w], data } = readNpy(join(repo, 'fixtures', 'data', file));
  return Array.from({ length: n }, (_, k) => tf.tidy(() =>
    tf.transpose(tf.tensor3d(Float32Array.from(data.subarray(k * c * h * w, (k + 1) * c * h * w)), [c, h, w]), [1, 2, 0])));
}

/** The manifest's tensors dequantized by tfjs itself (tf.io.decodeWeights), by name. */
function manifestWeights(manifest) {
  const groups = JSON.parse(readFileSync(join(modelDir, manifest), 'utf8'));
  const weights = {};
  for (const g of groups) {
    const bin = Buffer.concat(g.paths.map((p) => readFileSync(join(modelDir, p))));
    Object.assign(weights, tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), g.weights));
  }
  return weights;
}

const pair = (v, d) => (v === undefined ? [d, d] : Array.isArray(v) ? v : [v, v]);
/** imc-sim's padding forms as [top, left, bottom, right]; `same` by TF's rule for an h × w input. */
function padding(p, kernel, stride, h, w) {
  if (p === undefined) return [0, 0, 0, 0];
  if (typeof p === 'number') return [p, p, p, p];
  if (p === 'same') {
    const t = (n, k, s) => Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
    const th = t(h, kernel[0], stride[0]), tw = t(w, kernel[1], stride[1]);
    return [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)];
  }
  return p.length === 2 ? [p[0], p[1], p[0], p[1]] : p;
}
const spatialPad = ([t, l, b, r]) => [[0, 0], [t, b], [l, r], [0, 0]];

/** Runs a graph document on an NHWC batch with tf ops; returns the output layer's value (and every named one). */
function runGraph(graph, weights, x) {
  const values = new Map([['input', x]]);
  let prev = x;
  for (const [i, L] of graph.layers.entries()) {
    if ((L.inputs ?? [L.input]).some((n) => n !== undefined && !values.has(n))) throw new Error(`layer ${i}: unknown input`);
    const inp = L.input !== undefined ? values.get(L.input) : prev;
    const W = (n) => { if (!weights[n]) throw new Error(`layer ${i}: no array ${n}`); return weights[n]; };
    let y;
    switch (L.op) {
      case 'scale': {
        y = inp;
        if (L.multiply !== undefined) y = tf.mul(y, L.multiply);
        if (L.divide !== undefined) y = tf.div(y, L.divide);
        if (L.add !== undefined) y = tf.add(y, L.add);
        break;
      }
      case 'conv2d': {
        const w = W(L.weight), stride = pair(L.stride, 1), [, h, wd] = inp.shape;
        const layout = L.layout ?? 'oihw';
        const f = layout === 'oihw' ? tf.transpose(w, [2, 3, 1, 0]) : w;
        const xp = tf.pad(inp, spatialPad(padding(L.padding, [f.shape[0], f.shape[1]], stride, h, wd)));
        if (layout === 'hwcm') y = tf.depthwiseConv2d(xp, f, stride, 'valid');
        else if ((L.groups ?? 1) !== 1) throw new Error('grouped oihw/hwio conv: not needed here');
        else y = tf.conv2d(xp, f, stride, 'valid');
        if (L.bias) y = tf.add(y, W(L.bias));
        break;
      }
      case 'batchnorm': {
        y = inp;
        if (L.mean) y = tf.div(tf.sub(y, W(L.mean)), tf.sqrt(tf.add(W(L.var), L.eps ?? 1e-5)));
        if (L.weight) y = tf.mul(y, W(L.weight));
        if (L.bias) y = tf.add(y, W(L.bias));
        break;
      }
      case 'relu': y = L.max === undefined ? tf.relu(inp) : tf.clipByValue(inp, 0, L.max); break;
      case 'maxpool':
      case 'avgpool': {
        const k = pair(L.kernel), s = pair(L.stride, undefined), stride = s[0] === undefined ? k : s;
        const p = padding(L.padding, k, stride, inp.shape[1], inp.shape[2]);
        if (L.op === 'maxpool') y = tf.maxPool(tf.pad(inp, spatialPad(p), -Infinity), k, stride, 'valid');
        else {
          const sum = tf.mul(tf.avgPool(tf.pad(inp, spatialPad(p)), k, stride, 'valid'), k[0] * k[1]);
          const ones = tf.pad(tf.ones([1, inp.shape[1], inp.shape[2], 1]), spatialPad(p));
          y = tf.div(sum, tf.mul(tf.avgPool(ones, k, stride, 'valid'), k[0] * k[1]));
        }
        break;
      }
      case 'globalavgpool': y = tf.mean(inp, [1, 2], true); break;
      case 'flatten': y = inp.rank === 4 ? tf.reshape(tf.transpose(inp, [0, 3, 1, 2]), [inp.shape[0], -1]) : inp; break;
      case 'linear': {
        const w = W(L.weight);
        y = tf.matMul(inp, w, false, (L.layout ?? 'oi') === 'oi');
        if (L.bias) y = tf.add(y, W(L.bias));
        break;
      }
      case 'add': y = L.inputs.map((n) => values.get(n)).reduce((a, b) => tf.add(a, b)); break;
      case 'concat': y = tf.concat(L.inputs.map((n) => values.get(n)), 3); break;
      case 'pad': {
        const [t, l, b, r] = L.padding ?? [0, 0, 0, 0], [cb, ca] = L.channels ?? [0, 0];
        y = tf.pad(inp, [[0, 0], [t, b], [l, r], [cb, ca]]);
        break;
      }
      default: throw new Error(`layer ${i}: op ${L.op}`);
    }
    if (L.name !== undefined) values.set(L.name, y);
    prev = y;
  }
  return { output: graph.output !== undefined ? values.get(graph.output) : prev, values };
}

function dump(prefix, values) {
  if (!dumpDir) return;
  mkdirSync(dumpDir, { recursive: true });
  for (const [name, t] of values) {
    if (name === 'input') continue;
    const nchw = t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : t;
    writeNpy(join(dumpDir, `${prefix}.${name}.npy`), nchw.dataSync(), nchw.shape);
  }
}

const maxAbs = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const maxOf = (a) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

await tf.setBackend('cpu');
await tf.ready();
console.log(`tfjs ${tf.version.tfjs} (${tf.getBackend()}), face-api ${faceapi.version}`);

// ---- FaceRecognitionNet ----
const x150 = faces('faces-150.npy');
const netInput150 = await faceapi.toNetInput(x150);
const batch150 = netInput150.toBatchTensor(150, true);
const identity150 = maxAbs(batch150.dataSync(), tf.stack(x150).dataSync());
let t0 = Date.now();
const rec = faceapi.nets.faceRecognitionNet;
await rec.loadFromDisk(modelDir);
const descriptors = await rec.forward(x150);
const desc = descriptors.dataSync();
console.log(`FaceRecognitionNet: ${descriptors.shape} in ${((Date.now() - t0) / 1000).toFixed(1)} s; toBatchTensor(150) vs the input: max |Δ| = ${identity150}`);
writeNpy(join(modelDir, 'expected-face-recognition.npy'), desc, descriptors.shape);

const frGraph = parseYaml(readFileSync(join(repo, 'examples', 'face-recognition.graph.yaml'), 'utf8'));
const fr = runGraph(frGraph, manifestWeights('face_recognition_model-weights_manifest.json'), tf.stack(x150));
console.log(`  examples/face-recognition.graph.yaml (tf ops): max |Δ| = ${maxAbs(fr.output.dataSync(), desc).toExponential(2)} (max |descriptor| ${maxOf(desc).toFixed(3)})`);
dump('face-recognition', fr.values);

// ---- AgeGenderNet ----
const x112 = faces('faces-112.npy');
const netInput112 = await faceapi.toNetInput(x112);
const identity112 = maxAbs(netInput112.toBatchTensor(112, true).dataSync(), tf.stack(x112).dataSync());
t0 = Date.now();
const ag = faceapi.nets.ageGenderNet;
await ag.loadFromDisk(modelDir);
const { age, gender } = ag.runNet(await faceapi.toNetInput(x112));
const logits = gender.dataSync(), ages = age.dataSync();
console.log(`AgeGenderNet: gender ${gender.shape}, age ${age.shape} in ${((Date.now() - t0) / 1000).toFixed(1)} s; toBatchTensor(112) vs the input: max |Δ| = ${identity112}`);
writeNpy(join(modelDir, 'expected-age-gender.npy'), logits, gender.shape);
writeNpy(join(modelDir, 'expected-age.npy'), ages, age.shape);

const agGraph = parseYaml(readFileSync(join(repo, 'examples', 'age-gender.graph.yaml'), 'utf8'));
const agw = manifestWeights('age_gender_model-weights_manifest.json');
const agr = runGraph(agGraph, agw, tf.stack(x112));
console.log(`  examples/age-gender.graph.yaml (tf ops): max |Δ| = ${maxAbs(agr.output.dataSync(), logits).toExponential(2)} (max |logit| ${maxOf(logits).toFixed(3)})`);
const ageFromGraph = tf.add(tf.matMul(agr.values.get('flatten'), agw['fc/age/weights']), agw['fc/age/bias']).dataSync();
console.log(`  age head on the graph's features: max |Δ| = ${maxAbs(ageFromGraph, ages).toExponential(2)}`);
dump('age-gender', agr.values);
for (let k = 0; k < ages.length; k++) {
  const pMale = 1 / (1 + Math.exp(logits[2 * k + 1] - logits[2 * k]));
  console.log(`  face ${k}: age ${ages[k].toFixed(1)}, gender logits [${logits[2 * k].toFixed(3)}, ${logits[2 * k + 1].toFixed(3)}] → ${pMale > 0.5 ? 'male' : 'female'} (p = ${Math.max(pMale, 1 - pMale).toFixed(3)})`);
}
console.log(`wrote ${modelDir}/expected-{face-recognition,age-gender,age}.npy`);

/**
 * TF.js model.json files translated into imc-sim's graph format (fixtures/io/tfjs, made by
 * fixtures/make-tfjs-graph-fixtures.mjs): the real emotion graph-model of @vladmandic/human@3.3.6, layers-models saved by
 * real tfjs-layers 4.22.0, hand-written graph-models, and hostile files. Every translation is bound to the model's own
 * weights and run by the float reference, which must reproduce what TensorFlow.js computed for the same inputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../errors.js';
import { loadTensorFile } from '../../../src/io/load.js';
import type { Tensor } from '../../../src/io/tensor.js';
import { parseTfjs } from '../../../src/io/tfjs.js';
import { evalFile } from '../../../src/network/eval-file.js';
import { argmaxRows, forwardFloat } from '../../../src/network/forward-float.js';
import { resolveGraph, validateGraph, type LayerSpec } from '../../../src/network/graph.js';
import { loadGraphFile } from '../../../src/network/graph-file.js';
import { graphFromTfjs, tfjsModelDocument } from '../../../src/network/tfjs-graph.js';
import { ROOT } from '../cli/helpers.js';

const DIR = join(ROOT, 'fixtures/io/tfjs');
const npy = (f: string): Tensor => loadTensorFile(join(DIR, f)).tensors[0]!;
const weightsOf = (f: string): Tensor[] => parseTfjs(new Uint8Array(readFileSync(join(DIR, f))), join(DIR, f));

/** Translate, bind to the file's weights + the translation's extra arrays, run the float reference on inputs.npy. */
function run(folder: string, file = 'model.json') {
  const path = join(DIR, folder, file);
  const g = loadGraphFile(path);
  validateGraph(g.graph, path); // the translation is a valid graph document
  const tensors = [...weightsOf(join(folder, file)), ...g.extraTensors];
  const x = npy(join(folder, 'inputs.npy'));
  const plan = resolveGraph(g.graph, tensors, path, x.shape.slice(1));
  const batch = x.shape[0]!;
  const got = forwardFloat(plan, x.data as Float32Array, batch);
  const want = npy(join(folder, 'expected.npy'));
  return { ...g, plan, tensors, x, got, want, batch };
}

/** |got − want| ≤ tol · (largest |want| of the row), element by element. */
function expectClose(got: Float64Array, want: Tensor, tol = 1e-4): void {
  const w = want.data as Float32Array;
  expect(got.length).toBe(w.length);
  const cols = want.shape[want.shape.length - 1]!;
  let worst = 0;
  for (let i = 0; i < w.length; i++) {
    const row = Math.floor(i / cols) * cols;
    let scale = 0;
    for (let j = row; j < row + cols; j++) scale = Math.max(scale, Math.abs(w[j]!));
    worst = Math.max(worst, Math.abs(got[i]! - w[i]!) / Math.max(scale, 1e-6));
  }
  expect(worst).toBeLessThan(tol);
}
const ops = (layers: readonly LayerSpec[]): string[] => layers.map((l) => l.op);
const layer = (layers: readonly LayerSpec[], name: string): LayerSpec => {
  const l = layers.find((q) => q.name === name);
  if (!l) throw new Error(`no layer ${name} in ${layers.map((q) => q.name).join(', ')}`);
  return l;
};
function refusal(file: string): string {
  try {
    loadGraphFile(join(DIR, 'hostile-graphs', file));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe('TFJS_GRAPH');
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error(`${file} was not refused`);
}

describe('TF.js graph-model: the real emotion network of @vladmandic/human@3.3.6', () => {
  const r = run('emotion', 'emotion.json');

  it('translates every node: fused convs with their bias, depthwise hwcm, SAME pools, residual adds, the mean as a global average pool', () => {
    expect(r.graph.input).toEqual([1, 64, 64]);
    expect(r.graph.output).toBeUndefined();
    const count = (op: string): number => r.graph.layers.filter((l) => l.op === op).length;
    expect([count('conv2d'), count('relu'), count('maxpool'), count('add'), count('globalavgpool'), count('flatten')]).toEqual([13, 5, 2, 2, 1, 1]);
    expect(r.graph.layers.filter((l) => l.op === 'conv2d' && l.layout === 'hwcm')).toHaveLength(4);
    const first = layer(r.graph.layers, 'block1_conv1_act/Relu');
    expect(first).toEqual({ op: 'conv2d', name: 'block1_conv1_act/Relu', weight: 'StatefulPartitionedCall/model_1/conv2d_1/Conv2D_weights', bias: 'StatefulPartitionedCall/model_1/conv2d_1/Conv2D_bn_offset', stride: [2, 2], layout: 'hwio' });
    expect(layer(r.graph.layers, 'add_1/add')).toEqual({ op: 'add', name: 'add_1/add', inputs: ['max_pooling2d_1/MaxPool', 'batch_normalization_1/FusedBatchNormV3'] });
    expect(layer(r.graph.layers, 'max_pooling2d_1/MaxPool')).toMatchObject({ op: 'maxpool', kernel: [3, 3], stride: [2, 2], padding: 'same' });
    expect(r.extraTensors).toEqual([]); // the flatten reads a 1×1 map: nothing to reorder
    expect(r.notes.join('\n')).toMatch(/\[C, H, W\] = \[1, 64, 64\]/);
    expect(r.notes.join('\n')).toMatch(/dropped the final Softmax 'StatefulPartitionedCall\/model_1\/predictions\/Softmax'/);
    expect(r.notes.join('\n')).toMatch(/common prefix 'StatefulPartitionedCall\/model_1\/'/);
  });

  it('the float reference reproduces tfjs 4.22.0 on seeded faces: logits to 1e-4, probabilities and classes', () => {
    expect(r.plan.outputShape).toEqual([7]);
    expectClose(r.got, r.want);
    const probs = npy('emotion/expected-probs.npy').data as Float32Array;
    for (let b = 0; b < r.batch; b++) {
      const row = Array.from(r.got.subarray(b * 7, b * 7 + 7));
      const m = Math.max(...row), e = row.map((v) => Math.exp(v - m)), s = e.reduce((p, q) => p + q, 0);
      e.forEach((v, j) => expect(v / s).toBeCloseTo(probs[b * 7 + j]!, 5));
    }
    expect(Array.from(argmaxRows(r.got, r.batch, 7))).toEqual(Array.from(argmaxRows(Float64Array.from(probs), r.batch, 7)));
  });
});

describe('TF.js layers-models saved by tfjs-layers 4.22.0', () => {
  it('functional: separable → depthwise + pointwise, fused activations, residual add, concat, padding, and Dense rows reordered after a 3×3 flatten', () => {
    const r = run('layers-functional');
    expect(r.graph.input).toEqual([3, 10, 10]);
    expect(ops(r.graph.layers)).toEqual([
      'conv2d', 'relu', 'batchnorm', 'conv2d', 'relu', 'conv2d', 'conv2d', 'relu', 'add', 'conv2d', 'avgpool', 'concat',
      'pad', 'maxpool', 'flatten', 'linear', 'globalavgpool', 'flatten', 'linear', 'add', 'relu', 'linear',
    ]);
    expect(r.graph.output).toBeUndefined(); // the walk from the output emits it last
    expect(layer(r.graph.layers, 'sep/depthwise')).toEqual({ op: 'conv2d', name: 'sep/depthwise', weight: 'sep/depthwise_kernel', padding: 'same', layout: 'hwcm' });
    expect(layer(r.graph.layers, 'sep/pointwise')).toEqual({ op: 'conv2d', name: 'sep/pointwise', weight: 'sep/pointwise_kernel', bias: 'sep/bias', layout: 'hwio' });
    expect(layer(r.graph.layers, 'dw')).toMatchObject({ weight: 'dw/depthwise_kernel', bias: 'dw/bias', stride: [2, 2], padding: 'same', layout: 'hwcm' });
    expect(layer(r.graph.layers, 'relu6')).toEqual({ op: 'relu', name: 'relu6', max: 6 });
    expect(layer(r.graph.layers, 'res')).toEqual({ op: 'add', name: 'res', inputs: ['sep/relu', 'relu6'] });
    expect(layer(r.graph.layers, 'zpad')).toEqual({ op: 'pad', name: 'zpad', padding: [1, 0, 0, 1] });
    expect(layer(r.graph.layers, 'bn1')).toMatchObject({ weight: 'bn1/gamma', bias: 'bn1/beta', mean: 'bn1/moving_mean', var: 'bn1/moving_variance', eps: 1e-3 });
    // fc_a reads the flattened [3, 3, 20] map: its kernel's 180 rows are reordered; fc_b reads the pooled vector as is.
    expect(layer(r.graph.layers, 'fc_a')).toMatchObject({ weight: 'fc_a/kernel.chw', layout: 'io' });
    expect(layer(r.graph.layers, 'fc_b')).toMatchObject({ weight: 'fc_b/kernel', layout: 'io' });
    expect(r.extraTensors.map((t) => [t.name, t.shape])).toEqual([['fc_a/kernel.chw', [180, 12]]]);
    expect(r.notes.join('\n')).toMatch(/fc_a\/kernel\.chw is fc_a\/kernel with its 180 input rows reordered .*\[H, W, C\] = \[3, 3, 20\]/);
    expect(r.notes.join('\n')).toMatch(/dropped the final softmax of 'probs'/);
    expect(r.notes.join('\n')).toMatch(/skipped 'drop'/);
    expectClose(r.got, r.want);
  });

  it('the reordered kernel is what makes it right: the TF-ordered kernel gives other logits', () => {
    const r = run('layers-functional');
    const plain = { ...r.graph, layers: r.graph.layers.map((l) => (l.name === 'fc_a' ? { ...l, weight: 'fc_a/kernel' } : l)) };
    const y = forwardFloat(resolveGraph(plain, r.tensors, 'plain', r.x.shape.slice(1)), r.x.data as Float32Array, r.batch);
    const w = r.want.data as Float32Array;
    expect(Math.max(...Array.from(y, (v, i) => Math.abs(v - w[i]!)))).toBeGreaterThan(1e-2);
  });

  it('Sequential: conv without bias with a relu6 activation, SAME max pool, Reshape as flatten (rows reordered), Dense softmax dropped', () => {
    const r = run('layers-sequential');
    expect(r.graph.input).toEqual([2, 9, 9]);
    expect(r.graph.layers).toEqual([
      { op: 'conv2d', name: 'conv', weight: 'conv/kernel', stride: [2, 2], layout: 'hwio' },
      { op: 'relu', name: 'conv/relu6', max: 6 },
      { op: 'maxpool', name: 'pool', kernel: [2, 2], stride: [1, 1], padding: 'same' },
      { op: 'flatten', name: 'to_flat' },
      { op: 'linear', name: 'fc1', weight: 'fc1/kernel.chw', bias: 'fc1/bias', layout: 'io' },
      { op: 'relu', name: 'fc1/relu' },
      { op: 'linear', name: 'fc2', weight: 'fc2/kernel', bias: 'fc2/bias', layout: 'io' },
    ]);
    expect(r.notes.join('\n')).toMatch(/dropped the final softmax of 'fc2'/);
    expectClose(r.got, r.want);
  });
});

describe('TF.js graph-models written by hand (GraphDef JSON, nodes in shuffled order)', () => {
  it('residual: fused conv / depthwise, BiasAdd and Add(const) merged into their conv / MatMul, explicit padding, pad, concat, MatMul rows reordered', () => {
    const r = run('graph-residual');
    expect(r.graph.input).toEqual([3, 8, 8]);
    const L = r.graph.layers;
    expect(layer(L, 'block/c1/Relu')).toEqual({ op: 'conv2d', name: 'block/c1/Relu', weight: 'block/c1/kernel', bias: 'block/c1/bias', padding: 'same', layout: 'hwio' });
    expect(layer(L, 'block/c1/Relu/relu')).toEqual({ op: 'relu', name: 'block/c1/Relu/relu' });
    expect(layer(L, 'block/dw/Relu6/relu6')).toEqual({ op: 'relu', name: 'block/dw/Relu6/relu6', max: 6 });
    expect(layer(L, 'block/pw/Conv2D')).toMatchObject({ weight: 'block/pw/kernel', bias: 'block/pw/bias' }); // BiasAdd merged
    expect(layer(L, 'c2/Conv2D')).toMatchObject({ bias: 'c2/bias', stride: [2, 2], padding: [0, 1, 1, 0] }); // Add(const) merged; EXPLICIT
    expect(layer(L, 'block/add')).toMatchObject({ op: 'add', inputs: ['block/bn/FusedBatchNormV3', 'block/c1/Relu/relu'] });
    expect(layer(L, 'pad')).toEqual({ op: 'pad', name: 'pad', padding: [1, 0, 0, 1] });
    expect(layer(L, 'concat')).toEqual({ op: 'concat', name: 'concat', inputs: ['maxpool', 'avgpool'] });
    expect(layer(L, 'fc1/MatMul')).toMatchObject({ weight: 'fc1/kernel.chw', bias: 'fc1/bias', layout: 'io' });
    expect(layer(L, 'fc2/BiasAdd')).toEqual({ op: 'linear', name: 'fc2/BiasAdd', weight: 'fc2/kernel', bias: 'fc2/bias' }); // transpose_b: [out, in]
    expect(L.some((l) => l.op === 'scale')).toBe(false);
    expect(r.notes.join('\n')).toMatch(/dropped the final Softmax 'Softmax'/);
    expectClose(r.got, r.want);
  });

  it('global pool: Conv2D + BiasAdd, depthwise multiplier 2, batch norm, Mean keep_dims + Squeeze, MatMul transpose_b + BiasAdd', () => {
    const r = run('graph-gap');
    expect(r.graph.input).toEqual([2, 10, 10]);
    expect(r.graph.layers.map((l) => `${l.op} ${l.name}`)).toEqual([
      'conv2d conv/Conv2D', 'relu conv/Relu6', 'conv2d dw/depthwise', 'batchnorm bn/FusedBatchNormV3', 'relu bn/Relu', 'globalavgpool gap/Mean',
      'flatten gap/Squeeze', 'linear fc/MatMul',
    ]);
    expect(layer(r.graph.layers, 'fc/MatMul')).toEqual({ op: 'linear', name: 'fc/MatMul', weight: 'fc/kernel', bias: 'fc/bias' });
    expect(r.extraTensors).toEqual([]);
    expect(r.plan.notes.join('\n')).toMatch(/batch norm bn\/FusedBatchNormV3 is folded into conv2d dw\/depthwise/);
    expectClose(r.got, r.want);
  });

  it('eval runs a model.json as model and graph (fidelity against the float model, no labels)', () => {
    const path = join(DIR, 'graph-gap/model.json');
    const model = { path, kind: 'tfjs' as const, tensors: weightsOf('graph-gap/model.json') };
    const doc = evalFile({ model, graph: path, inputs: npy('graph-gap/inputs.npy'), formats: 'coo' }).document;
    expect(doc.macroMatchesInteger).toBe(true);
    expect(doc.fidelity.top1Agreement).toBeGreaterThanOrEqual(2 / 3);
  });

  it('a real model.json (manifest after a 15 kB topology) is recognised by path: eval takes it as model and graph', () => {
    const path = join(DIR, 'emotion/emotion.json');
    expect(loadTensorFile(path).tensors).toHaveLength(23);
    const doc = evalFile({ model: path, graph: path, inputs: npy('emotion/inputs.npy'), formats: 'coo' }).document;
    expect(doc.macroMatchesInteger).toBe(true);
    expect(doc.fidelity.outputSqnrDb).toBeGreaterThan(25);
  });
});

describe('TF.js model.json: what is refused, in one line naming the layer or node', () => {
  it('an unknown op / layer class', () => {
    expect(refusal('unknown-op.json')).toMatch(/node 'act\/Sigmoid' \(Sigmoid\) is not supported; supported: Placeholder/);
    expect(refusal('unknown-layer.json')).toMatch(/layer 'lstm' \(LSTM\) is not supported; supported: InputLayer/);
  });
  it('a cycle, in a functional config and in a GraphDef', () => {
    expect(refusal('cycle.json')).toMatch(/layers 'b' → 'a' → 'b' form a cycle/);
    expect(refusal('graph-cycle.json')).toMatch(/nodes 'b' → 'a' → 'b' form a cycle/);
  });
  it('an inbound layer that does not exist', () => {
    expect(refusal('dangling-inbound.json')).toMatch(/layer 'out' reads 'nowhere', which is not a layer of the model/);
  });
  it('channels_first, and a softmax that is not the output', () => {
    expect(refusal('channels-first.json')).toMatch(/layer 'pool' \(MaxPooling2D\) uses data_format channels_first/);
    expect(refusal('softmax-inside.json')).toMatch(/layer 'sm' \(Softmax\) applies a softmax inside the network/);
  });
  it('a weights manifest without a topology, and non-TF.js JSON is left to the graph parser', () => {
    expect(() => graphFromTfjs({ weightsManifest: [] }, [], 'w.json')).toThrow(/is a TF.js weights manifest without a model topology/);
    expect(() => loadGraphFile(join(DIR, 'tiny_face_detector_model-weights_manifest.json'))).toThrow(/without a model topology/);
    expect(tfjsModelDocument('{"layers": [{"op": "flatten"}]}')).toBeNull();
    expect(tfjsModelDocument('layers: []')).toBeNull();
  });
  it('malformed topologies are ConfigErrors, never crashes', () => {
    const bad: unknown[] = [
      { modelTopology: 5 },
      { modelTopology: { node: [5] } },
      { modelTopology: { node: [{ name: 'x', op: 'Placeholder', input: 'y' }] } },
      { modelTopology: { class_name: 'Model', config: { layers: [{}] } } },
      { modelTopology: { class_name: 'Model', config: { layers: [], input_layers: [], output_layers: [] } } },
      { modelTopology: { class_name: 'Sequential', config: { layers: [] } } },
      { modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 3] } }] } } },
      { modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Conv2D', config: { name: 'c', strides: 'x', batch_input_shape: [null, 3, 3, 1] } }] } } },
    ];
    for (const doc of bad) {
      let err: unknown;
      try { graphFromTfjs(doc, [], 'bad.json'); } catch (e) { err = e; }
      expect(err, JSON.stringify(doc)).toBeInstanceOf(ConfigError);
      expect((err as Error).message).not.toContain('\n');
    }
  });
});

describe('TF.js layers-model as the Python converter writes it (model_config wrapper, Keras 2 names)', () => {
  it('reads a Sequential inside model_config, BatchNormalization axis [1] on a vector, Dense relu', () => {
    const f = (name: string, shape: number[], v: number[]): Tensor => ({ name, dtype: 'float32', shape, data: Float32Array.from(v) });
    const doc = {
      modelTopology: {
        keras_version: '2.13.1', backend: 'tensorflow',
        model_config: {
          class_name: 'Sequential',
          config: {
            name: 'mlp',
            layers: [
              { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', name: 'input_1' } },
              { class_name: 'Dense', config: { name: 'dense', units: 2, activation: 'relu', use_bias: true } },
              { class_name: 'BatchNormalization', config: { name: 'batch_normalization', axis: [1], epsilon: 0.001, center: true, scale: false } },
            ],
          },
        },
      },
    };
    const tensors = [
      f('dense/kernel', [3, 2], [1, 0, 0, 1, 1, -1]), f('dense/bias', [2], [0.5, 0]),
      f('batch_normalization/beta', [2], [1, 2]), f('batch_normalization/moving_mean', [2], [0, 1]), f('batch_normalization/moving_variance', [2], [4, 1]),
    ];
    const g = graphFromTfjs(doc, tensors, 'mlp/model.json');
    expect(g.graph.name).toBe('mlp');
    expect(g.graph.input).toEqual([3]);
    expect(ops(g.graph.layers)).toEqual(['linear', 'relu', 'batchnorm']);
    const plan = resolveGraph(g.graph, tensors, 'mlp');
    const y = forwardFloat(plan, Float64Array.of(1, 2, 3), 1);
    // dense: [1+3, 2−3] + [0.5, 0] = [4.5, −1] → relu [4.5, 0] → bn (x − mean)/√(var + eps) + beta
    expect(y[0]).toBeCloseTo(4.5 / Math.sqrt(4.001) + 1, 12);
    expect(y[1]).toBeCloseTo(-1 / Math.sqrt(1.001) + 2, 12);
  });
});

describe('TF.js translation: edge cases built inline', () => {
  const f = (name: string, shape: number[], v?: number[]): Tensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    return { name, dtype: 'float32', shape, data: Float32Array.from(v ?? Array.from({ length: n }, (_, i) => ((i * 37) % 11) / 10 - 0.5)) };
  };
  const kl = (cls: string, name: string, config: Record<string, unknown>, inbound: string[][]) =>
    ({ class_name: cls, name, config: { name, ...config }, inbound_nodes: inbound.map((call) => call.map((n) => [n, 0, 0, {}])) });
  const functional = (layers: unknown[], out: string) =>
    ({ modelTopology: { class_name: 'Functional', config: { name: 'm', layers, input_layers: [['in', 0, 0]], output_layers: [[out, 0, 0]] } } });
  const input = (shape: (number | null)[]) => kl('InputLayer', 'in', { batch_input_shape: shape }, []);
  const msg = (fn: () => unknown): string => {
    try { fn(); } catch (e) { expect(e).toBeInstanceOf(ConfigError); return (e as Error).message; }
    throw new Error('not refused');
  };

  it('a flattened H×W×C map reaching a batch norm is refused (its parameters are in TF order), and so is a flatten of an unknown size', () => {
    const doc = functional([
      input([null, 2, 2, 3]), kl('Flatten', 'flat', {}, [['in']]),
      kl('BatchNormalization', 'bn', { axis: -1, center: false, scale: false }, [['flat']]), kl('Dense', 'd', { units: 1 }, [['bn']]),
    ], 'd');
    const tensors = [f('bn/moving_mean', [12]), f('bn/moving_variance', [12], new Array(12).fill(1)), f('d/kernel', [12, 1]), f('d/bias', [1])];
    expect(msg(() => graphFromTfjs(doc, tensors, 'bn.json'))).toMatch(/layer 'bn' \(batchnorm\) reads features that TF flattened in H, W, C order from a \[H, W, C\] = \[2, 2, 3\] map/);
    const open = functional([input([null, null, null, 3]), kl('Flatten', 'flat', {}, [['in']]), kl('Dense', 'd', { units: 1 }, [['flat']])], 'd');
    expect(msg(() => graphFromTfjs(open, tensors, 'open.json'))).toMatch(/layer 'flat' flattens a feature map whose size is unknown/);
  });

  it('a layer called twice (shared) and a layer with no weight in the manifest are refused by name', () => {
    const shared = functional([input([null, 4]), { ...kl('Dense', 'd', { units: 4 }, []), inbound_nodes: [[['in', 0, 0, {}]], [['d', 0, 0, {}]]] }], 'd');
    expect(msg(() => graphFromTfjs(shared, [], 's.json'))).toMatch(/layer 'd' \(Dense\) is called 2 times \(a shared layer\)/);
    const missing = functional([input([null, 4]), kl('Dense', 'd', { units: 4 }, [['in']])], 'd');
    expect(msg(() => graphFromTfjs(missing, [], 'm.json'))).toMatch(/layer 'd' \(Dense\) has no weight 'd\/kernel' in the weights manifest/);
    const dense4 = functional([input([null, 3, 3, 2]), kl('Dense', 'd', { units: 4 }, [['in']])], 'd');
    expect(msg(() => graphFromTfjs(dense4, [f('d/kernel', [2, 4]), f('d/bias', [4])], 'd4.json'))).toMatch(/layer 'd' \(Dense\) applies to an \[N, H, W, C\] map/);
  });

  it('reads Keras 3 inbound nodes ({args: [keras tensors]}), batch_shape and a lone input_layers entry', () => {
    const tensor = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: [name, 0, 0] } });
    const doc = {
      modelTopology: {
        class_name: 'Functional',
        config: {
          name: 'k3',
          layers: [
            { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_shape: [null, 4] }, inbound_nodes: [] },
            { class_name: 'Dense', name: 'd', config: { name: 'd', units: 2, activation: 'relu6', use_bias: false }, inbound_nodes: [{ args: [tensor('in')], kwargs: {} }] },
            { class_name: 'Add', name: 'sum', config: { name: 'sum' }, inbound_nodes: [{ args: [[tensor('d'), tensor('d')]], kwargs: {} }] },
          ],
          input_layers: ['in', 0, 0], output_layers: ['sum', 0, 0],
        },
      },
    };
    const tensors = [f('d/kernel', [4, 2], [1, 0, 0, 1, 1, 0, 0, -1])];
    const g = graphFromTfjs(doc, tensors, 'k3.json');
    expect(g.graph.layers).toEqual([
      { op: 'linear', name: 'd', weight: 'd/kernel', layout: 'io' },
      { op: 'relu', name: 'd/relu6', max: 6 },
      { op: 'add', name: 'sum', inputs: ['d/relu6', 'd/relu6'] },
    ]);
    const y = forwardFloat(resolveGraph(g.graph, tensors, 'k3'), Float64Array.of(5, 1, 3, 2), 1);
    expect(Array.from(y)).toEqual([12, 0]); // relu6([5+3, 1−2]) = [6, 0], doubled
  });

  it('graph-model: MatMul with transpose_b ([out, in]) after a flatten of a 2×2×3 map gets its columns reordered: same numbers as TF order', () => {
    const ph = { name: 'x', op: 'Placeholder', attr: { shape: { shape: { dim: [-1, 2, 2, 3].map((d) => ({ size: String(d) })) } } } };
    const doc = { modelTopology: { node: [ph, { name: 's', op: 'Const' }, { name: 'w', op: 'Const' }, { name: 'flat', op: 'Reshape', input: ['x', 's'] },
      { name: 'mm', op: 'MatMul', input: ['flat', 'w'], attr: { transpose_b: { b: true } } }] } };
    const W = f('w', [2, 12]);
    const g = graphFromTfjs(doc, [{ name: 's', dtype: 'int32', shape: [2], data: Int32Array.of(-1, 12) }, W], 'mm.json');
    expect(g.graph.layers).toEqual([{ op: 'flatten', name: 'flat' }, { op: 'linear', name: 'mm', weight: 'w.chw' }]);
    const chw = Float64Array.from({ length: 12 }, (_, i) => i + 1); // x[c, h, w] = 1 + (c·2 + h)·2 + w
    const w = W.data as Float32Array;
    const want = [0, 1].map((j) => {
      let acc = 0;
      for (let h = 0; h < 2; h++) for (let x = 0; x < 2; x++) for (let c = 0; c < 3; c++) acc += w[j * 12 + (h * 2 + x) * 3 + c]! * chw[(c * 2 + h) * 2 + x]!;
      return acc;
    });
    const y = forwardFloat(resolveGraph(g.graph, [W, ...g.extraTensors], 'mm'), chw, 1);
    want.forEach((v, j) => expect(y[j]).toBeCloseTo(v, 12));
  });

  it('graph-model: a bias after a ReLU becomes a scale layer; a second Placeholder and a non-flattening Reshape are refused', () => {
    const ph = (name: string, dims: number[]) => ({ name, op: 'Placeholder', attr: { shape: { shape: { dim: dims.map((d) => ({ size: String(d) })) } } } });
    const konst = (name: string) => ({ name, op: 'Const' });
    const doc = { modelTopology: { node: [ph('x', [-1, 3]), { name: 'r', op: 'Relu', input: ['x'] }, konst('b'), { name: 'out', op: 'BiasAdd', input: ['r', 'b', '^r'] }] } };
    const g = graphFromTfjs(doc, [f('b', [3], [1, -2, 0.5])], 'bias.json');
    expect(g.graph.input).toEqual([3]);
    expect(g.graph.layers).toEqual([{ op: 'relu', name: 'r' }, { op: 'scale', name: 'out', add: [1, -2, 0.5] }]);
    expect(Array.from(forwardFloat(resolveGraph(g.graph, [], 'bias'), Float64Array.of(-1, 2, 3), 1))).toEqual([1, 0, 3.5]);
    const two = { modelTopology: { node: [ph('x', [-1, 3]), ph('y', [-1, 3]), { name: 'sum', op: 'AddV2', input: ['x', 'y'] }] } };
    expect(msg(() => graphFromTfjs(two, [], 'two.json'))).toMatch(/node '(x|y)' \(Placeholder\) is a second input/);
    const reshape = { modelTopology: { node: [ph('x', [-1, 4, 4, 1]), konst('s'), { name: 'rs', op: 'Reshape', input: ['x', 's'] }] } };
    expect(msg(() => graphFromTfjs(reshape, [{ name: 's', dtype: 'int32', shape: [4], data: Int32Array.of(-1, 2, 8, 1) }], 'rs.json'))).toMatch(/node 'rs' \(Reshape\) reshapes to \[-1, 2, 8, 1\]/);
    const output1 = { modelTopology: { node: [ph('x', [-1, 4]), { name: 'a', op: 'Relu', input: ['x:1'] }] } };
    expect(msg(() => graphFromTfjs(output1, [], 'o.json'))).toMatch(/node 'a' \(Relu\) reads output 1 of 'x'/);
  });
});

/**
 * ONNX graphs translated into imc-sim's graph format (fixtures/io/onnx, made by fixtures/make-onnx-fixtures.py:
 * real torch.onnx.export and onnx.helper): chains, the ResNet- and MobileNetV2-style DAG exports against
 * torch's own outputs, the printed YAML round trip, and the hostile graphs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../errors.js';
import { resolveMacroConfig } from '../../../macro-sim/config.js';
import { register as registerGraph } from '../../../src/cli/commands/graph.js';
import { loadOnnxModel, loadTensorFile } from '../../../src/io/load.js';
import type { OnnxModel, OnnxNode } from '../../../src/io/onnx.js';
import type { Tensor } from '../../../src/io/tensor.js';
import { tensorToFloat64 } from '../../../src/io/tensor-access.js';
import { evalFile } from '../../../src/network/eval-file.js';
import { evaluateNetwork } from '../../../src/network/evaluate.js';
import { forwardFloat } from '../../../src/network/forward-float.js';
import { parseGraph, resolveGraph, type GraphSpec, type NetworkPlan } from '../../../src/network/graph.js';
import { loadGraphFile } from '../../../src/network/graph-file.js';
import { graphFromOnnx } from '../../../src/network/onnx-graph.js';
import { cli, DATA, expectUserError, ROOT } from '../cli/helpers.js';

const DIR = join(ROOT, 'fixtures/io/onnx');
const pair = (v: unknown): unknown => (typeof v === 'number' ? [v, v] : v);
/** Layers without their names and input references, sizes as pairs. */
const norm = (layers: readonly Record<string, unknown>[]) => layers.map((l) => Object.fromEntries(Object.entries(l)
  .filter(([k]) => k !== 'name' && k !== 'input').map(([k, v]) => [k, ['kernel', 'stride', 'padding'].includes(k) ? pair(v) : v])));
const npy = (f: string): Tensor => loadTensorFile(join(DIR, f)).tensors[0]!;
/** An ONNX fixture translated and bound to its model's arrays (plus the arrays the translation adds). */
function bind(file: string): { graph: GraphSpec; plan: NetworkPlan; notes: readonly string[]; tensors: Tensor[] } {
  const g = loadGraphFile(join(DIR, file));
  const tensors = [...loadOnnxModel(join(DIR, file)).tensors, ...g.extraTensors];
  return { graph: g.graph, plan: resolveGraph(g.graph, tensors, file), notes: g.notes, tensors };
}
/** Largest |got − want| over the largest |want|. */
function relError(got: Float64Array, want: Tensor): number {
  const w = tensorToFloat64(want);
  expect(got.length).toBe(w.length);
  let diff = 0, scale = 0;
  w.forEach((v, i) => { diff = Math.max(diff, Math.abs(got[i]! - v)); scale = Math.max(scale, Math.abs(v)); });
  return diff / scale;
}
function errorOf(fn: () => unknown): ConfigError {
  try { fn(); } catch (e) { expect(e).toBeInstanceOf(ConfigError); return e as ConfigError; }
  throw new Error('expected a ConfigError');
}
/** `imc-sim graph FILE`, in process (the source, not dist/): what it writes to stdout and stderr. */
function graphCommand(file: string): { stdout: string; stderr: string } {
  const program = new Command().exitOverride();
  registerGraph(program);
  let stdout = '', stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  try {
    program.parse(['graph', file], { from: 'user' });
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr };
}

describe('graphs from ONNX', () => {
  it('LeNet-5 from torch.onnx.export is examples/lenet5.graph.yaml without the input scaling, layers named after the nodes', () => {
    const { graph } = loadGraphFile(join(DIR, 'lenet5.onnx'));
    const yaml = parseGraph(readFileSync(join(ROOT, 'examples/lenet5.graph.yaml'), 'utf8'), 'y');
    const want = norm(yaml.layers.filter((l) => l.op !== 'scale') as Record<string, unknown>[]).map((l) => (l.op === 'maxpool' ? { ...l, stride: l.kernel } : l));
    expect(norm(graph.layers as Record<string, unknown>[])).toEqual(want);
    expect(graph.layers.map((l) => l.name).slice(0, 3)).toEqual(['/conv1/Conv', '/Relu', '/MaxPool']);
    expect(graph.layers.every((l) => !('input' in l))).toBe(true); // a chain: every layer reads the one before
    expect(graph.input).toEqual([1, 28, 28]);
    expect(graph.output).toBeUndefined();
  });

  it('eval runs an .onnx as model and graph: same accuracy as the .npz and YAML route on images scaled as it expects', () => {
    const images = loadTensorFile(join(DATA, 'mnist-test-images.npy')).tensors[0]!;
    const n = 200;
    const scaled: Tensor = { name: 'x', dtype: 'float32', shape: [n, 1, 28, 28], data: Float32Array.from((images.data as Uint8Array).subarray(0, n * 784), (v) => v / 255) };
    const onnx = evalFile({ model: join(DIR, 'lenet5.onnx'), graph: join(DIR, 'lenet5.onnx'), inputs: scaled, labels: join(DATA, 'mnist-test-labels.npy'), limit: n, formats: 'coo' }).document;
    const yaml = evalFile({ model: join(DATA, 'lenet5.npz'), graph: join(ROOT, 'examples/lenet5.graph.yaml'), inputs: join(DATA, 'mnist-test-images.npy'), labels: join(DATA, 'mnist-test-labels.npy'), limit: n, formats: 'coo' }).document;
    expect(onnx.accuracy!.float).toBe(yaml.accuracy!.float);
    expect(Math.abs(onnx.accuracy!.macro - yaml.accuracy!.macro)).toBeLessThanOrEqual(0.01);
    expect(onnx.macroMatchesInteger).toBe(true);
  });

  it('MatMul + Add(bias) + final Softmax: transposed weights, folded bias, same logits as numpy would compute', () => {
    const g = loadGraphFile(join(DIR, 'mlp-matmul.onnx'));
    expect(g.graph.layers).toEqual([{ op: 'linear', name: 'mm1', weight: 'W1.T', bias: 'b1' }, { op: 'relu', name: 'relu1' }, { op: 'linear', name: 'mm2', weight: 'W2.T' }]);
    expect(g.notes[0]).toMatch(/dropped the final Softmax 'softmax'/);
    const m = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8'))['mlp-matmul.onnx'] as { W1: number[][]; b1: number[]; W2: number[][] };
    const tensors = [...loadTensorFile(join(DIR, 'mlp-matmul.onnx')).tensors, ...g.extraTensors];
    const plan = resolveGraph(g.graph, tensors, 'mlp', [4]);
    const x = [0.5, -1, 2, 0.25];
    const h = [0, 1, 2].map((j) => Math.max(0, x.reduce((a, xi, i) => a + xi * Math.fround(m.W1[i]![j]!), 0) + Math.fround(m.b1[j]!)));
    const want = [0, 1].map((j) => h.reduce((a, hi, i) => a + hi * Math.fround(m.W2[i]![j]!), 0));
    const got = forwardFloat(plan, Float64Array.from(x), 1);
    want.forEach((w, j) => expect(got[j]).toBeCloseTo(w, 12));
  });

  it('a residual Add of two computed values (one the graph input) becomes an add layer', () => {
    const g = loadGraphFile(join(DIR, 'residual.onnx'));
    expect(g.graph.layers).toEqual([{ op: 'linear', name: 'mm', weight: 'W.T' }, { op: 'relu', name: 'relu' }, { op: 'add', name: 'skip', inputs: ['input', 'relu'] }]);
    const plan = resolveGraph(g.graph, [...loadOnnxModel(join(DIR, 'residual.onnx')).tensors, ...g.extraTensors], 'residual', [4]);
    expect(Array.from(forwardFloat(plan, [0.5, -1, 2, -0.25], 1))).toEqual([1, -1, 4, -0.25]); // x + relu(x·I)
  });

  describe('DAG exports reproduce torch', () => {
    for (const file of ['resnet-tiny', 'mobilenet-tiny', 'mobilenet-tiny-opset13', 'misc-ops']) {
      it(`${file}.onnx: forwardFloat equals torch's outputs on seeded inputs to 1e-5`, () => {
        const { plan } = bind(`${file}.onnx`);
        const x = npy(`${file}-inputs.npy`);
        const got = forwardFloat(plan, tensorToFloat64(x), x.shape[0]!);
        expect(relError(got, npy(`${file}-outputs.npy`))).toBeLessThan(1e-5);
      });
    }

    it('ResNet-style: conv-BN-ReLU, two residual adds (one with a stride-2 1×1 projection), every BN folded, global pool', () => {
      const { graph, plan } = bind('resnet-tiny.onnx');
      const count = (op: string): number => graph.layers.filter((l) => l.op === op).length;
      expect([count('conv2d'), count('batchnorm'), count('add'), count('relu'), count('globalavgpool'), count('linear')]).toEqual([6, 6, 2, 5, 1, 1]);
      const bn = graph.layers.find((l) => l.name === '/layer2/shortcut/shortcut.1/BatchNormalization')!;
      expect(bn).toEqual({
        op: 'batchnorm', name: '/layer2/shortcut/shortcut.1/BatchNormalization',
        weight: 'layer2.shortcut.1.weight', bias: 'layer2.shortcut.1.bias', mean: 'layer2.shortcut.1.running_mean', var: 'layer2.shortcut.1.running_var',
      });
      expect(graph.layers.find((l) => l.name === '/layer2/shortcut/shortcut.0/Conv')).toEqual({
        op: 'conv2d', name: '/layer2/shortcut/shortcut.0/Conv', input: '/layer1/Relu_1', weight: 'layer2.shortcut.0.weight', stride: [2, 2],
      });
      expect(graph.layers.find((l) => l.op === 'add' && l.name === '/layer1/Add')).toEqual({ op: 'add', name: '/layer1/Add', inputs: ['/layer1/bn2/BatchNormalization', '/Relu'] });
      expect(plan.notes.filter((n) => /batch norm .* is folded/.test(n))).toHaveLength(6);
      expect(plan.outputShape).toEqual([10]);
      expect(plan.inputShape).toEqual([3, 16, 16]);
    });

    it('MobileNetV2-style: depthwise convs (groups = channels), ReLU6 from Clip attributes, inverted residual, concat, padded average pool', () => {
      const { graph, plan } = bind('mobilenet-tiny.onnx');
      const dw = graph.layers.filter((l) => l.op === 'conv2d' && l.groups !== undefined);
      expect(dw.map((l) => l.op === 'conv2d' && [l.groups, l.stride ?? null, l.padding])).toEqual([[24, null, [1, 1]], [16, [2, 2], [1, 1]]]);
      expect(graph.layers.filter((l) => l.op === 'relu').map((l) => l.op === 'relu' && (l.max ?? null))).toEqual([6, 6, 6, 6, 6, 6, null]);
      expect(graph.layers.find((l) => l.op === 'add')).toEqual({ op: 'add', name: '/block1/Add', inputs: ['/stem/stem.2/Clip', '/block1/conv/conv.2/conv.2.1/BatchNormalization'] });
      expect(graph.layers.find((l) => l.op === 'concat')).toEqual({ op: 'concat', name: '/Concat', inputs: ['/branch_a/branch_a.2/Clip', '/Relu'] });
      expect(graph.layers.find((l) => l.op === 'avgpool')).toEqual({ op: 'avgpool', name: '/branch_pool/AveragePool', input: '/block2/conv/conv.2/conv.2.1/BatchNormalization', kernel: [3, 3], stride: [1, 1], padding: [1, 1] });
      const s = plan.steps.find((x) => x.name === '/block2/conv/conv.1/conv.1.0/Conv')!;
      expect(s.op === 'conv2d' && [s.groups, s.fanIn, s.outputs, s.outShape]).toEqual([16, 16 * 9, 16, [16, 4, 4]]);
    });

    it('onnx.helper ops: auto_pad SAME_UPPER, Clip bounds as constant inputs, BN epsilon, asymmetric max-pool pads, Identity/Dropout/Reshape, MatMul + Add bias, final Softmax', () => {
      const { graph, notes } = bind('misc-ops.onnx');
      expect(graph.layers).toEqual([
        { op: 'conv2d', name: 'conv_same', weight: 'conv.w', stride: [2, 2], padding: 'same' },
        { op: 'batchnorm', name: 'bn', weight: 'bn.g', bias: 'bn.b', mean: 'bn.mu', var: 'bn.var', eps: Math.fround(1e-3) },
        { op: 'relu', name: 'relu6', max: 6 },
        { op: 'maxpool', name: 'pool', kernel: [3, 3], stride: [2, 2], padding: [0, 0, 1, 1] },
        { op: 'flatten', name: 'reshape' },
        { op: 'linear', name: 'fc', weight: 'fc.w.T', bias: 'bias' },
      ]);
      expect(graph.input).toEqual([3, 8, 8]);
      expect(notes).toEqual(["dropped the final Softmax 'softmax': it does not change the predicted class"]);
    });

    it('sorts the nodes itself: the ResNet with its nodes reversed or shuffled computes the same', () => {
      const file = join(DIR, 'resnet-tiny.onnx');
      const model = loadOnnxModel(file);
      const x = npy('resnet-tiny-inputs.npy');
      const want = forwardFloat(bind('resnet-tiny.onnx').plan, tensorToFloat64(x), 4);
      let seed = 7;
      const shuffled = [...model.nodes].sort(() => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5);
      for (const nodes of [[...model.nodes].reverse(), shuffled]) {
        const g = graphFromOnnx({ ...model, nodes }, file);
        const plan = resolveGraph(g.graph, [...model.tensors, ...g.extraTensors], file);
        expect(Array.from(forwardFloat(plan, tensorToFloat64(x), 4))).toEqual(Array.from(want));
      }
    });

    it('evaluateNetwork on the ResNet (no labels): the macro equals the integer path, fidelity reported per layer', () => {
      const { graph, tensors } = bind('resnet-tiny.onnx');
      const r = evaluateNetwork({
        graph, graphSource: 'resnet-tiny.onnx', model: tensors, images: npy('resnet-tiny-inputs.npy'),
        quantization: { weightBits: 8, prune: 'magnitude:0.5' }, formats: ['coo', 'rl:4'], macro: resolveMacroConfig(), batchImages: 2,
      });
      expect(r.macroMatchesInteger).toBe(true);
      expect(r.accuracy).toBeNull();
      expect(r.fidelity.layers.map((l) => l.name)).toEqual(['/conv1/Conv', '/layer1/conv1/Conv', '/layer1/conv2/Conv', '/layer2/conv1/Conv', '/layer2/conv2/Conv', '/layer2/shortcut/shortcut.0/Conv', '/fc/Gemm']);
      expect(r.fidelity.outputSqnrDb).toBeGreaterThan(10);
      expect(r.notes.filter((n) => /folded/.test(n))).toHaveLength(6);
    });
  });

  it('imc-sim graph prints YAML that parses back to the same graph', () => {
    for (const file of ['lenet5', 'resnet-tiny', 'mobilenet-tiny', 'misc-ops', 'mlp-matmul', 'residual']) {
      const path = join(DIR, `${file}.onnx`);
      const { stdout, stderr } = graphCommand(path);
      const { description, ...want } = loadGraphFile(path).graph;
      expect(stdout.split('\n')[0]).toBe(`# ${description}`);
      expect(parseGraph(stdout, 'printed.yaml')).toEqual(want);
      if (file === 'misc-ops') expect(stderr).toMatch(/note: dropped the final Softmax/);
    }
  });

  describe('refusals: one line, naming the node', () => {
    const cases: [string, string, RegExp][] = [
      ['hostile-cycle.onnx', 'ONNX_GRAPH', /: node '(relu_a|relu_b|loop_add)' \((Relu|Add)\) is on a cycle \(relu_a → relu_b → loop_add → relu_a\); an ONNX graph must be acyclic$/],
      ['hostile-missing-initializer.onnx', 'ONNX_GRAPH', /: node 'conv' \(Conv\) reads 'conv\.weight', which is neither the graph input, an initializer nor any node's output: a missing initializer/],
      ['hostile-unknown-op.onnx', 'ONNX_GRAPH', /: node 'lstm' \(LSTM\) is not supported; supported: Conv, /],
      ['hostile-same-lower.onnx', 'ONNX_GRAPH', /: node 'conv_lower' \(Conv\) uses auto_pad SAME_LOWER/],
    ];
    for (const [file, code, message] of cases) {
      it(file, () => {
        const e = errorOf(() => loadGraphFile(join(DIR, file)));
        expect(e.code).toBe(code);
        expect(e.message).toMatch(message);
        expect(e.message).toContain(file);
        expect(e.message).not.toContain('\n');
      });
    }

    it('shapes that do not chain: resolveGraph names the ONNX node', () => {
      const g = loadGraphFile(join(DIR, 'hostile-bad-shapes.onnx'));
      const e = errorOf(() => resolveGraph(g.graph, loadOnnxModel(join(DIR, 'hostile-bad-shapes.onnx')).tensors, 'hostile-bad-shapes.onnx'));
      expect(e.code).toBe('GRAPH_INVALID');
      expect(e.message).toMatch(/layers\[1\] \(conv2d conv_b\): weight 'w3' \[4, 3, 1, 1\] takes 3 input channels but the previous layer gives 2/);
      expect(e.message).not.toContain('\n');
    });

    it('ops and attributes imc-sim does not read', () => {
      const x = { name: 'x', dims: [1, 2, 8, 8] };
      const w: Tensor = { name: 'w', dtype: 'float32', shape: [2, 2, 3, 3], data: new Float32Array(36) };
      const node = (opType: string, inputs: string[], attrs: Record<string, number | number[] | string> = {}, name = 'bad', output = 'y'): OnnxNode =>
        ({ name, opType, domain: '', inputs, outputs: [output], attributes: new Map(Object.entries(attrs)) });
      const model = (nodes: OnnxNode[], tensors: Tensor[] = [w], outputs = ['y']): OnnxModel => ({ tensors, nodes, inputs: [x], outputs });
      const relu = (i: string, o: string, name: string): OnnxNode => node('Relu', [i], {}, name, o);
      const refused: [OnnxModel, RegExp][] = [
        [model([node('Conv', ['x', 'w'], { dilations: [2, 2] })]), /node 'bad' \(Conv\) is dilated/],
        [model([node('Conv', ['x', 'w'], { group: 2, pads: [1, 1] })]), /node 'bad' \(Conv\) has pads \[1, 1\]/],
        [model([node('MaxPool', ['x'], { kernel_shape: [2, 2], ceil_mode: 1 })]), /node 'bad' \(MaxPool\) uses ceil_mode/],
        [model([node('Clip', ['x'], { min: -1, max: 1 })]), /node 'bad' \(Clip\) clips to \[-1, 1\]/],
        [model([node('Softmax', ['x'], {}, 'sm', 's'), relu('s', 'y', 'r')]), /node 'sm' \(Softmax\) is not the last node/],
        [model([relu('x', 'a', 'r1'), relu('x', 'b', 'r2'), node('Concat', ['a', 'b'], { axis: 2 })]), /node 'bad' \(Concat\) concatenates along axis 2/],
        [model([node('Gemm', ['x', 'w'], { alpha: 2 })]), /node 'bad' \(Gemm\) uses transA, alpha or beta/],
        [model([node('BatchNormalization', ['x', 'w', 'w', 'w', 'w'], { training_mode: 1 })]), /node 'bad' \(BatchNormalization\) is in training mode/],
        [model([node('Add', ['x', 'w'])]), /node 'bad' \(Add\) adds the constant 'w' \[2, 2, 3, 3\]/],
        [model([node('Conv', ['x', 'c'])]), /node 'bad' \(Conv\) reads 'c', which is neither/],
        [model([relu('x', 'y', 'r1')], [w], ['y', 'x']), /the graph has 2 outputs/],
        [model([relu('x', 'y', 'r1'), relu('x', 'y', 'r2')]), /node 'r2' \(Relu\) writes 'y', which node 'r1' writes too/],
        [{ ...model([node('MyOp', ['x'])]), nodes: [{ ...node('Relu', ['x']), domain: 'com.example' }] }, /node 'bad' \(Relu\) is in domain 'com\.example'/],
        [model([node('Relu', ['x'], {}, 'r', 'a'), node('Constant', [], { value: [] }, 'k', 'k'), node('Clip', ['a', 'k'])]), /node 'k' \(Constant\) holds a value imc-sim cannot read/],
      ];
      for (const [m, re] of refused) {
        const e = errorOf(() => graphFromOnnx(m, 'm.onnx'));
        expect(e.code).toBe('ONNX_GRAPH');
        expect(e.message).toMatch(re);
        expect(e.message).not.toContain('\n');
      }
      // A node name with a line break is escaped (messages and layer names stay one line).
      expect(graphFromOnnx(model([node('Relu', ['x'], {}, 'line\nbreak')]), 'm.onnx').graph.layers[0]!.name).toBe('line\\x0abreak');
      // A node named `input` does not shadow the graph input; nodes that do not lead to the output are noted.
      const g = graphFromOnnx(model([relu('x', 'a', 'input'), relu('a', 'y', 'r'), relu('x', 'dead', 'unused')]), 'm.onnx');
      expect(g.graph.layers.map((l) => l.name)).toEqual(['input_2', 'r']);
      expect(g.notes).toEqual(["ignored 1 node that do not lead to the output: 'unused'"]);
      // Constant nodes with value_float(s)/value_int(s) are read: Clip bounds, Reshape targets.
      const c = graphFromOnnx(model([
        node('Constant', [], { value_float: 0 }, 'lo', 'lo'), node('Constant', [], { value_float: 3 }, 'hi', 'hi'), node('Clip', ['x', 'lo', 'hi'], {}, 'clip', 'c'),
        node('Constant', [], { value_ints: [1, -1] }, 'shape', 'shape'), node('Reshape', ['c', 'shape'], {}, 'flat'),
      ]), 'm.onnx');
      expect(c.graph.layers).toEqual([{ op: 'relu', name: 'clip', max: 3 }, { op: 'flatten', name: 'flat' }]);
    });

    it('from the CLI: one line on stderr, exit code 3 (dist/)', () => {
      expectUserError(cli(['graph', join(DIR, 'hostile-unknown-op.onnx')]), 3, /node 'lstm' \(LSTM\) is not supported/);
      const r = cli(['graph', join(DIR, 'lenet5.onnx')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/- \{\s*op: conv2d,\s+(name: \/conv1\/Conv,\s+)?weight: conv1\.weight,\s+bias: conv1\.bias,\s+padding: \[ 2, 2 \]\s*\}/);
    });
  });
});

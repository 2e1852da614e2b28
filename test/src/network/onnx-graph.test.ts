/** ONNX graphs translated into imc-sim's graph format (fixtures/io/onnx, real torch.onnx.export and onnx.helper). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTensorFile } from '../../../src/io/load.js';
import type { Tensor } from '../../../src/io/tensor.js';
import { evalFile } from '../../../src/network/eval-file.js';
import { forwardFloat } from '../../../src/network/forward-float.js';
import { parseGraph, resolveGraph } from '../../../src/network/graph.js';
import { loadGraphFile } from '../../../src/network/graph-file.js';
import { cli, DATA, expectUserError, ROOT } from '../cli/helpers.js';

const DIR = join(ROOT, 'fixtures/io/onnx');
const pair = (v: unknown): unknown => (typeof v === 'number' ? [v, v] : v);
const norm = (layers: readonly Record<string, unknown>[]) => layers.map((l) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, ['kernel', 'stride', 'padding'].includes(k) ? pair(v) : v])));

describe('graphs from ONNX', () => {
  it('LeNet-5 from torch.onnx.export is examples/lenet5.graph.yaml without the input scaling', () => {
    const { graph } = loadGraphFile(join(DIR, 'lenet5.onnx'));
    const yaml = parseGraph(readFileSync(join(ROOT, 'examples/lenet5.graph.yaml'), 'utf8'), 'y');
    const want = norm(yaml.layers.filter((l) => l.op !== 'scale') as Record<string, unknown>[]).map((l) => (l.op === 'maxpool' ? { ...l, stride: l.kernel } : l));
    expect(norm(graph.layers as Record<string, unknown>[])).toEqual(want);
    expect(graph.input).toEqual([1, 28, 28]);
  });

  it('eval runs an .onnx as model and graph: same accuracy as the .npz and YAML route on images scaled as it expects', () => {
    const images = loadTensorFile(join(DATA, 'mnist-test-images.npy')).tensors[0]!;
    const n = 200;
    const scaled: Tensor = { name: 'x', dtype: 'float32', shape: [n, 1, 28, 28], data: Float32Array.from((images.data as Uint8Array).subarray(0, n * 784), (v) => v / 255) };
    const onnx = evalFile({ model: join(DIR, 'lenet5.onnx'), graph: join(DIR, 'lenet5.onnx'), inputs: scaled, labels: join(DATA, 'mnist-test-labels.npy'), limit: n, formats: 'coo' }).document;
    const yaml = evalFile({ model: join(DATA, 'lenet5.npz'), graph: join(ROOT, 'examples/lenet5.graph.yaml'), inputs: join(DATA, 'mnist-test-images.npy'), labels: join(DATA, 'mnist-test-labels.npy'), limit: n, formats: 'coo' }).document;
    expect(onnx.accuracy.float).toBe(yaml.accuracy.float);
    expect(Math.abs(onnx.accuracy.macro - yaml.accuracy.macro)).toBeLessThanOrEqual(0.01);
    expect(onnx.macroMatchesInteger).toBe(true);
  });

  it('MatMul + Add(bias) + final Softmax: transposed weights, folded bias, same logits as numpy would compute', () => {
    const g = loadGraphFile(join(DIR, 'mlp-matmul.onnx'));
    expect(g.graph.layers).toEqual([{ op: 'linear', weight: 'W1.T', bias: 'b1' }, { op: 'relu' }, { op: 'linear', weight: 'W2.T' }]);
    expect(g.notes[0]).toMatch(/dropped the final Softmax/);
    const m = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8'))['mlp-matmul.onnx'] as { W1: number[][]; b1: number[]; W2: number[][] };
    const tensors = [...loadTensorFile(join(DIR, 'mlp-matmul.onnx')).tensors, ...g.extraTensors];
    const plan = resolveGraph(g.graph, tensors, 'mlp', [4]);
    const x = [0.5, -1, 2, 0.25];
    const h = [0, 1, 2].map((j) => Math.max(0, x.reduce((a, xi, i) => a + xi * Math.fround(m.W1[i]![j]!), 0) + Math.fround(m.b1[j]!)));
    const want = [0, 1].map((j) => h.reduce((a, hi, i) => a + hi * Math.fround(m.W2[i]![j]!), 0));
    const got = forwardFloat(plan, Float64Array.from(x), 1);
    want.forEach((w, j) => expect(got[j]).toBeCloseTo(w, 12));
  });

  it('refuses a residual Add naming the node, in one line from the CLI', () => {
    expect(() => loadGraphFile(join(DIR, 'residual.onnx'))).toThrow(/node 'skip' \(Add\) adds two computed values/);
    expectUserError(cli(['graph', join(DIR, 'residual.onnx')]), 3, /node 'skip' \(Add\)/);
    const r = cli(['graph', join(DIR, 'lenet5.onnx')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/- \{ op: conv2d, weight: conv1\.weight, bias: conv1\.bias, padding: \[ 2, 2 \] \}/);
  });
});

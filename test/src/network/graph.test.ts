import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../errors.js';
import { isMatrixStep, parseGraph, resolveGraph } from '../../../src/network/graph.js';
import { f32, lenet5Like } from './helpers.js';

const LENET5 = readFileSync(new URL('../../../examples/lenet5.graph.yaml', import.meta.url), 'utf8');
const LENET300 = readFileSync(new URL('../../../examples/lenet300.graph.yaml', import.meta.url), 'utf8');

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseGraph', () => {
  it('reads the shipped LeNet-5 graph with its 13 layers', () => {
    const g = parseGraph(LENET5, 'lenet5.graph.yaml');
    expect(g.layers.map((l) => l.op)).toEqual([
      'scale', 'conv2d', 'relu', 'maxpool', 'conv2d', 'relu', 'maxpool', 'flatten', 'linear', 'relu', 'linear', 'relu', 'linear',
    ]);
  });

  it('accepts JSON as well as YAML', () => {
    const g = parseGraph('{"layers": [{"op": "flatten"}, {"op": "linear", "weight": "w"}]}', 'g.json');
    expect(g.layers[1]).toEqual({ op: 'linear', weight: 'w' });
  });

  it('names the accepted ops for an unknown op', () => {
    const e = errorOf(() => parseGraph('layers: [{op: softmax}]', 'g.yaml'));
    expect(e.code).toBe('GRAPH_INVALID');
    expect(e.message).toMatch(/layers\[0\]\.op/);
    expect(e.message).toMatch(/maxpool/);
  });

  it('reports every structural problem in one error', () => {
    const e = errorOf(() => parseGraph('layers:\n  - {op: conv2d, weight: 3, stride: 0}\n  - {op: maxpool}\n  - {op: relu, bogus: 1}\n', 'g.yaml'));
    expect(e.message).toMatch(/layers\[0\]\.weight/);
    expect(e.message).toMatch(/layers\[0\]\.stride/);
    expect(e.message).toMatch(/layers\[1\]\.kernel/);
    expect(e.message).toMatch(/bogus/);
    expect(e.message.includes('\n')).toBe(false);
  });

  it('turns a YAML syntax error into GRAPH_SYNTAX', () => {
    expect(errorOf(() => parseGraph('layers: [{op: relu', 'g.yaml')).code).toBe('GRAPH_SYNTAX');
  });
});

describe('resolveGraph', () => {
  it('infers the LeNet-5 shapes layer by layer', () => {
    const plan = resolveGraph(parseGraph(LENET5, 'lenet5.graph.yaml'), lenet5Like(), 'lenet5.graph.yaml', [1, 28, 28]);
    const shapes = plan.steps.map((s) => s.outShape.join('x'));
    expect(shapes).toEqual(['1x28x28', '6x28x28', '6x28x28', '6x14x14', '16x10x10', '16x10x10', '16x5x5', '400', '120', '120', '84', '84', '10']);
    const mats = plan.steps.filter(isMatrixStep);
    expect(mats.map((s) => [s.name, s.fanIn, s.outputs])).toEqual([
      ['conv1', 25, 6], ['conv2', 150, 16], ['fc1', 400, 120], ['fc2', 120, 84], ['fc3', 84, 10],
    ]);
    expect(plan.name).toBe('lenet5');
  });

  it('marks inputs after ReLU and pooling as non-negative and a conv output as possibly negative', () => {
    const g = parseGraph('layers: [{op: linear, weight: a}, {op: linear, weight: b}, {op: relu}, {op: linear, weight: c}]', 'g');
    const plan = resolveGraph(g, [f32('a', [3, 4]), f32('b', [3, 3]), f32('c', [2, 3])], 'g', [4]);
    expect(plan.steps.map((s) => s.inputNonNegative)).toEqual([true, false, false, true]);
  });

  it('treats a scale with a negative offset as making inputs signed', () => {
    const g = parseGraph('layers: [{op: scale, add: -0.5}, {op: linear, weight: a}]', 'g');
    const plan = resolveGraph(g, [f32('a', [3, 4])], 'g', [4]);
    expect(plan.steps[1]!.inputNonNegative).toBe(false);
  });

  it('lists the available arrays for an unknown weight name', () => {
    const g = parseGraph(LENET5.replace('fc2.weight', 'fc2.wieght'), 'lenet5.graph.yaml');
    const e = errorOf(() => resolveGraph(g, lenet5Like(), 'lenet5.graph.yaml', [1, 28, 28]));
    expect(e.code).toBe('GRAPH_INVALID');
    expect(e.message).toMatch(/no array 'fc2\.wieght'/);
    expect(e.message).toMatch(/available: conv1\.weight, conv1\.bias/);
  });

  it('names the layer whose fan-in does not match the previous layer', () => {
    const arrays = lenet5Like().map((t) => (t.name === 'fc1.weight' ? f32('fc1.weight', [120, 256]) : t));
    const e = errorOf(() => resolveGraph(parseGraph(LENET5, 'g'), arrays, 'g', [1, 28, 28]));
    expect(e.message).toMatch(/layers\[8\] \(linear\): weight 'fc1\.weight' \[120, 256\] takes 256 inputs but the previous layer gives 400/);
  });

  it('reports unknown names and shape mismatches together', () => {
    const arrays = lenet5Like().map((t) => (t.name === 'conv2.weight' ? f32('conv2.weight', [16, 3, 5, 5]) : t));
    const g = parseGraph(LENET5.replace('fc3.bias', 'fc3.b'), 'g');
    const e = errorOf(() => resolveGraph(g, arrays, 'g', [1, 28, 28]));
    expect(e.message).toMatch(/takes 3 input channels but the previous layer gives 6/);
    expect(e.message).toMatch(/no array 'fc3\.b'/);
  });

  it('asks for a flatten before a linear layer fed a [C, H, W] input', () => {
    const e = errorOf(() => resolveGraph(parseGraph(LENET300.replace('  - { op: flatten }\n', ''), 'g'), [f32('fc1.weight', [300, 784])], 'g', [1, 28, 28]));
    expect(e.message).toMatch(/add `- op: flatten` before it/);
  });

  it('rejects a bias whose length is not the layer\'s output count', () => {
    const g = parseGraph('layers: [{op: linear, weight: w, bias: b}]', 'g');
    const e = errorOf(() => resolveGraph(g, [f32('w', [3, 4]), f32('b', [4])], 'g', [4]));
    expect(e.message).toMatch(/bias 'b' has shape \[4\]; weight 'w' needs a bias of \[3\]/);
  });

  it('rejects inputs whose sample shape differs from the declared input', () => {
    const e = errorOf(() => resolveGraph(parseGraph(LENET300, 'g'), [], 'g', [1, 32, 32]));
    expect(e.message).toMatch(/expects samples of shape \[1, 28, 28\] but the inputs have \[1, 32, 32\]/);
  });
});

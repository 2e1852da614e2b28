import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import { resolveMacroConfig } from '../../../macro-sim/config.js';
import { loadTensorFile } from '../../../src/io/load.js';
import { evaluateNetwork, type EvaluateOptions } from '../../../src/network/evaluate.js';
import { parseGraph } from '../../../src/network/graph.js';
import { mnist } from './helpers.js';

const ROOT = new URL('../../../', import.meta.url);

function options(net: 'lenet300' | 'lenet5', over: Partial<EvaluateOptions>): EvaluateOptions {
  const { images, labels } = mnist();
  const graphPath = `examples/${net}.graph.yaml`;
  return {
    graph: parseGraph(readFileSync(new URL(graphPath, ROOT), 'utf8'), graphPath),
    graphSource: graphPath,
    model: loadTensorFile(new URL(`fixtures/data/${net}.npz`, ROOT).pathname).tensors,
    images,
    labels,
    quantization: { weightBits: 8, inputBits: 8 },
    formats: ['coo'],
    macro: resolveMacroConfig({}),
    limit: 60,
    batchImages: 25,
    ...over,
  };
}

describe('evaluateNetwork', () => {
  it('LeNet-5: the macro path equals the integer path image by image in coo, rl and nm', () => {
    const r = evaluateNetwork(options('lenet5', { quantization: { weightBits: 6, inputBits: 8, prune: 'nm:2:4' }, formats: ['coo', 'rl:3', 'nm:2:4'] }));
    expect(r.runs.map((x) => x.mismatchedImages)).toEqual([0, 0, 0]);
    expect(r.macroMatchesInteger).toBe(true);
    expect(r.runs.map((x) => x.accuracy)).toEqual([r.accuracy.integer, r.accuracy.integer, r.accuracy.integer]);
  });

  it('LeNet-300-100 at 90 % magnitude pruning: macro equals integer, every layer ~90 % sparse', () => {
    const r = evaluateNetwork(options('lenet300', { quantization: { weightBits: 4, inputBits: 6, prune: 'magnitude:0.9' }, formats: ['coo', 'rl'] }));
    expect(r.macroMatchesInteger).toBe(true);
    for (const l of r.runs[0]!.layers) expect(l.sparsity).toBeGreaterThanOrEqual(0.9);
  });

  it('sums the layers into the network totals per image', () => {
    const r = evaluateNetwork(options('lenet5', {}));
    const run = r.runs[0]!;
    const sum = (f: (l: (typeof run.layers)[number]) => number) => run.layers.reduce((a, l) => a + f(l), 0);
    expect(run.total.storage.totalBits).toBe(sum((l) => l.storage.totalBits));
    expect(run.total.mapping.loads).toBe(sum((l) => l.mapping.loads));
    expect(run.total.energy.totalPj).toBeCloseTo(sum((l) => l.energy.totalPj), 6);
    expect(run.total.timing.cycles).toBeCloseTo(sum((l) => l.timing.cycles), 9);
    expect(run.layers.map((l) => l.vectorsPerImage)).toEqual([784, 100, 1, 1, 1]);
    expect(run.total.metrics.macsDense).toBe(25 * 6 * 784 + 150 * 16 * 100 + 400 * 120 + 120 * 84 + 84 * 10);
    expect(r.images).toBe(60);
    expect(r.baselines.map((b) => b.name)).toEqual(['asic', 'systolic-asic', 'fpga', 'mobile-gpu']);
  });

  it('keeps every layer resident when the whole model fits the macros', () => {
    const r = evaluateNetwork(options('lenet5', { macro: resolveMacroConfig({ macros: 64 }), limit: 10 }));
    expect(r.runs[0]!.layers.every((l) => l.resident)).toBe(true);
    expect(r.runs[0]!.total.timing.writeCycles).toBe(0);
  });

  it('counts a re-written layer\'s writes once per batch', () => {
    const a = evaluateNetwork(options('lenet300', { limit: 40, batchImages: 10 }));
    const b = evaluateNetwork(options('lenet300', { limit: 40, batchImages: 20 }));
    expect(a.runs[0]!.total.timing.writeCycles).toBeCloseTo(2 * b.runs[0]!.total.timing.writeCycles, 9);
  });

  it('reports progress after every batch', () => {
    const seen: number[] = [];
    evaluateNetwork(options('lenet300', { limit: 30, batchImages: 12, onProgress: (d) => seen.push(d) }));
    expect(seen).toEqual([12, 24, 30]);
  });

  it('rejects labels outside the network\'s classes', () => {
    const { labels } = mnist();
    const bad = { ...labels, data: Uint8Array.from(labels.data as Uint8Array, (v, i) => (i === 3 ? 10 : v)) };
    expect(() => evaluateNetwork(options('lenet300', { labels: bad }))).toThrow(InputError);
    expect(() => evaluateNetwork(options('lenet300', { labels: bad }))).toThrow(/label 3 is 10/);
  });
});

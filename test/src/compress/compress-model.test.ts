/**
 * compressModel end to end on the real LeNet-300-100 with a few hundred digits and one or two epochs:
 * the loss falls, every structure holds exactly in the written model, the written weights sit on the
 * b-bit levels, and `eval` on the written file reports the accuracy `compress` reported.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compressModel, type CompressOptions } from '../../../src/compress/compress-model.js';
import { loadTensorFile } from '../../../src/io/load.js';
import { evalFile } from '../../../src/network/eval-file.js';
import { DATA, ROOT, tempDir } from '../cli/helpers.js';

const base: CompressOptions = {
  model: join(DATA, 'lenet300.npz'),
  graph: join(ROOT, 'examples/lenet300.graph.yaml'),
  train: join(DATA, 'mnist-train-images.npy'),
  trainLabels: join(DATA, 'mnist-train-labels.npy'),
  test: join(DATA, 'mnist-test-images.npy'),
  testLabels: join(DATA, 'mnist-test-labels.npy'),
  trainLimit: 300,
  testLimit: 200,
  schedule: { admmEpochs: 2, retrainEpochs: 1 },
};

const weightOf = (file: string, name: string): Float32Array => loadTensorFile(file).tensors.find((t) => t.name === name)!.data as Float32Array;

describe('compressModel (LeNet-300-100, 300 training digits)', () => {
  it('ADMM nm:2:4 + 8-bit: every group of 4 holds ≤ 2 nonzeros, weights on the levels, eval agrees', () => {
    const dir = tempDir();
    const out = join(dir, 'nm.npz');
    const r = compressModel({ ...base, structure: 'nm:2:4', output: out });
    const d = r.document;
    expect(d.layers.map((l) => l.rule)).toEqual(['nm:2:4', 'nm:2:4', 'nm:2:4']);
    expect(Object.keys(d.total.energyPjPerImage)).toEqual(['dense', 'bitmask', 'coo', 'rl:4', 'nm:2:4']);
    expect(d.epochs.map((e) => e.phase)).toEqual(['admm', 'admm', 'retrain']);
    for (const e of d.epochs) expect(e.residual).toBeGreaterThan(0); // ‖W − Z‖²/‖W‖² of every ADMM round
    const w = weightOf(out, 'fc1.weight'); // [300, 784]: row n = column n of the [K, N] matrix
    for (let n = 0; n < 300; n++) {
      for (let g = 0; g < 784; g += 4) {
        let nz = 0;
        for (let i = 0; i < 4; i++) if (w[n * 784 + g + i] !== 0) nz++;
        expect(nz).toBeLessThanOrEqual(2);
      }
      // On the 8-bit levels of its column: w = q · max|w|/127 with integer q.
      let max = 0;
      for (let k = 0; k < 784; k++) max = Math.max(max, Math.abs(w[n * 784 + k]!));
      for (let k = 0; k < 784; k++) {
        const q = (w[n * 784 + k]! * 127) / max;
        expect(Math.abs(q - Math.round(q))).toBeLessThan(1e-4);
      }
    }
    expect(d.layers[0]!.sparsity).toBeGreaterThanOrEqual(0.5);
    const ev = evalFile({ model: out, graph: base.graph, inputs: base.test as string, labels: base.testLabels as string, limit: 200, formats: 'nm:2:4' }).document;
    expect(ev.accuracy.macro).toBe(d.accuracy.macroAfter);
    expect(ev.runs[0]!.total.energy.totalPj).toBeCloseTo(d.total.energyPjPerImage['nm:2:4']!, 9);
    expect(d.accuracy.macroAfter).toBeGreaterThan(0.8);
  }, 120_000);

  it('magnitude-retrain: the training loss falls epoch over epoch, masks are kept, output is deterministic', () => {
    const dir = tempDir();
    const a = join(dir, 'a.npz'), b = join(dir, 'b.npz');
    const opts: CompressOptions = { ...base, method: 'magnitude-retrain', structure: 'block:4:4', sparsity: 0.75, schedule: { admmEpochs: 1, retrainEpochs: 1 } };
    const r = compressModel({ ...opts, output: a });
    compressModel({ ...opts, output: b });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const losses = r.document.epochs.map((e) => e.loss);
    expect(losses).toHaveLength(2);
    expect(losses[1]!).toBeLessThan(losses[0]!);
    // block:4:4 at 0.75: three of every four 4×4 tiles of fc2 [100, 300] → [K = 300, N = 100] are zero.
    const fc2 = r.document.layers[1]!;
    expect(fc2.rule).toBe('block:4:4:0.75');
    expect(fc2.sparsity).toBeGreaterThanOrEqual(0.75);
    const w = weightOf(a, 'fc2.weight');
    let zeroTiles = 0;
    for (let n0 = 0; n0 < 100; n0 += 4) for (let k0 = 0; k0 < 300; k0 += 4) {
      let all = true;
      for (let n = n0; n < n0 + 4; n++) for (let k = k0; k < k0 + 4; k++) if (w[n * 300 + k] !== 0) all = false;
      if (all) zeroTiles++;
    }
    expect(zeroTiles).toBeGreaterThanOrEqual(Math.floor(0.75 * 25 * 75));
  }, 120_000);

  it('svd: two layers per factorised layer, a graph that eval runs to the reported accuracy', () => {
    const dir = tempDir();
    const out = join(dir, 'svd.safetensors');
    const r = compressModel({ ...base, method: 'svd', sparsity: '0.9,fc3=0', output: out });
    const d = r.document;
    expect(d.output!.graph).toBe(join(dir, 'svd.graph.yaml'));
    expect(d.layers[0]!.rank).toBe(21);
    expect(d.layers[0]!.rule).toBe('svd:rank 21/300');
    expect(d.layers[2]!.rank).toBeNull();
    const names = loadTensorFile(out).tensors.map((t) => t.name).sort();
    expect(names).toEqual(['fc1.0.weight', 'fc1.1.bias', 'fc1.1.weight', 'fc2.0.weight', 'fc2.1.bias', 'fc2.1.weight', 'fc3.bias', 'fc3.weight']);
    expect(loadTensorFile(out).tensors.find((t) => t.name === 'fc1.0.weight')!.shape).toEqual([21, 784]);
    expect(d.layers[0]!.nnz).toBeLessThanOrEqual(21 * (784 + 300));
    const ev = evalFile({ model: out, graph: d.output!.graph!, inputs: base.test as string, labels: base.testLabels as string, limit: 200, formats: 'dense' }).document;
    expect(ev.accuracy.macro).toBe(d.accuracy.macroAfter);
  }, 120_000);

  it('hardware-aware (LeNet-5): a layer whose target is below its energy break-even in coo stays dense', () => {
    const r = compressModel({
      ...base, model: join(DATA, 'lenet5.npz'), graph: join(ROOT, 'examples/lenet5.graph.yaml'), trainLimit: 100, testLimit: 50,
      sparsity: 'conv1=0.3,conv2=0.5,fc1=0.95,fc2=0.9,fc3=0.5', hardwareAware: true, formats: 'dense,coo', schedule: { admmEpochs: 1, retrainEpochs: 0 },
    });
    const by = new Map(r.document.layers.map((l) => [l.name, l]));
    // conv1 (25×6, 784 vectors per image): coo never beats dense here, or only above 30 %.
    const conv1 = by.get('conv1')!;
    expect(conv1.breakEvenSparsity === null || conv1.breakEvenSparsity > 0.3).toBe(true);
    expect(conv1.rule).toBe('none');
    const fc1 = by.get('fc1')!;
    expect(fc1.breakEvenSparsity).not.toBeNull();
    expect(fc1.breakEvenSparsity!).toBeLessThanOrEqual(0.95);
    expect(fc1.rule).toBe('magnitude:0.95');
    for (const l of r.document.layers) {
      if (l.rule === 'none') continue;
      expect(l.breakEvenSparsity).not.toBeNull();
      expect(l.breakEvenSparsity!).toBeLessThanOrEqual(Number(l.rule.split(':').pop()));
    }
  }, 120_000);

  it('bad input: labels of the wrong length, unknown layer, sparsity 1, a tile larger than the matrix; nothing written', () => {
    const dir = tempDir();
    const out = join(dir, 'x.npz');
    expect(() => compressModel({ ...base, trainLabels: base.testLabels, output: out })).toThrow(/training labels have shape \[2000\] but there are 8000 training images/);
    expect(() => compressModel({ ...base, sparsity: 'fc9=0.5', output: out })).toThrow(/names layer 'fc9'.*fc1, fc2, fc3/);
    expect(() => compressModel({ ...base, sparsity: 1, output: out })).toThrow(/\[0, 1\)/);
    expect(() => compressModel({ ...base, structure: 'block:16:16', sparsity: 0.5, output: out })).toThrow(/layer fc3 \(100×10\) cannot take structure block:16:16/);
    expect(() => compressModel({ ...base, graph: join(ROOT, 'examples/lenet5.graph.yaml'), output: out })).toThrow(/no array 'conv1.weight'/);
    expect(() => compressModel({ ...base, sparsity: 0.5, schedule: { lr: 1e300, admmEpochs: 1, retrainEpochs: 0 }, output: out })).toThrow(/diverged/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});

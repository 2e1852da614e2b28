/** Sweep points that name their own model (and graph): e.g. models written by `imc-sim compress`. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalFile } from '../../../src/network/eval-file.js';
import { runFile } from '../../../src/run/run-file.js';
import { evaluatePoint } from '../../../src/sweep/evaluate-point.js';
import { loadSweepSpec, parseSweepSpec } from '../../../src/sweep/spec.js';
import { DATA, ROOT } from '../cli/helpers.js';

describe('sweep axes model and graph', () => {
  it('a point evaluates its own model and graph, relative to the spec, exactly as eval does', () => {
    const spec = parseSweepSpec({
      workload: { model: 'fixtures/data/lenet300.npz', graph: 'examples/lenet300.graph.yaml', inputs: 'fixtures/data/mnist-test-images.npy', labels: 'fixtures/data/mnist-test-labels.npy', limit: 30 },
      points: [{ format: 'coo' }, { format: 'coo', model: 'fixtures/data/lenet5.npz', graph: 'examples/lenet5.graph.yaml' }],
      objectives: ['energyPj:min', 'accuracy:max'],
    }, ROOT);
    const [a, b] = spec.points.map((p) => evaluatePoint(spec, { ...p, format: 'coo' }));
    return Promise.all([a, b]).then(([ra, rb]) => {
      const want = evalFile({ model: join(DATA, 'lenet5.npz'), graph: join(ROOT, 'examples/lenet5.graph.yaml'), inputs: join(DATA, 'mnist-test-images.npy'), labels: join(DATA, 'mnist-test-labels.npy'), limit: 30, formats: 'coo' }).document;
      expect(rb!['accuracy']).toEqual(want.accuracy);
      expect((rb!['energy'] as { totalPj: number }).totalPj).toBe(want.runs[0]!.total.energy.totalPj);
      expect((ra!['energy'] as { totalPj: number }).totalPj).not.toBe(want.runs[0]!.total.energy.totalPj);
    });
  }, 60_000);

  it('a network workload without labels sweeps fidelity (seeded inputs stay a spec value, not a path)', async () => {
    const spec = parseSweepSpec({
      workload: { model: 'fixtures/data/lenet5.npz', graph: 'examples/lenet5.graph.yaml', inputs: 'random:4:3' },
      axes: { format: ['coo'], weightBits: [8, 4] },
      objectives: ['energyPj:min', 'fidelity.outputSqnrDb:max'],
    }, ROOT);
    expect(spec.workload).toMatchObject({ inputs: 'random:4:3' });
    const [b8, b4] = await Promise.all([evaluatePoint(spec, { format: 'coo', weightBits: 8 }), evaluatePoint(spec, { format: 'coo', weightBits: 4 })]);
    expect(b8!['accuracy']).toBeNull();
    const sq = (r: Record<string, unknown>): number => (r['fidelity'] as { outputSqnrDb: number }).outputSqnrDb;
    expect(sq(b8!)).toBeGreaterThan(sq(b4!));
    const want = evalFile({ model: join(DATA, 'lenet5.npz'), graph: join(ROOT, 'examples/lenet5.graph.yaml'), inputs: 'random:4:3', formats: 'coo' }).document;
    expect(sq(b8!)).toBe(want.fidelity.outputSqnrDb);
  }, 60_000);

  it('the shipped example spec parses: compress steps with training data', async () => {
    const spec = await loadSweepSpec(join(ROOT, 'examples/sweep-lenet300-compressed.yaml'));
    expect(spec.points.map((p) => p.compress).filter((c) => c !== undefined)).toEqual(['admm:magnitude@0.94,fc2=0.88,fc3=0.6', 'admm:magnitude@0.94,fc2=0.88,fc3=0.6', 'admm:magnitude@0.94,fc2=0.88,fc3=0.6', 'admm:nm:2:4']);
    expect(spec.workload).toMatchObject({ train: join(DATA, 'mnist-train-images.npy'), trainLabels: join(DATA, 'mnist-train-labels.npy') });
  });

  it('a weight-array workload with baselines: true gives each record the baselines run prints; without, none', async () => {
    const workload = { file: 'fixtures/data/lenet300.npz', array: 'fc2.weight', batch: 4 };
    const on = parseSweepSpec({ workload: { ...workload, baselines: true }, axes: { format: ['coo'] } }, ROOT);
    const off = parseSweepSpec({ workload, axes: { format: ['coo'] } }, ROOT);
    const point = { format: 'coo', prune: 'magnitude:0.5', rows: 128 };
    const [withRows, without] = await Promise.all([evaluatePoint(on, point), evaluatePoint(off, point)]);
    const want = runFile({ file: join(DATA, 'lenet300.npz'), array: 'fc2.weight', batch: 4, formats: 'coo', prune: 'magnitude:0.5', macroOverrides: { rows: 128 } }).document;
    expect(withRows!['baselines']).toEqual(want['baselines']);
    expect(without!['baselines']).toBeUndefined();
    expect(withRows!['energy']).toEqual(without!['energy']);
    expect(() => parseSweepSpec({ workload: { ...workload, baselines: 'yes' }, axes: { format: ['coo'] } }, ROOT)).toThrow(/baselines/);
  });

  it('a weight-array workload refuses them', () => {
    expect(() => parseSweepSpec({ workload: { file: 'w.npy' }, axes: { format: ['coo'], model: ['m.npz'] } }, '/d')).toThrow(/"model" does not apply to a file workload/);
  });
});

describe('sweep axis compress', () => {
  it('trains once per step into the disk cache, reuses it, and evaluates the retrained model', async () => {
    const { mkdtempSync, readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { compressModel } = await import('../../../src/compress/compress-model.js');
    const base = mkdtempSync(join(tmpdir(), 'imc-sweep-compress-'));
    const spec = parseSweepSpec({
      workload: {
        model: join(DATA, 'lenet300.npz'), graph: join(ROOT, 'examples/lenet300.graph.yaml'), inputs: join(DATA, 'mnist-test-images.npy'), labels: join(DATA, 'mnist-test-labels.npy'), limit: 50,
        train: join(DATA, 'mnist-train-images.npy'), trainLabels: join(DATA, 'mnist-train-labels.npy'), trainLimit: 60,
      },
      axes: { format: ['coo', 'rl:4'], compress: ['magnitude-retrain:magnitude@0.8'] },
    }, base);
    const first = await evaluatePoint(spec, { format: 'coo', compress: 'magnitude-retrain:magnitude@0.8' });
    const files = readdirSync(join(base, '.imc-sim-cache/compress'));
    expect(files).toHaveLength(1);
    const second = await evaluatePoint(spec, { format: 'rl:4', compress: 'magnitude-retrain:magnitude@0.8' });
    expect(readdirSync(join(base, '.imc-sim-cache/compress'))).toEqual(files); // reused, not retrained
    // The same model as compress writes with the same settings: same accuracy.
    const direct = compressModel({
      model: join(DATA, 'lenet300.npz'), graph: join(ROOT, 'examples/lenet300.graph.yaml'), train: join(DATA, 'mnist-train-images.npy'), trainLabels: join(DATA, 'mnist-train-labels.npy'),
      test: join(DATA, 'mnist-test-images.npy'), testLabels: join(DATA, 'mnist-test-labels.npy'), trainLimit: 60, testLimit: 50, method: 'magnitude-retrain', sparsity: '0.8', formats: 'coo',
    });
    expect(first['accuracy']).toEqual(direct.evaluation.accuracy);
    expect(second['accuracy']).toEqual(first['accuracy']);
    expect((first['storage'] as { totalBits: number }).totalBits).toBe(direct.evaluation.runs[0]!.total.storage.totalBits);
  }, 120_000);

  it('refuses a bad step and a workload without training data', () => {
    const w = { model: 'm.npz', graph: 'g.yaml', inputs: 'x.npy', labels: 'y.npy' };
    expect(() => parseSweepSpec({ workload: w, axes: { format: ['coo'], compress: ['admm:magnitude@0.9'] } }, '/d')).toThrow(/compress step need workload.train and workload.trainLabels .* and workload.labels/);
    expect(() => parseSweepSpec({ workload: { ...w, train: 't.npy', trainLabels: 'l.npy' }, axes: { format: ['coo'], compress: ['sgd@0.9'] } }, '/d')).toThrow(/unknown method 'sgd'/);
    expect(() => parseSweepSpec({ workload: { ...w, train: 't.npy', trainLabels: 'l.npy' }, axes: { format: ['coo'], compress: ['admm:magnitude'] } }, '/d')).toThrow(/give the targets after '@'/);
    expect(() => parseSweepSpec({ workload: { file: 'w.npy' }, axes: { format: ['coo'], compress: ['admm:nm:2:4'] } }, '/d')).toThrow(/"compress" does not apply to a file workload/);
  });
});

/** Sweep points that name their own model (and graph): e.g. models written by `imc-sim compress`. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalFile } from '../../../src/network/eval-file.js';
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

  it('the shipped example spec parses and its points name the compressed models', async () => {
    const spec = await loadSweepSpec(join(ROOT, 'examples/sweep-lenet300-compressed.yaml'));
    const models = spec.points.map((p) => p.model).filter((m) => m !== undefined);
    expect(models).toEqual(['../out/lenet300-admm.npz', '../out/lenet300-admm.npz', '../out/lenet300-admm.npz', '../out/lenet300-nm24.npz']);
  });

  it('a weight-array workload refuses them', () => {
    expect(() => parseSweepSpec({ workload: { file: 'w.npy' }, axes: { format: ['coo'], model: ['m.npz'] } }, '/d')).toThrow(/"model" does not apply to a file workload/);
  });
});

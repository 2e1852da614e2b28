import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PreparationCache } from '../../../src/preparation-cache.js';
import { runFile } from '../../../src/run/run-file.js';
import { cli, DATA } from '../cli/helpers.js';

describe('runFile (library) and imc-sim run (CLI)', () => {
  it('give the identical JSON document for the same options', () => {
    const file = join(DATA, 'mobilenetv1-conv6-pointwise.npy');
    const r = cli(['run', file, '--prune', 'bcr:16:16:0.8', '--weight-bits', '6', '--format', 'coo:6,rl:3', '--batch', '3', '--seed', '5', '--macros', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { document } = runFile({ file, prune: 'bcr:16:16:0.8', weightBits: 6, formats: 'coo:6,rl:3', batch: 3, seed: 5, macroOverrides: { macros: 2 } });
    expect(JSON.stringify(document, null, 2) + '\n').toBe(r.stdout);
  });

  it('counts re-writes across the layers of a model: the per-layer re-writes add up to the model total', () => {
    const { document } = runFile({ file: join(DATA, 'lenet300.npz'), prune: 'magnitude:0.9', formats: 'coo', batch: 2, baselines: false, sqnr: false, macroOverrides: { macros: 3 } });
    const doc = document as { layers: Array<{ formats: Array<{ mapping: { loads: number; rewrites: number } }> }>; totals: Array<{ mapping: { loads: number; rewrites: number } }> };
    const loads = doc.layers.map((l) => l.formats[0]!.mapping.loads);
    const rewrites = doc.layers.map((l) => l.formats[0]!.mapping.rewrites);
    const total = loads.reduce((a, b) => a + b, 0);
    expect(doc.totals[0]!.mapping).toMatchObject({ loads: total, rewrites: total - 3 });
    expect(rewrites.reduce((a, b) => a + b, 0)).toBe(total - 3);
    // the first layer fills the 3 macros first, so it re-writes all but 3 of its loads
    expect(rewrites[0]).toBe(Math.max(0, loads[0]! - 3));
  });

  it('gives the same documents with one cache shared by many calls as with a fresh cache each', () => {
    const file = join(DATA, 'lenet300.npz');
    const cache = new PreparationCache();
    const calls = [
      { prune: 'magnitude:0.5', formats: 'coo', weightBits: 4 },
      { prune: 'magnitude:0.9', formats: 'rl:3', weightBits: 4, macroOverrides: { rows: 128 } },
      { prune: 'magnitude:0.5', formats: 'bitmask', weightBits: 4, seed: 3 },
      { prune: 'magnitude:0.5', formats: 'coo', weightBits: 6 },
    ];
    for (const c of calls) {
      const o = { file, array: 'fc2.weight', batch: 3, baselines: false, ...c };
      expect(JSON.stringify(runFile(o, cache).document)).toBe(JSON.stringify(runFile(o).document));
    }
    expect(cache.sizes()).toMatchObject({ file: 1, prepared: 3, 'float-product': 2 });
    // a float32 `oi` array: the SQNR reference read the file's own array, no float64 copy was made
    expect(cache.sizes()['float-matrix']).toBeUndefined();
  });

  it('prices the baselines once per preparation (counted) and once per macro (IMC) across a sweep of formats and rows, with the same documents', () => {
    const file = join(DATA, 'lenet300.npz');
    const cache = new PreparationCache();
    for (const formats of ['coo', 'rl:4', 'dense']) {
      for (const rows of [64, 128]) {
        const o = { file, array: 'fc2.weight', batch: 3, prune: 'magnitude:0.8', weightBits: 6, formats, macroOverrides: { rows } };
        const shared = runFile(o, cache).document, fresh = runFile(o).document;
        expect(JSON.stringify(shared)).toBe(JSON.stringify(fresh));
        expect((shared['baselines'] as { name: string }[]).map((b) => b.name)).toEqual(['dense-imc', 'bitmask-imc', 'asic', 'systolic-asic', 'fpga', 'mobile-gpu']);
      }
    }
    expect(cache.sizes()).toMatchObject({ prepared: 1, 'counted-baselines': 1, 'imc-baselines': 2 });
  });
});


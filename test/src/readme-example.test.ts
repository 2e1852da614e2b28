/** The README's library example, run as written (with the bundled files), so the documented calls stay true. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeMatrix, InputPacks, loadTensorFile, prepareInputs, prepareWeights, resolveMacroConfig, runFile, selectArray, simulate } from '../../src/index.js';
import { DATA } from './cli/helpers.js';

describe('the README library example', () => {
  it('runs as documented and gives exact, consistent results', () => {
    const { document } = runFile({ file: join(DATA, 'mobilenetv1-conv6-pointwise.npy'), prune: 'magnitude:0.9', formats: 'coo,rl:4', batch: 4 });
    expect((document as { outputsExact: boolean }).outputsExact).toBe(true);
    const t = selectArray(loadTensorFile(join(DATA, 'lenet300.npz')), 'fc1.weight');
    const prepared = prepareWeights(t, { prune: 'nm:2:4', weightBits: 8 });
    const macro = resolveMacroConfig({ rows: 256, macros: 4 });
    const encoded = encodeMatrix(prepared.q, 'nm:2:4', { valueBits: 8, segmentRows: macro.rows });
    const x = prepareInputs({ K: prepared.K, bits: macro.inputBits, signed: false, batch: 16 });
    const sim = simulate(encoded, { data: x.q, batch: x.batch }, macro);
    expect(encoded.storage.compression).toBeCloseTo(1.6, 6); // 2:4 at 8 bits: 2 × (8 + 2) bits per 4 × 8
    expect(sim.energy.totalPj).toBeGreaterThan(0);
    expect(sim.metrics.topsPerWattDense).toBeCloseTo((2 * 784 * 300 * 16) / sim.energy.totalPj, 9);
    // the InputPacks sentence: same results through packs
    const inputPacks = new InputPacks({ data: x.q, batch: x.batch });
    const packed = simulate(encoded, { data: x.q, batch: x.batch }, macro, { inputPacks });
    expect(Array.from(packed.outputs)).toEqual(Array.from(sim.outputs));
    expect(packed.energy).toEqual(sim.energy);
  });
});

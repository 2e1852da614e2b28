import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { priceBaselines } from '../../../macro-sim/baselines/registry.js';
import { runFile } from '../../../src/run/run-file.js';
import { DATA } from '../cli/helpers.js';

describe('runPrepared: the baselines of a layer run', () => {
  const cases = [
    { name: 'MobileNet conv6 pruned to 90 % on the default macro', o: { file: join(DATA, 'mobilenetv1-conv6-pointwise.npy'), prune: 'magnitude:0.9', batch: 16 } },
    { name: 'LeNet-300 fc1 on real digits, 3 macros with 2 weight sets', o: { file: join(DATA, 'lenet300.npz'), array: 'fc1.weight', prune: 'magnitude:0.9', inputs: join(DATA, 'mnist-test-images.npy'), batch: 32, macroOverrides: { macros: 3, weightSets: 2 } } },
    { name: 'MobileNet conv6 2:4, no plane skipping, writes overlapped, nothing resident, 4-bit inputs, 128 rows', o: { file: join(DATA, 'mobilenetv1-conv6-pointwise.npy'), prune: 'nm:2:4', weightBits: 6, batch: 9, macroOverrides: { skipZeroBitPlanes: false, overlapWrites: true, weightsResident: false, inputBits: 4, rows: 128 } } },
  ];
  it.each(cases)('$name: priced from counts, identical to encoding dense and bitmask and running the engine', ({ o }) => {
    const { runs, macro } = runFile({ formats: 'coo', sqnr: false, ...o });
    const run = runs[0]!;
    const p = run.prepared;
    const workload = { rows: p.K, cols: p.N, batch: run.inputs.batch, nnz: p.nnz, valueBits: p.weightBits, inputBits: macro.inputBits, nonzeroInputs: run.inputs.q.filter((v) => v !== 0).length, q: p.q };
    const engine = priceBaselines(workload, { inputs: { data: run.inputs.q, batch: run.inputs.batch }, config: macro, pricing: 'engine' });
    expect(run.baselines.map((b) => b.name)).toEqual(['dense-imc', 'bitmask-imc', 'asic', 'systolic-asic', 'fpga', 'mobile-gpu']);
    expect(run.baselines).toEqual(engine);
    // A run that has dense and bitmask among its formats takes those rows from its own runs: the same rows.
    const withImcFormats = runFile({ ...o, formats: 'bitmask,coo,dense', sqnr: false }).runs[0]!;
    expect(withImcFormats.baselines).toEqual(engine);
  });

  it('takes the IMC baselines from the run\'s own dense and bitmask formats instead of pricing them again', () => {
    const o = { file: join(DATA, 'lenet300.npz'), array: 'fc2.weight', prune: 'magnitude:0.8', batch: 5, sqnr: false };
    const run = runFile({ ...o, formats: 'dense,bitmask' }).runs[0]!;
    const [dense, bitmask] = run.formats as { energy: { totalPj: number }; storage: { totalBits: number }; timing: { latencyNs: number } }[];
    // the rows are built from exactly these runs' figures
    expect(run.baselines[0]).toMatchObject({ name: 'dense-imc', energyPj: dense!.energy.totalPj, storageBits: dense!.storage.totalBits, latencyNs: dense!.timing.latencyNs });
    expect(run.baselines[1]).toMatchObject({ name: 'bitmask-imc', energyPj: bitmask!.energy.totalPj, storageBits: bitmask!.storage.totalBits, latencyNs: bitmask!.timing.latencyNs });
    expect(run.baselines).toEqual(runFile({ ...o, formats: 'coo' }).runs[0]!.baselines);
  });
});

import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../../formats/registry.js';
import { asicBaseline } from '../../../macro-sim/baselines/asic.js';
import { fpgaBaseline } from '../../../macro-sim/baselines/fpga.js';
import { mobileGpuBaseline } from '../../../macro-sim/baselines/mobile-gpu.js';
import { systolicBaseline } from '../../../macro-sim/baselines/systolic.js';
import { BASELINES, priceBaselines } from '../../../macro-sim/baselines/registry.js';
import { resolveMacroConfig } from '../../../macro-sim/config.js';
import { simulate } from '../../../macro-sim/engine.js';
import { ENERGY_BAND_FACTOR } from '../../../macro-sim/uncertainty.js';
import { matrixFromRows } from '../helpers.js';

const q = matrixFromRows([[1, 0, -3, 0], [0, 2, 0, 0], [5, 0, 0, -1], [0, 0, 7, 0], [0, 4, 0, 0], [6, 0, 0, 2]]);
const workload = { rows: 6, cols: 4, batch: 2, nnz: 9, valueBits: 4, inputBits: 4, nonzeroInputs: 8, q };
const inputs = { data: Int32Array.of(1, 0, 3, 0, 15, 2, 0, 7, 0, 4, 1, 1), batch: 2 };
const config = resolveMacroConfig({ rows: 4, bitColumns: 16, inputBits: 4 });

describe('the baseline registry', () => {
  it('prices every baseline in report order, the IMC ones by simulating their format on the same macro', () => {
    const rows = priceBaselines(workload, { inputs, config });
    expect(rows.map((r) => r.name)).toEqual(BASELINES.map((b) => b.name));
    expect(rows.map((r) => r.name)).toEqual(['dense-imc', 'bitmask-imc', 'asic', 'systolic-asic', 'fpga', 'mobile-gpu']);
    const dense = simulate(FORMATS.dense.encode(q, {}, { valueBits: 4, segmentRows: 4 }), inputs, config);
    expect(rows[0]).toMatchObject({ name: 'dense-imc', energyPj: dense.energy.totalPj, latencyNs: dense.timing.latencyNs, topsPerWattDense: dense.metrics.topsPerWattDense });
    // The IMC baselines are this simulator: they carry its calibration band; the counted ones do not.
    expect(rows[0]!.bandPj).toEqual([dense.energy.totalPj / ENERGY_BAND_FACTOR, dense.energy.totalPj * ENERGY_BAND_FACTOR]);
    expect(rows.filter((r) => r.bandPj !== undefined).map((r) => r.name)).toEqual(['dense-imc', 'bitmask-imc']);
  });

  it('prices the counted baselines exactly as their functions do, and only those without a macro run', () => {
    const rows = priceBaselines(workload);
    expect(rows.map((r) => r.name)).toEqual(['asic', 'systolic-asic', 'fpga', 'mobile-gpu']);
    const direct = [asicBaseline(workload), systolicBaseline(workload), fpgaBaseline(workload), mobileGpuBaseline(workload)];
    rows.forEach((r, i) => {
      expect(r.energyPj).toBe(direct[i]!.energyPj);
      expect(r.storageBits).toBe(direct[i]!.storageBits);
      expect(r.latencyNs).toBe(direct[i]!.latencyNs ?? null);
      expect(r.areaMm2).toBe(direct[i]!.areaMm2);
    });
  });

  it('carries the area of the baselines whose sources give one (EIE, TPU) and none for the others', () => {
    const rows = priceBaselines(workload);
    const area = Object.fromEntries(rows.map((r) => [r.name, r.areaMm2]));
    expect(area['asic']).toBeCloseTo(64 * 0.638024 * 0.36637, 3);
    expect(area['systolic-asic']).toBe(331);
    expect('areaMm2' in rows.find((r) => r.name === 'fpga')!).toBe(false);
    expect('areaMm2' in rows.find((r) => r.name === 'mobile-gpu')!).toBe(false);
  });
});

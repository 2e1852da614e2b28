import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractNonzeros } from '../../../formats/csc.js';
import { FORMATS } from '../../../formats/registry.js';
import { asicBaseline } from '../../../macro-sim/baselines/asic.js';
import { fpgaBaseline } from '../../../macro-sim/baselines/fpga.js';
import { mobileGpuBaseline } from '../../../macro-sim/baselines/mobile-gpu.js';
import { systolicBaseline } from '../../../macro-sim/baselines/systolic.js';
import { BASELINES, priceBaselines, priceImcBaselines } from '../../../macro-sim/baselines/registry.js';
import { resolveMacroConfig } from '../../../macro-sim/config.js';
import { simulate } from '../../../macro-sim/engine.js';
import { ENERGY_BAND_FACTOR } from '../../../macro-sim/uncertainty.js';
import { matrixFromRows } from '../helpers.js';
import { rng } from './helpers.js';

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

describe('baselines priced from counts equal the engine and the per-baseline scans', () => {
  /** A random workload with its inputs and a macro over the parameter space. */
  const caseArb = fc
    .record({
      K: fc.integer({ min: 1, max: 80 }),
      N: fc.integer({ min: 1, max: 70 }),
      valueBits: fc.constantFrom(2, 4, 8, 12),
      density: fc.constantFrom(0, 0.03, 0.1, 0.5, 1),
      batch: fc.integer({ min: 1, max: 9 }),
      inputBits: fc.constantFrom(2, 4, 8),
      signedInputs: fc.boolean(),
      zeroInputs: fc.constantFrom(0, 0.5, 0.95),
      rows: fc.integer({ min: 2, max: 40 }),
      bitColumns: fc.integer({ min: 12, max: 100 }),
      macros: fc.integer({ min: 1, max: 3 }),
      skipZeroBitPlanes: fc.boolean(),
      weightsResident: fc.boolean(),
      overlapWrites: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1e6 }),
    })
    .map((p) => {
      const next = rng(p.seed);
      const Q = 2 ** (p.valueBits - 1) - 1;
      const data = new Int16Array(p.K * p.N);
      let nnz = 0;
      for (let i = 0; i < data.length; i++) {
        if (next() < p.density) {
          data[i] = (1 + Math.floor(next() * Q)) * (next() < 0.5 ? -1 : 1);
          nnz++;
        }
      }
      const lo = p.signedInputs ? -(2 ** (p.inputBits - 1)) : 0;
      const hi = p.signedInputs ? 2 ** (p.inputBits - 1) - 1 : 2 ** p.inputBits - 1;
      const x = new Int32Array(p.batch * p.K);
      let nonzeroInputs = 0;
      for (let i = 0; i < x.length; i++) {
        x[i] = next() < p.zeroInputs ? 0 : lo + Math.floor(next() * (hi - lo + 1));
        if (x[i] !== 0) nonzeroInputs++;
      }
      const q = { rows: p.K, cols: p.N, data };
      return {
        workload: { rows: p.K, cols: p.N, batch: p.batch, nnz, valueBits: p.valueBits, inputBits: p.inputBits, nonzeroInputs, q },
        inputs: { data: x, batch: p.batch },
        config: resolveMacroConfig({
          rows: p.rows, bitColumns: p.bitColumns, macros: p.macros, inputBits: p.inputBits, signedInputs: p.signedInputs,
          skipZeroBitPlanes: p.skipZeroBitPlanes, weightsResident: p.weightsResident, overlapWrites: p.overlapWrites,
        }),
      };
    });

  it('every row (IMC ones by closed-form counts, with or without the nonzeros given) equals the engine-priced rows exactly', () => {
    fc.assert(
      fc.property(caseArb, ({ workload, inputs, config }) => {
        const engine = priceBaselines(workload, { inputs, config, pricing: 'engine' });
        expect(priceBaselines(workload, { inputs, config })).toEqual(engine);
        const nonzeros = extractNonzeros(workload.q, workload.valueBits);
        expect(priceBaselines({ ...workload, nonzeros }, { inputs, config })).toEqual(engine);
        // given the nonzeros, no row reads the dense matrix (prepareWeights scatters it lazily)
        const q = workload.q, shapeOnly = { rows: q.rows, cols: q.cols, get data(): Int16Array { throw new Error('q.data was read'); } };
        expect(priceBaselines({ ...workload, q: shapeOnly, nonzeros }, { inputs, config })).toEqual(engine);
        // the IMC rows and the counted rows priced apart (run-file caches them apart) are the same rows
        expect([...priceImcBaselines(workload, { inputs, config }), ...priceBaselines(workload)]).toEqual(engine);
      }),
      { numRuns: 150, seed: 4242 },
    );
  });

  it('the counted rows, from one shared count of the matrix, equal each baseline priced on its own scans of q', () => {
    fc.assert(
      fc.property(caseArb, ({ workload }) => {
        const direct = [asicBaseline(workload), systolicBaseline(workload), fpgaBaseline(workload), mobileGpuBaseline(workload)];
        const expected = direct.map((r) => ({ ...r, latencyNs: r.latencyNs ?? null }));
        for (const w of [workload, { ...workload, nonzeros: extractNonzeros(workload.q, workload.valueBits) }]) {
          const rows = priceBaselines(w);
          expect(rows.map((r) => r.name)).toEqual(direct.map((r) => r.name));
          rows.forEach((r, i) => {
            const d = expected[i]!;
            expect(r).toEqual({
              name: d.name, energyPj: d.energyPj, breakdownPj: d.breakdownPj, topsPerWattDense: d.topsPerWattDense, topsPerWattEffective: d.topsPerWattEffective,
              storageBits: d.storageBits, latencyNs: d.latencyNs, ...(d.areaMm2 === undefined ? {} : { areaMm2: d.areaMm2 }), source: d.source, detail: d.detail,
            });
          });
        }
      }),
      { numRuns: 150, seed: 77 },
    );
  });

  it('a bad workload fails as it did when the IMC baselines ran the engine: value out of range, bad value bits, a wrong shape or count, bad inputs, a slot wider than the array', () => {
    const errorOf = (f: () => unknown): unknown => {
      try {
        f();
      } catch (err) {
        return err;
      }
      return null;
    };
    const cases = [
      { ...workload, valueBits: 3 }, // 7 and 6 do not fit 3 bits
      { ...workload, valueBits: 1 },
      { ...workload, rows: 5 },
      { ...workload, nnz: 8 },
    ];
    for (const w of cases) {
      const err = errorOf(() => priceBaselines(w, { inputs, config, pricing: 'engine' }));
      expect(err).not.toBeNull();
      expect(errorOf(() => priceBaselines(w, { inputs, config }))).toEqual(err);
    }
    // and bad inputs or a macro the format does not fit fail with the engine's errors
    const imcCases = [
      { inputs: { data: Int32Array.of(1, 2, 3), batch: 2 }, config },
      { inputs: { data: inputs.data, batch: 0 }, config },
      { inputs: { data: Int32Array.of(1, 0, 3, 0, 16, 2, 0, 7, 0, 4, 1, 1), batch: 2 }, config },
      { inputs, config: resolveMacroConfig({ rows: 4, bitColumns: 3, inputBits: 4 }) },
    ];
    for (const c of imcCases) {
      const err = errorOf(() => priceBaselines(workload, { ...c, pricing: 'engine' }));
      expect(err).not.toBeNull();
      expect(errorOf(() => priceBaselines(workload, c))).toEqual(err);
    }
  });
});

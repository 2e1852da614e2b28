import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { extractNonzeros } from '../../formats/csc.js';
import { FORMATS } from '../../formats/registry.js';
import type { IntMatrix } from '../../formats/types.js';
import { imcCounts, type ClosedFormFormat } from '../../macro-sim/closed-form-counts.js';
import { resolveMacroConfig, type MacroConfig } from '../../macro-sim/config.js';
import { simulate } from '../../macro-sim/engine.js';
import { InputPacks } from '../../macro-sim/input-packs.js';
import type { SimInputs } from '../../macro-sim/result.js';
import { matrixFromRows } from './helpers.js';

/** One random case: a matrix, its value bits, inputs and a macro over the whole parameter space. */
interface Case {
  format: ClosedFormFormat;
  q: IntMatrix;
  valueBits: number;
  inputs: SimInputs;
  config: MacroConfig;
  firstLoad: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    format: fc.constantFrom<ClosedFormFormat>('dense', 'bitmask'),
    K: fc.integer({ min: 1, max: 70 }),
    N: fc.integer({ min: 1, max: 7 }),
    valueBits: fc.constantFrom(2, 3, 4, 5, 8, 12, 16),
    density: fc.constantFrom(0, 0.05, 0.2, 0.5, 0.9, 1),
    zeroRowFraction: fc.constantFrom(0, 0.5), // whole zero rows: bitmask spans and distinct rows vary
    rows: fc.integer({ min: 2, max: 20 }),
    slots: fc.integer({ min: 1, max: 5 }),
    extraColumns: fc.integer({ min: 0, max: 7 }),
    macros: fc.integer({ min: 1, max: 3 }),
    weightSets: fc.integer({ min: 1, max: 2 }),
    inputBits: fc.constantFrom(1, 2, 3, 5, 8, 11, 16),
    inputTopBits: fc.integer({ min: 0, max: 3 }), // leave the top planes empty so that skipping has work
    signedInputs: fc.boolean(),
    skipZeroBitPlanes: fc.boolean(),
    overlapWrites: fc.boolean(),
    weightsResident: fc.boolean(),
    writeRowsPerCycle: fc.integer({ min: 1, max: 3 }),
    writeBusBits: fc.integer({ min: 1, max: 64 }),
    vdd: fc.constantFrom(0.6, 0.9, 1.1),
    clockMHz: fc.constantFrom(100, 200, 333),
    batch: fc.integer({ min: 1, max: 11 }),
    inputZeroFraction: fc.constantFrom(0, 0.5, 0.9, 1),
    firstLoad: fc.integer({ min: 0, max: 6 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map((p) => {
    let s = p.seed >>> 0;
    const rand = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    const Q = 2 ** (p.valueBits - 1) - 1;
    const zeroRow = Array.from({ length: p.K }, () => rand() < p.zeroRowFraction);
    const data = new Int16Array(p.K * p.N);
    for (let i = 0; i < data.length; i++) {
      if (!zeroRow[i % p.K] && rand() < p.density) data[i] = Math.floor(rand() * (2 * Q + 1)) - Q;
    }
    const bx = p.signedInputs ? Math.max(2, p.inputBits) : p.inputBits; // signed needs a sign bit
    const used = Math.max(1, bx - p.inputTopBits);
    const lo = p.signedInputs ? -(2 ** (used - 1)) : 0;
    const hi = p.signedInputs ? 2 ** (used - 1) - 1 : 2 ** used - 1;
    const x = new Int32Array(p.batch * p.K);
    for (let i = 0; i < x.length; i++) x[i] = rand() < p.inputZeroFraction ? 0 : lo + Math.floor(rand() * (hi - lo + 1));
    const config = resolveMacroConfig({
      rows: p.rows,
      bitColumns: p.valueBits * p.slots + p.extraColumns,
      macros: p.macros,
      weightSets: p.weightSets,
      inputBits: bx,
      signedInputs: p.signedInputs,
      skipZeroBitPlanes: p.skipZeroBitPlanes,
      overlapWrites: p.overlapWrites,
      weightsResident: p.weightsResident,
      writeRowsPerCycle: Math.min(p.writeRowsPerCycle, p.rows),
      writeBusBits: p.writeBusBits,
      vdd: p.vdd,
      clockMHz: p.clockMHz,
      accumulatorBits: 53,
    });
    return { format: p.format, q: { rows: p.K, cols: p.N, data }, valueBits: p.valueBits, inputs: { data: x, batch: p.batch }, config, firstLoad: p.firstLoad };
  });

/** The engine's result for the same case (the slow reference of the closed form). */
function engine(c: Case, inputPacks?: InputPacks) {
  const enc = FORMATS[c.format].encode(c.q, {}, { valueBits: c.valueBits, segmentRows: c.config.rows });
  const sim = simulate(enc, c.inputs, c.config, { firstLoad: c.firstLoad, ...(inputPacks ? { inputPacks } : {}) });
  return { enc, sim };
}

/** Every reported number of the two, compared exactly (toEqual compares numbers with no tolerance). */
function expectSame(closed: ReturnType<typeof imcCounts>, c: Case): void {
  const { enc, sim } = engine(c);
  expect(closed.events).toEqual(sim.events);
  expect(closed.timing).toEqual(sim.timing);
  expect(closed.mapping).toEqual(sim.mapping);
  expect(closed.energy.breakdownPj).toEqual(sim.energy.breakdownPj);
  expect(closed.energy.totalPj).toBe(sim.energy.totalPj);
  expect(closed.metrics).toEqual(sim.metrics);
  expect(closed.area).toEqual(sim.area);
  expect(closed.storage).toEqual(enc.storage);
}

describe('closed-form dense and bitmask counts vs the engine', () => {
  test('every event count, the timing, the mapping, the energy breakdown (bit for bit), the metrics, the area and the storage equal the engine on random cases', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const closed = imcCounts(c.format, c.q, c.valueBits, c.inputs, c.config, { firstLoad: c.firstLoad });
        expect(closed.via).toBe('counts');
        expectSame(closed, c);
      }),
      { numRuns: 600, seed: 20250613 },
    );
  });

  test('the nonzeros and input packs a caller already holds change nothing', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const packs = new InputPacks(c.inputs);
        const withAll = imcCounts(c.format, c.q, c.valueBits, c.inputs, c.config, {
          firstLoad: c.firstLoad, inputPacks: packs, nonzeros: extractNonzeros(c.q, c.valueBits),
        });
        const plain = imcCounts(c.format, c.q, c.valueBits, c.inputs, c.config, { firstLoad: c.firstLoad });
        expect(withAll).toEqual(plain);
        expect(withAll.events).toEqual(engine(c, packs).sim.events);
      }),
      { numRuns: 150, seed: 5 },
    );
  });

  test('where an accumulator overflow is possible it runs the engine, and throws exactly its ACCUMULATOR_OVERFLOW error', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 2, max: 16 }), (c0, accumulatorBits) => {
        const c = { ...c0, config: resolveMacroConfig({ ...c0.config, accumulatorBits }) };
        let engineError: unknown = null;
        try {
          engine(c);
        } catch (err) {
          engineError = err;
        }
        if (engineError) {
          expect(() => imcCounts(c.format, c.q, c.valueBits, c.inputs, c.config, { firstLoad: c.firstLoad })).toThrow(engineError as Error);
          return;
        }
        const closed = imcCounts(c.format, c.q, c.valueBits, c.inputs, c.config, { firstLoad: c.firstLoad });
        const bx = c.config.inputBits;
        const maxAbsX = c.config.signedInputs ? 2 ** (bx - 1) : 2 ** bx - 1;
        expect(closed.via).toBe(c.q.rows * 2 ** (c.valueBits - 1) * maxAbsX > 2 ** (accumulatorBits - 1) - 1 ? 'engine' : 'counts');
        expectSame(closed, c);
      }),
      { numRuns: 200, seed: 31 },
    );
  });

  const q = matrixFromRows([[1, 0, -3], [0, 2, 0], [5, 0, 0], [0, 0, 7]]);
  const inputs = { data: Int32Array.of(1, 0, 3, 2), batch: 1 };
  const config = resolveMacroConfig({ rows: 2, bitColumns: 16, inputBits: 2 });
  const errorOf = (f: () => unknown): Error => {
    try {
      f();
    } catch (err) {
      return err as Error;
    }
    throw new Error('expected a throw');
  };
  const engineError = (format: ClosedFormFormat, m: IntMatrix, bw: number, x: SimInputs, cfg: MacroConfig, firstLoad = 0) =>
    errorOf(() => simulate(FORMATS[format].encode(m, {}, { valueBits: bw, segmentRows: cfg.rows }), x, cfg, { firstLoad }));

  test.each(['dense', 'bitmask'] as const)('%s: a slot wider than the array, inputs out of range, a value out of range and a bad first load throw the errors encode + simulate throw', (format) => {
    const narrow = resolveMacroConfig({ ...config, bitColumns: 3 });
    expect(errorOf(() => imcCounts(format, q, 4, inputs, narrow))).toEqual(engineError(format, q, 4, inputs, narrow));
    const big = { data: Int32Array.of(1, 0, 4, 2), batch: 1 };
    expect(errorOf(() => imcCounts(format, q, 4, big, config))).toEqual(engineError(format, q, 4, big, config));
    expect(errorOf(() => imcCounts(format, q, 3, inputs, config))).toEqual(engineError(format, q, 3, inputs, config));
    expect(errorOf(() => imcCounts(format, q, 4, inputs, config, { firstLoad: -1 }))).toEqual(engineError(format, q, 4, inputs, config, -1));
    expect(errorOf(() => imcCounts(format, q, 4, inputs, config, { inputPacks: new InputPacks({ data: Int32Array.of(0, 0, 0, 0), batch: 1 }) })).message)
      .toMatch(/made for other inputs/);
  });

  test('an all-zero matrix: bitmask stores no segments and has no loads; dense runs every block', () => {
    const zero = { rows: 5, cols: 3, data: new Int16Array(15) };
    const x = { data: Int32Array.of(1, 2, 3, 0, 1), batch: 1 };
    for (const format of ['dense', 'bitmask'] as const) {
      const c: Case = { format, q: zero, valueBits: 4, inputs: x, config, firstLoad: 0 };
      const closed = imcCounts(format, zero, 4, x, config);
      expect(closed.via).toBe('counts');
      expectSame(closed, c);
      expect(closed.mapping.loads).toBe(format === 'dense' ? 3 : 0); // dense: 3 columns × 3 blocks in loads of 4 slots
    }
  });
});

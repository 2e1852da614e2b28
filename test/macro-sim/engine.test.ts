import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { resolveMacroConfig } from '../../macro-sim/config.js';
import { simulate } from '../../macro-sim/engine.js';
import { simulateReference } from '../../macro-sim/reference-engine.js';
import { caseSetup, encode, plainProduct, simCaseArb, type SimCase } from './helpers.js';

function run(c: SimCase) {
  const { enc, config, inputs } = caseSetup(c);
  return { enc, config, fast: simulate(enc, inputs, config), ref: simulateReference(enc, inputs, config) };
}

describe('fast engine vs cycle-by-cycle reference', () => {
  test('both engines give identical outputs, event counts, cycles and energy on random cases of every format', () => {
    fc.assert(
      fc.property(simCaseArb, (c) => {
        const { fast, ref } = run(c);
        expect(Array.from(fast.outputs)).toEqual(Array.from(ref.outputs));
        expect(fast.events).toEqual(ref.events);
        expect(fast.timing).toEqual(ref.timing);
        expect(fast.mapping).toEqual(ref.mapping);
        expect(fast.energy.totalPj).toBe(ref.energy.totalPj);
      }),
      { numRuns: 300, seed: 20240517 },
    );
  });

  test('both engines agree in a model context (a first-load offset) and pay writes exactly for loads past the first M of the model', () => {
    fc.assert(
      fc.property(simCaseArb, fc.integer({ min: 0, max: 6 }), (c, firstLoad) => {
        const enc = encode(c.q, c.spec, c.valueBits, c.macro.rows as number);
        const { _slots, _extraColumns, ...macro } = c.macro;
        const config = resolveMacroConfig({ ...macro, bitColumns: enc.entryBits * (_slots as number) + (_extraColumns as number), weightsResident: true });
        const inputs = { data: c.inputs, batch: c.batch };
        const fast = simulate(enc, inputs, config, { firstLoad });
        const ref = simulateReference(enc, inputs, config, { firstLoad });
        expect(fast.events).toEqual(ref.events);
        expect(fast.timing).toEqual(ref.timing);
        const alone = simulate(enc, inputs, config);
        // loads with firstLoad + ℓ ≥ M are written; the matrix alone writes those with ℓ ≥ M
        const written = (offset: number) => Math.max(0, fast.mapping.loads - Math.max(0, config.macros - offset));
        if (written(firstLoad) === written(0)) expect(fast.events.macroWriteBits).toBe(alone.events.macroWriteBits);
        else expect(fast.events.macroWriteBits).toBeGreaterThan(alone.events.macroWriteBits);
      }),
      { numRuns: 150, seed: 99 },
    );
  });

  test('outputs equal the plain integer product qx · q on random cases of every format', () => {
    fc.assert(
      fc.property(simCaseArb, (c) => {
        const { fast } = run(c);
        expect(Array.from(fast.outputs)).toEqual(Array.from(plainProduct(c.q, c.inputs, c.batch)));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  test('the plain-JS kernel and the wasm SIMD kernel give identical results', () => {
    fc.assert(
      fc.property(simCaseArb, (c) => {
        const { enc, config, inputs } = caseSetup(c);
        const js = simulate(enc, inputs, config, { wasm: false });
        const wasm = simulate(enc, inputs, config, { wasm: true });
        expect(Array.from(wasm.outputs)).toEqual(Array.from(js.outputs));
        expect(wasm.events).toEqual(js.events);
      }),
      { numRuns: 150, seed: 3 },
    );
  });

  test('with any accumulator width, both engines give identical results or both overflow (checked and unchecked sums)', () => {
    const seen = { unchecked: 0, checked: 0, overflow: 0 };
    fc.assert(
      fc.property(simCaseArb, fc.integer({ min: 2, max: 14 }), (c, accumulatorBits) => {
        const enc = encode(c.q, c.spec, c.valueBits, c.macro.rows as number);
        const { _slots, _extraColumns, ...macro } = c.macro;
        const config = resolveMacroConfig({ ...macro, accumulatorBits, bitColumns: enc.entryBits * (_slots as number) + (_extraColumns as number) });
        const inputs = { data: c.inputs, batch: c.batch };
        const outcome = (f: () => { outputs: Float64Array; events: unknown }) => {
          try {
            const r = f();
            return { outputs: Array.from(r.outputs), events: r.events };
          } catch (err) {
            // The engines may name a different first offender (they visit sums in different orders).
            return { error: (err as { code?: string }).code };
          }
        };
        const fast = outcome(() => simulate(enc, inputs, config));
        expect(fast).toEqual(outcome(() => simulateReference(enc, inputs, config)));
        // The fast engine skips range checks when K · 2^(b_w−1) · max|x| fits the accumulator.
        const maxAbsX = config.signedInputs ? 2 ** (config.inputBits - 1) : 2 ** config.inputBits - 1;
        const checked = enc.rows * 2 ** (enc.valueBits - 1) * maxAbsX > 2 ** (accumulatorBits - 1) - 1;
        seen['error' in fast ? 'overflow' : checked ? 'checked' : 'unchecked']++;
      }),
      { numRuns: 400, seed: 515 },
    );
    // every path occurs: no checks needed, checked without overflow, overflow
    expect(Math.min(seen.unchecked, seen.checked, seen.overflow)).toBeGreaterThan(10);
  });

  test('valid rows counted by the engines equal the mapping\'s valid entries', () => {
    fc.assert(
      fc.property(simCaseArb, (c) => {
        const { fast } = run(c);
        const { loads, slotsPerLoad, utilization } = fast.mapping;
        expect(fast.events.validRows).toBe(Math.round(utilization * loads * slotsPerLoad * (c.macro.rows as number)));
      }),
      { numRuns: 100, seed: 11 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ImcError } from '../../errors.js';
import { resolveMacroConfig } from '../../macro-sim/config.js';
import { simulate } from '../../macro-sim/engine.js';
import { InputPacks } from '../../macro-sim/input-packs.js';
import { encode, matrixFromRows, simCaseArb } from './helpers.js';

describe('InputPacks', () => {
  test('simulating with one shared InputPacks gives results identical to simulating without', () => {
    fc.assert(
      fc.property(simCaseArb, fc.array(fc.tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 3, max: 16 })), { minLength: 1, maxLength: 7 }), (c, variants) => {
        const inputs = { data: c.inputs, batch: c.batch };
        const packs = new InputPacks(inputs);
        const { _slots, _extraColumns, ...macro } = c.macro;
        // Several (b_w, R) per case: several packing shifts over the same transposed halves.
        for (const [valueBits, rows] of [[c.valueBits, c.macro.rows as number], ...variants]) {
          const spec = c.spec.startsWith('nm') ? 'coo' : c.spec; // nm needs a pruned matrix; c.q is one only for c.valueBits
          const q = { ...c.q, data: c.q.data.map((v) => Math.max(-(2 ** (valueBits! - 1) - 1), Math.min(2 ** (valueBits! - 1) - 1, v))) };
          const enc = encode(q, spec, valueBits!, rows!);
          const config = resolveMacroConfig({ ...macro, rows, bitColumns: enc.entryBits * (_slots as number) + (_extraColumns as number) });
          const plain = simulate(enc, inputs, config);
          const packed = simulate(enc, inputs, config, { inputPacks: packs });
          expect(Array.from(packed.outputs)).toEqual(Array.from(plain.outputs));
          expect(packed.events).toEqual(plain.events);
          expect(packed.timing).toEqual(plain.timing);
          expect(packed.energy).toEqual(plain.energy);
          const js = simulate(enc, inputs, config, { inputPacks: packs, wasm: false }); // the JS kernel's unpadded lanes
          expect(Array.from(js.outputs)).toEqual(Array.from(plain.outputs));
        }
      }),
      { numRuns: 150, seed: 4242 },
    );
  });

  test('refuses packs made for other inputs, and still checks shape and range through the packs', () => {
    const q = matrixFromRows([[1, 0], [0, 2], [3, 0]]);
    const enc = encode(q, 'coo', 4, 4);
    const config = resolveMacroConfig({ rows: 4, bitColumns: 64, inputBits: 4 });
    const inputs = { data: Int32Array.of(1, 2, 3), batch: 1 };
    const other = new InputPacks({ data: Int32Array.of(1, 2, 3), batch: 1 });
    expect(() => simulate(enc, inputs, config, { inputPacks: other })).toThrow(expect.objectContaining({ code: 'BAD_INPUT_PACKS' }));
    const wide = { data: Int32Array.of(1, 2, 3, 4), batch: 1 }; // K = 4 for a 3-row matrix
    expect(() => simulate(enc, wide, config, { inputPacks: new InputPacks(wide) })).toThrow(expect.objectContaining({ code: 'INPUT_SHAPE' }));
    const big = { data: Int32Array.of(1, 99, 3), batch: 1 }; // 99 > 4-bit unsigned max 15
    const packs = new InputPacks(big);
    for (let i = 0; i < 2; i++) expect(() => simulate(enc, big, config, { inputPacks: packs })).toThrow(ImcError);
    expect(() => new InputPacks({ data: Int32Array.of(1, 2, 3), batch: 2 })).toThrow(expect.objectContaining({ code: 'BAD_INPUT_PACKS' }));
  });
});

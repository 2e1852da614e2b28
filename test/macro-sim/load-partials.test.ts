import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveMacroConfig } from '../../macro-sim/config.js';
import { simulate } from '../../macro-sim/engine.js';
import { loadImage } from '../../macro-sim/array-image.js';
import { loadPartials } from '../../macro-sim/load-partials.js';
import { mapMatrix } from '../../macro-sim/mapping.js';
import { simulateReference } from '../../macro-sim/reference-engine.js';
import { caseSetup, encode, matrixFromRows, simCaseArb } from './helpers.js';

describe('loadPartials: what each load leaves in its slots', () => {
  it('partial sums add up to the simulated outputs and compute cycles to its computeCycles, on random cases of every format', () => {
    fc.assert(
      fc.property(simCaseArb, (c) => {
        const { enc, config, inputs } = caseSetup(c);
        const sim = simulate(enc, inputs, config);
        const ref = simulateReference(enc, inputs, config);
        const { loads } = mapMatrix(enc, config);
        const sums = new Float64Array(c.batch * enc.cols);
        let cycles = 0;
        for (let ld = 0; ld < loads; ld++) {
          const lp = loadPartials(enc, inputs, config, ld);
          const slots = loadImage(enc, config, ld).slots;
          expect(lp.slots).toBe(slots.length);
          for (let b = 0; b < c.batch; b++) for (let j = 0; j < lp.slots; j++) sums[b * enc.cols + slots[j]!.column] += lp.partials[b * lp.slots + j]!;
          cycles += lp.computeCycles;
        }
        expect(Array.from(sums)).toEqual(Array.from(sim.outputs));
        expect(cycles).toBe(sim.timing.computeCycles);
        expect(cycles).toBe(ref.timing.computeCycles);
      }),
      { numRuns: 200, seed: 31337 },
    );
  });

  it('counts a hand case: skipped planes cost no cycle', () => {
    // one coo segment, rows 0 and 2 hold 1 and -1; inputs x = [1, 0, 4] (planes 0 and 2 set), [0, 8, 0] (row 1 only: no valid bit)
    const enc = encode(matrixFromRows([[1], [0], [-1]]), 'coo', 4, 4);
    const x = Int32Array.of(1, 0, 4, 0, 8, 0);
    const skip = resolveMacroConfig({ rows: 4, bitColumns: 16, inputBits: 4 });
    const lp = loadPartials(enc, { data: x, batch: 2 }, skip, 0);
    expect(Array.from(lp.partials)).toEqual([1 * 1 + -1 * 4, 0]);
    expect(lp.computeCycles).toBe(2); // vector 0: planes 0 and 2; vector 1: none
    expect(loadPartials(enc, { data: x, batch: 2 }, resolveMacroConfig({ rows: 4, bitColumns: 16, inputBits: 4, skipZeroBitPlanes: false }), 0).computeCycles).toBe(8);
  });
});

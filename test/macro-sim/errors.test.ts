import { describe, expect, test } from 'vitest';
import { SimulationError } from '../../errors.js';
import { resolveMacroConfig } from '../../macro-sim/config.js';
import { simulate } from '../../macro-sim/engine.js';
import { simulateReference } from '../../macro-sim/reference-engine.js';
import { encode, matrixFromRows } from './helpers.js';

function caught(f: () => unknown): SimulationError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SimulationError);
    return e as SimulationError;
  }
  throw new Error('expected a SimulationError');
}

describe.each([
  ['fast', simulate],
  ['reference', simulateReference],
] as const)('simulation errors (%s engine)', (_name, run) => {
  // Four rows of 7 against inputs of 3: a segment sum of 4 · 21 = 84 needs 8 signed bits.
  const q = matrixFromRows([[7], [7], [7], [7]]);
  const x = { data: new Int32Array([3, 3, 3, 3]), batch: 1 };

  test('a segment partial sum outside accumulatorBits names the column and the bits needed', () => {
    const e = caught(() => run(encode(q, 'dense', 4, 4), x, resolveMacroConfig({ rows: 4, bitColumns: 4, inputBits: 2, accumulatorBits: 7 })));
    expect(e.code).toBe('ACCUMULATOR_OVERFLOW');
    expect(e.message).toBe('segment partial sum of column 0 (input vector 0) is 84, which needs 8 signed bits but accumulatorBits is 7; raise macro.accumulatorBits to 8 or more');
  });

  test('an output that overflows only when segments are combined is caught too', () => {
    // R = 2: two segments of 2 · 21 = 42 (7 bits each) add up to 84 (8 bits).
    const e = caught(() => run(encode(q, 'dense', 4, 2), x, resolveMacroConfig({ rows: 2, bitColumns: 4, inputBits: 2, accumulatorBits: 7 })));
    expect(e.code).toBe('ACCUMULATOR_OVERFLOW');
    expect(e.message).toContain('output of column 0');
    expect(e.message).toContain('needs 8 signed bits');
  });

  test('the exact accumulator width is enough (84 fits 8 signed bits)', () => {
    expect(Array.from(run(encode(q, 'dense', 4, 4), x, resolveMacroConfig({ rows: 4, bitColumns: 4, inputBits: 2, accumulatorBits: 8 })).outputs)).toEqual([84]);
  });

  test('entryBits > bitColumns is refused with the fix in the message', () => {
    const big = matrixFromRows([[1], [2]]);
    const e = caught(() => run(encode(big, 'coo:16', 8, 4), { data: new Int32Array([1, 1]), batch: 1 }, resolveMacroConfig({ rows: 4, bitColumns: 16 })));
    expect(e.code).toBe('SLOT_TOO_WIDE');
    expect(e.message).toBe('entryBits 24 > bitColumns 16: no segment fits a slot; lower --weight-bits or the index bits, or raise --bit-columns');
  });

  test('segments taller than the macro are refused', () => {
    const e = caught(() => run(encode(q, 'dense', 4, 4), x, resolveMacroConfig({ rows: 2, bitColumns: 4, inputBits: 2 })));
    expect(e.code).toBe('SEGMENT_TOO_TALL');
  });

  test('inputs outside the b_x range are refused naming the position and --signed-inputs', () => {
    const e = caught(() => run(encode(q, 'dense', 4, 4), { data: new Int32Array([3, -1, 3, 3]), batch: 1 }, resolveMacroConfig({ rows: 4, bitColumns: 4, inputBits: 2 })));
    expect(e.code).toBe('INPUT_OUT_OF_RANGE');
    expect(e.message).toContain('input [0, 1] = -1');
    expect(e.message).toContain('--signed-inputs');
  });

  test('inputs of the wrong length are refused', () => {
    const e = caught(() => run(encode(q, 'dense', 4, 4), { data: new Int32Array(3), batch: 1 }, resolveMacroConfig({ rows: 4, bitColumns: 4, inputBits: 2 })));
    expect(e.code).toBe('INPUT_SHAPE');
  });
});

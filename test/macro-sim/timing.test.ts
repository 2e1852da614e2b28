import { describe, expect, test } from 'vitest';
import { resolveMacroConfig } from '../../macro-sim/config.js';
import { combineRounds, fillCyclesPerLoad, isWrittenLoad, writeCycles } from '../../macro-sim/timing.js';

describe('timing', () => {
  const cfg = (extra: Record<string, unknown> = {}) => resolveMacroConfig({ rows: 256, bitColumns: 256, macros: 2, ...extra });

  test('fill is the adder-tree depth plus the shift-accumulate stage: log2 256 + 1 = 9', () => {
    expect(fillCyclesPerLoad(cfg())).toBe(9);
  });

  test('write time is limited by rows or by the bus, whichever is slower', () => {
    // 256 rows at 1 row/cycle vs 4096 bits on a 256-bit bus = 16 cycles → 256.
    expect(writeCycles(256, 4096, cfg())).toBe(256);
    // 4 rows/cycle → 64 cycles; a 32-bit bus → 4096 / 32 = 128 cycles → 128.
    expect(writeCycles(256, 4096, cfg({ writeRowsPerCycle: 4, writeBusBits: 32 }))).toBe(128);
  });

  test('resident weights skip the writes of the first M loads only', () => {
    expect([0, 1, 2, 3].map((l) => isWrittenLoad(l, cfg()))).toEqual([false, false, true, true]);
    expect(isWrittenLoad(0, cfg({ weightsResident: false }))).toBe(true);
  });

  test('rounds end with their slowest load; ping-pong overlaps the next setup with the current compute', () => {
    // loads: setup [0, 0, 50, 10, 70], exec [100, 80, 30, 40, 20]; M = 2 → rounds {0,1}, {2,3}, {4}.
    const setup = [0, 0, 50, 10, 70];
    const exec = [100, 80, 30, 40, 20];
    // no overlap: max(100, 80) + max(80, 50) + 90 = 100 + 80 + 90 = 270
    expect(combineRounds(setup, exec, 5, cfg())).toBe(270);
    // overlap: S0 = 0; max(E0 = 100, S1 = 50) + max(E1 = 40, S2 = 70) + max(E2 = 20, 0) = 100 + 70 + 20 = 190
    expect(combineRounds(setup, exec, 5, cfg({ overlapWrites: true }))).toBe(190);
  });
});

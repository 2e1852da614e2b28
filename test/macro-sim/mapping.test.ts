import { describe, expect, test } from 'vitest';
import { resolveMacroConfig } from '../../macro-sim/config.js';
import { mapMatrix, mapModel } from '../../macro-sim/mapping.js';
import { encode, matrixFromRows } from './helpers.js';

// 8 × 3 dense matrix, b_w = 4, R = 4 → 2 segments per column = 6 segments; entryBits 4.
const q = matrixFromRows(Array.from({ length: 8 }, (_, k) => [(k % 7) + 1, 0, -k]));
const enc = () => encode(q, 'dense', 4, 4);

describe('mapMatrix', () => {
  test('C = 8 → L = 2 slots, 6 segments → 3 loads; M = 2 → 2 rounds and 1 re-write', () => {
    expect(mapMatrix(enc(), resolveMacroConfig({ rows: 4, bitColumns: 8, macros: 2 }))).toEqual({
      segments: 6, slotsPerLoad: 2, loads: 3, rounds: 2, rewrites: 1, utilization: 24 / (3 * 2 * 4),
    });
  });

  test('everything fits in M = 3 macros: no re-writes', () => {
    expect(mapMatrix(enc(), resolveMacroConfig({ rows: 4, bitColumns: 8, macros: 3 }))).toMatchObject({ loads: 3, rounds: 1, rewrites: 0 });
  });

  test('utilization counts valid entries only: coo of 15 nonzeros in 1 load of 4 slots × 4 rows = 15 / 16', () => {
    // nonzeros: col0 8, col1 0, col2 7 (k = 0 is 0); R = 4 → col0 2 segments, col2 2 segments (rows 1..4, 5..7).
    // coo index bits ceil(log2 8) = 3 → entryBits 7; C = 28 → L = 4.
    const m = mapMatrix(encode(q, 'coo', 4, 4), resolveMacroConfig({ rows: 4, bitColumns: 28 }));
    expect(m).toMatchObject({ segments: 4, slotsPerLoad: 4, loads: 1 });
    expect(m.utilization).toBe(15 / 16);
  });
});

describe('mapModel', () => {
  test('layers compete for the same macros: 3 + 3 loads on M = 4 → 2 rounds and 2 re-writes', () => {
    const cfg = resolveMacroConfig({ rows: 4, bitColumns: 8, macros: 4 });
    const m = mapModel([enc(), enc()], cfg);
    expect(m.layers.map((l) => l.rewrites)).toEqual([0, 2]); // loads 0..3 fill the 4 macros; layer 2's loads 4 and 5 re-write
    expect(m.total).toMatchObject({ segments: 12, loads: 6, rounds: 2, rewrites: 2 });
    expect(m.firstLoad).toEqual([0, 3]);
  });
});

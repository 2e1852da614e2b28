import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imageBit, loadImage } from '../../macro-sim/array-image.js';
import { resolveMacroConfig } from '../../macro-sim/config.js';
import { mapMatrix } from '../../macro-sim/mapping.js';
import { hexOfBits } from '../../src/rtl/export-rtl.js';
import { caseSetup, encode, matrixFromRows, simCaseArb } from './helpers.js';

describe('loadImage: the array contents of a load', () => {
  it('lays out a hand-worked coo case bit for bit (docs/RTL-EXPORT.md, worked example)', () => {
    // K = 8, N = 2; column 0 holds 3 (row 1), -2 (row 3), 1 (row 6); column 1 holds 5 (row 0).
    const q = matrixFromRows([[0, 5], [3, 0], [0, 0], [-2, 0], [0, 0], [0, 0], [1, 0], [0, 0]]);
    const enc = encode(q, 'coo', 4, 4); // b_w = 4, local row field ceil(log2 8) = 3 bits: E = 7
    const config = resolveMacroConfig({ rows: 4, bitColumns: 16, inputBits: 4 }); // L = floor(16 / 7) = 2 slots
    expect(mapMatrix(enc, config).loads).toBe(1);
    const img = loadImage(enc, config, 0);
    expect(img.slots).toEqual([
      { slot: 0, segment: 0, column: 0, base: 1, count: 3 },
      { slot: 1, segment: 1, column: 1, base: 0, count: 1 },
    ]);
    // row 0: slot 0 (3, local 0) = 0b000_0011; slot 1 (5, local 0) at bit 7 = 0b000_0101 << 7
    // row 1: (-2 = 0b1110, local 2 = 0b010) = 0b010_1110 = 0x2e; row 2: (1, local 5 = 0b101) = 0b101_0001 = 0x51
    expect([0, 1, 2, 3].map((r) => hexOfBits(img.bits, r * img.rowBytes, 16))).toEqual(['0283', '002e', '0051', '0000']);
    expect([img.macro, img.round, img.rowBytes]).toEqual([0, 0, 2]);
  });

  it('holds every entry exactly as the packed stream does, zeros elsewhere, on random cases of every format', () => {
    fc.assert(
      fc.property(simCaseArb, (c) => {
        const { enc, config } = caseSetup(c);
        const { loads, slotsPerLoad: L } = mapMatrix(enc, config);
        const E = enc.entryBits;
        for (let ld = 0; ld < loads; ld++) {
          const img = loadImage(enc, config, ld);
          expect(img.macro).toBe(ld % config.macros);
          for (let r = 0; r < config.rows; r++) {
            for (let col = 0; col < config.bitColumns; col++) {
              const j = Math.floor(col / E), s = ld * L + j, b = col - j * E;
              let want = 0;
              if (j < L && s < enc.segments.length && r < enc.segments.count[s]!) {
                const t = enc.segments.offset[s]! + r * E + b;
                want = (enc.stream[Math.floor(t / 8)]! >> (t % 8)) & 1;
              }
              if (imageBit(img, r, col) !== want) return false;
            }
          }
        }
        return true;
      }),
      { numRuns: 150, seed: 77 },
    );
  });

  it('refuses a load that does not exist', () => {
    const enc = encode(matrixFromRows([[1], [2]]), 'coo', 4, 4);
    const config = resolveMacroConfig({ rows: 4, bitColumns: 16, inputBits: 4 });
    expect(() => loadImage(enc, config, 1)).toThrow(RangeError);
  });
});

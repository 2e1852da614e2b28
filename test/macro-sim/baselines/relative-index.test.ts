import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countPaddingExact, expectedPadding } from '../../../macro-sim/baselines/relative-index.js';
import type { IntMatrix } from '../../../formats/types.js';
import { matrixFrom, randomMatrix } from './helpers.js';

/** Obviously-correct reference: build each (input k, PE p) sequence and walk it like the EIE encoder. */
function referencePadding(q: IntMatrix, indexBits: number, P: number): number {
  const maxRun = 2 ** indexBits - 1;
  let padding = 0;
  for (let k = 0; k < q.rows; k++) {
    for (let p = 0; p < P; p++) {
      const seq: number[] = [];
      for (let j = p; j < q.cols; j += P) seq.push(q.data[j * q.rows + k]!);
      let run = 0;
      for (const v of seq) {
        if (v === 0) {
          run++;
          continue;
        }
        while (run > maxRun) { padding++; run -= maxRun + 1; } // a padding zero covers maxRun zeros + itself
        run = 0;
      }
    }
  }
  return padding;
}

describe('EIE relative-index padding', () => {
  it('a gap of 16 zeros needs one padding zero with 4-bit indices and a gap of 15 needs none', () => {
    const q = matrixFrom(2, 40, [[0, 0, 1], [0, 17, 1], [1, 0, 1], [1, 16, 1]]);
    // row 0: gap 16 → 1; row 1: gap 15 → 0
    expect(countPaddingExact(q, 4, 1)).toBe(1);
  });

  it('a gap of 35 zeros needs floor(35/16) = 2 padding zeros, and leading zeros count too', () => {
    const q = matrixFrom(1, 60, [[0, 35, 1]]);
    expect(countPaddingExact(q, 4, 1)).toBe(2);
  });

  it('interleaving outputs over PEs counts gaps in local positions', () => {
    // P = 2: output 34 is local position 17 of PE 0; outputs 0 and 34 → gap 16 → 1 padding.
    const q = matrixFrom(1, 40, [[0, 0, 1], [0, 34, 1]]);
    expect(countPaddingExact(q, 4, 2)).toBe(1);
    // output 33 is PE 1, local 16: gap 16 from the start → 1 padding; PE 0 sees only output 0.
    const q2 = matrixFrom(1, 40, [[0, 0, 1], [0, 33, 1]]);
    expect(countPaddingExact(q2, 4, 2)).toBe(1);
  });

  it('the exact counter equals the sequence-walking reference on random matrices', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 90 }), fc.double({ min: 0, max: 0.5, noNaN: true }),
      fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 1e6 }),
      (K, N, d, P, b, seed) => {
        const { q } = randomMatrix(K, N, d, seed);
        expect(countPaddingExact(q, b, P)).toBe(referencePadding(q, b, P));
      }), { numRuns: 200 });
  });

  it('the expected padding matches the average exact count over random matrices within 3 %', () => {
    const K = 64, N = 512, P = 4, d = 0.05;
    let sum = 0;
    let nnzSum = 0;
    const trials = 20;
    for (let t = 0; t < trials; t++) {
      const r = randomMatrix(K, N, d, 1000 + t);
      sum += countPaddingExact(r.q, 4, P);
      nnzSum += r.nnz;
    }
    const expected = expectedPadding(K, N, nnzSum / trials, 4, P);
    expect(Math.abs(sum / trials - expected) / expected).toBeLessThan(0.03);
  });

  it('the expected padding is zero for a full matrix and for an empty one', () => {
    expect(expectedPadding(8, 100, 800, 4, 1)).toBe(0);
    expect(expectedPadding(8, 100, 0, 4, 1)).toBe(0);
  });
});

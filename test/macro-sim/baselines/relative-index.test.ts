import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  countPaddingExact, countPaddingOfNonzeros, expectedPadding, nonzeroPositions, paddingKey, paddingOf, workloadCounts,
} from '../../../macro-sim/baselines/relative-index.js';
import { extractNonzeros } from '../../../formats/csc.js';
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

describe('padding and nonzero counts from the nonzeros, in one pass', () => {
  const matrixArb = fc
    .record({ K: fc.integer({ min: 1, max: 30 }), N: fc.integer({ min: 1, max: 90 }), density: fc.constantFrom(0, 0.02, 0.1, 0.4, 1), seed: fc.integer({ min: 1, max: 1e6 }) })
    .map(({ K, N, density, seed }) => randomMatrix(K, N, density, seed));
  const layoutsArb = fc.array(fc.record({ indexBits: fc.integer({ min: 1, max: 6 }), processingElements: fc.integer({ min: 1, max: 9 }) }), { minLength: 1, maxLength: 3 });

  it('countPaddingOfNonzeros gives countPaddingExact of every layout at once, from the nonzero positions', () => {
    fc.assert(
      fc.property(matrixArb, layoutsArb, ({ q }, layouts) => {
        const nz = nonzeroPositions(q);
        expect(countPaddingOfNonzeros(nz, layouts)).toEqual(layouts.map((l) => countPaddingExact(q, l.indexBits, l.processingElements)));
        // the same positions as the encoders' nonzero extraction
        const csc = extractNonzeros(q, 16);
        expect(nz.nnz).toBe(csc.nnz);
        expect(Array.from(nz.colPtr)).toEqual(Array.from(csc.colPtr));
        expect(Array.from(nz.rowIdx.subarray(0, nz.nnz))).toEqual(Array.from(csc.rowIdx.subarray(0, csc.nnz)));
      }),
      { numRuns: 200, seed: 17 },
    );
  });

  it('workloadCounts counts the nonzeros and each layout once; paddingOf reads them, else the positions, the matrix, or the expectation', () => {
    const { q, nnz } = randomMatrix(12, 70, 0.1, 3);
    const w = { rows: 12, cols: 70, batch: 1, nnz, valueBits: 8, inputBits: 8, q };
    const layouts = [{ indexBits: 4, processingElements: 64 }, { indexBits: 2, processingElements: 1 }];
    const counts = workloadCounts(w, layouts)!;
    expect(counts.nnz).toBe(nnz);
    expect(counts.padding.get(paddingKey(4, 64))).toBe(countPaddingExact(q, 4, 64));
    expect(counts.padding.get(paddingKey(2, 1))).toBe(countPaddingExact(q, 2, 1));
    expect(paddingOf({ ...w, counts: { nnz, padding: new Map([[paddingKey(2, 1), 12345]]) } }, 2, 1)).toBe(12345);
    expect(paddingOf({ ...w, nonzeros: extractNonzeros(q, 8) }, 3, 5)).toBe(countPaddingExact(q, 3, 5));
    expect(paddingOf(w, 3, 5)).toBe(countPaddingExact(q, 3, 5));
    const { q: _q, ...noMatrix } = w;
    expect(paddingOf(noMatrix, 3, 5)).toBe(expectedPadding(12, 70, nnz, 3, 5));
    expect(workloadCounts(noMatrix, layouts)).toBeUndefined();
    expect(workloadCounts({ ...w, rows: 13 }, layouts)).toBeUndefined(); // the baselines' own check reports it
  });
});

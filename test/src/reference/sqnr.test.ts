import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sqnrDb } from '../../../macro-sim/metrics.js';
import { dequantizedSqnrDb } from '../../../src/reference/sqnr.js';

/** The slow reference: materialise ŷ[b, j] = y[b, j] · sx · s_w[j], then sqnrDb. */
function referenceSqnr(ref: Float64Array, y: Float64Array, scales: Float64Array, sx: number, B: number, N: number): number {
  const approx = new Float64Array(B * N);
  for (let b = 0; b < B; b++) for (let j = 0; j < N; j++) approx[b * N + j] = y[b * N + j]! * sx * (scales.length === 1 ? scales[0]! : scales[j]!);
  return sqnrDb(ref, approx);
}

describe('dequantizedSqnrDb', () => {
  it('equals sqnrDb over the dequantized outputs, bit for bit (per-tensor and per-column scales)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        fc.double({ min: 1e-4, max: 10, noNaN: true }),
        fc.integer(),
        (B, N, perTensor, sx, seed) => {
          let s = seed >>> 0;
          const next = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
          const y = Float64Array.from({ length: B * N }, () => Math.round((next() - 0.5) * 2000));
          const scales = Float64Array.from({ length: perTensor ? 1 : N }, () => 1e-3 + next());
          const ref = Float64Array.from({ length: B * N }, () => (next() - 0.5) * 50);
          expect(Object.is(dequantizedSqnrDb(ref, y, scales, sx, B, N), referenceSqnr(ref, y, scales, sx, B, N))).toBe(true);
        },
      ),
    );
  });

  it('is Infinity for an exact match and checks lengths', () => {
    const y = Float64Array.of(2, -4, 6, 8);
    const scales = Float64Array.of(0.5, 0.25);
    const ref = Float64Array.of(2 * 2 * 0.5, -4 * 2 * 0.25, 6 * 2 * 0.5, 8 * 2 * 0.25);
    expect(dequantizedSqnrDb(ref, y, scales, 2, 2, 2)).toBe(Infinity);
    expect(() => dequantizedSqnrDb(ref, y.subarray(0, 3), scales, 2, 2, 2)).toThrow(RangeError);
  });
});

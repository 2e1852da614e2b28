import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../../../errors.js';
import type { FloatMatrix } from '../../../src/prep/matrix.js';
import {
  RANDOM_INPUTS_GENERATOR,
  dequantize,
  quantizeInputs,
  quantizeWeights,
  randomInputs,
  roundHalfEven,
} from '../../../src/prep/quantize.js';
import {
  referenceQuantizeInputs,
  referenceQuantizeWeights,
  referenceRoundHalfEven,
} from '../../../src/prep/reference.js';

const mat = (rows: number, cols: number, data: number[]): FloatMatrix => ({ rows, cols, data: Float64Array.from(data) });

function thrown(f: () => unknown): Error & { code?: string } {
  try {
    f();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a throw');
}

describe('roundHalfEven', () => {
  it('rounds exact halves to the even neighbour like np.round', () => {
    expect([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 1e15 + 0.5, 2 ** 51 + 0.5, -(2 ** 51) - 1.5].map(roundHalfEven)).toEqual([
      -2, -2, -0, 0, 2, 2, 4, 1e15, 2 ** 51, -(2 ** 51) - 2,
    ]);
  });
  it('rounds non-ties to the nearest integer, including just below one half', () => {
    expect([0.49999999999999994, 0.5000000000000001, -0.7, 2.4999999999999996].map(roundHalfEven)).toEqual([0, 1, -1, 2]);
  });
  it('agrees with the definition on random doubles, halves and huge values', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.integer({ min: -1e6, max: 1e6 }).map((i) => i + 0.5),
          fc.double({ min: -(2 ** 53), max: 2 ** 53, noNaN: true }),
        ),
        (x) => {
          expect(roundHalfEven(x) + 0).toBe(referenceRoundHalfEven(x) + 0);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('quantizeWeights', () => {
  it('uses s = max|w| / Q per column, s = 1 for an all-zero column, and rounds halves to even', () => {
    // 3 bits: Q = 3. Column 0 max 3 → s = 1: 0.5 → 0, 1.5 → 2, -2.5 → -2. Column 1 all zero.
    const r = quantizeWeights(mat(4, 2, [0.5, 1.5, -2.5, 3, 0, 0, 0, 0]), 3, 'per-column');
    expect(Array.from(r.q.data)).toEqual([0, 2, -2, 3, 0, 0, 0, 0]);
    expect(Array.from(r.scales)).toEqual([1, 1]);
  });
  it('uses one scale per tensor when asked', () => {
    const r = quantizeWeights(mat(2, 2, [1, -1, 2, 4]), 2, 'per-tensor'); // Q = 1, s = 4
    expect(Array.from(r.q.data)).toEqual([0, 0, 0, 1]);
    expect(Array.from(r.scales)).toEqual([4]);
  });
  it('divides w / s rather than multiplying by 1 / s', () => {
    // For w = 5, max = 49, Q = 7: s = 7; 5 / 7 vs 5 * (1/7) differ in the last bit for some (w, s); the
    // result must match numpy's true division, which the reference also uses.
    const data = [49, 5, 10, 17.5, 24.5, -31.5, 38.5, 45.5];
    const r = quantizeWeights(mat(8, 1, data), 4, 'per-column');
    expect(Array.from(r.q.data)).toEqual(Array.from(referenceQuantizeWeights(mat(8, 1, data), 4, 'per-column').q.data));
  });
  it('matches the reference on random matrices, bits and granularities', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 2, max: 16 }),
        fc.constantFrom('per-column' as const, 'per-tensor' as const),
        fc.array(fc.oneof(fc.double({ min: -100, max: 100, noNaN: true }).filter((v) => v === 0 || Math.abs(v) > 1e-300), fc.constantFrom(0, 0.5, -1.5, 3)), { minLength: 54, maxLength: 54 }),
        (K, N, bits, g, vals) => {
          const m = mat(K, N, vals.slice(0, K * N));
          const fast = quantizeWeights(m, bits, g), ref = referenceQuantizeWeights(m, bits, g);
          expect(Array.from(fast.q.data)).toEqual(Array.from(ref.q.data));
          expect(Array.from(fast.scales)).toEqual(Array.from(ref.scales));
        },
      ),
      { numRuns: 300 },
    );
  });
  it('keeps every value in [-Q, Q] and dequantizes within half a step', () => {
    const m = mat(3, 2, [0.3, -0.9, 0.1, 5, -2, 1]);
    const { q, scales } = quantizeWeights(m, 4, 'per-column');
    const back = dequantize(q, scales);
    for (let j = 0; j < 2; j++)
      for (let k = 0; k < 3; k++) {
        expect(Math.abs(q.data[j * 3 + k]!)).toBeLessThanOrEqual(7);
        expect(Math.abs(back.data[j * 3 + k]! - m.data[j * 3 + k]!)).toBeLessThanOrEqual(scales[j]! / 2 + 1e-15);
      }
  });
  it('rejects bits outside 2..16 and unknown granularities with ConfigError', () => {
    for (const b of [1, 17, 2.5]) expect(thrown(() => quantizeWeights(mat(1, 1, [1]), b)).code).toBe('BAD_WEIGHT_BITS');
    expect(thrown(() => quantizeWeights(mat(1, 1, [1]), 8, 'per-row' as never))).toBeInstanceOf(ConfigError);
  });
  it('maps a subnormal group without NaN (scale underflow clamps to ±Q)', () => {
    const r = quantizeWeights(mat(2, 1, [5e-324, 0]), 8);
    expect(Array.from(r.q.data)).toEqual([127, 0]);
  });
});

describe('quantizeInputs', () => {
  it('quantizes unsigned inputs with sx = max / (2^b - 1)', () => {
    const r = quantizeInputs(Float64Array.of(0, 0.5, 1.5, 3), 2, false); // Qx = 3, s = 1
    expect(Array.from(r.q)).toEqual([0, 0, 2, 3]);
    expect(r.scale).toBe(1);
  });
  it('uses scale 1 for all-zero inputs', () => {
    expect(quantizeInputs(new Float32Array(4), 8).scale).toBe(1);
  });
  it('rejects negative inputs in unsigned mode and names --signed-inputs', () => {
    const e = thrown(() => quantizeInputs(Float64Array.of(1, -0.5), 8, false));
    expect(e).toBeInstanceOf(InputError);
    expect(e.code).toBe('NEGATIVE_INPUT');
    expect(e.message).toContain('--signed-inputs');
  });
  it('quantizes signed inputs symmetrically', () => {
    const r = quantizeInputs(Float64Array.of(-3, 1.5, 0.5, 2.5), 3, true); // Q = 3, s = 1
    expect(Array.from(r.q)).toEqual([-3, 2, 0, 2]);
  });
  it('rejects non-finite inputs and bad bit widths', () => {
    expect(thrown(() => quantizeInputs(Float64Array.of(1, NaN), 8)).code).toBe('NON_FINITE_INPUT');
    expect(thrown(() => quantizeInputs(Float64Array.of(1), 0)).code).toBe('BAD_INPUT_BITS');
    expect(thrown(() => quantizeInputs(Float64Array.of(1), 17)).code).toBe('BAD_INPUT_BITS');
    expect(thrown(() => quantizeInputs(Float64Array.of(1), 1, true)).code).toBe('BAD_INPUT_BITS');
  });
  it('accepts 64-bit integer arrays', () => {
    expect(Array.from(quantizeInputs(BigInt64Array.of(0n, 255n, 128n), 8).q)).toEqual([0, 255, 128]);
  });
  it('matches the reference on random vectors', () => {
    fc.assert(
      fc.property(
        // No subnormals: a subnormal max underflows the scale to 0 (see clampRound in quantize.ts).
        fc.array(fc.oneof(fc.double({ min: -50, max: 50, noNaN: true }).filter((v) => v === 0 || Math.abs(v) > 1e-300), fc.constantFrom(0, 0.5, 2.5)), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 2, max: 16 }),
        fc.boolean(),
        (xs, bits, signed) => {
          const x = signed ? xs : xs.map(Math.abs);
          const fast = quantizeInputs(Float64Array.from(x), bits, signed), ref = referenceQuantizeInputs(x, bits, signed);
          expect(Array.from(fast.q)).toEqual(ref.q.map((v) => v + 0)); // Int32Array has no -0
          expect(fast.scale).toBe(ref.scale);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('randomInputs', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    expect(Array.from(randomInputs(4, 50, 8, 0.5, 9))).toEqual(Array.from(randomInputs(4, 50, 8, 0.5, 9)));
    expect(Array.from(randomInputs(4, 50, 8, 0.5, 9))).not.toEqual(Array.from(randomInputs(4, 50, 8, 0.5, 10)));
  });
  it('has exactly rhe(zeroFraction · n) zeros and every other value in [1, Qx]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 16 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(), (b, K, bits, zf, seed) => {
        const x = randomInputs(b, K, bits, zf, seed);
        const zeros = x.filter((v) => v === 0).length;
        expect(zeros).toBe(roundHalfEven(zf * b * K));
        for (const v of x) expect(v >= 0 && v <= 2 ** bits - 1).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
  it('spreads nonzero values over the whole range [1, Qx]', () => {
    const x = randomInputs(10, 400, 3, 0, 5);
    const seen = new Set(x);
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
  it('names its generator', () => {
    expect(RANDOM_INPUTS_GENERATOR).toMatch(/xoshiro128\*\*/);
  });
  it('rejects bad parameters with ConfigError', () => {
    expect(thrown(() => randomInputs(1, 4, 8, 1.5)).code).toBe('BAD_ZERO_FRACTION');
    expect(thrown(() => randomInputs(0, 4, 8)).code).toBe('BAD_INPUT_SHAPE');
    expect(thrown(() => randomInputs(1, 4, 8, 0.5, -1)).code).toBe('BAD_SEED');
    expect(thrown(() => randomInputs(1, 4, 0)).code).toBe('BAD_INPUT_BITS');
  });
});

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { columnProduct, type FloatGemmOptions } from '../../../src/reference/float-gemm.js';
import { jsColumnProduct } from '../../../src/reference/float-gemm-js.js';
import { MAX_MB, RETAINED_MEMORY_BYTES, floatGemmModule, floatGemmModuleBytes } from '../../../src/reference/float-gemm-wasm.js';
import { floatProduct, referenceColumnProduct, referenceFloatProduct } from '../../../src/reference/products.js';
import { dequantizedSqnrDb } from '../../../src/reference/sqnr.js';

/** Index of the first element where a and b differ (Object.is: NaN equals NaN, +0 differs from −0), or −1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** Seeded values: ~30 % zeros, the rest signed with magnitudes over 2^±20 (so sums round). */
function values(n: number, seed: number, zeroFraction = 0.3): Float64Array {
  let s = seed >>> 0;
  const next = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Float64Array.from({ length: n }, () => (next() < zeroFraction ? 0 : (next() - 0.5) * 2 ** Math.round((next() - 0.5) * 40)));
}

const shape = fc.record({
  K: fc.integer({ min: 1, max: 70 }),
  N: fc.integer({ min: 1, max: 40 }),
  B: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 4 * MAX_MB + 3 })),
  seed: fc.integer(),
  zeros: fc.constantFrom(0, 0.3, 0.9),
  blockRows: fc.constantFrom(4, 8, 12, 256),
  panelCols: fc.constantFrom(1, 2, 3, 5, 16),
  chunked: fc.boolean(),
});

describe('columnProduct (the fast float reference product)', () => {
  it('runs on the wasm SIMD kernels here (Node ≥ 20 has them)', () => {
    expect(WebAssembly.validate(floatGemmModuleBytes())).toBe(true);
    expect(floatGemmModule()).not.toBeNull();
  });

  it('is bit-identical to the reference loop on random shapes, block sizes and values, wasm and JS kernels alike', () => {
    fc.assert(
      fc.property(shape, ({ K, N, B, seed, zeros, blockRows, panelCols, chunked }) => {
        const w = values(K * N, seed, zeros);
        const x = values(B * K, seed ^ 0x5bd1e995, zeros);
        const ref = referenceColumnProduct(w, K, N, x, B);
        // chunked: at most ~3 input vectors per kernel memory, so the batch is split
        const options: FloatGemmOptions = { blockRows, panelCols, ...(chunked ? { maxMemoryBytes: 8 * (K * Math.min(panelCols, N) + 3 * (K + N)) } : {}) };
        expect(firstDifference(columnProduct(w, K, N, x, B, options), ref)).toBe(-1);
        expect(firstDifference(columnProduct(w, K, N, x, B, { ...options, wasm: false }), ref)).toBe(-1);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the very same SQNR as the reference loop (MODEL §7: float64 on the original weights)', () => {
    fc.assert(
      fc.property(shape, fc.boolean(), ({ K, N, B, seed, zeros }, perTensor) => {
        const w = values(K * N, seed, zeros);
        const x = values(B * K, ~seed, zeros);
        const ref = referenceColumnProduct(w, K, N, x, B);
        const fast = columnProduct(w, K, N, x, B);
        // integer outputs of some quantized model: the reference rounded on a coarse grid
        const scales = Float64Array.from({ length: perTensor ? 1 : N }, (_, j) => 2 ** -(3 + (j % 5)));
        const y = Float64Array.from(ref, (r, i) => Math.round(r / 0.5 / scales[perTensor ? 0 : i % N]!));
        expect(Object.is(dequantizedSqnrDb(fast, y, scales, 0.5, B, N), dequantizedSqnrDb(ref, y, scales, 0.5, B, N))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps infinities, NaN and signed zeros exactly where the reference has them', () => {
    const K = 9, N = 5, B = 3;
    const w = values(K * N, 1);
    const x = values(B * K, 2);
    w[3] = Infinity; // column 0
    w[K + 1] = -Infinity; // column 1
    w[2 * K] = NaN; // column 2
    w.fill(-0, 3 * K, 4 * K); // column 3: −0 weights
    x[K + 4] = -0;
    const ref = referenceColumnProduct(w, K, N, x, B);
    expect(firstDifference(columnProduct(w, K, N, x, B), ref)).toBe(-1);
    expect(firstDifference(columnProduct(w, K, N, x, B, { wasm: false, blockRows: 4 }), ref)).toBe(-1);
  });

  it('is bit-identical at the edges: B = 1, K < 4, one column, lanes beyond one tile, a memory too large to keep', () => {
    const cases: [number, number, number][] = [[1, 1, 1], [3, 7, 1], [4, 1, 2], [2, 9, 2 * MAX_MB + 1], [13, 6, 4 * MAX_MB + 2], [37, 3, 64]];
    // (K + N)·B·8 above the retained size: a fresh instance of its own
    const big = Math.ceil(RETAINED_MEMORY_BYTES / 8 / (2000 + 8)) + 3;
    cases.push([2000, 8, big]);
    for (const [K, N, B] of cases) {
      const w = values(K * N, K * 31 + N);
      const x = values(B * K, B);
      expect(firstDifference(columnProduct(w, K, N, x, B), referenceColumnProduct(w, K, N, x, B)), `K=${K} N=${N} B=${B}`).toBe(-1);
    }
  });

  it('falls back to the JS kernel, bit-identical, where WebAssembly SIMD is missing', async () => {
    const spy = vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    try {
      vi.resetModules(); // a fresh float-gemm-wasm.js, whose module cache is still empty
      const wasm = await import('../../../src/reference/float-gemm-wasm.js');
      const gemm = await import('../../../src/reference/float-gemm.js');
      expect(wasm.floatGemmModule()).toBeNull();
      const K = 23, N = 9, B = 5;
      const w = values(K * N, 3), x = values(B * K, 4);
      expect(firstDifference(gemm.columnProduct(w, K, N, x, B), referenceColumnProduct(w, K, N, x, B))).toBe(-1);
    } finally {
      spy.mockRestore();
      vi.resetModules();
    }
  });

  it('returns zeros for K = 0 and empty outputs for B = 0 or N = 0, like the reference', () => {
    expect(columnProduct(new Float64Array(0), 0, 3, [], 2)).toEqual(referenceColumnProduct(new Float64Array(0), 0, 3, [], 2));
    expect(columnProduct(new Float64Array(6), 2, 3, [], 0)).toHaveLength(0);
    expect(columnProduct(new Float64Array(0), 2, 0, [1, 2], 1)).toHaveLength(0);
  });

  it('refuses a block size that is not a multiple of four and mismatched lengths', () => {
    expect(() => columnProduct(new Float64Array(4), 2, 2, [1, 1], 1, { blockRows: 6 })).toThrow(RangeError);
    expect(() => columnProduct(new Float64Array(4), 2, 2, [1, 1], 1, { panelCols: 0 })).toThrow(RangeError);
    expect(() => columnProduct(new Float64Array(3), 2, 2, [1, 1], 1)).toThrow(RangeError);
    expect(() => jsColumnProduct(new Float64Array(4), 2, 2, [1, 1], 1, 2)).toThrow(RangeError);
  });
});

describe('floatProduct', () => {
  it('equals referenceFloatProduct bit for bit on a float matrix', () => {
    const W = { rows: 50, cols: 21, data: values(50 * 21, 9) };
    const x = values(7 * 50, 10);
    expect(firstDifference(floatProduct(W, x, 7), referenceFloatProduct(W, x, 7))).toBe(-1);
  });

  it('on float32 weights equals the product of their float64 widening bit for bit, wasm and JS kernels alike', () => {
    fc.assert(
      fc.property(shape, ({ K, N, B, seed, zeros, blockRows, panelCols }) => {
        const w32 = Float32Array.from(values(K * N, seed, zeros));
        const x = values(B * K, seed ^ 0x2545f491, zeros);
        const ref = referenceColumnProduct(Float64Array.from(w32), K, N, x, B);
        expect(firstDifference(columnProduct(w32, K, N, x, B, { blockRows, panelCols }), ref)).toBe(-1);
        expect(firstDifference(columnProduct(w32, K, N, x, B, { blockRows, wasm: false }), ref)).toBe(-1);
        expect(firstDifference(floatProduct({ rows: K, cols: N, data: w32 }, x, B), ref)).toBe(-1);
      }),
      { numRuns: 100 },
    );
  });

  it('computes x · W for a column-major W', () => {
    // W = [[1, 3], [2, 4]] (K = N = 2, columns (1, 2) and (3, 4)); x = [1, 1] and [1, -1]
    expect(Array.from(floatProduct({ rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4) }, [1, 1, 1, -1], 2))).toEqual([3, 7, -1, -1]);
  });
});

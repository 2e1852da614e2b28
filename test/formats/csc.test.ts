import { describe, expect, it } from 'vitest';
import { countNonzeros, extractNonzeros } from '../../formats/csc.js';
import { FormatError } from '../../errors.js';
import { randomMatrix } from './helpers.js';

describe('extractNonzeros', () => {
  it('lists the nonzeros column by column in row order', () => {
    const nz = extractNonzeros({ rows: 3, cols: 3, data: Int16Array.of(0, 5, 0, 0, 0, 0, -1, 0, 2) }, 8);
    expect(nz.nnz).toBe(3);
    expect(Array.from(nz.colPtr)).toEqual([0, 1, 1, 3]);
    expect(Array.from(nz.rowIdx.subarray(0, 3))).toEqual([1, 0, 2]);
    expect(Array.from(nz.values.subarray(0, 3))).toEqual([5, -1, 2]);
  });

  it('agrees with a plain loop on random matrices, including unaligned views and capacity growth', () => {
    for (const [K, N, density] of [[7, 9, 0.1], [5, 5, 1], [1, 3, 0.5], [33, 17, 0.6]] as const) {
      const base = randomMatrix(K, N + 1, 8, density, K * N);
      // a view that starts one element in: byteOffset 2, not 8-byte aligned
      const q = { rows: K, cols: N, data: base.data.subarray(1, 1 + K * N) };
      const nz = extractNonzeros(q, 8);
      const rows: number[] = [];
      const vals: number[] = [];
      for (let i = 0; i < K * N; i++) if (q.data[i] !== 0) (rows.push(i % K), vals.push(q.data[i]!));
      expect(Array.from(nz.rowIdx.subarray(0, nz.nnz))).toEqual(rows);
      expect(Array.from(nz.values.subarray(0, nz.nnz))).toEqual(vals);
      expect(countNonzeros(q, 8)).toBe(rows.length);
    }
  });

  it('does not mistake a word holding only -32768 for a zero word (the -0.0 bit pattern)', () => {
    // [0, 0, 0, -32768] read as a float64 is -0.0, which compares === 0.
    const q = { rows: 4, cols: 1, data: Int16Array.of(0, 0, 0, -32768) };
    expect(() => extractNonzeros(q, 16)).toThrow(FormatError);
    expect(() => extractNonzeros(q, 16)).toThrow(/value -32768 at row 3, column 0/);
    expect(() => countNonzeros(q, 16)).toThrow(FormatError);
  });
});

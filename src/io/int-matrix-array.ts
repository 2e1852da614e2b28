/**
 * The integer matrix as a numpy-friendly array: `[K, N]` in C order, int8 when b_w ≤ 8 else int16
 * (our matrices are column-major internally, so this transposes).
 */
import type { IntMatrix } from '../../formats/types.js';
import type { NamedArray } from './npz.js';

export function intMatrixToArray(q: IntMatrix, bits: number, name = 'q'): NamedArray {
  const K = q.rows, N = q.cols, src = q.data;
  const out = bits <= 8 ? new Int8Array(K * N) : new Int16Array(K * N);
  for (let j = 0; j < N; j++) {
    const col = j * K;
    for (let k = 0; k < K; k++) out[k * N + j] = src[col + k]!;
  }
  return { name, dtype: bits <= 8 ? 'int8' : 'int16', shape: [K, N], data: out };
}

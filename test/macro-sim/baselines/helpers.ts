import type { IntMatrix } from '../../../formats/types.js';

/** Build a column-major K×N matrix from (k, j, value) triples. */
export function matrixFrom(rows: number, cols: number, entries: ReadonlyArray<readonly [number, number, number]>): IntMatrix {
  const data = new Int16Array(rows * cols);
  for (const [k, j, v] of entries) data[j * rows + k] = v;
  return { rows, cols, data };
}

/** Seeded xorshift32 in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/** A random K×N matrix with each entry nonzero (value 1..7) with probability `density`. */
export function randomMatrix(rows: number, cols: number, density: number, seed: number): { q: IntMatrix; nnz: number } {
  const next = rng(seed);
  const data = new Int16Array(rows * cols);
  let nnz = 0;
  for (let i = 0; i < data.length; i++) {
    if (next() < density) { data[i] = 1 + Math.floor(next() * 7); nnz++; }
  }
  return { q: { rows, cols, data }, nnz };
}

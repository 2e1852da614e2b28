/**
 * Test helpers for the formats layer: a seeded PRNG, random sparse matrices, N:m pruning for test
 * data, and a minimal .npy v1.0 float32 reader for the real-data fixture (tests must not depend on
 * src/io, which is written separately).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { IntMatrix } from '../../formats/types.js';
import { Xoshiro128ss } from '../../macro-sim/rng.js';

/** Seeded uniform floats in [0, 1) (xoshiro128**, macro-sim/rng.ts). */
export function seededUniform(seed: number): () => number {
  const rng = Xoshiro128ss.fromSeed(seed);
  return () => rng.nextFloat();
}

/** A K×N matrix whose entries are nonzero with probability `density`, values uniform in [-Q, Q] \ {0}. */
export function randomMatrix(K: number, N: number, valueBits: number, density: number, seed: number): IntMatrix {
  const rand = seededUniform(seed);
  const Q = 2 ** (valueBits - 1) - 1;
  const data = new Int16Array(K * N);
  for (let i = 0; i < data.length; i++) {
    if (rand() < density) {
      const mag = 1 + Math.floor(rand() * Q);
      data[i] = rand() < 0.5 ? -mag : mag;
    }
  }
  return { rows: K, cols: N, data };
}

/** Zero every nonzero past the first `n` of each group of `m` rows, so that `q` satisfies N:m. */
export function pruneNm(q: IntMatrix, n: number, m: number): IntMatrix {
  const data = q.data.slice();
  for (let j = 0; j < q.cols; j++) {
    for (let a = 0; a < q.rows; a += m) {
      let c = 0;
      for (let k = a; k < Math.min(q.rows, a + m); k++) {
        const i = j * q.rows + k;
        if (data[i] !== 0 && ++c > n) data[i] = 0;
      }
    }
  }
  return { rows: q.rows, cols: q.cols, data };
}

/** Keep the `n` largest |q| of each group of `m` rows (ties: lower row), like MODEL §3 nm pruning. */
export function pruneNmLargest(q: IntMatrix, n: number, m: number): IntMatrix {
  const data = q.data.slice();
  for (let j = 0; j < q.cols; j++) {
    for (let a = 0; a < q.rows; a += m) {
      const rows: number[] = [];
      for (let k = a; k < Math.min(q.rows, a + m); k++) rows.push(k);
      rows.sort((x, y) => Math.abs(data[j * q.rows + y]!) - Math.abs(data[j * q.rows + x]!) || x - y);
      for (const k of rows.slice(n)) data[j * q.rows + k] = 0;
    }
  }
  return { rows: q.rows, cols: q.cols, data };
}

/**
 * Read a little-endian float32 .npy v1.0 file (C order): the data starts after the 10-byte prefix
 * (magic, version, u16 LE header length) and the header. Only what the fixture needs.
 */
export function readNpyFloat32(path: string): { shape: number[]; data: Float32Array } {
  const buf = readFileSync(path);
  if (buf.readUInt8(6) !== 1) throw new Error(`${path}: expected .npy v1.0`);
  const headerLen = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + headerLen);
  if (!header.includes("'<f4'") || header.includes("'fortran_order': True")) throw new Error(`${path}: expected C-order <f4`);
  const shape = header.match(/'shape': \(([^)]*)\)/)![1]!.split(',').filter((s) => s.trim() !== '').map(Number);
  const start = 10 + headerLen;
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = buf.readFloatLE(start + 4 * i);
  return { shape, data };
}

/**
 * The fixture conv weight [O, I, 1, 1] as a [K = I, N = O] int8-range matrix: per-tensor scale to
 * ±127, then the smallest 90 % of |w| zeroed — crude, just a realistic sparsity pattern.
 */
export function realMatrix(path: string): IntMatrix {
  const { shape, data } = readNpyFloat32(path);
  const N = shape[0]!;
  const K = data.length / N; // OIHW, C order: element (o, i, h, w) is data[o·K + k], i.e. column-major [K, N]
  let max = 0;
  for (const v of data) max = Math.max(max, Math.abs(v));
  const mags = Float64Array.from(data, Math.abs).sort();
  const threshold = mags[Math.floor(0.9 * mags.length)]!;
  const q = new Int16Array(data.length);
  for (let i = 0; i < data.length; i++) {
    if (Math.abs(data[i]!) >= threshold) q[i] = Math.max(-127, Math.min(127, Math.round((data[i]! / max) * 127)));
  }
  return { rows: K, cols: N, data: q };
}


/** A random encoding case: shape, widths, capacity, sparsity, seed and a resolved format spec. */
export interface Case {
  K: number;
  N: number;
  valueBits: number;
  R: number;
  density: number;
  seed: number;
  spec: string;
}

function ceilLog2(x: number): number {
  let b = 0;
  while (2 ** b < x) b++;
  return b;
}

/** fast-check arbitrary over small cases of every format (specs valid for the drawn K and R). */
export const caseArb: fc.Arbitrary<Case> = fc
  .record({
    K: fc.integer({ min: 1, max: 48 }),
    N: fc.integer({ min: 1, max: 5 }),
    valueBits: fc.integer({ min: 2, max: 16 }),
    R: fc.integer({ min: 1, max: 20 }),
    density: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    kind: fc.constantFrom('dense', 'bitmask', 'coo', 'rl', 'nm'),
    a: fc.integer({ min: 0, max: 30 }),
    b: fc.integer({ min: 0, max: 30 }),
  })
  .map(({ kind, a, b, ...rest }) => {
    let spec: string = kind;
    let R = rest.R;
    if (kind === 'coo') spec = `coo:${a % (ceilLog2(rest.K) + 2)}`;
    if (kind === 'rl') spec = `rl:${1 + (a % 5)}`;
    if (kind === 'nm') {
      const m = 2 + (a % 7);
      const n = 1 + (b % m);
      spec = `nm:${n}:${m}`;
      R = Math.max(R, n);
    }
    return { ...rest, R, spec };
  });

/** The matrix of a case (N:m-pruned for nm specs). */
export function caseMatrix(c: Case): IntMatrix {
  const q = randomMatrix(c.K, c.N, c.valueBits, c.density, c.seed);
  if (c.spec.startsWith('nm:')) {
    const [, n, m] = c.spec.split(':').map(Number);
    return pruneNm(q, n!, m!);
  }
  return q;
}

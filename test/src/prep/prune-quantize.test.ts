/**
 * The fused preparation path (src/prep/prune-quantize.ts, through prepareWeights) against the path it
 * replaced — `tensorToMatrix` → `prune` → `quantizeWeights` → `extractNonzeros`, each of which is
 * itself checked against the sorting references and the numpy goldens — bit for bit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractNonzeros } from '../../../formats/csc.js';
import type { CscMatrix } from '../../../formats/types.js';
import type { Tensor } from '../../../src/io/tensor.js';
import { tensorToMatrix, type Layout } from '../../../src/prep/layout.js';
import type { FloatMatrix } from '../../../src/prep/matrix.js';
import { prepareWeights, type PreparedWeights } from '../../../src/prep/prepare.js';
import { prune, pruneInPlace, type PruneSpec } from '../../../src/prep/prune.js';
import { pruneQuantize } from '../../../src/prep/prune-quantize.js';
import { quantizeWeights, type Granularity } from '../../../src/prep/quantize.js';
import { referencePruneOrder } from '../../../src/prep/reference.js';
import { smallestCutDetail, smallestCutFloat32 } from '../../../src/prep/select.js';

type FloatDtype = 'float32' | 'float64';

interface Case {
  readonly t: Tensor;
  readonly layout: Layout;
  readonly spec: PruneSpec;
  readonly bits: number;
  readonly granularity: Granularity;
}

/** The path prepareWeights took before the fused pass. */
function oldPrepare(c: Case): { float: FloatMatrix; q: Int16Array; scales: Float64Array; nonzeros: CscMatrix } {
  const float = tensorToMatrix(c.t, c.layout);
  const { q, scales } = quantizeWeights(prune(float, c.spec), c.bits, c.granularity);
  return { float, q: q.data, scales, nonzeros: extractNonzeros(q, c.bits) };
}

/** Bit patterns, so that -0 / 0 and NaN payloads would show. */
const bitsOf = (a: Float64Array): Uint32Array => new Uint32Array(Float64Array.from(a).buffer);

/** The first index where two arrays differ (-1: none; the shorter length when only the lengths do), with both values. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): { at: number; a?: number; b?: number } {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return { at: i, a: a[i], b: b[i] };
  return { at: a.length === b.length ? -1 : n };
}

function expectSame(p: PreparedWeights, c: Case): void {
  const o = oldPrepare(c);
  const nz = p.nonzeros, onz = o.nonzeros;
  const diffs = {
    nnz: [nz.nnz, onz.nnz],
    colPtr: firstDifference(nz.colPtr, onz.colPtr).at,
    rowIdx: firstDifference(nz.rowIdx.subarray(0, nz.nnz), onz.rowIdx.subarray(0, onz.nnz)).at,
    values: firstDifference(nz.values.subarray(0, nz.nnz), onz.values.subarray(0, onz.nnz)).at,
    scales: firstDifference(bitsOf(p.scales), bitsOf(o.scales)).at,
    q: firstDifference(p.q.data, o.q).at,
    float: firstDifference(bitsOf(p.float.data), bitsOf(o.float.data)).at,
    counts: [p.nnz, p.sparsity, p.float.rows, p.float.cols, p.q.rows, p.q.cols],
  };
  expect(diffs).toEqual({
    nnz: [onz.nnz, onz.nnz], colPtr: -1, rowIdx: -1, values: -1, scales: -1, q: -1, float: -1,
    counts: [onz.nnz, 1 - onz.nnz / o.q.length, o.float.rows, o.float.cols, o.float.rows, o.float.cols],
  });
}

const prep = (c: Case, floatMatrix?: PrepareOptionsFloat): PreparedWeights =>
  prepareWeights(c.t, { layout: c.layout, prune: c.spec, weightBits: c.bits, granularity: c.granularity, floatMatrix });
type PrepareOptionsFloat = FloatMatrix | (() => FloatMatrix);

/** Values with many exact ties (zeros of both signs included) mixed with arbitrary finite numbers. */
const valueArb = (dtype: FloatDtype): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(0, -0, 0.5, -0.5, 1, -1, 2, -0.25, 3, 1e-3, -1e-3) },
    { weight: 2, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }) },
    { weight: 1, arbitrary: dtype === 'float32' ? fc.float({ noNaN: true, noDefaultInfinity: true, min: Math.fround(-1e-37), max: Math.fround(1e-37) }) : fc.double({ min: -1e-307, max: 1e-307, noNaN: true }) },
  ).map((v) => (dtype === 'float32' ? Math.fround(v) : v));

const SHAPE_OF: Record<Layout, fc.Arbitrary<number[]>> = {
  oi: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 40 })),
  io: fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 9 })),
  oiw: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 7 })),
  oihw: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  hwio: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 })),
};

const tensorArb = (dtype?: FloatDtype): fc.Arbitrary<{ t: Tensor; layout: Layout }> =>
  fc
    .record({ dtype: dtype ? fc.constant(dtype) : fc.constantFrom<FloatDtype>('float32', 'float64'), layout: fc.constantFrom<Layout>('oi', 'io', 'oiw', 'oihw', 'hwio') })
    .chain(({ dtype: d, layout }) =>
      SHAPE_OF[layout].chain((shape) => {
        const n = shape.reduce((a, b) => a * b, 1);
        return fc.array(valueArb(d), { minLength: n, maxLength: n }).map((v) => ({
          t: { name: 'w', dtype: d, shape, data: d === 'float32' ? Float32Array.from(v) : Float64Array.from(v) } as Tensor,
          layout,
        }));
      }),
    );

const sparsityArb = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.1, 0.25, 0.5, 0.75, 0.9, 1));
const specArb: fc.Arbitrary<PruneSpec> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'none' } as const) },
  { weight: 4, arbitrary: sparsityArb.map((sparsity) => ({ kind: 'magnitude', sparsity }) as const) },
  { weight: 2, arbitrary: fc.integer({ min: 2, max: 40 }).chain((m) => fc.integer({ min: 1, max: m }).map((n) => ({ kind: 'nm', n, m }) as const)) },
  { weight: 1, arbitrary: fc.record({ bk: fc.integer({ min: 1, max: 7 }), bn: fc.integer({ min: 1, max: 5 }), sparsity: sparsityArb }).map((r) => ({ kind: 'block', ...r }) as const) },
  { weight: 1, arbitrary: fc.record({ bk: fc.integer({ min: 1, max: 12 }), bn: fc.integer({ min: 1, max: 5 }), sparsity: sparsityArb }).map((r) => ({ kind: 'bcr', ...r }) as const) },
);
const caseArb = (dtype?: FloatDtype): fc.Arbitrary<Case> =>
  fc.record({
    tl: tensorArb(dtype),
    spec: specArb,
    bits: fc.oneof(fc.integer({ min: 2, max: 16 }), fc.constantFrom(2, 3, 8)),
    granularity: fc.constantFrom<Granularity>('per-column', 'per-tensor'),
  }).map(({ tl, spec, bits, granularity }) => ({ t: tl.t, layout: tl.layout, spec, bits, granularity }));

describe('fused preparation vs tensorToMatrix → prune → quantizeWeights → extractNonzeros', () => {
  it('agrees bit for bit on random float32 and float64 tensors in every layout, rule, bit width and granularity', () => {
    fc.assert(fc.property(caseArb(), (c) => expectSame(prep(c), c)), { numRuns: 1500 });
  });
  it('agrees on float32 tensors (selection on the float32 bits)', () => {
    fc.assert(fc.property(caseArb('float32'), (c) => expectSame(prep(c), c)), { numRuns: 500 });
  });
  it('agrees when the float matrix is given, as a matrix or as a function, and is not modified', () => {
    fc.assert(
      fc.property(caseArb(), fc.boolean(), (c, asFunction) => {
        const m = tensorToMatrix(c.t, c.layout);
        const before = Array.from(bitsOf(m.data));
        let calls = 0;
        const p = prep(c, asFunction ? () => (calls++, m) : m);
        expect(calls).toBe(0);
        expectSame(p, c);
        expect(p.float).toBe(m);
        expect(calls).toBe(asFunction ? 1 : 0);
        expect(Array.from(bitsOf(m.data))).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on nm:N:4 (the unrolled rank count) with tied magnitudes and every row count modulo 4', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<FloatDtype>('float32', 'float64'), fc.constantFrom<Layout>('oi', 'io'), fc.integer({ min: 1, max: 23 }), fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }), fc.constantFrom<Granularity>('per-column', 'per-tensor'), fc.array(fc.constantFrom(0, -0, 1, -1, 2, -2, 0.5, 3), { minLength: 115, maxLength: 115 }),
        (dtype, layout, K, N, keep, granularity, pool) => {
          const v = Array.from({ length: K * N }, (_, i) => pool[i]!);
          const shape = layout === 'oi' ? [N, K] : [K, N];
          const t: Tensor = { name: 'w', dtype, shape, data: dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v) };
          const c: Case = { t, layout, spec: { kind: 'nm', n: keep, m: 4 }, bits: 3, granularity };
          expectSame(prep(c), c);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('agrees on magnitude with ties at the threshold spread over columns, all layouts and both dtypes', () => {
    // Values on a coarse grid (every magnitude ~40 times): the threshold is always tied, and the kept
    // tied entries (lowest column-major indices) cross column boundaries.
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [layout, shape] of [['oi', [13, 29]], ['io', [29, 13]], ['oihw', [13, 3, 3, 3]], ['hwio', [3, 3, 3, 13]], ['oiw', [13, 9, 3]]] as const) {
        const n = shape.reduce((a: number, b: number) => a * b, 1);
        const v = Array.from({ length: n }, (_, i) => (((i * 7919) % 19) - 9) / 4);
        const t: Tensor = { name: 'w', dtype, shape: [...shape], data: dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v) };
        for (const sparsity of [0.03, 0.2, 0.37, 0.5, 0.51, 0.9, 0.999]) {
          for (const granularity of ['per-column', 'per-tensor'] as const) {
            const c: Case = { t, layout, spec: { kind: 'magnitude', sparsity }, bits: 4, granularity };
            expectSame(prep(c), c);
          }
        }
      }
    }
  });

  it('agrees on matrices large enough for the histogram selections (float32 and float64, o-first and o-last)', () => {
    let s = 11;
    const next = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
    const K = 300, N = 260; // 78,000 ≥ 65,536 entries
    const v = Array.from({ length: K * N }, (_, i) => {
      const r = next();
      // Heavy ties (a 17-level grid), zeros, and some unique values; one column all zero, one all tied.
      if (i >= 5 * K && i < 6 * K) return 0;
      if (i >= 9 * K && i < 10 * K) return 0.75;
      return r % 5 === 0 ? 0 : r % 7 === 0 ? (r >>> 8) / 2 ** 24 - 0.5 : (((r >>> 16) % 17) - 8) / 8;
    });
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [layout, shape] of [['oi', [N, K]], ['io', [K, N]]] as const) {
        const t: Tensor = { name: 'big', dtype, shape: [...shape], data: dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v) };
        for (const spec of ['magnitude:0.05', 'magnitude:0.3', 'magnitude:0.5', 'magnitude:0.9', 'nm:2:4', 'none'] as const) {
          for (const granularity of ['per-column', 'per-tensor'] as const) {
            const c: Case = { t, layout, spec: parse(spec), bits: 6, granularity };
            expectSame(prep(c), c);
          }
        }
      }
    }
  });

  it('agrees on an all-zero tensor, an all-equal tensor and a single entry', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const make = (shape: number[], v: number): Tensor => {
        const n = shape.reduce((a, b) => a * b, 1);
        return { name: 'w', dtype, shape, data: dtype === 'float32' ? new Float32Array(n).fill(v) : new Float64Array(n).fill(v) };
      };
      for (const t of [make([4, 6], 0), make([4, 6], -0), make([5, 7], 0.3), make([1, 1], -2)]) {
        for (const layout of ['oi', 'io'] as const) {
          for (const spec of ['none', 'magnitude:0', 'magnitude:0.5', 'magnitude:1', 'nm:1:2', 'block:2:2:0.5', 'bcr:2:3:0.5'] as const) {
            const c: Case = { t, layout, spec: parse(spec), bits: 3, granularity: 'per-column' };
            expectSame(prep(c), c);
          }
        }
      }
    }
  });

  it('refuses a NaN or ±Inf with the same error as tensorToMatrix, whatever the rule', () => {
    fc.assert(
      fc.property(caseArb(), fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity), fc.nat(), (c, at, bad, at2) => {
        const data = c.t.data.slice() as Float32Array | Float64Array;
        data[at % data.length] = bad;
        if (at2 % 3 === 0) data[at2 % data.length] = NaN; // sometimes two bad values: the first in C order is named
        const t = { ...c.t, data };
        const oldError = thrown(() => tensorToMatrix(t, c.layout));
        const newError = thrown(() => prepareWeights(t, { layout: c.layout, prune: c.spec, weightBits: c.bits, granularity: c.granularity }));
        expect([newError.code, newError.message]).toEqual([oldError.code, oldError.message]);
      }),
      { numRuns: 300 },
    );
  });

  it('builds float and q.data only when read, once', () => {
    const t: Tensor = { name: 'w', dtype: 'float32', shape: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => i - 5.5) };
    const p = prepareWeights(t, { weightBits: 4, prune: 'magnitude:0.5' });
    const keys = Object.getOwnPropertyDescriptors(p);
    expect(typeof keys.float!.get).toBe('function');
    expect(typeof Object.getOwnPropertyDescriptor(p.q, 'data')!.get).toBe('function');
    expect(p.float).toBe(p.float);
    expect(p.q.data).toBe(p.q.data);
    expect({ ...p }.float).toBe(p.float); // spreads read it like a field
  });
});

describe('pruneInPlace', () => {
  it('gives what prune gives for every structured rule, on random matrices', () => {
    fc.assert(
      fc.property(tensorArb('float64'), specArb, ({ t, layout }, spec) => {
        if (spec.kind === 'magnitude') return;
        const m = tensorToMatrix(t, layout);
        const want = prune(m, spec);
        pruneInPlace(m, spec);
        expect(firstDifference(bitsOf(m.data), bitsOf(want.data)).at).toBe(-1);
      }),
      { numRuns: 400 },
    );
  });
});

describe('pruneQuantize on a row-major source wider than one band', () => {
  it('gives the nonzeros of the column-major source of the same matrix', () => {
    // K = 3000 → bands of 43 columns; N = 100 → three bands, the last one short.
    const K = 3000, N = 100;
    const col = new Float32Array(K * N), row = new Float32Array(K * N);
    for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) col[j * K + k] = row[k * N + j] = Math.fround(Math.sin(j * 31 + k * 0.37) * ((k + j) % 11));
    const never = (): never => {
      throw new Error('finite');
    };
    for (const spec of [{ kind: 'magnitude', sparsity: 0.8 }, { kind: 'nm', n: 1, m: 3 }, { kind: 'none' }] as const) {
      const a = pruneQuantize({ data: col, K, N, colMajor: true }, spec, 8, 'per-column', never);
      const b = pruneQuantize({ data: row, K, N, colMajor: false }, spec, 8, 'per-column', never);
      expect(b.nonzeros.nnz).toBe(a.nonzeros.nnz);
      expect(firstDifference(b.nonzeros.colPtr, a.nonzeros.colPtr).at).toBe(-1);
      expect(firstDifference(b.nonzeros.rowIdx.subarray(0, a.nonzeros.nnz), a.nonzeros.rowIdx.subarray(0, a.nonzeros.nnz)).at).toBe(-1);
      expect(firstDifference(b.nonzeros.values.subarray(0, a.nonzeros.nnz), a.nonzeros.values.subarray(0, a.nonzeros.nnz)).at).toBe(-1);
      expect(Array.from(b.scales)).toEqual(Array.from(a.scales));
    }
  });
});

describe('selection cuts with the equal count', () => {
  const referenceCut = (v: number[], count: number) => {
    const order = referencePruneOrder(v.map(Math.abs));
    if (count <= 0) return { threshold: -1, ties: 0, equal: 0 };
    if (count >= v.length) return { threshold: Infinity, ties: 0, equal: 0 };
    const t = Math.abs(v[order[count - 1]!]!);
    const below = v.filter((x) => Math.abs(x) < t).length;
    return { threshold: t, ties: count - below, equal: v.filter((x) => Math.abs(x) === t).length };
  };
  it('float64 and float32 cuts match a full sort on random values with ties', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(0, -0, 1, -1, 2, 0.5), fc.double({ min: -5, max: 5, noNaN: true })), { minLength: 1, maxLength: 300 }), fc.nat(), (raw, c) => {
        const count = c % (raw.length + 2) - 1;
        expect(smallestCutDetail(Float64Array.from(raw), 0, raw.length, count)).toEqual(referenceCut(raw, count));
        const f = Float32Array.from(raw);
        expect(smallestCutFloat32(new Uint32Array(f.buffer), count)).toEqual(referenceCut(Array.from(f), count));
      }),
      { numRuns: 500 },
    );
  });
  it('counts the equal entries through the histogram path and a crowded bucket', () => {
    const v = Float64Array.from({ length: 70000 }, (_, i) => 1 + (i % 3) * 2 ** -40);
    expect(smallestCutDetail(v, 0, v.length, 30000)).toEqual(referenceCut(Array.from(v), 30000));
    expect(smallestCutDetail(v, 0, v.length, 50000)).toEqual(referenceCut(Array.from(v), 50000));
  });
});

function parse(text: string): PruneSpec {
  const [kind, ...p] = text.split(':');
  const n = p.map(Number);
  if (kind === 'none') return { kind: 'none' };
  if (kind === 'magnitude') return { kind, sparsity: n[0]! };
  if (kind === 'nm') return { kind, n: n[0]!, m: n[1]! };
  return { kind: kind as 'block' | 'bcr', bk: n[0]!, bn: n[1]!, sparsity: n[2]! };
}

function thrown(f: () => unknown): Error & { code?: string } {
  try {
    f();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a throw');
}

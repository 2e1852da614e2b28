import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../errors.js';
import type { FloatMatrix } from '../../../src/prep/matrix.js';
import { formatPruneSpec, parsePruneSpec, prune, type PruneSpec } from '../../../src/prep/prune.js';
import { referencePrune, referencePruneOrder } from '../../../src/prep/reference.js';
import { markSmallest, smallestCut } from '../../../src/prep/select.js';

const mat = (rows: number, cols: number, data: number[]): FloatMatrix => ({ rows, cols, data: Float64Array.from(data) });

/** Values with many exact ties (including zeros and both signs) mixed with arbitrary finite doubles. */
const valueArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0, -0, 0.5, -0.5, 1, -1, 2, -0.25, 3) },
  { weight: 1, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
);
const matrixArb = (maxK: number, maxN: number): fc.Arbitrary<FloatMatrix> =>
  fc
    .record({ K: fc.integer({ min: 1, max: maxK }), N: fc.integer({ min: 1, max: maxN }) })
    .chain(({ K, N }) => fc.array(valueArb, { minLength: K * N, maxLength: K * N }).map((v) => mat(K, N, v)));
const sparsityArb = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.25, 0.5, 0.75, 1));
const specArb: fc.Arbitrary<PruneSpec> = fc.oneof(
  sparsityArb.map((sparsity) => ({ kind: 'magnitude', sparsity }) as const),
  fc.integer({ min: 2, max: 40 }).chain((m) => fc.integer({ min: 1, max: m }).map((n) => ({ kind: 'nm', n, m }) as const)),
  fc.record({ bk: fc.integer({ min: 1, max: 7 }), bn: fc.integer({ min: 1, max: 7 }), sparsity: sparsityArb }).map((r) => ({ kind: 'block', ...r }) as const),
  fc.record({ bk: fc.integer({ min: 1, max: 40 }), bn: fc.integer({ min: 1, max: 7 }), sparsity: sparsityArb }).map((r) => ({ kind: 'bcr', ...r }) as const),
);

describe('prune vs the sorting reference', () => {
  it('agrees exactly on random matrices and specs (ties included)', () => {
    fc.assert(
      fc.property(matrixArb(45, 12), specArb, (m, spec) => {
        expect(Array.from(prune(m, spec).data)).toEqual(Array.from(referencePrune(m, spec).data));
      }),
      { numRuns: 400 },
    );
  });
  it('magnitude agrees on a 300×256 matrix with heavy ties (histogram path)', () => {
    let s = 7;
    const data: number[] = [];
    for (let i = 0; i < 300 * 256; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      data.push(((s >>> 16) % 9) - 4 + (i % 97 === 0 ? 1e-3 * (s % 13) : 0));
    }
    const m = mat(300, 256, data);
    for (const sp of [0.05, 0.37, 0.5, 0.9]) {
      const spec = `magnitude:${sp}`;
      expect(Array.from(prune(m, spec).data)).toEqual(Array.from(referencePrune(m, spec).data));
    }
  });
  it('nm and bcr agree with the reference on groups longer than the rank-count limit (quickselect path)', () => {
    const data = Array.from({ length: 80 * 3 }, (_, i) => ((i * 37) % 11) - 5);
    const m = mat(80, 3, data);
    for (const spec of ['nm:3:40', 'nm:30:33', 'bcr:40:2:0.5', 'bcr:80:3:0.3', 'block:33:1:0.5']) {
      expect(Array.from(prune(m, spec).data)).toEqual(Array.from(referencePrune(m, spec).data));
    }
  });
  it('does not modify its input', () => {
    const m = mat(2, 2, [1, 2, 3, 4]);
    prune(m, 'magnitude:0.5');
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4]);
  });
});

describe('prune rules on hand-worked cases', () => {
  it('magnitude prunes floor(s·K·N) entries and keeps the lower index among equal magnitudes', () => {
    // |w| = [1, 1, 1, 2] (flat column-major), s = 0.5 → prune 2 of the three 1s: the two highest indices.
    expect(Array.from(prune(mat(2, 2, [1, -1, 1, 2]), 'magnitude:0.5').data)).toEqual([1, 0, 0, 2]);
  });
  it('magnitude counts already-zero entries among the smallest', () => {
    expect(Array.from(prune(mat(4, 1, [0, 5, 0, 3]), 'magnitude:0.5').data)).toEqual([0, 5, 0, 3]);
    expect(Array.from(prune(mat(4, 1, [0, 5, 0, 3]), 'magnitude:0.75').data)).toEqual([0, 5, 0, 0]);
  });
  it('magnitude:1 zeroes everything and magnitude:0 nothing', () => {
    expect(Array.from(prune(mat(1, 3, [1, 2, 3]), 'magnitude:1').data)).toEqual([0, 0, 0]);
    expect(Array.from(prune(mat(1, 3, [1, 2, 3]), 'magnitude:0').data)).toEqual([1, 2, 3]);
  });
  it('nm keeps the N largest per group of m rows, lower row on ties, short last group', () => {
    // K = 5, m = 2: groups [0,1], [2,3], [4]; N = 1.
    expect(Array.from(prune(mat(5, 1, [2, -2, 1, 3, 0.5]), 'nm:1:2').data)).toEqual([2, 0, 0, 3, 0.5]);
  });
  it('block prunes whole tiles of smallest norm, lower column-major tile index on ties', () => {
    // K = 2, N = 3, 1×2 tiles: tiles (bi, bj) with index bj·2 + bi.
    // columns: [1, 1], [1, 1], [0.1, 5] → tiles t0 = rows0 cols0-1 {1,1}, t1 = row1 cols0-1 {1,1}, t2 = row0 col2 {0.1}, t3 = row1 col2 {5}
    const r = prune(mat(2, 3, [1, 1, 1, 1, 0.1, 5]), 'block:1:2:0.5');
    expect(Array.from(r.data)).toEqual([1, 0, 1, 0, 0, 5]); // prune t2 (smallest) and t1 (tie with t0, higher index)
  });
  it('bcr prunes round(p·rows) rows and round(p·cols) columns per tile by in-tile norms', () => {
    // s = 0.75 → p = 0.5; one 2×2 tile → 1 row and 1 column pruned.
    // [[1, 3], [2, 0.5]] (rows k): row norms² 10, 4.25 → prune row 1; col norms² 5, 9.25 → prune col 0.
    const r = prune(mat(2, 2, [1, 2, 3, 0.5]), 'bcr:2:2:0.75');
    expect(Array.from(r.data)).toEqual([0, 0, 3, 0]);
  });
  it('bcr rounds p·n half to even', () => {
    // p = 0.5 on a 1-row tile: round(0.5) = 0 rows; 3 columns: round(1.5) = 2 columns.
    expect(Array.from(prune(mat(1, 3, [3, 1, 2]), 'bcr:1:3:0.75').data)).toEqual([3, 0, 0]);
  });
});

describe('selection kernel', () => {
  const order = (keys: number[], count: number): number[] => {
    const mark = new Uint8Array(keys.length);
    markSmallest(Float64Array.from(keys), 0, keys.length, count, mark);
    return Array.from(mark);
  };
  const referenceMarks = (keys: number[], count: number): number[] => {
    const mark = new Array<number>(keys.length).fill(0);
    for (const i of referencePruneOrder(keys.map(Math.abs)).slice(0, count)) mark[i] = 1;
    return mark;
  };
  it('marks the same entries as a full sort for every length and count', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(0, 1, -1, 2), fc.double({ min: -5, max: 5, noNaN: true })), { minLength: 1, maxLength: 200 }), fc.nat(), (keys, c) => {
        const count = c % (keys.length + 1);
        expect(order(keys, count)).toEqual(referenceMarks(keys, count));
      }),
      { numRuns: 300 },
    );
  });
  it('handles an all-equal range of histogram size in one cut', () => {
    const keys = new Float64Array(70000).fill(0.125);
    expect(smallestCut(keys, 0, keys.length, 1000)).toEqual({ threshold: 0.125, ties: 1000 });
  });
  it('works on a sub-range with marks at an offset', () => {
    const keys = Float64Array.of(9, 9, 3, 1, 2, 9);
    const mark = new Uint8Array(4);
    markSmallest(keys, 2, 3, 2, mark, 1);
    expect(Array.from(mark)).toEqual([0, 0, 1, 1]);
  });
});

describe('prune spec parsing', () => {
  it('parses every rule and prints it canonically', () => {
    for (const [text, canon] of [
      ['none', 'none'], ['magnitude:0.9', 'magnitude:0.9'], ['magnitude:.5', 'magnitude:0.5'], ['magnitude:1', 'magnitude:1'],
      ['NM:2:04', 'nm:2:4'], ['block:4:8:0.5', 'block:4:8:0.5'], [' bcr:16:16:0.75 ', 'bcr:16:16:0.75'],
    ] as const) {
      expect(formatPruneSpec(parsePruneSpec(text))).toBe(canon);
    }
    expect(parsePruneSpec('block:4:8:0.5')).toEqual({ kind: 'block', bk: 4, bn: 8, sparsity: 0.5 });
  });
  it.each([
    'magnitude', 'magnitude:1.5', 'magnitude:-0.1', 'magnitude:x', 'nm:3:2', 'nm:0:4', 'nm:1:1', 'nm:2.5:4',
    'block:0:4:0.5', 'block:4:4', 'bcr:4:4:2', 'random:0.5', '', 'none:1', 'magnitude:NaN',
  ])('rejects %j with ConfigError BAD_PRUNE_SPEC and the grammar', (text) => {
    let err: unknown;
    try {
      parsePruneSpec(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('BAD_PRUNE_SPEC');
    expect((err as Error).message).toContain('nm:N:m');
  });
  it('validates specs built in code', () => {
    expect(() => prune(mat(1, 1, [1]), { kind: 'nm', n: 5, m: 4 })).toThrow(ConfigError);
  });
});

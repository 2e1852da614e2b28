/** Structures, targets and the ADMM projections: exact sets, exact levels, idempotence. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSparsityTargets, parseStructure, projectPrune, projectQuantize, pruneSpecFor } from '../../../src/compress/structure.js';
import { jacobiSvd } from '../../../src/compress/jacobi-svd.js';
import { rankForTarget } from '../../../src/compress/svd-training.js';

const matrix = (K: number, N: number, seed: number): Float64Array =>
  Float64Array.from({ length: K * N }, (_, i) => Math.sin(seed * 977 + i * 12.9898) * 0.3);

describe('parseStructure / parseSparsityTargets', () => {
  it('reads every structure and refuses bad ones with the grammar', () => {
    expect(parseStructure('irregular')).toEqual({ kind: 'magnitude' });
    expect(parseStructure('NM:2:4')).toEqual({ kind: 'nm', n: 2, m: 4 });
    expect(parseStructure('bcr:4:8')).toEqual({ kind: 'bcr', bk: 4, bn: 8 });
    expect(parseStructure('column')).toEqual({ kind: 'column' });
    expect(() => parseStructure('nm:5:4')).toThrow(/N must be ≤ m/);
    expect(() => parseStructure('block:0:4')).toThrow(/bk must be a whole number ≥ 1/);
    expect(() => parseStructure('svd')).toThrow(/unknown structure.*magnitude \(irregular\)/);
  });

  it('reads one value, per-layer values and both; refuses values outside [0, 1)', () => {
    const t = parseSparsityTargets('0.9, fc3=0.5,conv1=0');
    expect(t.default).toBe(0.9);
    expect([...t.perLayer]).toEqual([['fc3', 0.5], ['conv1', 0]]);
    expect(() => parseSparsityTargets('1')).toThrow(/\[0, 1\)/);
    expect(() => parseSparsityTargets('fc1=1.2')).toThrow(/\[0, 1\)/);
    expect(() => parseSparsityTargets('0.5,0.6')).toThrow(/two default values/);
    expect(() => parseSparsityTargets('fc1=x')).toThrow(/bad sparsity/);
  });

  it('refuses a structure the layer cannot take, naming the layer', () => {
    expect(() => pruneSpecFor({ kind: 'block', bk: 16, bn: 4 }, 0.5, 10, 8, 'fc3')).toThrow(/layer fc3 \(10×8\).*larger than the matrix/);
    expect(() => pruneSpecFor({ kind: 'nm', n: 2, m: 8 }, 0.5, 4, 8, 'c1')).toThrow(/m = 8 is larger than its fan-in K = 4/);
    expect(pruneSpecFor({ kind: 'column' }, 0.5, 10, 8, 'x')).toEqual({ kind: 'block', bk: 10, bn: 1, sparsity: 0.5 });
    expect(pruneSpecFor({ kind: 'magnitude' }, 0, 10, 8, 'x')).toEqual({ kind: 'none' });
  });
});

describe('projections', () => {
  it('nm: every group of m rows keeps ≤ N nonzeros, and those are the largest |w| of the group', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (K, N, seed) => {
      const w = matrix(K, N, seed);
      const p = projectPrune(w, K, N, { kind: 'nm', n: 2, m: 4 });
      for (let j = 0; j < N; j++) {
        for (let g = 0; g < K; g += 4) {
          const idx = Array.from({ length: Math.min(4, K - g) }, (_, i) => j * K + g + i);
          const kept = idx.filter((i) => p[i] !== 0);
          expect(kept.length).toBeLessThanOrEqual(2);
          const minKept = Math.min(...kept.map((i) => Math.abs(w[i]!)));
          for (const i of idx) if (p[i] === 0) expect(Math.abs(w[i]!)).toBeLessThanOrEqual(minKept);
          for (const i of kept) expect(p[i]).toBe(w[i]);
        }
      }
    }), { numRuns: 60 });
  });

  it('bcr: in every tile the pruned rows and columns are entirely zero, the rest untouched', () => {
    const K = 12, N = 8, bk = 4, bn = 4;
    const w = matrix(K, N, 3);
    const p = projectPrune(w, K, N, { kind: 'bcr', bk, bn, sparsity: 0.5 });
    for (let k0 = 0; k0 < K; k0 += bk) {
      for (let j0 = 0; j0 < N; j0 += bn) {
        const zeroRows = [], zeroCols = [];
        for (let kk = 0; kk < bk; kk++) {
          if (Array.from({ length: bn }, (_, jj) => p[(j0 + jj) * K + k0 + kk]).every((v) => v === 0)) zeroRows.push(kk);
        }
        for (let jj = 0; jj < bn; jj++) {
          if (Array.from({ length: bk }, (_, kk) => p[(j0 + jj) * K + k0 + kk]).every((v) => v === 0)) zeroCols.push(jj);
        }
        // p = 1 − √0.5 ≈ 0.293 → round(0.293·4) = 1 row and 1 column per 4×4 tile.
        expect(zeroRows.length).toBe(1);
        expect(zeroCols.length).toBe(1);
        for (let kk = 0; kk < bk; kk++) for (let jj = 0; jj < bn; jj++) {
          const i = (j0 + jj) * K + k0 + kk;
          if (!zeroRows.includes(kk) && !zeroCols.includes(jj)) expect(p[i]).toBe(w[i]);
        }
      }
    }
  });

  it('quantization lands exactly on q·s levels (|q| ≤ Q integer), keeps zeros, and is idempotent', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 0, max: 1e6 }), (K, N, bits, seed) => {
      const w = projectPrune(matrix(K, N, seed), K, N, { kind: 'magnitude', sparsity: 0.5 });
      const q = projectQuantize(w, K, N, bits);
      const Q = 2 ** (bits - 1) - 1;
      for (let j = 0; j < N; j++) {
        let max = 0;
        for (let k = 0; k < K; k++) max = Math.max(max, Math.abs(w[j * K + k]!));
        const s = max === 0 ? 1 : max / Q;
        for (let k = 0; k < K; k++) {
          const v = q[j * K + k]!;
          if (w[j * K + k] === 0) expect(v).toBe(0);
          const level = Math.round(v / s);
          expect(Math.abs(level)).toBeLessThanOrEqual(Q);
          expect(v).toBe(level * s);
        }
      }
      expect(Array.from(projectQuantize(q, K, N, bits))).toEqual(Array.from(q));
      expect(Array.from(projectPrune(projectPrune(w, K, N, { kind: 'block', bk: 2, bn: 2, sparsity: 0.5 }), K, N, { kind: 'block', bk: 2, bn: 2, sparsity: 0.5 })))
        .toEqual(Array.from(projectPrune(w, K, N, { kind: 'block', bk: 2, bn: 2, sparsity: 0.5 })));
    }), { numRuns: 60 });
  });
});

describe('jacobiSvd', () => {
  it('reconstructs random matrices with orthonormal factors and descending singular values', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 1e6 }), (a, b, seed) => {
      const m = Math.max(a, b), n = Math.min(a, b);
      const x = matrix(m, n, seed);
      const { u, s, v } = jacobiSvd(x, m, n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let r = 0; r < n; r++) acc += u[i * n + r]! * s[r]! * v[j * n + r]!;
        expect(acc).toBeCloseTo(x[i * n + j]!, 12);
      }
      for (let r = 1; r < n; r++) expect(s[r]!).toBeLessThanOrEqual(s[r - 1]!);
      for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) {
        let vv = 0;
        for (let i = 0; i < n; i++) vv += v[i * n + p]! * v[i * n + q]!;
        expect(vv).toBeCloseTo(p === q ? 1 : 0, 12);
      }
    }), { numRuns: 40 });
  });

  it('a hand case: diag(3, 4) has singular values 4, 3', () => {
    expect(Array.from(jacobiSvd(Float64Array.of(3, 0, 0, 4), 2, 2).s)).toEqual([4, 3]);
  });

  it('rankForTarget meets r(K + N) ≤ (1 − s)·K·N', () => {
    expect(rankForTarget(784, 300, 0.9)).toBe(21); // 0.1·235200/1084 = 21.7
    expect(rankForTarget(10, 10, 0.99)).toBe(1);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../errors.js';
import { expandPoints } from '../../../src/sweep/grid.js';
import { planSweep } from '../../../src/sweep/runner.js';
import { formatShard, inShard, parseShard } from '../../../src/sweep/shard.js';
import { parseSweepSpec } from '../../../src/sweep/spec.js';

describe('parseShard', () => {
  it('parses i/n with 0-based shard numbers', () => {
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseShard(' 3 / 8 ')).toEqual({ index: 3, count: 8 });
    expect(formatShard(parseShard('3/8'))).toBe('3/8');
  });

  it.each(['4/4', '1/0', '-1/3', 'a/b', '3', '1.5/4', ''])('rejects %j with a ConfigError', (text) => {
    expect(() => parseShard(text)).toThrow(ConfigError);
  });
});

describe('shards', () => {
  it('partition the points: their union is every point, they are disjoint, and sizes differ by at most one', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 17 }), (points, n) => {
      const owners = new Array<number>(points).fill(0);
      const sizes: number[] = [];
      for (let i = 0; i < n; i++) {
        let size = 0;
        for (let p = 0; p < points; p++) if (inShard(p, { index: i, count: n })) { owners[p]!++; size++; }
        sizes.push(size);
      }
      return owners.every((o) => o === 1) && Math.max(...sizes) - Math.min(...sizes) <= 1;
    }));
  });

  it('select the same points from a real spec whatever else the run does', () => {
    const spec = parseSweepSpec({ workload: { file: 'w' }, axes: { format: ['coo', 'rl:4', 'nm:2:4'], weightBits: [2, 4, 8], rows: [64, 128] }, points: [{ format: 'dense' }] }, '/d');
    const all = expandPoints(spec).map((p) => p.id);
    const parts = [0, 1, 2, 3].map((i) => planSweep(spec, { shard: { index: i, count: 4 } }).mine.map((p) => p.id));
    expect(parts.flat().sort()).toEqual([...all].sort());
    expect(parts.map((p) => p.length)).toEqual([5, 5, 5, 4]);
    // Skipping done points changes what is left to run, never which shard a point belongs to.
    const done = new Set(all.slice(0, 6));
    expect(planSweep(spec, { shard: { index: 1, count: 4 }, skipIds: done }).mine.map((p) => p.id)).toEqual(parts[1]);
  });
});

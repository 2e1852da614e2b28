import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../errors.js';
import { expandPoints, gridSize, MAX_POINTS } from '../../../src/sweep/grid.js';
import { pointId } from '../../../src/sweep/point-id.js';
import { parseSweepSpec } from '../../../src/sweep/spec.js';

const spec = (s: object) => parseSweepSpec({ workload: { file: 'w.npy' }, ...s }, '/d');

describe('expandPoints', () => {
  it('sweeps the cartesian product with the first axis slowest', () => {
    const pts = expandPoints(spec({ axes: { format: ['coo', 'rl:4'], weightBits: [4, 8], rows: [128, 256, 512] } }));
    expect(pts).toHaveLength(12);
    expect(pts.slice(0, 4).map((p) => p.point)).toEqual([
      { format: 'coo', weightBits: 4, rows: 128 },
      { format: 'coo', weightBits: 4, rows: 256 },
      { format: 'coo', weightBits: 4, rows: 512 },
      { format: 'coo', weightBits: 8, rows: 128 },
    ]);
    expect(pts[11]!.point).toEqual({ format: 'rl:4', weightBits: 8, rows: 512 });
    expect(pts.map((p) => p.index)).toEqual([...Array(12).keys()]);
  });

  it('gives the minimal spec its 3·2·2·1·2·1·1 = 24 points', () => {
    const s = spec({ axes: { format: ['coo', 'rl:4', 'nm:2:4'], prune: ['magnitude:0.5', 'nm:2:4'], weightBits: [4, 8], inputBits: [8], rows: [128, 256], bitColumns: [256], macros: [1] } });
    expect(gridSize(s)).toBe(24);
    expect(new Set(expandPoints(s).map((p) => p.id)).size).toBe(24);
  });

  it('appends explicit points after the grid, merged over the defaults', () => {
    const pts = expandPoints(spec({ defaults: { weightBits: 8 }, axes: { format: ['coo'] }, points: [{ format: 'dense' }, { format: 'rl:2', weightBits: 4 }] }));
    expect(pts.map((p) => p.point)).toEqual([
      { format: 'coo', weightBits: 8 },
      { format: 'dense', weightBits: 8 },
      { format: 'rl:2', weightBits: 4 },
    ]);
  });

  it('uses explicit points alone when there are no axes', () => {
    expect(expandPoints(spec({ points: [{ format: 'coo' }, { format: 'dense' }] })).map((p) => p.point.format)).toEqual(['coo', 'dense']);
  });

  it('keeps a point that appears twice once, at its first position', () => {
    const pts = expandPoints(spec({ axes: { format: ['coo', 'rl:4', 'coo'], weightBits: [8] }, points: [{ weightBits: 8, format: 'rl:4' }, { format: 'dense' }] }));
    expect(pts.map((p) => p.point.format)).toEqual(['coo', 'rl:4', 'dense']);
    expect(pts.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(pts[1]!.id).toBe(pointId({ format: 'rl:4', weightBits: 8 }));
  });

  it('refuses a design space larger than MAX_POINTS', () => {
    const many = Array.from({ length: 1001 }, (_, i) => i + 1);
    const s = spec({ axes: { format: ['coo'], seed: many, batch: many } });
    expect(gridSize(s)).toBeGreaterThan(MAX_POINTS);
    expect(() => expandPoints(s)).toThrow(ConfigError);
  });
});

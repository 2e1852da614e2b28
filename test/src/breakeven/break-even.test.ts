/** Break-even sparsity (src/breakeven/break-even.ts): the definition, and agreement with `runFile`. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../errors.js';
import { breakEvenFile, breakEvenIndex, type BreakEvenPoint } from '../../../src/breakeven/break-even.js';
import { runFile } from '../../../src/run/run-file.js';
import { isFeasible, type FormatRun } from '../../../src/run/run-layer.js';

const DATA = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'data');
const LAYER = join(DATA, 'mobilenetv1-conv6-pointwise.npy');

const pt = (sparsity: number, energyPj: number | null, storageBits: number | null): BreakEvenPoint => ({ sparsity, energyPj, denseEnergyPj: 100, storageBits, denseStorageBits: 100 });

describe('breakEvenIndex', () => {
  it('is the first point from which the cost stays at or below dense (a later bump above dense moves it)', () => {
    const curve = [pt(0, 150, 150), pt(0.2, 90, 120), pt(0.4, 110, 95), pt(0.6, 80, 90), pt(0.8, 50, 50)];
    expect(breakEvenIndex(curve, 'energy')).toBe(3); // 0.2 is below dense but 0.4 is above again
    expect(breakEvenIndex(curve, 'storage')).toBe(2);
    expect(breakEvenIndex([pt(0, 150, 150), pt(0.5, 120, null)], 'energy')).toBeNull();
    expect(breakEvenIndex([pt(0, 90, 90)], 'energy')).toBe(0);
    expect(breakEvenIndex([pt(0, 90, null)], 'storage')).toBeNull(); // infeasible never holds
  });
});

describe('breakEvenFile', () => {
  const grid = [0, 0.25, 0.5, 0.75, 0.9];
  const { rows, document } = breakEvenFile({ file: LAYER, formats: 'coo,nm:2:4', grid, tolerance: 0.01, batch: 4 });
  const costs = (prune: string, format: string): { f: FormatRun; dense: FormatRun } => {
    const r = runFile({ file: LAYER, prune, formats: ['dense', format], batch: 4, baselines: false, sqnr: false }).runs[0]!;
    return { dense: r.formats[0] as FormatRun, f: r.formats[1] as FormatRun };
  };

  it('reports one row per layer and format, with the scanned curve equal to `imc-sim run` at each point', () => {
    expect(rows.map((r) => r.format)).toEqual(['coo', 'nm:2:4']);
    const coo = rows[0]!;
    expect(coo.curve.map((p) => p.sparsity)).toEqual(grid);
    const at = costs('magnitude:0.75', 'coo');
    expect(coo.curve[3]!.energyPj).toBe(at.f.energy.totalPj);
    expect(coo.curve[3]!.denseEnergyPj).toBe(at.dense.energy.totalPj);
    expect(coo.curve[3]!.storageBits).toBe(at.f.storage.totalBits);
    expect(document['rows']).toBe(rows);
  });

  it('at the reported break-even the format costs no more than dense, a tolerance below it costs more', () => {
    const coo = rows[0]!;
    expect(coo.energySparsity).not.toBeNull();
    const s = coo.energySparsity!;
    const above = costs(`magnitude:${s}`, 'coo');
    expect(above.f.energy.totalPj).toBeLessThanOrEqual(above.dense.energy.totalPj);
    const below = costs(`magnitude:${s - 0.01}`, 'coo');
    expect(below.f.energy.totalPj).toBeGreaterThan(below.dense.energy.totalPj);
    // Storage breaks even earlier than energy here (index bits vs. the per-entry routing energy).
    expect(coo.storageSparsity!).toBeLessThanOrEqual(coo.energySparsity!);
  });

  it('runs an nm format once, at its own N:m structure', () => {
    const nm = rows[1]!;
    expect(nm.structure).toBe('nm:2:4');
    expect(nm.curve).toHaveLength(1);
    expect(nm.curve[0]!.sparsity).toBe(0.5);
    const at = costs('nm:2:4', 'nm:2:4');
    expect(isFeasible(at.f)).toBe(true);
    expect(nm.energySparsity).toBe(at.f.energy.totalPj <= at.dense.energy.totalPj ? 0.5 : null);
  });

  it('refuses a bad structure, grid, tolerance or a list without a compressed format', () => {
    expect(() => breakEvenFile({ file: LAYER, formats: 'coo', structure: 'nm:2:4' })).toThrow(ConfigError);
    expect(() => breakEvenFile({ file: LAYER, formats: 'coo', grid: [0.5, 0.2] })).toThrow(/ascending/);
    expect(() => breakEvenFile({ file: LAYER, formats: 'coo', grid: [0, 1] })).toThrow(/\[0, 1\)/);
    expect(() => breakEvenFile({ file: LAYER, formats: 'coo', tolerance: 0 })).toThrow(/tolerance/);
    expect(() => breakEvenFile({ file: LAYER, formats: 'dense' })).toThrow(/compressed format/);
  });
});

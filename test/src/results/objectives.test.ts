import { describe, expect, it } from 'vitest';
import { KNOWN_OBJECTIVES, objectiveBand, objectiveValue, parseObjectives } from '../../../src/results/objectives.js';
import { ConfigError } from '../../../errors.js';

describe('parseObjectives', () => {
  it('parses a comma list of known names into record paths and directions', () => {
    expect(parseObjectives('energyPj:min, compression:max,sqnrDb:max')).toEqual([
      { name: 'energyPj', path: ['energy', 'totalPj'], direction: 'min' },
      { name: 'compression', path: ['storage', 'compression'], direction: 'max' },
      { name: 'sqnrDb', path: ['metrics', 'sqnrDb'], direction: 'max' },
    ]);
  });

  it('accepts an array of terms and dotted record paths', () => {
    expect(parseObjectives(['energy.breakdownPj.adderTree:min', 'accuracy:max'])).toEqual([
      { name: 'energy.breakdownPj.adderTree', path: ['energy', 'breakdownPj', 'adderTree'], direction: 'min' },
      { name: 'accuracy', path: ['accuracy', 'macro'], direction: 'max' },
    ]);
  });

  it('maps every known name the brief lists to its record path', () => {
    const want: Record<string, string> = {
      energyPj: 'energy.totalPj', compression: 'storage.compression', totalBits: 'storage.totalBits',
      sqnrDb: 'metrics.sqnrDb', topsPerWattDense: 'metrics.topsPerWattDense', topsPerWattEffective: 'metrics.topsPerWattEffective',
      latencyNs: 'timing.latencyNs', cycles: 'timing.cycles', loads: 'mapping.loads', rewrites: 'mapping.rewrites',
      utilization: 'mapping.utilization', accuracy: 'accuracy.macro',
      areaMm2: 'area.totalMm2', topsPerMm2: 'area.topsPerMm2', denseEquivalentMbPerMm2: 'area.denseEquivalentMbPerMm2',
    };
    for (const [name, path] of Object.entries(want)) expect(KNOWN_OBJECTIVES[name]!.path).toBe(path);
  });

  it('uses the usual direction of a known name when the term gives none', () => {
    expect(parseObjectives('energyPj,compression').map((o) => o.direction)).toEqual(['min', 'max']);
  });

  it('rejects an unknown name with a ConfigError listing the known names', () => {
    try {
      parseObjectives('energy:min');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).code).toBe('OBJECTIVE_UNKNOWN');
      expect((e as Error).message).toMatch(/energyPj, compression, totalBits/);
    }
  });

  it('rejects a bad direction, a dotted path without a direction, a repeat and an empty list', () => {
    expect(() => parseObjectives('energyPj:lowest')).toThrow(/direction must be min or max/);
    expect(() => parseObjectives('energy.totalPj')).toThrow(/needs a direction/);
    expect(() => parseObjectives('energyPj:min,energy.totalPj:min')).toThrow(/given twice/);
    expect(() => parseObjectives(' , ')).toThrow(ConfigError);
  });
});

describe('objectiveValue', () => {
  const [energy, adder] = parseObjectives('energyPj:min,energy.breakdownPj.adderTree:min');
  it('reads a nested number and gives NaN for missing, null or non-numeric fields', () => {
    expect(objectiveValue({ energy: { totalPj: 5, breakdownPj: { adderTree: 2 } } }, energy!)).toBe(5);
    expect(objectiveValue({ energy: { totalPj: 5, breakdownPj: { adderTree: 2 } } }, adder!)).toBe(2);
    expect(objectiveValue({ energy: { totalPj: null } }, energy!)).toBeNaN();
    expect(objectiveValue({ energy: 3 }, adder!)).toBeNaN();
    expect(objectiveValue({}, energy!)).toBeNaN();
    expect(objectiveValue({ energy: { totalPj: '5' } }, energy!)).toBeNaN();
  });
});

describe('objectiveBand', () => {
  it('reads the calibration band of energy and area objectives, null for the others or when absent', () => {
    const rec = { energy: { totalPj: 100, bandPj: [40, 250] }, area: { totalMm2: 0.5, bandMm2: [0.28, 0.9] }, storage: { compression: 4 } };
    const [e, a, c] = parseObjectives('energyPj:min,areaMm2:min,compression:max');
    expect(objectiveBand(rec, e!)).toEqual([40, 250]);
    expect(objectiveBand(rec, a!)).toEqual([0.28, 0.9]);
    expect(objectiveBand(rec, c!)).toBeNull();
    expect(objectiveBand({ energy: { totalPj: 1 } }, e!)).toBeNull();
  });
});

/** Supply scaling beyond CV² (macro-sim/voltage.ts) and the one node rule (macro-sim/tech-scaling.ts). */
import { describe, expect, it } from 'vitest';
import { resolveMacroConfig } from '../../macro-sim/config.js';
import { areaAt28, efficiencyAt28, scaleTo28nm } from '../../macro-sim/tech-scaling.js';
import { ALPHA_POWER, ALPHA_VTH_V, leakageScale, maxClockAt, maxClockMHz } from '../../macro-sim/voltage.js';

describe('supply voltage', () => {
  it('leakage scales as (V/0.9)·10^(η(V−0.9)/S): 1 at 0.9 V, 0.334 at 0.6 V, rising above 0.9 V', () => {
    expect(leakageScale(0.9)).toBe(1);
    expect(leakageScale(0.6)).toBeCloseTo((0.6 / 0.9) * 10 ** -0.3, 12);
    expect(leakageScale(1.1)).toBeGreaterThan(1.1 / 0.9);
  });

  it('the alpha-power law returns its anchor, is monotonic in V and gives 0 at or below V_th', () => {
    expect(maxClockAt(0.9, 0.9, 233)).toBeCloseTo(233, 9);
    const g = (v: number): number => (v - ALPHA_VTH_V) ** ALPHA_POWER / v;
    expect(maxClockAt(0.7, 0.9, 233)).toBeCloseTo((233 * g(0.7)) / g(0.9), 9);
    expect(maxClockAt(0.6, 0.9, 233)).toBeLessThan(maxClockAt(0.7, 0.9, 233));
    expect(maxClockAt(ALPHA_VTH_V, 0.9, 233)).toBe(0);
  });

  it('a config reports the highest clock of its preset at its VDD', () => {
    expect(maxClockMHz(resolveMacroConfig({}))).toBeCloseTo(200, 9);
    expect(maxClockMHz(resolveMacroConfig({ vdd: 0.6 }))).toBeCloseTo(maxClockAt(0.6, 0.9, 200), 9);
    expect(maxClockMHz(resolveMacroConfig({ vdd: 0.8 }, 'yan-28nm'))).toBeCloseTo(333, 9);
  });
});

describe('node normalisation (Stillmaker & Baas)', () => {
  it('is the identity at 28 nm and takes efficiency and area the opposite ways of energy', () => {
    expect(scaleTo28nm('energy', 28)).toBeCloseTo(1, 12);
    expect(efficiencyAt28(100, 22)).toBeCloseTo(100 / scaleTo28nm('energy', 22), 12);
    expect(efficiencyAt28(100, 22)).toBeLessThan(100); // a 22 nm figure is worth less at 28 nm
    expect(areaAt28(1, 65)).toBeCloseTo(scaleTo28nm('area', 65), 12);
    expect(areaAt28(1, 65)).toBeLessThan(1);
  });
});

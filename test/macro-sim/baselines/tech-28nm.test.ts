import { describe, expect, it } from 'vitest';
import { addPj, multiplyPj, SCALE_45_TO_28, scaleTo28nm, stillmakerFactor } from '../../../macro-sim/baselines/tech-28nm.js';
import { ConfigError } from '../../../errors.js';

describe('technology normalisation to 28 nm (Stillmaker & Baas 2017)', () => {
  it('reproduces the authors’ corrigendum example: HP 32 nm at 0.9 V is 0.4571, 65 nm at 1.3 V is 2.604, 1 pJ → 0.1755 pJ', () => {
    expect(stillmakerFactor('energy', 32, 0.9)).toBeCloseTo(0.4571, 4);
    expect(stillmakerFactor('energy', 65, 1.3)).toBeCloseTo(2.604, 3);
    expect((stillmakerFactor('energy', 32, 0.9) / stillmakerFactor('energy', 65, 1.3)) * 1).toBeCloseTo(0.1755, 3);
  });

  it('takes 45 nm energy to 28 nm at 0.9 V by 0.3619 / 0.6989 = 0.518, written out', () => {
    const f45 = 1.018 * 0.81 - 0.3107 * 0.9 + 0.1539; // 0.69885
    const f32 = 0.8367 * 0.81 - 0.4341 * 0.9 + 0.1701; // 0.457137
    const f20 = 0.373 * 0.81 - 0.1582 * 0.9 + 0.04104; // 0.20079
    const t = Math.log(32 / 28) / Math.log(32 / 20); // 28 nm between 32 and 20 nm, log-log
    const f28 = Math.exp(Math.log(f32) + t * (Math.log(f20) - Math.log(f32)));
    expect(scaleTo28nm('energy', 45)).toBeCloseTo(f28 / f45, 12);
    expect(SCALE_45_TO_28).toBeCloseTo(0.5178, 4);
    expect(scaleTo28nm('energy', 20)).toBeCloseTo(1.8022, 4);
  });

  it('is 1 at 28 nm and scales area 45 → 28 nm by 0.366, close to the classical (28/45)² = 0.387', () => {
    expect(scaleTo28nm('energy', 28)).toBe(1);
    expect(scaleTo28nm('area', 28)).toBe(1);
    expect(scaleTo28nm('area', 45)).toBeCloseTo(0.3664, 4);
    expect(Math.abs(scaleTo28nm('area', 45) / (28 / 45) ** 2 - 1)).toBeLessThan(0.06);
  });

  it('a node outside 20–65 nm is a ConfigError that names the range', () => {
    expect(() => scaleTo28nm('energy', 7)).toThrow(ConfigError);
    expect(() => scaleTo28nm('energy', 90)).toThrow(/20–65 nm/);
    expect(() => scaleTo28nm('energy', 45, 0)).toThrow(ConfigError);
  });

  it('Horowitz’s 45 nm operations are scaled by the one rule: 8b mult 0.2 × 0.518, 32b add 0.1 × 0.518', () => {
    expect(multiplyPj(8, 8)).toBeCloseTo(0.2 * SCALE_45_TO_28, 12);
    expect(multiplyPj(32, 32) / multiplyPj(8, 8)).toBe(16); // Horowitz: 3.1 / 0.2 = 15.5
    expect(addPj(32)).toBeCloseTo(0.1 * SCALE_45_TO_28, 12);
  });
});

import { ENERGY_BAND_FACTOR } from '../../macro-sim/uncertainty.js';
import { describe, expect, it } from 'vitest';
import { perUnit, sumCosts, type CostPart } from '../../macro-sim/totals.js';

const part = (cycles: number, energyPj: number, macsDense: number, macsEffective: number, breakdownPj: Record<string, number>): CostPart => ({
  timing: { cycles, writeCycles: 1, decodeCycles: 2, fillCycles: 3, computeCycles: cycles - 6 },
  energy: { totalPj: energyPj, breakdownPj },
  metrics: { macsDense, macsEffective },
});

describe('sumCosts and perUnit', () => {
  it('add cycles, energy per component and MACs, and derive latency and TOPS/W from the sums (hand case)', () => {
    const t = sumCosts([part(100, 50, 1000, 100, { a: 20, b: 30 }), part(60, 30, 600, 300, { b: 10, c: 20 })], 200);
    expect(t.timing).toEqual({ cycles: 160, latencyNs: 800, writeCycles: 2, decodeCycles: 4, fillCycles: 6, computeCycles: 148 });
    expect(t.energy).toEqual({ totalPj: 80, breakdownPj: { a: 20, b: 40, c: 20 }, bandPj: [80 / ENERGY_BAND_FACTOR, 80 * ENERGY_BAND_FACTOR] });
    expect(t.metrics).toEqual({ macsDense: 1600, macsEffective: 400, topsPerWattDense: 40, topsPerWattEffective: 10 });
  });

  it('divide every figure by the count once, leaving TOPS/W as it was', () => {
    const total = sumCosts([part(100, 50, 1000, 100, { a: 50 })], 200);
    const one = perUnit(total, 4, 200);
    expect(one.timing).toEqual({ cycles: 25, latencyNs: 125, writeCycles: 0.25, decodeCycles: 0.5, fillCycles: 0.75, computeCycles: 23.5 });
    expect(one.energy).toEqual({ totalPj: 12.5, breakdownPj: { a: 12.5 }, bandPj: [12.5 / ENERGY_BAND_FACTOR, 12.5 * ENERGY_BAND_FACTOR] });
    expect(one.metrics).toEqual({ macsDense: 250, macsEffective: 25, topsPerWattDense: 40, topsPerWattEffective: 4 });
  });

  it('of nothing is zero work for zero energy', () => {
    expect(sumCosts([], 100).metrics).toEqual({ macsDense: 0, macsEffective: 0, topsPerWattDense: 0, topsPerWattEffective: 0 });
  });
});

import { describe, expect, test } from 'vitest';
import { resolveMacroConfig } from '../../macro-sim/config.js';
import { energyOf } from '../../macro-sim/energy.js';
import { zeroEvents } from '../../macro-sim/events.js';
import { efficiencyMetrics, latencyNsOf, sqnrDb, topsPerWatt, utilizationOf } from '../../macro-sim/metrics.js';

describe('energy', () => {
  const events = { ...zeroEvents(), bitcellAnds: 1000, adderTreeFaBits: 2000, adderTreeDataBits: 500, macroWriteBits: 10, outputWriteBits: 64 };

  test('energy is Σ count × per-event energy plus leakage, and the breakdown sums to the total', () => {
    const cfg = resolveMacroConfig({});
    const e = energyOf(events, 100, cfg);
    const t = cfg.energy;
    expect(e.breakdownPj.bitcell).toBeCloseTo((1000 * t.bitcellAndFj) / 1000, 12);
    expect(e.breakdownPj.adderTree).toBeCloseTo((2000 * t.adderTreeFaBitFj) / 1000, 12);
    expect(e.breakdownPj.adderTreeData).toBeCloseTo((500 * t.adderTreeDataBitFj) / 1000, 12);
    expect(e.breakdownPj.adderTreeData).toBeGreaterThan(0);
    expect(e.breakdownPj.macroWrite).toBeCloseTo((10 * t.macroWriteBitFj) / 1000, 12);
    // leakage: µW/Kb × 64 Kb × 1 macro × 100 ns = fJ → / 1000 pJ
    expect(e.breakdownPj.leakage).toBeCloseTo((t.leakageUwPerKb * 64 * 100) / 1000, 12);
    const sum = Object.values(e.breakdownPj).reduce((a, b) => a + b, 0);
    expect(e.totalPj).toBeCloseTo(sum, 12);
  });

  test('dynamic energy scales with vdd² and leakage with V · 10^(η·ΔV / S) (DIBL)', () => {
    const at09 = energyOf(events, 100, resolveMacroConfig({}));
    const at06 = energyOf(events, 100, resolveMacroConfig({ vdd: 0.6 }));
    expect(at06.breakdownPj.bitcell! / at09.breakdownPj.bitcell!).toBeCloseTo((0.6 / 0.9) ** 2, 12);
    // η = 0.1, S = 0.1 V/decade: (0.6 / 0.9) · 10^(0.1 · (−0.3) / 0.1) = 0.6667 · 0.5012 = 0.3341
    expect(at06.breakdownPj.leakage! / at09.breakdownPj.leakage!).toBeCloseTo((0.6 / 0.9) * 10 ** -0.3, 12);
  });

  test('every breakdown component name of the contract is present', () => {
    expect(Object.keys(energyOf(events, 1, resolveMacroConfig({})).breakdownPj).sort()).toEqual(
      ['adderTree', 'adderTreeData', 'bitcell', 'bufferRead', 'inputBuffer', 'inputRouting', 'leakage', 'macroWrite', 'outputWrite', 'partialSum', 'rlDecode', 'shiftAccumulate'].sort(),
    );
  });
});

describe('metrics (MODEL §7)', () => {
  test('macs and TOPS/W follow the exact definitions', () => {
    // K = 256, N = 32, nnz = 1000, B = 64, energy 1e6 pJ
    expect(efficiencyMetrics(256, 32, 1000, 64, 1e6)).toEqual({
      macsDense: 256 * 32 * 64,
      macsEffective: 64000,
      topsPerWattDense: (2 * 256 * 32 * 64) / 1e6,
      topsPerWattEffective: (2 * 64000) / 1e6,
    });
  });

  test('latencyNs = cycles · 1000 / clockMHz', () => {
    expect(latencyNsOf(14, 200)).toBe(70);
  });

  test('sqnrDb = 10 log10(Σ ref² / Σ (ref − ŷ)²)', () => {
    expect(sqnrDb(new Float64Array([3, 4]), new Float64Array([3, 4.1]))).toBeCloseTo(10 * Math.log10(25 / 0.01), 6);
    expect(sqnrDb(new Float64Array([1, 2]), new Float64Array([1, 2]))).toBe(Infinity);
  });

  test('utilization = valid / (loads · L · R)', () => {
    expect(utilizationOf(12, 1, 4, 4)).toBe(0.75);
    expect(utilizationOf(0, 0, 4, 4)).toBe(0);
  });
});

describe('topsPerWatt', () => {
  test('is 2·MACs/energy, Infinity for work at no energy, and 0 for no work', () => {
    expect(topsPerWatt(1000, 100)).toBe(20);
    expect(topsPerWatt(1000, 0)).toBe(Infinity);
    expect(topsPerWatt(0, 0)).toBe(0);
    expect(topsPerWatt(0, 5)).toBe(0);
  });
});

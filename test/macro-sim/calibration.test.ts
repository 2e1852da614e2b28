import { describe, expect, test } from 'vitest';
import { calibrate, calibrationRun, fitAdderTreeEnergy } from '../../macro-sim/calibration.js';
import { CALIBRATED_ADDER_TREE_FA_BIT_FJ, GATE_28NM } from '../../macro-sim/energy-table.js';

describe('calibration against published 28 nm digital IMC macros', () => {
  const rows = calibrate();

  test('every calibration preset (ReDCIM, Yan) lands within ±30 % of its published TOPS/W', () => {
    const cal = rows.filter((r) => r.role === 'calibration');
    expect(cal.map((r) => r.preset).sort()).toEqual(['redcim-28nm', 'yan-28nm']);
    for (const r of cal) expect(Math.abs(r.errorPct)).toBeLessThanOrEqual(30);
  });

  test('validation presets (Guo, Yue) are reported with finite errors', () => {
    const val = rows.filter((r) => r.role === 'validation');
    expect(val.map((r) => r.preset).sort()).toEqual(['guo-28nm', 'yue-28nm']);
    for (const r of val) expect(Number.isFinite(r.errorPct)).toBe(true);
  });

  test('the stored adder-tree constant is the result of the fit (3 significant digits)', () => {
    const fit = fitAdderTreeEnergy();
    expect(Math.abs(fit.adderTreeFaBitFj / CALIBRATED_ADDER_TREE_FA_BIT_FJ - 1)).toBeLessThan(0.005);
    expect(fit.worstErrorPct).toBeLessThanOrEqual(30);
  });

  test('gate-level full adders alone (3.4 fJ) would land far below the published TOPS/W', () => {
    const gate = calibrate({ overrides: { energy: { adderTreeFaBitFj: GATE_28NM.fullAdderFj } } });
    for (const r of gate.filter((x) => x.role === 'calibration')) expect(r.errorPct).toBeLessThan(-60);
  });

  test('the calibration run is dense, fully resident and data-dependent', () => {
    const r = calibrationRun('yan-28nm');
    expect(r.mapping.rewrites).toBe(0);
    expect(r.events.macroWriteBits).toBe(0);
    expect(r.mapping.utilization).toBe(1);
    // 50 % zero inputs: the ANDs with a 1 input bit are far fewer than b_w · b_x · MACs
    expect(r.events.bitcellAnds).toBeLessThan(8 * 8 * r.metrics.macsDense * 0.4);
  });
});

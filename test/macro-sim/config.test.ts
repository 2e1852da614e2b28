import { describe, expect, it, test } from 'vitest';
import { ConfigError } from '../../errors.js';
import { deriveMacroConfig, parseMacroConfigText, resolveMacroConfig } from '../../macro-sim/config.js';
import { DEFAULT_ENERGY_TABLE } from '../../macro-sim/energy-table.js';
import { CALIBRATION_POINTS } from '../../macro-sim/calibration-points.js';
import { PRESETS } from '../../macro-sim/presets.js';

function problemsOf(raw: unknown, base?: string): string {
  try {
    resolveMacroConfig(raw, base);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe('BAD_MACRO_CONFIG');
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveMacroConfig', () => {
  test('an empty config gives the frozen sp-imc-28nm defaults of MODEL §5', () => {
    const c = resolveMacroConfig({});
    expect(c).toMatchObject({
      preset: 'sp-imc-28nm', rows: 256, bitColumns: 256, macros: 1, inputBits: 8, signedInputs: false,
      clockMHz: 200, vdd: 0.9, techNm: 28, writeRowsPerCycle: 1, writeBusBits: 256, overlapWrites: false,
      weightsResident: true, skipZeroBitPlanes: true, accumulatorBits: 32,
    });
    expect(c.energy).toEqual(DEFAULT_ENERGY_TABLE);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.energy)).toBe(true);
  });

  test('every bad field is reported at once in one ConfigError', () => {
    const msg = problemsOf({ rows: 1, vdd: 3, macros: 0, signedInputs: 'yes', foo: 1, energy: { bitcellAndFj: -1, nope: 2 } });
    expect(msg).toContain('macro.rows must be an integer in [2, 65536]; got 1');
    expect(msg).toContain('macro.vdd must be in [0.5, 1.2] V; got 3');
    expect(msg).toContain('macro.macros must be an integer in [1, 1000000]; got 0');
    expect(msg).toContain("macro.signedInputs must be true or false; got 'yes'");
    expect(msg).toContain('macro.foo is not a known parameter');
    expect(msg).toContain('macro.energy.bitcellAndFj must be ≥ 0 fJ; got -1');
    expect(msg).toContain('macro.energy.nope is not a known parameter');
    expect(msg.split('; macro.').length).toBe(7);
  });

  test('unit strings are converted once with mathjs units', () => {
    const c = resolveMacroConfig({ clockMHz: '1.2 GHz', vdd: '800 mV', energy: { bitcellAndFj: '0.3 pJ', leakageUwPerKb: '2 µW' } });
    expect(c.clockMHz).toBeCloseTo(1200, 9);
    expect(c.vdd).toBeCloseTo(0.8, 12);
    expect(c.energy.bitcellAndFj).toBeCloseTo(300, 9);
    expect(c.energy.leakageUwPerKb).toBeCloseTo(2, 12);
  });

  test('a unit of the wrong dimension is a problem naming the field and the unit', () => {
    expect(problemsOf({ clockMHz: '3 V' })).toBe("macro.clockMHz '3 V' is not convertible to MHz");
  });

  test('numeric strings are accepted for unitless fields', () => {
    expect(resolveMacroConfig({ rows: '128', overlapWrites: 'true' })).toMatchObject({ rows: 128, overlapWrites: true });
  });

  test('a preset supplies the defaults and explicit fields override it', () => {
    const yan = resolveMacroConfig({}, 'yan-28nm');
    expect(yan).toMatchObject({ preset: 'yan-28nm', rows: 32, bitColumns: 32, macros: 2, weightSets: 16, clockMHz: 333, writeBusBits: 32 });
    const c = resolveMacroConfig({ preset: 'redcim-28nm', clockMHz: 100 });
    expect(c).toMatchObject({ preset: 'redcim-28nm', rows: 32, bitColumns: 48, macros: 64, clockMHz: 100 });
  });

  test('an unknown preset lists the valid names', () => {
    expect(problemsOf({ preset: 'tpu' })).toContain('macro.preset must be one of sp-imc-28nm, redcim-28nm, yan-28nm, guo-28nm, yue-28nm, chih-22nm, metis-12nm');
  });

  test('every published-macro preset carries its source, node and array, and has calibration points', () => {
    for (const name of ['redcim-28nm', 'yan-28nm', 'guo-28nm', 'yue-28nm', 'chih-22nm', 'metis-12nm'] as const) {
      const p = PRESETS[name];
      expect(p.source.length).toBeGreaterThan(20);
      expect(p.publishedArray).toBeDefined();
      expect(p.nodeNm).toBeGreaterThan(0);
      expect(CALIBRATION_POINTS.some((q) => q.macro === name)).toBe(true);
      expect(resolveMacroConfig({}, name).rows).toBe(p.params.rows);
    }
  });

  test('cross-field problems are reported too', () => {
    const msg = problemsOf({ rows: 4, writeRowsPerCycle: 8, signedInputs: true, inputBits: 1 });
    expect(msg).toContain('macro.writeRowsPerCycle must be ≤ macro.rows (4); got 8');
    expect(msg).toContain('macro.inputBits must be ≥ 2 with signedInputs');
  });

  test('techNm other than 28 is refused because only 28 nm constants are cited', () => {
    expect(problemsOf({ techNm: 22 })).toContain('macro.techNm must be 28');
  });
});

describe('parseMacroConfigText', () => {
  test('YAML with a top-level macro section is unwrapped and resolves', () => {
    const raw = parseMacroConfigText('macro:\n  rows: 128\n  clockMHz: "250 MHz"\n  energy:\n    macroWriteBitFj: 60 fJ\n', 'yaml');
    const c = resolveMacroConfig(raw);
    expect(c.rows).toBe(128);
    expect(c.clockMHz).toBeCloseTo(250, 9);
    expect(c.energy.macroWriteBitFj).toBeCloseTo(60, 9);
  });

  test('JSON parses as is', () => {
    expect(resolveMacroConfig(parseMacroConfigText('{"macros": 4}', 'json')).macros).toBe(4);
  });

  test('a syntax error is a ConfigError BAD_CONFIG_SYNTAX', () => {
    expect(() => parseMacroConfigText('{"rows": ', 'json')).toThrow(expect.objectContaining({ code: 'BAD_CONFIG_SYNTAX' }));
  });
});

describe('deriveMacroConfig', () => {
  it('changes the given parameters of a resolved config and keeps everything else, energy table included', () => {
    const base = resolveMacroConfig({ rows: 128, energy: { bitcellAndFj: 0.5 } }, 'yan-28nm');
    const d = deriveMacroConfig(base, { inputBits: 4, signedInputs: true });
    expect(d).toEqual({ ...base, inputBits: 4, signedInputs: true });
    expect(Object.isFrozen(d)).toBe(true);
    expect(deriveMacroConfig(base, {})).toEqual(base);
  });

  it('validates the result like any config', () => {
    const base = resolveMacroConfig({});
    expect(() => deriveMacroConfig(base, { inputBits: 1, signedInputs: true })).toThrow(/macro\.inputBits must be ≥ 2 with signedInputs/);
    expect(() => deriveMacroConfig(base, { rows: 0 })).toThrow(ConfigError);
  });
});

import { describe, expect, it } from 'vitest';
import { macroValueProblem, resolveMacroConfig } from '../../macro-sim/config.js';
import { MACRO_KEYS, MACRO_PARAMS, paramProblem } from '../../macro-sim/params.js';

describe('the macro parameter table', () => {
  it('lists exactly the scalar keys of a resolved config, in its order', () => {
    const keys = Object.keys(resolveMacroConfig({})).filter((k) => k !== 'preset' && k !== 'energy' && k !== 'area');
    expect(MACRO_KEYS).toEqual(keys);
  });

  it("gives each parameter's default to a config that sets nothing (the default preset sets the same values)", () => {
    const c = resolveMacroConfig({}) as unknown as Record<string, unknown>;
    for (const p of MACRO_PARAMS) expect(c[p.key], p.key).toBe(p.default === 'bitColumns' ? c.bitColumns : p.default);
  });

  it('gives every parameter one distinct flag and a help line', () => {
    expect(new Set(MACRO_PARAMS.map((p) => p.flag)).size).toBe(MACRO_PARAMS.length);
    for (const p of MACRO_PARAMS) expect(p.help.length, p.key).toBeGreaterThan(10);
  });

  it('accepts the bounds of every numeric range and refuses just outside them, as resolveMacroConfig does', () => {
    for (const p of MACRO_PARAMS) {
      if (p.kind === 'boolean') {
        expect(paramProblem(p, true)).toBeNull();
        expect(paramProblem(p, 'yes')).toBe("must be true or false; got 'yes'");
        continue;
      }
      const inside = p.kind === 'number' && p.openMin ? [p.min + 1e-9, p.max] : [p.min, p.max];
      const outside = p.kind === 'number' ? [p.openMin ? p.min : p.min - 1e-9, p.max + 1e-9] : [p.min - 1, p.max + 1, p.min + 0.5];
      for (const v of inside) {
        expect(paramProblem(p, v), `${p.key} = ${v}`).toBeNull();
        expect(() => resolveMacroConfig({ [p.key]: v, ...(p.key === 'writeRowsPerCycle' ? { rows: 65536 } : {}) }), `${p.key} = ${v}`).not.toThrow();
      }
      for (const v of outside) {
        expect(paramProblem(p, v), `${p.key} = ${v}`).not.toBeNull();
        expect(() => resolveMacroConfig({ [p.key]: v }), `${p.key} = ${v}`).toThrow(`macro.${p.key} ${paramProblem(p, v)}`);
      }
    }
  });

  it('reads unit strings and numeric strings as a config file does', () => {
    expect(macroValueProblem('clockMHz', '1 GHz')).toBeNull();
    expect(macroValueProblem('vdd', '800 mV')).toBeNull();
    expect(macroValueProblem('rows', '128')).toBeNull();
    expect(macroValueProblem('overlapWrites', 'true')).toBeNull();
    expect(macroValueProblem('vdd', 5)).toBe('must be in [0.5, 1.2] V; got 5');
    expect(macroValueProblem('clockMHz', '5 kg')).toMatch(/not convertible to MHz/);
  });
});

import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { MACRO_PARAMS } from '../../../macro-sim/params.js';
import { addMacroFlags, macroFlagValues } from '../../../src/cli/flags.js';

describe('the macro flags', () => {
  it('carry every parameter of the table to the config: each flag set on the command line arrives under its parameter name', () => {
    const cmd = new Command('run').exitOverride();
    addMacroFlags(cmd);
    const argv = MACRO_PARAMS.flatMap((p) => (p.kind === 'boolean' ? [`--no-${p.flag}`] : [`--${p.flag}`, `v-${p.key}`]));
    cmd.parse(argv, { from: 'user' });
    const want = Object.fromEntries(MACRO_PARAMS.map((p) => [p.key, p.kind === 'boolean' ? false : `v-${p.key}`]));
    expect(macroFlagValues(cmd.opts())).toEqual(want);
  });

  it('leave a parameter out when its flag is not given, so the preset or file decides', () => {
    const cmd = new Command('run').exitOverride();
    addMacroFlags(cmd);
    cmd.parse(['--clock-mhz', '1 GHz', '--overlap-writes'], { from: 'user' });
    expect(macroFlagValues(cmd.opts())).toEqual({ clockMHz: '1 GHz', overlapWrites: true });
  });

  it('can be limited to some parameters (encode takes only --rows)', () => {
    const cmd = new Command('encode').exitOverride().configureOutput({ writeErr: () => {} });
    addMacroFlags(cmd, ['rows']);
    expect(() => cmd.parse(['--vdd', '0.8'], { from: 'user' })).toThrow(/unknown option '--vdd'/);
  });
});

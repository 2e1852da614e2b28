/**
 * The macro flags shared by `run` and `eval`: `--macro FILE|PRESET` and one flag per MODEL §5
 * parameter. Values stay strings here; `resolveMacroConfig` converts and validates them all at once
 * (so `--clock-mhz "1 GHz"` works and every bad flag is reported together).
 */
import type { Command } from 'commander';
import { PRESETS } from '../../macro-sim/presets.js';

const FLAGS: Array<[flag: string, key: string, help: string]> = [
  ['--rows <R>', 'rows', 'macro rows R (= segment capacity)'],
  ['--bit-columns <C>', 'bitColumns', 'macro bit-columns C'],
  ['--macros <M>', 'macros', 'number of macros M'],
  ['--input-bits <b>', 'inputBits', 'input precision b_x (bit-serial)'],
  ['--clock-mhz <f>', 'clockMHz', 'clock (number in MHz or a unit string, e.g. "1 GHz")'],
  ['--vdd <v>', 'vdd', 'supply voltage (V); energies scale with vdd²'],
  ['--write-rows-per-cycle <n>', 'writeRowsPerCycle', 'rows written per cycle during a load'],
  ['--write-bus-bits <n>', 'writeBusBits', 'weight-write bus width in bits'],
  ['--accumulator-bits <n>', 'accumulatorBits', 'partial-sum/output register width (overflow is an error)'],
];

const BOOLS: Array<[name: string, key: string, help: string]> = [
  ['overlap-writes', 'overlapWrites', 'ping-pong: hide the next load\'s write behind compute'],
  ['weights-resident', 'weightsResident', 'weights pre-loaded: no write cost when everything fits'],
  ['skip-zero-bit-planes', 'skipZeroBitPlanes', 'skip all-zero input bit-planes'],
];

/** Add the macro flags to a command. */
export function addMacroOptions(cmd: Command): Command {
  cmd.option('--macro <file|preset>', `macro config file (JSON/YAML) or preset: ${Object.keys(PRESETS).join(', ')}`);
  for (const [flag, , help] of FLAGS) cmd.option(flag, help);
  for (const [name, , help] of BOOLS) {
    cmd.option(`--${name}`, help);
    cmd.option(`--no-${name}`, `disable --${name}`);
  }
  cmd.option('--signed-inputs', 'inputs are signed (two\'s complement, MSB plane weighted negatively)');
  return cmd;
}

/** The macro overrides the user actually gave (undefined = preset/file default). */
export function macroOverrides(opts: Record<string, unknown>, argv: readonly string[] = process.argv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [, key] of FLAGS) if (opts[key] !== undefined) out[key] = opts[key];
  // commander sets both --x and --no-x defaults; only a flag present on the command line overrides.
  for (const [name, key] of BOOLS) {
    if (argv.includes(`--${name}`)) out[key] = true;
    else if (argv.includes(`--no-${name}`)) out[key] = false;
  }
  if (opts.signedInputs) out.signedInputs = true;
  return out;
}

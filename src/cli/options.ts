/**
 * Options shared by the commands that prepare weights (`encode`, `run`, `eval`), so that every
 * command spells them the same way, plus strict number parsing (commander hands us strings).
 */
import { Command, Option } from 'commander';
import { ConfigError } from '../../formats/errors.js';

/** Parse an integer option; `name` is the flag as the user typed it. */
export function parseIntOption(name: string, value: string): number {
  if (!/^[-+]?\d+$/.test(value.trim())) throw new ConfigError('BAD_OPTION', `${name} must be an integer; got '${value}'`);
  return Number(value);
}

/** Parse a finite number option. */
export function parseNumberOption(name: string, value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new ConfigError('BAD_OPTION', `${name} must be a number; got '${value}'`);
  return x;
}

/** The weight-preparation flags: --array --layout --prune --weight-bits --granularity. */
export function addPrepOptions(cmd: Command, opts: { weightBitsRequired: boolean }): Command {
  cmd
    .option('--array <name>', 'array to use from a model file (default: every array of rank ≥ 2)')
    .addOption(new Option('--layout <layout>', 'tensor layout → [K, N] (MODEL §1); default by rank: 2-D oi, 3-D oiw, 4-D oihw').choices(['oi', 'io', 'oihw', 'hwio', 'oiw']))
    .option('--prune <spec>', 'pruning before quantization: none | magnitude:s | nm:N:m | block:bk:bn:s | bcr:bk:bn:s', 'none')
    .addOption(new Option('--granularity <g>', 'weight scale group').choices(['per-column', 'per-tensor']).default('per-column'));
  if (opts.weightBitsRequired) cmd.requiredOption('--weight-bits <bits>', 'weight precision b_w, 2..16');
  else cmd.option('--weight-bits <bits>', 'weight precision b_w, 2..16', '8');
  return cmd;
}

/** The raw strings commander collects for the prep options. */
export interface PrepFlags {
  array?: string;
  layout?: string;
  prune: string;
  granularity: 'per-column' | 'per-tensor';
  weightBits: string;
}

/**
 * The flags commands share, defined once: weight preparation, the macro (generated from the
 * parameter table, macro-sim/params.ts), inputs; and the zod schemas that turn commander's strings
 * into the typed options of the library calls (`runFile`, `evalFile`, `encodeFile`), reporting
 * every bad flag at once in one ConfigError.
 */
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { ConfigError } from '../../errors.js';
import { FORMAT_GRAMMAR } from '../../formats/spec.js';
import { MACRO_PARAMS, type MacroParamKey } from '../../macro-sim/params.js';
import { PRESET_LIST, type MacroOverrides } from '../io/macro-file.js';
import { LAYOUTS } from '../prep/layout.js';
import { PRUNE_GRAMMAR } from '../prep/prune.js';

/** An integer flag: commander hands over a string. */
export const intFlag = (flag: string) =>
  z.string().transform((v, ctx) => {
    if (!/^[-+]?\d+$/.test(v.trim())) {
      ctx.addIssue({ code: 'custom', message: `${flag} must be an integer; got '${v}'` });
      return z.NEVER;
    }
    return Number(v);
  });

/** A finite number flag. */
export const numberFlag = (flag: string) =>
  z.string().transform((v, ctx) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) {
      ctx.addIssue({ code: 'custom', message: `${flag} must be a number; got '${v}'` });
      return z.NEVER;
    }
    return x;
  });

/** The schema of the weight-preparation flags (`--array --layout --prune --weight-bits --granularity`). */
export const weightFlags = {
  array: z.string().optional(),
  layout: z.string().optional(),
  prune: z.string().optional(),
  weightBits: intFlag('--weight-bits'),
  granularity: z.enum(['per-column', 'per-tensor']),
};

/** The schema of the input flags (`--inputs --inputs-array --batch --seed --zero-fraction`). */
export const inputFlags = {
  inputs: z.string().optional(),
  inputsArray: z.string().optional(),
  batch: intFlag('--batch').optional(),
  seed: intFlag('--seed').optional(),
  zeroFraction: numberFlag('--zero-fraction').optional(),
};

/**
 * Parse commander's option values with `shape`; every problem at once in one ConfigError
 * (`BAD_OPTION`). Keys outside `shape` (the macro flags) are kept as they are.
 */
export function parseFlags<S extends z.ZodRawShape>(shape: S, values: Record<string, unknown>): z.infer<z.ZodObject<S>> {
  const r = z.looseObject(shape).safeParse(values);
  if (!r.success) throw new ConfigError('BAD_OPTION', r.error.issues.map((i) => i.message).join('; '));
  return r.data as z.infer<z.ZodObject<S>>;
}

/** Add `--array --layout --prune --weight-bits --granularity` (which flags: `which`). */
export function addWeightFlags(cmd: Command, which: { array: boolean; layout: boolean; weightBitsRequired: boolean }): Command {
  if (which.array) cmd.option('--array <name>', 'array to use from a model file (default: every array of rank ≥ 2)');
  if (which.layout) cmd.option('--layout <layout>', `tensor layout → [K, N] (MODEL §1): ${LAYOUTS.join(' | ')}, or one per rank for a model file (hwio,io); default by rank: 2-D oi, 3-D oiw, 4-D oihw`);
  cmd.option('--prune <spec>', `pruning before quantization: ${PRUNE_GRAMMAR}`);
  if (which.weightBitsRequired) cmd.requiredOption('--weight-bits <bits>', 'weight precision b_w, 2..16');
  else cmd.option('--weight-bits <bits>', 'weight precision b_w, 2..16', '8');
  cmd.addOption(new Option('--granularity <g>', 'weight scale group').choices(['per-column', 'per-tensor']).default('per-column'));
  return cmd;
}

/** Add `--format` (required, or with a default). */
export function addFormatFlag(cmd: Command, defaultFormats?: string): Command {
  const help = `format(s), comma-separated: ${FORMAT_GRAMMAR}`;
  return defaultFormats === undefined ? cmd.requiredOption('--format <specs>', help) : cmd.option('--format <specs>', help, defaultFormats);
}

/** Add `--inputs --inputs-array --batch --seed --zero-fraction`. */
export function addInputFlags(cmd: Command): Command {
  return cmd
    .option('--inputs <x.npy>', 'activations [B, K] (or [B, ...] flattening to K, e.g. images; quantized per MODEL §2); default: seeded random integers')
    .option('--inputs-array <name>', 'array to use when --inputs is an .npz')
    .option('--batch <B>', 'input vectors (random inputs: default 16; --inputs: first B rows)')
    .option('--seed <S>', 'seed of the random inputs (default 1)')
    .option('--zero-fraction <f>', 'fraction of zeros in random inputs (default 0.5)');
}

/**
 * Add `--macro FILE|PRESET` and one flag per macro parameter in `keys` (all by default), from the
 * parameter table. Values stay strings: `loadMacroConfig` converts and validates them all at once
 * (so `--clock-mhz "1 GHz"` works and every bad flag is reported together).
 */
export function addMacroFlags(cmd: Command, keys: readonly MacroParamKey[] = MACRO_PARAMS.map((p) => p.key)): Command {
  cmd.option('--macro <file|preset>', `macro config file (JSON/YAML) or preset: ${PRESET_LIST}`);
  for (const p of MACRO_PARAMS) {
    if (!keys.includes(p.key)) continue;
    // Defaults come from the preset (--macro), else from the table.
    const def = typeof p.default === 'string' ? '' : ` (default ${p.default}${p.kind === 'number' ? ` ${p.unit}` : ''}, or the preset's)`;
    if (p.kind === 'boolean') {
      cmd.option(`--${p.flag}`, `${p.help}${def}`);
      cmd.option(`--no-${p.flag}`, `disable --${p.flag}`);
    } else {
      cmd.option(`--${p.flag} ${p.arg}`, `${p.help}${def}`);
    }
  }
  return cmd;
}

/**
 * The macro parameters the user set by flag (commander leaves the others undefined). Read under
 * commander's own attribute name of each flag (`--clock-mhz` → `clockMhz`), which need not be the
 * parameter's name (`clockMHz`).
 */
export function macroFlagValues(opts: Record<string, unknown>): MacroOverrides {
  const out: Record<string, unknown> = {};
  for (const p of MACRO_PARAMS) {
    const v = opts[new Option(`--${p.flag}`).attributeName()];
    if (v !== undefined) out[p.key] = v;
  }
  return out;
}

/**
 * The one route from the outside world to a {@link MacroConfig}: `--macro FILE|PRESET` (or a sweep
 * point's `macro`) plus individual parameters (CLI flags, sweep axes, library options), validated
 * once by `resolveMacroConfig`, which reports every problem at once. Every command uses it.
 */
import * as path from 'node:path';
import { InputError } from '../../errors.js';
import { deriveMacroConfig, parseMacroConfigText, resolveMacroConfig, type MacroConfig } from '../../macro-sim/config.js';
import type { MacroParamKey } from '../../macro-sim/params.js';
import { isPresetName, PRESETS } from '../../macro-sim/presets.js';
import { readTextFile } from './text-file.js';

/** Macro parameters as given (numbers, booleans or strings such as `"1 GHz"`); undefined = not given. */
export type MacroOverrides = Readonly<Partial<Record<MacroParamKey, unknown>>>;

/** Where a macro comes from: a resolved config, a preset name, or a JSON/YAML file; default the default preset. */
export type MacroSource = MacroConfig | string | undefined;

/** The preset names, for help texts and messages. */
export const PRESET_LIST = Object.keys(PRESETS).join(', ');

/**
 * Resolve a macro config: `source` is a resolved config, a preset name (`sp-imc-28nm`, …) or a path
 * to a JSON/YAML file (which may itself name a `preset`); `overrides` win over it.
 *
 * @throws InputError `MACRO_FILE` when `source` is neither a preset nor a readable file; ConfigError
 *   (`BAD_CONFIG_SYNTAX`, `BAD_MACRO_CONFIG`) for what the file or the overrides say.
 * @example loadMacroConfig('yan-28nm', { macros: 4 }).rows // 32
 */
export function loadMacroConfig(source: MacroSource, overrides: MacroOverrides = {}): MacroConfig {
  const given: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) given[k] = v;
  if (typeof source === 'object') return deriveMacroConfig(source, given);
  let raw: Record<string, unknown> = {};
  if (source !== undefined && isPresetName(source)) raw = { preset: source };
  else if (source !== undefined) {
    let text: string;
    try {
      text = readTextFile(source, 'macro config');
    } catch (e) {
      const why = (e as InputError).code === 'IO_NOT_FOUND' ? 'no such file' : 'cannot be read';
      throw new InputError('MACRO_FILE', `--macro ${source}: not a preset (${PRESET_LIST}) and ${why}; give a preset name or a JSON/YAML file`);
    }
    const parsed = parseMacroConfigText(text, path.extname(source).toLowerCase() === '.json' ? 'json' : 'yaml');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InputError('MACRO_FILE', `--macro ${source}: must hold an object of macro parameters`);
    }
    raw = { ...(parsed as Record<string, unknown>) };
  }
  return resolveMacroConfig({ ...raw, ...given });
}

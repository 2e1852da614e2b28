/**
 * Macro configuration from the outside world: `--macro FILE|PRESET` plus individual overrides
 * (CLI flags, sweep axes), validated once by `resolveMacroConfig` (every problem at once).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../formats/errors.js';
import { MACRO_KEYS, parseMacroConfigText, resolveMacroConfig, type MacroConfig } from '../../macro-sim/config.js';
import { isPresetName } from '../../macro-sim/presets.js';

/**
 * Resolve a macro config. `macro` is a preset name (`sp-imc-28nm`, `redcim-28nm`, …) or a path to a
 * JSON/YAML file (which may itself name a `preset`); `overrides` win over both.
 */
export function loadMacroConfig(macro: string | undefined, overrides: Record<string, unknown> = {}): MacroConfig {
  let raw: Record<string, unknown> = {};
  if (macro !== undefined && isPresetName(macro)) raw = { preset: macro };
  else if (macro !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(macro, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError('MACRO_FILE', `--macro ${macro}: not a preset and ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`}; give a preset name or a JSON/YAML file`);
    }
    const ext = path.extname(macro).toLowerCase();
    const parsed = parseMacroConfigText(text, ext === '.json' ? 'json' : 'yaml');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InputError('MACRO_FILE', `--macro ${macro}: must hold an object of macro parameters`);
    }
    raw = { ...(parsed as Record<string, unknown>) };
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return resolveMacroConfig({ ...raw, ...defined });
}

/** The macro parameters (MODEL §5 names) set in `values`, e.g. a sweep point: the overrides for {@link loadMacroConfig}. */
export function macroOverridesOf(values: Readonly<Partial<Record<(typeof MACRO_KEYS)[number], unknown>>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of MACRO_KEYS) if (values[k] !== undefined) out[k] = values[k];
  return out;
}

/** A config as plain JSON (for reports): every parameter and the energy table. */
export function macroConfigJson(c: MacroConfig): Record<string, unknown> {
  return { ...c, energy: { ...c.energy } };
}

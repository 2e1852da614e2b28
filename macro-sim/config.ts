/**
 * The macro configuration (MODEL §5 parameters): validation, defaults, unit strings, presets, and
 * JSON / YAML parsing. One validator collects every problem and throws them together in one
 * ConfigError; the result is a frozen, fully defaulted object shared by the CLI and the library.
 */
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import { DEFAULT_ENERGY_TABLE, ENERGY_KEYS, energyKeyUnit, type EnergyTable } from './energy-table.js';
import { AREA_KEYS, DEFAULT_AREA_TABLE, type AreaTable } from './area-table.js';
import { isMacroParamKey, MACRO_KEYS, MACRO_PARAMS, macroParam, paramProblem, type MacroParam, type MacroParamKey, type MacroParams } from './params.js';
import { DEFAULT_PRESET, PRESETS, isPresetName, type PresetName } from './presets.js';
import { toUnitNumber } from './units.js';

/** A fully resolved macro configuration: every MODEL §5 parameter (./params.ts), its preset and energy table. */
export interface MacroConfig extends MacroParams {
  /** The preset the defaults came from. */
  readonly preset: PresetName;
  /** Per-event energies (fJ at 0.9 V) and leakage (µW/Kb). */
  readonly energy: EnergyTable;
  /** Area per component unit, µm² at 28 nm (./area-table.ts). */
  readonly area: AreaTable;
}

export { MACRO_KEYS };

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v));

/** A zod field that reports {@link paramProblem}'s message. */
function field(p: MacroParam): z.ZodType<unknown> {
  return z.any().superRefine((v, ctx) => {
    const problem = paramProblem(p, v);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });
}

function energyField(k: keyof EnergyTable): z.ZodType<unknown> {
  const unit = energyKeyUnit(k) === 'uW' ? 'µW/Kb' : 'fJ';
  return z.any().superRefine((v, ctx) => {
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) ctx.addIssue({ code: 'custom', message: `must be ≥ 0 ${unit}; got ${show(v)}` });
  });
}

function areaField(): z.ZodType<unknown> {
  return z.any().superRefine((v, ctx) => {
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) ctx.addIssue({ code: 'custom', message: `must be a number ≥ 0 (µm²); got ${show(v)}` });
  });
}

/** The zod schema of a raw (partial) macro config after unit conversion, generated from the parameter table. */
const rawSchema = z.strictObject({
  preset: z.any().optional(),
  ...Object.fromEntries(MACRO_PARAMS.map((p) => [p.key, field(p).optional()])),
  energy: z.strictObject(Object.fromEntries(ENERGY_KEYS.map((k) => [k, energyField(k).optional()]))).optional(),
  area: z.strictObject(Object.fromEntries(AREA_KEYS.map((k) => [k, areaField().optional()]))).optional(),
});

/**
 * A value as the user wrote it → the value the schema checks: unit strings of unit-carrying
 * parameters converted (`"1 GHz"` → 1000), numeric and `true`/`false` strings (CLI flags,
 * environment) read as numbers and booleans; anything else is left for the schema to report.
 */
function convertValue(p: MacroParam | undefined, value: unknown): { value: unknown } | { problem: string } {
  if (typeof value !== 'string') return { value };
  if (p?.kind === 'number') {
    const v = toUnitNumber(value, p.unit);
    return typeof v === 'number' ? { value: v } : v;
  }
  if (/^\s*[+-]?\d+(\.\d+)?\s*$/.test(value)) return { value: Number(value) };
  if (value === 'true' || value === 'false') return { value: value === 'true' };
  return { value };
}

/**
 * Why `value` is not a valid value of macro parameter `key` (unit strings and numeric strings
 * accepted as in a config file), or null when it is. Single-parameter rules only: cross-parameter
 * rules (e.g. `writeRowsPerCycle ≤ rows`) are checked by {@link resolveMacroConfig}.
 *
 * @example macroValueProblem('clockMHz', '1 GHz') // null
 * @example macroValueProblem('vdd', 5) // "must be in [0.5, 1.2] V; got 5"
 */
export function macroValueProblem(key: MacroParamKey, value: unknown): string | null {
  const p = macroParam(key);
  const c = convertValue(p, value);
  return 'problem' in c ? c.problem : paramProblem(p, c.value);
}

/** Convert the values of a raw config (on a shallow copy); collect problems instead of throwing. */
function convertUnits(raw: Record<string, unknown>, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'preset' || key === 'energy' || key === 'area') continue;
    const c = convertValue(isMacroParamKey(key) ? macroParam(key) : undefined, value);
    if ('value' in c) out[key] = c.value;
    else {
      problems.push(`macro.${key} ${c.problem}`);
      delete out[key];
    }
  }
  if (raw.energy !== null && typeof raw.energy === 'object' && !Array.isArray(raw.energy)) {
    const e: Record<string, unknown> = { ...(raw.energy as Record<string, unknown>) };
    for (const [key, value] of Object.entries(e)) {
      if (typeof value !== 'string' || !(ENERGY_KEYS as readonly string[]).includes(key)) continue;
      const v = toUnitNumber(value, energyKeyUnit(key as keyof EnergyTable));
      if (typeof v === 'number') e[key] = v;
      else {
        problems.push(`macro.energy.${key} ${v.problem}`);
        delete e[key];
      }
    }
    out.energy = e;
  }
  return out;
}

function issuePath(path: readonly PropertyKey[]): string {
  return ['macro', ...path.map(String)].join('.');
}

/**
 * Validate a raw macro config (an object from a config file, the CLI or code) against MODEL §5 and
 * return a frozen, fully defaulted {@link MacroConfig}. Values may be numbers or unit strings
 * (`"200 MHz"`, `"0.9 V"`, `"0.3 fJ"`, `"0.5 uW"`); `preset` (in `raw`) or `base` picks the defaults.
 * Every problem is reported at once in one ConfigError (code `BAD_MACRO_CONFIG`), joined by `; `.
 *
 * @example resolveMacroConfig({ rows: 128, clockMHz: '1 GHz' }).clockMHz // 1000
 * @example resolveMacroConfig({}, 'yan-28nm').rows // 32
 */
export function resolveMacroConfig(raw: unknown = {}, base: string = DEFAULT_PRESET): MacroConfig {
  const problems: string[] = [];
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('BAD_MACRO_CONFIG', `macro config must be an object of parameters; got ${show(raw)}`);
  }
  const rawObj = raw as Record<string, unknown>;
  const presetName = rawObj.preset ?? base;
  const presetNames = Object.keys(PRESETS).join(', ');
  let preset: PresetName = DEFAULT_PRESET;
  if (typeof presetName !== 'string' || !isPresetName(presetName)) {
    problems.push(`macro.preset must be one of ${presetNames}; got ${show(presetName)}`);
  } else {
    preset = presetName;
  }

  const converted = convertUnits(rawObj, problems);
  const parsed = rawSchema.safeParse(converted);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const where = issue.path.length ? `${issuePath(issue.path)}.` : 'macro.';
        const known = (issue.path[0] === 'area' ? AREA_KEYS : issue.path.length ? ENERGY_KEYS : ['preset', ...MACRO_KEYS, 'energy', 'area']).join(', ');
        for (const key of issue.keys) problems.push(`${where}${key} is not a known parameter (known: ${known})`);
      } else if (issue.code === 'invalid_type' && issue.path.length === 1 && issue.path[0] === 'energy') {
        problems.push(`macro.energy must be an object of per-event energies; got ${show(converted.energy)}`);
      } else if (issue.code === 'invalid_type' && issue.path.length === 1 && issue.path[0] === 'area') {
        problems.push(`macro.area must be an object of per-component areas in µm²; got ${show(converted.area)}`);
      } else {
        problems.push(`${issuePath(issue.path)} ${issue.message}`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError('BAD_MACRO_CONFIG', problems.join('; '));

  const given = parsed.data! as Partial<Record<MacroParamKey, number | boolean>> & { energy?: Partial<EnergyTable>; area?: Partial<AreaTable> };
  const presetParams = PRESETS[preset].params;
  const values: Record<string, number | boolean> = {};
  for (const p of MACRO_PARAMS) {
    const v = given[p.key] ?? presetParams[p.key];
    if (v !== undefined) values[p.key] = v;
  }
  for (const p of MACRO_PARAMS) {
    // A default may name another parameter (writeBusBits: one full array row, C bits per cycle).
    if (values[p.key] === undefined) values[p.key] = p.default === 'bitColumns' ? values.bitColumns ?? macroParam('bitColumns').default : p.default;
  }
  const c = values as unknown as MacroParams;

  // Cross-parameter checks, also all collected.
  if (c.writeRowsPerCycle > c.rows) {
    problems.push(`macro.writeRowsPerCycle must be ≤ macro.rows (${c.rows}); got ${c.writeRowsPerCycle}`);
  }
  if (c.signedInputs && c.inputBits < 2) {
    problems.push(`macro.inputBits must be ≥ 2 with signedInputs (one sign bit plus magnitude); got ${c.inputBits}`);
  }
  if (problems.length > 0) throw new ConfigError('BAD_MACRO_CONFIG', problems.join('; '));

  const energy: EnergyTable = Object.freeze({ ...DEFAULT_ENERGY_TABLE, ...(presetParams.energy ?? {}), ...stripUndefined(given.energy ?? {}) });
  const config: Record<string, unknown> = { preset };
  for (const key of MACRO_KEYS) config[key] = c[key];
  config.energy = energy;
  config.area = Object.freeze({ ...DEFAULT_AREA_TABLE, ...(presetParams.area ?? {}), ...stripUndefined(given.area ?? {}) });
  return Object.freeze(config) as unknown as MacroConfig;
}

/**
 * `base` with some parameters changed, validated like any config (the per-layer input bits and
 * signedness of a network, say). Never spread a MacroConfig: a spread copy skips validation.
 *
 * @example deriveMacroConfig(resolveMacroConfig({}), { inputBits: 4, signedInputs: true }).inputBits // 4
 */
export function deriveMacroConfig(base: MacroConfig, changes: Readonly<Partial<Record<MacroParamKey, unknown>>>): MacroConfig {
  const raw: Record<string, unknown> = { ...macroConfigJson(base) };
  for (const [k, v] of Object.entries(changes)) if (v !== undefined) raw[k] = v;
  return resolveMacroConfig(raw);
}

/** A config as plain JSON (for reports and for {@link deriveMacroConfig}): every parameter, the energy and the area table. */
export function macroConfigJson(c: MacroConfig): Record<string, unknown> {
  return { ...c, energy: { ...c.energy }, area: { ...c.area } };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Parse config text (JSON or YAML) into a raw object for {@link resolveMacroConfig}. A top-level
 * `macro:` key is unwrapped, so a project config file with other sections works as is.
 * Syntax errors are ConfigError `BAD_CONFIG_SYNTAX` naming the line when the parser gives one.
 */
export function parseMacroConfigText(text: string, syntax: 'json' | 'yaml'): unknown {
  let doc: unknown;
  try {
    doc = syntax === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError('BAD_CONFIG_SYNTAX', `cannot parse the macro config as ${syntax.toUpperCase()}: ${(e as Error).message.split('\n')[0]}; fix the syntax`);
  }
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'macro' in doc) {
    return (doc as Record<string, unknown>).macro;
  }
  return doc ?? {};
}

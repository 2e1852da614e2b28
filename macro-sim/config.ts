/**
 * The macro configuration (MODEL §5 parameters): validation, defaults, unit strings, presets, and
 * JSON / YAML parsing. One validator collects every problem and throws them together in one
 * ConfigError; the result is a frozen, fully defaulted object shared by the CLI and the library.
 */
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../formats/errors.js';
import { DEFAULT_ENERGY_TABLE, ENERGY_KEYS, energyKeyUnit, type EnergyTable } from './energy-table.js';
import { DEFAULT_PRESET, PRESETS, isPresetName, type PresetName } from './presets.js';
import { toUnitNumber, type TargetUnit } from './units.js';

/** A fully resolved macro configuration. Names follow MODEL §5. */
export interface MacroConfig {
  /** The preset the defaults came from. */
  readonly preset: PresetName;
  /** R: rows of the array = adder-tree fan-in = segment capacity (entries per slot). */
  readonly rows: number;
  /** C: bit-columns of the array; a load holds floor(C / entryBits) slots. */
  readonly bitColumns: number;
  /** M: macros computing in parallel. */
  readonly macros: number;
  /** b_x: input bits, fed bit-serially (one bit-plane per cycle). */
  readonly inputBits: number;
  /** Inputs are two's complement (the MSB bit-plane is weighted −2^(b_x−1)). */
  readonly signedInputs: boolean;
  readonly clockMHz: number;
  /** Supply voltage in V; dynamic energies scale with (vdd / 0.9)². */
  readonly vdd: number;
  /** Technology node in nm (the energy table is for 28 nm). */
  readonly techNm: number;
  /** Array rows written per cycle during a load. */
  readonly writeRowsPerCycle: number;
  /** Width of the weight-write bus in bits per cycle. */
  readonly writeBusBits: number;
  /** Ping-pong: the next round's write and decode run while the current round computes. */
  readonly overlapWrites: boolean;
  /** Weights of the first M loads are pre-loaded: only re-writes cost write time and energy. */
  readonly weightsResident: boolean;
  /** Skip a bit-plane when its input bits are zero on every valid row of the load. */
  readonly skipZeroBitPlanes: boolean;
  /** Width of partial-sum and output registers (signed); overflow is an error, never a wrap. */
  readonly accumulatorBits: number;
  /** Per-event energies (fJ at 0.9 V) and leakage (µW/Kb). */
  readonly energy: EnergyTable;
}

/** The scalar (non-energy) keys of MacroConfig, in report order. */
export const MACRO_KEYS = [
  'rows', 'bitColumns', 'macros', 'inputBits', 'signedInputs', 'clockMHz', 'vdd', 'techNm',
  'writeRowsPerCycle', 'writeBusBits', 'overlapWrites', 'weightsResident', 'skipZeroBitPlanes',
  'accumulatorBits',
] as const;

/** Built-in defaults under every preset (a preset overrides some of these). */
const BASE_DEFAULTS = {
  rows: 256,
  bitColumns: 256,
  macros: 1,
  inputBits: 8,
  signedInputs: false,
  clockMHz: 200,
  vdd: 0.9,
  techNm: 28,
  writeRowsPerCycle: 1,
  overlapWrites: false,
  weightsResident: true,
  skipZeroBitPlanes: true,
  accumulatorBits: 32,
} as const;

/** Fields that may be written with units, and the unit they are stored in. */
const UNIT_FIELDS: Readonly<Record<string, TargetUnit>> = { clockMHz: 'MHz', vdd: 'V' };

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v));

/** An integer field in [lo, hi]. */
function intIn(lo: number, hi: number, unit = ''): z.ZodType<number> {
  const range = lo === hi ? `${lo}` : hi === Infinity ? `an integer ≥ ${lo}` : `an integer in [${lo}, ${hi}]`;
  return z.any().superRefine((v, ctx) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
      ctx.addIssue({ code: 'custom', message: `must be ${range}${unit}; got ${show(v)}` });
    }
  }) as unknown as z.ZodType<number>;
}

/** A finite number field in [lo, hi] (lo exclusive when `openLo`). */
function numIn(lo: number, hi: number, unit: string, openLo = false): z.ZodType<number> {
  const range = hi === Infinity ? `${openLo ? '>' : '≥'} ${lo}` : `in ${openLo ? '(' : '['}${lo}, ${hi}]`;
  return z.any().superRefine((v, ctx) => {
    const ok = typeof v === 'number' && Number.isFinite(v) && (openLo ? v > lo : v >= lo) && v <= hi;
    if (!ok) ctx.addIssue({ code: 'custom', message: `must be ${range}${unit ? ` ${unit}` : ''}; got ${show(v)}` });
  }) as unknown as z.ZodType<number>;
}

function bool(): z.ZodType<boolean> {
  return z.any().superRefine((v, ctx) => {
    if (typeof v !== 'boolean') ctx.addIssue({ code: 'custom', message: `must be true or false; got ${show(v)}` });
  }) as unknown as z.ZodType<boolean>;
}

const energyShape = Object.fromEntries(
  ENERGY_KEYS.map((k) => [k, numIn(0, Infinity, energyKeyUnit(k) === 'uW' ? 'µW/Kb' : 'fJ').optional()]),
) as Record<keyof EnergyTable, z.ZodOptional<z.ZodType<number>>>;

/** The zod schema of a raw (partial) macro config after unit conversion. */
const rawSchema = z.strictObject({
  preset: z.any().optional(),
  rows: intIn(2, 65536).optional(),
  bitColumns: intIn(1, 65536).optional(),
  macros: intIn(1, 1_000_000).optional(),
  inputBits: intIn(1, 16).optional(),
  signedInputs: bool().optional(),
  clockMHz: numIn(0, 100_000, 'MHz', true).optional(),
  vdd: numIn(0.5, 1.2, 'V').optional(),
  techNm: intIn(28, 28, ' nm (the only node with cited energy constants; override `energy` and keep 28)').optional(),
  writeRowsPerCycle: intIn(1, 65536).optional(),
  writeBusBits: intIn(1, 1 << 24).optional(),
  overlapWrites: bool().optional(),
  weightsResident: bool().optional(),
  skipZeroBitPlanes: bool().optional(),
  accumulatorBits: intIn(2, 53, ' (outputs are exact doubles up to 2^53)').optional(),
  energy: z.strictObject(energyShape).optional(),
});

/** Convert unit strings in place (on a shallow copy); collect problems instead of throwing. */
function convertUnits(raw: Record<string, unknown>, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string' || key === 'preset') continue;
    const unit = UNIT_FIELDS[key];
    if (unit === undefined) {
      // Unitless fields may still arrive as numeric strings (CLI, environment); words stay strings
      // so that the schema reports them.
      if (/^\s*[+-]?\d+(\.\d+)?\s*$/.test(value)) out[key] = Number(value);
      else if (value === 'true' || value === 'false') out[key] = value === 'true';
      continue;
    }
    const v = toUnitNumber(value, unit);
    if (typeof v === 'number') out[key] = v;
    else {
      problems.push(`macro.${key} ${v.problem}`);
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
 * @example resolveMacroConfig({}, 'yan-28nm').rows // 512
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
        const known = issue.path.length ? ENERGY_KEYS.join(', ') : ['preset', ...MACRO_KEYS, 'energy'].join(', ');
        for (const key of issue.keys) problems.push(`${where}${key} is not a known parameter (known: ${known})`);
      } else if (issue.code === 'invalid_type' && issue.path.length === 1 && issue.path[0] === 'energy') {
        problems.push(`macro.energy must be an object of per-event energies; got ${show(converted.energy)}`);
      } else {
        problems.push(`${issuePath(issue.path)} ${issue.message}`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError('BAD_MACRO_CONFIG', problems.join('; '));

  const given = parsed.data!;
  const p = PRESETS[preset].params;
  const pick = <K extends keyof typeof BASE_DEFAULTS>(k: K): (typeof BASE_DEFAULTS)[K] | number | boolean =>
    (given[k] ?? p[k] ?? BASE_DEFAULTS[k]) as (typeof BASE_DEFAULTS)[K];
  const bitColumns = (given.bitColumns ?? p.bitColumns ?? BASE_DEFAULTS.bitColumns) as number;
  const rows = pick('rows') as number;
  const inputBits = pick('inputBits') as number;
  const signedInputs = pick('signedInputs') as boolean;
  const writeRowsPerCycle = pick('writeRowsPerCycle') as number;

  // Cross-field checks, also all collected.
  if (writeRowsPerCycle > rows) {
    problems.push(`macro.writeRowsPerCycle must be ≤ macro.rows (${rows}); got ${writeRowsPerCycle}`);
  }
  if (signedInputs && inputBits < 2) {
    problems.push(`macro.inputBits must be ≥ 2 with signedInputs (one sign bit plus magnitude); got ${inputBits}`);
  }
  if (problems.length > 0) throw new ConfigError('BAD_MACRO_CONFIG', problems.join('; '));

  const energy: EnergyTable = Object.freeze({ ...DEFAULT_ENERGY_TABLE, ...(p.energy ?? {}), ...stripUndefined(given.energy ?? {}) });
  return Object.freeze({
    preset,
    rows,
    bitColumns,
    macros: pick('macros') as number,
    inputBits,
    signedInputs,
    clockMHz: pick('clockMHz') as number,
    vdd: pick('vdd') as number,
    techNm: pick('techNm') as number,
    writeRowsPerCycle,
    // Default bus: one full array row (C bits) per cycle.
    writeBusBits: (given.writeBusBits ?? p.writeBusBits ?? bitColumns) as number,
    overlapWrites: pick('overlapWrites') as boolean,
    weightsResident: pick('weightsResident') as boolean,
    skipZeroBitPlanes: pick('skipZeroBitPlanes') as boolean,
    accumulatorBits: pick('accumulatorBits') as number,
    energy,
  });
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

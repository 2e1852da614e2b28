/**
 * The sweep spec: what `imc-sim sweep SPEC.(yaml|json)` reads. A spec names one workload, the axes
 * of a design space (lists whose cartesian product is swept) and/or explicit points, optional
 * fixed `defaults` for every point, and the objectives of the Pareto front.
 *
 * ```json
 * {"workload": {"file": "w.npy", "array": "fc1.weight", "inputs": "x.npy", "batch": 16},
 *  "axes": {"format": ["coo", "rl:4", "nm:2:4"], "prune": ["magnitude:0.5", "nm:2:4"],
 *           "weightBits": [4, 8], "rows": [128, 256]},
 *  "points": [{"format": "dense", "weightBits": 8}],
 *  "objectives": ["energyPj:min", "compression:max"]}
 * ```
 *
 * Validation follows ZigZag-IMC's `accelerator_validator.py` habit (../shared/STYLE.md): the
 * whole spec is checked and every problem is reported at once in one {@link ConfigError}.
 * Relative paths in the workload resolve against the spec file's folder, so a spec and its data
 * can move together. A point only carries the keys the spec sets: a key that is absent means "the
 * evaluator's default" (MODEL.md §5), which keeps ids independent of default values that may be
 * recalibrated later (see docs/SWEEPS.md).
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, ImcError, InputError } from '../../errors.js';
import { checkFormatSpec } from '../../formats/registry.js';
import { macroValueProblem } from '../../macro-sim/config.js';
import { MACRO_PARAMS, type MacroParamKey } from '../../macro-sim/params.js';
import { isPresetName } from '../../macro-sim/presets.js';
import { checkSeed, checkZeroFraction } from '../../macro-sim/random-inputs.js';
import { loadMacroConfig, PRESET_LIST } from '../io/macro-file.js';
import { checkBatch } from '../prep/inputs.js';
import { parseLayoutList } from '../prep/layout.js';
import { parsePruneSpec } from '../prep/prune.js';
import { checkGranularity, checkWeightBits, type Granularity } from '../prep/quantize.js';
import { parseObjectives } from '../results/objectives.js';
import { parseCompressStep } from '../compress/compress-step.js';

/** The problem `check` throws for `value` (an ImcError's message), or null when it accepts it. */
function problemOf(check: () => unknown): string | null {
  try {
    check();
    return null;
  } catch (e) {
    if (e instanceof ImcError) return e.message;
    throw e;
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';

/** One axis: what it is, which workloads it applies to, and its validator (the same one `run`/`eval` use). */
interface Axis {
  readonly about: string;
  /** The workload kinds whose points may set it. */
  readonly workloads: readonly Workload['kind'][];
  /** Why `value` is refused, or null. */
  readonly problem: (value: unknown) => string | null;
}

const BOTH = ['file', 'network'] as const;
const FILE_ONLY = ['file'] as const;
const NETWORK_ONLY = ['network'] as const;

/** A validator that needs a `what` value and then runs `check` on it. */
function typed<T>(is: (v: unknown) => v is T, what: string, check: (v: T) => unknown): (value: unknown) => string | null {
  return (v) => (is(v) ? problemOf(() => check(v)) : `must be ${what}; got ${JSON.stringify(v)}`);
}

/**
 * Every axis a spec may name. Each value is checked by exactly the parser or validator that
 * `imc-sim run` / `eval` and the library apply to the same option — formats by the format registry,
 * pruning by `parsePruneSpec`, macro parameters by the parameter table (macro-sim/params.ts) —, so
 * a sweep accepts what they accept and refuses what they refuse (a contract test holds both ways).
 */
export const AXES: Readonly<Record<string, Axis>> = {
  format: {
    about: 'sparse format, one per point (MODEL §4): dense | bitmask | coo[:b_i] | rl[:b_r] | nm:N:m',
    workloads: BOTH,
    problem: typed(isString, 'a format spec string', (v) => {
      if (v.includes(',')) throw new ConfigError('SWEEP_ONE_FORMAT', `one format per point; list '${v}' as separate axis values`);
      checkFormatSpec(v);
    }),
  },
  prune: { about: 'pruning applied before quantization (MODEL §3)', workloads: BOTH, problem: typed(isString, 'a prune spec string', parsePruneSpec) },
  weightBits: { about: 'weight bits b_w, 2..16', workloads: BOTH, problem: typed(isNumber, 'a number', checkWeightBits) },
  granularity: { about: 'weight quantization scale group (MODEL §2): per-column | per-tensor', workloads: BOTH, problem: typed(isString, 'a string', checkGranularity) },
  layout: { about: 'tensor layout of the weight array (MODEL §1), or one per rank (`hwio,io`)', workloads: FILE_ONLY, problem: typed(isString, 'a string', parseLayoutList) },
  seed: { about: 'seed of generated inputs', workloads: FILE_ONLY, problem: typed(isNumber, 'a number', checkSeed) },
  batch: { about: 'input vectors B', workloads: FILE_ONLY, problem: typed(isNumber, 'a number', checkBatch) },
  zeroFraction: { about: 'fraction of zeros in generated inputs', workloads: FILE_ONLY, problem: typed(isNumber, 'a number', checkZeroFraction) },
  model: {
    about: 'model file of the point (relative to the spec), e.g. one written by `imc-sim compress`; default workload.model',
    workloads: NETWORK_ONLY,
    problem: typed(isString, 'a file path', () => undefined),
  },
  compress: {
    about: 'retrain the workload model with `imc-sim compress` before evaluating it: METHOD[:STRUCTURE][@TARGETS] (admm:magnitude@0.9, admm:nm:2:4, svd@0.8); needs workload.train and workload.trainLabels; the result is cached on disk by a hash of its inputs',
    workloads: NETWORK_ONLY,
    problem: typed(isString, 'a compress step string', parseCompressStep),
  },
  graph: {
    about: 'graph file of the point (relative to the spec), e.g. the one `compress --method svd` writes; default workload.graph',
    workloads: NETWORK_ONLY,
    problem: typed(isString, 'a file path', () => undefined),
  },
  macro: {
    about: `macro preset (${PRESET_LIST}) or config file (relative to the spec); its parameters are the point's defaults`,
    workloads: BOTH,
    problem: typed(isString, 'a preset name or a file path', () => undefined),
  },
  ...Object.fromEntries(MACRO_PARAMS.map((p) => [p.key, { about: p.help, workloads: BOTH, problem: (v: unknown) => macroValueProblem(p.key, v) }])),
};

/** Name of a sweep axis. */
export type AxisName = 'format' | 'prune' | 'weightBits' | 'granularity' | 'layout' | 'seed' | 'batch' | 'zeroFraction' | 'model' | 'graph' | 'compress' | 'macro' | MacroParamKey;
/** The known axis names, in the order of {@link AXES}. */
export const AXIS_NAMES = Object.keys(AXES) as AxisName[];
/** A value one axis can take. */
export type AxisValue = string | number | boolean;

/**
 * One design point after merging defaults, an axis combination and/or an explicit point. Only
 * the keys the spec sets are present; absent keys take the defaults of `run` / `eval`. `format`
 * is always present.
 */
export type ResolvedPoint = PointInput & { readonly format: string };

/** A point as written in the spec (before merging with `defaults`): any subset of the axes, each value validated by its axis. */
export type PointInput = Readonly<
  {
    format?: string;
    prune?: string;
    weightBits?: number;
    granularity?: Granularity;
    layout?: string;
    seed?: number;
    batch?: number;
    zeroFraction?: number;
    model?: string;
    graph?: string;
    compress?: string;
    macro?: string;
  } & Partial<Record<MacroParamKey, AxisValue>>
>;

/** A single-layer workload: one weight array, optional inputs. Paths are absolute after parsing. */
export interface FileWorkload {
  readonly kind: 'file';
  /** Weight file (.npy, .npz, .safetensors), absolute. */
  readonly file: string;
  /** Array name inside an .npz/.safetensors container. */
  readonly array?: string;
  /** Input file, absolute; absent → seeded generated inputs (MODEL §2). */
  readonly inputs?: string;
  /** Input vectors B. */
  readonly batch?: number;
  /**
   * Price the MODEL §6 baselines (dense IMC, bitmask IMC, ASIC, systolic, FPGA, mobile GPU) beside each
   * point, as `imc-sim run` does: the record gets `baselines`. Default false (records stay small). A
   * worker prices the counted baselines once per preparation and the IMC ones once per macro.
   */
  readonly baselines?: boolean;
}

/** A whole-network workload (issue 5): validated and passed through to the evaluator. */
export interface NetworkWorkload {
  readonly kind: 'network';
  /** Model weights file, absolute. */
  readonly model: string;
  /** Graph description file, absolute. */
  readonly graph?: string;
  /** Input samples file, absolute. */
  readonly inputs?: string;
  /** Labels file, absolute. */
  readonly labels?: string;
  /** Evaluate at most this many samples. */
  readonly limit?: number;
  /** Training images and labels for points with a `compress` step, absolute. */
  readonly train?: string;
  readonly trainLabels?: string;
  /** Train on at most this many images. */
  readonly trainLimit?: number;
}

/** What a sweep evaluates each point on. */
export type Workload = FileWorkload | NetworkWorkload;

/** An objective term such as `energyPj:min` (grammar and parsing: `objectives.ts`). */
export type ObjectiveSpec = string;

/** A validated sweep spec. Plain data (structured-cloneable), frozen. */
export interface SweepSpec {
  /** Absolute path of the spec file, when it came from one. */
  readonly specPath?: string;
  /** Folder relative paths were resolved against. */
  readonly baseDir: string;
  /** Optional name, for reports. */
  readonly name?: string;
  readonly workload: Workload;
  /** Fixed values merged under every point. */
  readonly defaults: PointInput;
  /** Axes in spec order; the first axis varies slowest. */
  readonly axes: Readonly<Partial<Record<AxisName, readonly AxisValue[]>>>;
  /** Explicit points, in spec order, swept after the grid. */
  readonly points: readonly PointInput[];
  /** Pareto objectives, e.g. `energyPj:min`. */
  readonly objectives: readonly ObjectiveSpec[];
}

const knownAxesLine = `known axes: ${AXIS_NAMES.join(', ')}`;

/** The issue of one axis value, if any. */
function valueIssue(key: string, value: unknown): string | null {
  const axis = AXES[key];
  if (!axis) return `unknown axis "${key}"; ${knownAxesLine}`;
  const problem = axis.problem(value);
  return problem === null ? null : `${JSON.stringify(value)}: ${problem}`;
}

const pointMap = z.record(z.string(), z.unknown());
const axesMap = z.record(z.string(), z.array(z.unknown()).min(1, 'an axis needs at least one value'));

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The valid part of a spec's values, and a problem for each invalid value (with its path). */
interface CheckedValues {
  readonly problems: string[];
  readonly defaults: PointInput;
  readonly axes: Partial<Record<AxisName, AxisValue[]>>;
  readonly points: PointInput[];
}

/**
 * Check every value of `defaults`, `axes` and `points` with its axis's validator; keep the valid
 * ones (so the whole-point checks can still run on them and every problem is reported at once).
 */
function checkValues(raw: Record<string, unknown>): CheckedValues {
  const problems: string[] = [];
  const cleanMap = (m: unknown, where: string): PointInput => {
    const out: Record<string, unknown> = {};
    if (!isMap(m)) return out;
    for (const [key, value] of Object.entries(m)) {
      const issue = valueIssue(key, value);
      if (issue === null) out[key] = value;
      else problems.push(`${where}.${key}: ${issue}`);
    }
    return out as PointInput;
  };
  const defaults = cleanMap(raw.defaults, 'defaults');
  const axes: Partial<Record<AxisName, AxisValue[]>> = {};
  if (isMap(raw.axes)) {
    for (const [key, values] of Object.entries(raw.axes)) {
      if (!Array.isArray(values)) continue;
      if (!AXES[key]) {
        problems.push(`axes.${key}: unknown axis "${key}"; ${knownAxesLine}`);
        continue;
      }
      const ok = values.filter((v, i) => {
        const issue = valueIssue(key, v);
        if (issue !== null) problems.push(`axes.${key}[${i}]: ${issue}`);
        return issue === null;
      });
      if (ok.length > 0) axes[key as AxisName] = ok as AxisValue[];
    }
  }
  const points = Array.isArray(raw.points) ? raw.points.map((p, i) => cleanMap(p, `points[${i}]`)) : [];
  return { problems, defaults, axes, points };
}

const atLeastOne = z.number().int().min(1);
const relPath = z.string().min(1, 'must be a non-empty path');

const fileWorkload = z.strictObject({
  file: relPath,
  array: z.string().min(1).optional(),
  inputs: relPath.optional(),
  batch: atLeastOne.optional(),
  baselines: z.boolean().optional(),
});

const networkWorkload = z.strictObject({
  model: relPath,
  graph: relPath.optional(),
  inputs: relPath.optional(),
  labels: relPath.optional(),
  limit: atLeastOne.optional(),
  train: relPath.optional(),
  trainLabels: relPath.optional(),
  trainLimit: atLeastOne.optional(),
});

const workloadSchema = z.unknown().superRefine((w, ctx) => {
  if (typeof w !== 'object' || w === null || Array.isArray(w)) {
    ctx.addIssue({ code: 'custom', message: 'must be an object with "file" (one weight array) or "model" (a network)' });
    return;
  }
  const isNetwork = 'model' in w;
  const r = (isNetwork ? networkWorkload : fileWorkload).safeParse(w);
  if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: issue.path as PropertyKey[], message: issue.message });
});

const specSchema = z.strictObject({
  name: z.string().optional(),
  workload: workloadSchema,
  defaults: pointMap.optional(),
  axes: axesMap.optional(),
  points: z.array(pointMap).optional(),
  objectives: z.array(z.string()).optional(),
}).superRefine((s, ctx) => {
  if (s.objectives !== undefined) {
    // objectives.ts owns the grammar (known short names, dotted record paths, directions).
    try {
      parseObjectives(s.objectives);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['objectives'], message: (err as Error).message });
    }
  }
  const hasAxes = s.axes !== undefined && Object.keys(s.axes).length > 0;
  const hasPoints = s.points !== undefined && s.points.length > 0;
  if (!hasAxes && !hasPoints) {
    ctx.addIssue({ code: 'custom', path: [], message: 'the spec has no points: give "axes" (lists, swept as a cartesian product) and/or "points" (explicit points)' });
  }
  // Every point needs a format; say so once per place it is missing from.
  const formatFixed = s.defaults?.format !== undefined || s.axes?.format !== undefined;
  if (!formatFixed) {
    if (hasAxes) ctx.addIssue({ code: 'custom', path: ['axes'], message: 'no format: add "format" to axes or defaults' });
    s.points?.forEach((p, i) => {
      if (p.format === undefined) ctx.addIssue({ code: 'custom', path: ['points', i], message: 'no format: add "format" to this point, to axes or to defaults' });
    });
  }
});

function describeIssue(issue: { path: readonly PropertyKey[]; message: string }): string {
  const where = issue.path.length === 0 ? 'spec' : issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  return `${where}: ${issue.message}`;
}

/**
 * Validate a parsed spec object and resolve its paths.
 *
 * @param raw - the parsed JSON/YAML document.
 * @param baseDir - folder that relative workload paths resolve against (the spec file's folder).
 * @param specPath - the spec file, for messages and reports.
 * @throws ConfigError (`SWEEP_SPEC_INVALID`) listing every problem, separated by `; `.
 * @example
 * parseSweepSpec({ workload: { file: 'w.npy' }, axes: { format: ['coo'] } }, '/data').workload
 * // → { kind: 'file', file: '/data/w.npy' }
 */
export function parseSweepSpec(raw: unknown, baseDir: string, specPath?: string): SweepSpec {
  const r = specSchema.safeParse(raw);
  const problems = r.success ? [] : r.error.issues.map(describeIssue);
  if (isMap(raw)) {
    const values = checkValues(raw);
    problems.push(...values.problems);
    const kind: Workload['kind'] = isMap(raw.workload) && 'model' in raw.workload ? 'network' : 'file';
    problems.push(...crossProblems({ kind, baseDir, defaults: values.defaults, axes: values.axes, points: values.points }));
    const compresses = values.axes.compress !== undefined || values.defaults.compress !== undefined || values.points.some((p) => p.compress !== undefined);
    if (kind === 'network' && compresses && !(isMap(raw.workload) && raw.workload.train !== undefined && raw.workload.trainLabels !== undefined && raw.workload.labels !== undefined)) {
      problems.push('workload: points with a compress step need workload.train and workload.trainLabels (training images and labels) and workload.labels (test labels)');
    }
  }
  if (problems.length > 0 || !r.success) {
    throw new ConfigError('SWEEP_SPEC_INVALID', `${specPath ?? 'sweep spec'}: ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.join('; ')}`);
  }
  const s = r.data;
  // `random:N[:SEED]` inputs are not a path.
  const abs = (p: string | undefined): string | undefined => (p === undefined ? undefined : isAbsolute(p) || /^random:\d+(:\d+)?$/.test(p) ? p : resolve(baseDir, p));
  const w = s.workload as Record<string, unknown>;
  const workload: Workload = 'model' in w
    ? dropUndefined({ kind: 'network', model: abs(w.model as string)!, graph: abs(w.graph as string | undefined), inputs: abs(w.inputs as string | undefined), labels: abs(w.labels as string | undefined), limit: w.limit as number | undefined, train: abs(w.train as string | undefined), trainLabels: abs(w.trainLabels as string | undefined), trainLimit: w.trainLimit as number | undefined })
    : dropUndefined({ kind: 'file', file: abs(w.file as string)!, array: w.array as string | undefined, inputs: abs(w.inputs as string | undefined), batch: w.batch as number | undefined, baselines: w.baselines as boolean | undefined });
  const spec: SweepSpec = dropUndefined({
    specPath,
    baseDir,
    name: s.name,
    workload,
    defaults: (s.defaults ?? {}) as PointInput,
    axes: (s.axes ?? {}) as SweepSpec['axes'],
    points: (s.points ?? []) as PointInput[],
    objectives: s.objectives ?? [],
  });
  return deepFreeze(spec);
}

/** A point's own file (`model`, `graph`) resolved against the spec's folder, else the workload's. */
export function pointFile(spec: Pick<SweepSpec, 'baseDir'>, value: string | undefined, fallback: string | undefined): string | undefined {
  return value === undefined ? fallback : isAbsolute(value) ? value : resolve(spec.baseDir, value);
}

/** The macro keys of a point: `macro` and the MODEL §5 parameters. */
const MACRO_AXES: readonly string[] = ['macro', ...MACRO_PARAMS.map((p) => p.key)];

/**
 * Where a point's macro comes from, for `loadMacroConfig`: a preset name as is, a config file
 * resolved against the spec's folder; undefined → the default preset.
 */
export function pointMacroSource(spec: Pick<SweepSpec, 'baseDir'>, point: PointInput): string | undefined {
  const m = point.macro;
  if (typeof m !== 'string') return undefined;
  return isPresetName(m) || isAbsolute(m) ? m : resolve(spec.baseDir, m);
}

/**
 * The problems only a whole point shows: axes the workload does not use, and macros that do not
 * resolve (a file that cannot be read, `writeRowsPerCycle > rows`, signed 1-bit inputs, …).
 * Every distinct macro of the spec's points is resolved exactly as `run` resolves its flags.
 */
function crossProblems(spec: { kind: Workload['kind']; baseDir: string; defaults: PointInput; axes: Partial<Record<AxisName, readonly AxisValue[]>>; points: readonly PointInput[] }): string[] {
  const problems: string[] = [];
  const kind = spec.kind;
  const where: Array<[string, PointInput]> = [['defaults', spec.defaults], ...spec.points.map((p, i): [string, PointInput] => [`points[${i}]`, p])];
  const axisKeys = Object.keys(spec.axes);
  for (const key of new Set([...axisKeys, ...where.flatMap(([, p]) => Object.keys(p))])) {
    const axis = AXES[key]!;
    if (!axis.workloads.includes(kind)) {
      const at = [...(axisKeys.includes(key) ? ['axes'] : []), ...where.filter(([, p]) => key in p).map(([w]) => w)].join(', ');
      problems.push(`${at}: "${key}" does not apply to a ${kind} workload (${kind === 'network' ? 'it evaluates the workload\'s own images' : 'it runs one weight array'})`);
    }
  }
  // The distinct macros: the grid's macro axes over the defaults, then each explicit point.
  const combos = new Map<string, PointInput>();
  const addCombo = (p: PointInput): void => {
    const m: Record<string, AxisValue> = {};
    for (const k of MACRO_AXES) if (p[k as AxisName] !== undefined) m[k] = p[k as AxisName]!;
    combos.set(JSON.stringify(m), m);
  };
  const gridAxes = axisKeys.filter((k) => MACRO_AXES.includes(k));
  const odometer = (i: number, acc: PointInput): void => {
    if (i === gridAxes.length) return addCombo({ ...spec.defaults, ...acc });
    for (const v of spec.axes[gridAxes[i] as AxisName]!) odometer(i + 1, { ...acc, [gridAxes[i]!]: v });
  };
  if (axisKeys.length > 0) odometer(0, {});
  for (const p of spec.points) addCombo({ ...spec.defaults, ...p });
  const failures = new Map<string, string[]>();
  for (const [key, combo] of combos) {
    const overrides: Record<string, unknown> = { ...combo };
    delete overrides.macro;
    const problem = problemOf(() => loadMacroConfig(pointMacroSource(spec, combo), overrides));
    if (problem !== null) failures.set(problem, [...(failures.get(problem) ?? []), key]);
  }
  for (const [problem, keys] of failures) {
    problems.push(`${keys.length === 1 ? `the point(s) with macro ${keys[0]}` : `${keys.length} macro combinations (first ${keys[0]})`}: ${problem}`);
  }
  return problems;
}

/**
 * Read and validate a spec file (`.json`, `.yaml` or `.yml`; other extensions are tried as YAML,
 * which is a superset of JSON).
 *
 * @throws InputError when the file cannot be read or parsed; ConfigError when it is invalid.
 */
export async function loadSweepSpec(path: string): Promise<SweepSpec> {
  const specPath = resolve(path);
  let text: string;
  try {
    text = await readFile(specPath, 'utf8');
  } catch (err) {
    throw new InputError('SWEEP_SPEC_UNREADABLE', `cannot read sweep spec ${specPath}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = extname(specPath).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new InputError('SWEEP_SPEC_SYNTAX', `cannot parse sweep spec ${specPath}: ${(err as Error).message.split('\n')[0]}; fix the ${extname(specPath).toLowerCase() === '.json' ? 'JSON' : 'YAML'} syntax`);
  }
  return parseSweepSpec(raw, dirname(specPath), specPath);
}

function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

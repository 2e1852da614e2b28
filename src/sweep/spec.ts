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
import type { MACRO_KEYS, MacroConfig } from '../../macro-sim/config.js';
import { ConfigError, InputError } from '../../formats/errors.js';
import { PRESETS, isPresetName } from '../../macro-sim/presets.js';
import { parseObjectives } from './objectives.js';

/** Format grammar of MODEL.md §4: `dense`, `bitmask`, `coo[:b_i]`, `rl[:b_r]`, `nm:N:m`. */
const FORMAT_RE = /^(dense|bitmask|coo(:[1-9]\d*)?|rl(:[1-9]\d*)?|nm:[1-9]\d*:[1-9]\d*)$/;
/** Number in [0, 1) as written in pruning specs. */
const FRACTION = '(0(\\.\\d+)?|\\.\\d+)';
/** Pruning grammar of MODEL.md §3 plus `none`. */
const PRUNE_RE = new RegExp(
  `^(none|magnitude:${FRACTION}|nm:[1-9]\\d*:[1-9]\\d*|block:[1-9]\\d*:[1-9]\\d*:${FRACTION}|bcr:[1-9]\\d*:[1-9]\\d*:${FRACTION})$`,
);

const intIn = (lo: number, hi: number = Number.MAX_SAFE_INTEGER) => z.number().int().min(lo).max(hi);
const positive = z.number().positive().finite();

/**
 * Every axis a spec may name, with its value schema and a one-line description. The macro
 * parameters are MODEL.md §5's; the rest pick the workload's preparation. A new axis is one line
 * here plus its handling in the evaluator.
 */
export const AXES = {
  format: { schema: z.string().regex(FORMAT_RE, 'must be dense, bitmask, coo[:b_i], rl[:b_r] or nm:N:m'), about: 'sparse format (MODEL §4)' },
  prune: { schema: z.string().regex(PRUNE_RE, 'must be none, magnitude:s, nm:N:m, block:bk:bn:s or bcr:bk:bn:s with 0 ≤ s < 1'), about: 'pruning applied before quantization (MODEL §3)' },
  weightBits: { schema: intIn(2, 16), about: 'weight bits b_w, 2..16' },
  inputBits: { schema: intIn(1, 16), about: 'input bits b_x, 1..16 (bit-serial cycles)' },
  rows: { schema: intIn(2), about: 'macro rows R (segment capacity)' },
  bitColumns: { schema: intIn(1), about: 'macro bit columns C' },
  macros: { schema: intIn(1), about: 'number of macros M' },
  clockMHz: { schema: positive, about: 'clock frequency in MHz' },
  vdd: { schema: positive, about: 'supply voltage in V' },
  techNm: { schema: positive, about: 'technology node in nm' },
  writeRowsPerCycle: { schema: intIn(1), about: 'rows written per cycle' },
  writeBusBits: { schema: intIn(1), about: 'write bus width in bits' },
  overlapWrites: { schema: z.boolean(), about: 'ping-pong: overlap the next load\'s write with compute' },
  weightsResident: { schema: z.boolean(), about: 'weights pre-loaded (no write cost when everything fits)' },
  skipZeroBitPlanes: { schema: z.boolean(), about: 'skip all-zero input bit-planes' },
  accumulatorBits: { schema: intIn(2, 53), about: 'partial-sum and output register width' },
  signedInputs: { schema: z.boolean(), about: 'signed (two\'s complement) inputs' },
  layout: { schema: z.enum(['oi', 'io', 'oihw', 'hwio', 'oiw']), about: 'tensor layout of the weight array (MODEL §1)' },
  granularity: { schema: z.enum(['per-column', 'per-tensor']), about: 'weight quantization scale group (MODEL §2)' },
  seed: { schema: intIn(0), about: 'seed of generated inputs' },
  batch: { schema: intIn(1), about: 'input vectors B' },
  macro: {
    schema: z.string().refine(isPresetName, { message: `must be a macro preset: ${Object.keys(PRESETS).join(', ')}` }),
    about: 'macro preset name (its parameters are the defaults of this point)',
  },
} as const;

/** Name of a sweep axis. */
export type AxisName = keyof typeof AXES;
/** The known axis names, in the order of {@link AXES}. */
export const AXIS_NAMES = Object.keys(AXES) as AxisName[];
/** A value one axis can take. */
export type AxisValue = string | number | boolean;

/**
 * One design point after merging defaults, an axis combination and/or an explicit point. Only
 * the keys the spec sets are present; absent keys take the evaluator's defaults. `format` is
 * always present.
 */
export interface ResolvedPoint extends Partial<Pick<MacroConfig, (typeof MACRO_KEYS)[number]>> {
  readonly format: string;
  readonly prune?: string;
  readonly weightBits?: number;
  readonly layout?: 'oi' | 'io' | 'oihw' | 'hwio' | 'oiw';
  readonly granularity?: 'per-column' | 'per-tensor';
  readonly seed?: number;
  readonly batch?: number;
  readonly macro?: string;
}

/** A point as written in the spec (before merging with `defaults`): any subset of the axes. */
export type PointInput = Readonly<Partial<Record<AxisName, AxisValue>>>;

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

/** Checks one map of axis → value (a point or `defaults`), adding an issue per problem. */
function checkPointMap(map: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [key, value] of Object.entries(map)) {
    const axis = (AXES as Record<string, { schema: z.ZodType }>)[key];
    if (!axis) {
      ctx.addIssue({ code: 'custom', path: [key], message: `unknown axis "${key}"; ${knownAxesLine}` });
      continue;
    }
    const r = axis.schema.safeParse(value);
    if (!r.success) {
      ctx.addIssue({ code: 'custom', path: [key], message: `${JSON.stringify(value)}: ${r.error.issues.map((i) => i.message).join('; ')}` });
    }
  }
}

const pointMap = z.record(z.string(), z.unknown()).superRefine(checkPointMap);

const axesMap = z.record(z.string(), z.array(z.unknown()).min(1, 'an axis needs at least one value')).superRefine((axes, ctx) => {
  for (const [key, values] of Object.entries(axes)) {
    const axis = (AXES as Record<string, { schema: z.ZodType }>)[key];
    if (!axis) {
      ctx.addIssue({ code: 'custom', path: [key], message: `unknown axis "${key}"; ${knownAxesLine}` });
      continue;
    }
    values.forEach((v, i) => {
      const r = axis.schema.safeParse(v);
      if (!r.success) ctx.addIssue({ code: 'custom', path: [key, i], message: `${JSON.stringify(v)}: ${r.error.issues.map((x) => x.message).join('; ')}` });
    });
  }
});

const relPath = z.string().min(1, 'must be a non-empty path');

const fileWorkload = z.strictObject({
  file: relPath,
  array: z.string().min(1).optional(),
  inputs: relPath.optional(),
  batch: intIn(1).optional(),
});

const networkWorkload = z.strictObject({
  model: relPath,
  graph: relPath.optional(),
  inputs: relPath.optional(),
  labels: relPath.optional(),
  limit: intIn(1).optional(),
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
  if (!r.success) {
    const problems = r.error.issues.map(describeIssue);
    const src = specPath ?? 'sweep spec';
    throw new ConfigError('SWEEP_SPEC_INVALID', `${src}: ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.join('; ')}`);
  }
  const s = r.data;
  const abs = (p: string | undefined): string | undefined => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(baseDir, p));
  const w = s.workload as Record<string, unknown>;
  const workload: Workload = 'model' in w
    ? dropUndefined({ kind: 'network', model: abs(w.model as string)!, graph: abs(w.graph as string | undefined), inputs: abs(w.inputs as string | undefined), labels: abs(w.labels as string | undefined), limit: w.limit as number | undefined })
    : dropUndefined({ kind: 'file', file: abs(w.file as string)!, array: w.array as string | undefined, inputs: abs(w.inputs as string | undefined), batch: w.batch as number | undefined });
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

/**
 * Your own published (or measured) operating points for `imc-sim calibrate --points FILE`: a JSON or
 * YAML file `{ points: [...] }` in the shape of `macro-sim/calibration-points.ts`, validated with zod;
 * every problem is reported at once, each naming its point and field. A point runs on a preset
 * (`macro`), optionally with your macro's organisation over it (`macroParams`, validated like any
 * macro config) and your node (`nodeNm`).
 *
 * @example
 * points:
 *   - { id: my-int8, macro: sp-imc-28nm, metric: topsPerWatt, role: fit, published: 30, source: "our chip, 0.9 V",
 *       macroParams: { rows: 128, bitColumns: 128 },
 *       operating: { weightBits: 8, inputBits: 8, signedInputs: false, vdd: 0.9, clockMHz: 200, inputZeroFraction: 0.5, weightSparsity: 0 } }
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../errors.js';
import type { CalibrationPoint } from '../../macro-sim/calibration-points.js';
import { resolveMacroConfig } from '../../macro-sim/config.js';
import { isPresetName, PRESETS } from '../../macro-sim/presets.js';
import { readTextFile } from './text-file.js';

const fraction = z.number().min(0).max(1);
const operating = z.strictObject({
  weightBits: z.number().int().min(2).max(16),
  inputBits: z.number().int().min(1).max(16),
  signedInputs: z.boolean(),
  vdd: z.number().min(0.5).max(1.2),
  clockMHz: z.number().positive(),
  inputZeroFraction: fraction,
  weightSparsity: fraction,
});
const common = {
  id: z.string().min(1),
  macro: z.string().min(1),
  role: z.enum(['fit', 'held-out']),
  tag: z.enum(['[M]', '[2nd]']).default('[M]'),
  source: z.string().min(1),
  assumed: z.string().optional(),
  macroParams: z.record(z.string(), z.unknown()).optional(),
  nodeNm: z.number().min(20).max(65).optional(),
  published: z.number().positive(),
};
const pointSchema = z.discriminatedUnion('metric', [
  z.strictObject({ ...common, metric: z.literal('topsPerWatt'), operating }),
  z.strictObject({ ...common, metric: z.literal('efficiencyGain'), operating, baseline: operating }),
  z.strictObject({ ...common, metric: z.literal('areaMm2'), weightBits: z.number().int().min(2).max(16) }),
  z.strictObject({ ...common, metric: z.literal('maxClockMHz'), vdd: z.number().min(0.3).max(1.5) }),
]);
const fileSchema = z.strictObject({ points: z.array(pointSchema).min(1) });

/**
 * Parse and check a points document (already read from JSON or YAML).
 * @throws ConfigError `BAD_CALIBRATION_POINTS` listing every problem.
 */
export function parseCalibrationPoints(doc: unknown, where = 'points file'): CalibrationPoint[] {
  const parsed = fileSchema.safeParse(doc);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${['points', ...i.path.map(String)].join('.').replace(/^points\.points/, 'points')}: ${i.message}`);
    throw new ConfigError('BAD_CALIBRATION_POINTS', `${where}: ${problems.join('; ')}; see macro-sim/calibration-points.ts for the shape`);
  }
  const points = parsed.data.points as unknown as CalibrationPoint[];
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const p of points) {
    if (ids.has(p.id)) problems.push(`point ${p.id}: the id is used twice`);
    ids.add(p.id);
    if (p.metric === 'maxClockMHz') continue;
    if (!isPresetName(p.macro)) {
      problems.push(`point ${p.id}: macro must be a preset (${Object.keys(PRESETS).join(', ')}); got '${p.macro}' — describe your own macro with macroParams over a preset`);
      continue;
    }
    try {
      resolveMacroConfig(p.macroParams ?? {}, p.macro);
    } catch (e) {
      problems.push(`point ${p.id}: ${(e as Error).message}`);
    }
  }
  const clockFits = new Map<string, number>();
  for (const p of points) if (p.metric === 'maxClockMHz' && p.role === 'fit') clockFits.set(p.macro, (clockFits.get(p.macro) ?? 0) + 1);
  for (const p of points) {
    if (p.metric === 'maxClockMHz' && !clockFits.has(p.macro)) problems.push(`point ${p.id}: a clock point needs a fit clock point of the same macro to anchor it`);
  }
  if (problems.length > 0) throw new ConfigError('BAD_CALIBRATION_POINTS', `${where}: ${problems.join('; ')}`);
  return points;
}

/**
 * Read a points file (JSON, or YAML by its extension).
 * @throws InputError when the file cannot be read; ConfigError for its syntax or content.
 */
export function loadCalibrationPoints(file: string): CalibrationPoint[] {
  const text = readTextFile(file, 'calibration points');
  let doc: unknown;
  try {
    doc = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new ConfigError('BAD_CONFIG_SYNTAX', `${file}: cannot parse the calibration points: ${(e as Error).message.split('\n')[0]}; fix the syntax`);
  }
  return parseCalibrationPoints(doc, file);
}

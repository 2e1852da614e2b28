/**
 * Sweep objectives: `name:min|max` terms (e.g. `energyPj:min,compression:max,sqnrDb:max`) that pick
 * which record fields the Pareto front (./pareto.ts) trades off. A name is either one of the
 * {@link KNOWN_OBJECTIVES} (short names for the usual metrics) or any dotted path into a result
 * record (`energy.breakdownPj.adderTree`, `point.weightBits`).
 */
import { ConfigError } from '../../errors.js';

/** The shape of a results.jsonl record this module needs (structurally compatible with the sweep's `ResultRecord`). */
export interface SweepRecordLike {
  readonly id: string;
  /** The design point (axis name → value). */
  readonly point: object;
  readonly ok: boolean;
  readonly [field: string]: unknown;
}

/** Which way an objective is better. */
export type Direction = 'min' | 'max';

/** A parsed objective. */
export interface Objective {
  /** As written by the user (`energyPj`, `energy.breakdownPj.adderTree`). */
  readonly name: string;
  /** Property path into a record, e.g. `['energy', 'totalPj']`. */
  readonly path: readonly string[];
  readonly direction: Direction;
}

/** Short objective names → record path and the usual direction (used when the term gives none). */
export const KNOWN_OBJECTIVES: Readonly<Record<string, { readonly path: string; readonly direction: Direction }>> = {
  energyPj: { path: 'energy.totalPj', direction: 'min' },
  compression: { path: 'storage.compression', direction: 'max' },
  totalBits: { path: 'storage.totalBits', direction: 'min' },
  sqnrDb: { path: 'metrics.sqnrDb', direction: 'max' },
  topsPerWattDense: { path: 'metrics.topsPerWattDense', direction: 'max' },
  topsPerWattEffective: { path: 'metrics.topsPerWattEffective', direction: 'max' },
  latencyNs: { path: 'timing.latencyNs', direction: 'min' },
  cycles: { path: 'timing.cycles', direction: 'min' },
  loads: { path: 'mapping.loads', direction: 'min' },
  rewrites: { path: 'mapping.rewrites', direction: 'min' },
  utilization: { path: 'mapping.utilization', direction: 'max' },
  segments: { path: 'storage.segments', direction: 'min' },
  accuracy: { path: 'accuracy.macro', direction: 'max' },
  areaMm2: { path: 'area.totalMm2', direction: 'min' },
  topsPerMm2: { path: 'area.topsPerMm2', direction: 'max' },
  denseEquivalentMbPerMm2: { path: 'area.denseEquivalentMbPerMm2', direction: 'max' },
};

const KNOWN_LIST = Object.keys(KNOWN_OBJECTIVES).join(', ');
const PATH_RE = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/;

/**
 * Parse objectives from `"a:min,b:max"` or `["a:min", "b:max"]` (terms may also be comma lists).
 * The direction may be left out for a known name (its usual direction is used); a dotted path needs
 * one. Throws ConfigError for an unknown name, a bad direction, a repeated objective or an empty list.
 * @example parseObjectives('energyPj:min,compression:max') // [{ name: 'energyPj', path: ['energy','totalPj'], direction: 'min' }, …]
 */
export function parseObjectives(spec: string | readonly string[]): Objective[] {
  const terms = (typeof spec === 'string' ? [spec] : spec)
    .flatMap((s) => s.split(','))
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (terms.length === 0) {
    throw new ConfigError('OBJECTIVES_EMPTY', `no objectives given; write e.g. energyPj:min,compression:max (known: ${KNOWN_LIST})`);
  }
  const out: Objective[] = [];
  const seen = new Set<string>();
  for (const term of terms) {
    const colon = term.lastIndexOf(':');
    const name = (colon < 0 ? term : term.slice(0, colon)).trim();
    const dirText = colon < 0 ? undefined : term.slice(colon + 1).trim();
    if (dirText !== undefined && dirText !== 'min' && dirText !== 'max') {
      throw new ConfigError('OBJECTIVE_DIRECTION', `objective "${term}": direction must be min or max; got "${dirText}"`);
    }
    const known = Object.prototype.hasOwnProperty.call(KNOWN_OBJECTIVES, name) ? KNOWN_OBJECTIVES[name] : undefined;
    let path: string;
    let direction: Direction;
    if (known !== undefined) {
      path = known.path;
      direction = (dirText as Direction | undefined) ?? known.direction;
    } else if (PATH_RE.test(name)) {
      if (dirText === undefined) {
        throw new ConfigError('OBJECTIVE_DIRECTION', `objective "${name}" needs a direction: write ${name}:min or ${name}:max`);
      }
      path = name;
      direction = dirText;
    } else {
      throw new ConfigError('OBJECTIVE_UNKNOWN',
        `unknown objective "${name}"; use one of ${KNOWN_LIST}, or a dotted record path such as energy.breakdownPj.adderTree`);
    }
    if (seen.has(path)) throw new ConfigError('OBJECTIVE_REPEATED', `objective "${name}" is given twice; list each objective once`);
    seen.add(path);
    out.push({ name, path: path.split('.'), direction });
  }
  return out;
}

/** Record paths of the calibration bands (macro-sim/uncertainty.ts) of the objectives that carry one. */
const BAND_PATHS: Readonly<Record<string, readonly string[]>> = {
  'energy.totalPj': ['energy', 'bandPj'],
  'area.totalMm2': ['area', 'bandMm2'],
};

/**
 * The calibration band `[low, high]` of an objective's value in a record, or null when the objective
 * carries none (only energy and area do) or the record lacks it.
 * @example objectiveBand(record, parseObjectives('energyPj:min')[0]) // [412.3, 2577]
 */
export function objectiveBand(record: object, objective: Objective): readonly [number, number] | null {
  const path = BAND_PATHS[objective.path.join('.')];
  if (!path) return null;
  let cur: unknown = record;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[k];
  }
  return Array.isArray(cur) && cur.length === 2 && typeof cur[0] === 'number' && typeof cur[1] === 'number' ? [cur[0], cur[1]] : null;
}

/**
 * The objective's value in `record`: a finite or infinite number, or NaN when the field is missing,
 * null, NaN or not a number (such records are left out of the front).
 */
export function objectiveValue(record: object, objective: Objective): number {
  let cur: unknown = record;
  const path = objective.path;
  for (let i = 0; i < path.length; i++) {
    if (cur === null || typeof cur !== 'object') return NaN;
    cur = (cur as Record<string, unknown>)[path[i]!];
  }
  return typeof cur === 'number' ? cur : NaN;
}

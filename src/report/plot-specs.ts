/**
 * Vega-Lite specs for the sweep report plots (rendered to SVG by ./plots.ts). Pure builders: records in,
 * plain JSON specs out, so they can be tested and reused without loading Vega.
 *
 * Grouping: a bar per format spec (`coo:8`, `rl:4`, `nm:2:4`, …), or per format family (`coo`, `rl`, …)
 * when asked. Sweeps usually hold many points per format (prunings × bit widths × macro sizes), so each
 * bar shows **one representative point**: the lowest-energy ok point of its group for the energy
 * chart, the smallest-storage ok point for the storage chart. The chart subtitle says so.
 */
import type { TopLevelSpec } from 'vega-lite';
import { ConfigError } from '../../errors.js';
import type { Objective, SweepRecordLike } from '../results/objectives.js';
import { objectiveBand, objectiveValue } from '../results/objectives.js';

/** How bars are grouped. */
export type BarGrouping = 'format' | 'family';

/** Colour palette for format families, fixed so the same family has the same colour in every chart. */
const FAMILY_ORDER = ['dense', 'bitmask', 'coo', 'rl', 'nm'];

/** The record's format spec (`point.format`), or `?` when absent. */
export function formatOf(r: SweepRecordLike): string {
  const f = (r.point as Record<string, unknown>)['format'];
  return typeof f === 'string' ? f : f === undefined ? '?' : String(f);
}

/** The format family: the spec up to its first `:` (`coo:8` → `coo`). */
export function familyOf(r: SweepRecordLike): string {
  return formatOf(r).split(':')[0]!;
}

function familyDomain(families: Iterable<string>): string[] {
  const set = new Set(families);
  const known = FAMILY_ORDER.filter((f) => set.has(f));
  const other = [...set].filter((f) => !FAMILY_ORDER.includes(f)).sort();
  return [...known, ...other];
}

const BASE_CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, titlePadding: 8, grid: true, gridOpacity: 0.5 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, subtitleFontSize: 11, anchor: 'start' as const, subtitleColor: '#555' },
  view: { stroke: '#ccc' },
};

function axisTitle(o: Objective): string {
  return `${o.name} (${o.direction === 'min' ? 'lower' : 'higher'} is better)`;
}

/** Use a log scale when every value is positive and they span more than two decades. */
function scaleFor(values: readonly number[]): { type: 'log' | 'linear'; zero?: boolean } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return lo > 0 && hi / lo > 100 ? { type: 'log' } : { type: 'linear', zero: false };
}

/**
 * Scatter of every ok record with both objective values (x = first objective, y = second), coloured by
 * format family; the `front` records are drawn larger with a black outline and joined by a line in
 * order of x.
 */
export function paretoScatterSpec(
  records: readonly SweepRecordLike[],
  objectives: readonly [Objective, Objective] | readonly Objective[],
  front: readonly SweepRecordLike[],
): TopLevelSpec {
  const [ox, oy] = objectives as readonly Objective[];
  if (ox === undefined || oy === undefined) {
    throw new ConfigError('PLOT_OBJECTIVES', `the Pareto scatter needs two objectives; got ${objectives.length} (write e.g. energyPj:min,compression:max)`);
  }
  const onFront = new Set(front.map((r) => r.id));
  const rows: Array<{ x: number; y: number; family: string; format: string; id: string; front: boolean; xLo?: number; xHi?: number; yLo?: number; yHi?: number }> = [];
  for (const r of records) {
    if (r.ok !== true) continue;
    const x = objectiveValue(r, ox);
    const y = objectiveValue(r, oy);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const bx = objectiveBand(r, ox), by = objectiveBand(r, oy);
    rows.push({
      x, y, family: familyOf(r), format: formatOf(r), id: r.id, front: onFront.has(r.id),
      ...(bx ? { xLo: bx[0], xHi: bx[1] } : {}), ...(by ? { yLo: by[0], yHi: by[1] } : {}),
    });
  }
  // Calibration bands (held-out errors, macro-sim/uncertainty.ts) as error bars on the front points.
  const xBars = rows.filter((p) => p.front && p.xLo !== undefined);
  const yBars = rows.filter((p) => p.front && p.yLo !== undefined);
  const frontRows = rows.filter((p) => p.front).sort((a, b) => a.x - b.x || a.y - b.y);
  const domain = familyDomain(rows.map((p) => p.family));
  const xEnc = { field: 'x', type: 'quantitative' as const, title: axisTitle(ox), scale: scaleFor(rows.map((p) => p.x)), axis: { format: '~s' } };
  const yEnc = { field: 'y', type: 'quantitative' as const, title: axisTitle(oy), scale: scaleFor(rows.map((p) => p.y)), axis: { format: '~s' } };
  const color = { field: 'family', type: 'nominal' as const, title: 'format', scale: { domain, scheme: 'tableau10' } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Pareto front: ${ox.name} vs ${oy.name}`,
      subtitle: `${rows.length} points, ${frontRows.length} on the front (outlined, joined)${xBars.length + yBars.length > 0 ? '; bars: calibration band of the front points' : ''}`,
    },
    width: 520,
    height: 340,
    config: BASE_CONFIG,
    layer: [
      ...(xBars.length > 0 ? [{ data: { values: xBars }, mark: { type: 'rule' as const, color: '#999', strokeWidth: 1 }, encoding: { x: { ...xEnc, field: 'xLo' }, x2: { field: 'xHi' }, y: yEnc } }] : []),
      ...(yBars.length > 0 ? [{ data: { values: yBars }, mark: { type: 'rule' as const, color: '#999', strokeWidth: 1 }, encoding: { x: xEnc, y: { ...yEnc, field: 'yLo' }, y2: { field: 'yHi' } } }] : []),
      { data: { values: rows }, mark: { type: 'point', filled: true, opacity: 0.75, size: 40 }, encoding: { x: xEnc, y: yEnc, color } },
      { data: { values: frontRows }, mark: { type: 'line', color: '#222', strokeWidth: 1.5, interpolate: 'linear' }, encoding: { x: xEnc, y: yEnc, order: { field: 'x', type: 'quantitative' } } },
      { data: { values: frontRows }, mark: { type: 'point', filled: true, opacity: 1, size: 90, stroke: '#000', strokeWidth: 1.5 }, encoding: { x: xEnc, y: yEnc, color } },
    ],
  } as TopLevelSpec;
}

/** The representative record of each group: the ok record minimising `score` (ties: first in input order). */
export function bestPerGroup(
  records: readonly SweepRecordLike[],
  score: (r: SweepRecordLike) => number,
  grouping: BarGrouping,
): Array<{ group: string; record: SweepRecordLike }> {
  const best = new Map<string, { s: number; record: SweepRecordLike }>();
  for (const r of records) {
    if (r.ok !== true) continue;
    const s = score(r);
    if (!Number.isFinite(s)) continue;
    const g = grouping === 'family' ? familyOf(r) : formatOf(r);
    const cur = best.get(g);
    if (cur === undefined || s < cur.s) best.set(g, { s, record: r });
  }
  // bars in family order, then by spec
  const fams = familyDomain([...best.values()].map((b) => familyOf(b.record)));
  return [...best.entries()]
    .sort((a, b) => fams.indexOf(familyOf(a[1].record)) - fams.indexOf(familyOf(b[1].record)) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([group, v]) => ({ group, record: v.record }));
}

function numberAt(r: SweepRecordLike, a: string, b: string): number {
  const o = r[a];
  if (o === null || typeof o !== 'object') return NaN;
  const v = (o as Record<string, unknown>)[b];
  return typeof v === 'number' ? v : NaN;
}

/** 3 significant digits with an SI suffix (12 345 → 12.3k). */
function shortNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const units = ['', 'k', 'M', 'G', 'T', 'P'];
  let u = 0;
  let x = v;
  while (Math.abs(x) >= 1000 && u < units.length - 1) { x /= 1000; u++; }
  return `${Number(x.toPrecision(3))}${units[u]}`;
}

/** A short description of the point behind a bar (`prune magnitude:0.9, 8 b`). */
function pointNote(r: SweepRecordLike): string {
  const p = r.point as Record<string, unknown>;
  const parts: string[] = [];
  if (p['prune'] !== undefined) parts.push(String(p['prune']));
  if (p['weightBits'] !== undefined) parts.push(`${String(p['weightBits'])} b`);
  return parts.join(' · ');
}

function stackedBarSpec(
  title: string,
  subtitle: string,
  rows: Array<{ group: string; part: string; value: number; order: number }>,
  totals: Array<{ group: string; total: number; label: string }>,
  groups: string[],
  parts: string[],
  yTitle: string,
): TopLevelSpec {
  // Headroom above the tallest bar for its (two-line) label.
  let maxTotal = 0;
  for (const t of totals) if (Number.isFinite(t.total) && t.total > maxTotal) maxTotal = t.total;
  const lines = totals.some((t) => t.label.includes('\n')) ? 2 : 1;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle },
    width: Math.max(240, 105 * groups.length),
    height: 300,
    config: BASE_CONFIG,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'group', type: 'nominal', title: 'format', sort: groups, axis: { labelAngle: groups.length > 6 ? -40 : 0, labelLimit: 140 } },
          y: { field: 'value', type: 'quantitative', title: yTitle, stack: 'zero', axis: { format: '~s' }, scale: { domain: [0, maxTotal * (1 + 0.08 * lines) || 1] } },
          color: { field: 'part', type: 'nominal', title: 'component', sort: parts, scale: { domain: parts, scheme: 'tableau20' } },
          order: { field: 'order', type: 'quantitative' },
        },
      },
      {
        data: { values: totals },
        mark: { type: 'text', dy: -4 - 12 * (lines - 1), fontSize: 10, lineHeight: 12, color: '#333', baseline: 'bottom', lineBreak: '\n' },
        encoding: {
          x: { field: 'group', type: 'nominal', sort: groups },
          y: { field: 'total', type: 'quantitative' },
          text: { field: 'label', type: 'nominal' },
        },
      },
    ],
  } as TopLevelSpec;
}

/**
 * Stacked bars of `energy.breakdownPj` for the lowest-energy ok point of each format (or family).
 * Components appear in order of their total share, largest at the bottom.
 */
export function energyBreakdownSpec(records: readonly SweepRecordLike[], grouping: BarGrouping = 'format'): TopLevelSpec {
  const chosen = bestPerGroup(records, (r) => numberAt(r, 'energy', 'totalPj'), grouping);
  const sums = new Map<string, number>();
  for (const { record } of chosen) {
    const bd = (record['energy'] as Record<string, unknown> | undefined)?.['breakdownPj'];
    if (bd === null || typeof bd !== 'object') continue;
    for (const [k, v] of Object.entries(bd as Record<string, unknown>)) {
      if (typeof v === 'number' && Number.isFinite(v)) sums.set(k, (sums.get(k) ?? 0) + v);
    }
  }
  const parts = [...sums.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  const rows: Array<{ group: string; part: string; value: number; order: number }> = [];
  const totals: Array<{ group: string; total: number; label: string }> = [];
  for (const { group, record } of chosen) {
    const bd = ((record['energy'] as Record<string, unknown> | undefined)?.['breakdownPj'] ?? {}) as Record<string, unknown>;
    for (let i = 0; i < parts.length; i++) {
      const v = bd[parts[i]!];
      if (typeof v === 'number' && Number.isFinite(v)) rows.push({ group, part: parts[i]!, value: v, order: i });
    }
    const total = numberAt(record, 'energy', 'totalPj');
    const note = pointNote(record);
    totals.push({ group, total, label: `${shortNumber(total)} pJ${note === '' ? '' : `\n${note}`}` });
  }
  return stackedBarSpec(
    'Energy breakdown per format',
    `lowest-energy point of each ${grouping === 'family' ? 'format family' : 'format'} (label: total, pruning · weight bits)`,
    rows, totals, chosen.map((c) => c.group), parts, 'energy (pJ)');
}

/** The four storage components of MODEL §4, bottom to top. */
export const STORAGE_PARTS = ['valueBits', 'indexBits', 'paddingBits', 'metadataBits'] as const;

/**
 * Stacked bars of the storage components (values / index / padding / metadata bits) for the
 * smallest-storage ok point of each format (or family), labelled with its compression.
 */
export function storageBreakdownSpec(records: readonly SweepRecordLike[], grouping: BarGrouping = 'format'): TopLevelSpec {
  const chosen = bestPerGroup(records, (r) => numberAt(r, 'storage', 'totalBits'), grouping);
  const rows: Array<{ group: string; part: string; value: number; order: number }> = [];
  const totals: Array<{ group: string; total: number; label: string }> = [];
  for (const { group, record } of chosen) {
    for (let i = 0; i < STORAGE_PARTS.length; i++) {
      const v = numberAt(record, 'storage', STORAGE_PARTS[i]!);
      if (Number.isFinite(v)) rows.push({ group, part: STORAGE_PARTS[i]!, value: v, order: i });
    }
    const c = numberAt(record, 'storage', 'compression');
    totals.push({ group, total: numberAt(record, 'storage', 'totalBits'), label: Number.isFinite(c) ? `${c.toFixed(2)}×` : '' });
  }
  return stackedBarSpec(
    'Storage breakdown per format',
    `smallest-storage point of each ${grouping === 'family' ? 'format family' : 'format'} (label: compression vs dense)`,
    rows, totals, chosen.map((c) => c.group), [...STORAGE_PARTS], 'storage (bits)');
}

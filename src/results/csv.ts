/**
 * CSV export of sweep records (RFC 4180: comma-separated, CRLF line ends, a field holding a comma,
 * double quote, CR or LF is wrapped in double quotes with inner quotes doubled).
 */
import type { Objective, SweepRecordLike } from './objectives.js';
import { objectiveValue } from './objectives.js';

/** One CSV column: its header and how to read a record's cell. */
export interface CsvColumn<R = SweepRecordLike> {
  readonly header: string;
  readonly value: (record: R) => unknown;
}

/** One RFC 4180 field: numbers and booleans as `String(v)`, null/undefined empty, objects as JSON. */
export function csvField(v: unknown): string {
  let s: string;
  if (v === null || v === undefined) s = '';
  else if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') s = String(v);
  else s = JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The records as CSV text: a header line, then one line per record, each ending in CRLF. */
export function toCsv<R>(records: readonly R[], columns: readonly CsvColumn<R>[]): string {
  const lines: string[] = [columns.map((c) => csvField(c.header)).join(',')];
  for (const r of records) lines.push(columns.map((c) => csvField(c.value(r))).join(','));
  return lines.join('\r\n') + '\r\n';
}

/**
 * The flattened column set: `id`, then `point.<axis>` for every axis any record has (first-seen
 * order), then one column per objective (headed by its name), then `ok` and `reason`.
 */
export function sweepCsvColumns(records: readonly SweepRecordLike[], objectives: readonly Objective[]): CsvColumn[] {
  const axes: string[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    for (const k of Object.keys(r.point)) {
      if (!seen.has(k)) { seen.add(k); axes.push(k); }
    }
  }
  const cols: CsvColumn[] = [{ header: 'id', value: (r) => r.id }];
  for (const a of axes) cols.push({ header: `point.${a}`, value: (r) => (r.point as Record<string, unknown>)[a] });
  for (const o of objectives) {
    cols.push({ header: o.name, value: (r) => { const v = objectiveValue(r, o); return Number.isNaN(v) ? '' : v; } });
  }
  cols.push({ header: 'ok', value: (r) => r.ok });
  cols.push({ header: 'reason', value: (r) => r['reason'] });
  return cols;
}

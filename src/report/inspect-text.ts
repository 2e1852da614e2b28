/**
 * The readable report of `imc-sim inspect`: one row per array of a tensor file.
 */
import type { ArraySummary } from '../prep/summarize.js';
import { fmt, formatTable } from './table.js';

/** The table of array summaries, under a line naming the file and its kind. */
export function inspectTextReport(file: string, kind: string, rows: readonly ArraySummary[]): string {
  return `${file}: ${kind}, ${rows.length} array(s)\n\n` + formatTable(
    ['name', 'dtype', 'shape', 'size', 'sparsity', 'min', 'max', 'assumed layout'],
    rows.map((r) => [
      r.name,
      r.dtype,
      `(${r.shape.join(', ')})`,
      String(r.size),
      `${(r.sparsity * 100).toFixed(2)}%`,
      fmt(r.min),
      fmt(r.max),
      r.layout && r.matrix ? `${r.layout} → [K=${r.matrix.rows}, N=${r.matrix.cols}]${r.note ? ` (${r.note})` : ''}` : r.note ?? '',
    ]),
  ) + '\n';
}

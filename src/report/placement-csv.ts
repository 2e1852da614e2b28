/**
 * The per-layer CSV of a model's placement on many macros (`macro-sim/placement.ts`): one line per
 * layer in model order, figures per image, RFC 4180 (the quoting and CRLF line ends of
 * `results/csv.ts`, shared). Macro ids (`chip:macro`) are joined by spaces in one field.
 */
import type { PlacedLayer, PlacementReport } from '../../macro-sim/placement.js';
import { toCsv, type CsvColumn } from '../results/csv.js';

/** The columns, in order: header and how each layer's cell is read. */
export const PLACEMENT_CSV_COLUMNS: readonly CsvColumn<PlacedLayer>[] = [
  { header: 'layer', value: (l) => l.name },
  { header: 'loads', value: (l) => l.loads },
  { header: 'segments', value: (l) => l.segments },
  { header: 'slotsPerLoad', value: (l) => l.slotsPerLoad },
  { header: 'firstLoad', value: (l) => l.firstLoad },
  { header: 'macros', value: (l) => l.macros.join(' ') },
  { header: 'chips', value: (l) => l.chips },
  { header: 'kTiles', value: (l) => l.kTiles },
  { header: 'nTiles', value: (l) => l.nTiles },
  { header: 'utilization', value: (l) => l.utilization },
  { header: 'rewrites', value: (l) => l.rewrites },
  { header: 'cycles', value: (l) => l.cycles },
  { header: 'latencyNs', value: (l) => l.latencyNs },
  { header: 'energyPj', value: (l) => l.energyPj },
  { header: 'partialSumAdds', value: (l) => l.partialSumAdds },
  { header: 'partialSumEnergyPj', value: (l) => l.partialSumEnergyPj },
  { header: 'interChipPartialSums', value: (l) => l.interChipPartialSums },
];

/**
 * The placement's layers as CSV text: a header line, then one line per layer, each ending in CRLF.
 *
 * @example placementCsv(report).split('\r\n')[0] // 'layer,loads,segments,…,interChipPartialSums'
 */
export function placementCsv(report: PlacementReport): string {
  return toCsv(report.layers, PLACEMENT_CSV_COLUMNS);
}

/**
 * The placements of several format runs in one CSV: a leading `format` column, then
 * {@link PLACEMENT_CSV_COLUMNS}, the runs one after another.
 */
export function placementsCsv(runs: readonly { readonly format: string; readonly placement: PlacementReport }[]): string {
  const rows = runs.flatMap((r) => r.placement.layers.map((layer) => ({ format: r.format, layer })));
  return toCsv(rows, [{ header: 'format', value: (x) => x.format }, ...PLACEMENT_CSV_COLUMNS.map((c) => ({ header: c.header, value: (x: (typeof rows)[number]) => c.value(x.layer) }))]);
}

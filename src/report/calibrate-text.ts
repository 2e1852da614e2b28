/**
 * The readable report of `imc-sim calibrate`: modelled against published TOPS/W per preset.
 */
import type { CalibrationRow } from '../../macro-sim/calibration.js';
import { fmt, formatTable } from './table.js';

/** One row per preset: role, precision, published and modelled TOPS/W, error, source. */
export function calibrateTextReport(rows: readonly CalibrationRow[]): string {
  return formatTable(
    ['preset', 'role', 'precision', 'published TOPS/W', 'modelled TOPS/W', 'error', 'source'],
    rows.map((r) => [r.preset, r.role, `INT${r.weightBits}`, `${fmt(r.publishedTopsPerWatt, 4)} ${r.tag}`, fmt(r.modelledTopsPerWatt, 4), `${r.errorPct >= 0 ? '+' : ''}${r.errorPct.toFixed(1)}%`, r.source]),
  ) + '\n';
}

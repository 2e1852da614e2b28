/**
 * The readable report of `imc-sim calibrate`: every published point against the model, fitted and
 * held-out errors summarised separately, and the fitted constants.
 */
import { errorSummaries, type CalibrationReport, type CalibrationRow, type ErrorSummary } from '../../macro-sim/calibration.js';
import { fmt, formatTable } from './table.js';

function opText(r: CalibrationRow): string {
  if (r.vdd !== undefined) return `${r.vdd} V`;
  const o = r.operating;
  if (!o) return '';
  const data = `${Math.round(o.inputZeroFraction * 100)}% zero in, ${Math.round(o.weightSparsity * 100)}% zero w`;
  const base = r.baseline ? ` vs ${Math.round(r.baseline.inputZeroFraction * 100)}%/${Math.round(r.baseline.weightSparsity * 100)}%` : '';
  return `${o.weightBits}b×${o.inputBits}b${o.signedInputs ? ' signed' : ''}, ${o.vdd} V, ${o.clockMHz} MHz, ${data}${base}`;
}

const UNITS: Record<CalibrationRow['metric'], string> = { topsPerWatt: 'TOPS/W', efficiencyGain: '× gain', areaMm2: 'mm²', maxClockMHz: 'MHz' };

function summaryLine(what: string, s: ErrorSummary): string {
  return `${what}: ${s.points} point(s) on ${s.macros} macro(s), worst |error| ${s.worstPct.toFixed(1)} %, rms ${s.rmsPct.toFixed(1)} %`;
}

/** The calibration table, then the error summaries and the fitted constants. */
export function calibrateTextReport(report: CalibrationReport): string {
  const sign = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;
  const table = formatTable(
    ['point', 'role', 'metric', 'node', 'published', 'at 28 nm', 'modelled', 'error', 'operating point'],
    report.rows.map((r) => [
      r.id, r.role, UNITS[r.metric], `${r.nodeNm} nm`, `${fmt(r.publishedAsReported, 4)} ${r.tag}`, fmt(r.published, 4), fmt(r.modelled, 4), sign(r.errorPct), opText(r),
    ]),
  );
  const f = report.fitted;
  return [
    table,
    '',
    ...errorSummaries(report).map(([label, s]) => summaryLine(label.padEnd(36), s)),
    `least-squares fit: adder tree ${fmt(f.adderTreeFaBitFj, 4)} fJ per active FA bit + ${fmt(f.adderTreeDataBitFj, 4)} fJ per data toggle (at 0.9 V); alpha-power law V_th ${fmt(f.thresholdV, 4)} V (α = ${f.alpha}); areas are gate-level, not fitted`,
    'sources and assumptions: imc-sim calibrate --json (rows[].source, rows[].assumed); docs/CALIBRATION.md',
    '',
  ].join('\n');
}

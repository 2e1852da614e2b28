/**
 * The plot of `imc-sim calibrate --plot`: modelled against published, one point per calibration row,
 * on log axes (ratios are what matter), with the y = x line and the ±30 % band, coloured by role
 * (fit / held-out) and shaped by the kind of figure. Errors of every kind share one picture because
 * each point is drawn as (published, modelled) in its own unit.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CalibrationReport } from '../../macro-sim/calibration.js';
import { renderSvg } from './plots.js';

const KIND: Record<string, string> = {
  topsPerWatt: 'TOPS/W', efficiencyGain: 'efficiency gain (×)', areaMm2: 'area (mm²)', maxClockMHz: 'max clock (MHz)',
};

/** The Vega-Lite spec of the calibration scatter. */
export function calibrationScatterSpec(report: CalibrationReport): TopLevelSpec {
  const values = report.rows.map((r) => ({ id: r.id, role: r.role, kind: KIND[r.metric] ?? r.metric, published: r.published, modelled: r.modelled, error: `${r.errorPct >= 0 ? '+' : ''}${r.errorPct.toFixed(1)} %` }));
  let lo = Infinity, hi = -Infinity;
  for (const v of values) for (const x of [v.published, v.modelled]) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
  lo /= 1.5;
  hi *= 1.5;
  const line = (k: number, name: string) => [{ x: lo, y: lo * k, band: name }, { x: hi, y: hi * k, band: name }];
  const guides = [...line(1, 'y = x'), ...line(1.3, '±30 %'), ...line(0.7, '−30 %')];
  const scale = { type: 'log' as const, domain: [lo, hi] };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'imc-sim calibrate: modelled vs published (28 nm-normalised)', subtitle: 'filled: fitted points · hollow: held-out points; lines: y = x and ±30 %' },
    width: 520,
    height: 520,
    config: { font: 'DejaVu Sans, Helvetica, Arial, sans-serif', axis: { grid: true, gridOpacity: 0.4 }, view: { stroke: '#ccc' } },
    layer: [
      {
        data: { values: guides },
        mark: { type: 'line', strokeDash: [4, 3], color: '#888' },
        encoding: { x: { field: 'x', type: 'quantitative', scale }, y: { field: 'y', type: 'quantitative', scale }, detail: { field: 'band' } },
      },
      {
        data: { values },
        mark: { type: 'point', size: 80, strokeWidth: 2 },
        encoding: {
          x: { field: 'published', type: 'quantitative', scale, title: 'published (normalised to 28 nm)' },
          y: { field: 'modelled', type: 'quantitative', scale, title: 'modelled' },
          color: { field: 'role', type: 'nominal', scale: { domain: ['fit', 'held-out'], range: ['#1f77b4', '#d62728'] } },
          shape: { field: 'kind', type: 'nominal', title: 'figure' },
          fill: { condition: { test: "datum.role === 'fit'", field: 'role', type: 'nominal' }, value: 'transparent' },
          tooltip: [{ field: 'id' }, { field: 'published' }, { field: 'modelled' }, { field: 'error' }],
        },
      },
      {
        data: { values },
        mark: { type: 'text', dx: 6, dy: -6, align: 'left', fontSize: 9, color: '#444' },
        encoding: { x: { field: 'published', type: 'quantitative', scale }, y: { field: 'modelled', type: 'quantitative', scale }, text: { field: 'id' } },
      },
    ],
  } as TopLevelSpec;
}

/** Render the calibration scatter to SVG. */
export async function calibrationScatterSvg(report: CalibrationReport): Promise<string> {
  return renderSvg(calibrationScatterSpec(report));
}

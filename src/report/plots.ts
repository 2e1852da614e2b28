/**
 * SVG plots of a sweep (Pareto scatter, energy and storage breakdowns) and a self-contained HTML page
 * embedding them. Specs are Vega-Lite (./plot-specs.ts), compiled to Vega and rendered headless with
 * `renderer: 'none'` → `toSVG()`: no browser, no canvas. Vega is imported lazily (it takes a while to
 * load), so every function is async.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Objective, SweepRecordLike } from '../results/objectives.js';
import { objectiveValue } from '../results/objectives.js';
import { paretoFront } from '../results/pareto.js';
import {
  type BarGrouping, energyBreakdownSpec, formatOf, paretoScatterSpec, storageBreakdownSpec,
} from './plot-specs.js';

/** Compile a Vega-Lite spec and render it to an SVG string (headless). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Pareto scatter of the first two objectives: every ok point coloured by format family, the `front`
 * outlined and joined in order of the first objective.
 */
export async function paretoScatterSvg(
  records: readonly SweepRecordLike[],
  objectives: readonly [Objective, Objective] | readonly Objective[],
  front: readonly SweepRecordLike[],
): Promise<string> {
  return renderSvg(paretoScatterSpec(records, objectives, front));
}

/** Stacked `energy.breakdownPj` bars, one per format: the lowest-energy ok point of each (see ./plot-specs.ts). */
export async function energyBreakdownSvg(records: readonly SweepRecordLike[], grouping: BarGrouping = 'format'): Promise<string> {
  return renderSvg(energyBreakdownSpec(records, grouping));
}

/** Stacked value / index / padding / metadata bits, one bar per format: the smallest-storage ok point of each. */
export async function storageBreakdownSvg(records: readonly SweepRecordLike[], grouping: BarGrouping = 'format'): Promise<string> {
  return renderSvg(storageBreakdownSpec(records, grouping));
}

/** Inputs of {@link plotsHtml}. */
export interface PlotsPageInput {
  readonly title?: string;
  readonly records: readonly SweepRecordLike[];
  /** Objectives; the scatter uses the first two (it is left out with fewer). */
  readonly objectives: readonly Objective[];
  /** The Pareto front; computed from `records` and `objectives` when absent. */
  readonly front?: readonly SweepRecordLike[];
  readonly grouping?: BarGrouping;
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function fmtNumber(v: number): string {
  if (Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}

/**
 * One self-contained HTML page (inline SVG and CSS, no scripts, no external resources): a summary
 * line, the Pareto scatter, the energy and storage breakdowns, and the front as a table.
 */
export async function plotsHtml(input: PlotsPageInput): Promise<string> {
  const { records, objectives } = input;
  const grouping = input.grouping ?? 'format';
  const front = input.front ?? (objectives.length > 0 ? paretoFront(records, objectives).front : []);
  const okCount = records.filter((r) => r.ok === true).length;
  const title = input.title ?? 'imc-sim sweep report';
  const figures: string[] = [];
  if (objectives.length >= 2) {
    figures.push(figure(await paretoScatterSvg(records, objectives, front),
      `Pareto front of ${objectives.map((o) => `${o.name} (${o.direction})`).join(', ')}; plotted: the first two.`));
  }
  figures.push(figure(await energyBreakdownSvg(records, grouping), 'Energy per event class, lowest-energy point of each format.'));
  figures.push(figure(await storageBreakdownSvg(records, grouping), 'Storage components (MODEL §4), smallest-storage point of each format.'));

  const head = ['id', 'format', ...objectives.map((o) => `${o.name} (${o.direction})`)];
  const body = front.map((r) => `<tr><td><code>${escapeHtml(r.id.slice(0, 12))}</code></td><td>${escapeHtml(formatOf(r))}</td>${
    objectives.map((o) => `<td class="num">${escapeHtml(fmtNumber(objectiveValue(r, o)))}</td>`).join('')}</tr>`);
  const table = objectives.length === 0 ? '' : `<h2>Pareto front (${front.length} points)</h2>
<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${body.join('\n')}
</tbody></table>`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
figure { margin: 1.5em 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.75em; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${records.length} records, ${okCount} ok, ${records.length - okCount} failed; ${front.length} on the Pareto front.</p>
${figures.join('\n')}
${table}
</body>
</html>
`;
}

function figure(svg: string, caption: string): string {
  return `<figure>\n${svg}\n<figcaption>${escapeHtml(caption)}</figcaption>\n</figure>`;
}

/**
 * Every plot of a sweep as `[file name, text]`: `pareto.svg`, `energy.svg`, `storage.svg` and the
 * self-contained `report.html` (what `imc-sim plot` writes). Rendered in memory: nothing is written.
 */
export async function renderPlotFiles(records: readonly SweepRecordLike[], objectives: readonly Objective[], title: string): Promise<Array<[string, string]>> {
  const front = paretoFront(records, objectives).front;
  return [
    ['pareto.svg', await paretoScatterSvg(records, objectives, front)],
    ['energy.svg', await energyBreakdownSvg(records)],
    ['storage.svg', await storageBreakdownSvg(records)],
    ['report.html', await plotsHtml({ records, objectives, front, title })],
  ];
}

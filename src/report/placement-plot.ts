/**
 * The plot of a model's placement on many macros (`macro-sim/placement.ts`): energy and latency per
 * layer, per image, as two bar charts over the same layer axis in model order. The slowest stage is
 * drawn in a second colour, since it sets the pipelined interval. Rendered to SVG by `renderSvg`
 * (./plots.ts), headless.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PlacementReport } from '../../macro-sim/placement.js';
import { renderSvg } from './plots.js';

const BASE_CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, titlePadding: 8, grid: true, gridOpacity: 0.5 },
  title: { fontSize: 14, subtitleFontSize: 11, anchor: 'start' as const, subtitleColor: '#555' },
  view: { stroke: '#ccc' },
};

/** Layer labels, unique (a repeated name gets ` #i`), in model order. */
function labels(names: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
  return names.map((n, i) => (count.get(n)! > 1 ? `${n} #${i}` : n));
}

function short(v: number): string {
  return String(Number(v.toPrecision(4)));
}

/** The largest unit (factor over the base unit) in which the largest value is still ≥ 1. */
function unitFor(values: readonly number[], units: readonly (readonly [string, number])[]): readonly [string, number] {
  const top = Math.max(0, ...values);
  let pick = units[0]!;
  for (const u of units) if (top >= u[1]) pick = u;
  return pick;
}

const TIME_UNITS = [['ns', 1], ['µs', 1e3], ['ms', 1e6], ['s', 1e9]] as const;
const ENERGY_UNITS = [['pJ', 1], ['nJ', 1e3], ['µJ', 1e6], ['mJ', 1e9]] as const;

/** A duration in ns, written in the unit that suits it. */
function time(ns: number): string {
  const [u, f] = unitFor([ns], TIME_UNITS);
  return `${short(ns / f)} ${u}`;
}

/**
 * The Vega-Lite spec: energy above, stage latency below, one bar per layer, each in the unit that
 * suits its largest bar (pJ … mJ, ns … s); the subtitle gives the topology, the schedule and the
 * sequential and pipelined latencies.
 */
export function placementPlotSpec(report: PlacementReport): TopLevelSpec {
  const names = labels(report.layers.map((l) => l.name));
  const slowest = Math.max(0, ...report.layers.map((l) => l.cycles));
  const [eUnit, eFactor] = unitFor(report.layers.map((l) => l.energyPj), ENERGY_UNITS);
  const [tUnit, tFactor] = unitFor(report.layers.map((l) => l.latencyNs), TIME_UNITS);
  const values = report.layers.map((l, i) => ({
    layer: names[i]!,
    energy: l.energyPj / eFactor,
    latency: l.latencyNs / tFactor,
    stage: l.cycles === slowest && slowest > 0 ? 'slowest stage' : 'stage',
    macros: l.macros.length,
    rewrites: l.rewrites,
  }));
  const t = report.topology;
  const p = report.total.pipelined;
  const subtitle = [
    `${t.chips} chip${t.chips === 1 ? '' : 's'} × ${t.macrosPerChip} macros × ${t.weightSets} weight set${t.weightSets === 1 ? '' : 's'}; ${report.schedule}; ${report.total.rewrites} re-writes per pass`,
    `per image: sequential ${time(report.total.sequential.latencyNs)}` +
      (p === null ? '; not pipelined (the model does not fit)' : `; pipelined every ${time(p.intervalNs)} after a ${time(p.fillNs)} fill`),
  ];
  const x = { field: 'layer', type: 'nominal' as const, sort: names, title: 'layer (model order)', axis: { labelAngle: -40 } };
  const tooltip = [{ field: 'layer' }, { field: 'energy', title: `energy ${eUnit}` }, { field: 'latency', title: `latency ${tUnit}` }, { field: 'macros' }, { field: 'rewrites' }];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Energy and latency per layer on many macros', subtitle },
    config: BASE_CONFIG,
    data: { values },
    vconcat: [
      {
        width: Math.max(240, 40 * values.length),
        height: 180,
        mark: { type: 'bar', color: '#4c78a8' },
        encoding: { x: { ...x, axis: { ...x.axis, title: null, labels: false } }, y: { field: 'energy', type: 'quantitative', title: `energy per image (${eUnit})` }, tooltip },
      },
      {
        width: Math.max(240, 40 * values.length),
        height: 180,
        mark: { type: 'bar' },
        encoding: {
          x,
          y: { field: 'latency', type: 'quantitative', title: `stage latency per image (${tUnit})` },
          color: { field: 'stage', type: 'nominal', title: null, scale: { domain: ['stage', 'slowest stage'], range: ['#72b7b2', '#e45756'] } },
          tooltip,
        },
      },
    ],
  } as TopLevelSpec;
}

/** Render {@link placementPlotSpec} to an SVG string. */
export async function placementPlotSvg(report: PlacementReport): Promise<string> {
  return renderSvg(placementPlotSpec(report));
}

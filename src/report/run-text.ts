/**
 * The readable report of `imc-sim run`: the macro, then per layer the formats, the energy
 * breakdown and the baselines; for a model file the totals per format.
 */
import type { ModelTotal } from '../run/document.js';
import { operatingPointJson, type RunFileResult } from '../run/run-file.js';
import { isFeasible, type FormatRun } from '../run/run-layer.js';
import { fmt, fmtBits, formatTable } from './table.js';

const FORMAT_HEADER = ['format', 'compression', 'loads', 're-writes', 'cycles', 'latency µs', 'energy nJ', 'band nJ', 'TOPS/W dense', 'TOPS/W eff', 'SQNR dB', 'exact'];
const AREA_HEADER = ['format', 'area mm²', 'band mm²', 'TOPS/mm²', 'dense-eq Mb/mm²', 'weights/mm²'];

function areaRow(f: FormatRun): string[] {
  const a = f.area;
  return [f.format, fmt(a.totalMm2, 4), `${fmt(a.bandMm2[0], 3)}–${fmt(a.bandMm2[1], 3)}`, fmt(a.topsPerMm2, 4), fmt(a.denseEquivalentMbPerMm2, 4), fmt(a.effectiveWeightsPerMm2, 4)];
}

function formatRow(f: FormatRun): string[] {
  return [
    f.format,
    `${fmt(f.storage.compression, 3)}×`,
    String(f.mapping.loads),
    String(f.mapping.rewrites),
    String(f.timing.cycles),
    `${fmt(f.timing.latencyNs / 1000, 4)}`,
    fmt(f.energy.totalPj / 1000, 4),
    `${fmt(f.energy.bandPj[0] / 1000, 3)}–${fmt(f.energy.bandPj[1] / 1000, 3)}`,
    fmt(f.metrics.topsPerWattDense, 4),
    fmt(f.metrics.topsPerWattEffective, 4),
    f.metrics.sqnrDb === null ? '—' : fmt(f.metrics.sqnrDb, 4),
    f.outputsExact ? 'yes' : 'NO',
  ];
}

function totalRow(t: ModelTotal): string[] {
  const name = t.format.split('|')[0]!.split(':')[0]!;
  if (t.storage === undefined) return [name, `infeasible: ${t.reason}`];
  return [name, `${fmt(t.storage.compression, 3)}×`, String(t.mapping!.loads), String(t.mapping!.rewrites), String(t.timing!.cycles), fmt(t.energy!.totalPj / 1000, 4), fmt(t.metrics!.topsPerWattDense, 4), fmt(t.metrics!.topsPerWattEffective, 4), t.outputsExact ? 'yes' : 'NO'];
}

/** The readable report of a {@link RunFileResult}. */
export function runTextReport(r: RunFileResult): string {
  const out: string[] = [];
  const m = r.macro;
  out.push(`macro ${m.preset}: R=${m.rows} × C=${m.bitColumns} bit-columns, M=${m.macros}${m.weightSets > 1 ? `, G=${m.weightSets} weight sets` : ''}, b_x=${m.inputBits}${m.signedInputs ? ' signed' : ''}, ${m.clockMHz} MHz, ${m.vdd} V, ${m.techNm} nm${m.skipZeroBitPlanes ? ', zero bit-planes skipped' : ''}${m.weightsResident ? ', weights resident' : ''}${m.overlapWrites ? ', overlapped writes' : ''}`);
  const op = operatingPointJson(m);
  if (op.overclocked) {
    out.push(`warning: ${m.clockMHz} MHz is above the ${fmt(op.maxClockMHz, 3)} MHz this macro reaches at ${m.vdd} V (alpha-power law anchored at its preset's clock and VDD); lower --clock-mhz or raise --vdd`);
  }
  out.push(`calibration bands (held-out errors, docs/CALIBRATION.md): absolute energy ×/÷ ${op.energyBandFactor}, area ×/÷ ${op.areaBandFactor}; a ratio of two runs on this macro ×/÷ ${op.relativeBandFactor}`);
  for (const run of r.runs) {
    const p = run.prepared;
    const inp = run.inputs.description;
    out.push('');
    out.push(`${r.file} · ${p.name} · ${p.layout} → [K=${p.K}, N=${p.N}] · prune ${p.prune} · ${p.weightBits}-bit ${p.granularity} · nnz ${p.nnz} (sparsity ${(p.sparsity * 100).toFixed(2)}%)`);
    out.push(
      inp.source === 'random'
        ? `inputs: ${inp.batch} random vectors (${inp.generator}, seed ${inp.seed}, ${(inp.zeroFraction * 100).toFixed(0)}% zeros), ${inp.bits}-bit`
        : `inputs: ${inp.batch} vectors from '${inp.name}', ${inp.bits}-bit${inp.signed ? ' signed' : ''}, scale ${fmt(inp.scale)}`,
    );
    out.push('');
    const feasible = run.formats.filter(isFeasible);
    out.push(formatTable(FORMAT_HEADER, feasible.map(formatRow)));
    for (const f of run.formats) if (!isFeasible(f)) out.push(`${f.format}: infeasible — ${f.reason}`);
    out.push('');
    const comps = Array.from(new Set(feasible.flatMap((f) => Object.keys(f.energy.breakdownPj))));
    out.push('energy breakdown (pJ)');
    out.push(formatTable(['format', ...comps], feasible.map((f) => [f.format, ...comps.map((c) => fmt(f.energy.breakdownPj[c] ?? 0, 4))])));
    out.push('');
    out.push('area (28 nm, the macros laid out for each format) and density');
    out.push(formatTable(AREA_HEADER, feasible.map(areaRow)));
    const areaComps = Array.from(new Set(feasible.flatMap((f) => Object.keys(f.area.breakdownMm2))));
    out.push(formatTable(['format', ...areaComps.map((c) => `${c} mm²`)], feasible.map((f) => [f.format, ...areaComps.map((c) => fmt(f.area.breakdownMm2[c] ?? 0, 3))])));
    if (run.baselines.length > 0) {
      out.push('');
      out.push('baselines (same integer matrix and inputs)');
      out.push(
        formatTable(
          ['baseline', 'energy nJ', 'TOPS/W dense', 'TOPS/W eff', 'storage', 'latency µs', 'area mm²', 'source'],
          run.baselines.map((b) => [b.name, fmt(b.energyPj / 1000, 4), fmt(b.topsPerWattDense, 4), fmt(b.topsPerWattEffective, 4), fmtBits(b.storageBits), b.latencyNs === null ? '—' : fmt(b.latencyNs / 1000, 4), b.areaMm2 === undefined ? '—' : fmt(b.areaMm2, 4), b.source.length > 70 ? b.source.slice(0, 67) + '...' : b.source]),
        ),
      );
    }
  }
  if (r.model) {
    out.push('');
    out.push(`model totals (all layers share M=${m.macros} macro(s))`);
    out.push(formatTable(['format', 'compression', 'loads', 're-writes', 'cycles', 'energy nJ', 'TOPS/W dense', 'TOPS/W eff', 'exact'], (r.document.totals as ModelTotal[]).map(totalRow)));
  }
  return out.join('\n') + '\n';
}

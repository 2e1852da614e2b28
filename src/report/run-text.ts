/**
 * The readable report of `imc-sim run`: the macro, then per layer the formats, the energy
 * breakdown and the baselines; for a model file the totals per format.
 */
import type { ModelTotal } from '../run/document.js';
import type { RunFileResult } from '../run/run-file.js';
import { isFeasible, type FormatRun } from '../run/run-layer.js';
import { fmt, fmtBits, formatTable } from './table.js';

const FORMAT_HEADER = ['format', 'compression', 'loads', 're-writes', 'cycles', 'latency µs', 'energy nJ', 'TOPS/W dense', 'TOPS/W eff', 'SQNR dB', 'exact'];

function formatRow(f: FormatRun): string[] {
  return [
    f.format,
    `${fmt(f.storage.compression, 3)}×`,
    String(f.mapping.loads),
    String(f.mapping.rewrites),
    String(f.timing.cycles),
    `${fmt(f.timing.latencyNs / 1000, 4)}`,
    fmt(f.energy.totalPj / 1000, 4),
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
  out.push(`macro ${m.preset}: R=${m.rows} × C=${m.bitColumns} bit-columns, M=${m.macros}, b_x=${m.inputBits}${m.signedInputs ? ' signed' : ''}, ${m.clockMHz} MHz, ${m.vdd} V, ${m.techNm} nm${m.skipZeroBitPlanes ? ', zero bit-planes skipped' : ''}${m.weightsResident ? ', weights resident' : ''}${m.overlapWrites ? ', overlapped writes' : ''}`);
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
    if (run.baselines.length > 0) {
      out.push('');
      out.push('baselines (same integer matrix and inputs)');
      out.push(
        formatTable(
          ['baseline', 'energy nJ', 'TOPS/W dense', 'TOPS/W eff', 'storage', 'latency µs', 'source'],
          run.baselines.map((b) => [b.name, fmt(b.energyPj / 1000, 4), fmt(b.topsPerWattDense, 4), fmt(b.topsPerWattEffective, 4), fmtBits(b.storageBits), b.latencyNs === null ? '—' : fmt(b.latencyNs / 1000, 4), b.source.length > 70 ? b.source.slice(0, 67) + '...' : b.source]),
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

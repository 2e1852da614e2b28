/**
 * Reports of a run: the `run --json` document and the readable tables.
 */
import type { MacroConfig } from '../../macro-sim/config.js';
import { fmt, fmtBits, formatTable } from '../report/table.js';
import { sumStorage } from './encode-layer.js';
import { isFeasible, type FormatRun, type InfeasibleFormat, type LayerRun } from './run-layer.js';

/** JSON of one simulated layer (one entry per format plus the baselines). */
export function layerRunJson(r: LayerRun) {
  const p = r.prepared;
  return {
    array: p.name,
    layout: p.layout,
    prune: p.prune,
    weightBits: p.weightBits,
    granularity: p.granularity,
    matrix: { rows: p.K, cols: p.N },
    nnz: p.nnz,
    sparsity: p.sparsity,
    inputs: r.inputs.description,
    outputsExact: r.formats.filter(isFeasible).every((f) => f.outputsExact),
    formats: r.formats,
    baselines: r.baselines,
  };
}

/** One format's totals over a model (or why it could not run). */
export interface ModelTotal {
  format: string;
  ok?: false;
  reason?: string;
  storage?: ReturnType<typeof sumStorage>;
  mapping?: { segments: number; loads: number; rounds: number; rewrites: number };
  timing?: { cycles: number; latencyNs: number };
  energy?: { totalPj: number; breakdownPj: Record<string, number> };
  metrics?: { macsDense: number; macsEffective: number; topsPerWattDense: number; topsPerWattEffective: number };
  outputsExact?: boolean;
}

/**
 * Model totals per format: storage, loads and cycles summed over layers; re-writes counted across
 * layers (all layers' loads compete for the same M macros).
 */
export function modelTotalsJson(runs: readonly LayerRun[], macro: MacroConfig) {
  const nFormats = runs[0]?.formats.length ?? 0;
  const out: ModelTotal[] = [];
  for (let i = 0; i < nFormats; i++) {
    const all = runs.map((r) => r.formats[i]!);
    if (!all.every(isFeasible)) {
      out.push({ format: all.map((f) => f.format).join('|'), ok: false, reason: all.filter((f): f is InfeasibleFormat => !isFeasible(f)).map((f) => f.reason).join(' | ') });
      continue;
    }
    const fs = all as FormatRun[];
    const loads = fs.reduce((a, f) => a + f.mapping.loads, 0);
    const energyPj = fs.reduce((a, f) => a + f.energy.totalPj, 0);
    const macsDense = fs.reduce((a, f) => a + f.metrics.macsDense, 0);
    const macsEffective = fs.reduce((a, f) => a + f.metrics.macsEffective, 0);
    const breakdownPj: Record<string, number> = {};
    for (const f of fs) for (const [k, v] of Object.entries(f.energy.breakdownPj)) breakdownPj[k] = (breakdownPj[k] ?? 0) + v;
    out.push({
      format: fs.map((f) => f.format).join('|'),
      storage: sumStorage(fs.map((f) => f.storage)),
      mapping: {
        segments: fs.reduce((a, f) => a + f.mapping.segments, 0),
        loads,
        rounds: Math.ceil(loads / macro.macros),
        rewrites: Math.max(0, loads - macro.macros),
      },
      timing: { cycles: fs.reduce((a, f) => a + f.timing.cycles, 0), latencyNs: fs.reduce((a, f) => a + f.timing.latencyNs, 0) },
      energy: { totalPj: energyPj, breakdownPj },
      metrics: { macsDense, macsEffective, topsPerWattDense: (2 * macsDense) / energyPj, topsPerWattEffective: (2 * macsEffective) / energyPj },
      outputsExact: fs.every((f) => f.outputsExact),
    });
  }
  return out;
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
    fmt(f.metrics.topsPerWattDense, 4),
    fmt(f.metrics.topsPerWattEffective, 4),
    f.metrics.sqnrDb === null ? '—' : fmt(f.metrics.sqnrDb, 4),
    f.outputsExact ? 'yes' : 'NO',
  ];
}

const FORMAT_HEADER = ['format', 'compression', 'loads', 're-writes', 'cycles', 'latency µs', 'energy nJ', 'TOPS/W dense', 'TOPS/W eff', 'SQNR dB', 'exact'];

/** The readable report of `imc-sim run`. */
export function runTextReport(file: string, runs: readonly LayerRun[], macro: MacroConfig, model: boolean): string {
  const out: string[] = [];
  const m = macro;
  out.push(`macro ${m.preset}: R=${m.rows} × C=${m.bitColumns} bit-columns, M=${m.macros}, b_x=${m.inputBits}${m.signedInputs ? ' signed' : ''}, ${m.clockMHz} MHz, ${m.vdd} V, ${m.techNm} nm${m.skipZeroBitPlanes ? ', zero bit-planes skipped' : ''}${m.weightsResident ? ', weights resident' : ''}${m.overlapWrites ? ', overlapped writes' : ''}`);
  for (const r of runs) {
    const p = r.prepared;
    const inp = r.inputs.description;
    out.push('');
    out.push(`${file} · ${p.name} · ${p.layout} → [K=${p.K}, N=${p.N}] · prune ${p.prune} · ${p.weightBits}-bit ${p.granularity} · nnz ${p.nnz} (sparsity ${(p.sparsity * 100).toFixed(2)}%)`);
    out.push(
      inp.source === 'random'
        ? `inputs: ${inp.batch} random vectors (${inp.generator}, seed ${inp.seed}, ${(inp.zeroFraction * 100).toFixed(0)}% zeros), ${inp.bits}-bit`
        : `inputs: ${inp.batch} vectors from '${inp.name}', ${inp.bits}-bit${inp.signed ? ' signed' : ''}, scale ${fmt(inp.scale)}`,
    );
    out.push('');
    const feasible = r.formats.filter(isFeasible);
    out.push(formatTable(FORMAT_HEADER, feasible.map(formatRow)));
    for (const f of r.formats) if (!isFeasible(f)) out.push(`${f.format}: infeasible — ${f.reason}`);
    out.push('');
    const comps = Array.from(new Set(feasible.flatMap((f) => Object.keys(f.energy.breakdownPj))));
    out.push('energy breakdown (pJ)');
    out.push(formatTable(['format', ...comps], feasible.map((f) => [f.format, ...comps.map((c) => fmt(f.energy.breakdownPj[c] ?? 0, 4))])));
    if (r.baselines.length > 0) {
      out.push('');
      out.push('baselines (same integer matrix and inputs)');
      out.push(
        formatTable(
          ['baseline', 'energy nJ', 'TOPS/W dense', 'TOPS/W eff', 'storage', 'latency µs', 'source'],
          r.baselines.map((b) => [b.name, fmt(b.energyPj / 1000, 4), fmt(b.topsPerWattDense, 4), fmt(b.topsPerWattEffective, 4), fmtBits(b.storageBits), b.latencyNs === null ? '—' : fmt(b.latencyNs / 1000, 4), b.source.length > 70 ? b.source.slice(0, 67) + '...' : b.source]),
        ),
      );
    }
  }
  if (model) {
    out.push('');
    out.push(`model totals (all layers share M=${macro.macros} macro(s))`);
    out.push(
      formatTable(
        ['format', 'compression', 'loads', 're-writes', 'cycles', 'energy nJ', 'TOPS/W dense', 'TOPS/W eff', 'exact'],
        modelTotalsJson(runs, macro).map((t) => t.storage === undefined ? [t.format.split('|')[0]!.split(':')[0]!, `infeasible: ${t.reason}`] : [t.format.split('|')[0]!.split(':')[0]!, `${fmt(t.storage.compression, 3)}×`, String(t.mapping!.loads), String(t.mapping!.rewrites), String(t.timing!.cycles), fmt(t.energy!.totalPj / 1000, 4), fmt(t.metrics!.topsPerWattDense, 4), fmt(t.metrics!.topsPerWattEffective, 4), t.outputsExact ? 'yes' : 'NO']),
      ),
    );
  }
  return out.join('\n') + '\n';
}

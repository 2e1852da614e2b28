/**
 * The readable report of `imc-sim eval`: accuracy of the float, integer and macro paths, then per
 * format a table of the layers (per image) with the network totals, then the baselines.
 */
import type { NetworkReport } from '../network/evaluate.js';
import { fmt, fmtBits, formatTable } from './table.js';

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
const fmtDb = (x: number, unit = true): string => (x === Infinity ? 'exact' : `${x.toFixed(1)}${unit ? ' dB' : ''}`);

/** The readable report of a {@link NetworkReport}. */
export function evalTextReport(r: NetworkReport): string {
  const out: string[] = [];
  out.push(`network ${r.network}: ${r.images} images, weights ${r.weightBits} b (${r.granularity}), prune ${r.prune}, inputs ${r.inputBits} b`);
  out.push(`macro ${r.macro.preset}: R=${r.macro.rows}, C=${r.macro.bitColumns}, M=${r.macro.macros}${r.macro.weightSets > 1 ? `, G=${r.macro.weightSets}` : ''}, ${r.macro.clockMHz} MHz, ${r.macro.vdd} V; batch ${r.batchImages} images`);
  out.push(`activation scales: ${r.calibration}`);
  out.push('');
  // One line per fold is right for --json; the text report names them on one line.
  const folds = r.notes.map((n) => /^batch norm (\S+) is folded into \S+ (\S+) /.exec(n)).filter((m) => m !== null);
  if (folds.length > 0) out.push(`note: ${folds.length} batch norm(s) folded into the conv/linear before them for the macro (${folds.map((m) => m![2]).join(', ')}); the float reference runs them separately`);
  for (const n of r.notes) if (!/^batch norm \S+ is folded/.test(n)) out.push(`note: ${n}`);
  const check = r.macroMatchesInteger ? ' (macro = integer on every image)' : ' (MACRO DIFFERS FROM INTEGER: a simulator bug, please report)';
  out.push(r.accuracy
    ? `accuracy: float ${pct(r.accuracy.float)}, integer ${pct(r.accuracy.integer)}, macro ${pct(r.accuracy.macro)}${check}`
    : `accuracy: no labels given${check}`);
  const f = r.fidelity;
  out.push(`fidelity vs the float model: output SQNR ${fmtDb(f.outputSqnrDb)}, top-1 agreement ${pct(f.top1Agreement)}; ` +
    `per layer (accumulated) SQNR dB: ${f.layers.map((l) => `${l.name} ${fmtDb(l.sqnrDb, false)}`).join(', ')}`);
  for (const run of r.runs) {
    out.push('');
    out.push(`format ${run.format} — per image:`);
    const rows = run.layers.map((l) => [
      l.name, `${l.K}x${l.N}`, String(l.vectorsPerImage), pct(l.sparsity), l.format, fmtBits(l.storage.totalBits), `${fmt(l.storage.compression, 3)}×`,
      String(l.mapping.loads), l.resident ? 'yes' : 'no', fmt(l.timing.cycles), fmt(l.energy.totalPj), fmt(l.metrics.topsPerWattEffective, 3),
    ]);
    const t = run.total;
    rows.push([
      'total', '', '', '', '', fmtBits(t.storage.totalBits), `${fmt(t.storage.compression, 3)}×`, String(t.mapping.loads), '',
      fmt(t.timing.cycles), fmt(t.energy.totalPj), fmt(t.metrics.topsPerWattEffective, 3),
    ]);
    out.push(formatTable(['layer', 'KxN', 'vectors', 'sparsity', 'format', 'storage', 'compr.', 'loads', 'resident', 'cycles', 'energy pJ', 'TOPS/W eff'], rows));
    out.push(`loads ${t.mapping.loads} on ${r.macro.macros} macro(s): ${t.mapping.rewrites} re-writes per batch; latency ${fmt(t.timing.latencyNs)} ns/image; ` +
      `TOPS/W dense-equivalent ${fmt(t.metrics.topsPerWattDense, 3)}, effective ${fmt(t.metrics.topsPerWattEffective, 3)}; utilization ${pct(t.metrics.utilization)}`);
    const pl = run.placement, pt = pl.total;
    out.push(`placement on ${pl.topology.chips} chip(s) × ${pl.topology.macrosPerChip} macro(s): ${pl.schedule}, ${pt.macrosUsed} macros used, ${pt.rewrites} re-writes; ` +
      `latency layer after layer ${fmt(pt.sequential.latencyNs)} ns/image` +
      (pt.pipelined ? `, pipelined a new image every ${fmt(pt.pipelined.intervalNs)} ns (fill ${fmt(pt.pipelined.fillNs)} ns)` : ' (the model does not fit: no pipeline)') +
      (pt.partialSumAdds > 0 ? `; ${fmt(pt.partialSumAdds)} partial-sum adds/image` : ''));
    const band = t.energy.bandPj;
    out.push(`energy ${fmt(t.energy.totalPj)} pJ/image${band ? ` (calibration band ${fmt(band[0], 3)}–${fmt(band[1], 3)} pJ)` : ''}; ` +
      `area ${fmt(t.area.totalMm2, 4)} mm² (band ${fmt(t.area.bandMm2[0], 3)}–${fmt(t.area.bandMm2[1], 3)}), ${fmt(t.area.topsPerMm2, 3)} TOPS/mm² dense-equivalent`);
  }
  out.push('');
  out.push('baselines per image:');
  out.push(formatTable(['baseline', 'energy pJ', 'TOPS/W eff', 'storage'], r.baselines.map((b) => [b.name, fmt(b.energyPjPerImage), fmt(b.topsPerWattEffective, 3), fmtBits(b.storageBits)])));
  return out.join('\n');
}

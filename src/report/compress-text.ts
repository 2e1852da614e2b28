/**
 * The readable report of `imc-sim compress`: accuracy before and after, a table per layer (rule,
 * rank, nonzeros, storage and energy per image in each format) and the totals.
 */
import type { CompressReport } from '../compress/compress-model.js';
import { fmt, fmtBits, formatTable } from './table.js';

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

/** Render a {@link CompressReport} as text. */
export function compressTextReport(r: CompressReport): string {
  const formats = Object.keys(r.total.energyPjPerImage);
  const lines: string[] = [];
  lines.push(`${r.network}: ${r.method}${r.method === 'svd' ? '' : `, structure ${r.structure}`}, ${r.weightBits}-bit weights, ${r.inputBits}-bit inputs; trained on ${r.trainImages} images, accuracy on ${r.testImages} held-out images`);
  lines.push(`accuracy  float ${pct(r.accuracy.floatBefore)} → ${pct(r.accuracy.floatAfter)}   on the macro ${pct(r.accuracy.macroBefore)} → ${pct(r.accuracy.macroAfter)} (what eval reports on the written model)`);
  lines.push('');
  const header = ['layer', 'K×N', 'rule', 'nnz', 'sparsity', ...(r.layers.some((l) => l.breakEvenSparsity !== null) ? ['break-even'] : []), ...formats.map((f) => `${f} bits`), ...formats.map((f) => `${f} pJ/img`)];
  const showBe = header.includes('break-even');
  const rows = r.layers.map((l) => [
    l.name, `${l.K}×${l.N}`, l.rule, String(l.nnz), pct(l.sparsity),
    ...(showBe ? [l.breakEvenSparsity === null ? '—' : fmt(l.breakEvenSparsity, 3)] : []),
    ...formats.map((f) => fmtBits(l.storageBits[f]!)), ...formats.map((f) => fmt(l.energyPjPerImage[f]!)),
  ]);
  rows.push([
    'total', '', '', String(r.total.nnz), pct(1 - r.total.nnz / r.total.weights), ...(showBe ? [''] : []),
    ...formats.map((f) => fmtBits(r.total.storageBits[f]!)), ...formats.map((f) => fmt(r.total.energyPjPerImage[f]!)),
  ]);
  lines.push(formatTable(header, rows));
  lines.push('');
  const dense = r.total.originalDenseEnergyPjPerImage;
  const best = r.total.bestFormat;
  const gain = best !== 'dense' ? ` (${fmt(dense / r.total.energyPjPerImage[best]!, 3)}× less than the original model dense)` : '';
  lines.push(`${fmt(r.total.compression, 3)}× fewer nonzero weights (${r.total.weights} → ${r.total.nnz}); least energy per image: ${best}${gain}`);
  const mix = r.total.perLayerBest;
  if (new Set(Object.values(mix.formats)).size > 1 || Object.values(mix.formats)[0] !== best) {
    const mixGain = ` (${fmt(dense / mix.energyPjPerImage, 3)}× less than the original model dense)`;
    lines.push(`each layer in its least-energy format (${Object.entries(mix.formats).map(([l, f]) => `${l} ${f}`).join(', ')}): ${fmt(mix.energyPjPerImage)} pJ per image${mixGain}, ${fmtBits(mix.storageBits)}`);
  }
  if (r.output) lines.push(`wrote ${r.output.file}${r.output.graph ? ` and its graph ${r.output.graph}` : ''}`);
  return lines.join('\n');
}

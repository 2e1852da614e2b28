/**
 * The readable report of `imc-sim breakeven`: per layer and format, the break-even sparsity for
 * energy and for storage, then each curve (format vs dense, energy and storage, per scanned point).
 */
import type { BreakEvenRow } from '../breakeven/break-even.js';
import { fmt, fmtBits, formatTable } from './table.js';

const pct = (s: number | null): string => (s === null ? 'never (in the scan)' : `${(100 * s).toFixed(1)} %`);

/** The summary table, then one curve table per layer and format. */
export function breakEvenTextReport(rows: readonly BreakEvenRow[], structure: string): string {
  const out: string[] = [
    `break-even sparsity: the lowest sparsity from which the format costs no more than dense on the same macro (pruning: ${structure}; nm formats at their own N:m structure)`,
    '',
    formatTable(['layer', 'format', 'energy break-even', 'storage break-even', 'scanned with'], rows.map((r) => [r.layer, r.format, pct(r.energySparsity), pct(r.storageSparsity), r.structure])),
  ];
  for (const r of rows) {
    out.push('', `${r.layer} · ${r.format}`);
    out.push(formatTable(
      ['sparsity', 'energy nJ', 'dense nJ', 'energy ratio', 'storage', 'dense storage', 'storage ratio'],
      r.curve.map((p) => [
        `${(100 * p.sparsity).toFixed(1)} %`,
        p.energyPj === null ? `infeasible: ${p.reason ?? ''}` : fmt(p.energyPj / 1000, 4),
        fmt(p.denseEnergyPj / 1000, 4),
        p.energyPj === null ? '—' : fmt(p.energyPj / p.denseEnergyPj, 3),
        p.storageBits === null ? '—' : fmtBits(p.storageBits),
        fmtBits(p.denseStorageBits),
        p.storageBits === null ? '—' : fmt(p.storageBits / p.denseStorageBits, 3),
      ]),
    ));
  }
  return out.join('\n') + '\n';
}

/**
 * The readable report of `imc-sim encode`: the six storage figures of MODEL §4 per format (per
 * array and in total for a model file).
 */
import type { StorageFigures } from '../../formats/types.js';
import type { EncodeFileResult } from '../encode/encode-file.js';
import { isEncoded } from '../encode/encode-layer.js';
import { fmt, fmtBits, formatTable } from './table.js';

const STORAGE_HEADER = ['compression', 'total', 'values', 'index', 'padding', 'metadata', 'segments'];

function storageCells(s: StorageFigures): string[] {
  return [`${fmt(s.compression, 3)}×`, fmtBits(s.totalBits), fmtBits(s.valueBits), fmtBits(s.indexBits), fmtBits(s.paddingBits), fmtBits(s.metadataBits), String(s.segments)];
}

/** The readable report of an {@link EncodeFileResult}. */
export function encodeTextReport(r: EncodeFileResult): string {
  const out: string[] = [];
  const file = r.file.path;
  if (!r.model) {
    const layer = r.layers[0]!;
    const p = layer.prepared;
    out.push(`${file} · ${p.name} · ${p.layout} → [K=${p.K}, N=${p.N}] · prune ${p.prune} · ${p.weightBits}-bit ${p.granularity} · nnz ${p.nnz} (sparsity ${(p.sparsity * 100).toFixed(2)}%) · R=${r.rows}`, '');
    out.push(formatTable(['format', ...STORAGE_HEADER], layer.encodings.filter(isEncoded).map((e) => [e.format, ...storageCells(e.storage)])));
    for (const e of layer.encodings) if (!isEncoded(e)) out.push(`${e.format}: infeasible — ${e.reason}`);
  } else {
    out.push(`${file} · ${r.layers.length} weight arrays · R=${r.rows}`, '');
    const body: string[][] = [];
    for (const l of r.layers) {
      const p = l.prepared;
      for (const e of l.encodings) if (isEncoded(e)) body.push([p.name, `[${p.K}, ${p.N}]`, `${(p.sparsity * 100).toFixed(1)}%`, e.format, ...storageCells(e.storage)]);
    }
    for (const t of r.totals) if (t.storage) body.push(['total', '', '', t.format, ...storageCells(t.storage)]);
    out.push(formatTable(['array', '[K, N]', 'sparsity', 'format', ...STORAGE_HEADER], body));
    for (const l of r.layers) for (const e of l.encodings) if (!isEncoded(e)) out.push(`${l.prepared.name} ${e.format}: infeasible — ${e.reason}`);
  }
  return out.join('\n') + '\n';
}

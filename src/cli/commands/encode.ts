import type { Command } from 'commander';
import { ConfigError } from '../../../formats/errors.js';
import { loadTensorFile, writeFileAtomic } from '../../io/load.js';
import { encodeNpy } from '../../io/npy.js';
import { encodedToNpz } from '../../pipeline/encoded-file.js';
import { DEFAULT_SEGMENT_ROWS, encodedLayerJson, encodeTensor, isEncoded, sumStorage, type EncodedLayer, type FormatEncoding } from '../../pipeline/encode-layer.js';
import { intMatrixToArray } from '../../pipeline/quantized-array.js';
import { parseLayout } from '../../prep/layout.js';
import { fmt, fmtBits, formatTable } from '../../report/table.js';
import { VERSION } from '../../version.js';
import { pickLayers } from '../../pipeline/layers.js';
import { addPrepOptions, parseIntOption, type PrepFlags } from '../options.js';

interface EncodeFlags extends PrepFlags {
  format: string;
  rows: string;
  output?: string;
  dumpQuantized?: string;
  json?: boolean;
}

/** `imc-sim encode FILE --weight-bits B --format SPEC[,SPEC…] …` */
export function register(program: Command): void {
  const cmd = program
    .command('encode')
    .description('prune, quantize and encode weights into column-wise sparse formats (packed bitstreams) with exact storage accounting')
    .argument('<file>', 'weights: .npy, .npz or .safetensors');
  addPrepOptions(cmd, { weightBitsRequired: true });
  cmd
    .requiredOption('--format <specs>', 'format(s), comma-separated: dense | bitmask | coo[:b_i] | rl[:b_r] | nm:N:m')
    .option('--rows <R>', 'segment capacity R (the macro row count)', String(DEFAULT_SEGMENT_ROWS))
    .option('-o, --output <file.npz>', 'write the encoded layer (one array, one format) as an .npz numpy can open')
    .option('--dump-quantized <q.npy>', 'write the final integer matrix [K, N] (one array)')
    .option('--json', 'one JSON document on stdout')
    .action((file: string, flags: EncodeFlags) => {
      const weightBits = parseIntOption('--weight-bits', flags.weightBits);
      const rows = parseIntOption('--rows', flags.rows);
      const layout = flags.layout === undefined ? undefined : parseLayout(flags.layout);
      const f = loadTensorFile(file);
      const { tensors, model } = pickLayers(f, flags.array);
      const nFormats = flags.format.split(',').length;
      if (flags.output && (model || nFormats !== 1)) {
        throw new ConfigError('OUTPUT_NEEDS_ONE', `-o writes one encoded array in one format; got ${tensors.length} array(s) and ${nFormats} format(s): add --array NAME and give a single --format`);
      }
      if (flags.dumpQuantized && model) {
        throw new ConfigError('OUTPUT_NEEDS_ONE', `--dump-quantized writes one array; ${file} holds ${tensors.length}: add --array NAME`);
      }
      const prep = { layout, prune: flags.prune, weightBits, granularity: flags.granularity };
      // Everything is computed before anything is written: an error leaves no partial output.
      const layers: EncodedLayer[] = tensors.map((t) => encodeTensor(t, prep, flags.format, rows));
      const first = layers[0]!;
      const outputs: Array<[string, Uint8Array]> = [];
      if (flags.output) {
        const p = first.prepared;
        outputs.push([flags.output, encodedToNpz((first.encodings[0] as FormatEncoding).encoded, { file, array: p.name, layout: p.layout, prune: p.prune, granularity: p.granularity, scales: Array.from(p.scales) })]);
      }
      if (flags.dumpQuantized) outputs.push([flags.dumpQuantized, encodeNpy(intMatrixToArray(first.prepared.q, weightBits))]);
      for (const [path, bytes] of outputs) writeFileAtomic(path, bytes);

      const specs = flags.format.split(',').map((s) => s.trim());
      if (flags.json) {
        const doc = model
          ? { tool: 'imc-sim', version: VERSION, file, layers: layers.map((l) => encodedLayerJson(l, rows)), totals: totals(layers, specs) }
          : { tool: 'imc-sim', version: VERSION, file, ...encodedLayerJson(first, rows) };
        process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
        return;
      }
      process.stdout.write(textReport(file, layers, specs, rows, model));
      for (const [path] of outputs) process.stdout.write(`wrote ${path}\n`);
    });
}

interface FormatTotal {
  format: string;
  ok?: false;
  reason?: string;
  storage?: ReturnType<typeof sumStorage>;
  nnz?: number;
}

function totals(layers: EncodedLayer[], specs: string[]): FormatTotal[] {
  return specs.map((spec, i) => {
    const all = layers.map((l) => l.encodings[i]!);
    if (!all.every(isEncoded)) return { format: spec, ok: false as const, reason: all.filter((e) => !isEncoded(e)).map((e) => (e as { reason: string }).reason).join(' | ') };
    const storage = sumStorage((all as FormatEncoding[]).map((e) => e.storage));
    return { format: spec, storage, nnz: layers.reduce((a, l) => a + l.prepared.nnz, 0) };
  });
}

function storageCells(s: { compression: number; totalBits: number; valueBits: number; indexBits: number; paddingBits: number; metadataBits: number; segments: number }): string[] {
  return [`${fmt(s.compression, 3)}×`, fmtBits(s.totalBits), fmtBits(s.valueBits), fmtBits(s.indexBits), fmtBits(s.paddingBits), fmtBits(s.metadataBits), String(s.segments)];
}

const STORAGE_HEADER = ['compression', 'total', 'values', 'index', 'padding', 'metadata', 'segments'];

function textReport(file: string, layers: EncodedLayer[], specs: string[], rows: number, model: boolean): string {
  const out: string[] = [];
  if (!model) {
    const p = layers[0]!.prepared;
    out.push(`${file} · ${p.name} · ${p.layout} → [K=${p.K}, N=${p.N}] · prune ${p.prune} · ${p.weightBits}-bit ${p.granularity} · nnz ${p.nnz} (sparsity ${(p.sparsity * 100).toFixed(2)}%) · R=${rows}`, '');
    out.push(formatTable(['format', ...STORAGE_HEADER], layers[0]!.encodings.filter(isEncoded).map((e) => [e.format, ...storageCells(e.storage)])));
    for (const e of layers[0]!.encodings) if (!isEncoded(e)) out.push(`${e.format}: infeasible — ${e.reason}`);
  } else {
    out.push(`${file} · ${layers.length} weight arrays · R=${rows}`, '');
    const body: string[][] = [];
    for (const l of layers) {
      const p = l.prepared;
      for (const e of l.encodings) if (isEncoded(e)) body.push([p.name, `[${p.K}, ${p.N}]`, `${(p.sparsity * 100).toFixed(1)}%`, e.format, ...storageCells(e.storage)]);
    }
    for (const t of totals(layers, specs)) if (t.storage) body.push(['total', '', '', t.format, ...storageCells(t.storage)]);
    out.push(formatTable(['array', '[K, N]', 'sparsity', 'format', ...STORAGE_HEADER], body));
    for (const l of layers) for (const e of l.encodings) if (!isEncoded(e)) out.push(`${l.prepared.name} ${e.format}: infeasible — ${e.reason}`);
  }
  return out.join('\n') + '\n';
}

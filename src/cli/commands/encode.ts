/** `imc-sim encode FILE --weight-bits B --format SPEC[,SPEC…] …`: storage of each format (library: `encodeFile`). */
import type { Command } from 'commander';
import { z } from 'zod';
import { ConfigError } from '../../../errors.js';
import { splitFormatList } from '../../../formats/registry.js';
import { encodeFile } from '../../encode/encode-file.js';
import { isEncoded } from '../../encode/encode-layer.js';
import { encodedToNpz } from '../../io/encoded-file.js';
import { intMatrixToArray } from '../../io/int-matrix-array.js';
import { writeFileAtomic } from '../../io/load.js';
import { encodeNpy } from '../../io/npy.js';
import { encodeTextReport } from '../../report/encode-text.js';
import { addFormatFlag, addMacroFlags, addWeightFlags, macroFlagValues, parseFlags, weightFlags } from '../flags.js';

const EncodeFlags = { ...weightFlags, format: z.string(), macro: z.string().optional(), output: z.string().optional(), dumpQuantized: z.string().optional(), json: z.boolean().optional() };

/** Register `encode` on the program. */
export function register(program: Command): void {
  const cmd = program
    .command('encode')
    .description('prune, quantize and encode weights into column-wise sparse formats (packed bitstreams) with exact storage accounting')
    .argument('<file>', 'weights: .npy, .npz, .safetensors, a torch.save .pt/.pth state dict or an .onnx model');
  addWeightFlags(cmd, { array: true, layout: true, weightBitsRequired: true });
  addFormatFlag(cmd);
  addMacroFlags(cmd, ['rows'])
    .option('-o, --output <file.npz>', 'write the encoded layer (one array, one format) as an .npz numpy can open')
    .option('--dump-quantized <q.npy>', 'write the final integer matrix [K, N] (one array)')
    .option('--json', 'one JSON document on stdout')
    .action((file: string, opts: Record<string, unknown>) => {
      const f = parseFlags(EncodeFlags, opts);
      if (f.output && splitFormatList(f.format).length !== 1) throw new ConfigError('OUTPUT_NEEDS_ONE', `-o writes one encoded array in one format; got --format ${f.format}: give a single --format`);
      const r = encodeFile({ ...f, file, formats: f.format, macroOverrides: macroFlagValues(opts) });
      if (f.output && (r.model || r.specs.length !== 1)) {
        throw new ConfigError('OUTPUT_NEEDS_ONE', `-o writes one encoded array in one format; got ${r.layers.length} array(s) and ${r.specs.length} format(s): add --array NAME and give a single --format`);
      }
      if (f.dumpQuantized && r.model) throw new ConfigError('OUTPUT_NEEDS_ONE', `--dump-quantized writes one array; ${file} holds ${r.layers.length}: add --array NAME`);
      // Everything is computed before anything is written: an error leaves no partial output.
      const p = r.layers[0]!.prepared;
      const outputs: Array<[string, Uint8Array]> = [];
      const first = r.layers[0]!.encodings[0]!;
      if (f.output && isEncoded(first)) {
        outputs.push([f.output, encodedToNpz(first.encoded, { file, array: p.name, layout: p.layout, prune: p.prune, granularity: p.granularity, scales: Array.from(p.scales) })]);
      }
      if (f.dumpQuantized) outputs.push([f.dumpQuantized, encodeNpy(intMatrixToArray(p.q, p.weightBits))]);
      for (const [path, bytes] of outputs) writeFileAtomic(path, bytes);
      if (f.json) process.stdout.write(JSON.stringify(r.document, null, 2) + '\n');
      else process.stdout.write(encodeTextReport(r) + outputs.map(([path]) => `wrote ${path}\n`).join(''));
    });
}

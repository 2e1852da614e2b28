/** `imc-sim run [FILE] --format SPEC[,SPEC…] …`: the layer (or model) on the macro, with baselines. */
import * as path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { ConfigError } from '../../../errors.js';
import { intMatrixToArray } from '../../io/int-matrix-array.js';
import { loadTensorFile, writeFileAtomic } from '../../io/load.js';
import { pickLayers } from '../../io/pick-layers.js';
import { encodeNpy } from '../../io/npy.js';
import { runTextReport } from '../../report/run-text.js';
import { BUNDLED_PRUNE, DEFAULT_RUN_FORMATS, runFile } from '../../run/run-file.js';
import { addFormatFlag, addInputFlags, addMacroFlags, addWeightFlags, inputFlags, macroFlagValues, parseFlags, weightFlags } from '../flags.js';

const RunFlags = {
  ...weightFlags,
  ...inputFlags,
  format: z.string(),
  macro: z.string().optional(),
  baselines: z.boolean(),
  sqnr: z.boolean(),
  dumpOutputs: z.string().optional(),
  dumpQuantized: z.string().optional(),
  json: z.boolean().optional(),
};

/** Register `run` on the program. */
export function register(program: Command): void {
  const cmd = program
    .command('run')
    .description('simulate weights on the SP-IMC macro in each format: cycles, loads, re-writes, energy breakdown, TOPS/W and SQNR, beside dense-IMC, bitmask-IMC, ASIC, FPGA and mobile-GPU baselines (no FILE: a bundled real layer)')
    .argument('[file]', `weights: .npy, .npz or .safetensors (default: the bundled MobileNetV1 conv6 pointwise layer, pruned ${BUNDLED_PRUNE})`);
  addWeightFlags(cmd, { array: true, layout: true, weightBitsRequired: false });
  addFormatFlag(cmd, DEFAULT_RUN_FORMATS);
  addMacroFlags(cmd);
  addInputFlags(cmd)
    .option('--no-baselines', 'skip the baseline table')
    .option('--no-sqnr', 'skip SQNR (it costs a dense float product K·N·B)')
    .option('--dump-outputs <y.npy>', 'write the integer outputs [B, N] (float64 holding exact integers)')
    .option('--dump-quantized <q.npy>', 'write the final integer matrix [K, N]')
    .option('--json', 'one JSON document on stdout')
    .action((file: string | undefined, opts: Record<string, unknown>) => {
      const f = parseFlags(RunFlags, opts);
      const dumps = f.dumpOutputs !== undefined || f.dumpQuantized !== undefined;
      // Refuse an impossible output request before any simulation runs.
      const loaded = dumps && file !== undefined ? loadTensorFile(file) : file;
      if (typeof loaded === 'object' && pickLayers(loaded, f.array).model) {
        throw new ConfigError('OUTPUT_NEEDS_ONE', `--dump-outputs/--dump-quantized write one layer; ${file} holds several weight arrays: add --array NAME`);
      }
      const result = runFile({ ...f, file: loaded, formats: f.format, macroOverrides: macroFlagValues(opts), keepOutputs: f.dumpOutputs !== undefined });
      if (result.bundled) {
        process.stderr.write(`no FILE given: running on the bundled real layer ${path.relative(process.cwd(), result.file)} (MobileNetV1 conv6 pointwise, see fixtures/data/README.md) with --prune ${result.runs[0]!.prepared.prune}\n`);
      }
      // Everything is computed before anything is written: an error leaves no partial output.
      const first = result.runs[0]!;
      const outputs: Array<[string, Uint8Array]> = [];
      if (f.dumpOutputs && first.outputs) outputs.push([f.dumpOutputs, encodeNpy({ dtype: 'float64', shape: [first.inputs.batch, first.prepared.N], data: first.outputs })]);
      if (f.dumpQuantized) outputs.push([f.dumpQuantized, encodeNpy(intMatrixToArray(first.prepared.q, first.prepared.weightBits))]);
      for (const [p, bytes] of outputs) writeFileAtomic(p, bytes);
      if (f.json) process.stdout.write(JSON.stringify(result.document, null, 2) + '\n');
      else process.stdout.write(runTextReport(result) + outputs.map(([p]) => `wrote ${p}\n`).join(''));
    });
}

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ConfigError } from '../../../formats/errors.js';
import { loadTensorFile, writeFileAtomic } from '../../io/load.js';
import { pickLayers } from '../../pipeline/layers.js';
import { encodeNpy } from '../../io/npy.js';
import { intMatrixToArray } from '../../pipeline/quantized-array.js';
import { DEFAULT_RUN_FORMATS, runFile } from '../../pipeline/run-file.js';
import { runTextReport } from '../../pipeline/run-report.js';
import { addMacroOptions, macroOverrides } from '../macro-options.js';
import { addPrepOptions, parseIntOption, parseNumberOption, type PrepFlags } from '../options.js';

/** The bundled real layer `imc-sim run` uses without a FILE (see fixtures/data/README.md). */
export const BUNDLED_LAYER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/data/mobilenetv1-conv6-pointwise.npy');

interface RunFlags extends PrepFlags {
  format: string;
  inputs?: string;
  inputsArray?: string;
  batch?: string;
  seed: string;
  zeroFraction: string;
  json?: boolean;
  dumpOutputs?: string;
  dumpQuantized?: string;
  baselines: boolean;
  sqnr: boolean;
  macro?: string;
  [key: string]: unknown;
}

/** `imc-sim run [FILE] --format SPEC[,SPEC…] …` */
export function register(program: Command): void {
  const cmd = program
    .command('run')
    .description('simulate weights on the SP-IMC macro in each format: cycles, loads, re-writes, energy breakdown, TOPS/W and SQNR, beside dense-IMC, bitmask-IMC, ASIC, FPGA and mobile-GPU baselines (no FILE: a bundled real layer)')
    .argument('[file]', 'weights: .npy, .npz or .safetensors (default: the bundled MobileNetV1 conv6 pointwise layer, pruned to 90 %)');
  addPrepOptions(cmd, { weightBitsRequired: false });
  cmd.option('--format <specs>', 'format(s), comma-separated: dense | bitmask | coo[:b_i] | rl[:b_r] | nm:N:m', DEFAULT_RUN_FORMATS);
  addMacroOptions(cmd);
  cmd
    .option('--inputs <x.npy>', 'activations [B, K] (or [B, ...] flattening to K, e.g. images; quantized per MODEL §2); default: seeded random integers')
    .option('--inputs-array <name>', 'array to use when --inputs is an .npz')
    .option('--batch <B>', 'input vectors (random inputs: default 16; --inputs: first B rows)')
    .option('--seed <S>', 'seed of the random inputs', '1')
    .option('--zero-fraction <f>', 'fraction of zeros in random inputs', '0.5')
    .option('--no-baselines', 'skip the baseline table')
    .option('--no-sqnr', 'skip SQNR (it costs a dense float product K·N·B)')
    .option('--dump-outputs <y.npy>', 'write the integer outputs [B, N] (float64 holding exact integers)')
    .option('--dump-quantized <q.npy>', 'write the final integer matrix [K, N]')
    .option('--json', 'one JSON document on stdout')
    .action((file: string | undefined, flags: RunFlags) => {
      const bundled = file === undefined;
      const source = file ?? BUNDLED_LAYER;
      // The bundled demo prunes to 90 % unless the user chose a prune spec.
      const userPrune = process.argv.some((a) => a === '--prune' || a.startsWith('--prune='));
      const prune = bundled && !userPrune ? 'magnitude:0.9' : flags.prune;
      if (bundled) {
        process.stderr.write(`no FILE given: running on the bundled real layer ${path.relative(process.cwd(), source)} (MobileNetV1 conv6 pointwise, see fixtures/data/README.md) with --prune ${prune}\n`);
      }
      // Load once and refuse impossible output requests before any simulation runs.
      const file0 = loadTensorFile(source);
      if ((flags.dumpOutputs || flags.dumpQuantized) && pickLayers(file0, flags.array).model) {
        throw new ConfigError('OUTPUT_NEEDS_ONE', `--dump-outputs/--dump-quantized write one layer; ${source} holds several weight arrays: add --array NAME`);
      }
      const result = runFile({
        file: file0,
        array: flags.array,
        layout: flags.layout,
        prune,
        weightBits: parseIntOption('--weight-bits', flags.weightBits),
        granularity: flags.granularity,
        formats: flags.format,
        macro: flags.macro,
        macroOverrides: macroOverrides(flags),
        inputs: flags.inputs,
        inputsArray: flags.inputsArray,
        batch: flags.batch === undefined ? undefined : parseIntOption('--batch', flags.batch),
        seed: parseIntOption('--seed', flags.seed),
        zeroFraction: parseNumberOption('--zero-fraction', flags.zeroFraction),
        baselines: flags.baselines,
        sqnr: flags.sqnr,
        keepOutputs: !!flags.dumpOutputs,
      });
      const first = result.runs[0]!;
      const outputs: Array<[string, Uint8Array]> = [];
      if (flags.dumpOutputs && first.outputs) outputs.push([flags.dumpOutputs, encodeNpy({ dtype: 'float64', shape: [first.inputs.batch, first.prepared.N], data: first.outputs })]);
      if (flags.dumpQuantized) outputs.push([flags.dumpQuantized, encodeNpy(intMatrixToArray(first.prepared.q, first.prepared.weightBits))]);
      for (const [p, bytes] of outputs) writeFileAtomic(p, bytes);
      if (flags.json) {
        process.stdout.write(JSON.stringify({ ...result.document, bundled }, null, 2) + '\n');
      } else {
        process.stdout.write(runTextReport(source, result.runs, result.macro, result.model));
        for (const [p] of outputs) process.stdout.write(`wrote ${p}\n`);
      }
    });
}

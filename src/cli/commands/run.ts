import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ConfigError } from '../../../formats/errors.js';
import { loadTensorFile, selectArray, writeFileAtomic } from '../../io/load.js';
import { encodeNpy } from '../../io/npy.js';
import { prepareInputs } from '../../pipeline/inputs.js';
import { loadMacroConfig, macroConfigJson } from '../../pipeline/macro-config.js';
import { intMatrixToArray } from '../../pipeline/quantized-array.js';
import { runPrepared, type LayerRun } from '../../pipeline/run-layer.js';
import { layerRunJson, modelTotalsJson, runTextReport } from '../../pipeline/run-report.js';
import { parseLayout } from '../../prep/layout.js';
import { prepareWeights } from '../../prep/prepare.js';
import { VERSION } from '../../version.js';
import { pickLayers } from '../layers.js';
import { addMacroOptions, macroOverrides } from '../macro-options.js';
import { addPrepOptions, parseIntOption, parseNumberOption, type PrepFlags } from '../options.js';

/** The bundled real layer `imc-sim run` uses without a FILE (see fixtures/data/README.md). */
export const BUNDLED_LAYER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/data/mobilenetv1-conv6-pointwise.npy');

interface RunFlags extends PrepFlags {
  format?: string;
  inputs?: string;
  inputsArray?: string;
  batch?: string;
  seed?: string;
  zeroFraction?: string;
  json?: boolean;
  dumpOutputs?: string;
  dumpQuantized?: string;
  baselines: boolean;
  sqnr: boolean;
  [key: string]: unknown;
}

/** `imc-sim run [FILE] --format SPEC[,SPEC…] …` */
export function register(program: Command): void {
  const cmd = program
    .command('run')
    .description('simulate weights on the SP-IMC macro in each format: cycles, loads, re-writes, energy breakdown, TOPS/W and SQNR, beside dense-IMC, bitmask-IMC, ASIC, FPGA and mobile-GPU baselines (no FILE: a bundled real layer)')
    .argument('[file]', 'weights: .npy, .npz or .safetensors (default: the bundled MobileNetV1 conv6 pointwise layer)');
  addPrepOptions(cmd, { weightBitsRequired: false });
  cmd.option('--format <specs>', 'format(s), comma-separated: dense | bitmask | coo[:b_i] | rl[:b_r] | nm:N:m', 'dense,bitmask,coo,rl');
  addMacroOptions(cmd);
  cmd
    .option('--inputs <x.npy>', 'activations [B, K] (quantized per MODEL §2); default: seeded random integers')
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
      const pruneSpec = bundled && !process.argv.some((a) => a === '--prune' || a.startsWith('--prune=')) ? 'magnitude:0.9' : flags.prune;
      const weightBits = parseIntOption('--weight-bits', flags.weightBits);
      const layout = flags.layout === undefined ? undefined : parseLayout(flags.layout);
      const macro = loadMacroConfig(flags.macro as string | undefined, macroOverrides(flags));
      const batch = flags.batch === undefined ? undefined : parseIntOption('--batch', flags.batch);
      const seed = parseIntOption('--seed', flags.seed!);
      const zeroFraction = parseNumberOption('--zero-fraction', flags.zeroFraction!);
      const f = loadTensorFile(source);
      const { tensors, model } = pickLayers(f, flags.array);
      if ((flags.dumpOutputs || flags.dumpQuantized) && model) {
        throw new ConfigError('OUTPUT_NEEDS_ONE', `--dump-outputs/--dump-quantized write one layer; ${source} holds ${tensors.length}: add --array NAME`);
      }
      if (flags.inputs && model) {
        throw new ConfigError('INPUTS_NEED_ONE', `--inputs feeds one layer; ${source} holds ${tensors.length} weight arrays: add --array NAME`);
      }
      const inputTensor = flags.inputs ? selectArray(loadTensorFile(flags.inputs), flags.inputsArray) : undefined;
      if (bundled && !flags.json) {
        process.stderr.write(`no FILE given: running on the bundled real layer ${path.relative(process.cwd(), source)} (MobileNetV1 conv6 pointwise, see fixtures/data/README.md) with --prune ${pruneSpec}\n`);
      }
      const runs: LayerRun[] = tensors.map((t) => {
        const prepared = prepareWeights(t, { layout, prune: pruneSpec, weightBits, granularity: flags.granularity });
        const inputs = prepareInputs({ K: prepared.K, bits: macro.inputBits, signed: macro.signedInputs, tensor: inputTensor, batch, seed, zeroFraction });
        return runPrepared(prepared, inputs, { formats: flags.format!, macro, baselines: flags.baselines, sqnr: flags.sqnr, keepOutputs: !!flags.dumpOutputs });
      });
      const first = runs[0]!;
      const outputs: Array<[string, Uint8Array]> = [];
      if (flags.dumpOutputs && first.outputs) outputs.push([flags.dumpOutputs, encodeNpy({ dtype: 'float64', shape: [first.inputs.batch, first.prepared.N], data: first.outputs })]);
      if (flags.dumpQuantized) outputs.push([flags.dumpQuantized, encodeNpy(intMatrixToArray(first.prepared.q, weightBits))]);
      for (const [p, bytes] of outputs) writeFileAtomic(p, bytes);

      if (flags.json) {
        const common = { tool: 'imc-sim', version: VERSION, file: source, bundled, config: macroConfigJson(macro) };
        const doc = model
          ? { ...common, layers: runs.map(layerRunJson), totals: modelTotalsJson(runs, macro) }
          : { ...common, ...layerRunJson(first) };
        process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
      } else {
        process.stdout.write(runTextReport(source, runs, macro, model));
        for (const [p] of outputs) process.stdout.write(`wrote ${p}\n`);
      }
    });
}

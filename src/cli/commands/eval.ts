/**
 * `imc-sim eval MODEL --graph GRAPH --inputs images.npy [--labels labels.npy]`: a whole network on
 * the simulated macro (library: `evalFile`). A readable report by default, one JSON document with
 * `--json`; a progress bar on a TTY stderr.
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { DEFAULT_BATCH_IMAGES, DEFAULT_EVAL_FORMATS, evalFile } from '../../network/eval-file.js';
import { writeFileAtomic } from '../../io/load.js';
import { evalTextReport } from '../../report/eval-text.js';
import { placementsCsv } from '../../report/placement-csv.js';
import { placementPlotSvg } from '../../report/placement-plot.js';
import { addFormatFlag, addMacroFlags, addWeightFlags, intFlag, macroFlagValues, parseFlags, weightFlags } from '../flags.js';

const EvalFlags = {
  ...weightFlags,
  graph: z.string(),
  inputs: z.string(),
  labels: z.string().optional(),
  format: z.string(),
  macro: z.string().optional(),
  limit: intFlag('--limit').optional(),
  batch: intFlag('--batch'),
  json: z.boolean().optional(),
  progress: z.boolean(),
  chips: intFlag('--chips').optional(),
  macrosPerChip: intFlag('--macros-per-chip').optional(),
  placementCsv: z.string().optional(),
  placementPlot: z.string().optional(),
};

/** Register `eval` on the program. */
export function register(program: Command): void {
  const cmd = program
    .command('eval')
    .description('run a whole network (conv, linear, batch norm, residual add, concat, pooling, …) on the simulated macro: accuracy (with labels), fidelity vs the float model (SQNR per layer, top-1 agreement) and cost per image')
    .argument('<model>', 'weights file (.npz or .pt/.pth state dict, .safetensors, .npy)')
    .requiredOption('--graph <file>', 'network graph (YAML/JSON), e.g. examples/lenet5.graph.yaml')
    .requiredOption('--inputs <file>', 'input samples [B, ...] (.npy), e.g. fixtures/data/mnist-test-images.npy; or random:N[:SEED] for N seeded 8-bit samples of the graph\'s input shape')
    .option('--labels <file>', 'labels [B] (.npy); without them eval reports fidelity to the float model only');
  addWeightFlags(cmd, { array: false, layout: false, weightBitsRequired: false });
  addFormatFlag(cmd, DEFAULT_EVAL_FORMATS);
  addMacroFlags(cmd)
    .option('--limit <N>', 'evaluate only the first N inputs')
    .option('--batch <n>', 'images per simulate call (a re-written layer is written once per batch)', String(DEFAULT_BATCH_IMAGES))
    .option('--chips <C>', 'place the model on C chips (with --macros-per-chip, or splitting --macros evenly)')
    .option('--macros-per-chip <M>', 'macros per chip: the macro count becomes chips × M')
    .option('--placement-csv <file>', 'write the per-layer placement (every format) as CSV')
    .option('--placement-plot <file>', 'write an SVG of energy and latency per layer (first format)')
    .option('--json', 'print one JSON document')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (model: string, opts: Record<string, unknown>) => {
      const f = parseFlags(EvalFlags, opts);
      const bar = f.progress && !f.json && process.stderr.isTTY === true
        ? new cliProgress.SingleBar({ format: 'eval [{bar}] {value}/{total} images  ETA {eta_formatted}', stream: process.stderr }, cliProgress.Presets.shades_classic)
        : undefined;
      let started = false;
      let report;
      try {
        report = evalFile({
          ...f,
          model,
          formats: f.format,
          macroOverrides: macroFlagValues(opts),
          batchImages: f.batch,
          onProgress: (done, total) => {
            if (!bar) return;
            if (!started) { bar.start(total, 0); started = true; }
            bar.update(done);
          },
        }).document;
      } finally {
        if (started) bar!.stop();
      }
      // Both files are rendered before either is written, so a failure leaves neither behind.
      const files: [string, Uint8Array][] = [];
      if (f.placementCsv !== undefined) files.push([f.placementCsv, new TextEncoder().encode(placementsCsv(report.runs))]);
      if (f.placementPlot !== undefined) files.push([f.placementPlot, new TextEncoder().encode(await placementPlotSvg(report.runs[0]!.placement))]);
      for (const [p, bytes] of files) writeFileAtomic(p, bytes);
      process.stdout.write(f.json ? JSON.stringify(report, null, 2) + '\n' : evalTextReport(report) + '\n');
    });
}

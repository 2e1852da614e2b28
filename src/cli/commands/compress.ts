/**
 * `imc-sim compress MODEL --graph G --train X --labels Y --test X2 --labels-test Y2 --sparsity S -o out.npz`:
 * hardware-aware pruning and quantization with retraining (ADMM-NN, magnitude + retrain, SVD
 * training) and the result's cost on the macro (library: `compressModel`). A progress bar per epoch
 * on a TTY stderr.
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { COMPRESS_METHODS, compressModel, type CompressMethod } from '../../compress/compress-model.js';
import { DEFAULT_SCHEDULE } from '../../compress/admm.js';
import { compressTextReport } from '../../report/compress-text.js';
import { addMacroFlags, intFlag, macroFlagValues, numberFlag, parseFlags } from '../flags.js';

const CompressFlags = {
  graph: z.string(),
  train: z.string(),
  labels: z.string(),
  test: z.string(),
  labelsTest: z.string(),
  method: z.enum(COMPRESS_METHODS),
  structure: z.string(),
  sparsity: z.string().optional(),
  weightBits: intFlag('--weight-bits'),
  hardwareAware: z.boolean().optional(),
  format: z.string().optional(),
  macro: z.string().optional(),
  epochs: intFlag('--epochs').optional(),
  retrainEpochs: intFlag('--retrain-epochs').optional(),
  trainBatch: intFlag('--train-batch').optional(),
  lr: numberFlag('--lr').optional(),
  retrainLr: numberFlag('--retrain-lr').optional(),
  rho: numberFlag('--rho').optional(),
  rhoGrowth: numberFlag('--rho-growth').optional(),
  seed: intFlag('--seed').optional(),
  trainLimit: intFlag('--train-limit').optional(),
  testLimit: intFlag('--test-limit').optional(),
  output: z.string().optional(),
  masks: z.enum(['zeros', 'torch']),
  graphOut: z.string().optional(),
  json: z.boolean().optional(),
  progress: z.boolean(),
};

/** Register `compress` on the program. */
export function register(program: Command): void {
  const cmd = program
    .command('compress')
    .description('prune and quantize a model with retraining (ADMM-NN, magnitude + retrain, SVD low rank) and cost the result on the macro')
    .argument('<model>', 'trained weights: a PyTorch-layout state dict (.npz, .safetensors, or .pt/.pth from torch.save)')
    .requiredOption('--graph <file>', 'network graph (YAML/JSON), e.g. examples/lenet5.graph.yaml')
    .requiredOption('--train <file>', 'training images [n, ...] (.npy), e.g. fixtures/data/mnist-train-images.npy')
    .requiredOption('--labels <file>', 'training labels [n] (.npy)')
    .requiredOption('--test <file>', 'held-out images (every accuracy is reported on these)')
    .requiredOption('--labels-test <file>', 'held-out labels')
    .option('--method <m>', `${COMPRESS_METHODS.join(' | ')}`, 'admm')
    .option('--structure <s>', 'magnitude (irregular) | nm:N:m | block:bk:bn | bcr:bk:bn | column (not used by svd)', 'magnitude')
    .option('--sparsity <s>', 'target per layer: 0.9, or fc1=0.95,conv1=0.5, or 0.9,fc3=0.5 (svd: fraction of weights the factors remove; nm:N:m: any nonzero value means N:m, 0 leaves a layer dense)')
    .option('--weight-bits <b>', 'weight bits of the written model (ADMM quantization)', '8')
    .option('--hardware-aware', 'layers whose target is below their energy break-even (first compressed --format) stay dense');
  cmd.option('--format <specs>', 'formats the result is costed in (default dense,bitmask,coo,rl:4, plus nm:N:m for an N:m structure)');
  addMacroFlags(cmd)
    .option('--epochs <n>', `ADMM rounds / SVD-regularised epochs (default ${DEFAULT_SCHEDULE.admmEpochs})`)
    .option('--retrain-epochs <n>', `masked retraining / fine-tune epochs (default ${DEFAULT_SCHEDULE.retrainEpochs})`)
    .option('--train-batch <n>', `training mini-batch (default ${DEFAULT_SCHEDULE.batchSize})`)
    .option('--lr <x>', `Adam learning rate (default ${DEFAULT_SCHEDULE.lr})`)
    .option('--retrain-lr <x>', `learning rate of the retraining (default ${DEFAULT_SCHEDULE.retrainLr})`)
    .option('--rho <x>', `initial ADMM penalty ρ (default ${DEFAULT_SCHEDULE.rho})`)
    .option('--rho-growth <x>', `ρ multiplier per ADMM round (default ${DEFAULT_SCHEDULE.rhoGrowth})`)
    .option('--seed <n>', `shuffle seed (default ${DEFAULT_SCHEDULE.seed})`)
    .option('--train-limit <n>', 'use only the first n training images')
    .option('--test-limit <n>', 'use only the first n held-out images')
    .option('-o, --output <file>', 'write the compressed state dict (.npz or .safetensors)')
    .option('--masks <how>', 'zeros (pruned weights stored as 0) | torch (weight_orig + weight_mask)', 'zeros')
    .option('--graph-out <file>', 'graph of an svd result (default: the output name with .graph.yaml)')
    .option('--json', 'print one JSON document')
    .option('--no-progress', 'no progress bar on stderr')
    .action((model: string, opts: Record<string, unknown>) => {
      const f = parseFlags(CompressFlags, opts);
      const bar = f.progress && !f.json && process.stderr.isTTY === true
        ? new cliProgress.SingleBar({ format: '{phase} [{bar}] epoch {value}/{total}  loss {loss}  train acc {acc}  ETA {eta_formatted}', stream: process.stderr }, cliProgress.Presets.shades_classic)
        : undefined;
      let phase = '';
      const schedule = Object.fromEntries(Object.entries({
        admmEpochs: f.epochs, retrainEpochs: f.retrainEpochs, batchSize: f.trainBatch, lr: f.lr, retrainLr: f.retrainLr, rho: f.rho, rhoGrowth: f.rhoGrowth, seed: f.seed,
      }).filter(([, v]) => v !== undefined));
      let report;
      try {
        report = compressModel({
          model, graph: f.graph, train: f.train, trainLabels: f.labels, test: f.test, testLabels: f.labelsTest,
          method: f.method as CompressMethod, structure: f.structure, weightBits: f.weightBits, masks: f.masks,
          ...(f.sparsity !== undefined ? { sparsity: f.sparsity } : {}),
          ...(f.hardwareAware ? { hardwareAware: true } : {}),
          ...(f.format !== undefined ? { formats: f.format } : {}),
          ...(f.macro !== undefined ? { macro: f.macro } : {}),
          macroOverrides: macroFlagValues(opts), schedule,
          ...(f.trainLimit !== undefined ? { trainLimit: f.trainLimit } : {}),
          ...(f.testLimit !== undefined ? { testLimit: f.testLimit } : {}),
          ...(f.output !== undefined ? { output: f.output } : {}),
          ...(f.graphOut !== undefined ? { graphOutput: f.graphOut } : {}),
          onEpoch: (r) => {
            if (!bar) return;
            const payload = { phase: r.phase, loss: r.loss.toFixed(4), acc: (100 * r.trainAccuracy).toFixed(2) + '%' };
            if (phase !== r.phase) {
              if (phase !== '') bar.stop();
              bar.start(r.epochs, 0, payload);
              phase = r.phase;
            }
            bar.update(r.epoch, payload);
          },
        }).document;
      } finally {
        if (phase !== '') bar!.stop();
      }
      process.stdout.write(f.json ? JSON.stringify(report, null, 2) + '\n' : compressTextReport(report) + '\n');
    });
}

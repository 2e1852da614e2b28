/** `imc-sim calibrate [--json]`: dense INT8 (INT4) runs on the published-macro presets, live (library: `calibrate`). */
import type { Command } from 'commander';
import { calibrate } from '../../../macro-sim/calibration.js';
import { calibrateTextReport } from '../../report/calibrate-text.js';
import { VERSION } from '../../version.js';
import { intFlag, parseFlags } from '../flags.js';

const CalibrateFlags = { batch: intFlag('--batch'), seed: intFlag('--seed') };

/** Register `calibrate` on the program. */
export function register(program: Command): void {
  program
    .command('calibrate')
    .description('run the calibration workload (dense, random weights, B input vectors) on every preset shaped like a published 28 nm digital IMC macro and compare the modelled TOPS/W with the published one')
    .option('--batch <B>', 'input vectors per run', '64')
    .option('--seed <S>', 'seed of weights and inputs', '1')
    .option('--json', 'one JSON document on stdout')
    .action((opts: Record<string, unknown>) => {
      const report = calibrate(parseFlags(CalibrateFlags, opts));
      process.stdout.write(opts.json ? JSON.stringify({ tool: "imc-sim", version: VERSION, ...report }, null, 2) + "\n" : calibrateTextReport(report));
    });
}

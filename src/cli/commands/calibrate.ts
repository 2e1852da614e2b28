import type { Command } from 'commander';
import { calibrate } from '../../../macro-sim/calibration.js';
import { fmt, formatTable } from '../../report/table.js';
import { VERSION } from '../../version.js';
import { parseIntOption } from '../options.js';

/** `imc-sim calibrate [--json]`: dense INT8 (INT4) runs on the published-macro presets, live. */
export function register(program: Command): void {
  program
    .command('calibrate')
    .description('run the calibration workload (dense, random weights, B input vectors) on every preset shaped like a published 28 nm digital IMC macro and compare the modelled TOPS/W with the published one')
    .option('--batch <B>', 'input vectors per run', '64')
    .option('--seed <S>', 'seed of weights and inputs', '1')
    .option('--json', 'one JSON document on stdout')
    .action((opts: { batch: string; seed: string; json?: boolean }) => {
      const rows = calibrate({ batch: parseIntOption('--batch', opts.batch), seed: parseIntOption('--seed', opts.seed) });
      if (opts.json) {
        process.stdout.write(JSON.stringify({ tool: 'imc-sim', version: VERSION, rows }, null, 2) + '\n');
        return;
      }
      process.stdout.write(
        formatTable(
          ['preset', 'role', 'precision', 'published TOPS/W', 'modelled TOPS/W', 'error', 'source'],
          rows.map((r) => [r.preset, r.role, `INT${r.weightBits}`, `${fmt(r.publishedTopsPerWatt, 4)} ${r.tag}`, fmt(r.modelledTopsPerWatt, 4), `${r.errorPct >= 0 ? '+' : ''}${r.errorPct.toFixed(1)}%`, r.source]),
        ) + '\n',
      );
    });
}

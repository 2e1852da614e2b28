/**
 * `imc-sim merge PARTS… -o merged.jsonl --spec SPEC`: combine the results files of a sharded (or
 * interrupted and resumed elsewhere) sweep into one file, deduplicated by point id, checked
 * complete against the spec, in the spec's point order. See docs/SWEEPS.md.
 */
import type { Command } from 'commander';
import { ConfigError } from '../../../errors.js';
import { mergeResults, writeMerged } from '../../sweep/merge.js';
import { loadSweepSpec } from '../../sweep/spec.js';

interface MergeCliOptions {
  out: string;
  spec: string;
  shards?: string;
  allowMissing?: boolean;
}

/** Register `merge` on the program. */
export function register(program: Command): void {
  program
    .command('merge')
    .description('Merge sweep results files (e.g. one per --shard) into one file in spec order, deduplicated and checked complete against the spec.')
    .argument('<parts...>', 'results files (JSON Lines) written by `imc-sim sweep`')
    .requiredOption('-o, --out <file>', 'merged results file (written atomically; may be one of the parts)')
    .requiredOption('--spec <file>', 'the sweep spec the parts were run from')
    .option('--shards <n>', 'number of shards the parts were run with, to name the shards to rerun (default: the number of parts)')
    .option('--allow-missing', 'write what is there instead of failing when points are missing')
    .action(async (parts: string[], opts: MergeCliOptions) => {
      let shards: number | undefined;
      if (opts.shards !== undefined) {
        shards = Number(opts.shards);
        if (!Number.isSafeInteger(shards) || shards < 1) throw new ConfigError('SWEEP_SHARDS_INVALID', `--shards must be a whole number ≥ 1; got "${opts.shards}"`);
      }
      const spec = await loadSweepSpec(opts.spec);
      const merged = mergeResults(spec, parts, { shards, allowMissing: opts.allowMissing === true });
      writeMerged(opts.out, merged);
      const notes = [
        merged.missing > 0 ? `${merged.missing} missing` : '',
        merged.duplicates > 0 ? `${merged.duplicates} duplicate${merged.duplicates === 1 ? '' : 's'} dropped` : '',
        merged.foreign > 0 ? `${merged.foreign} line${merged.foreign === 1 ? '' : 's'} not of this spec ignored` : '',
        merged.tornLines > 0 ? `${merged.tornLines} torn last line${merged.tornLines === 1 ? '' : 's'} ignored` : '',
        merged.internalErrors > 0 ? `${merged.internalErrors} internal error${merged.internalErrors === 1 ? '' : 's'} (rerun the sweep to retry them)` : '',
      ].filter(Boolean).join(', ');
      process.stderr.write(`merge: ${merged.lines.length} of ${merged.totalPoints} points from ${parts.length} file${parts.length === 1 ? '' : 's'} → ${opts.out}${notes ? ` (${notes})` : ''}\n`);
    });
}

/**
 * `imc-sim sweep SPEC -o results.jsonl [--jobs N] [--shard i/n]`: run a design-space sweep on
 * worker threads, appending one JSON line per finished point; rerunning the same command resumes.
 * SIGINT/SIGTERM stop dispatching, let points in flight finish, and exit 130/143 with a message
 * saying how to resume; a second signal stops at once (the file stays valid either way).
 * See docs/SWEEPS.md.
 */
import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { ConfigError, InternalError, InterruptedError } from '../../../errors.js';
import { createProgress } from '../../sweep/progress.js';
import { describeSummary, runSweepToFile } from '../../sweep/runner.js';
import { parseShard } from '../../sweep/shard.js';
import { withStopSignals } from '../../sweep/stop-signals.js';
import { loadSweepSpec } from '../../sweep/spec.js';
import type { EvaluatorRef } from '../../sweep/worker-pool.js';

interface SweepCliOptions {
  out: string;
  jobs?: string;
  shard?: string;
  progress: boolean;
  evaluator?: string;
}

/** Parse `--jobs`. */
export function parseJobs(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError('SWEEP_JOBS_INVALID', `--jobs must be a whole number ≥ 1; got "${text}"`);
  return n;
}

/** Parse the hidden `--evaluator module[#export]` option. */
export function parseEvaluator(text: string): EvaluatorRef {
  const hash = text.lastIndexOf('#');
  return hash > 0 ? { module: text.slice(0, hash), exportName: text.slice(hash + 1) } : { module: text };
}

/** Register `sweep` on the program. */
export function register(program: Command): void {
  program
    .command('sweep')
    .description('Run a design-space sweep: evaluate every point of SPEC on worker threads and append one JSON line per point to the results file; rerun the same command to resume.')
    .argument('<spec>', 'sweep spec (.yaml, .yml or .json); see docs/SWEEPS.md')
    .requiredOption('-o, --out <file>', 'results file (JSON Lines); an existing file is resumed')
    .option('-j, --jobs <n>', 'worker threads (default: os.availableParallelism())')
    .option('--shard <i/n>', 'run only shard i of n (0-based: 0/n … n-1/n); point p goes to shard p mod n')
    .option('--no-progress', 'no progress bar or progress lines on stderr')
    .addOption(new Option('--evaluator <module[#export]>', 'evaluator ES module and export (default: the built evaluate-point.js#evaluatePoint)').hideHelp())
    .action(async (specPath: string, opts: SweepCliOptions) => {
      const jobs = parseJobs(opts.jobs);
      const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
      const spec = await loadSweepSpec(specPath);
      const progress = createProgress(process.stderr, opts.progress);

      const { result: summary, signal } = await withStopSignals(
        (stop) => runSweepToFile(spec, opts.out, { jobs, shard, signal: stop, evaluator: opts.evaluator === undefined ? undefined : parseEvaluator(opts.evaluator), onProgress: (s, r) => progress.update(s, r) }),
        (sig) => process.stderr.write(`\nsweep: ${sig}: finishing the points in flight, then stopping (send it again to stop at once; the results file stays valid)\n`),
      );
      progress.stop(summary);
      process.stderr.write(describeSummary(summary) + '\n');
      if (summary.interrupted) {
        const left = summary.todo - summary.finished;
        throw new InterruptedError(
          'SWEEP_INTERRUPTED',
          `sweep interrupted by ${signal ?? 'a signal'}: ${summary.alreadyDone + summary.finished} of ${summary.shardPoints} points are in ${opts.out}; rerun the same command to finish the other ${left}`,
          signal,
        );
      }
      if (summary.internalErrors > 0) {
        throw new InternalError(
          'SWEEP_INTERNAL_ERRORS',
          `${summary.internalErrors} point${summary.internalErrors === 1 ? '' : 's'} failed with an internal error (rows with "error":"internal" in ${opts.out}); fix the evaluator and rerun the same command to retry them`,
        );
      }
    });
}

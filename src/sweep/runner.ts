/**
 * Running a sweep: plan (expand the spec, pick the shard, skip what is done), evaluate on the
 * worker pool, and — in the file-writing wrapper the CLI uses — append each record to the results
 * file as it arrives. Timeloop's habit (../shared/STYLE.md): an infeasible design point is a
 * returned status (`ok: false` with a reason), not an exception that stops the sweep.
 */
import { availableParallelism } from 'node:os';
import { expandPoints, type PlannedPoint } from './grid.js';
import { formatShard, inShard, type Shard } from './shard.js';
import { openResultsFile, ResultsWriter, type ResultRecord } from '../results/results-file.js';
import type { SweepSpec } from './spec.js';
import { defaultEvaluator, evaluatePoints, type EvaluatorRef } from './worker-pool.js';

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  /** Worker threads; default `os.availableParallelism()`. */
  readonly jobs?: number;
  /** Run only this shard's points (see shard.ts for the rule). */
  readonly shard?: Shard;
  /** Ids already done: not evaluated again. */
  readonly skipIds?: ReadonlySet<string>;
  /** Evaluator module; default the compiled `evaluate-point.js` (`evaluatePoint`). */
  readonly evaluator?: EvaluatorRef;
  /** Abort: no new point starts, points in flight finish and are still yielded. */
  readonly signal?: AbortSignal;
}

/** The points of a run. */
export interface SweepPlan {
  /** Every point of the spec, in spec order. */
  readonly all: readonly PlannedPoint[];
  /** The points of the selected shard (all points without a shard), in spec order. */
  readonly mine: readonly PlannedPoint[];
  /** `mine` minus the skipped ids: what this run evaluates, in spec order. */
  readonly todo: readonly PlannedPoint[];
}

/** Expand the spec and select the shard and the points still to do. */
export function planSweep(spec: SweepSpec, opts: Pick<RunSweepOptions, 'shard' | 'skipIds'> = {}): SweepPlan {
  const all = expandPoints(spec);
  const mine = opts.shard ? all.filter((p) => inShard(p.index, opts.shard!)) : all;
  const skip = opts.skipIds;
  const todo = skip && skip.size > 0 ? mine.filter((p) => !skip.has(p.id)) : mine;
  return { all, mine, todo };
}

/**
 * Evaluate a sweep's points on worker threads; results arrive as an async iterable in completion
 * order. Infeasible points come back as `ok: false` records; only setup failures throw.
 *
 * @example
 * for await (const r of runSweep(spec, { jobs: 4 })) console.log(r.id, r.ok);
 */
export function runSweep(spec: SweepSpec, opts: RunSweepOptions = {}): AsyncIterable<ResultRecord> {
  const { todo } = planSweep(spec, opts);
  return evaluatePoints(spec, todo, {
    jobs: opts.jobs ?? availableParallelism(),
    evaluator: opts.evaluator ?? defaultEvaluator(),
    signal: opts.signal,
  });
}

/** Counts that {@link runSweepToFile} reports while it runs and at the end. */
export interface SweepSummary {
  /** Results file. */
  readonly out: string;
  /** Points in the spec. */
  readonly totalPoints: number;
  /** Points of this shard (= totalPoints without a shard). */
  readonly shardPoints: number;
  readonly shard?: Shard;
  /** Points of this shard already in the file at start. */
  readonly alreadyDone: number;
  /** Points to evaluate in this run. */
  readonly todo: number;
  /** Points finished in this run, and of those: */
  finished: number;
  ok: number;
  infeasible: number;
  internalErrors: number;
  /** The run was stopped before every point was done. */
  interrupted: boolean;
  /** Torn bytes cut and complete lines dropped while opening the file. */
  readonly tornBytes: number;
  readonly droppedLines: number;
  readonly retriedErrors: number;
}

/** Options of {@link runSweepToFile}. */
export interface RunSweepToFileOptions extends Omit<RunSweepOptions, 'skipIds'> {
  /** Called once before evaluation starts and after every finished point. */
  readonly onProgress?: (summary: Readonly<SweepSummary>, record?: ResultRecord) => void;
}

/**
 * Run a sweep into a JSONL results file, resuming it: complete records of this spec already in the
 * file are kept and skipped, a torn last line is cut, and each new record is appended as one line
 * as soon as it finishes. Stops early (with `interrupted: true`) when `opts.signal` aborts.
 *
 * @returns the summary of the run (the file holds the records).
 */
export async function runSweepToFile(spec: SweepSpec, out: string, opts: RunSweepToFileOptions = {}): Promise<SweepSummary> {
  const all = expandPoints(spec);
  const existing = openResultsFile(out, new Set(all.map((p) => p.id)));
  const mine = opts.shard ? all.filter((p) => inShard(p.index, opts.shard!)) : all;
  const todo = mine.filter((p) => !existing.records.has(p.id));
  const summary: SweepSummary = {
    out,
    totalPoints: all.length,
    shardPoints: mine.length,
    ...(opts.shard ? { shard: opts.shard } : {}),
    alreadyDone: mine.length - todo.length,
    todo: todo.length,
    finished: 0,
    ok: 0,
    infeasible: 0,
    internalErrors: 0,
    interrupted: false,
    tornBytes: existing.tornBytes,
    droppedLines: existing.droppedLines,
    retriedErrors: existing.retriedErrors,
  };
  opts.onProgress?.(summary);
  const writer = new ResultsWriter(out);
  try {
    const records = evaluatePoints(spec, todo, {
      jobs: opts.jobs ?? availableParallelism(),
      evaluator: opts.evaluator ?? defaultEvaluator(),
      signal: opts.signal,
    });
    for await (const r of records) {
      writer.append(r);
      summary.finished++;
      if (r.ok) summary.ok++;
      else if (r.error === 'internal') summary.internalErrors++;
      else summary.infeasible++;
      opts.onProgress?.(summary, r);
    }
  } finally {
    writer.close();
  }
  summary.interrupted = summary.finished < summary.todo;
  return summary;
}

/** One line describing a finished (or interrupted) run. */
export function describeSummary(s: Readonly<SweepSummary>): string {
  const scope = s.shard ? `shard ${formatShard(s.shard)}: ${s.shardPoints} of ${s.totalPoints} points` : `${s.totalPoints} points`;
  const repaired = [
    s.tornBytes > 0 ? `cut a torn last line (${s.tornBytes} bytes)` : '',
    s.droppedLines > 0 ? `dropped ${s.droppedLines} line${s.droppedLines === 1 ? '' : 's'} not belonging to this spec or repeated${s.retriedErrors > 0 ? ` (${s.retriedErrors} internal errors retried)` : ''}` : '',
  ].filter(Boolean).join(', ');
  return `sweep: ${scope}; ${s.alreadyDone} already in ${s.out}, ${s.finished} run now (${s.ok} ok, ${s.infeasible} infeasible, ${s.internalErrors} internal error${s.internalErrors === 1 ? '' : 's'})${repaired ? `; ${repaired}` : ''}`;
}

/**
 * Sweep progress on stderr. On a terminal: a `cli-progress` bar with the ETA and the ok /
 * infeasible / internal-error counts. Otherwise (a log file, a Slurm or Kubernetes job): one plain
 * line at most every `intervalMs` (2 s) or each time another `stepPercent` (5 %) of the points is
 * done, plus a last line, so batch logs stay readable and short.
 */
import cliProgress from 'cli-progress';
import type { ResultRecord } from '../results/results-file.js';
import type { SweepSummary } from './runner.js';
import { formatShard } from './shard.js';

/** Receives the summary before the run and after every finished point. */
export interface ProgressReporter {
  update(summary: Readonly<SweepSummary>, record?: ResultRecord): void;
  /** Final update; leaves the terminal on a new line. */
  stop(summary: Readonly<SweepSummary>): void;
}

/** A writable text stream (stderr, or a test double). */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Options of the plain reporter. */
export interface PlainProgressOptions {
  /** Longest pause between lines, ms (default 2000). */
  readonly intervalMs?: number;
  /** Print whenever this many more percent are done (default 5). */
  readonly stepPercent?: number;
  /** Clock in ms (tests inject one). */
  readonly now?: () => number;
}

/** `1h02m`, `3m07s`, `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Plain periodic lines: `sweep: 48/96 points (50.0 %), 2 infeasible, 0 internal errors, 3.1 points/s, ETA 15s`.
 * The rate and the ETA count only points run by this process (resumed points are free).
 */
export class PlainProgress implements ProgressReporter {
  private readonly intervalMs: number;
  private readonly stepPercent: number;
  private readonly now: () => number;
  private startMs = -1;
  private lastMs = -1;
  private lastPercent = -1;

  constructor(private readonly sink: TextSink, opts: PlainProgressOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 2000;
    this.stepPercent = opts.stepPercent ?? 5;
    this.now = opts.now ?? Date.now;
  }

  update(s: Readonly<SweepSummary>): void {
    const t = this.now();
    if (this.startMs < 0) {
      this.startMs = t;
      this.lastMs = t;
      this.lastPercent = percent(s);
      const scope = s.shard ? `shard ${formatShard(s.shard)}: ${s.shardPoints} of ${s.totalPoints} points` : `${s.totalPoints} points`;
      this.sink.write(`sweep: ${scope}, ${s.alreadyDone} already done, ${s.todo} to run\n`);
      return;
    }
    const p = percent(s);
    if (t - this.lastMs >= this.intervalMs || p >= this.lastPercent + this.stepPercent) this.line(s, t);
  }

  stop(s: Readonly<SweepSummary>): void {
    if (this.startMs < 0) this.update(s);
    this.line(s, this.now());
  }

  private line(s: Readonly<SweepSummary>, t: number): void {
    this.lastMs = t;
    this.lastPercent = percent(s);
    const elapsedS = (t - this.startMs) / 1000;
    const rate = elapsedS > 0 ? s.finished / elapsedS : 0;
    const left = s.todo - s.finished;
    const eta = left === 0 ? 'done' : rate > 0 ? `ETA ${formatDuration(left / rate)}` : 'ETA ?';
    const done = s.alreadyDone + s.finished;
    this.sink.write(
      `sweep: ${done}/${s.shardPoints} points (${percent(s).toFixed(1)} %), ${s.infeasible} infeasible, ${s.internalErrors} internal error${s.internalErrors === 1 ? '' : 's'}, ${rate.toFixed(rate < 10 ? 2 : 1)} points/s, ${eta}\n`,
    );
  }
}

function percent(s: Readonly<SweepSummary>): number {
  return s.shardPoints === 0 ? 100 : (100 * (s.alreadyDone + s.finished)) / s.shardPoints;
}

/** A terminal progress bar (cli-progress) with ETA and counts. */
export class BarProgress implements ProgressReporter {
  private bar: cliProgress.SingleBar | undefined;
  constructor(private readonly sink: TextSink) {}

  update(s: Readonly<SweepSummary>): void {
    const payload = { ok: s.ok, infeasible: s.infeasible, errors: s.internalErrors };
    if (!this.bar) {
      this.bar = new cliProgress.SingleBar({
        stream: this.sink as NodeJS.WritableStream,
        format: 'sweep |{bar}| {percentage}% | {value}/{total} points | ETA {eta_formatted} | {ok} ok, {infeasible} infeasible, {errors} errors',
        hideCursor: true,
        etaBuffer: 50,
        // The ETA counts this run's points only: points found done on resume are not progress made now.
        progressCalculationRelative: true,
      }, cliProgress.Presets.shades_classic);
      this.bar.start(s.shardPoints, s.alreadyDone, payload);
      return;
    }
    this.bar.update(s.alreadyDone + s.finished, payload);
  }

  stop(s: Readonly<SweepSummary>): void {
    if (!this.bar) this.update(s);
    this.bar!.update(s.alreadyDone + s.finished, { ok: s.ok, infeasible: s.infeasible, errors: s.internalErrors });
    this.bar!.stop();
  }
}

/** A bar on a TTY, plain lines otherwise; `enabled: false` → no output at all. */
export function createProgress(sink: TextSink, enabled = true): ProgressReporter {
  if (!enabled) return { update() {}, stop() {} };
  return sink.isTTY ? new BarProgress(sink) : new PlainProgress(sink);
}

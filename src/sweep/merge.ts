/**
 * Merging results files (the shards of one sweep, or several partial runs) into one file:
 * deduplicated by id, checked complete against the spec, written in the spec's point order, so
 * the merge of n shard files is byte-identical to the merge of one unsharded run's file.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../../errors.js';
import { expandPoints } from './grid.js';
import { pointId } from './point-id.js';
import { parseResultLines, type ResultRecord } from '../results/results-file.js';
import { shardOf } from './shard.js';
import type { SweepSpec } from './spec.js';

/** Options of {@link mergeResults}. */
export interface MergeOptions {
  /**
   * Number of shards the parts were run with, used only to say which shards to rerun when points
   * are missing; default: the number of part files.
   */
  readonly shards?: number;
  /** Merge what is there instead of failing when points are missing. */
  readonly allowMissing?: boolean;
}

/** The outcome of a merge. */
export interface MergeResult {
  /** The merged lines (without `\n`), in spec order. */
  readonly lines: readonly string[];
  readonly totalPoints: number;
  /** Points with no record in any part. */
  readonly missing: number;
  /** Records seen more than once (kept once). */
  readonly duplicates: number;
  /** Records whose id is not a point of the spec (or does not match their point), ignored. */
  readonly foreign: number;
  /** Torn (unterminated) last lines ignored. */
  readonly tornLines: number;
  /** Merged records that are internal errors. */
  readonly internalErrors: number;
}

/**
 * Merge results files against a spec.
 *
 * A point recorded more than once keeps its first record, except that a result (or an infeasible
 * status) replaces an internal-error record.
 *
 * @throws InputError (`SWEEP_MERGE_UNREADABLE`) when a part cannot be read;
 * InputError (`SWEEP_MERGE_INCOMPLETE`) naming how many points are missing and which shards to
 * rerun, unless `allowMissing`.
 */
export function mergeResults(spec: SweepSpec, parts: readonly string[], opts: MergeOptions = {}): MergeResult {
  const all = expandPoints(spec);
  const indexOf = new Map(all.map((p) => [p.id, p.index]));
  const chosen = new Map<string, { rec: ResultRecord; line: string }>();
  const nShards = opts.shards ?? Math.max(1, parts.length);
  /** Shards whose points each part holds, to name a part by the shard it ran. */
  const partShards = parts.map(() => new Set<number>());
  let duplicates = 0;
  let foreign = 0;
  let tornLines = 0;
  parts.forEach((part, pi) => {
    let text: string;
    try {
      text = readFileSync(part, 'utf8');
    } catch (err) {
      throw new InputError('SWEEP_MERGE_UNREADABLE', `cannot read results file ${part}: ${(err as Error).message}; check the paths given to merge`);
    }
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) tornLines++;
    const { records, lines, bad } = parseResultLines(text.slice(0, end));
    foreign += bad;
    for (let i = 0; i < records.length; i++) {
      const rec = records[i]!;
      const index = indexOf.get(rec.id);
      if (index === undefined || !rec.point || typeof rec.point !== 'object' || pointId(rec.point) !== rec.id) {
        foreign++;
        continue;
      }
      partShards[pi]!.add(shardOf(index, nShards));
      const prev = chosen.get(rec.id);
      if (prev) {
        duplicates++;
        if (prev.rec.error === 'internal' && rec.error !== 'internal') chosen.set(rec.id, { rec, line: lines[i]! });
        continue;
      }
      chosen.set(rec.id, { rec, line: lines[i]! });
    }
  });
  const missingPoints = all.filter((p) => !chosen.has(p.id));
  if (missingPoints.length > 0 && !opts.allowMissing) {
    const shards = [...new Set(missingPoints.map((p) => shardOf(p.index, nShards)))].sort((a, b) => a - b);
    const fileOf = (s: number): string => {
      const files = parts.filter((_, pi) => partShards[pi]!.size === 1 && partShards[pi]!.has(s));
      return files.length > 0 ? files.map((f) => basename(f)).join(', ') : 'no file given';
    };
    const listed = shards.slice(0, 8).map((s) => `${s}/${nShards} (${fileOf(s)})`).join(', ') + (shards.length > 8 ? `, … ${shards.length - 8} more` : '');
    const where = spec.specPath ? basename(spec.specPath) : 'SPEC';
    throw new InputError(
      'SWEEP_MERGE_INCOMPLETE',
      `${missingPoints.length} of ${all.length} points are missing from ${parts.length} file${parts.length === 1 ? '' : 's'}; by the --shard rule with n=${nShards} they belong to shard${shards.length === 1 ? '' : 's'} ${listed}: rerun \`imc-sim sweep ${where} --shard i/${nShards} -o FILE\` for each (it resumes), then merge again (or pass --shards if n is not ${nShards})`,
    );
  }
  const lines: string[] = [];
  let internalErrors = 0;
  for (const p of all) {
    const c = chosen.get(p.id);
    if (!c) continue;
    lines.push(c.line);
    if (c.rec.error === 'internal') internalErrors++;
  }
  return { lines, totalPoints: all.length, missing: missingPoints.length, duplicates, foreign, tornLines, internalErrors };
}

/**
 * Write merged lines to `out` atomically (temporary file + rename), so `out` may also be one of
 * the parts and a kill never leaves half a merge.
 */
export function writeMerged(out: string, merged: MergeResult): void {
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, merged.lines.map((l) => l + '\n').join(''));
  renameSync(tmp, out);
}

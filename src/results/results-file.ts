/**
 * The results file: JSON Lines, one record per finished point, in completion order.
 *
 * ```
 * {"id":"3f0c…","point":{"format":"coo","weightBits":8},"ok":true,"storage":{…},"timing":{…},…}
 * {"id":"a91e…","point":{"format":"nm:2:4","prune":"magnitude:0.5"},"ok":false,"reason":"…","code":"FORMAT_NM_VIOLATION"}
 * {"id":"77d2…","point":{…},"ok":false,"reason":"TypeError: …","error":"internal"}
 * ```
 *
 * Crash safety ("nothing lost"): each record is appended with a single `write(2)` of the whole line
 * to a file opened with `O_APPEND`, synchronously, as soon as the point finishes. So whatever kills
 * the process (SIGINT, `kill -9`, power loss aside), the file holds complete lines plus at most one
 * torn last line, which {@link openResultsFile} cuts off on the next start. Records hold no wall
 * times, so a point's line is the same whoever computes it: shard files merge to exactly the file
 * an unsharded run would give.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { InputError } from '../../errors.js';

/** A design point as a results file holds it: parameter name → value (see src/sweep/spec.ts). */
export type PointValues = Readonly<Record<string, string | number | boolean>>;

/** One line of a results file. Evaluator fields (`storage`, `mapping`, `timing`, `energy`, `metrics`) follow `ok`. */
export interface ResultRecord {
  readonly id: string;
  readonly point: PointValues;
  /** True when the evaluator returned a result. */
  readonly ok: boolean;
  /** Why the point has no result: the ImcError message (infeasible point) or the internal error. */
  readonly reason?: string;
  /** The ImcError's stable code, for infeasible points. */
  readonly code?: string;
  /** `"internal"` when the evaluator failed with something other than an ImcError (a bug). */
  readonly error?: 'internal';
  readonly [field: string]: unknown;
}

/** Serialise a record as one line (with its `\n`). */
export function formatRecord(record: ResultRecord): string {
  return JSON.stringify(record) + '\n';
}

/** What {@link openResultsFile} found and repaired. */
export interface ExistingResults {
  /** Kept records by id (complete lines of points of this spec, first occurrence). */
  readonly records: Map<string, ResultRecord>;
  /** Bytes of a torn (unterminated) last line that were cut off. */
  readonly tornBytes: number;
  /** Complete lines dropped: unparsable, no id, not a point of this spec, duplicates, or internal errors to retry. */
  readonly droppedLines: number;
  /** Internal-error records dropped so their points run again. */
  readonly retriedErrors: number;
}

/** Options of {@link openResultsFile}. */
export interface OpenResultsOptions {
  /** Keep `"error":"internal"` rows instead of dropping them for a retry (default false: retry them). */
  readonly keepInternalErrors?: boolean;
}

/**
 * Parse the complete lines of a results file's text. Lines that are not JSON objects with a string
 * `id` are returned in `bad`.
 */
export function parseResultLines(text: string): { records: ResultRecord[]; lines: string[]; bad: number } {
  const records: ResultRecord[] = [];
  const lines: string[] = [];
  let bad = 0;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    const line = text.slice(start, nl);
    start = nl + 1;
    if (line.trim() === '') continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      bad++;
      continue;
    }
    if (!rec || typeof rec !== 'object' || Array.isArray(rec) || typeof (rec as ResultRecord).id !== 'string') {
      bad++;
      continue;
    }
    records.push(rec as ResultRecord);
    lines.push(line);
  }
  return { records, lines, bad };
}

/**
 * Prepare a results file for (re)use before a sweep appends to it: create it if missing, cut a torn
 * last line, and keep only complete records whose id is in `validIds` (first occurrence; internal
 * errors are dropped so they run again unless `keepInternalErrors`). When lines are dropped the
 * file is rewritten atomically (temporary file + rename), so a kill during the repair leaves
 * either the old or the new file.
 *
 * @throws InputError (`SWEEP_RESULTS_UNREADABLE`) when the path exists but is not a readable file.
 */
export function openResultsFile(path: string, validIds: ReadonlySet<string>, opts: OpenResultsOptions = {}): ExistingResults {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') {
      writeFileSync(path, '', { flag: 'a' });
      return { records: new Map(), tornBytes: 0, droppedLines: 0, retriedErrors: 0 };
    }
    throw new InputError('SWEEP_RESULTS_UNREADABLE', `cannot read results file ${path}: ${e.message}; pass another -o path`);
  }
  const lastNl = text.lastIndexOf('\n');
  const complete = text.slice(0, lastNl + 1);
  const tornBytes = Buffer.byteLength(text) - Buffer.byteLength(complete);
  const { records, lines, bad } = parseResultLines(complete);
  const kept = new Map<string, ResultRecord>();
  const keptLines: string[] = [];
  let dropped = bad;
  let retried = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (!validIds.has(r.id) || kept.has(r.id)) {
      dropped++;
      continue;
    }
    if (r.error === 'internal' && !opts.keepInternalErrors) {
      dropped++;
      retried++;
      continue;
    }
    kept.set(r.id, r);
    keptLines.push(lines[i]!);
  }
  if (dropped > 0) {
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, keptLines.map((l) => l + '\n').join(''));
    renameSync(tmp, path);
  } else if (tornBytes > 0) {
    truncateSync(path, Buffer.byteLength(complete));
  }
  return { records: kept, tornBytes, droppedLines: dropped, retriedErrors: retried };
}

/**
 * An append-only results file. Each {@link ResultsWriter.append} is one synchronous `write(2)` of
 * the whole line on an `O_APPEND` descriptor (looping only in the rare case of a short write), so
 * a line is in the kernel before the next point is accepted.
 */
export class ResultsWriter {
  private fd: number;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }
  /** Append one record as one line. */
  append(record: ResultRecord): void {
    const buf = Buffer.from(formatRecord(record));
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
  }
  /** Flush to disk and close. Safe to call twice. */
  close(): void {
    if (this.fd < 0) return;
    try {
      fsyncSync(this.fd);
    } catch {
      // fsync is a best effort (some filesystems, e.g. pipes or /dev/null, refuse it).
    }
    closeSync(this.fd);
    this.fd = -1;
  }
}

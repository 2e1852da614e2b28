/**
 * Sharding: `--shard i/n` runs a deterministic 1/n of a sweep's points.
 *
 * **Rule**: the point at position `p` of the spec's deduplicated point order (see grid.ts) belongs
 * to shard `p mod n`; shards are numbered `0 … n-1`, matching Slurm's `SLURM_ARRAY_TASK_ID` for
 * `--array=0-(n-1)` and Kubernetes' `JOB_COMPLETION_INDEX`. Shard sizes differ by at most one, the
 * rule depends only on the spec (never on `--jobs`, the machine, or what is already done), and
 * neighbouring points, which often differ only in the cheapest-to-vary last axis, are dealt to
 * different shards, so costly regions of the space spread over all shards.
 */
import { ConfigError } from '../../errors.js';

/** One shard of n. */
export interface Shard {
  /** 0-based shard index, `0 ≤ index < count`. */
  readonly index: number;
  /** Number of shards n ≥ 1. */
  readonly count: number;
}

/**
 * Parse `i/n` (e.g. `3/8`).
 *
 * @throws ConfigError (`SWEEP_SHARD_INVALID`) unless `0 ≤ i < n`.
 * @example
 * parseShard('3/8') // → { index: 3, count: 8 }
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count) || !Number.isSafeInteger(count)) {
    throw new ConfigError('SWEEP_SHARD_INVALID', `--shard must be i/n with 0 ≤ i < n (shards are numbered from 0, e.g. 0/4 … 3/4); got "${text}"`);
  }
  return { index, count };
}

/** The shard a point at spec position `index` belongs to. */
export function shardOf(index: number, count: number): number {
  return index % count;
}

/** Whether the point at spec position `index` belongs to `shard`. */
export function inShard(index: number, shard: Shard): boolean {
  return index % shard.count === shard.index;
}

/** `i/n`, as `--shard` takes it. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

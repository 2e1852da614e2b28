import { describe, expect, it } from 'vitest';
import { BarProgress, createProgress, formatDuration, PlainProgress } from '../../../src/sweep/progress.js';
import type { SweepSummary } from '../../../src/sweep/runner.js';

function summary(over: Partial<SweepSummary> = {}): SweepSummary {
  return { out: 'r.jsonl', totalPoints: 100, shardPoints: 100, alreadyDone: 0, todo: 100, finished: 0, ok: 0, infeasible: 0, internalErrors: 0, interrupted: false, tornBytes: 0, droppedLines: 0, retriedErrors: 0, ...over };
}

function sink(isTTY = false) {
  const out: string[] = [];
  return { out, isTTY, write: (t: string) => out.push(t) };
}

describe('PlainProgress', () => {
  it('prints a header, then a line every 5 % or every 2 s, with the rate and the ETA', () => {
    let now = 0;
    const s = sink();
    const p = new PlainProgress(s, { now: () => now });
    const sum = summary({ alreadyDone: 20, todo: 80 });
    p.update(sum);
    expect(s.out).toEqual(['sweep: 100 points, 20 already done, 80 to run\n']);
    for (let i = 1; i <= 4; i++) {
      now += 100;
      sum.finished = i;
      sum.ok = i;
      p.update(sum);
    }
    expect(s.out).toHaveLength(1); // 4 % more, 0.4 s: quiet
    now += 100;
    sum.finished = 5;
    p.update(sum); // 25 % done now: a 5 % step
    expect(s.out[1]).toBe('sweep: 25/100 points (25.0 %), 0 infeasible, 0 internal errors, 10.0 points/s, ETA 8s\n');
    now += 2000;
    sum.finished = 6;
    sum.infeasible = 1;
    p.update(sum); // 2 s later: a line even though < 5 %
    expect(s.out[2]).toBe('sweep: 26/100 points (26.0 %), 1 infeasible, 0 internal errors, 2.40 points/s, ETA 31s\n'); // 6 in 2.5 s; 74 left
    p.stop({ ...sum, finished: 80 });
    expect(s.out[3]).toContain('100/100 points (100.0 %)');
    expect(s.out[3]).toContain('done');
  });
});

describe('createProgress', () => {
  it('draws a bar on a terminal and plain lines elsewhere, or nothing when disabled', () => {
    expect(createProgress(sink(true))).toBeInstanceOf(BarProgress);
    expect(createProgress(sink(false))).toBeInstanceOf(PlainProgress);
    const quiet = sink(false);
    const none = createProgress(quiet, false);
    none.update(summary());
    none.stop(summary());
    expect(quiet.out).toEqual([]);
  });
});

describe('formatDuration', () => {
  it.each([[0, '0s'], [59.4, '59s'], [187, '3m07s'], [3720, '1h02m'], [Infinity, '?']])('formats %d s as %s', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
});

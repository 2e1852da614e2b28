import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openResultsFile, ResultsWriter } from '../../../src/results/results-file.js';
import { tempDir } from '../sweep/helpers.js';

const line = (id: string, extra: object = {}) => JSON.stringify({ id, point: { format: 'coo' }, ok: true, ...extra }) + '\n';

describe('openResultsFile', () => {
  it('creates a missing file', () => {
    const p = join(tempDir(), 'r.jsonl');
    expect(openResultsFile(p, new Set()).records.size).toBe(0);
    expect(readFileSync(p, 'utf8')).toBe('');
  });

  it('cuts a torn last line and keeps the complete ones byte for byte', () => {
    const p = join(tempDir(), 'r.jsonl');
    writeFileSync(p, line('a') + line('b') + '{"id":"c","po');
    const r = openResultsFile(p, new Set(['a', 'b', 'c']));
    expect([...r.records.keys()]).toEqual(['a', 'b']);
    expect(r.tornBytes).toBe(13);
    expect(readFileSync(p, 'utf8')).toBe(line('a') + line('b'));
  });

  it('drops lines of other specs, repeats, garbage and internal errors (to retry them), rewriting the file', () => {
    const p = join(tempDir(), 'r.jsonl');
    writeFileSync(p, line('a') + line('zz') + line('a', { again: 1 }) + 'not json\n' + line('b', { ok: false, error: 'internal' }) + line('c'));
    const r = openResultsFile(p, new Set(['a', 'b', 'c']));
    expect([...r.records.keys()]).toEqual(['a', 'c']);
    expect(r).toMatchObject({ droppedLines: 4, retriedErrors: 1, tornBytes: 0 });
    expect(readFileSync(p, 'utf8')).toBe(line('a') + line('c'));
  });

  it('keeps internal errors when asked to', () => {
    const p = join(tempDir(), 'r.jsonl');
    writeFileSync(p, line('b', { ok: false, error: 'internal' }));
    expect(openResultsFile(p, new Set(['b']), { keepInternalErrors: true }).records.has('b')).toBe(true);
  });
});

describe('ResultsWriter', () => {
  it('appends whole lines after what is there', () => {
    const p = join(tempDir(), 'r.jsonl');
    writeFileSync(p, line('a'));
    const w = new ResultsWriter(p);
    w.append({ id: 'b', point: { format: 'coo' }, ok: true });
    w.close();
    w.close();
    expect(readFileSync(p, 'utf8')).toBe(line('a') + line('b'));
  });
});

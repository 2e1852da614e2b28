import { describe, expect, it } from 'vitest';
import { csvField, sweepCsvColumns, toCsv } from '../../../src/results/csv.js';
import { parseObjectives, type SweepRecordLike } from '../../../src/results/objectives.js';

describe('csv', () => {
  it('quotes fields with commas, quotes or line breaks and doubles inner quotes (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(null)).toBe('');
    expect(csvField(1.5)).toBe('1.5');
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
  });

  it('writes id, point columns, objectives, ok and reason with CRLF line ends', () => {
    const records: SweepRecordLike[] = [
      { id: 'x1', point: { format: 'coo', prune: 'magnitude:0.5' }, ok: true, energy: { totalPj: 12.5 }, storage: { compression: 3 } },
      { id: 'x2', point: { format: 'nm:2:4', weightBits: 8 }, ok: false, reason: 'group 3 has 3 nonzeros, "nm:2:4"' },
    ];
    const objectives = parseObjectives('energyPj:min,compression:max');
    const csv = toCsv(records, sweepCsvColumns(records, objectives));
    expect(csv).toBe(
      'id,point.format,point.prune,point.weightBits,energyPj,compression,ok,reason\r\n' +
      'x1,coo,magnitude:0.5,,12.5,3,true,\r\n' +
      'x2,nm:2:4,,8,,,false,"group 3 has 3 nonzeros, ""nm:2:4"""\r\n');
  });
});

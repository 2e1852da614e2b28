import { describe, expect, it } from 'vitest';
import { PLACEMENT_CSV_COLUMNS, placementCsv } from '../../../src/report/placement-csv.js';
import { samplePlacement } from './placement-sample.js';

describe('placementCsv', () => {
  it('writes one CRLF line per layer in model order under the header, quoting by RFC 4180', () => {
    expect(placementCsv(samplePlacement())).toBe(
      'layer,loads,segments,slotsPerLoad,firstLoad,macros,chips,kTiles,nTiles,utilization,rewrites,cycles,latencyNs,energyPj,partialSumAdds,partialSumEnergyPj,interChipPartialSums\r\n' +
      '"conv ""1"", 3x3",1,2,2,0,0:0,1,1,1,1,0,15,75,1200,0,0,0\r\n' +
      'fc,3,6,2,1,0:1 1:0 1:1,2,2,2,0.75,0,30,150,2500.5,4,0.6528,2\r\n');
  });

  it('has one column per scalar field of a placed layer (the per-macro assignment stays in the JSON)', () => {
    const fields = Object.keys(samplePlacement().layers[0]!).filter((k) => k !== 'assignment' && k !== 'name');
    expect(PLACEMENT_CSV_COLUMNS.map((c) => c.header).sort()).toEqual(['layer', ...fields].sort());
  });

  it('of a model without layers is the header alone', () => {
    expect(placementCsv({ ...samplePlacement(), layers: [] }).split('\r\n')).toHaveLength(2);
  });
});

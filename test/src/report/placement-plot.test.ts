import { describe, expect, it } from 'vitest';
import { placementPlotSpec, placementPlotSvg } from '../../../src/report/placement-plot.js';
import { samplePlacement } from './placement-sample.js';
import { checkSvg } from './svg-check.js';

describe('placement plot', () => {
  it('is valid SVG with both axes, every layer and the pipelined figures in the subtitle', async () => {
    const svg = await placementPlotSvg(samplePlacement());
    expect(checkSvg(svg)).toBeNull();
    expect(svg).toContain('energy per image (nJ)'); // 1200 and 2500.5 pJ
    expect(svg).toContain('stage latency per image (ns)'); // 75 and 150 ns
    expect(svg).toContain('>fc</text>');
    expect(svg).toContain('pipelined every 150 ns after a 225 ns fill');
    expect(svg).toContain('slowest stage');
  });

  it('keeps model order and tells repeated layer names apart', () => {
    const r = samplePlacement();
    const spec = placementPlotSpec({ ...r, layers: [r.layers[1]!, r.layers[1]!, r.layers[0]!] }) as { data: { values: { layer: string }[] } };
    expect(spec.data.values.map((v) => v.layer)).toEqual(['fc #0', 'fc #1', 'conv "1", 3x3']);
  });

  it('says when the model is not pipelined', async () => {
    const r = samplePlacement();
    const svg = await placementPlotSvg({ ...r, schedule: 'sequential-rewrites', total: { ...r.total, pipelined: null } });
    expect(svg).toContain('not pipelined (the model does not fit)');
  });
});

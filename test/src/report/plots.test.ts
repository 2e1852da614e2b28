import { describe, expect, it } from 'vitest';
import { energyBreakdownSvg, escapeHtml, paretoScatterSvg, plotsHtml, storageBreakdownSvg } from '../../../src/report/plots.js';
import { bestPerGroup, energyBreakdownSpec, storageBreakdownSpec } from '../../../src/report/plot-specs.js';
import { parseObjectives } from '../../../src/results/objectives.js';
import { paretoFront } from '../../../src/results/pareto.js';
import { sampleRecords } from './sample-records.js';
import { checkSvg } from './svg-check.js';

const records = sampleRecords();
const objectives = parseObjectives('energyPj:min,compression:max');
const front = paretoFront(records, objectives).front;

describe('svg checker', () => {
  it('accepts a balanced svg and rejects unbalanced or non-svg text', () => {
    expect(checkSvg('<svg a="1"><g><rect/></g><text>x</text></svg>')).toBeNull();
    expect(checkSvg('<svg><g></svg>')).not.toBeNull();
    expect(checkSvg('<svg><g></g>')).not.toBeNull();
    expect(checkSvg('<div></div>')).not.toBeNull();
  });
});

describe('plots', () => {
  it('the Pareto scatter is valid SVG with both axis titles and the format families in the legend', async () => {
    const svg = await paretoScatterSvg(records, objectives, front);
    expect(checkSvg(svg)).toBeNull();
    expect(svg).toContain('energyPj (lower is better)');
    expect(svg).toContain('compression (higher is better)');
    for (const f of ['dense', 'bitmask', 'coo', 'rl', 'nm']) expect(svg).toContain(`>${f}</text>`);
    expect(svg).toContain(`${front.length} on the front`);
  });

  it('the energy breakdown is valid SVG with one bar label per format and the breakdown components', async () => {
    const svg = await energyBreakdownSvg(records);
    expect(checkSvg(svg)).toBeNull();
    for (const f of ['dense', 'bitmask', 'coo:8', 'coo:6', 'rl:4', 'nm:2:4']) expect(svg).toContain(`>${f}</text>`);
    for (const c of ['adderTree', 'bitcell', 'leakage']) expect(svg).toContain(`>${c}</text>`);
    expect(svg).toContain('energy (pJ)');
  });

  it('the storage breakdown is valid SVG with the four storage components', async () => {
    const svg = await storageBreakdownSvg(records);
    expect(checkSvg(svg)).toBeNull();
    for (const c of ['valueBits', 'indexBits', 'paddingBits', 'metadataBits']) expect(svg).toContain(`>${c}</text>`);
    expect(svg).toContain('storage (bits)');
  });

  it('each bar shows the lowest-energy (energy chart) or smallest-storage (storage chart) point of its format', () => {
    const coo8 = records.filter((r) => r.ok && (r.point as { format: string }).format === 'coo:8');
    const minE = Math.min(...coo8.map((r) => (r['energy'] as { totalPj: number }).totalPj));
    const pick = bestPerGroup(records, (r) => (r.ok ? (r['energy'] as { totalPj: number }).totalPj : NaN), 'format').find((g) => g.group === 'coo:8')!;
    expect((pick.record['energy'] as { totalPj: number }).totalPj).toBe(minE);
    const spec = energyBreakdownSpec(records) as unknown as { layer: Array<{ data: { values: Array<{ group: string; value: number }> } }> };
    const stacked = spec.layer[0]!.data.values.filter((v) => v.group === 'coo:8').reduce((a, v) => a + v.value, 0);
    expect(stacked).toBeCloseTo(minE, 6);
    const sspec = storageBreakdownSpec(records, 'family') as unknown as { layer: Array<{ data: { values: Array<{ group: string; value: number }> } }> };
    const cooFamily = records.filter((r) => r.ok && (r.point as { format: string }).format.startsWith('coo'));
    const minBits = Math.min(...cooFamily.map((r) => (r['storage'] as { totalBits: number }).totalBits));
    expect(sspec.layer[0]!.data.values.filter((v) => v.group === 'coo').reduce((a, v) => a + v.value, 0)).toBe(minBits);
  });

  it('the HTML page is self-contained: three inline SVGs, no scripts, no external URLs except SVG namespaces', async () => {
    const html = await plotsHtml({ title: 'test <sweep>', records, objectives });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<svg/g)!.length).toBe(3);
    expect(html).not.toMatch(/<script|<link|@import|src=/i);
    const urls = html.match(/https?:\/\/[^\s"']+/g) ?? [];
    expect(urls.every((u) => u.startsWith('http://www.w3.org/'))).toBe(true);
    expect(html).toContain('test &lt;sweep&gt;');
    expect(html).toContain(`Pareto front (${front.length} points)`);
    expect(html).toContain('2 failed');
  });

  it('escapeHtml escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  });
});

describe('scatter scales', () => {
  it('an objective spanning more than two decades gets a log axis and still renders valid SVG', async () => {
    const { paretoScatterSpec } = await import('../../../src/report/plot-specs.js');
    const wide = records.map((r, i) => (r.ok ? { ...r, energy: { ...(r['energy'] as object), totalPj: 10 ** (1 + (i % 5)) } } : r));
    const f = paretoFront(wide, objectives).front;
    const spec = paretoScatterSpec(wide, objectives, f) as unknown as { layer: Array<{ encoding: { x: { scale: { type: string } }; y: { scale: { type: string } } } }> };
    expect(spec.layer[0]!.encoding.x.scale.type).toBe('log');
    expect(spec.layer[0]!.encoding.y.scale.type).toBe('linear');
    expect(checkSvg(await paretoScatterSvg(wide, objectives, f))).toBeNull();
  });
});

describe('calibration bands on the Pareto scatter', () => {
  it('draws the energy band of each front point as an error bar, and none without bands', async () => {
    const { paretoScatterSpec } = await import('../../../src/report/plot-specs.js');
    const banded = records.map((r) => (r.ok ? { ...r, energy: { ...(r['energy'] as { totalPj: number }), bandPj: [(r['energy'] as { totalPj: number }).totalPj / 2.5, (r['energy'] as { totalPj: number }).totalPj * 2.5] } } : r));
    const f = paretoFront(banded, objectives).front;
    type Layer = { mark: { type: string }; data: { values: Array<{ xLo?: number; xHi?: number; x: number }> } };
    const spec = paretoScatterSpec(banded, objectives, f) as unknown as { layer: Layer[] };
    const bars = spec.layer.filter((l) => l.mark.type === 'rule');
    expect(bars).toHaveLength(1); // energy is the first objective: horizontal bars
    expect(bars[0]!.data.values).toHaveLength(f.length);
    for (const v of bars[0]!.data.values) expect(v.xHi! / v.x).toBeCloseTo(2.5, 9);
    const plain = paretoScatterSpec(records, objectives, paretoFront(records, objectives).front) as unknown as { layer: Layer[] };
    expect(plain.layer.filter((l) => l.mark.type === 'rule')).toHaveLength(0);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../../../errors.js';
import { AXIS_NAMES, loadSweepSpec, parseSweepSpec } from '../../../src/sweep/spec.js';
import { tempDir } from './helpers.js';

const MINIMAL = {
  workload: { file: 'w.npy', array: 'fc1.weight', inputs: 'x.npy', batch: 16 },
  axes: { format: ['coo', 'rl:4', 'nm:2:4'], prune: ['magnitude:0.5', 'nm:2:4'], weightBits: [4, 8], inputBits: [8], rows: [128, 256], bitColumns: [256], macros: [1] },
  objectives: ['energyPj:min', 'compression:max'],
};

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseSweepSpec', () => {
  it('accepts the minimal spec and resolves workload paths against the spec folder', () => {
    const spec = parseSweepSpec(MINIMAL, '/data/run');
    expect(spec.workload).toEqual({ kind: 'file', file: '/data/run/w.npy', array: 'fc1.weight', inputs: '/data/run/x.npy', batch: 16 });
    expect(spec.axes.format).toEqual(['coo', 'rl:4', 'nm:2:4']);
    expect(spec.objectives).toEqual(['energyPj:min', 'compression:max']);
    expect(Object.isFrozen(spec.axes)).toBe(true);
  });

  it('keeps absolute workload paths as they are', () => {
    const spec = parseSweepSpec({ workload: { file: '/abs/w.npy' }, axes: { format: ['coo'] } }, '/data');
    expect(spec.workload).toEqual({ kind: 'file', file: '/abs/w.npy' });
  });

  it('accepts a network workload and passes it through with resolved paths', () => {
    const spec = parseSweepSpec({ workload: { model: 'm.npz', graph: 'g.json', inputs: 'x.npy', labels: 'y.npy', limit: 100 }, points: [{ format: 'coo' }] }, '/d');
    expect(spec.workload).toEqual({ kind: 'network', model: '/d/m.npz', graph: '/d/g.json', inputs: '/d/x.npy', labels: '/d/y.npy', limit: 100 });
  });

  it('accepts macro-parameter axes, explicit points alone, and defaults', () => {
    const spec = parseSweepSpec({
      workload: { file: 'w.npy' },
      defaults: { weightBits: 8, macro: 'sp-imc-28nm' },
      axes: { format: ['coo'], clockMHz: [200, 400.5], vdd: [0.9], skipZeroBitPlanes: [true, false], overlapWrites: [true], writeBusBits: [64], layout: ['io'], granularity: ['per-tensor'], seed: [1], batch: [8] },
      points: [{ format: 'dense', rows: 64 }],
    }, '/d');
    expect(Object.keys(spec.axes)).toHaveLength(10);
    expect(spec.points).toEqual([{ format: 'dense', rows: 64 }]);
    expect(spec.defaults).toEqual({ weightBits: 8, macro: 'sp-imc-28nm' });
  });

  it('reports every problem of a spec at once, each with its path', () => {
    const err = configError(() => parseSweepSpec({
      workload: { file: 'w.npy', batch: 0 },
      axes: { format: ['coo', 'csr'], weightBits: [1, 8], rows: [] },
      points: [{ weightBits: 'eight' }],
      objectives: ['nonsense:min'],
      extra: 1,
    }, '/d'));
    expect(err.code).toBe('SWEEP_SPEC_INVALID');
    const m = err.message;
    for (const part of ['workload.batch', 'axes.format[1]', '"csr"', 'axes.weightBits[0]', 'axes.rows', 'points[0].weightBits', 'objectives: ', 'nonsense', '"extra"']) {
      expect(m).toContain(part);
    }
    expect(m).toMatch(/^sweep spec: \d+ problems: /);
  });

  it('names the known axes when an axis is unknown', () => {
    const err = configError(() => parseSweepSpec({ workload: { file: 'w.npy' }, axes: { format: ['coo'], colums: [4] } }, '/d'));
    expect(err.message).toContain('unknown axis "colums"');
    for (const name of AXIS_NAMES) expect(err.message).toContain(name);
  });

  it('rejects a spec without any point', () => {
    expect(configError(() => parseSweepSpec({ workload: { file: 'w.npy' } }, '/d')).message).toContain('no points');
  });

  it('requires a format for every point', () => {
    const err = configError(() => parseSweepSpec({ workload: { file: 'w.npy' }, points: [{ format: 'coo' }, { rows: 64 }] }, '/d'));
    expect(err.message).toContain('points[1]: no format');
    expect(err.message).not.toContain('points[0]');
  });

  it('checks the format and prune grammars', () => {
    expect(() => parseSweepSpec({ workload: { file: 'w' }, axes: { format: ['dense', 'bitmask', 'coo:8', 'rl', 'rl:3', 'nm:1:4'], prune: ['none', 'magnitude:0.9', 'nm:2:4', 'block:4:4:0.5', 'bcr:8:8:.25'] } }, '/d')).not.toThrow();
    const err = configError(() => parseSweepSpec({ workload: { file: 'w' }, axes: { format: ['nm:2'], prune: ['magnitude:1.5'] } }, '/d'));
    expect(err.message).toContain('axes.format[0]');
    expect(err.message).toContain('axes.prune[0]');
  });

  it('rejects a workload with neither a file nor a model', () => {
    expect(configError(() => parseSweepSpec({ workload: { weights: 'w.npy' }, axes: { format: ['coo'] } }, '/d')).message).toContain('workload');
  });
});

describe('loadSweepSpec', () => {
  it('reads the same spec from JSON and from YAML', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 's.json'), JSON.stringify(MINIMAL));
    writeFileSync(join(dir, 's.yaml'), [
      'workload: {file: w.npy, array: fc1.weight, inputs: x.npy, batch: 16}',
      'axes:',
      '  format: [coo, "rl:4", "nm:2:4"]',
      '  prune: ["magnitude:0.5", "nm:2:4"]',
      '  weightBits: [4, 8]',
      '  inputBits: [8]',
      '  rows: [128, 256]',
      '  bitColumns: [256]',
      '  macros: [1]',
      'objectives: ["energyPj:min", "compression:max"]',
    ].join('\n'));
    const a = await loadSweepSpec(join(dir, 's.json'));
    const b = await loadSweepSpec(join(dir, 's.yaml'));
    expect({ ...b, specPath: undefined }).toEqual({ ...a, specPath: undefined });
    expect(a.workload).toMatchObject({ file: join(dir, 'w.npy') });
  });

  it('reports a missing file and a syntax error as InputErrors', async () => {
    const dir = tempDir();
    await expect(loadSweepSpec(join(dir, 'nope.json'))).rejects.toBeInstanceOf(InputError);
    writeFileSync(join(dir, 'bad.json'), '{"workload": ');
    await expect(loadSweepSpec(join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'SWEEP_SPEC_SYNTAX' });
  });
});

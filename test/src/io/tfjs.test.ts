/** TF.js weights: the real uint8-quantized face-api manifest and a split, mixed-dtype model.json (fixtures/io/tfjs). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTensorFile } from '../../../src/io/load.js';
import { cli, expectUserError, ROOT } from '../cli/helpers.js';

const DIR = join(ROOT, 'fixtures/io/tfjs');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));

describe('TF.js weights', () => {
  it('the face-api tiny face detector dequantizes as tfjs does (q · scale + min, float32)', () => {
    const file = loadTensorFile(join(DIR, 'tiny_face_detector_model-weights_manifest.json'));
    expect(file.kind).toBe('tfjs');
    const want = expected['tiny_face_detector_model-weights_manifest.json'] as Record<string, { shape: number[]; first: number[]; sum: number }>;
    expect(file.tensors.map((t) => t.name)).toEqual(Object.keys(want));
    for (const t of file.tensors) {
      expect(t.shape).toEqual(want[t.name]!.shape);
      expect(Array.from(t.data as Float32Array).slice(0, 5)).toEqual(want[t.name]!.first);
      let sum = 0;
      for (const v of t.data as Float32Array) sum += v;
      expect(sum).toBeCloseTo(want[t.name]!.sum, 6);
    }
  });

  it('a model.json with two shards split mid-weight and every stored dtype', () => {
    const file = loadTensorFile(join(DIR, 'split-model.json'));
    for (const [name, values] of Object.entries(expected['split-model.json'] as Record<string, number[]>)) {
      expect(Array.from(file.tensors.find((t) => t.name === name)!.data as ArrayLike<number>), name).toEqual(values);
    }
    expect(file.tensors.find((t) => t.name === 'half')!.dtype).toBe('float16');
  });

  it('run reads a TF.js conv weight with --layout hwio; shards outside the folder are refused', () => {
    const r = cli(['run', join(DIR, 'tiny_face_detector_model-weights_manifest.json'), '--array', 'conv8/filters', '--layout', 'hwio', '--prune', 'magnitude:0.5', '--weight-bits', '8', '--format', 'coo', '--json', '--no-baselines']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).formats[0].outputsExact).toBe(true);
    expectUserError(cli(['inspect', join(DIR, 'hostile-manifest.json')]), 2, /shard '\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd' lies outside/);
  });
});

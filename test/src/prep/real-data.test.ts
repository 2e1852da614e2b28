/**
 * End-to-end on a real pretrained layer (fixtures/data, MobileNetV1 conv6 pointwise, OIHW float32,
 * ~7 % exact zeros): prepareWeights vs numpy checksums from fixtures/make-prep-goldens.py.
 * The .npy is opened with a minimal header read for this one known file (little-endian float32, C
 * order, version 1) so that this test does not depend on the project's readers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../../src/io/tensor.js';
import { prepareWeights } from '../../../src/prep/prepare.js';

interface Golden {
  file: string;
  shape: number[];
  results: Record<string, { nnz: number; absSum: number; weightedSum: number; scaleSum: number }>;
}
const golden = JSON.parse(readFileSync(new URL('../../../fixtures/prep/real-mobilenet.json', import.meta.url), 'utf8')) as Golden;

function loadKnownNpy(file: string): Tensor {
  const buf = readFileSync(new URL(`../../../fixtures/data/${file}`, import.meta.url));
  const headerLen = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + headerLen);
  expect(buf[6]).toBe(1); // format version 1.0
  expect(header).toContain("'descr': '<f4'");
  expect(header).toContain("'fortran_order': False");
  const start = 10 + headerLen;
  const bytes = buf.subarray(start);
  const data = new Float32Array(bytes.length / 4);
  for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(4 * i);
  return { name: file, dtype: 'float32', shape: golden.shape, data };
}

describe('real MobileNetV1 layer', () => {
  const t = loadKnownNpy(golden.file);
  for (const [spec, want] of Object.entries(golden.results)) {
    it(`prepares ${spec} at 8 bits exactly like numpy`, () => {
      const p = prepareWeights(t, { weightBits: 8, prune: spec });
      expect([p.layout, p.K, p.N]).toEqual(['oihw', 256, 512]);
      let absSum = 0, weightedSum = 0, scaleSum = 0;
      const q = p.q.data;
      for (let i = 0; i < q.length; i++) {
        absSum += Math.abs(q[i]!);
        weightedSum += q[i]! * ((i % 65521) + 1);
      }
      for (let j = 0; j < p.scales.length; j++) scaleSum += p.scales[j]!;
      expect({ nnz: p.nnz, absSum, weightedSum, scaleSum }).toEqual(want);
    });
  }
});

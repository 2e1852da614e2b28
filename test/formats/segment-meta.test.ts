import { describe, expect, it } from 'vitest';
import { ceilLog2, segmentBaseBits, segmentCountBits, segmentMetadataBits } from '../../formats/segment-meta.js';

describe('segment metadata widths', () => {
  it('computes ceil(log2 x) exactly at and around powers of two', () => {
    expect([1, 2, 3, 4, 5, 255, 256, 257, 784].map(ceilLog2)).toEqual([0, 1, 2, 2, 3, 8, 8, 9, 10]);
  });

  it('gives b_base = max(1, ceil(log2 K))', () => {
    expect([1, 2, 6, 784, 1024].map(segmentBaseBits)).toEqual([1, 1, 3, 10, 10]);
  });

  it('gives b_count = ceil(log2(R + 1)) so that a full segment of R entries fits', () => {
    expect([1, 4, 255, 256].map(segmentCountBits)).toEqual([1, 3, 8, 9]);
  });

  it('sums both for the per-segment metadata', () => {
    expect(segmentMetadataBits(784, 256)).toBe(19);
  });
});

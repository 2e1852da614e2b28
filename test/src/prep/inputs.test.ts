import { describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import type { Tensor } from '../../../src/io/tensor.js';
import { prepareInputs } from '../../../src/prep/inputs.js';

const images: Tensor = { name: 'images', dtype: 'uint8', shape: [3, 1, 2, 2], data: Uint8Array.from([0, 255, 51, 102, 1, 2, 3, 4, 255, 0, 0, 0]) };

describe('prepareInputs', () => {
  it('flattens [B, ...] inputs whose trailing dimensions multiply to K, in C order', () => {
    const x = prepareInputs({ K: 4, bits: 8, signed: false, tensor: images, batch: 2 });
    expect(x.batch).toBe(2);
    // one scale over the first 2 vectors: max 255 → sx = 1, so the integers are the pixels
    expect(Array.from(x.q)).toEqual([0, 255, 51, 102, 1, 2, 3, 4]);
    expect(x.description).toMatchObject({ source: 'file', batch: 2, scale: 1 });
  });

  it('refuses inputs whose trailing dimensions do not make K, naming both', () => {
    expect(() => prepareInputs({ K: 5, bits: 8, signed: false, tensor: images })).toThrow(InputError);
    expect(() => prepareInputs({ K: 5, bits: 8, signed: false, tensor: images })).toThrow(/shape \(3, 1, 2, 2\).*K = 5/);
  });

  it('refuses a batch larger than the file holds', () => {
    expect(() => prepareInputs({ K: 4, bits: 8, signed: false, tensor: images, batch: 4 })).toThrow(/--batch 4.*holds \(3\)|holds \(3\)/);
  });

  it('draws seeded random inputs with exactly the stated zero fraction when no file is given', () => {
    const x = prepareInputs({ K: 10, bits: 4, signed: false, batch: 3, seed: 7, zeroFraction: 0.4 });
    expect(x.q.length).toBe(30);
    expect(Array.from(x.q).filter((v) => v === 0).length).toBe(12);
    expect(Math.max(...x.q)).toBeLessThanOrEqual(15);
    expect(x.description).toMatchObject({ source: 'random', seed: 7, zeroFraction: 0.4 });
  });
});

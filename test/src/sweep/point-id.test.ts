import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, pointId } from '../../../src/sweep/point-id.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}');
  });

  it('refuses non-finite numbers, which JSON cannot hold', () => {
    expect(() => canonicalJson({ a: NaN })).toThrow(TypeError);
  });
});

describe('pointId', () => {
  it('is 16 lower-case hex digits: the head of sha256 of the canonical JSON', () => {
    // sha256('{"format":"coo","weightBits":8}') computed independently with Python's hashlib.
    expect(pointId({ weightBits: 8, format: 'coo' })).toBe('024dde6be7c994e5');
  });

  it('does not depend on the order keys were written in', () => {
    fc.assert(fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.boolean(), fc.string())), (d) => {
      const reversed = Object.fromEntries(Object.entries(d).reverse());
      return pointId(d) === pointId(reversed);
    }));
  });

  it('differs for points that differ in one value or one key', () => {
    const ids = new Set([
      pointId({ format: 'coo', weightBits: 8 }),
      pointId({ format: 'coo', weightBits: 4 }),
      pointId({ format: 'rl:4', weightBits: 8 }),
      pointId({ format: 'coo' }),
      pointId({ format: 'coo', weightBits: '8' }),
      pointId({ format: 'coo', weightBits: 8, rows: 256 }),
    ]);
    expect(ids.size).toBe(6);
  });
});

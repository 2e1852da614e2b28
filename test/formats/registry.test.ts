import { describe, expect, it } from 'vitest';
import { ConfigError, FormatError } from '../../errors.js';
import { decodeMatrix, encodeMatrix, parseFormatList, parseFormatSpec } from '../../formats/registry.js';
import { SMALL } from './fixtures.js';

describe('format registry', () => {
  it('resolves defaults into canonical specs', () => {
    expect(parseFormatSpec('coo', 784).canonical).toBe('coo:10');
    expect(parseFormatSpec('rl', 784).canonical).toBe('rl:4');
    expect(parseFormatSpec(' nm:2:4 ', 784).canonical).toBe('nm:2:4');
    expect(parseFormatSpec('dense', 784).canonical).toBe('dense');
    expect(parseFormatSpec('bitmask', 784).params).toEqual({});
  });

  it('keeps explicit parameters', () => {
    expect(parseFormatSpec('coo:3', 784).params).toEqual({ indexBits: 3 });
    expect(parseFormatSpec('rl:7', 784).params).toEqual({ runBits: 7 });
  });

  it('rejects unknown formats and wrong arity with a ConfigError quoting the grammar', () => {
    for (const spec of ['csr', 'nm:2', 'coo:1:2', 'dense:1', '']) {
      expect(() => parseFormatSpec(spec, 16)).toThrow(ConfigError);
    }
    expect(() => parseFormatSpec('csr', 16)).toThrow('valid formats: dense | bitmask | coo[:b_i] | rl[:b_r] | nm:N:m');
  });

  it('rejects a default coo index wider than 24 bits (K > 2^24)', () => {
    expect(() => parseFormatSpec('coo', 2 ** 24 + 1)).toThrow(ConfigError);
  });

  it('rejects non-integer parameters', () => {
    for (const spec of ['coo:x', 'rl:-1', 'rl:2.5', 'nm:2:4x']) expect(() => parseFormatSpec(spec, 16)).toThrow(ConfigError);
  });

  it('parses a comma-separated list in order', () => {
    expect(parseFormatList('coo,rl:4,nm:2:4', 784).map((p) => p.canonical)).toEqual(['coo:10', 'rl:4', 'nm:2:4']);
    expect(() => parseFormatList('coo,,rl', 784)).toThrow(ConfigError);
  });

  it('encodes by spec and decodes by the id the encoding carries', () => {
    const enc = encodeMatrix(SMALL, 'rl:2', { valueBits: 4, segmentRows: 4 });
    expect(enc.format).toBe('rl:2');
    expect(Array.from(decodeMatrix(enc).data)).toEqual(Array.from(SMALL.data));
    expect(() => decodeMatrix({ ...enc, id: 'csr' as never })).toThrow(FormatError);
  });
});

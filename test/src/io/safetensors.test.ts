import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import { findDuplicateJsonKey } from '../../../src/io/json-duplicates.js';
import { encodeSafetensors, encodeSafetensorsRaw, parseSafetensors, parseSafetensorsFile } from '../../../src/io/safetensors.js';
import { arbArray, sameBits } from './arbitraries.js';
import { catchImc } from './helpers.js';

const enc = new TextEncoder();

/** A file from an exact header text and data bytes. */
function st(header: string, data: Uint8Array = new Uint8Array(0), sizeOverride?: bigint): Uint8Array {
  const h = enc.encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, sizeOverride ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}
const e = (dtype: string, shape: number[], begin: number, end: number) => ({ dtype, shape, data_offsets: [begin, end] });

describe('safetensors round trip', () => {
  it('restores every writable dtype and shape bit-exactly, with metadata', () => {
    fc.assert(
      fc.property(fc.array(arbArray, { minLength: 0, maxLength: 4 }), (arrays) => {
        const named = arrays.map((a, i) => ({ ...a, name: `t${i}` }));
        const f = parseSafetensorsFile(encodeSafetensors(named, { k: 'v' }));
        expect(f.metadata).toEqual({ k: 'v' });
        expect(f.tensors.map((t) => t.name)).toEqual(named.map((a) => a.name));
        for (let i = 0; i < named.length; i++) {
          expect([f.tensors[i]!.dtype, [...f.tensors[i]!.shape]]).toEqual([named[i]!.dtype, named[i]!.shape]);
          expect(sameBits(f.tensors[i]!.data, named[i]!.data)).toBe(true);
        }
      }),
      { numRuns: 150, seed: 5 },
    );
  });

  it('widens BF16 by placing the bits in the high half of a float32', () => {
    const t = parseSafetensors(encodeSafetensorsRaw([{ name: 'b', dtype: 'BF16', shape: [2], bytes: Uint8Array.from([0x80, 0x3f, 0x49, 0xc0]) }]));
    expect([t[0]!.dtype, ...t[0]!.data]).toEqual(['bfloat16', 1, -3.140625]);
  });

  it('accepts a space-padded header and tensors listed out of offset order', () => {
    const h = JSON.stringify({ b: e('U8', [1], 1, 2), a: e('U8', [1], 0, 1) }) + '    ';
    const t = parseSafetensors(st(h, Uint8Array.from([7, 9])));
    expect(t.map((x) => [x.name, x.data[0]])).toEqual([['a', 7], ['b', 9]]);
  });
});

describe('parseSafetensors refuses invalid files', () => {
  const ok = JSON.stringify({ a: e('F32', [2], 0, 8), b: e('I16', [1], 8, 10) });
  const data10 = new Uint8Array(10);
  const cases: Array<[string, () => Uint8Array, string]> = [
    ['a file shorter than 8 bytes', () => new Uint8Array(5), 'ST_TRUNCATED'],
    ['a header size above 100,000,000', () => st('{}', new Uint8Array(0), 100_000_001n), 'ST_HEADER_TOO_LARGE'],
    ['a header size of 2^64 − 1 (no Number rounding)', () => st('{}', new Uint8Array(0), 0xffffffffffffffffn), 'ST_HEADER_TOO_LARGE'],
    ['a header size past the end of the file', () => st('{}', new Uint8Array(0), 50n), 'ST_TRUNCATED'],
    ['a header that is not UTF-8', () => st('{"\xff"}'.replace('\xff', '\u00ff'), new Uint8Array(0)).map((b, i) => (i === 10 ? 0xff : b)), 'ST_HEADER_ENCODING'],
    ['a header not starting with {', () => st(' {}'), 'ST_HEADER_JSON'],
    ['a header that is not JSON', () => st('{"a": }'), 'ST_HEADER_JSON'],
    ['duplicate tensor names', () => st('{"a":' + JSON.stringify(e('U8', [1], 0, 1)) + ',"a":' + JSON.stringify(e('U8', [1], 1, 2)) + '}', new Uint8Array(2)), 'ST_DUPLICATE_KEY'],
    ['duplicate names hidden by an escape', () => st('{"a":' + JSON.stringify(e('U8', [1], 0, 1)) + ',"\\u0061":' + JSON.stringify(e('U8', [1], 1, 2)) + '}', new Uint8Array(2)), 'ST_DUPLICATE_KEY'],
    ['offsets with a hole', () => st(JSON.stringify({ a: e('F32', [2], 0, 8), b: e('I16', [1], 9, 11) }), new Uint8Array(11)), 'ST_OFFSETS'],
    ['overlapping offsets', () => st(JSON.stringify({ a: e('F32', [2], 0, 8), b: e('I16', [1], 6, 8) }), new Uint8Array(8)), 'ST_OFFSETS'],
    ['offsets not starting at 0', () => st(JSON.stringify({ a: e('I16', [1], 2, 4) }), new Uint8Array(4)), 'ST_OFFSETS'],
    ['a span that does not match numel × size', () => st(JSON.stringify({ a: e('F32', [3], 0, 8) }), new Uint8Array(8)), 'ST_BAD_SIZE'],
    ['a huge shape', () => st(JSON.stringify({ a: e('F32', [1e15, 1e15], 0, 8) }), new Uint8Array(8)), 'BAD_SHAPE'],
    ['a file longer than the header says', () => st(ok, new Uint8Array(11)), 'ST_FILE_SIZE'],
    ['a file shorter than the header says', () => st(ok, new Uint8Array(9)), 'ST_FILE_SIZE'],
    ['a negative offset', () => st(JSON.stringify({ a: e('U8', [1], -1, 0) }), data10), 'ST_BAD_ENTRY'],
    ['begin after end', () => st(JSON.stringify({ a: e('U8', [0], 2, 1) }), data10), 'ST_BAD_ENTRY'],
    ['a fractional dimension', () => st(JSON.stringify({ a: e('U8', [1.5], 0, 1) }), data10), 'ST_BAD_ENTRY'],
    ['a string shape', () => st(JSON.stringify({ a: { dtype: 'U8', shape: '1', data_offsets: [0, 1] } }), data10), 'ST_BAD_ENTRY'],
    ['a missing data_offsets', () => st(JSON.stringify({ a: { dtype: 'U8', shape: [1] } }), data10), 'ST_BAD_ENTRY'],
    ['an entry that is not an object', () => st(JSON.stringify({ a: [1, 2] }), data10), 'ST_BAD_ENTRY'],
    ['an unknown dtype', () => st(JSON.stringify({ a: e('F128', [1], 0, 16) }), new Uint8Array(16)), 'ST_BAD_DTYPE'],
    ['a dtype named like an Object property', () => st(JSON.stringify({ a: e('constructor', [1], 0, 1) }), new Uint8Array(1)), 'ST_BAD_DTYPE'],
    ['a sub-byte F4 tensor', () => st(JSON.stringify({ a: e('F4', [2], 0, 1) }), new Uint8Array(1)), 'ST_UNSUPPORTED_DTYPE'],
    ['non-string metadata', () => st(JSON.stringify({ __metadata__: { n: 1 } })), 'ST_METADATA'],
    ['metadata that is a list', () => st(JSON.stringify({ __metadata__: ['x'] })), 'ST_METADATA'],
  ];
  for (const [what, make, code] of cases) {
    it(`refuses ${what} with InputError ${code}`, () => {
      const err = catchImc(() => parseSafetensors(make(), { source: 'hostile.safetensors' }));
      expect(err).toBeInstanceOf(InputError);
      expect(err.code).toBe(code);
      expect(err.message).toContain('hostile.safetensors');
    });
  }
});

describe('findDuplicateJsonKey', () => {
  it('finds duplicates at any depth and ignores equal strings that are values', () => {
    expect(findDuplicateJsonKey('{"a":{"x":1,"x":2}}')).toBe('x');
    expect(findDuplicateJsonKey('{"a":"b","b":["a","a"],"c":{"a":"a"}}')).toBeNull();
    expect(findDuplicateJsonKey('{"a\\"":1,"a\\"":2}')).toBe('a"');
  });
});

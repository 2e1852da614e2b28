import { describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import { parseNpyHeader, parsePyLiteral } from '../../../src/io/npy-header.js';
import { catchImc } from './helpers.js';

describe('parsePyLiteral', () => {
  it('reads nested tuples, lists, dicts, both quote styles, True/False/None and Python 2 longs', () => {
    const v = parsePyLiteral(`{"a": (1, -2L, [True, False, None]), 'b': {'c': 'x\\'y'}, }`, 't');
    expect(v).toEqual({
      t: 'dict',
      v: new Map<string, unknown>([
        ['a', { t: 'tuple', v: [{ t: 'int', v: 1n }, { t: 'int', v: -2n }, { t: 'list', v: [{ t: 'bool', v: true }, { t: 'bool', v: false }, { t: 'none' }] }] }],
        ['b', { t: 'dict', v: new Map([['c', { t: 'str', v: "x'y" }]]) }],
      ]),
    });
  });

  it('treats (3) as the integer 3 and (3,) as a 1-tuple, like Python', () => {
    expect(parsePyLiteral('(3)', 't')).toEqual({ t: 'int', v: 3n });
    expect(parsePyLiteral('(3,)', 't')).toEqual({ t: 'tuple', v: [{ t: 'int', v: 3n }] });
    expect(parsePyLiteral('()', 't')).toEqual({ t: 'tuple', v: [] });
  });

  it('keeps integers beyond 2^53 exact as BigInt', () => {
    expect(parsePyLiteral('123456789012345678901234567890', 't')).toEqual({ t: 'int', v: 123456789012345678901234567890n });
  });

  for (const bad of [
    "__import__('os')", "{'descr': os.system('rm -rf /')}", '1.5', '1e3', "b'abc'", '(1 2)', '[1,,2]', "{'a' 1}", '{1: 2}',
    "'unterminated", '01', 'Truex', '{', '(' .repeat(100) + ')'.repeat(100), "{'a': 1} junk", '1 + 2', "'\\q'",
  ]) {
    it(`refuses ${JSON.stringify(bad.slice(0, 40))} with NPY_HEADER_SYNTAX`, () => {
      const e = catchImc(() => parsePyLiteral(bad, 't'));
      expect(e).toBeInstanceOf(InputError);
      expect(e.code).toBe('NPY_HEADER_SYNTAX');
    });
  }
});

describe('parseNpyHeader', () => {
  it('accepts the keys in any order', () => {
    const h = parseNpyHeader(`{'shape': (2, 3), 'descr': '<f4', 'fortran_order': True}`, 't');
    expect(h.shape).toEqual([2, 3]);
    expect(h.fortranOrder).toBe(true);
    expect(h.descr).toEqual({ t: 'str', v: '<f4' });
  });

  const cases: Array<[string, string]> = [
    ["{'descr': '<f4', 'fortran_order': False}", 'NPY_HEADER_KEYS'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", 'NPY_HEADER_KEYS'],
    ["('<f4', False, (1,))", 'NPY_HEADER_NOT_DICT'],
    ["{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}", 'NPY_HEADER_FORTRAN'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 2)}", 'NPY_BAD_SHAPE'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': ('2',)}", 'NPY_BAD_SHAPE'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (True,)}", 'NPY_BAD_SHAPE'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': 3}", 'NPY_BAD_SHAPE'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", 'NPY_BAD_SHAPE'],
    ["{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", 'NPY_HEADER_SYNTAX'],
    [`{'descr': '${'x'.repeat(10_001)}'}`, 'NPY_HEADER_TOO_LONG'],
  ];
  for (const [text, code] of cases) {
    it(`refuses ${JSON.stringify(text.slice(0, 60))} with ${code}`, () => {
      expect(catchImc(() => parseNpyHeader(text, 't')).code).toBe(code);
    });
  }
});

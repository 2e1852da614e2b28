/**
 * The `.npy` header dict: a tiny parser for the Python literal numpy writes, never an evaluator.
 *
 * Layout (numpy `lib/format.py`, format versions 1.0–3.0): after the magic, version and length
 * prefix comes a Python `repr` of a dict, e.g.
 *
 *     {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }          \n
 *
 * padded with spaces and ending in `\n`. Keys may come in any order; Python 2 writers emit long
 * integers as `3L`. numpy itself parses this with `ast.literal_eval` and refuses headers over
 * 10,000 bytes (`_MAX_HEADER_SIZE`) unless the caller opts in; we refuse them outright.
 *
 * Grammar accepted (a strict subset of Python literals):
 *
 *     value := string | int | True | False | None | tuple | list | dict
 *     string := '…' | "…"   with \\ \' \" \n \r \t \0 \xHH \uHHHH escapes
 *     int    := [+-]? digits [lL]?
 *     tuple  := ( ) | ( value , ) | ( value (, value)+ ,? )
 *     list   := [ ] | [ value (, value)* ,? ]
 *     dict   := { } | { string : value (, string : value)* ,? }
 *
 * Anything else (names, calls, attribute access, arithmetic, floats, bytes literals) is an
 * InputError with code `NPY_HEADER_SYNTAX`: `__import__('os')` never gets near an evaluator.
 */
import { InputError } from '../../errors.js';

/** numpy's limit on a header it will parse without `allow_pickle`-style trust (`format._MAX_HEADER_SIZE`). */
export const NPY_MAX_HEADER_BYTES = 10_000;

/** Deepest nesting the parser follows; real headers nest at most 3 deep (structured descrs). */
const MAX_DEPTH = 64;

/** A parsed Python literal. Integers are BigInt so that `10**30` does not silently round. */
export type PyLiteral =
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'int'; readonly v: bigint }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'none' }
  | { readonly t: 'tuple'; readonly v: readonly PyLiteral[] }
  | { readonly t: 'list'; readonly v: readonly PyLiteral[] }
  | { readonly t: 'dict'; readonly v: ReadonlyMap<string, PyLiteral> };

/** The three fields of a valid header, still raw (the dtype is interpreted by the npy reader). */
export interface NpyHeaderFields {
  /** `descr` as written: a string for plain dtypes; a list (structured) or tuple (sub-array) otherwise. */
  readonly descr: PyLiteral;
  readonly fortranOrder: boolean;
  /** Dimensions, each a non-negative safe integer. */
  readonly shape: readonly number[];
}

const CH_SPACE = 0x20;

class LiteralParser {
  private pos = 0;
  constructor(private readonly src: string, private readonly where: string) {}

  fail(what: string): never {
    const near = JSON.stringify(this.src.slice(this.pos, this.pos + 24));
    throw new InputError(
      'NPY_HEADER_SYNTAX',
      `${this.where}: npy header is not a plain Python literal dict (${what} at character ${this.pos}, near ${near}); ` +
        're-save the array with numpy.save',
    );
  }

  skipSpace(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      // space, \t, \n, \r: the only whitespace numpy (or a Python repr) ever writes
      if (c === CH_SPACE || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.src.length;
  }

  value(depth: number): PyLiteral {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.skipSpace();
    if (this.pos >= this.src.length) this.fail('unexpected end');
    const c = this.src[this.pos]!;
    if (c === "'" || c === '"') return { t: 'str', v: this.string() };
    if (c === '(') return this.sequence(')', 'tuple', depth);
    if (c === '[') return this.sequence(']', 'list', depth);
    if (c === '{') return this.dict(depth);
    if (c === '-' || c === '+' || (c >= '0' && c <= '9')) return { t: 'int', v: this.int() };
    if (this.src.startsWith('True', this.pos) && !this.identCharAt(this.pos + 4)) {
      this.pos += 4;
      return { t: 'bool', v: true };
    }
    if (this.src.startsWith('False', this.pos) && !this.identCharAt(this.pos + 5)) {
      this.pos += 5;
      return { t: 'bool', v: false };
    }
    if (this.src.startsWith('None', this.pos) && !this.identCharAt(this.pos + 4)) {
      this.pos += 4;
      return { t: 'none' };
    }
    return this.fail(`unexpected ${JSON.stringify(c)} (only strings, integers, True/False/None, tuples, lists and dicts are allowed)`);
  }

  private identCharAt(i: number): boolean {
    if (i >= this.src.length) return false;
    return /[A-Za-z0-9_]/.test(this.src[i]!);
  }

  private int(): bigint {
    const m = /^[+-]?[0-9]+[lL]?/.exec(this.src.slice(this.pos, this.pos + 400));
    if (!m) return this.fail('malformed integer');
    let text = m[0];
    this.pos += text.length;
    if (this.identCharAt(this.pos) || this.src[this.pos] === '.') this.fail('malformed integer (floats and names are not allowed)');
    if (text.endsWith('L') || text.endsWith('l')) text = text.slice(0, -1); // Python 2 long literal `3L`
    const neg = text.startsWith('-');
    const digits = text.replace(/^[+-]/, '');
    // Python 3 rejects leading zeros ("01"); keep the same rule so "08" is not read as 8 by accident.
    if (digits.length > 1 && digits.startsWith('0') && /[^0]/.test(digits)) this.fail('integer with leading zero');
    const v = BigInt(digits);
    return neg ? -v : v;
  }

  private string(): string {
    const s = this.src;
    const quote = s[this.pos]!;
    this.pos++;
    let out = '';
    while (true) {
      if (this.pos >= s.length) this.fail('unterminated string');
      const c = s[this.pos]!;
      if (c === quote) {
        this.pos++;
        return out;
      }
      if (c === '\n' || c === '\r') this.fail('newline inside a string');
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = s[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case '\\': out += '\\'; break;
        case "'": out += "'"; break;
        case '"': out += '"'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case '0': out += '\0'; break;
        case 'x': out += this.hexChar(2); break;
        case 'u': out += this.hexChar(4); break;
        default: this.pos -= 2; this.fail('unsupported escape in string');
      }
    }
  }

  private hexChar(n: number): string {
    const h = this.src.slice(this.pos, this.pos + n);
    if (h.length !== n || !/^[0-9A-Fa-f]+$/.test(h)) this.fail('malformed escape');
    this.pos += n;
    return String.fromCharCode(parseInt(h, 16));
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.src[this.pos] !== ch) this.fail(`expected ${JSON.stringify(ch)}`);
    this.pos++;
  }

  private sequence(close: string, t: 'tuple' | 'list', depth: number): PyLiteral {
    this.pos++; // opening bracket
    const items: PyLiteral[] = [];
    let trailingComma = false;
    while (true) {
      this.skipSpace();
      if (this.src[this.pos] === close) {
        this.pos++;
        break;
      }
      if (items.length > 0 && !trailingComma) this.fail(`expected "," or ${JSON.stringify(close)}`);
      items.push(this.value(depth + 1));
      this.skipSpace();
      trailingComma = this.src[this.pos] === ',';
      if (trailingComma) this.pos++;
    }
    // `(3)` is the integer 3 in Python, not a tuple: a 1-tuple needs its comma.
    if (t === 'tuple' && items.length === 1 && !trailingComma) return items[0]!;
    return { t, v: items };
  }

  private dict(depth: number): PyLiteral {
    this.pos++; // '{'
    const map = new Map<string, PyLiteral>();
    let trailingComma = false;
    while (true) {
      this.skipSpace();
      if (this.src[this.pos] === '}') {
        this.pos++;
        break;
      }
      if (map.size > 0 && !trailingComma) this.fail('expected "," or "}"');
      const c = this.src[this.pos];
      if (c !== "'" && c !== '"') this.fail('dict keys must be strings');
      const key = this.string();
      if (map.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`);
      this.expect(':');
      map.set(key, this.value(depth + 1));
      this.skipSpace();
      trailingComma = this.src[this.pos] === ',';
      if (trailingComma) this.pos++;
    }
    return { t: 'dict', v: map };
  }
}

/**
 * Parse one Python literal (the whole string, surrounding whitespace allowed).
 * @param where - names the file in error messages.
 * @throws InputError `NPY_HEADER_SYNTAX` on anything that is not a plain literal.
 * @example parsePyLiteral("(3L, 4)", 'a.npy') // → { t: 'tuple', v: [{ t: 'int', v: 3n }, { t: 'int', v: 4n }] }
 */
export function parsePyLiteral(text: string, where: string): PyLiteral {
  const p = new LiteralParser(text, where);
  const v = p.value(0);
  if (!p.atEnd()) p.fail('trailing characters after the literal');
  return v;
}

/**
 * Parse and validate an npy header dict: exactly the keys `descr`, `fortran_order`, `shape`
 * (any order), `fortran_order` a bool, `shape` a tuple of non-negative integers.
 * @param text - the header text after the length prefix (already decoded: latin1 for v1/v2, UTF-8 for v3).
 * @param where - names the file in error messages.
 * @throws InputError `NPY_HEADER_TOO_LONG`, `NPY_HEADER_SYNTAX`, `NPY_HEADER_NOT_DICT`, `NPY_HEADER_KEYS`,
 *   `NPY_HEADER_FORTRAN`, `NPY_BAD_SHAPE`.
 */
export function parseNpyHeader(text: string, where: string): NpyHeaderFields {
  if (text.length > NPY_MAX_HEADER_BYTES) {
    throw new InputError(
      'NPY_HEADER_TOO_LONG',
      `${where}: npy header is ${text.length} bytes, over numpy's limit of ${NPY_MAX_HEADER_BYTES}; ` +
        'the file is probably not a plain numeric array (re-save it with numpy.save)',
    );
  }
  const lit = parsePyLiteral(text, where);
  if (lit.t !== 'dict') {
    throw new InputError('NPY_HEADER_NOT_DICT', `${where}: npy header must be a dict literal, found a ${lit.t}; re-save the array with numpy.save`);
  }
  const keys = [...lit.v.keys()];
  const expected = ['descr', 'fortran_order', 'shape'];
  const unknown = keys.filter((k) => !expected.includes(k));
  const missing = expected.filter((k) => !lit.v.has(k));
  if (unknown.length > 0 || missing.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing ${missing.map((k) => `'${k}'`).join(', ')}`);
    if (unknown.length > 0) parts.push(`unknown ${unknown.map((k) => JSON.stringify(k)).join(', ')}`);
    throw new InputError(
      'NPY_HEADER_KEYS',
      `${where}: npy header keys must be exactly 'descr', 'fortran_order', 'shape' (${parts.join('; ')}); re-save the array with numpy.save`,
    );
  }
  const fo = lit.v.get('fortran_order')!;
  if (fo.t !== 'bool') {
    throw new InputError('NPY_HEADER_FORTRAN', `${where}: npy header 'fortran_order' must be True or False, found a ${fo.t}`);
  }
  const sh = lit.v.get('shape')!;
  if (sh.t !== 'tuple' && sh.t !== 'list') {
    throw new InputError('NPY_BAD_SHAPE', `${where}: npy header 'shape' must be a tuple of integers, found a ${sh.t}`);
  }
  const shape: number[] = [];
  for (let i = 0; i < sh.v.length; i++) {
    const d = sh.v[i]!;
    if (d.t !== 'int') {
      throw new InputError('NPY_BAD_SHAPE', `${where}: npy shape dimension ${i} must be an integer, found a ${d.t}; the header is corrupt`);
    }
    if (d.v < 0n) {
      throw new InputError('NPY_BAD_SHAPE', `${where}: npy shape dimension ${i} is negative (${d.v}); the header is corrupt`);
    }
    if (d.v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new InputError('NPY_BAD_SHAPE', `${where}: npy shape dimension ${i} is ${d.v}, beyond 2^53; the header is corrupt`);
    }
    shape.push(Number(d.v));
  }
  return { descr: lit.v.get('descr')!, fortranOrder: fo.v, shape };
}

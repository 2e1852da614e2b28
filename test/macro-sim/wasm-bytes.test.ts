import { describe, expect, it } from 'vitest';
import { Code, functionBody, moduleBytes, sleb, uleb } from '../../macro-sim/wasm-bytes.js';

describe('wasm-bytes', () => {
  it('encodes LEB128 as the core spec does (§5.2.2)', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(0)).toEqual([0]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-65)).toEqual([0xbf, 0x7f]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('assembles a module that validates and runs', () => {
    // (func (param $n i32) (param $p i32)  repeat $n times: mem[p] += 3 (as i32))
    const c = new Code();
    c.countDown(0, () => c.get(1).get(1).i32Load(0).i32Const(3).i32Add().i32Store(0));
    const bytes = moduleBytes(2, [{ name: 'f', body: functionBody([], c) }]);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const f = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: memory } }).exports.f as (n: number, p: number) => void;
    f(5, 8);
    expect(new Int32Array(memory.buffer)[2]).toBe(15);
  });
});

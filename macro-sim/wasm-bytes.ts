/**
 * A tiny WebAssembly assembler: the byte encodings (core spec §5: LEB128 integers, sections, function
 * bodies; SIMD opcodes as merged in wasm 2.0) that the engine's kernel (wasm-kernel.ts) and the float
 * reference product (src/reference/float-gemm-wasm.ts) are written with, so that each module is built
 * from bytes at run time — no toolchain at install time, no native download.
 *
 * {@link Code} appends instructions to one byte array (one method per instruction used, chainable).
 * It runs once per process, cold (interpreted), so it pushes bytes directly: building the same ~9 kB
 * by spreading small arrays took 20–35 ms.
 */

/** Append `n` as unsigned LEB128 (core spec §5.2.2). */
export function pushUleb(out: number[], n: number): void {
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
}

/** Append a 32-bit integer as signed LEB128 (core spec §5.2.2), as `i32.const` takes it. */
export function pushSleb(out: number[], n: number): void {
  n |= 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

/** Unsigned LEB128 of `n` as an array. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  pushUleb(out, n);
  return out;
}

/** Signed LEB128 of `n` as an array. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  pushSleb(out, n);
  return out;
}

/** Value types. */
export const I32 = 0x7f;
export const V128 = 0x7b;

const SIMD = 0xfd;

/** A function's code under construction; every method appends one instruction and returns `this`. */
export class Code {
  /** The bytes so far. */
  readonly bytes: number[] = [];

  private op(byte: number): this {
    this.bytes.push(byte);
    return this;
  }

  private simd(sub: number, align: number, offset: number): this {
    this.bytes.push(SIMD, sub, align);
    pushUleb(this.bytes, offset);
    return this;
  }

  /** `local.get l` */
  get(l: number): this {
    this.bytes.push(0x20);
    pushUleb(this.bytes, l);
    return this;
  }

  /** `local.set l` */
  set(l: number): this {
    this.bytes.push(0x21);
    pushUleb(this.bytes, l);
    return this;
  }

  /** `i32.const n` */
  i32Const(n: number): this {
    this.bytes.push(0x41);
    pushSleb(this.bytes, n);
    return this;
  }

  i32Eqz(): this { return this.op(0x45); }
  i32Add(): this { return this.op(0x6a); }
  i32Mul(): this { return this.op(0x6c); }
  /** `i32.load` (4-byte aligned hint) at a constant offset. */
  i32Load(offset: number): this {
    this.bytes.push(0x28, 2);
    pushUleb(this.bytes, offset);
    return this;
  }
  /** `i32.store` (4-byte aligned hint) at a constant offset. */
  i32Store(offset: number): this {
    this.bytes.push(0x36, 2);
    pushUleb(this.bytes, offset);
    return this;
  }

  /** `v128.load` (16-byte aligned hint) at a constant byte offset from the address on the stack. */
  v128Load(offset: number): this { return this.simd(0x00, 4, offset); }
  /** `v128.store` (16-byte aligned hint) at a constant byte offset. */
  v128Store(offset: number): this { return this.simd(0x0b, 4, offset); }
  /** `v128.load64_splat`: one double from memory into both f64x2 lanes. */
  v128Load64Splat(offset: number): this { return this.simd(0x0a, 3, offset); }
  /** `f64x2.add` (IEEE 754 binary64 per lane, round to nearest even). */
  f64x2Add(): this {
    this.bytes.push(SIMD, 0xf0, 0x01);
    return this;
  }
  /** `f64x2.mul` (never fused with an add: wasm has no implicit FMA). */
  f64x2Mul(): this {
    this.bytes.push(SIMD, 0xf2, 0x01);
    return this;
  }

  /** `local += delta` for an i32 local. */
  addTo(l: number, delta: number): this {
    return this.get(l).i32Const(delta).i32Add().set(l);
  }

  /** `while (local != 0) { body(); local -= 1 }`: runs `body` local times. */
  countDown(counter: number, body: () => void): this {
    this.bytes.push(0x02, 0x40, 0x03, 0x40); // block, loop (no results)
    this.get(counter).i32Eqz();
    this.bytes.push(0x0d, 1); // br_if 1: leave the block
    body();
    this.addTo(counter, -1);
    this.bytes.push(0x0c, 0, 0x0b, 0x0b); // br 0 (loop), end loop, end block
    return this;
  }
}

/** A function body: its locals (runs of `count` locals of one type) and its code, length-prefixed. */
export function functionBody(locals: ReadonlyArray<readonly [count: number, type: number]>, code: Code): number[] {
  const head: number[] = [];
  pushUleb(head, locals.length);
  for (const [n, t] of locals) {
    pushUleb(head, n);
    head.push(t);
  }
  const out = uleb(head.length + code.bytes.length + 1);
  for (const b of head) out.push(b);
  for (let i = 0; i < code.bytes.length; i++) out.push(code.bytes[i]!);
  out.push(0x0b); // end
  return out;
}

function pushSection(out: number[], id: number, content: readonly number[]): void {
  out.push(id);
  pushUleb(out, content.length);
  for (let i = 0; i < content.length; i++) out.push(content[i]!);
}

function pushName(out: number[], s: string): void {
  pushUleb(out, s.length);
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
}

/**
 * A module importing one memory (`env.mem`, at least one page) and exporting `functions`, all of the
 * one type `(params × i32) → ()`, by their names.
 */
export function moduleBytes(params: number, functions: ReadonlyArray<{ readonly name: string; readonly body: readonly number[] }>): Uint8Array<ArrayBuffer> {
  const n = functions.length;
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const type = [1, 0x60];
  pushUleb(type, params);
  for (let i = 0; i < params; i++) type.push(I32);
  type.push(0);
  pushSection(out, 1, type);
  const imports = [1];
  pushName(imports, 'env');
  pushName(imports, 'mem');
  imports.push(0x02, 0x00, 1); // memory, limits: min 1 page, no max
  pushSection(out, 2, imports);
  const funcs = uleb(n);
  for (let i = 0; i < n; i++) funcs.push(0); // all of type 0
  pushSection(out, 3, funcs);
  const exports = uleb(n);
  functions.forEach((f, i) => {
    pushName(exports, f.name);
    exports.push(0x00);
    pushUleb(exports, i);
  });
  pushSection(out, 7, exports);
  const code = uleb(n);
  for (const f of functions) for (let i = 0; i < f.body.length; i++) code.push(f.body[i]!);
  pushSection(out, 10, code);
  return new Uint8Array(out);
}

/**
 * A restricted pickle reader for PyTorch state dicts: the allow-list idea of
 * `torch.load(weights_only=True)` (torch/_weights_only_unpickler.py), in TypeScript. It **never
 * calls or constructs anything**: it walks the opcodes (Python's `pickletools` names) and builds plain
 * data — dicts become Maps, tuples `{ tuple: [...] }` — where the only objects allowed are the ones a
 * state dict needs: `collections.OrderedDict`, tensor and parameter rebuilds
 * (`torch._utils._rebuild_tensor_v2`, `_rebuild_parameter`) and the typed storages they point at.
 * Every other global, and every opcode that builds arbitrary objects (INST, OBJ, NEWOBJ, EXT), is
 * refused with one line naming it. Hand-written: no npm library reads pickles without executing them.
 */
import { InputError } from '../../errors.js';

/** A storage a tensor views: its element type, the zip member key and its element count. */
export interface PickledStorage {
  readonly storage: string; // e.g. 'FloatStorage'
  readonly key: string;
  readonly numel: number;
}

/** A tensor as `_rebuild_tensor_v2` describes it. */
export interface PickledTensor {
  readonly tensorOf: PickledStorage;
  readonly offset: number;
  readonly size: readonly number[];
  readonly stride: readonly number[];
}

/** A Python tuple. */
export interface PickledTuple {
  readonly tuple: readonly PickleValue[];
}

/** What the reader builds. */
export type PickleValue =
  | null | boolean | number | bigint | string | Uint8Array
  | PickleValue[] | Map<PickleValue, PickleValue> | PickledTuple | PickledTensor | PickledStorage | AllowedGlobal;

/** A global on the allow-list (only ever used as a callable or a storage type). */
interface AllowedGlobal { readonly global: string }

/** Storage classes a state dict may reference, and nothing else of `torch`. */
export const STORAGE_TYPES = [
  'FloatStorage', 'DoubleStorage', 'HalfStorage', 'BFloat16Storage', 'LongStorage', 'IntStorage', 'ShortStorage',
  'CharStorage', 'ByteStorage', 'BoolStorage',
] as const;

const ALLOWED = new Set<string>([
  'collections.OrderedDict',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
  ...STORAGE_TYPES.map((s) => `torch.${s}`),
]);

const isTuple = (v: unknown): v is PickledTuple => typeof v === 'object' && v !== null && 'tuple' in v;
const isGlobal = (v: unknown): v is AllowedGlobal => typeof v === 'object' && v !== null && 'global' in v;
const isTensor = (v: unknown): v is PickledTensor => typeof v === 'object' && v !== null && 'tensorOf' in v;

/** Opcodes refused by name (they build or call arbitrary objects, or are legacy text forms). */
const REFUSED: Record<number, string> = {
  0x69: 'INST', 0x6f: 'OBJ', 0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x50: 'PERSID',
  0x53: 'STRING', 0x56: 'UNICODE', 0x49: 'INT', 0x4c: 'LONG', 0x46: 'FLOAT', 0x70: 'PUT', 0x67: 'GET', 0x64: 'DICT', 0x6c: 'LIST',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/**
 * Read a pickle (protocol 2–5) of a state dict. `where` names the member in messages.
 * @throws InputError `PICKLE_DISALLOWED` for a global or opcode outside the allow-list, `PICKLE_CORRUPT` for malformed data.
 */
export function readTorchPickle(b: Uint8Array, where: string): PickleValue {
  const fail = (code: string, what: string): never => { throw new InputError(code, `${where}: ${what}`); };
  const corrupt = (what: string): never => fail('PICKLE_CORRUPT', `${what}; the checkpoint is damaged, re-save it with torch.save`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const text = new TextDecoder('utf-8', { fatal: true });
  let p = 0;
  const need = (n: number): number => {
    if (n < 0 || p + n > b.length) corrupt(`truncated pickle at byte ${p} (need ${n} more)`);
    const at = p;
    p += n;
    return at;
  };
  const u8 = (): number => b[need(1)]!;
  const u16 = (): number => dv.getUint16(need(2), true);
  const u32 = (): number => dv.getUint32(need(4), true);
  const i32 = (): number => dv.getInt32(need(4), true);
  const u64 = (): number => {
    const v = dv.getBigUint64(need(8), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) corrupt(`length ${v} is too large`);
    return Number(v);
  };
  const str = (n: number): string => {
    const at = need(n);
    try { return text.decode(b.subarray(at, at + n)); } catch { return corrupt('a string is not valid UTF-8'); }
  };
  const line = (): string => {
    const end = b.indexOf(0x0a, p);
    if (end < 0) corrupt('unterminated GLOBAL');
    const s = String.fromCharCode(...b.subarray(p, end));
    p = end + 1;
    return s;
  };

  const stack: PickleValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PickleValue>();
  const pop = (): PickleValue => (stack.length > 0 ? stack.pop()! : corrupt('stack underflow'));
  const top = (): PickleValue => (stack.length > 0 ? stack[stack.length - 1]! : corrupt('stack underflow'));
  const popMark = (): PickleValue[] => {
    const m = marks.pop();
    if (m === undefined) corrupt('missing MARK');
    return stack.splice(m!);
  };
  const global = (module: string, name: string): AllowedGlobal => {
    const full = `${module}.${name}`;
    if (!ALLOWED.has(full)) {
      fail('PICKLE_DISALLOWED', `refuses the global '${full}': a state dict holds only tensors, OrderedDicts and plain values (nothing was executed); re-save with torch.save(model.state_dict(), path)`);
    }
    return { global: full };
  };
  const setItems = (d: PickleValue, kv: PickleValue[]): void => {
    if (!(d instanceof Map)) corrupt('SETITEM on a non-dict');
    if (kv.length % 2 !== 0) corrupt('odd number of SETITEMS values');
    for (let i = 0; i < kv.length; i += 2) (d as Map<PickleValue, PickleValue>).set(kv[i]!, kv[i + 1]!);
  };
  const reduce = (f: PickleValue, args: PickleValue): PickleValue => {
    if (!isGlobal(f) || !isTuple(args)) return corrupt('REDUCE of a non-callable');
    const a = (args as PickledTuple).tuple;
    switch ((f as AllowedGlobal).global) {
      case 'collections.OrderedDict': {
        const m = new Map<PickleValue, PickleValue>();
        if (a.length > 0 && Array.isArray(a[0])) for (const kv of a[0] as PickleValue[]) if (isTuple(kv) && kv.tuple.length === 2) m.set(kv.tuple[0]!, kv.tuple[1]!);
        return m;
      }
      case 'torch._utils._rebuild_tensor_v2': {
        const [storage, offset, size, stride] = a;
        const ints = (v: PickleValue | undefined): number[] => {
          if (!isTuple(v) || !v.tuple.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)) return corrupt('a tensor size or stride is not a tuple of non-negative integers');
          return v.tuple as number[];
        };
        if (typeof storage !== 'object' || storage === null || !('storage' in storage) || typeof offset !== 'number') return corrupt('a tensor rebuild without a storage');
        return { tensorOf: storage as PickledStorage, offset, size: ints(size), stride: ints(stride) };
      }
      case 'torch._utils._rebuild_parameter':
        if (!isTensor(a[0])) return corrupt('a parameter rebuild without a tensor');
        return a[0]!;
      default:
        return fail('PICKLE_DISALLOWED', `refuses to call '${(f as AllowedGlobal).global}' (it may only be referenced); re-save the state dict with torch.save`);
    }
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: u64(); break; // FRAME (framing only)
      case 0x2e: // STOP
        if (stack.length !== 1) corrupt(`STOP with ${stack.length} values on the stack`);
        return stack[0]!;
      case 0x28: marks.push(stack.length); break; // MARK
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push({ tuple: [] }); break; // EMPTY_TUPLE
      case 0x74: stack.push({ tuple: popMark() }); break; // TUPLE
      case 0x85: stack.push({ tuple: [pop()] }); break; // TUPLE1
      case 0x86: { const y = pop(), x = pop(); stack.push({ tuple: [x, y] }); break; } // TUPLE2
      case 0x87: { const z = pop(), y = pop(), x = pop(); stack.push({ tuple: [x, y, z] }); break; } // TUPLE3
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: { // BINGET, LONG_BINGET
        const k = op === 0x68 ? u8() : u32();
        if (!memo.has(k)) corrupt(`memo key ${k} is not defined`);
        stack.push(memo.get(k)!);
        break;
      }
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: { // LONG1: little-endian two's complement
        const n = u8(), at = need(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[at + i]!);
        if (n > 0 && b[at + n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: stack.push(dv.getFloat64(need(8), false)); break; // BINFLOAT (big-endian)
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x58: stack.push(str(u32())); break; // BINUNICODE
      case 0x8c: stack.push(str(u8())); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(str(u64())); break; // BINUNICODE8
      case 0x55: stack.push(str(u8())); break; // SHORT_BINSTRING
      case 0x54: stack.push(str(u32())); break; // BINSTRING
      case 0x43: case 0x42: case 0x8e: { // SHORT_BINBYTES, BINBYTES, BINBYTES8
        const n = op === 0x43 ? u8() : op === 0x42 ? u32() : u64();
        const at = need(n);
        stack.push(b.slice(at, at + n));
        break;
      }
      case 0x63: { const module = line(); stack.push(global(module, line())); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop(), module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') corrupt('STACK_GLOBAL of non-strings');
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x52: { const args = pop(); stack.push(reduce(pop(), args)); break; } // REDUCE
      case 0x62: { // BUILD: only the state of an OrderedDict (torch's `_metadata`) or a tensor, both ignored
        pop();
        const obj = top();
        if (!(obj instanceof Map) && !isTensor(obj)) corrupt('BUILD on an object that is not a dict or tensor');
        break;
      }
      case 0x51: { // BINPERSID: ('storage', storage type, key, location, numel)
        const pid = pop();
        if (!isTuple(pid) || pid.tuple[0] !== 'storage' || pid.tuple.length < 5) return corrupt('a persistent id that is not a storage');
        const [, type, key, , numel] = pid.tuple;
        if (!isGlobal(type) || typeof key !== 'string' || typeof numel !== 'number') return corrupt('a malformed storage id');
        stack.push({ storage: type.global.replace(/^torch\./, ''), key, numel });
        break;
      }
      case 0x73: { const v = pop(), k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const kv = popMark(); setItems(top(), kv); break; } // SETITEMS
      case 0x61: { const v = pop(); const l = top(); if (!Array.isArray(l)) corrupt('APPEND to a non-list'); (l as PickleValue[]).push(v); break; } // APPEND
      case 0x65: { const vs = popMark(); const l = top(); if (!Array.isArray(l)) corrupt('APPENDS to a non-list'); (l as PickleValue[]).push(...vs); break; } // APPENDS
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      default: {
        const name = REFUSED[op];
        if (name) fail('PICKLE_DISALLOWED', `refuses pickle opcode ${name} (it builds arbitrary objects; nothing was executed); re-save the state dict with torch.save(model.state_dict(), path)`);
        corrupt(`unknown pickle opcode 0x${op.toString(16)} at byte ${p - 1}`);
      }
    }
  }
}

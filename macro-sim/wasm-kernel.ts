/**
 * A WebAssembly SIMD (f64x2) version of the kernel's inner loop, assembled here from its opcodes
 * (no toolchain needed; ~450 bytes). It computes exactly what `accumulateLoad` in kernel.ts computes —
 * for every segment t of a load, `acc_t[l] += Σ_{i in segment t} ws[i] · xs[offs[i] + l]` over `lanes`
 * doubles — two doubles per instruction, four entries per pass over the accumulator, one call per
 * load (JS → wasm calls cost ~1 µs each, so one per segment was measurable). All values are exact
 * integers below 2^53, so the different summation order changes nothing. Node 20 ships wasm SIMD;
 * where it is missing (`WebAssembly.validate` fails) the JS kernel is used.
 *
 * The exported function, in pseudo-WAT:
 *
 *     (func (export "acc") (param $nSeg i32) (param $ends i32) (param $offs i32) (param $ws i32)
 *                          (param $laneBytes i32) (param $acc i32)
 *       ;; ends[t]: one past segment t's last entry; offs[i]: absolute byte address of entry i's
 *       ;; input row; ws[i]: its weight (f64); acc: nSeg consecutive blocks of laneBytes
 *       i = 0; a = acc
 *       for t in 0 .. nSeg:
 *         end = ends[t]
 *         while i + 4 <= end:  for j in 0 .. laneBytes step 16 (unrolled ×2):
 *           a[j] += (w0·x0[j] + w1·x1[j]) + (w2·x2[j] + w3·x3[j])          ;; f64x2 lanes
 *           i += 4
 *         while i < end:       for j ...: a[j] += w·x[j]; i += 1
 *         a += laneBytes
 */

// --- opcodes (WebAssembly core spec §5.4, SIMD proposal as merged in 2.0)
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BR_IF = 0x0d, END = 0x0b, VOID = 0x40;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21;
const I32_LOAD = 0x28, F64_LOAD = 0x2b;
const I32_CONST = 0x41, I32_ADD = 0x6a, I32_GE_S = 0x4e, I32_GT_S = 0x4a, I32_SHL = 0x74;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00], V128_STORE = [SIMD, 0x0b], F64X2_SPLAT = [SIMD, 0x14];
const F64X2_ADD = [SIMD, 0xf0, 0x01], F64X2_MUL = [SIMD, 0xf2, 0x01];
const I32 = 0x7f, V128 = 0x7b;

// params 0..5: nSeg, ends, offs, ws, laneBytes, acc.
// locals: 6 i, 7 j, 8..11 o0..o3, 12 t, 13 end, 14 a (i32); 15..18 w0..w3 (v128)
const P_NSEG = 0, P_ENDS = 1, P_OFFS = 2, P_WS = 3, P_LANEBYTES = 4, P_ACC = 5;
const L_I = 6, L_J = 7, L_O = 8, L_T = 12, L_END = 13, L_A = 14, L_W = 15;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
const sleb = (n: number): number[] => {
  // only small non-negative constants are used here
  return n < 64 ? [n] : [(n & 0x7f) | 0x80, n >> 7];
};
const get = (l: number): number[] => [LOCAL_GET, l];
const set = (l: number): number[] => [LOCAL_SET, l];
const i32c = (n: number): number[] => [I32_CONST, ...sleb(n)];
const mem = (align: number, offset: number): number[] => [align, ...uleb(offset)];

/** Address of `acc + j` / `o_k + j`. */
const addr = (base: number): number[] => [...get(base), ...get(L_J), I32_ADD];

/** Load entry `i + k`'s offset into o_k and its splatted weight into w_k. */
function loadEntry(k: number): number[] {
  return [
    ...get(P_OFFS), ...get(L_I), ...i32c(2), I32_SHL, I32_ADD, I32_LOAD, ...mem(2, 4 * k), ...set(L_O + k),
    ...get(P_WS), ...get(L_I), ...i32c(3), I32_SHL, I32_ADD, F64_LOAD, ...mem(3, 8 * k), ...F64X2_SPLAT, ...set(L_W + k),
  ];
}

/** f64x2 vectors per lane-loop iteration (1 or 2); lanes must be padded to a multiple of 2 · this. */
export const LANE_UNROLL: number = 2;

/** w_k · x_k[j + off] as an f64x2 on the stack. */
const product = (k: number, off: number): number[] => [...get(L_W + k), ...addr(L_O + k), ...V128_LOAD, ...mem(4, off), ...F64X2_MUL];

/**
 * `for j in 0..laneBytes step 32: acc[j] += sum(j); acc[j + 16] += sum(j + 16)` — two f64x2 per
 * iteration (laneBytes is a multiple of 32: lanes are padded to a multiple of 4).
 */
function laneLoop(sum: (off: number) => number[]): number[] {
  const half = (off: number): number[] => [
    ...addr(L_A), // store address
    ...addr(L_A), ...V128_LOAD, ...mem(4, off), ...sum(off), ...F64X2_ADD,
    ...V128_STORE, ...mem(4, off),
  ];
  return [
    ...i32c(0), ...set(L_J),
    BLOCK, VOID, LOOP, VOID,
    ...get(L_J), ...get(P_LANEBYTES), I32_GE_S, BR_IF, 1,
    ...(LANE_UNROLL === 2 ? [...half(0), ...half(16)] : half(0)),
    ...get(L_J), ...i32c(16 * LANE_UNROLL), I32_ADD, ...set(L_J),
    BR, 0,
    END, END,
  ];
}

function body(): number[] {
  const four = (off: number): number[] => [
    ...product(0, off), ...product(1, off), ...F64X2_ADD, ...product(2, off), ...product(3, off), ...F64X2_ADD, ...F64X2_ADD,
  ];
  const code = [
    // locals: 9 × i32 (i, j, o0..o3, t, end, a), 4 × v128 (w0..w3)
    2, 9, I32, 4, V128,
    ...i32c(0), ...set(L_I),
    ...get(P_ACC), ...set(L_A),
    ...i32c(0), ...set(L_T),
    // for each segment
    BLOCK, VOID, LOOP, VOID,
    ...get(L_T), ...get(P_NSEG), I32_GE_S, BR_IF, 1,
    ...get(P_ENDS), ...get(L_T), ...i32c(2), I32_SHL, I32_ADD, I32_LOAD, ...mem(2, 0), ...set(L_END),
    // four entries at a time
    BLOCK, VOID, LOOP, VOID,
    ...get(L_I), ...i32c(4), I32_ADD, ...get(L_END), I32_GT_S, BR_IF, 1,
    ...loadEntry(0), ...loadEntry(1), ...loadEntry(2), ...loadEntry(3),
    ...laneLoop(four),
    ...get(L_I), ...i32c(4), I32_ADD, ...set(L_I),
    BR, 0,
    END, END,
    // the remaining entries one at a time
    BLOCK, VOID, LOOP, VOID,
    ...get(L_I), ...get(L_END), I32_GE_S, BR_IF, 1,
    ...loadEntry(0),
    ...laneLoop((off) => product(0, off)),
    ...get(L_I), ...i32c(1), I32_ADD, ...set(L_I),
    BR, 0,
    END, END,
    // next segment's accumulator block
    ...get(L_A), ...get(P_LANEBYTES), I32_ADD, ...set(L_A),
    ...get(L_T), ...i32c(1), I32_ADD, ...set(L_T),
    BR, 0,
    END, END,
    END,
  ];
  return [...uleb(code.length), ...code];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function str(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

/** The module bytes. */
export function kernelModuleBytes(): Uint8Array<ArrayBuffer> {
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    // type: (i32 ×6) → ()
    ...section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0]),
    // import env.mem: memory, min 1 page, no max
    ...section(2, [1, ...str('env'), ...str('mem'), 0x02, 0x00, 1]),
    // one function of type 0
    ...section(3, [1, 0]),
    // export "acc" = func 0
    ...section(7, [1, ...str('acc'), 0x00, 0]),
    // code
    ...section(10, [1, ...body()]),
  ];
  return new Uint8Array(bytes);
}

/** The instantiated kernel: its memory and the exported function. */
export interface WasmKernel {
  readonly memory: WebAssembly.Memory;
  readonly acc: (nSeg: number, ends: number, offs: number, ws: number, laneBytes: number, acc: number) => void;
}

let cached: WasmKernel | null | undefined;

/** The wasm kernel, or null when this runtime lacks wasm SIMD. Instantiated once (synchronously). */
export function wasmKernel(): WasmKernel | null {
  if (cached !== undefined) return cached;
  try {
    const bytes = kernelModuleBytes();
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(bytes)) {
      cached = null;
      return cached;
    }
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: memory } });
    cached = { memory, acc: instance.exports.acc as WasmKernel['acc'] };
  } catch {
    cached = null;
  }
  return cached;
}

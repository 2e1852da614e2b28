/**
 * A WebAssembly SIMD (f64x2) version of the kernel's inner loop, assembled here from its opcodes
 * (no toolchain needed; ~500 bytes). It computes exactly what `accumulateLoad` in kernel.ts computes:
 * for every slot t of a load, `acc_t[l] += Σ_i vals_t[i] · xs[rows_t[i] · lanes + l]` over `lanes`
 * doubles (entries with row −1, i.e. rl fillers / nm padding, hold value 0 and read row 0) — two
 * doubles per instruction, four entries per pass over the accumulator, one call per load. It reads the
 * rows and values exactly where the codec's `readSegment` wrote them (views into this memory), so the
 * JS side never copies them. All values are exact integers below 2^53, so the different summation
 * order changes nothing. Node 20 ships wasm SIMD; where it is missing (`WebAssembly.validate` fails)
 * the JS kernel is used.
 *
 * The exported function, in pseudo-WAT:
 *
 *     (func (export "acc") (param $nSeg i32) (param $counts i32) (param $rows i32) (param $vals i32)
 *                          (param $slotBytes i32) (param $xs i32) (param $laneBytes i32) (param $acc i32)
 *       ;; slot t's entries: rows / vals at (rows | vals) + t·slotBytes, counts[t] of them (i32 each);
 *       ;; acc: nSeg consecutive blocks of laneBytes
 *       a = acc; rB = rows; vB = vals
 *       for t in 0 .. nSeg:
 *         n = counts[t]; i = 0
 *         while i + 4 <= n:  o_k = xs + max(rB[i+k], 0) · laneBytes;  w_k = splat(f64(vB[i+k]))
 *                            for j in 0 .. laneBytes step 32 (two f64x2):
 *                              a[j] += (w0·o0[j] + w1·o1[j]) + (w2·o2[j] + w3·o3[j]);  i += 4
 *         while i < n:       the same for one entry;  i += 1
 *         a += laneBytes; rB += slotBytes; vB += slotBytes
 */
import { I32, sleb, uleb, V128 } from './wasm-bytes.js';

// --- opcodes (WebAssembly core spec §5.4, SIMD proposal as merged in 2.0)
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BR_IF = 0x0d, END = 0x0b, VOID = 0x40;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21, LOCAL_TEE = 0x22, SELECT = 0x1b;
const I32_LOAD = 0x28;
const I32_CONST = 0x41, I32_ADD = 0x6a, I32_MUL = 0x6c, I32_GE_S = 0x4e, I32_GT_S = 0x4a, I32_SHL = 0x74;
const F64_CONVERT_I32_S = 0xb7;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00], V128_STORE = [SIMD, 0x0b], F64X2_SPLAT = [SIMD, 0x14];
const F64X2_ADD = [SIMD, 0xf0, 0x01], F64X2_MUL = [SIMD, 0xf2, 0x01];

// params 0..7: nSeg, counts, rows, vals, slotBytes, xs, laneBytes, acc.
// locals: 8 i, 9 j, 10..13 o0..o3, 14 t, 15 n, 16 a, 17 rB, 18 vB (i32); 19..22 w0..w3 (v128)
const P_NSEG = 0, P_COUNTS = 1, P_ROWS = 2, P_VALS = 3, P_SLOTBYTES = 4, P_XS = 5, P_LANEBYTES = 6, P_ACC = 7;
const L_I = 8, L_J = 9, L_O = 10, L_T = 14, L_END = 15, L_A = 16, L_RB = 17, L_VB = 18, L_W = 19;

const get = (l: number): number[] => [LOCAL_GET, l];
const set = (l: number): number[] => [LOCAL_SET, l];
const i32c = (n: number): number[] => [I32_CONST, ...sleb(n)];
const mem = (align: number, offset: number): number[] => [align, ...uleb(offset)];

/** Address of `acc + j` / `o_k + j`. */
const addr = (base: number): number[] => [...get(base), ...get(L_J), I32_ADD];

/** Entry `i + k`: o_k = xs + max(row, 0) · laneBytes, w_k = splat(f64(value)). */
function loadEntry(k: number): number[] {
  return [
    ...get(L_RB), ...get(L_I), ...i32c(2), I32_SHL, I32_ADD, I32_LOAD, ...mem(2, 4 * k), LOCAL_TEE, L_O + k,
    ...i32c(0), ...get(L_O + k), ...i32c(0), I32_GE_S, SELECT, // row ≥ 0 ? row : 0 (padding holds value 0)
    ...get(P_LANEBYTES), I32_MUL, ...get(P_XS), I32_ADD, ...set(L_O + k),
    ...get(L_VB), ...get(L_I), ...i32c(2), I32_SHL, I32_ADD, I32_LOAD, ...mem(2, 4 * k), F64_CONVERT_I32_S,
    ...F64X2_SPLAT, ...set(L_W + k),
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
    // locals: 11 × i32 (i, j, o0..o3, t, n, a, rB, vB), 4 × v128 (w0..w3)
    2, 11, I32, 4, V128,
    ...get(P_ACC), ...set(L_A),
    ...get(P_ROWS), ...set(L_RB),
    ...get(P_VALS), ...set(L_VB),
    ...i32c(0), ...set(L_T),
    // for each segment
    BLOCK, VOID, LOOP, VOID,
    ...get(L_T), ...get(P_NSEG), I32_GE_S, BR_IF, 1,
    ...get(P_COUNTS), ...get(L_T), ...i32c(2), I32_SHL, I32_ADD, I32_LOAD, ...mem(2, 0), ...set(L_END),
    ...i32c(0), ...set(L_I),
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
    // next slot: its accumulator block and its rows / values
    ...get(L_A), ...get(P_LANEBYTES), I32_ADD, ...set(L_A),
    ...get(L_RB), ...get(P_SLOTBYTES), I32_ADD, ...set(L_RB),
    ...get(L_VB), ...get(P_SLOTBYTES), I32_ADD, ...set(L_VB),
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
    // type: (i32 ×8) → ()
    ...section(1, [1, 0x60, 8, I32, I32, I32, I32, I32, I32, I32, I32, 0]),
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
  readonly acc: (nSeg: number, counts: number, rows: number, vals: number, slotBytes: number, xs: number, laneBytes: number, acc: number) => void;
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

/**
 * The WebAssembly SIMD (f64x2) micro-kernels of the float reference product (float-gemm.ts),
 * assembled here from their opcodes (macro-sim/wasm-bytes.ts; no toolchain, no native download; ~9 kB).
 *
 * Kernel `k{MB}x{NJ}` adds `x · W` for one tile of 2·MB input vectors (lanes) and `cols` groups of NJ
 * weight columns into accumulators in memory, in exactly the reference's order (products.ts,
 * `referenceColumnProduct`): per output and per group of four rows `acc + (((w0·x0 + w1·x1) + w2·x2) + w3·x3)`,
 * groups in row order, then the rows left over one at a time as `acc + w·x`. f64x2.mul and f64x2.add
 * round each lane exactly as a JS `*` and `+` on doubles do, and wasm never fuses them, so every
 * output is bit-identical to the plain loop's — two lanes (two input vectors) per instruction.
 *
 * Memory (byte addresses, all from the caller):
 * - x tile: row k at `x + k·16·MB`, its 2·MB lanes contiguous (the packed inputs, `[K][2·MB]`);
 * - W: column j of the group at `w + j·wStride`, rows contiguous (the column-major matrix, as copied);
 * - acc: column j of the group at `c + j·cStride`, the tile's lanes contiguous.
 *
 * In pseudo-WAT (R = 16·MB bytes per packed row, all offsets constants):
 *
 *     (func (export "k{MB}x{NJ}") (param $groups $tail $x $w $wStride $c $cStride $cols i32)
 *       repeat $cols times:
 *         w_j = w + j·wStride;  c_j = c + j·cStride          (j < NJ);  xp = x
 *         repeat $groups times:                               ;; four rows
 *           s_jq = load64_splat(w_j + 8q)                    (j < NJ, q < 4)
 *           for m < MB:
 *             x_q = load(xp + q·R + 16m)                     (q < 4)
 *             for j < NJ:  store(c_j + 16m, load(c_j + 16m) + (((x_0·s_j0 + x_1·s_j1) + x_2·s_j2) + x_3·s_j3))
 *           xp += 4R;  w_j += 32
 *         repeat $tail times:                                 ;; the rows left over (< 4)
 *           for m < MB, j < NJ:  store(c_j + 16m, load(c_j + 16m) + load(xp + 16m) · load64_splat(w_j))
 *           xp += R;  w_j += 8
 *         w += NJ·wStride;  c += NJ·cStride
 *
 * Why the accumulators live in memory: V8's optimising compiler keeps wasm loads in program order but
 * schedules arithmetic late, so a kernel holding MB·NJ accumulators in locals gets every load of an
 * iteration hoisted ahead of the arithmetic and spills (measured ~10–13 GFLOPS). Storing each
 * accumulator back orders the next loads after it; the 4·NJ weight splats and four input rows then
 * stay in registers (≤ 12 of the 15 xmm registers V8 allocates for NJ = 2) and the loop body is pure
 * loads, multiplies, adds and stores, ~19 GFLOPS on the development machine (f64x2 without FMA peaks at
 * 8 flops per cycle) for MB = 4..6, NJ = 2.
 */
import { Code, I32, V128, functionBody, moduleBytes } from '../../macro-sim/wasm-bytes.js';

/** Largest tile: 2·MAX_MB input vectors per kernel call. */
export const MAX_MB = 6;
/** Weight columns per group (and the single-column kernels for an odd count). */
export const MAX_NJ = 2;

// parameters
const P_GROUPS = 0, P_TAIL = 1, P_X = 2, P_W = 3, P_WSTRIDE = 4, P_C = 5, P_CSTRIDE = 6, P_COLS = 7;
const PARAMS = 8;

/** The body of kernel `k{MB}x{NJ}`. */
function kernelBody(MB: number, NJ: number): number[] {
  // i32 locals: g, r, xp, w_j (NJ), c_j (NJ); v128 locals: x_q (4), s_jq (4·NJ)
  let next = PARAMS;
  const G = next++, T = next++, XP = next++;
  const Wj = Array.from({ length: NJ }, () => next++);
  const Cj = Array.from({ length: NJ }, () => next++);
  const nI32 = next - PARAMS;
  const Xq = Array.from({ length: 4 }, () => next++);
  const S = Array.from({ length: NJ }, () => Array.from({ length: 4 }, () => next++));
  const nV128 = next - PARAMS - nI32;
  const R = 16 * MB;
  const c = new Code();

  /** `x_q · s_jq` onto the stack. */
  const product = (q: number, j: number): Code => c.get(Xq[q]!).get(S[j]![q]!).f64x2Mul();

  /** Four rows: `acc_mj += ((x_0·s_j0 + x_1·s_j1) + x_2·s_j2) + x_3·s_j3` for every lane pair m and column j. */
  const group = (): void => {
    for (let j = 0; j < NJ; j++) for (let q = 0; q < 4; q++) c.get(Wj[j]!).v128Load64Splat(8 * q).set(S[j]![q]!);
    for (let m = 0; m < MB; m++) {
      for (let q = 0; q < 4; q++) c.get(XP).v128Load(q * R + 16 * m).set(Xq[q]!);
      for (let j = 0; j < NJ; j++) {
        c.get(Cj[j]!).get(Cj[j]!).v128Load(16 * m); // store address, acc
        product(0, j);
        product(1, j);
        c.f64x2Add();
        product(2, j);
        c.f64x2Add();
        product(3, j);
        c.f64x2Add().f64x2Add().v128Store(16 * m);
      }
    }
    c.addTo(XP, 4 * R);
    for (let j = 0; j < NJ; j++) c.addTo(Wj[j]!, 32);
  };

  /** One leftover row: `acc_mj += x · s_j`. */
  const row = (): void => {
    for (let j = 0; j < NJ; j++) c.get(Wj[j]!).v128Load64Splat(0).set(S[j]![0]!);
    for (let m = 0; m < MB; m++) {
      c.get(XP).v128Load(16 * m).set(Xq[0]!);
      for (let j = 0; j < NJ; j++) {
        c.get(Cj[j]!).get(Cj[j]!).v128Load(16 * m);
        product(0, j);
        c.f64x2Add().v128Store(16 * m);
      }
    }
    c.addTo(XP, R);
    for (let j = 0; j < NJ; j++) c.addTo(Wj[j]!, 8);
  };

  c.countDown(P_COLS, () => {
    for (let j = 0; j < NJ; j++) {
      c.get(P_W).get(P_WSTRIDE).i32Const(j).i32Mul().i32Add().set(Wj[j]!);
      c.get(P_C).get(P_CSTRIDE).i32Const(j).i32Mul().i32Add().set(Cj[j]!);
    }
    c.get(P_X).set(XP).get(P_GROUPS).set(G).countDown(G, group);
    c.get(P_TAIL).set(T).countDown(T, row);
    c.get(P_W).get(P_WSTRIDE).i32Const(NJ).i32Mul().i32Add().set(P_W);
    c.get(P_C).get(P_CSTRIDE).i32Const(NJ).i32Mul().i32Add().set(P_C);
  });
  return functionBody([[nI32, I32], [nV128, V128]], c);
}

/** Export name of the kernel for MB lane pairs and NJ columns. */
export const kernelName = (MB: number, NJ: number): string => `k${MB}x${NJ}`;

/** The module: kernels `k{MB}x{NJ}` for MB = 1..MAX_MB, NJ = 1..MAX_NJ. */
export function floatGemmModuleBytes(): Uint8Array<ArrayBuffer> {
  const functions: { name: string; body: number[] }[] = [];
  for (let MB = 1; MB <= MAX_MB; MB++) for (let NJ = 1; NJ <= MAX_NJ; NJ++) functions.push({ name: kernelName(MB, NJ), body: kernelBody(MB, NJ) });
  return moduleBytes(PARAMS, functions);
}

/** A kernel: `(groups, tail, x, w, wStride, c, cStride, cols)`, byte addresses. */
export type GemmKernel = (groups: number, tail: number, x: number, w: number, wStride: number, c: number, cStride: number, cols: number) => void;

/** One instance: its own memory and its kernels, `kernels[MB][NJ]`. */
export interface FloatGemmInstance {
  readonly memory: WebAssembly.Memory;
  readonly kernels: readonly (readonly GemmKernel[])[];
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module (once per process), or null when this runtime lacks wasm SIMD. */
export function floatGemmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = floatGemmModuleBytes();
    compiled = typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Kernel memories up to this size are kept for the next call (the one cached instance); larger ones are released with the call. */
export const RETAINED_MEMORY_BYTES = 8 * 1024 * 1024;

let retained: FloatGemmInstance | null = null;

function instantiate(module: WebAssembly.Module, pages: number): FloatGemmInstance {
  const memory = new WebAssembly.Memory({ initial: pages });
  const exports = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  const kernels: GemmKernel[][] = [[]];
  for (let MB = 1; MB <= MAX_MB; MB++) {
    const row: GemmKernel[] = [() => undefined];
    for (let NJ = 1; NJ <= MAX_NJ; NJ++) row.push(exports[kernelName(MB, NJ)] as GemmKernel);
    kernels.push(row);
  }
  return { memory, kernels };
}

/**
 * An instance whose memory holds at least `bytes` (contents unspecified: the caller zeroes what it
 * reads), or null without wasm SIMD. Up to {@link RETAINED_MEMORY_BYTES} one instance is reused (a
 * fresh instance costs ~0.1 ms); a larger need gets a fresh instance of its own, so its memory goes
 * with the call. Throws a RangeError when the memory cannot be allocated.
 */
export function floatGemmInstance(bytes: number): FloatGemmInstance | null {
  const module = floatGemmModule();
  if (module === null) return null;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages * 65536 > RETAINED_MEMORY_BYTES) return instantiate(module, pages);
  retained ??= instantiate(module, pages);
  const have = retained.memory.buffer.byteLength / 65536;
  if (have < pages) retained.memory.grow(pages - have);
  return retained;
}

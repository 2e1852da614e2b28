/**
 * The FAST engine: exact outputs and exact event counts in one pass over the encoded segments.
 *
 * It computes the same numbers as the cycle-by-cycle `reference-engine.ts` (the property tests check
 * it), but by algebra instead of by walking bit-planes:
 * - Outputs: `Σ_p ±2^p Σ_r bit_p(x_r) q_r = Σ_r x_r q_r` (two's complement), so each entry adds
 *   `value × x[b, row]` for all B vectors at once. Inputs are transposed once to `[K, B]` so the
 *   inner loop over B is contiguous, and packed two vectors per double (`kernel.ts`, with a wasm
 *   SIMD inner loop in `wasm-kernel.ts`).
 * - Bitcell ANDs with input bit 1 do not depend on which planes are skipped (a skipped plane has no
 *   1 bit on the load's rows), so they are `b_w · Σ_entries popSum[row]` with `popSum[k] = Σ_b
 *   popcount(x[b, k])` precomputed.
 * - ANDs that are 1 (`bitcellOnes`, the tree's data activity) are `Σ_entries popSum[row] ·
 *   popcount(w mod 2^b_w)` for the same reason (a 64 K popcount table keeps it one lookup per entry).
 * - Every other per-plane event is (processed planes of the load) × (a per-load structural sum).
 * - Processed planes of (load, vector b) = popcount of the OR of x[b, r] over the load's distinct
 *   valid rows; the OR stops early once every vector has all b_x bits set (usual for random inputs;
 *   on images many vectors never set their top plane, so the OR visits every distinct row).
 *
 * Exactness: |value| ≤ 2^15, |x| ≤ 2^16, so one product is < 2^31 and a segment sum of ≤ R ≤ 2^16
 * products is < 2^47 < 2^53: Float64 accumulation is exact. Column sums are checked against the
 * `accumulatorBits` (≤ 53) range after every segment, so they stay exact too; the checks are skipped
 * when the static bound K · 2^(b_w−1) · max|x| already fits that range.
 */
import { ConfigError } from '../errors.js';
import { FORMATS } from '../formats/registry.js';
import type { EncodedMatrix, FormatCodec } from '../formats/types.js';
import type { MacroConfig } from './config.js';
import { completeEvents, zeroEvents } from './events.js';
import { type KernelInputs, makeKernel, unpack } from './kernel.js';
import { mapMatrix } from './mapping.js';
import { assembleResult, type SimInputs, type SimResult } from './result.js';
import {
  accumulatorRange, checkInputs, overflowError, routingLevels, rowPointerBits, shiftAccWidth, treeDepth,
} from './slot-model.js';
import { InputPacks, popcount32 } from './input-packs.js';
import { combineRounds, fillCyclesPerLoad, isWrittenLoad, writeCycles } from './timing.js';

/** popcount of every 16-bit pattern: the 1 bits of a stored b_w ≤ 16-bit weight, by table lookup in the hot scan. */
const WEIGHT_POPCOUNT = (() => {
  const t = new Uint8Array(1 << 16);
  for (let v = 1; v < t.length; v++) t[v] = t[v >> 1]! + (v & 1);
  return t;
})();

// Slots of the scanSegment state vector.
const SCAN_DISTINCT = 0, SCAN_VALID = 1, SCAN_LAST_ROW = 2, SCAN_POP = 3, SCAN_ONES = 4;

/**
 * Walk one segment's physical entries (as `readSegment` wrote them): count valid rows, note the last
 * valid row, sum the rows' input popcounts and record rows new to this load (`stamp`, `distinct`).
 * The running distinct-row count lives in `state`. A small separate function so that V8 optimises
 * this hottest JS loop on its own; the multiply-adds themselves run in the kernel.
 */
function scanSegment(
  n: number, rowsBuf: Int32Array, valsBuf: Int32Array, wMask: number, popSum: Float64Array, stamp: Int32Array, ld: number, distinct: Int32Array, state: Float64Array,
): void {
  let nDistinct = state[SCAN_DISTINCT]!;
  let valid = 0;
  let lastRow = -1;
  let pop = 0;
  let ones = 0;
  for (let i = 0; i < n; i++) {
    const r = rowsBuf[i]!;
    if (r < 0) continue; // rl filler / nm padding: clock-gated, holds 0
    valid++;
    lastRow = r;
    const p = popSum[r]!;
    pop += p;
    ones += p * WEIGHT_POPCOUNT[valsBuf[i]! & wMask]!;
    // Branch-free "first time this load": stamp[r] < ld exactly when row r is new (loads count up
    // from 0, stamps start at -1). Rows arrive in random order across slots, so a branch here
    // mispredicts about half the time (measured 2.6× slower).
    distinct[nDistinct] = r;
    nDistinct += (stamp[r]! - ld) >>> 31;
    stamp[r] = ld;
  }
  state[SCAN_DISTINCT] = nDistinct;
  state[SCAN_VALID] = valid;
  state[SCAN_LAST_ROW] = lastRow;
  state[SCAN_POP] = pop;
  state[SCAN_ONES] = ones;
}

/** {@link scanSegment} for formats whose entries are all valid rows (dense, coo, bitmask): no padding test. */
function scanSegmentAllValid(
  n: number, rowsBuf: Int32Array, valsBuf: Int32Array, wMask: number, popSum: Float64Array, stamp: Int32Array, ld: number, distinct: Int32Array, state: Float64Array,
): void {
  let nDistinct = state[SCAN_DISTINCT]!;
  let pop = 0;
  let ones = 0;
  for (let i = 0; i < n; i++) {
    const r = rowsBuf[i]!;
    const p = popSum[r]!;
    pop += p;
    ones += p * WEIGHT_POPCOUNT[valsBuf[i]! & wMask]!;
    distinct[nDistinct] = r;
    nDistinct += (stamp[r]! - ld) >>> 31;
    stamp[r] = ld;
  }
  state[SCAN_DISTINCT] = nDistinct;
  state[SCAN_VALID] = n;
  state[SCAN_LAST_ROW] = n > 0 ? rowsBuf[n - 1]! : -1;
  state[SCAN_POP] = pop;
  state[SCAN_ONES] = ones;
}

/**
 * Simulate `enc` on the macro `config` with `inputs` (fast engine).
 *
 * @throws SimulationError `SLOT_TOO_WIDE`, `SEGMENT_TOO_TALL`, `ACCUMULATOR_OVERFLOW` (names the column
 *   and the bits needed), `INPUT_OUT_OF_RANGE`, `INPUT_SHAPE`.
 * @example
 * const r = simulate(encodeMatrix(q, 'coo', { valueBits: 8, segmentRows: 256 }), { data, batch: 64 }, resolveMacroConfig());
 * r.metrics.topsPerWattDense
 */
export function simulate(enc: EncodedMatrix, inputs: SimInputs, config: MacroConfig, options: EngineOptions = {}): SimResult {
  return simulateWithCodec(enc, inputs, config, FORMATS[enc.id], options);
}

/** Engine options. `wasm` is a switch for tests and benchmarks (results never depend on it). */
export interface EngineOptions {
  /** Use the WebAssembly SIMD kernel when the runtime has it (default true). */
  readonly wasm?: boolean;
  /**
   * Model context: index of this matrix's first load in the model's load sequence (`mapModel`'s
   * `firstLoad`). With `weightsResident`, only the model's first M loads are pre-loaded, so a layer
   * whose loads start at `firstLoad` pays writes for every load with `firstLoad + ℓ ≥ M`. Default 0
   * (the matrix alone).
   */
  readonly firstLoad?: number;
  /**
   * The inputs checked and packed once for many simulations of the same `inputs` (see
   * input-packs.ts); results are identical without it. Throws ConfigError `BAD_INPUT_PACKS` when
   * made for other inputs.
   */
  readonly inputPacks?: InputPacks;
}

/** Validate the model-context load offset (a non-negative integer). */
export function checkFirstLoad(firstLoad: number | undefined): number {
  const v = firstLoad ?? 0;
  if (!Number.isSafeInteger(v) || v < 0) throw new ConfigError('BAD_FIRST_LOAD', `firstLoad must be a non-negative integer; got ${v}`);
  return v;
}

/**
 * Adder-tree full-adder bits of one slot whose `n` physical entries hold `valid` valid rows: nodes
 * at level l with ≥ 1 valid position below them, each `b_w + l − 1` bits wide.
 */
function slotTreeBits(n: number, valid: number, rowsBuf: Int32Array, D: number, bw: number, lastAtLevel: Int32Array): number {
  let treeBits = 0;
  if (valid === n) {
    // Valid positions are exactly 0..valid-1: ceil(valid / 2^l) active nodes at level l.
    for (let l = 1, span = 2; l <= D; l++, span *= 2) treeBits += Math.ceil(valid / span) * (bw + l - 1);
    return treeBits;
  }
  lastAtLevel.fill(-1);
  for (let i = 0; i < n; i++) {
    if (rowsBuf[i]! < 0) continue;
    for (let l = 1; l <= D; l++) {
      const node = i >> l;
      if (node !== lastAtLevel[l]) {
        lastAtLevel[l] = node;
        treeBits += bw + l - 1;
      }
    }
  }
  return treeBits;
}

/**
 * Processed bit-planes of a load: popcount of the OR, per vector, of its inputs over the load's distinct valid rows
 * (rows `distinct[0..nDistinct)` of `xw`, W words each). Also the closed-form counts' (closed-form-counts.ts).
 */
export function processedPlanes(nDistinct: number, distinct: Int32Array, xw: Int32Array, W: number, orAcc: Int32Array, fullWord: Int32Array): number {
  orAcc.fill(0);
  for (let d = 0; d < nDistinct; d++) {
    const o = distinct[d]! * W;
    let full = true;
    for (let w = 0; w < W; w++) {
      const v = orAcc[w]! | xw[o + w]!;
      orAcc[w] = v;
      if (v !== fullWord[w]) full = false;
    }
    if (full) break; // every plane of every vector is needed: no more rows can change that
  }
  let P = 0;
  for (let w = 0; w < W; w++) P += popcount32(orAcc[w]!);
  return P;
}

// Slots of the per-load structure vector written by scanLoad.
const LOAD_DISTINCT = 0, LOAD_TREE_BITS = 1, LOAD_LEVEL_SUM = 2, LOAD_ACTIVE_SLOTS = 3, LOAD_ROWS_USED = 4;
const LOAD_WRITE_BITS = 5, LOAD_DECODE_MAX = 6, LOAD_VALID = 7, LOAD_POP = 8, LOAD_RL_ADDS = 9, LOAD_ONES = 10, LOAD_FIELDS = 11;

/** What scanLoad needs besides the load's slot range: fixed for one simulation. */
interface ScanContext {
  readonly enc: EncodedMatrix;
  readonly codec: FormatCodec;
  readonly R: number;
  readonly D: number;
  readonly bw: number;
  readonly E: number;
  readonly metaBits: number;
  readonly allValid: boolean;
  readonly isRl: boolean;
  readonly isBitmask: boolean;
  readonly rowViews: readonly Int32Array[];
  readonly valViews: readonly Int32Array[];
  readonly counts: Int32Array;
  readonly popSum: Float64Array;
  /** 2^b_w − 1: the stored bits of a value (two's complement). */
  readonly wMask: number;
  readonly stamp: Int32Array;
  readonly distinct: Int32Array;
  readonly lastAtLevel: Int32Array;
  readonly scan: Float64Array;
  /** LOAD_* fields of the current load. */
  readonly load: Float64Array;
}

/**
 * Pass 1 of load `ld` (segments `[s0, s1)`): read each slot's segment straight into the kernel's
 * buffers and count the load's structure into `c.load`.
 */
function scanLoad(c: ScanContext, s0: number, s1: number, ld: number): void {
  const { enc, scan, rowViews, valViews, counts, D, bw, E, metaBits, isBitmask } = c;
  const segBase = enc.segments.base;
  let loadTreeBits = 0, loadLevelSum = 0, activeSlots = 0, rowsUsed = 0, loadWriteBits = 0, decodeMax = 0;
  let validTotal = 0, popTotal = 0, onesTotal = 0, rlAdds = 0;
  scan[SCAN_DISTINCT] = 0;
  for (let s = s0; s < s1; s++) {
    const t = s - s0;
    const rowsBuf = rowViews[t]!;
    const n = c.codec.readSegment(enc, s, rowsBuf, valViews[t]!);
    counts[t] = n;
    const valsBuf = valViews[t]!;
    if (c.allValid) scanSegmentAllValid(n, rowsBuf, valsBuf, c.wMask, c.popSum, c.stamp, ld, c.distinct, scan);
    else scanSegment(n, rowsBuf, valsBuf, c.wMask, c.popSum, c.stamp, ld, c.distinct, scan);
    const valid = scan[SCAN_VALID]!;
    const lastRow = scan[SCAN_LAST_ROW]!;
    popTotal += scan[SCAN_POP]!;
    onesTotal += scan[SCAN_ONES]!;
    if (valid > 0) {
      activeSlots++;
      loadTreeBits += slotTreeBits(n, valid, rowsBuf, D, bw, c.lastAtLevel);
      loadLevelSum += valid * routingLevels(enc, c.R, lastRow - segBase[s]! + 1);
    }
    validTotal += valid;
    if (n > rowsUsed) rowsUsed = n;
    loadWriteBits += n * E + metaBits + (isBitmask && valid > 0 ? lastRow - segBase[s]! + 1 : 0);
    if (c.isRl) {
      rlAdds += n;
      if (n > decodeMax) decodeMax = n;
    }
  }
  const load = c.load;
  load[LOAD_DISTINCT] = scan[SCAN_DISTINCT]!;
  load[LOAD_TREE_BITS] = loadTreeBits;
  load[LOAD_LEVEL_SUM] = loadLevelSum;
  load[LOAD_ACTIVE_SLOTS] = activeSlots;
  load[LOAD_ROWS_USED] = rowsUsed;
  load[LOAD_WRITE_BITS] = loadWriteBits;
  load[LOAD_DECODE_MAX] = decodeMax;
  load[LOAD_VALID] = validTotal;
  load[LOAD_POP] = popTotal;
  load[LOAD_RL_ADDS] = rlAdds;
  load[LOAD_ONES] = onesTotal;
}

// Slots of the column state carried across loads by addLoadSums.
const COL_CURRENT = 0, COL_SEGMENTS = 1, COL_PARTIAL_ADDS = 2;

/**
 * Pass 2 of a load: each slot's partial sums (unpacked from the kernel's lanes), then its column's
 * running sum in `colAcc`, both range-checked; a finished column is stored in `outputs` (`[B, N]`).
 * `col` carries the current column, its segment count and the partial-sum additions across loads.
 * `checked` false: no sum can leave the accumulator range (see simulateWithCodec), so no checks.
 */
function addLoadSums(
  s0: number, s1: number, segCol: Uint32Array, laneAcc: Float64Array, kin: KernelInputs, B: number, N: number,
  segAcc: Float64Array, colAcc: Float64Array, outputs: Float64Array, col: Float64Array,
  checked: boolean, accMin: number, accMax: number, accBits: number,
): void {
  let curCol = col[COL_CURRENT]!;
  let colSegs = col[COL_SEGMENTS]!;
  let partialAdds = col[COL_PARTIAL_ADDS]!;
  for (let s = s0; s < s1; s++) {
    const j = segCol[s]!;
    if (j !== curCol) {
      if (curCol >= 0) storeColumn(outputs, colAcc, B, N, curCol);
      curCol = j;
      colSegs = 0;
      colAcc.fill(0);
    }
    unpack(laneAcc, s - s0, kin, B, segAcc);
    if (checked) {
      for (let b = 0; b < B; b++) {
        const p = segAcc[b]!;
        if (p < accMin || p > accMax) throw overflowError('segment partial sum', j, b, p, accBits);
        const v = colAcc[b]! + p;
        if (v < accMin || v > accMax) throw overflowError('output', j, b, v, accBits);
        colAcc[b] = v;
      }
    } else {
      for (let b = 0; b < B; b++) colAcc[b] += segAcc[b]!;
    }
    if (colSegs > 0) partialAdds += B;
    colSegs++;
  }
  col[COL_CURRENT] = curCol;
  col[COL_SEGMENTS] = colSegs;
  col[COL_PARTIAL_ADDS] = partialAdds;
}

/** Store column j's sums into `[B, N]` outputs. */
function storeColumn(outputs: Float64Array, colAcc: Float64Array, B: number, N: number, j: number): void {
  for (let b = 0; b < B; b++) outputs[b * N + j] = colAcc[b]!;
}

/**
 * {@link simulate} with an explicit codec (for formats outside the registry).
 *
 * The work is split into small functions (input packing, scanLoad, the kernel, addLoadSums,
 * processedPlanes) and this one only orchestrates: V8 then optimises each hot loop on its own, once.
 * As one large function it was compiled on-stack mid-loop and de-optimised again on every call at
 * the first statement after that loop (measured: ten 25–60 ms TurboFan compiles per worker, which
 * compete with the other worker of a two-job sweep for the second core).
 */
export function simulateWithCodec(
  enc: EncodedMatrix,
  inputs: SimInputs,
  config: MacroConfig,
  codec: FormatCodec,
  options: EngineOptions = {},
): SimResult {
  const firstLoad = checkFirstLoad(options.firstLoad);
  const mapping = mapMatrix(enc, config, firstLoad);
  const K = enc.rows;
  const N = enc.cols;
  const B = inputs.batch;
  // Inputs: checked, then packed for the kernel and the skip-plane OR (input-packs.ts). The caller's
  // InputPacks carries that work across simulations of the same inputs; otherwise one is made here.
  let packs = options.inputPacks;
  if (packs) {
    packs.assertFor(inputs);
    packs.check(config, K);
  } else {
    checkInputs(inputs.data, B, K, config);
    packs = new InputPacks(inputs);
  }
  const bx = config.inputBits;
  const R = config.rows;
  const bw = enc.valueBits;
  const L = mapping.slotsPerLoad;
  const S = enc.segments.length;
  const loads = mapping.loads;
  const D = treeDepth(R);
  const accW = shiftAccWidth(bw, R, bx);
  const fill = fillCyclesPerLoad(config);
  const ptrBits = rowPointerBits(K);
  const { min: accMin, max: accMax } = accumulatorRange(config.accumulatorBits);

  // --- kernel layout: two vectors per double when the segment-sum bound allows (kernel.ts). The
  // bound uses the b_x range, not the data, so the layout depends on the configuration only.
  const cap = Math.max(enc.segmentRows, 1);
  const maxAbsX = config.signedInputs ? 2 ** (bx - 1) : 2 ** bx - 1;
  const kern = makeKernel(K, B, L, cap, cap * 2 ** (bw - 1) * maxAbsX, options.wasm ?? true);
  // Every segment and column sum is at most K · 2^(b_w−1) · max|x| in magnitude; when that fits the
  // accumulator (the usual case: 784 · 128 · 255 < 2^25 against 32 bits), no sum needs checking.
  const checked = K * 2 ** (bw - 1) * maxAbsX > accMax;
  const kin = kern.inputs;
  packs.writeLanes(kern.layout, kin.xs);
  const { xw, W, popSum, fullWord } = packs.bitPlanes(bx);

  // --- scratch, allocated once.
  const ctx: ScanContext = {
    enc, codec, R, D, bw, E: enc.entryBits, metaBits: enc.segmentMetadataBits,
    allValid: enc.id === 'dense' || enc.id === 'coo' || enc.id === 'bitmask', // readSegment never returns row -1
    isRl: enc.id === 'rl',
    isBitmask: enc.id === 'bitmask',
    rowViews: kern.rowViews, valViews: kern.valViews, counts: kern.counts, popSum, wMask: 2 ** bw - 1,
    stamp: new Int32Array(K).fill(-1),
    distinct: new Int32Array(Math.min(K, L * cap) + 1), // + 1: scanSegment writes one past the count
    lastAtLevel: new Int32Array(D + 1),
    scan: new Float64Array(5),
    load: new Float64Array(LOAD_FIELDS),
  };
  const load = ctx.load;
  const segAcc = new Float64Array(B);
  const colAcc = new Float64Array(B);
  const col = Float64Array.of(-1, 0, 0);
  const orAcc = new Int32Array(W);
  const setup = new Float64Array(loads);
  const exec = new Float64Array(loads);
  const outputs = new Float64Array(B * N);
  const ev = zeroEvents();

  let validTotal = 0, popTotal = 0, onesTotal = 0, rlAdds = 0;
  let writeTotal = 0, decodeTotal = 0, computeTotal = 0;
  let treeFa = 0, shiftAcc = 0, muxLevels = 0, bufferBits = 0, writeBits = 0;
  for (let ld = 0; ld < loads; ld++) {
    const s0 = ld * L;
    const s1 = Math.min(S, s0 + L);
    scanLoad(ctx, s0, s1, ld);
    kern.run(s1 - s0); // all multiply-adds of the load in one kernel call
    addLoadSums(s0, s1, enc.segments.col, kern.acc, kin, B, N, segAcc, colAcc, outputs, col, checked, accMin, accMax, config.accumulatorBits);
    const nDistinct = load[LOAD_DISTINCT]!;
    const P = config.skipZeroBitPlanes ? processedPlanes(nDistinct, ctx.distinct, xw, W, orAcc, fullWord) : bx * B;

    treeFa += P * load[LOAD_TREE_BITS]!;
    shiftAcc += P * load[LOAD_ACTIVE_SLOTS]! * accW;
    muxLevels += P * load[LOAD_LEVEL_SUM]!;
    bufferBits += P * nDistinct;
    validTotal += load[LOAD_VALID]!;
    popTotal += load[LOAD_POP]!;
    onesTotal += load[LOAD_ONES]!;
    rlAdds += load[LOAD_RL_ADDS]!;
    let write = 0;
    if (isWrittenLoad(firstLoad + ld, config)) {
      writeBits += load[LOAD_WRITE_BITS]!;
      write = writeCycles(load[LOAD_ROWS_USED]!, load[LOAD_WRITE_BITS]!, config);
    }
    const decodeMax = load[LOAD_DECODE_MAX]!;
    writeTotal += write;
    decodeTotal += decodeMax;
    computeTotal += P;
    setup[ld] = write + decodeMax;
    exec[ld] = fill + P;
  }
  const lastCol = col[COL_CURRENT]!;
  if (lastCol >= 0) storeColumn(outputs, colAcc, B, N, lastCol);

  ev.bitcellAnds = bw * popTotal;
  ev.bitcellOnes = onesTotal;
  ev.adderTreeDataBits = D * onesTotal;
  ev.adderTreeFaBits = treeFa;
  ev.shiftAccBits = shiftAcc;
  ev.inputRoutingMuxLevels = muxLevels;
  ev.inputBufferBits = bufferBits;
  ev.bitPlanesProcessed = computeTotal;
  ev.macroWriteBits = writeBits;
  ev.rlDecodeAdds = rlAdds;
  ev.rlDecodeAddBits = rlAdds * ptrBits;
  ev.partialSumAdds = col[COL_PARTIAL_ADDS]!;
  ev.validRows = validTotal;
  completeEvents(ev, { N, B, bx, loads, slotsPerLoad: L, rows: R, accumulatorBits: config.accumulatorBits });

  const cycles = combineRounds(setup, exec, loads, config);
  return assembleResult(enc, B, config, outputs, mapping, ev, {
    cycles,
    writeCycles: writeTotal,
    decodeCycles: decodeTotal,
    fillCycles: loads * fill,
    computeCycles: computeTotal,
  });
}
